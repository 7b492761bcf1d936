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
from django.http import HttpResponseBadRequest

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
