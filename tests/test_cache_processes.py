"""The page cache across processes: an edit saved through one server process shows on the very
next request to another, as when gunicorn runs several workers or several machines serve."""

import http.cookiejar
import os
import re
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from .forms import read_form
from .helpers import (
    EDITOR_PASSWORD,
    fetch,
    free_port,
    manage,
    production_environment,
    start_gunicorn,
    wait_until_up,
)

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def two_servers(shared_database):
    env = production_environment(shared_database)
    manage(env, "migrate", "-v0")
    manage(env, "load_initial_data", "-v0")
    manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org")
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            servers.append((f"http://127.0.0.1:{port}", start_gunicorn(env, port)))
        for url, _process in servers:
            wait_until_up(url)
        yield [url for url, _process in servers]
    finally:
        for _url, process in servers:
            process.terminate()
            process.wait(timeout=20)


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
    form["summary_en"] = "Saved through the first process."
    editor.addheaders = [("Referer", change)]
    fetch(change, editor, form)

    assert "Saved through the first process." in fetch(page)
    assert "Saved through the first process." in fetch(f"{reader}/")
    assert "Saved through the first process." in fetch(f"{reader}/api/v1/countries/kazakhstan/")
