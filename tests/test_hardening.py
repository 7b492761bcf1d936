"""Production hardening: security headers everywhere, login lock-out, the admin's address, 503s."""

import datetime
import logging
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from .helpers import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
REQUIRED_CSP = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]

# Uploaded files: stricter still (nothing at all may load from them).
MEDIA_CSP = [d.replace("'self'", "'none'") if d.startswith(("default", "form")) else d
             for d in REQUIRED_CSP]  # fmt: skip


def policy(response):
    return {d.strip() for d in response["Content-Security-Policy"].split(";")}


def assert_hardened(response, required_csp=REQUIRED_CSP):
    directives = policy(response)
    for directive in required_csp:
        assert directive in directives, (directive, directives)
    script_src = next((d for d in directives if d.startswith("script-src")), "")
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def https(settings):
    """What production sends over HTTPS (the suite itself runs on plain HTTP)."""
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


@pytest.fixture
def stored_image(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return "/media/uploads/map.png"


def test_every_kind_of_response_carries_the_security_headers(
    https, client, admin_client, kazakhstan, stored_image
):
    media = client.get(stored_image, secure=True)
    assert media.status_code == 200
    assert_hardened(media, [*MEDIA_CSP, "sandbox"])
    responses = {
        "public page": client.get("/countries/kazakhstan/", secure=True),
        "public page from the cache": client.get("/countries/kazakhstan/", secure=True),
        "admin page": admin_client.get("/admin/countries/country/", secure=True),
        "login page": client.get(LOGIN_URL, secure=True),
        "not found": client.get("/countries/atlantis/", secure=True),
        "static file": client.get("/static/countries/site.css", secure=True),
    }
    assert responses["not found"].status_code == 404
    # Every other response is the kind it is named for: a static file that was not found would
    # be the 404 page, and its headers would say nothing of the static files'.
    for name, response in responses.items():
        assert response.status_code == (404 if name == "not found" else 200), name
        assert_hardened(response)


def test_the_embeddable_map_may_be_framed_by_other_sites_and_nothing_else(client, kazakhstan):
    for _ in range(2):  # rendered, then from the page cache: the same headers
        embed = client.get("/embed/map/")
        assert "frame-ancestors *" in policy(embed)
        assert "X-Frame-Options" not in embed
        assert "object-src 'none'" in policy(embed)
    assert "frame-ancestors 'none'" in policy(client.get("/"))


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, editor):
    client.get(LOGIN_URL)
    response = client.post(LOGIN_URL, {"username": "editor", "password": EDITOR_PASSWORD})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 8 * 3600
    assert settings.CSRF_COOKIE_HTTPONLY


def test_a_session_slides_without_a_write_on_every_request(client, editor):
    """Signed out after 8 hours without activity; active editors stay signed in, and their
    requests (a dozen previews a page) do not each rewrite the session."""
    from django.contrib.sessions.models import Session

    client.force_login(editor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    client.get("/admin/")  # first request: stamps the session
    stamped = expiry()
    with CaptureQueriesContext(connection) as queries:
        client.post("/markdownx/markdownify/", {"content": "*x*"})
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert expiry() == stamped
    # Five minutes later, the next request moves the expiry on.
    session = client.session
    session["_netfree_refreshed"] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    before = expiry()
    client.post("/markdownx/markdownify/", {"content": "*x*"})
    assert expiry() > before


# Login protection -----------------------------------------------------------------------------


def sign_in(client, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN_URL,
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_wrong_passwords_lock_the_account_out_from_that_address(client, editor, caplog):
    caplog.set_level(logging.INFO, logger="netfree.security")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong-password").status_code == 200  # the form again
    locked = sign_in(client, "wrong-password")
    assert locked.status_code == 429
    assert "try again in 15 minutes" in locked.content.decode()
    refused = sign_in(client, EDITOR_PASSWORD)  # even the right password, while locked
    assert refused.status_code == 429 and not signed_in(refused)
    messages = [record.getMessage() for record in caplog.records]
    assert sum("failed sign-in: username 'editor' from 203.0.113.7" in m for m in messages) >= 5
    assert any("locked out: username 'editor' from 203.0.113.7" in m for m in messages)
    assert not any(EDITOR_PASSWORD in m or "wrong-password" in m for m in messages)


def test_a_lock_out_is_per_address_so_an_attacker_cannot_lock_an_editor_out(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-password", address="198.51.100.66")
    assert sign_in(client, EDITOR_PASSWORD, address="198.51.100.66").status_code == 429
    assert signed_in(sign_in(client, EDITOR_PASSWORD, address="203.0.113.7"))


def test_the_lock_lifts_after_the_cool_off(client, editor, caplog):
    caplog.set_level(logging.INFO, logger="netfree.security")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-password")
    assert sign_in(client, EDITOR_PASSWORD).status_code == 429
    # A quarter of an hour passes.
    cool_off = settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cool_off)
    assert signed_in(sign_in(client, EDITOR_PASSWORD))
    assert any("sign-in: user 'editor' from 203.0.113.7" in r.getMessage() for r in caplog.records)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings, client, editor):
    """Forged X-Forwarded-For entries from the client cannot dodge the lock-out."""
    settings.BEHIND_PROXY = True
    for forged in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            client,
            "wrong-password",
            address="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, 203.0.113.7",
        )
    locked = sign_in(
        client, EDITOR_PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7"
    )
    assert locked.status_code == 429
    other_reader = sign_in(
        client, EDITOR_PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert signed_in(other_reader)


def test_passwords_need_twelve_characters_and_must_not_be_common():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("Sh0rt-pass", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")


# The admin's address and database outages (in processes of their own: settings differ) -------


def run_django(code, **env):
    environment = {**os.environ, **env}
    environment.pop("DJANGO_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "netfree.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_admin_address_is_configurable():
    code = (
        "from django.urls import reverse, resolve, Resolver404; print(reverse('admin:index'));"
        "print(reverse('editor_guide'));"
        'exec(\'try: resolve("/admin/"); print("found")\\nexcept Resolver404: print("gone")\')'
    )
    result = run_django(code, DJANGO_ADMIN_URL="editors-desk")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/editors-desk/", "/editors-desk/guide/", "gone"]


def test_pages_say_503_with_retry_after_while_the_database_is_unreachable(unused_port):
    code = (
        "from django.test import Client; c = Client(raise_request_exception=False);"
        "r = c.get('/countries/kazakhstan/');"
        "print(r.status_code, r.get('Retry-After'), 'Back in a moment' in r.content.decode(),"
        " \"default-src 'self'\" in r.get('Content-Security-Policy', ''), r.get('X-Frame-Options'))"
    )
    result = run_django(code, DATABASE_URL=f"postgres://nobody@127.0.0.1:{unused_port}/netfree")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "30", "True", "True", "DENY"]


def test_a_session_lost_to_a_database_outage_is_a_503_not_a_bad_request(rf):
    """SessionMiddleware turns a failed session save into SessionInterrupted (400)."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.db import OperationalError

    from countries.public.views.errors import bad_request

    def interrupted_by(cause):
        try:
            try:
                raise UpdateError from cause
            except UpdateError as error:
                raise SessionInterrupted("The session was deleted.") from error
        except SessionInterrupted as error:
            return error

    outage = bad_request(rf.post("/admin/"), interrupted_by(OperationalError("server closed")))
    assert outage.status_code == 503 and outage["Retry-After"] == "30"
    really_bad = bad_request(rf.post("/admin/"), interrupted_by(None))
    assert really_bad.status_code == 400


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there
