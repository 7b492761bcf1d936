"""Three editors saving and previewing at once on the embedded SQLite database, as `make run`
serves it: no server errors, and every save the server confirmed is really stored.

Why: on `make run` (a SQLite file, runserver's threads) an editor's save answered a 500,
"database is locked", whenever colleagues had entries open. Each change page sends about fifteen
live previews to /markdownx/markdownify/ at once, every request rewrote the session, and a
deferred SQLite transaction that has read (the save's conflict check) fails at once, without
waiting, when it tries to write while another connection is writing. The settings now open
SQLite with WAL, IMMEDIATE transactions and a 20 s timeout, and sessions are saved at most every
five minutes (netfree/sessions.py).

This drives a real runserver process over HTTP, signed in through the login page, posting
forms and previews the way the browser and the markdownx script do. It always runs on its own
SQLite file, whatever database the rest of the suite uses.
"""

import html
import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest

from .forms import read_form

pytestmark = pytest.mark.once  # a server of its own on a SQLite file, whatever the tier's

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-password-for-three-editors"
EDITORS = ["amira", "bolat", "chen"]
ENTRIES = ["kazakhstan", "kyrgyzstan", "uzbekistan"]
ROUNDS = 4
# Rounds in which all three editors open and save the same entry: the conflict check may refuse
# some of them. In the other rounds each editor has an entry of their own.
SHARED_ROUNDS = {1, 3}
PREVIEWS_PER_PAGE = 15
BROWSER_CONNECTIONS = 6  # what a browser opens to one host over HTTP/1.1
REQUEST_TIMEOUT = 45  # longer than SQLite's 20 s busy timeout, so a wait is not taken as an error

# What `make run` does before serving (migrate, load_initial_data), in one process rather than
# two to save a Django start-up; then two more entries and the three editors.
SETUP = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
from countries.models import Country

call_command("migrate", interactive=False, verbosity=0)
call_command("load_initial_data", verbosity=0)
for name, slug, code in [("Kyrgyzstan", "kyrgyzstan", "KG"), ("Uzbekistan", "uzbekistan", "UZ")]:
    Country.objects.create(
        name=name, slug=slug, iso_code=code, region="143", summary=name + " has a summary.",
        is_published=True,
    )
for username in {EDITORS!r}:
    get_user_model().objects.create_superuser(username, username + "@example.org", {PASSWORD!r})
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tail(path, lines=60):
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def server(tmp_path):
    """`make run` on a SQLite file of its own: migrate, load the fixtures, serve threaded."""
    database = tmp_path / "db.sqlite3"
    # As `make run` does: DJANGO_DEBUG=1 and nothing else of the suite's settings.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_")) and key != "REDIS_URL"
    }
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_DOWNLOADS_ROOT=str(tmp_path / "downloads"),
        PYTHONUNBUFFERED="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, f"setting up the database:\n{result.stdout}{result.stderr}"

    port = free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"runserver exited:\n{tail(log)}"
            assert time.monotonic() < deadline, f"runserver did not answer:\n{tail(log)}"
            try:
                urllib.request.urlopen(f"{url}/robots.txt", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield url, database, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back redirects and errors as they are: the test looks at every status itself."""

    def http_response(self, request, response):
        return response


class Editor:
    """One editor's browser: her own cookies, every response recorded."""

    def __init__(self, base, username):
        self.base = base
        self.username = username
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _KeepEveryResponse()
        )
        self.responses = []  # (status, method, path, body) of every request
        self.lock = threading.Lock()

    def request(self, method, path, body=None, headers=None):
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers={"Accept": "*/*", **(headers or {})}
        )
        if method == "POST":
            request.add_header("Origin", self.base)
            request.add_header("Referer", self.base + path)
        with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            answer = response.status, response.read().decode("utf-8", "replace")
        with self.lock:
            self.responses.append((answer[0], method, path, answer[1]))
        return answer

    def get(self, path):
        return self.request("GET", path, headers={"Accept": "text/html"})

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        content_type = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}
        return self.request("POST", path, body, content_type)

    def sign_in(self):
        status, page = self.get("/admin/login/?next=/admin/")
        assert status == 200, page[:500]
        fields = read_form(page, "login-form")
        fields.update(username=self.username, password=PASSWORD)
        status, page = self.post_form("/admin/login/?next=/admin/", fields)
        assert status == 302, f"{self.username} could not sign in: {status} {page[:500]}"

    def preview(self, url, token, content):
        """What markdownx's script posts: multipart form data, the token in it."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (("content", content), ("csrfmiddlewaretoken", token))
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Requested-With": "XMLHttpRequest",
        }
        return self.request("POST", url, body, headers)


def open_type_and_save(editor, change_url, marker):
    """One editor's turn: open the entry, let the previews run, type the marker, save.

    Returns "confirmed" (the admin redirected), "refused" (the edit-conflict page) or the
    status and an excerpt of anything else.
    """
    status, page = editor.get(change_url)
    if status != 200:
        return f"change page answered {status}"
    form = read_form(page, "country_form")
    token = form["csrfmiddlewaretoken"]
    preview_url = html.unescape(
        re.search(r'data-markdownx-urls-path="([^"]+)"', page)[1]
    )  # `?entry=<pk>`: the entry's own articles are quoted in the preview
    textarea = r'<textarea[^>]*name="([^"]+)"[^>]*data-markdownx'
    markdown_fields = re.findall(textarea, page) or ["summary_en"]
    # On load the script previews every Markdown field; then each pause in typing sends one.
    contents = [form.get(name, "") for name in markdown_fields]
    typing = PREVIEWS_PER_PAGE - len(contents)
    contents += [marker[: len(marker) * (step + 1) // typing] for step in range(max(typing, 0))]
    with ThreadPoolExecutor(BROWSER_CONNECTIONS) as connections:
        answers = list(connections.map(partial(editor.preview, preview_url, token), contents))
    for status, body in answers:
        if status != 200:
            return f"a preview answered {status}: {excerpt(body)}"

    form["summary_en"] = marker
    status, page = editor.post_form(change_url, {**form, "_save": "Save"})
    if status == 302:
        return "confirmed"
    if status == 200 and "This entry was changed by" in page:
        return "refused"
    return f"save answered {status}: {excerpt(page)}"


def excerpt(body):
    """The exception of Django's debug page, or the start of any other body."""
    found = re.search(r'<pre class="exception_value">(.*?)</pre>', body, re.S)
    if found:
        return html.unescape(found[1]).strip()[:300]
    found = re.search(r"^(\w+(?:Error|Exception)[^\n]*)", body, re.M)  # plain-text debug page
    return (found[1] if found else re.sub(r"\s+", " ", body))[:300]


