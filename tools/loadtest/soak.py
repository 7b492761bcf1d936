"""`make soak`: readers and an editor at once through a PostgreSQL restart, or through Redis
pausing and restarting (--fault redis); was anything lost, was an old page ever served?

Run by scripts/soak as `python -m tools.loadtest.soak` from the project's root; scripts/soak
starts a throwaway PostgreSQL and tells this module how to restart it (SOAK_PG_CTL,
SOAK_PG_DATA, SOAK_PG_LOG); the restart keeps the server's start options, read back from its
postmaster.opts.

What happens, for --duration seconds (90; 20 with --quick):

- Set-up: a fresh database (`migrate`, `generate_sample_data`, every entry published, as the
  bench does), a superuser for the editor with a random strong password, and gunicorn with the
  production profile (`gunicorn -c gunicorn.conf.py netfree.wsgi`, DEBUG off, WEB_CONCURRENCY=3
  for this 2-core machine, like the bench). The shared cache is the database unless
  `--cache redis` (a redis-server of the soak's own, on a free port; implied by
  `--fault redis`).
- Readers: wrk (-t2 -c32, anonymous) in back-to-back slices of --slice seconds, each request
  taking the next of a few public paths (the home page, the entries being edited and others,
  an API detail; a small wrk Lua script rotates them). Each slice gives a request rate and its
  errors (non-2xx/3xx answers and socket errors).
- A prober: about 20 anonymous GETs a second of the edited entries' pages in turn, each
  timestamped with its status or exception, so the outage's start and end are known to a few
  tens of milliseconds, and each page's edit marker noted: a page requested after the editor got
  the confirmation of an edit of that entry must show that edit's marker (or a later one);
  one that shows an older marker, or none, is a *stale page*. (With --fault redis, every other
  round of the prober also makes the site ask Redis: see below.)
- An editor, a browser-like client of its own: signs in through the admin's login form
  (CSRF token, cookies) before the load starts, then, at most once every --edit-interval
  seconds (under this load the admin's own answers take longer, and set the pace), opens the
  change form of one of a few entries (round robin), reads the whole form as a browser would
  (inline formsets and the entry's version for the no-lost-updates check included), replaces
  the summary's marker with a new one ("Soak edit 17.") and saves. An edit is *confirmed* when
  the admin answers with its redirect to the list; *refused* when it shows the form again (its
  errors are printed once); *failed* when the answer is an error or none. Failed edits are
  simply not counted on; the next round opens a fresh form.
- The fault, `--fault postgres` (the default): at half time PostgreSQL is stopped (`pg_ctl stop
  -m fast`, which ends every connection), kept down --down seconds (3; a throwaway cluster with
  fsync off restarts in a fraction of a second, much faster than a production server with a
  checkpoint to write and recovery to run, which would hide the outage), and started again with
  the same options.
- The fault, `--fault redis`: Redis fails twice while the database stays up, each time just as the
  editor sends a save: the first save sent after a quarter of --duration (after the first slice
  with --quick), then the first sent after half of it and GRACE seconds after Redis came back from
  the first. First it is paused (SIGSTOP: connections hang, as on a stuck server) and resumed
  (SIGCONT) holding every key it had; then it is made to write its dump (SAVE) and killed
  (SIGKILL: connections refused), and started again on the same port, where it loads that dump.
  Each time Redis comes back --down seconds after the editor's save has been answered and the site
  has logged a failure to reach it (so pages of the new version were asked of a Redis that was
  down), at most FAULT_LIMIT seconds after it went: it comes back holding pages from before a
  confirmed edit, pages that must never be served again. Every other round of the prober adds a
  query string of its own to the page, so that each such probe asks Redis (the page is in no
  worker's memory), not only the requests after an edit: the site meets each fault at once, and
  starts asking Redis again as soon as its failure pause (FAILURE_PAUSE) is over. The load runs on
  past --duration if the faults need it, until a slice has run after the second fault's window.

The restart window runs from the moment the stop is issued to the end of the first successful
probe sent after PostgreSQL is up again (`pg_ctl start -w` has returned), plus a grace of GRACE
seconds: requests that were already in flight and each worker's first request on a dead
persistent connection (CONN_HEALTH_CHECKS reconnects it) settle within that. (With
`--cache redis` cached pages are served throughout, so the probes may never fail: the window
still lasts until PostgreSQL is back, as the editor's saves need it.) Errors are allowed inside
the window and none outside it. A wrk slice that overlaps the window counts as inside; the
prober and the editor are placed by their own timestamps. A Redis fault's window runs from the
SIGSTOP (or SIGKILL) to Redis answering again (the SIGCONT, or a PING after the start), plus
GRACE; the database is up throughout, so no error is allowed anywhere: the windows only say
where an error happened and which slices are "during".

Checks afterwards, with the server still up:
- nothing lost: every confirmed edit is in the entry's history (a django-reversion version
  holding its marker); every edited entry holds its last confirmed marker, or a later one from
  an edit whose answer was lost in the outage (saved but not confirmed: reported, not an error);
  and the public page, fetched anonymously through the page cache, shows what the database holds;
- no stale page: every probe answered after an edit was confirmed shows that edit (see above);
- no errors outside the restart window (readers, prober, editor); with --fault redis, none
  inside the Redis windows either;
- recovered: a page was served within RECOVERY_LIMIT seconds of PostgreSQL accepting connections
  again, and the editor saved both before and after the restart; with --fault redis, the editor
  saved during each Redis fault (sent and confirmed while Redis was down), and Redis came back
  from each holding pages of an older content version (else the stale check proved nothing);
- the request rate held: the median of the readers' slices after the window is at least
  RATE_HELD of the median before it (judged with RATE_SLICES slices or more on each side: a
  --quick run has one or two, and reports the ratio only). Half, because slices of a few
  seconds on a shared 2-core machine, where wrk, gunicorn, PostgreSQL and the editor compete
  for the cores, vary by tens of percent between themselves; what this check is for, workers
  left stuck or reconnecting on every request after the restart, shows as a collapse, not a
  dip;
- no edit refused: with one editor and a fresh form before each save, a refusal means the
  form was not read as a browser reads it, or the admin lost track of the entry's version.

One table of figures, then the checks (PASS/FAIL); the exit status is 1 if any check failed.
wrk's output goes to test-artifacts/soak-wrk.log (its Lua script to soak-paths.lua), gunicorn's
to test-artifacts/soak-gunicorn.log, Redis's to test-artifacts/soak-redis.log, and every event of
the run in order (the faults, wrk's slices, each of the editor's requests, each failed or stale
probe) to test-artifacts/soak-timeline.log.

Usage: python -m tools.loadtest.soak [--duration 90] [--quick] [--countries 50] [--down 3]
                                     [--slice 5] [--edit-interval 0.5] [--cache database|redis]
                                     [--fault postgres|redis]
"""

