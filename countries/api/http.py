"""Conditional GETs for the API: an ETag and Last-Modified on every answer, and 304s.

The ETag is the content version (countries.cache), so a client's If-None-Match is answered
without rendering anything. Last-Modified is when a *published* entry last changed (a draft's
edits neither move it nor reveal the draft); clients that send If-None-Match, which takes
precedence, are never misled by what it cannot see (a source edited, an entry unpublished).
CORS headers come from django-cors-headers (settings: CORS_*).
"""

import functools
import hashlib
import json

from django.db.models import Max
from django.http import JsonResponse
from django.utils.cache import quote_etag
from django.utils.translation import get_language
from django.views.decorators.http import condition

from ..cache import request_content_version
from ..models import Country
from ..models.translated import content_languages


def content_etag(request, slug=None, **kwargs):
    # A missing entry has no representation: no ETag, so If-None-Match cannot answer for it.
    if slug is not None and not Country.objects.published().filter(slug=slug).exists():
        return None
    # Each language's answer is a representation of its own.
    return quote_etag(f"{request_content_version(request)}-{get_language()}")


def published_last_modified(request, *args, **kwargs):
    """When published content last changed: one aggregate query."""
    return Country.objects.published().aggregate(latest=Max("updated_at"))["latest"]


conditional = condition(etag_func=content_etag, last_modified_func=published_last_modified)


def known_language(view):
    """`?lang=` must name a language of the content (settings.LANGUAGES), or the API says so:
    a typo never silently answers in English."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        requested = request.GET.get("lang")
        if requested is not None and requested not in content_languages():
            detail = f"lang must be one of: {', '.join(content_languages())}."
            return JsonResponse({"detail": detail}, status=422)
        return view(request, *args, **kwargs)

    return checked


@functools.cache
def schema_digest(api):
    document = json.dumps(api.get_openapi_schema(), sort_keys=True, default=str)
    return quote_etag(hashlib.sha256(document.encode()).hexdigest()[:32])


def schema_conditional(api):
    """The OpenAPI document's validators: its own hash, and no date (it is not data)."""
    return condition(etag_func=lambda request, *args, **kwargs: schema_digest(api))
