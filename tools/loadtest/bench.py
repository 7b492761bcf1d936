"""`make bench`: figures that unit tests must not time, printed as tables.

Runs against the database in DATABASE_URL (scripts/bench starts a throwaway PostgreSQL), as
`python -m tools.loadtest.bench` from the project's root.

HTTP load: generate the full dataset (250 countries, 50,000 blocked sites, 25,000 metrics,
2,000 articles) once, publish it, serve it with the production profile (`gunicorn -c
gunicorn.conf.py netfree.wsgi`, DEBUG off, WEB_CONCURRENCY=3 for this 2-core machine) and drive
load with wrk from a second process, the same threads, connections and duration for every
target, in interleaved rounds (round robin, so noise spreads over all targets), reporting the
median of the rounds. The two references: (1) a static file as large as the country page,
served by the same server (WhiteNoise), the ceiling; (2) the minimal Django view returning the
same bytes (`/bench/minimal/`, routed only in this server: DJANGO_SETTINGS_MODULE=
tools.loadtest.settings), the best any Django page can do. Pages are
measured cached (anonymous, after warming) and uncached (with a session cookie naming no
session, so the page cache is bypassed and the page rendered fully each time). Ratios to (1)
and (2) are what to read: absolute figures depend on the machine and its noise. One more row,
the minimal view without the cookie, shows what the page cache's own lookups cost. The
"queries" column comes from tools/loadtest/pages.py (Django's test client, the second request of
each page). wrk's output is kept in test-artifacts/bench-wrk.log, gunicorn's in
test-artifacts/bench-gunicorn.log.

Fixtures: at two sizes (a quarter, then the full dataset above, reused), measure export, import
into an empty database, and Django's own loaddata for comparison: wall time and the peak
resident memory of the process doing it. Peak memory that does not grow with the dataset shows
the export and import stream rather than load everything. Each step is stopped after
--fixture-limit seconds, and then shown as a bound ("> 300"), so that the run stays bounded.

Entry size (issue 15, tools/loadtest/entry_size.py): one entry with 5, 500 and 5,000 blocked
sites (5, 50 and 500 with --quick), on a database of its own: the admin GET and POST of its change
page, its public page and API detail rendered afresh, each timed in-process (Django's test
client), medians of --entry-reps repetitions; the goal, the largest entry's admin GET and POST
at most 2x the smallest's, is reported with the others.

The server's shared cache is Redis (the production profile for more than one machine; a
redis-server of its own on a free port) unless `--cache database` (the default with no extra
server), which is also the default with --quick.

Usage: python -m tools.loadtest.bench [--scale 1.0] [--quick] [--rounds 3] [--duration 4]
                                      [--fixture-limit 300] [--cache redis|database]
                                      [--sections http,entry-size,fixtures]
                                      [--entry-sizes 5,500,5000] [--entry-reps 5]
                                      [--entry-min-reps 3] [--entry-budget 60]
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit

from tools.loadtest import entry_size, wrk
from tools.loadtest.project import (
    ARTIFACTS,
    ROOT,
    create_database,
    django_env,
    generate,
    manage,
    pages_step,
)
from tools.loadtest.redis_server import RedisServer
from tools.loadtest.report import print_table, say
from tools.loadtest.server import Server, fetch, fetch_response, free_port

SECTIONS = ("http", "entry-size", "fixtures")
FULL = {"countries": 250, "sites": 50_000, "metrics": 25_000, "articles": 2_000}
STATIC_ROOT = ROOT / "staticfiles"  # settings.STATIC_ROOT
STATIC_NAME = "bench-country-page.html"
WORKERS = 3  # 2 cores here: gunicorn.conf.py's rule (2 per core + 1) would say 5
THREADS, CONNECTIONS = 2, 16
FEW = 100  # fewer requests completed in a round: their latencies leave out the queue
# Who asks: None, an anonymous reader (served from the page cache); "reader", an anonymous reader
# with a session cookie naming no session (the page cache is bypassed: the view runs, and takes
# what every reader shares from the fragment cache); "editor", a signed-in editor (no cache at
# all: every part of the page is rendered from the database, every time).
READER_COOKIE = "sessionid=bench"
# What Chromium sends: the "bytes to a browser" column is the size of the answer to it.
BROWSER_ENCODINGS = {"Accept-Encoding": "gzip, deflate, br, zstd"}

# (name, path, who asks). The first two are the references (1) and (2).
TARGETS = [
    ("static file (1)", f"/static/{STATIC_NAME}", "reader"),
    ("minimal view (2)", "/bench/minimal/", "reader"),
    ("minimal view, page cache", "/bench/minimal/", None),
    ("country, cached", "/countries/{slug}/", None),
    ("country, uncached", "/countries/{slug}/", "reader"),
    ("country, editor (no cache)", "/countries/{slug}/", "editor"),
    ("home, cached", "/", None),
    ("home, uncached", "/", "reader"),
    ("home, editor (no cache)", "/", "editor"),
    ("API detail, cached", "/api/v1/countries/{slug}/", None),
    ("API detail, uncached", "/api/v1/countries/{slug}/", "reader"),
    ("search, cached", "/search/?q=blocking", None),
    ("search, uncached", "/search/?q=blocking", "reader"),
]
STATIC, MINIMAL = TARGETS[0][0], TARGETS[1][0]
SETTINGS = "tools.loadtest.settings"  # the shipped settings, and /bench/minimal/ routed
# (target, reference, at least): the goals the issue sets.
GOALS = [
    ("country, cached", STATIC, 0.9),
    ("country, uncached", MINIMAL, 0.35),
    ("home, uncached", MINIMAL, 0.3),
    ("home, cached", STATIC, 0.9),
]


def dataset(scale):
    counts = {key: max(int(value * scale), 1) for key, value in FULL.items()}
    counts["countries"] = min(max(counts["countries"], 4), 250)
    objects = sum(counts.values()) + 3 * counts["countries"] + 20
    label = (
        f"{counts['countries']} countries, {counts['sites']:,} sites, {counts['metrics']:,} metrics"
    )
    return counts, objects, label


# HTTP load ----------------------------------------------------------------------------------------


def http_benchmarks(url, rounds, seconds, warm_seconds, cache):
    """Returns (rows for the table, text of the checks), or None when wrk is missing."""
    if shutil.which("wrk") is None:
        return None
    with RedisServer() if cache == "redis" else nullcontext() as redis:
        return run_http_benchmarks(url, rounds, seconds, warm_seconds, redis.url if redis else None)


def load(server, path, seconds, cookie, log):
    """One wrk run of `path` with this Cookie header (or none), then until the server is idle."""
    run = wrk.run(
        server.base + path,
        seconds,
        threads=THREADS,
        connections=CONNECTIONS,
        options=["-H", f"Cookie: {cookie}"] if cookie else [],
        log=log,
    )
    server.drain()
    return run


def run_http_benchmarks(url, rounds, seconds, warm_seconds, redis_url):
    port = free_port()
    host = f"127.0.0.1:{port}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="netfree-bench-http-"))
    body = workdir / "country-page.html"
    env = django_env(
        url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        NETFREE_BENCH_BODY=str(body),
        GUNICORN_BIND=host,
        WEB_CONCURRENCY=str(WORKERS),
        **({"REDIS_URL": redis_url} if redis_url else {}),
    )
    static_file = STATIC_ROOT / STATIC_NAME
    try:
        manage(url, "collectstatic", "--noinput", "-v0")
        # The Django side first: the country page's bytes (they become the static file and
        # the minimal view's body) and the queries each target costs.
        probe = pages_step(url, "probe", host, str(body), json.dumps(TARGETS), env=env)
        slug, size = probe["slug"], body.stat().st_size
        # Before the server starts: WhiteNoise indexes STATIC_ROOT when it starts.
        shutil.copyfile(body, static_file)
        say(
            f"HTTP: gunicorn, production profile, {WORKERS} workers (2 cores), on {host}, "
            f"shared cache: {'Redis' if redis_url else 'the database'}; "
            f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s, {rounds} round(s) per target; "
            f"/countries/{slug}/ is {size:,} bytes"
        )
        server_log = ARTIFACTS / "bench-gunicorn.log"
        transferred = {}
        with Server(env, port, server_log, ready_path="/bench/minimal/") as server:
            cookies = {None: None, "reader": READER_COOKIE, "editor": probe["editor_cookie"]}
            targets = [(name, path.format(slug=slug), cookies[who]) for name, path, who in TARGETS]
            for name, path, cookie in targets:  # check every target answers; warm the caches
                for _ in range(2 * WORKERS):
                    status, content = fetch(port, path, cookie)
                    if status != 200:
                        raise SystemExit(f"{name}: {path} answered {status}")
                if name == STATIC and len(content) != size:
                    raise SystemExit(f"the static file has {len(content)} bytes, not {size}")
                # What a browser is sent (wrk itself asks for no compression, as before).
                _, sent, headers = fetch_response(port, path, cookie, headers=BROWSER_ENCODINGS)
                transferred[name] = (len(sent), headers.get("Content-Encoding", "none"))
            results = {name: [] for name, _, _ in targets}
            with open(ARTIFACTS / "bench-wrk.log", "w") as log:
                if warm_seconds:
                    for _name, path, cookie in targets:
                        load(server, path, warm_seconds, cookie, log)
                for _ in range(rounds):
                    for name, path, cookie in targets:
                        results[name].append(load(server, path, seconds, cookie, log))
    finally:
        static_file.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    medians = {
        name: (
            statistics.median(r.rps for r in runs),
            statistics.median(r.p50 for r in runs),
            statistics.median(r.p99 for r in runs),
            sum(r.errors for r in runs),
            min(r.requests for r in runs),
        )
        for name, runs in results.items()
    }
    rows = []
    for name, _, _ in TARGETS:
        rps, p50, p99, errors, completed = medians[name]
        queries = "-" if name == STATIC else str(probe["queries"][name])
        notes = [f"{errors:,} errors"] if errors else []
        if completed < FEW:
            notes.append(f"{completed} done in a round: latency reads low")
        note = "; ".join(notes)
        rows.append(
            (
                name,
                f"{rps:,.0f}",
                f"{p50:.2f}",
                f"{p99:.2f}",
                f"{rps / medians[STATIC][0]:.3f}",
                f"{rps / medians[MINIMAL][0]:.3f}",
                queries,
                "{:,} {}".format(*transferred[name]),
                note,
            )
        )
    checks = []
    for name, reference, goal in GOALS:
        ratio = medians[name][0] / medians[reference][0]
        verdict = "met" if ratio >= goal else "NOT met"
        checks.append(f"{name} >= {goal} x {reference}: {verdict} ({ratio:.3f})")
    return rows, checks


# Fixtures -----------------------------------------------------------------------------------------


def fixture_benchmarks(source, label, objects, rows, timeout):
    """Export, import and loaddata, each stopped after `timeout` seconds (then shown as "> ")."""
    folder = Path(tempfile.mkdtemp(prefix="netfree-bench-"))
    try:
        say(f"fixtures: export_fixtures, {label}")
        seconds, memory, stopped = manage(
            source, "export_fixtures", "--output", str(folder), timeout=timeout
        )
        size_mb = sum(p.stat().st_size for p in folder.glob("*.json")) / 2**20
        note = f"{size_mb:.1f} MB written"
        rows.append(("export_fixtures", label, objects, seconds, memory, note, stopped))
        if stopped:
            return
        files = sorted(str(p) for p in folder.glob("*.json"))
        for operation, args, note in (
            ("import_fixtures", ["import_fixtures"], "validated, all or nothing"),
            ("loaddata (Django)", ["loaddata", "-v0"], "for comparison"),
        ):
            say(f"fixtures: {operation}, {label}")
            target = create_database("netfree_bench_target")
            seconds, memory, stopped = manage(target, *args, *files, timeout=timeout)
            rows.append((operation, label, objects, seconds, memory, note, stopped))
    finally:
        shutil.rmtree(folder)


STOP = "STOPPED at the time limit (--fixture-limit)"


def print_fixture_table(rows, timeout):
    header = ("operation", "dataset", "objects", "seconds", "objects/s", "peak RSS MB", "note")
    lines = []
    for op, data, n, s, m, note, stopped in rows:
        if stopped:  # a bound, not a figure
            lines.append((op, data, f"{n:,}", f"> {timeout}", f"< {n / s:,.0f}", f"{m:.0f}", STOP))
        else:
            lines.append((op, data, f"{n:,}", f"{s:.1f}", f"{n / s:,.0f}", f"{m:.0f}", note))
    print_table(header, lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the full dataset")
    parser.add_argument("--quick", action="store_true", help="a tiny dataset, for the smoke test")
    parser.add_argument("--rounds", type=int, help="wrk rounds per target (3; 1 with --quick)")
    parser.add_argument("--duration", type=int, help="seconds per wrk round (4; 1 with --quick)")
    parser.add_argument(
        "--fixture-limit", type=int, default=300, help="seconds before a fixture step is stopped"
    )
    parser.add_argument(
        "--cache",
        choices=["redis", "database"],
        help="the server's shared cache (redis; database with --quick)",
    )
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"which parts to run, comma-separated ({','.join(SECTIONS)})",
    )
    parser.add_argument("--entry-sizes", dest="sizes", help="sites per entry (5,500,5000)")
    parser.add_argument("--entry-reps", dest="reps", type=int, help="repetitions per size (5)")
    parser.add_argument(
        "--entry-min-reps", dest="min_reps", type=int, help="repetitions once over budget (3)"
    )
    parser.add_argument(
        "--entry-budget",
        dest="budget",
        type=float,
        default=entry_size.BUDGET,
        help="seconds per entry size, after which --entry-min-reps repetitions are enough",
    )
    options = parser.parse_args()
    sections = set(options.sections.split(","))
    if sections - set(SECTIONS):
        parser.error(f"--sections: {', '.join(sorted(sections - set(SECTIONS)))}?")
    cache = options.cache or ("database" if options.quick else "redis")
    limit = options.fixture_limit
    scale = 0.01 if options.quick else options.scale
    rounds = options.rounds or (1 if options.quick else 3)
    seconds = options.duration or (1 if options.quick else 4)
    engine = urlsplit(os.environ.get("DATABASE_URL", "sqlite://")).scheme
    say(f"database: {engine}; scale {scale}")

    counts, objects, label = dataset(scale)
    if sections & {"http", "fixtures"}:
        say(f"generating {label}")
        source = generate("netfree_bench_source", counts)
    if "http" in sections and shutil.which("wrk") is None and not options.quick:
        raise SystemExit("wrk is missing: run scripts/bench (make bench), which installs it")
    warm = 0 if options.quick else 1
    http = http_benchmarks(source, rounds, seconds, warm, cache) if "http" in sections else None

    entry = None
    fixture_rows = []
    try:
        if "entry-size" in sections:
            sizes, reps, min_reps = entry_size.settings(options)
            entry = (
                entry_size.measure(sizes, reps, min_reps, options.budget),
                entry_size.describe(reps, min_reps, options.budget),
            )
        if "fixtures" in sections:
            if not options.quick:  # a quarter of the size first, to compare peak memory with
                small_counts, small_objects, small_label = dataset(scale / 4)
                say(f"generating {small_label}")
                small = generate("netfree_bench_quarter", small_counts)
                fixture_benchmarks(small, small_label, small_objects, fixture_rows, limit)
            fixture_benchmarks(source, label, objects, fixture_rows, limit)
    finally:  # what was measured is printed even when a later step fails
        print_results(http, label, rounds, fixture_rows, limit, cache, sections, entry)


def print_results(http, label, rounds, fixture_rows, limit, cache, sections, entry):
    if http is None and "http" in sections:
        print("\nHTTP load: SKIPPED, wrk is not installed (apt-get install wrk; --quick only)")
    elif http is not None:
        rows, _ = http
        header = (
            "target", "req/s", "p50 ms", "p99 ms", "/ static", "/ minimal", "queries",
            "bytes to a browser", "note",
        )  # fmt: skip
        print(
            f"\nHTTP load ({label}; shared cache: {cache}): medians of {rounds} round(s); "
            "ratios are of req/s"
        )
        print_table(header, rows)
    goals = [*(http[1] if http else [])]
    if entry is not None:
        goals += entry_size.print_report(*entry)
    if "fixtures" in sections:
        print_fixture_table(fixture_rows, limit)
    if goals:
        print("goals:")
        for line in goals:
            print(f"  {line}")
        print()


if __name__ == "__main__":
    main()