import argparse
import http.client
import os
import re
import secrets
import shlex
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from netfree.redis_cache import FAILURE_PAUSE  # how long the site leaves Redis be
from tests.forms import read_form  # the admin tests' form reader: a browser's view
from tools.loadtest import wrk
from tools.loadtest.project import ARTIFACTS, ROOT, django_env, generate, manage
from tools.loadtest.redis_server import RedisServer
from tools.loadtest.report import print_table, say
from tools.loadtest.server import NO_ANSWER, Server, fetch, free_port

WORKERS = 3  # 2 cores here, as in the bench
THREADS, CONNECTIONS = 2, 32
EDITED = 4  # entries the editor goes round
GRACE = 2.0  # seconds after the first good probe that still belong to the restart window
RATE_HELD = 0.5  # after / before, at least (see the module's docstring)
# Fewer slices than this on either side (the --quick runs) is too few to tell a collapse from a
# busy machine's noise: the ratio is reported, not judged.
RATE_SLICES = 3
RECOVERY_LIMIT = 10.0  # seconds from PostgreSQL accepting connections to a page served
PROBE_INTERVAL = 0.05  # the prober's pace: about 20 requests a second
FAULT_LIMIT = 20.0  # seconds a Redis fault lasts at most, waiting for the editor's save in it
# What the site asks of Redis (Django's cache: get, set, get_many, ...), not the soak's INFO,
# PING, SCAN and SAVE: the first of these after a fault is the site using Redis again.
SITE_COMMANDS = {"get", "set", "mget", "del", "exists", "expire", "touch", "unlink", "incrby"}
PAGE_KEY = re.compile(r"netfree:(?:page|fragment):(\d+):")  # countries/cache.py's keys
EDITOR = "soak-editor"
MARKER = re.compile(r"\s*Soak edit (\d+)\.")
# Rows per entry: five times a real entry's (the Kazakhstan fixture has 4 blocked sites, 2 figures,
# 2 articles). The bench's entries of 200 sites test fixed query counts; here they would make
# each admin page take seconds on a loaded 2-core machine, and leave the editor few saves.
PER_COUNTRY = {"sites": 20, "metrics": 10, "articles": 10}
ADMIN = "/" + os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"  # as settings.py


def clock():
    return time.monotonic()


# The database and the server ----------------------------------------------------------------------


def create_editor(url):
    """A superuser with a random password that passes the project's validators."""
    password = secrets.token_urlsafe(24)
    subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput"]
        + ["--username", EDITOR, "--email", f"{EDITOR}@example.org"],
        cwd=ROOT,
        env=django_env(url, DJANGO_SUPERUSER_PASSWORD=password),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return password


def query(url, sql, params=()):
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as connection:
        return connection.execute(sql, params).fetchall()


