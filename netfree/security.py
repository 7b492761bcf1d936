"""Who is signing in (the client's address, a log line for every sign-in, failure and lock-out),
and requests refused at the door.

Lock-outs themselves are django-axes's (settings: "Login protection"); this module gives it the
right address behind a proxy and writes the audit trail to the `netfree.security` logger.
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

log = logging.getLogger("netfree.security")


def client_ip(request):
    """The address of whoever sent the request.

    Behind our proxy (DJANGO_BEHIND_PROXY=1) that is the last address in X-Forwarded-For: the
    one our proxy appended. Addresses before it were written by the client and prove nothing;
    trusting them would let an attacker pick a new address for every guess.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def _address(request):
    return client_ip(request) if request is not None else "unknown"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    log.info("sign-in: user %r from %s", user.get_username(), _address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    if user is not None:
        log.info("sign-out: user %r from %s", user.get_username(), _address(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    # `credentials` has the password removed by Django; only the username is logged.
    log.warning(
        "failed sign-in: username %r from %s", credentials.get("username"), _address(request)
    )


@receiver(user_locked_out)
def log_lock_out(sender, request, username, ip_address, **kwargs):
    log.warning(
        "locked out: username %r from %s for %s after %d failures",
        username,
        ip_address,
        settings.AXES_COOLOFF_TIME,
        settings.AXES_FAILURE_LIMIT,
    )


class NullCharacterMiddleware:
    """A 400 for a NUL character in the address or the query string.

    No page has a use for one, and PostgreSQL refuses text holding it (a DataError, so a 500
    instead of "not found" for `/blocked-sites/%00/` or `?q=%00`). Forms already refuse NUL in
    what they receive (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            return HttpResponseBadRequest(
                "A NUL character has no place in an address.", content_type="text/plain"
            )
        return self.get_response(request)


class RequestLimitsMiddleware:
    """Request bodies are refused before anything reads them.

    Django reads a body when a view or the CSRF check asks for its fields, and spools file
    parts to disk whatever their size: an anonymous 200 MB POST to the upload address filled
    168 MB of disk before its 403. Here a body larger than the address allows is a 413, and the
    editor's own addresses (preview, upload) answer anyone but an editor with a 403, unread.
    Behind the app, gunicorn and the proxy limit headers and request lines (README, "Threat
    model").
    """

    def __init__(self, get_response):
        from countries.editor.access import can_edit_entries
        from countries.editor.uploads import MAX_UPLOAD_BYTES

        self.get_response = get_response
        self.can_edit_entries = can_edit_entries
        self.editor_limits = {
            reverse("markdownx_upload"): MAX_UPLOAD_BYTES + 64 * 1024,
            reverse("markdownx_markdownify"): settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        }

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(
                "Content-Length is not a number.", content_type="text/plain"
            )
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.path in self.editor_limits:
            if not self.can_edit_entries(request.user):
                return HttpResponseForbidden("For editors only.", content_type="text/plain")
            limit = self.editor_limits[request.path]
        if length > limit:
            message = _("This is larger than the %(limit)s this address accepts.") % {
                "limit": filesizeformat(limit)
            }
            if request.path in self.editor_limits:  # the editor shows it (admin-markdown.js)
                return JsonResponse({"error": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