def stored_summaries(database):
    """Each entry's summary now, and every summary its saved revisions hold, in save order."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        current = dict(db.execute("SELECT slug, summary_en FROM countries_country"))
        slugs = dict(db.execute("SELECT CAST(id AS TEXT), slug FROM countries_country"))
        rows = db.execute(
            "SELECT v.object_id, v.serialized_data FROM reversion_version v"
            " JOIN django_content_type t ON t.id = v.content_type_id"
            " WHERE t.app_label = 'countries' AND t.model = 'country' ORDER BY v.revision_id"
        ).fetchall()
    revisions = {slug: [] for slug in current}
    for object_id, data in rows:
        if object_id in slugs:
            revisions[slugs[object_id]].append(json.loads(data)[0]["fields"]["summary_en"])
    return current, revisions


def test_three_editors_save_and_preview_at_once_without_errors_or_lost_saves(server):
    base, database, log = server
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        pks = dict(db.execute("SELECT slug, id FROM countries_country"))
    editors = [Editor(base, username) for username in EDITORS]
    for editor in editors:
        editor.sign_in()

    outcomes = []  # (round, editor, slug, marker, outcome)
    outcomes_lock = threading.Lock()
    start = threading.Barrier(len(editors), timeout=120)

    def work(index, editor):
        for round_ in range(ROUNDS):
            shared = round_ in SHARED_ROUNDS
            slug = ENTRIES[round_ % 3] if shared else ENTRIES[(index + round_) % 3]
            marker = f"Summary by {editor.username} in round {round_} {uuid.uuid4().hex[:10]}."
            start.wait()  # the three begin each round together
            try:
                outcome = open_type_and_save(
                    editor, f"/admin/countries/country/{pks[slug]}/change/", marker
                )
            except Exception as error:  # a dropped connection or a timeout is a failure too
                outcome = f"{type(error).__name__}: {error}"
            with outcomes_lock:
                outcomes.append((round_, editor.username, slug, marker, outcome))

    threads = [threading.Thread(target=work, args=item) for item in enumerate(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    server_errors = [
        f"{editor.username}: {status} {method} {path}: {excerpt(body)}"
        for editor in editors
        for status, method, path, body in editor.responses
        if status >= 500
    ]
    assert not server_errors, (
        f"{len(server_errors)} server errors:\n"
        + "\n".join(server_errors[:10])
        + f"\n\nrunserver log:\n{tail(log, 40)}"
    )
    assert len(outcomes) == ROUNDS * len(EDITORS), outcomes
    unexpected = [item for item in outcomes if item[4] not in {"confirmed", "refused"}]
    assert not unexpected, f"{unexpected}\n\nrunserver log:\n{tail(log, 40)}"
    # With nobody else on the entry, the conflict check has nothing to refuse.
    assert not [
        item for item in outcomes if item[4] == "refused" and item[0] not in SHARED_ROUNDS
    ], outcomes
    for username in EDITORS:
        assert any(u == username and o == "confirmed" for _r, u, _s, _m, o in outcomes), outcomes

    current, revisions = stored_summaries(database)
    for slug in ENTRIES:
        confirmed = [m for _r, _u, s, m, o in outcomes if s == slug and o == "confirmed"]
        refused = [m for _r, _u, s, m, o in outcomes if s == slug and o == "refused"]
        saved = [text for text in revisions[slug] if text in confirmed + refused]
        # Every confirmed save is one revision, a refused one is none, and the newest is shown.
        assert sorted(saved) == sorted(confirmed), (slug, saved, outcomes)
        assert current[slug] == saved[-1], (slug, current[slug], saved)
        last_round = max(r for r, _u, s, _m, o in outcomes if s == slug and o == "confirmed")
        assert saved[-1] in [m for r, _u, s, m, o in outcomes if r == last_round and s == slug]
        status, page = editors[0].get(f"/countries/{slug}/")
        assert status == 200 and saved[-1] in page, (slug, status, excerpt(page))
