"""Whole-page caching for anonymous readers, exact across processes and machines.

Every cached page is stored under the site's *content version*, a number in the database
(models.ContentVersion) that every change to content moves on in its own transaction: the very
next request, in whichever process, reads the new version, looks up a new key and renders
fresh. The version is read on every request; it lives in the database rather than the cache so
that it cannot be evicted, and so that a cache server coming back from an outage with old keys
cannot serve them as current. Nothing is ever deleted: old versions simply expire.

Editors (any request with a session cookie) always get fresh pages. Responses carry an ETag and
Last-Modified, and `Cache-Control: max-age=0, must-revalidate`, so browsers and a CDN revalidate
every time and get a cheap 304 while nothing changed. A page is stored with its Brotli and gzip
copies, made once (countries.compression): each reader gets the smallest they accept, with an
ETag of its own and `Vary: Accept-Encoding`.

Below the whole-page cache, `cached_fragment()` keeps the parts of a page every reader shares (an
entry's body, the home page's map and table) under the same version, so editors' pages and
cache-busting query strings do not render 200 table rows again.

Rendered pages and fragments are kept at two levels: in this process's memory (the "rendered"
cache), then in the shared cache (the database, or Redis with REDIS_URL). A key holds every
value that changes what is rendered: the version, the language, the scheme, the host, the
script prefix, the path and the query. What an anonymous client can vary at will (a host's
port, the query string) is kept in this process's bounded memory only, never in the shared
cache, so no client can fill it.
"""

import functools
import hashlib
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse, HttpResponseNotModified
from django.http.request import split_domain_port
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .compression import best_encoding, compressed_variants, variant_etag
from .markdown import budget_exhausted
from .models import ContentVersion

PAGE_TIMEOUT = 24 * 3600
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
# What views mark on a response for the security middleware outside this one (the embeddable
# map's exemptions from X-Frame-Options and frame-ancestors): kept with the page, so a copy
# from the cache gets the same headers as the original.
MARKS_FOR_OUTER_MIDDLEWARE = ("xframe_options_exempt", "_csp_config", "_csp_update", "_csp_replace")

_last_read = None  # this process's last reading, for while the database cannot be reached


def content_version():
    """The current content version: about the time of the last change, in milliseconds.

    While the database cannot be reached nothing can change, so the last version read stays
    current: pages already cached are served through the outage.
    """
    global _last_read
    try:
        versions = ContentVersion.objects.using(DEFAULT_DB_ALIAS).filter(pk=1)
        row = list(versions.values_list("value", flat=True))
        if not row:  # a database emptied by hand (or by a test): start again
            ContentVersion.objects.get_or_create(pk=1, defaults={"value": _now()})
            return content_version()
    except DatabaseError:
        if _last_read is None:
            raise
        return _last_read
    _last_read = row[0]
    return _last_read


def _now():
    return int(time.time() * 1000)


def bump_content_version():
    """Move the version on, in the current transaction: readers see the new version exactly
    when they see the change."""
    moved = ContentVersion.objects.filter(pk=1).update(
        value=Greatest(F("value") + 1, Value(_now()))
    )
    if not moved:
        ContentVersion.objects.get_or_create(pk=1, defaults={"value": _now()})


_batch = threading.local()


@contextmanager
def changes_batched():
    """Within this block content changes move the version once, at the end, not per object.

    An import saves tens of thousands of objects; moving the shared version for each would cost
    two cache writes apiece.
    An exception leaving the block means its transaction was rolled back: nothing changed,
    so the version stays (a dry run, a failed import).
    """
    outer = getattr(_batch, "active", False)
    _batch.active = True
    try:
        yield
    finally:
        _batch.active = outer
    if not outer:
        content_changed()


def content_changed(**_signal_kwargs):
    """Call (or connect) on any change to content: the version moves with it."""
    if getattr(_batch, "active", False):
        return
    bump_content_version()


def rendered_get(key, shared=True):
    """A rendered page or fragment: from this process's memory, else (if it may be there) from
    the shared cache."""
    local = caches["rendered"]
    value = local.get(key)
    if value is None and shared:
        value = cache.get(key)
        if value is not None:
            local.set(key, value, PAGE_TIMEOUT)
    return value


def rendered_set(key, value, shared=True):
    if shared:
        cache.set(key, value, PAGE_TIMEOUT)
    caches["rendered"].set(key, value, PAGE_TIMEOUT)


def request_content_version(request):
    """The content version, read once per request."""
    if not hasattr(request, "content_version"):
        request.content_version = content_version()
    return request.content_version