class Postgres:
    """Stops and starts the server scripts/soak started, with the options it was started with."""

    def __init__(self):
        missing = [n for n in ("SOAK_PG_CTL", "SOAK_PG_DATA", "SOAK_PG_LOG") if n not in os.environ]
        if missing:
            raise SystemExit(
                f"{', '.join(missing)} not set: run scripts/soak (make soak), which starts a "
                "PostgreSQL server the soak may restart"
            )
        self.pg_ctl = shlex.split(os.environ["SOAK_PG_CTL"])
        self.data = os.environ["SOAK_PG_DATA"]
        self.log = os.environ["SOAK_PG_LOG"]
        # postmaster.opts: the server's own command line, `postgres "-D" "<data>" "-p" ...`.
        words = shlex.split(Path(self.data, "postmaster.opts").read_text())[1:]
        if "-D" in words:
            at = words.index("-D")
            del words[at : at + 2]  # pg_ctl passes -D itself
        self.options = shlex.join(words)
        self.times = {}

    def pg_ctl_run(self, *args):
        result = subprocess.run(
            [*self.pg_ctl, "-D", self.data, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise SystemExit(f"pg_ctl {args[-1]} failed:\n{result.stdout}{result.stderr}")

    def restart(self, down, t0):
        self.times["stop issued"] = clock() - t0
        self.pg_ctl_run("-m", "fast", "-w", "-t", "60", "stop")
        self.times["stopped"] = clock() - t0
        time.sleep(down)
        self.times["start issued"] = clock() - t0
        self.pg_ctl_run("-l", self.log, "-w", "-t", "60", "-o", self.options, "start")
        self.times["up"] = clock() - t0


class Redis(RedisServer):
    """The throwaway redis-server the site uses as its shared cache, and what it holds."""

    def page_versions(self):
        """The content version of every page and fragment Redis holds."""
        with self.client() as client:
            keys = [key.decode() for key in client.scan_iter(match="*netfree:*", count=1000)]
        return [int(m.group(1)) for key in keys if (m := PAGE_KEY.search(key))]

    def site_commands(self):
        """How many of the site's commands (reads and writes of the cache) Redis has run."""
        with self.client() as client:
            stats = client.info("commandstats")
        return sum(
            value["calls"]
            for name, value in stats.items()
            if name.removeprefix("cmdstat_") in SITE_COMMANDS
        )


@dataclass
class Fault:
    """One Redis fault; times in seconds since the load began."""

    name: str  # "pause" or "restart"
    start: float  # the SIGSTOP, or the SIGKILL
    back: float | None = None  # the SIGCONT, or the restarted server's first PONG
    steps: dict = field(default_factory=dict)  # what happened when, for the table and timeline
    keys_back: int = 0  # pages and fragments Redis held when it was back
    old_keys_back: int = 0  # ... of which under an older content version than the database's
    commands_back: int = 0  # the site's commands Redis had run when it was back
    used_again: float | None = None  # the site's first command to Redis after it was back


def first_fault_at(options):
    """When the Redis pause is armed: after a quarter of the run, or after the first slice with
    --quick (the editor's saves, seconds apart under load, set the length of the short run)."""
    return options.slice if options.quick else options.duration / 4


class RedisFaults:
    """Pauses Redis, later kills it and starts it again from its dump (see the module's
    docstring); the database at `url` says the current content version.

    Each fault is armed at its time and begins in the editor's thread (`before_save`), just as
    the editor sends its next save; Redis comes back --down seconds after that save has been
    answered and the site has logged a failure to reach Redis since the fault began.
    """

    def __init__(self, redis, url):
        self.redis, self.url = redis, url
        self.faults = []
        self.t0 = self.t0_wall = None
        self.lock = threading.Lock()
        self.armed = None  # the fault to begin as the editor sends its next save
        self.begun = threading.Event()
        self.errors = []
        self.after_from = None  # the end of the restart's window, once known
        self.over = threading.Event()  # no more faults to come
        # The rate before the faults needs one whole slice: under a loaded machine, wrk's first
        # slice can end after first_fault_at().
        self.first_slice_done = threading.Event()

    def run(self, t0, t0_wall, stop, options, saves):
        """`saves`: the editor's requests, as they are answered."""
        self.t0, self.t0_wall = t0, t0_wall
        try:
            pause = self.fault("pause", stop, options, saves, not_before=first_fault_at(options))
            if pause is None:
                return
            restart = self.fault("restart", stop, options, saves, not_before=options.duration / 2)
            if restart is None:
                return
            self.after_from = restart.back + GRACE
            self.watch(restart, stop)
        finally:
            self.over.set()

    def done(self, slices):
        """Whether the load may stop: the faults are over and a slice ran after the last one."""
        if not self.over.is_set() and self.after_from is None:
            return False
        return self.after_from is None or any(s.start >= self.after_from for s in slices)

    def now(self):
        return clock() - self.t0

    def before_save(self):
        """The editor's hook, called in its thread just before it sends a save."""
        with self.lock:
            name, self.armed = self.armed, None
        if name:
            self.begin(name)

    def begin(self, name):
        try:
            if name == "pause":
                fault = Fault(name, self.now())
                self.redis.pause()
                fault.steps["SIGSTOP sent"] = fault.start
            else:
                saving = self.now()
                self.redis.save()
                fault = Fault(name, self.now(), steps={"SAVE sent": saving})
                self.redis.kill()
                fault.steps["SIGKILL sent"] = fault.start
            self.faults.append(fault)
        except (Exception, SystemExit) as error:  # any: reported by the faults' thread
            self.errors.append(error)
        finally:
            self.begun.set()

    def fault(self, name, stop, options, saves, not_before=0.0):
        """One fault: armed at `not_before` (and GRACE after the last fault), begun as the
        editor sends its next save; until then, notes when the site uses Redis again."""
        last = self.faults[-1] if self.faults else None
        arm_at = max(not_before, last.back + GRACE if last else 0.0)
        if last:
            self.watch(last, stop, until=arm_at)
        else:
            stop.wait(max(0.0, arm_at - self.now()))
            while not self.first_slice_done.wait(0.05):
                if stop.is_set():
                    return None
        self.begun.clear()
        with self.lock:
            self.armed = name
        while not self.begun.wait(0.05):
            if last and last.used_again is None:
                self.watch(last, stop, until=self.now() + 0.05)
            if stop.is_set() or self.now() > arm_at + FAULT_LIMIT:
                with self.lock:  # no save came: begin without one (the checks will say so)
                    name, self.armed = self.armed, None
                if name and stop.is_set():
                    return None
                if name:
                    self.begin(name)
        if self.errors:
            raise self.errors[0]
        fault = self.faults[-1]
        # Down until the editor's save has been answered and the site has met the fault, and
        # --down seconds more: pages of the new version are then asked of a Redis that is down.
        while not stop.is_set():
            answered = [
                r.end for r in list(saves) if r.what.startswith("POST") and r.start >= fault.start
            ]
            met = [t for t, _, _ in redis_failures_logged(self.t0_wall) if t >= fault.start]
            if answered and met and self.now() >= max(min(answered), min(met)) + options.down:
                break
            if self.now() >= fault.start + FAULT_LIMIT:
                break
            time.sleep(0.05)
        if fault.name == "pause":
            fault.steps["SIGCONT sent"] = self.now()
            self.redis.resume()
            fault.back = self.now()
        else:
            fault.steps["start issued"] = self.now()
            self.redis.start()
            fault.back = fault.steps["answering again"] = self.now()
        (current,) = query(self.url, "SELECT value FROM countries_contentversion WHERE id = 1")[0]
        versions = self.redis.page_versions()
        fault.keys_back = len(versions)
        fault.old_keys_back = sum(version < current for version in versions)
        fault.commands_back = self.redis.site_commands()
        return fault

    def watch(self, fault, stop, until=float("inf")):
        """Note when the site first asks Redis again after `fault`, looking until `until`."""
        while fault.used_again is None and not stop.is_set() and self.now() < until:
            if self.redis.site_commands() > fault.commands_back:
                fault.used_again = self.now()
                fault.steps["used by the site again"] = fault.used_again
                break
            time.sleep(0.05)
        if until != float("inf"):
            stop.wait(max(0.0, until - self.now()))
        else:
            stop.wait()


# Readers: wrk in slices ---------------------------------------------------------------------------


LUA = """-- tools/loadtest/soak.py: each request takes the next path, round robin
-- (each thread on its own).
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


# The prober and the editor ------------------------------------------------------------------------


@dataclass
class Request:
    """One request by the prober or the editor: when (seconds since the load began), what."""

    start: float
    end: float
    outcome: str  # the status as text ("200"), or the exception's class name
    what: str = ""  # the method and path
    country: int = 0  # the prober's: the entry whose page it asked for
    markers: tuple = ()  # ... and the edit markers the page showed

    @property
    def ok(self):
        return self.outcome in ("200", "302")


def prober(port, entries, t0, stop, requests, fresh_queries=False):
    """GETs the pages of `entries` ([(pk, slug)]) in turn, noting each page's edit markers.

    With `fresh_queries`, every other round adds a query string never sent before (as a link
    with a tracking parameter does): such a page is in no worker's memory, so the worker asks
    the shared cache for it on every such probe, not only after an edit.
    """
    number = 0
    while not stop.is_set():
        pk, slug = entries[number % len(entries)]
        number += 1
        path = f"/countries/{slug}/"
        if fresh_queries and number // len(entries) % 2:
            path += f"?probe={number}"
        start = clock()
        markers = ()
        try:
            status, body = fetch(port, path, cookie=None, timeout=10)
            outcome = str(status)
            if status == 200:
                markers = tuple(int(n) for n in MARKER.findall(body.decode("utf-8", "replace")))
        except NO_ANSWER as error:
            outcome = type(error).__name__
        requests.append(Request(start - t0, clock() - t0, outcome, f"GET {path}", pk, markers))
        time.sleep(max(0.0, PROBE_INTERVAL - (clock() - start)))


def form_errors(html):
    """The admin's error messages on a form shown again, as one line of plain text."""
    parts = re.findall(r'<p class="errornote">(.*?)</p>', html, re.S)
    parts += re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    text = " | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p)).strip() for p in parts)
    return text[:2000] or "(no error message found on the page)"


class Browser:
    """One client with a cookie jar, a new connection per request (gunicorn's sync workers
    close each one anyway); every request is recorded for the timeline."""

    def __init__(self, port, t0, requests):
        self.port, self.t0, self.requests = port, t0, requests
        self.cookies = {}

    def request(self, method, path, form=None):
        """(status, Location header, body as text); raises one of NO_ANSWER when there is none."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        what = f"{method} {path}"
        start = clock()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        except NO_ANSWER as error:
            outcome = type(error).__name__
            self.requests.append(Request(start - self.t0, clock() - self.t0, outcome, what))
            raise
        finally:
            connection.close()
        outcome = str(response.status)
        self.requests.append(Request(start - self.t0, clock() - self.t0, outcome, what))
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), content

    def sign_in(self, password):
        login = f"{ADMIN}login/?next={ADMIN}"
        status, _, html = self.request("GET", login)
        if status != 200:
            raise SystemExit(f"the admin's login page answered {status}")
        form = read_form(html, "login-form")
        form.update(username=EDITOR, password=password)
        status, location, html = self.request("POST", login, form)
        if status != 302 or urlsplit(location).path != ADMIN:
            raise SystemExit(f"signing in failed ({status}): {form_errors(html)}")


@dataclass
class Edit:
    number: int
    country: int
    start: float
    end: float = 0.0
    result: str = "failed"  # confirmed, refused, failed
    detail: str = ""
    saving: float | None = None  # when the save (the POST) was sent
    confirmed: float | None = None  # when the admin's confirmation arrived


@dataclass
class Editor:
    """Goes round `countries` ([(pk, slug)]), one edit every `interval` seconds at most, as the
    user `browser` signed in as (with `password`, to sign in again if the session ends)."""

    browser: Browser
    password: str
    countries: list
    interval: float
    stop: threading.Event
    before_save: object = None  # called just before each save is sent (the Redis faults')
    edits: list = field(default_factory=list)
    refusal_shown: bool = False

    def run(self):
        browser, t0 = self.browser, self.browser.t0
        signed_in = True
        number = 0
        while not self.stop.is_set():
            started = clock()
            try:
                if not signed_in:
                    browser.sign_in(self.password)
                    signed_in = True
                pk, _slug = self.countries[number % len(self.countries)]
                number += 1
                edit = Edit(number, pk, started - t0)
                self.edits.append(edit)
                signed_in = self.edit(browser, edit)
                edit.end = clock() - t0
            except NO_ANSWER as error:  # no answer at all: the server or the network
                if self.edits and not self.edits[-1].end:
                    self.edits[-1].detail = type(error).__name__
                    self.edits[-1].end = clock() - t0
            except SystemExit as error:  # signing in failed: say why, try again later
                say(f"editor: {error}")
            self.stop.wait(max(0.0, self.interval - (clock() - started)))

    def edit(self, browser, edit):
        """Open the form, change the summary's marker, save; returns whether still signed in."""
        change = f"{ADMIN}countries/country/{edit.country}/change/"
        status, location, html = browser.request("GET", change)
        if status == 302 and "/login/" in location:
            edit.detail = "signed out"
            return False
        if status != 200:
            edit.detail = f"open: {status}"
            return True
        form = read_form(html, "country_form")
        summary = MARKER.sub("", form["summary_en"]).rstrip()
        form["summary_en"] = f"{summary}\n\nSoak edit {edit.number}."
        form["_save"] = "Save"
        if self.before_save:
            self.before_save()
        edit.saving = clock() - browser.t0
        status, location, html = browser.request("POST", change, form)
        if status == 302 and urlsplit(location).path == f"{ADMIN}countries/country/":
            edit.result = "confirmed"
            edit.confirmed = clock() - browser.t0
        elif status == 302 and "/login/" in location:
            edit.detail = "signed out"
            return False
        elif status == 200:
            edit.result = "refused"
            edit.detail = form_errors(html)
            if not self.refusal_shown:
                self.refusal_shown = True
                say(f"editor: edit {edit.number} refused: {edit.detail}")
        else:
            edit.detail = f"save: {status}"
        return True


# The run ------------------------------------------------------------------------------------------


def reader_paths(countries, others):
    paths = ["/"] + [f"/countries/{slug}/" for _pk, slug in countries]
    paths += [f"/countries/{slug}/" for slug in others]
    paths.append(f"/api/v1/countries/{countries[0][1]}/")
    return paths


def soak(url, options, postgres):
    """Drives the load and the restart; returns what the checks and the table need."""
    edited = query(
        url,
        "SELECT id, slug FROM countries_country WHERE is_published ORDER BY slug LIMIT %s",
        (EDITED,),
    )
    others = [
        slug
        for (slug,) in query(
            url,
            "SELECT slug FROM countries_country WHERE is_published ORDER BY slug DESC LIMIT 2",
        )
        if slug not in {s for _, s in edited}
    ]
    paths = reader_paths(edited, others)
    password = create_editor(url)
    port = free_port()
    host = f"127.0.0.1:{port}"
    env = django_env(
        url, DJANGO_ALLOWED_HOSTS="127.0.0.1", GUNICORN_BIND=host, WEB_CONCURRENCY=str(WORKERS)
    )
    env.pop("REDIS_URL", None)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    script = ARTIFACTS / "soak-paths.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    cache = Redis(ARTIFACTS / "soak-redis.log") if options.cache == "redis" else nullcontext()
    with cache as redis:
        if redis:
            env["REDIS_URL"] = redis.url
        if options.fault == "postgres":
            fault = postgres
            plan = f"PostgreSQL restart at T+{options.duration / 2:.0f} s, down {options.down} s"
        else:
            fault = RedisFaults(redis, url)
            plan = (
                f"Redis paused with the editor's first save after "
                f"T+{first_fault_at(options):.0f} s, killed and started again from its dump with "
                f"the first after "
                f"T+{options.duration / 2:.0f} s, each down until {options.down} s after that "
                "save's answer"
            )
        say(
            f"serving: gunicorn, production profile, {WORKERS} workers, on {host}, shared cache: "
            f"{options.cache}; readers: wrk -t{THREADS} -c{CONNECTIONS} in {options.slice} s "
            f"slices over {len(paths)} paths; editor: {len(edited)} entries, one save every "
            f"{options.edit_interval} s; {plan}"
        )
        with Server(env, port, ARTIFACTS / "soak-gunicorn.log") as server:
            for path in paths:  # every path answers before the load starts; caches warm
                for _ in range(WORKERS):
                    status, _ = fetch(port, path, cookie=None)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status} before the load")
            browser = Browser(port, clock(), [])
            browser.sign_in(password)  # before the load: the first edit can begin at once
            result = run_load(server, paths, edited, browser, password, options, fault, script)
            result.update(verify(url, port, edited, result["edits"]), paths=paths)
    return result


def run_load(server, paths, edited, browser, password, options, fault, script):
    """`fault`: a Postgres (restarted at half time) or RedisFaults (which run themselves)."""
    port = server.port
    stop = threading.Event()
    t0, t0_wall = clock(), time.time()
    probes = []
    browser.t0 = t0  # the editor's timeline starts with the load, after signing in
    browser.requests.clear()
    editor = Editor(
        browser, password, edited, options.edit_interval, stop, getattr(fault, "before_save", None)
    )
    threads = [
        threading.Thread(
            target=prober,
            args=(port, edited, t0, stop, probes, options.fault == "redis"),
            daemon=True,
        ),
        threading.Thread(target=editor.run, daemon=True),
    ]
    restart_error = []

    def restart():
        stop.wait(options.duration / 2)
        if stop.is_set():
            return
        try:
            fault.restart(options.down, t0)
        except (SystemExit, OSError, subprocess.SubprocessError) as error:
            restart_error.append(str(error))

    def redis_faults():
        try:
            fault.run(t0, t0_wall, stop, options, browser.requests)
        except (Exception, SystemExit) as error:  # any: reported once the load has stopped
            restart_error.append(f"{type(error).__name__}: {error}")

    injector = threading.Thread(
        target=restart if options.fault == "postgres" else redis_faults, daemon=True
    )
    for thread in (*threads, injector):
        thread.start()
    slices = []

    def load_left():  # --duration, or longer until a slice has run after the Redis faults
        left = options.duration - (clock() - t0)
        if options.fault == "redis" and not fault.done(slices):
            return max(left, options.slice)
        return left

    try:
        with open(ARTIFACTS / "soak-wrk.log", "w") as log:
            while (left := load_left()) >= 1:
                seconds = int(min(options.slice, left))
                slices.append(
                    wrk.run(
                        server.base,
                        seconds,
                        threads=THREADS,
                        connections=CONNECTIONS,
                        options=["-s", str(script)],
                        log=log,
                        t0=t0,
                    )
                )
                if options.fault == "redis":
                    fault.first_slice_done.set()
    finally:
        stop.set()
        injector.join(timeout=180)
        for thread in threads:
            thread.join(timeout=120)
    result = {
        "t_end": clock() - t0,
        "slices": slices,
        "probes": probes,
        "editor": browser.requests,
        "edits": editor.edits,
        "t0 wall": t0_wall,
    }
    if options.fault == "redis":
        if restart_error:
            raise SystemExit(f"the Redis faults failed: {restart_error[0]}")
        if len(fault.faults) < 2 or any(f.back is None for f in fault.faults):
            raise SystemExit("Redis was not both paused and restarted: the run ended first")
        return {**result, "faults": fault.faults}
    if restart_error:
        raise SystemExit(f"restarting PostgreSQL failed: {restart_error[0]}")
    if "up" not in fault.times:
        raise SystemExit("PostgreSQL was not restarted: the run ended before half time")
    return {**result, "pg": dict(fault.times)}


def verify(url, port, edited, edits):
    """What the database, the public pages and the history hold of the editor's edits."""
    ids = [pk for pk, _slug in edited]
    summaries = dict(
        query(url, "SELECT id, summary FROM countries_country WHERE id = ANY(%s)", (ids,))
    )
    history = {pk: [] for pk in ids}
    for object_id, data in query(
        url,
        "SELECT v.object_id, v.serialized_data FROM reversion_version v "
        "JOIN django_content_type t ON t.id = v.content_type_id "
        "WHERE t.app_label = 'countries' AND t.model = 'country' AND v.object_id = ANY(%s)",
        ([str(pk) for pk in ids],),
    ):
        history[int(object_id)].append(data)
    entries = []
    for pk, slug in edited:
        mine = [e for e in edits if e.country == pk]
        confirmed = [e.number for e in mine if e.result == "confirmed"]
        in_db = [int(n) for n in MARKER.findall(summaries[pk])]
        held = in_db[-1] if in_db else None
        status, body = fetch(port, f"/countries/{slug}/", cookie=None)
        page = body.decode("utf-8", "replace")
        entries.append(
            {
                "slug": slug,
                "last confirmed": max(confirmed, default=None),
                "held": held,
                "markers in db": len(in_db),
                "page status": status,
                # The page shows the marker the database holds, and no other.
                "on page": {int(n) for n in MARKER.findall(page)} == set(in_db),
                "attempted": {e.number for e in mine},
            }
        )
    in_history = [
        e
        for e in edits
        if e.result == "confirmed"
        and any(f"Soak edit {e.number}." in d for d in history[e.country])
    ]
    return {"entries": entries, "in_history": len(in_history)}


# The figures and the checks -----------------------------------------------------------------------


def outcomes(requests):
    counts = Counter(r.outcome for r in requests if not r.ok)
    return ", ".join(f"{n} x {outcome}" for outcome, n in sorted(counts.items())) or "none"


def seconds(value):
    return "never" if value is None else f"{value:.2f} s"


def spread(group):
    if not group:
        return "no slice"
    low, high = min(s.rps for s in group), max(s.rps for s in group)
    p99 = statistics.median(s.p99 for s in group)
    return f"{len(group)} slice(s), {low:,.0f}-{high:,.0f}; p99 {p99:,.0f} ms (median)"


def median_rate(group):
    return statistics.median(s.rps for s in group) if group else 0.0


def stale_probes(probes, edits):
    """(probes checked, [(stale probe, the edit it should have shown)]).

    A probe answered 200 and sent after an edit of its entry was confirmed (strictly: after the
    editor had the admin's answer) must show that edit's marker or a later one, and no other.
    """
    confirmed = [e for e in edits if e.confirmed is not None]
    checked, stale = [], []
    for probe in probes:
        due = [
            e.number for e in confirmed if e.country == probe.country and e.confirmed < probe.start
        ]
        if probe.outcome != "200" or not due:
            continue
        checked.append(probe)
        if not probe.markers or min(probe.markers) < max(due):
            stale.append((probe, max(due)))
    return checked, stale


def edit_figures(result):
    """What became of the edits: shared by both faults' tables."""
    edits, entries = result["edits"], result["entries"]
    confirmed = [e for e in edits if e.result == "confirmed"]
    behind = [
        x
        for x in entries
        if x["last confirmed"] is not None
        and (x["held"] is None or x["held"] < x["last confirmed"])
    ]
    unknown = [x for x in entries if x["held"] is not None and x["held"] not in x["attempted"]]
    unconfirmed_saved = [
        x
        for x in entries
        if x["held"] is not None
        and (x["last confirmed"] is None or x["held"] > x["last confirmed"])
    ]
    checked, stale = stale_probes(result["probes"], edits)
    return {
        "confirmed": confirmed,
        "refused": [e for e in edits if e.result == "refused"],
        "failed": [e for e in edits if e.result == "failed"],
        "unconfirmed saved": unconfirmed_saved,
        "stale pages": [x for x in entries if x["page status"] != 200 or not x["on page"]],
        "lost": len(confirmed) - result["in_history"] + len(behind) + len(unknown),
        "checked": checked,
        "stale": stale,
    }


def edit_rows(result, e):
    entries = result["entries"]
    return [
        (
            "edits saved but not confirmed",
            str(len(e["unconfirmed saved"])),
            "the save committed, its answer was lost in the outage",
        ),
        ("edits lost", str(e["lost"]), "must be 0"),
        (
            "stale pages served after a confirmed edit",
            f"{len(e['stale'])} / {len(e['checked']):,}",
            "probes sent after an edit of their entry was confirmed, showing an older one; "
            "must be 0",
        ),
        (
            "edited entries showing their last save publicly",
            f"{len(entries) - len(e['stale pages'])} / {len(entries)}",
            "anonymous GET, through the page cache",
        ),
        (
            "confirmed edits found in history",
            f"{result['in_history']} / {len(e['confirmed'])}",
            "",
        ),
        ("server log", server_log_summary(), "test-artifacts/soak-gunicorn.log"),
    ]


def edit_checks(e):
    return [
        (
            "nothing lost (history, database, public page)",
            e["lost"] == 0 and not e["stale pages"] and bool(e["confirmed"]),
            f"{e['lost']} lost, {len(e['stale pages'])} stale page(s), "
            f"{len(e['confirmed'])} confirmed",
        ),
        (
            "no stale page served after a confirmed edit",
            not e["stale"] and bool(e["checked"]),
            f"{len(e['stale'])} of {len(e['checked'])} probes",
        ),
    ]


def figures(result, options):
    """(table rows, checks as (name, passed, detail))."""
    if options.fault == "redis":
        return redis_figures(result, options)
    pg, slices, probes = result["pg"], result["slices"], result["probes"]
    edits, editor = result["edits"], result["editor"]
    stop_at, up_at = pg["stop issued"], pg["up"]
    good = [p for p in probes if p.ok and p.start >= up_at]
    first_good = min((p.end for p in good), default=None)
    window = (stop_at, (first_good + GRACE) if first_good is not None else float("inf"))

    def inside(start, end):
        return start < window[1] and end > window[0]

    before = [s for s in slices if s.end <= window[0]]
    after = [s for s in slices if s.start >= window[1]]
    during = [s for s in slices if s not in before and s not in after]
    rate_before, rate_after = median_rate(before), median_rate(after)
    held = rate_after / rate_before if rate_before else 0.0

    errors_in = [r for r in probes + editor if not r.ok and inside(r.start, r.end)]
    errors_out = [r for r in probes + editor if not r.ok and not inside(r.start, r.end)]
    wrk_in = sum(s.errors for s in during)
    wrk_out = sum(s.errors for s in before + after)
    failed_probes = [p for p in probes if not p.ok and p.start >= stop_at]
    last_error = max((p.end for p in failed_probes), default=None)

    e = edit_figures(result)
    confirmed, refused, failed = e["confirmed"], e["refused"], e["failed"]
    saved_early = [x for x in confirmed if x.end <= stop_at]
    saved_late = [x for x in confirmed if x.start >= up_at]
    first_edit_after = min((x.end for x in saved_late), default=None)
    requests = sum(s.requests for s in slices)

    rows = [
        ("duration", f"{result['t_end']:.0f} s", f"{len(slices)} wrk slices of {options.slice} s"),
        (
            "reader requests",
            f"{requests:,}",
            f"wrk -t{THREADS} -c{CONNECTIONS}, {len(result['paths'])} paths in turn",
        ),
        ("reader req/s before restart", f"{rate_before:,.0f}", spread(before)),
        (
            "reader req/s, slices in the window",
            f"{median_rate(during):,.0f}" if during else "-",
            spread(during) + " (errors answer fast)",
        ),
        ("reader req/s after restart", f"{rate_after:,.0f}", spread(after)),
        ("rate held (after / before)", f"{held:.2f}", f"at least {RATE_HELD} expected"),
        (
            "restart window",
            f"{(window[1] - window[0]):.2f} s" if first_good is not None else "did not end",
            f"T+{window[0]:.2f} s to first good page + {GRACE:.0f} s grace",
        ),
        (
            "PostgreSQL down",
            f"{up_at - stop_at:.2f} s",
            f"stop took {pg['stopped'] - stop_at:.2f} s, held down {options.down} s, "
            f"start took {up_at - pg['start issued']:.2f} s (pg_ctl -w looks every 0.1 s)",
        ),
        (
            "recovery: PostgreSQL up -> first good page",
            seconds(None if first_good is None else first_good - up_at),
            "the first probe sent after it; from the stop: "
            + seconds(None if first_good is None else first_good - stop_at),
        ),
        (
            "last failed probe, after PostgreSQL up",
            seconds(None if last_error is None else last_error - up_at),
            "negative: errors ended before pg_ctl saw it up",
        ),
        (
            "recovery: PostgreSQL up -> first confirmed edit",
            seconds(None if first_edit_after is None else first_edit_after - up_at),
            "",
        ),
        ("reader errors in the window", f"{wrk_in:,}", "non-2xx/3xx answers and socket errors"),
        ("reader errors outside the window", f"{wrk_out:,}", "must be 0"),
        ("probe/editor errors in the window", str(len(errors_in)), outcomes(errors_in)),
        ("probe/editor errors outside", str(len(errors_out)), outcomes(errors_out) + "; must be 0"),
        (
            "probes",
            f"{len(probes):,}",
            f"GET of the {len(result['entries'])} edited entries' pages in turn, about 20/s",
        ),
        (
            "edits attempted / confirmed / refused / failed",
            f"{len(edits)} / {len(confirmed)} / {len(refused)} / {len(failed)}",
            f"confirmed: {len(saved_early)} before the stop, "
            f"{len(saved_late)} begun after PostgreSQL up",
        ),
        *edit_rows(result, e),
    ]
    lost_check, stale_check = edit_checks(e)
    checks = [
        lost_check,
        stale_check,
        (
            "no errors outside the restart window",
            wrk_out == 0 and not errors_out,
            f"readers {wrk_out}, probe/editor {len(errors_out)}",
        ),
        (
            f"recovered within {RECOVERY_LIMIT:.0f} s of PostgreSQL up",
            first_good is not None and first_good - up_at <= RECOVERY_LIMIT,
            seconds(None if first_good is None else first_good - up_at),
        ),
        (
            "the editor saved before and after the restart",
            bool(saved_early and saved_late),
            f"{len(saved_early)} before, {len(saved_late)} after",
        ),
        rate_check(before, after, held),
        ("no edit refused", not refused, refused[0].detail[:200] if refused else "0"),
    ]
    return rows, checks


def redis_figures(result, options):
    """The table and checks of --fault redis: a pause, then a restart from the dump."""
    slices, probes, edits, editor = (result[k] for k in ("slices", "probes", "edits", "editor"))
    pause, restart = result["faults"]
    windows = {f.name: (f.start, f.back + GRACE) for f in (pause, restart)}

    def inside(name, start, end):
        return start < windows[name][1] and end > windows[name][0]

    def in_any(start, end):
        return any(inside(name, start, end) for name in windows)

    before = [s for s in slices if s.end <= windows["pause"][0]]
    in_pause = [s for s in slices if inside("pause", s.start, s.end)]
    between = [
        s for s in slices if s.start >= windows["pause"][1] and s.end <= windows["restart"][0]
    ]
    in_restart = [s for s in slices if inside("restart", s.start, s.end)]
    after = [s for s in slices if s.start >= windows["restart"][1]]
    rate_before, rate_after = median_rate(before), median_rate(after)
    held = rate_after / rate_before if rate_before else 0.0
    requests = sum(s.requests for s in slices)
    wrk_errors = {
        name: sum(s.errors for s in group)
        for name, group in (("pause", in_pause), ("restart", in_restart))
    }
    wrk_out = sum(s.errors for s in slices if not in_any(s.start, s.end))
    errors = {
        name: [r for r in probes + editor if not r.ok and inside(name, r.start, r.end)]
        for name in windows
    }
    errors_out = [r for r in probes + editor if not r.ok and not in_any(r.start, r.end)]

    e = edit_figures(result)
    confirmed, refused, failed = e["confirmed"], e["refused"], e["failed"]
    # A save during a fault: sent after Redis went down, confirmed before it was back.
    saved_in = {
        f.name: [x for x in confirmed if x.saving >= f.start and x.confirmed <= f.back]
        for f in (pause, restart)
    }

    def since_back(times):  # for each fault, from Redis back to the first of `times` after it
        return " / ".join(
            seconds(min((t - f.back for t in times(f)), default=None)) for f in (pause, restart)
        )

    failures = redis_failures_logged(result["t0 wall"])
    met = {
        name: [f for f in failures if windows[name][0] <= f[0] <= windows[name][1]]
        for name in windows
    }
    failures_out = [f for f in failures if not any(f in group for group in met.values())]

    def course(fault):
        """When the fault's save was answered and the site first failed to reach Redis."""
        answers = [r.end for r in editor if r.what.startswith("POST") and r.start >= fault.start]
        failed = [t for t, _, _ in met[fault.name]]

        def since(times):
            return seconds(min(times) - fault.start if times else None)

        return f"its answer after {since(answers)}, the site's first failure after {since(failed)}"

    rows = [
        ("duration", f"{result['t_end']:.0f} s", f"{len(slices)} wrk slices of {options.slice} s"),
        (
            "reader requests",
            f"{requests:,}",
            f"wrk -t{THREADS} -c{CONNECTIONS}, {len(result['paths'])} paths in turn",
        ),
        ("reader req/s before the faults", f"{rate_before:,.0f}", spread(before)),
        (
            "reader req/s, slices in the pause",
            f"{median_rate(in_pause):,.0f}" if in_pause else "-",
            spread(in_pause),
        ),
        (
            "reader req/s between the faults",
            f"{median_rate(between):,.0f}" if between else "-",
            spread(between),
        ),
        (
            "reader req/s, slices in the restart",
            f"{median_rate(in_restart):,.0f}" if in_restart else "-",
            spread(in_restart),
        ),
        ("reader req/s after the faults", f"{rate_after:,.0f}", spread(after)),
        ("rate held (after / before)", f"{held:.2f}", f"at least {RATE_HELD} expected"),
        (
            "Redis paused (SIGSTOP -> SIGCONT)",
            f"{pause.back - pause.start:.2f} s",
            f"from T+{pause.start:.2f} s, as the editor sent a save; {course(pause)}",
        ),
        (
            "Redis down (SIGKILL -> answering again)",
            f"{restart.back - restart.start:.2f} s",
            f"from T+{restart.start:.2f} s, after a SAVE ("
            f"{restart.start - restart.steps['SAVE sent']:.2f} s); {course(restart)}; start from "
            f"the dump took {restart.back - restart.steps['start issued']:.2f} s",
        ),
        (
            "fault windows (pause / restart)",
            f"{windows['pause'][1] - windows['pause'][0]:.2f} s / "
            f"{windows['restart'][1] - windows['restart'][0]:.2f} s",
            f"from the SIGSTOP / SIGKILL to Redis answering again + {GRACE:.0f} s grace",
        ),
        (
            "old pages Redis held when back (pause / restart)",
            f"{pause.old_keys_back} / {restart.old_keys_back}",
            f"pages and fragments of an older content version, of {pause.keys_back} / "
            f"{restart.keys_back} keys",
        ),
        (
            "recovery: Redis back -> first good page",
            since_back(lambda f: [p.end for p in probes if p.ok and p.start >= f.back]),
            "pause / restart: the first probe sent after it",
        ),
        (
            "recovery: Redis back -> first confirmed edit",
            since_back(lambda f: [x.confirmed for x in confirmed if x.start >= f.back]),
            "pause / restart: an edit begun after it",
        ),
        (
            "recovery: Redis back -> the site uses it again",
            since_back(lambda f: [] if f.used_again is None else [f.used_again]),
            f"its first cache read or write (looked for every 0.05 s); after a failure the "
            f"site leaves Redis be {FAILURE_PAUSE:.0f} s",
        ),
        (
            "Redis failures the site logged (pause / restart / outside)",
            f"{len(met['pause'])} / {len(met['restart'])} / {len(failures_out)}",
            (
                ", ".join(
                    f"{n} x {op}" for op, n in sorted(Counter(f[1] for f in failures).items())
                )
                or "none"
            )
            + f"; each a miss or a no-op, then {FAILURE_PAUSE:.0f} s without asking",
        ),
        (
            "reader errors in the pause / restart",
            f"{wrk_errors['pause']:,} / {wrk_errors['restart']:,}",
            "non-2xx/3xx answers and socket errors; must be 0 (the database is up)",
        ),
        ("reader errors outside the faults", f"{wrk_out:,}", "must be 0"),
        (
            "probe/editor errors in the pause / restart",
            f"{len(errors['pause'])} / {len(errors['restart'])}",
            f"{outcomes(errors['pause'] + errors['restart'])}; must be 0",
        ),
        ("probe/editor errors outside", str(len(errors_out)), outcomes(errors_out) + "; must be 0"),
        (
            "probes",
            f"{len(probes):,}",
            f"GET of the {len(result['entries'])} edited entries' pages in turn, about 20/s",
        ),
        (
            "edits attempted / confirmed / refused / failed",
            f"{len(edits)} / {len(confirmed)} / {len(refused)} / {len(failed)}",
            "",
        ),
        (
            "edits saved during the pause / restart",
            f"{len(saved_in['pause'])} / {len(saved_in['restart'])}",
            "sent after Redis went down, confirmed before it was back",
        ),
        *edit_rows(result, e),
    ]
    lost_check, stale_check = edit_checks(e)
    in_faults = sum(wrk_errors.values()) + len(errors["pause"]) + len(errors["restart"])
    checks = [
        lost_check,
        stale_check,
        (
            "no errors during the Redis faults (the database is up)",
            in_faults == 0,
            f"readers {sum(wrk_errors.values())}, "
            f"probe/editor {len(errors['pause']) + len(errors['restart'])}",
        ),
        (
            "no errors outside the Redis faults",
            wrk_out == 0 and not errors_out,
            f"readers {wrk_out}, probe/editor {len(errors_out)}",
        ),
        (
            "the editor saved during each Redis fault",
            all(saved_in.values()),
            f"{len(saved_in['pause'])} in the pause, {len(saved_in['restart'])} in the restart",
        ),
        (
            "each fault was met: the site's failures logged, old pages held when back",
            all(met.values()) and pause.old_keys_back > 0 and restart.old_keys_back > 0,
            f"failures {len(met['pause'])} / {len(met['restart'])}, "
            f"old pages {pause.old_keys_back} / {restart.old_keys_back}",
        ),
        rate_check(before, after, held),
        ("no edit refused", not refused, refused[0].detail[:200] if refused else "0"),
    ]
    return rows, checks


def rate_check(before, after, held):
    name = f"request rate held (after >= {RATE_HELD} x before)"
    if min(len(before), len(after)) < RATE_SLICES:
        detail = (f"{held:.2f}; not judged: {len(before)} slice(s) before, {len(after)} after, "
                  f"fewer than {RATE_SLICES}")  # fmt: skip
        return name, True, detail
    return name, held >= RATE_HELD, f"{held:.2f}"


def write_timeline(result):
    """test-artifacts/soak-timeline.log: every event of the run in order, for reading afterwards.

    PostgreSQL's restart or the Redis faults, each wrk slice, each of the editor's requests and
    edits, and the prober's failures and stale pages (its successes would drown the rest).
    """
    events = [(t, f"PostgreSQL {name}") for name, t in result.get("pg", {}).items()]
    for fault in result.get("faults", []):
        events += [(t, f"Redis {fault.name}: {step}") for step, t in fault.steps.items()]
        events.append(
            (
                fault.back,
                f"Redis {fault.name}: back holding {fault.keys_back} pages and fragments, "
                f"{fault.old_keys_back} of an older content version",
            )
        )
    events += [
        (s.start, f"wrk slice until T+{s.end:.3f}: {s.rps:,.0f} req/s, {s.errors} errors")
        for s in result["slices"]
    ]
    events += [
        (r.start, f"editor {r.what} -> {r.outcome} in {r.end - r.start:.2f} s")
        for r in result["editor"]
    ]
    events += [
        (e.start, f"edit {e.number} of entry {e.country}: {e.result} {e.detail[:300]}".rstrip())
        for e in result["edits"]
    ]
    events += [
        (e.confirmed, f"edit {e.number} of entry {e.country}: confirmation received")
        for e in result["edits"]
        if e.confirmed is not None
    ]
    if "faults" in result:
        events += [
            (t, f"site: Redis {operation} failed ({reason})")
            for t, operation, reason in redis_failures_logged(result["t0 wall"])
        ]
    events += [
        (r.start, f"probe {r.what} -> {r.outcome} in {r.end - r.start:.2f} s")
        for r in result["probes"]
        if not r.ok
    ]
    events += [
        (r.start, f"STALE probe {r.what} -> shows edit(s) {list(r.markers)}, edit {n} confirmed")
        for r, n in stale_probes(result["probes"], result["edits"])[1]
    ]
    with open(ARTIFACTS / "soak-timeline.log", "w") as log:
        for t, text in sorted(events, key=lambda event: event[0]):
            log.write(f"T+{t:8.3f}  {text}\n")


def redis_failures_logged(t0_wall):
    """The Redis failures the site logged (netfree/redis_cache.py): [(T, operation, reason)]."""
    path = ARTIFACTS / "soak-gunicorn.log"
    text = path.read_text(errors="replace") if path.exists() else ""
    pattern = r"^(\S+ \S+),(\d{3}) WARNING netfree\.cache: Redis (\w+) failed \((.*)\);"
    return [
        (
            datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").timestamp() + int(ms) / 1000 - t0_wall,
            operation,
            reason,
        )
        for stamp, ms, operation, reason in re.findall(pattern, text, re.M)
    ]


def server_log_summary():
    """What Django logged for failed requests, by reason (500 or 503)."""
    path = ARTIFACTS / "soak-gunicorn.log"
    text = path.read_text(errors="replace") if path.exists() else ""
    reasons = r"(Bad Request|Forbidden|Internal Server Error|Service Unavailable|Gateway Timeout|"
    reasons += r"The request's session was deleted[^:]*)"
    counts = Counter(re.findall(reasons + r": /", text))
    names = {reason: reason for reason in counts}
    names.update({r: "SessionInterrupted (400)" for r in counts if r.startswith("The request's")})
    return ", ".join(f"{n} x {names[r]}" for r, n in sorted(counts.items())) or "no errors"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, help="seconds of load (90; 20 with --quick)")
    parser.add_argument("--quick", action="store_true", help="tiny and short, for the smoke test")
    parser.add_argument("--countries", type=int, help="entries generated (50; 5 with --quick)")
    parser.add_argument(
        "--down", type=float, help="seconds PostgreSQL (or Redis) stays down at least (3; 1 quick)"
    )
    parser.add_argument("--slice", type=int, help="seconds per wrk run (5; 2 with --quick)")
    parser.add_argument("--edit-interval", type=float, default=0.5, help="seconds between saves")
    parser.add_argument(
        "--cache", choices=["database", "redis"], help="database (redis: --fault redis)"
    )
    parser.add_argument(
        "--fault",
        choices=["postgres", "redis"],
        default="postgres",
        help="restart PostgreSQL at half time, or pause Redis and later restart it from its dump",
    )
    options = parser.parse_args()
    if options.fault == "redis" and options.cache == "database":
        raise SystemExit("--fault redis needs Redis as the shared cache (--cache redis)")
    options.cache = options.cache or ("redis" if options.fault == "redis" else "database")
    quick = options.quick
    options.duration = options.duration or (20 if quick else 90)
    options.down = options.down if options.down is not None else (1.0 if quick else 3.0)
    options.slice = options.slice or (2 if quick else 5)
    countries = options.countries or (5 if quick else 50)
    if options.duration < 4 * options.slice:
        raise SystemExit("--duration must be at least four slices (--slice)")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server: run scripts/soak")
    postgres = Postgres() if options.fault == "postgres" else None
    counts = {"countries": countries, **{k: v * countries for k, v in PER_COUNTRY.items()}}
    say(f"generating {', '.join(f'{v:,} {k}' for k, v in counts.items())}")
    url = generate("netfree_soak", counts)
    manage(url, "collectstatic", "--noinput", "-v0")
    result = soak(url, options, postgres)
    write_timeline(result)
    rows, checks = figures(result, options)
    if options.fault == "postgres":
        what = "PostgreSQL restarted at half time"
    else:
        pause, restart = result["faults"]
        what = (
            f"Redis paused at T+{pause.start:.0f} s, killed and restarted from its dump at "
            f"T+{restart.start:.0f} s"
        )
    print(
        f"\nSoak: {options.duration} s, {countries} entries, {what} (shared cache: {options.cache})"
    )
    print_table(("figure", "value", "note"), rows)
    print("checks:")
    for name, passed, detail in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {name} ({detail})")
    print()
    if not all(passed for _, passed, _ in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
