"""The page cache across processes: an edit saved through one server process shows on the very
next request to another, as when gunicorn runs several workers or several machines serve."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from .conftest import EDITOR_PASSWORD
from .forms import read_form

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def shared_database(tmp_path):
    """A database of its own, on the engine this tier runs, reachable by other processes."""
    if connection.vendor == "postgresql":
        import psycopg

        server = os.environ["DATABASE_URL"]
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute('DROP DATABASE IF EXISTS "netfree_two_processes"')
            admin.execute('CREATE DATABASE "netfree_two_processes"')
        parts = urllib.parse.urlsplit(server)
        yield urllib.parse.urlunsplit(parts._replace(path="/netfree_two_processes"))
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute('DROP DATABASE IF EXISTS "netfree_two_processes" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def environment(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="two-processes",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_HTTPS="0",  # plain HTTP on the loopback
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture
def two_servers(shared_database):
    env = environment(shared_database)
    manage(env, "migrate", "-v0")
    manage(env, "load_initial_data", "-v0")
    manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org")
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(
                (
                    f"http://127.0.0.1:{port}",
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "-c",
                            "gunicorn.conf.py",
                            "netfree.wsgi",
                        ],
                        cwd=settings.BASE_DIR,
                        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    ),
                )
            )
        for url, _process in servers:
            wait_until_up(url)
        yield [url for url, _process in servers]
    finally:
        for _url, process in servers:
            process.terminate()
            process.wait(timeout=20)


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


def fetch(url, opener=None, data=None):
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data, doseq=True).encode() if data else None
    )
    with (opener or urllib.request.build_opener()).open(request, timeout=20) as response:
        return response.read().decode()


def test_an_edit_through_one_process_shows_at_once_on_the_other(two_servers):
    writer, reader = two_servers
    page = f"{reader}/countries/kazakhstan/"
    assert "censorship of opposition views" in fetch(page)
    assert fetch(page) == fetch(page)  # served from the shared cache now

    editor = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = fetch(f"{writer}/admin/login/", editor)
    token = read_form(login, "login-form")["csrfmiddlewaretoken"]
    credentials = {"username": "editor", "password": EDITOR_PASSWORD, "next": "/admin/"}
    fetch(f"{writer}/admin/login/", editor, {"csrfmiddlewaretoken": token, **credentials})
    changelist = fetch(f"{writer}/admin/countries/country/", editor)
    change = writer + re.search(r'href="(/admin/countries/country/\d+/change/)', changelist)[1]
    form = read_form(fetch(change, editor), "country_form")
    form["summary"] = "Saved through the first process."
    editor.addheaders = [("Referer", change)]
    fetch(change, editor, form)

    assert "Saved through the first process." in fetch(page)
    assert "Saved through the first process." in fetch(f"{reader}/")
    assert "Saved through the first process." in fetch(f"{reader}/api/v1/countries/kazakhstan/")