def cached_fragment(request, name, *key_parts, render):
    """HTML shared by every reader of the current content, rendered once per content version.

    `render` is called only on a miss, so the queries it needs run only then. Every value that
    changes the HTML, apart from the content and the language, must be among `key_parts`.
    Signed-in editors always get a fresh rendering, as they do whole pages.
    """
    if request.user.is_authenticated:
        return mark_safe(render())  # noqa: S308 -- as below
    # The script prefix: every link in a fragment starts with it.
    parts = "\n".join(str(part) for part in (get_language(), get_script_prefix(), *key_parts))
    digest = hashlib.sha256(parts.encode()).hexdigest()
    key = f"netfree:fragment:{request_content_version(request)}:{name}:{digest}"
    html = rendered_get(key)
    if html is None:
        html = str(render())
        if not budget_exhausted():  # else some text is shown plain: render it again next time
            rendered_set(key, html)
    return mark_safe(html)  # noqa: S308 -- our own templates' output, escaped when rendered


@functools.cache
def uncached_prefixes():
    """What the page cache never keeps: the admin and the editor's addresses (signed-in work),
    uploaded media and static files, and the downloads (served as files, validators of their
    own)."""
    prefix = get_script_prefix()  # matched against path_info, which is without it
    names = ["admin:index", "markdownx_markdownify", "markdownx_upload", "countries:data"]
    paths = set()
    for language, _name in settings.LANGUAGES:  # the downloads under each language's prefix
        with translation.override(language):
            paths |= {f"/{reverse(name)[len(prefix) :]}" for name in names}
    return (
        *sorted(paths),
        f"/{settings.MEDIA_URL.lstrip('/')}",
        f"/{settings.STATIC_URL.lstrip('/')}",
    )


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(uncached_prefixes())
    )


def page_key(version, request):
    """The page's key: everything that changes what a page says, nothing a client can vary
    without changing it (`?&` is no query at all)."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    # The language is the path's, but for the API's, negotiated (netfree/languages.py).
    language = getattr(request, "LANGUAGE_CODE", "")
    parts = (request.scheme, request.get_host(), get_script_prefix(), request.path, query, language)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"netfree:page2:{version}:{digest}"  # page2: bodies by encoding


def shareable(request):
    """Whether a page may go to the shared cache: only for the site's own names for itself.

    Any query string, and any host other than one the site is configured with (Django accepts
    "example.org:1", ":2", … for "example.org"), would let a client make new keys at will; such
    pages are kept in this process's bounded memory only.
    """
    if request.GET:
        return False
    host = request.get_host()
    domain, port = split_domain_port(host)
    return (
        domain in settings.ALLOWED_HOSTS
        and host in (domain, f"{domain}:{port}")  # as configured: lowercase
        and port in ("", request.META.get("SERVER_PORT"))
    )


class PublicPageCacheMiddleware:
    """Serves anonymous GETs from the shared cache; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            response.headers.setdefault("Cache-Control", "private, no-cache")
            return response
        version = request_content_version(request)
        key = page_key(version, request)
        shared = shareable(request)
        stored = rendered_get(key, shared)
        if stored is None:
            response = self.get_response(request)
            if not self.storable(response):
                return response
            # A view's own validators (the API sets them) win over the page-level ones.
            if response.has_header("ETag"):
                etag, last_modified = response["ETag"], response.get("Last-Modified")
            else:
                etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
                last_modified = http_date(version / 1000)
            patch_vary_headers(response, ["Accept-Encoding"])
            headers = dict(response.headers)
            marks = {
                m: getattr(response, m) for m in MARKS_FOR_OUTER_MIDDLEWARE if hasattr(response, m)
            }
            bodies = {
                None: response.content,
                **compressed_variants(
                    response.get("Content-Type", ""), response.content, smallest=shared
                ),
            }
            stored = (response.status_code, headers, bodies, etag, last_modified, marks)
            rendered_set(key, stored, shared)
        status, headers, bodies, etag, last_modified, marks = stored
        encoding = best_encoding(request.headers.get("Accept-Encoding"), bodies)
        etag = variant_etag(etag, encoding)
        if self.not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
            for name, value in headers.items():  # what a 304 must repeat
                if name.lower().startswith("access-control-") or name.lower() == "vary":
                    response[name] = value
        else:
            response = HttpResponse(bodies[encoding], status=status)
            for name, value in headers.items():
                response[name] = value
            response["Content-Length"] = str(len(bodies[encoding]))
            if encoding:
                response["Content-Encoding"] = encoding
        for mark, value in marks.items():
            setattr(response, mark, value)
        return self.finish(response, etag, last_modified)

    @staticmethod
    def storable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Set-Cookie" not in response
            and "private" not in response.get("Cache-Control", "")
            and not getattr(response, "markdown_incomplete", False)
        )

    @staticmethod
    def not_modified(request, etag, last_modified):
        if "If-None-Match" in request.headers:  # takes precedence, as RFC 9110 says
            # A weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; any tag of a list.
            tags = parse_etags(request.headers["If-None-Match"])
            return "*" in tags or etag.removeprefix("W/") in (t.removeprefix("W/") for t in tags)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        modified = parse_http_date_safe(last_modified or "")
        return since is not None and modified is not None and modified <= since

    @staticmethod
    def finish(response, etag, last_modified):
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = last_modified
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL
        return response
