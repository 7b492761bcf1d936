"""Lighthouse on the production profile: four reader pages, at mobile and at desktop.

Lighthouse (the npm package pinned in package.json, installed by `npm ci`, which
scripts/run-tests runs when node_modules is missing) drives Debian's Chromium against gunicorn
with the production configuration, DEBUG off and static files from WhiteNoise, on a database
of its own holding the fixtures (Kazakhstan). A page fails below 95 for performance or below
100 for accessibility, best practices or SEO; the message names each audit that cost points.

Every report (HTML and JSON) is kept in test-artifacts/lighthouse/, with summary.md: per page
and form factor, the four scores, the bytes transferred and the render-blocking requests.
A missing Node, Lighthouse or Chromium fails the test: it never skips.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from ..helpers import free_port, manage, production_environment, start_gunicorn, wait_until_up

ROOT = Path(settings.BASE_DIR)
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = ROOT / os.environ.get("TEST_ARTIFACTS", "test-artifacts") / "lighthouse"
# The flags that work on a closed network; each run also gets a fresh --user-data-dir.
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "/",
    "country": "/countries/kazakhstan/",
    "blocked-sites": "/blocked-sites/",
    "search": "/search/?q=press",
}
# mobile: Lighthouse's default (a Moto G Power on simulated slow 4G); desktop: its preset.
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Bytes transferred, all requests included, as a reader on a slow link pays them; and no
# render-blocking request beyond the one stylesheet.
BUDGETS = {"home": 40 * 1024, "country": 20 * 1024}
MAX_RENDER_BLOCKING = 1
RUN_TIMEOUT = 240  # seconds for one Lighthouse run; one usually takes 10 to 20
# Lighthouse's "Something went wrong with recording the trace... Please run Lighthouse again."
BAD_TRACE = {"NO_TRACING_STARTED", "NO_RESOURCE_REQUEST", "NO_NAVSTART", "NO_DCL", "NO_FMP"}
ATTEMPTS = 3
PERFORMANCE_RUNS = 3  # when the first run's performance is below the bar
DETAILS_SHOWN = 5  # elements or URLs named per failing audit

# Each run's figures, for summary.md, which is rewritten after every run.
RESULTS = {}


# The server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A database of its own, on the engine this tier runs (PostgreSQL in `make test`)."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path_factory.mktemp('lighthouse') / 'db.sqlite3'}"
        return
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute('DROP DATABASE IF EXISTS "netfree_lighthouse" WITH (FORCE)')
        admin.execute('CREATE DATABASE "netfree_lighthouse"')
    parts = urllib.parse.urlsplit(server)
    yield urllib.parse.urlunsplit(parts._replace(path="/netfree_lighthouse"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute('DROP DATABASE IF EXISTS "netfree_lighthouse" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory):
    """gunicorn with the production configuration, its database migrated and the fixtures
    loaded as `make run` loads them: the URL it answers on."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(f"{manifest} is missing: run collectstatic first (`make test` does)")
    if not LIGHTHOUSE.exists():
        pytest.fail(f"{LIGHTHOUSE} is missing: run `npm ci` (scripts/run-tests does)")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it with apt-get")

    folder = tmp_path_factory.mktemp("lighthouse-server")
    env = production_environment(
        database_url,
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_DOWNLOADS_ROOT=str(folder / "downloads"),
    )
    env.pop("REDIS_URL", None)  # the default cache: the database
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_initial_data", "-v0")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.iterdir():  # a report left from an earlier run would mislead
        if old.is_file():
            old.unlink()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (ARTIFACTS / "gunicorn.log").open("wb") as log:
        server = start_gunicorn(env, port, log=log)
    try:
        wait_until_up(url)
        for path in PAGES.values():  # a score of an error page would mean nothing
            with urllib.request.urlopen(url + path, timeout=30) as response:
                assert response.status == 200, f"{path} answered {response.status}"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


# Lighthouse ---------------------------------------------------------------------------------


def run_lighthouse(url, name, extra_args, profile):
    """Lighthouse on `url`; its reports are ARTIFACTS/<name>.report.{json,html}. The JSON.

    Chromium now and then records a trace Lighthouse cannot read (NO_NAVSTART...), and
    Lighthouse says to run it again: that is done, twice at most, and said in the output.
    """
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--no-enable-error-reporting",
        "--only-categories=performance,accessibility,best-practices,seo",
        f"--chrome-flags={' '.join([*CHROME_FLAGS, f'--user-data-dir={profile}'])}",
        "--output=json",
        "--output=html",
        f"--output-path={ARTIFACTS / name}",
        *extra_args,
    ]
    log = ARTIFACTS / f"{name}.log"
    report = ARTIFACTS / f"{name}.report.json"
    for attempt in range(1, ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)  # a fresh profile for every attempt
        with log.open("w") as output:
            result = subprocess.run(
                command, cwd=ROOT, env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
                stdout=output, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT,
            )  # fmt: skip
        said = log.read_text(errors="replace")
        if result.returncode == 0 and report.exists():
            break
        if attempt < ATTEMPTS and any(f"({code})" in said for code in BAD_TRACE):
            print(f"{name}: attempt {attempt} had a bad trace, running Lighthouse again:")
            print("\n".join(said.splitlines()[-3:]))
            continue
        tail = "\n".join(said.splitlines()[-30:])
        pytest.fail(f"Lighthouse failed on {url} (exit {result.returncode}), {log}:\n{tail}")
    lhr = json.loads(report.read_text())
    if lhr.get("runtimeError"):
        error = lhr["runtimeError"]
        pytest.fail(f"Lighthouse could not load {url}: {error['code']}: {error['message']}")
    return lhr


def scores(lhr):
    """Category id → score out of 100 (None when Lighthouse could not score it)."""
    return {
        key: None if category["score"] is None else round(category["score"] * 100)
        for key, category in lhr["categories"].items()
    }


def lost_points(lhr, category):
    """The audits of a category that did not pass, as lines: id, title, what Lighthouse
    measured, and the elements or URLs concerned."""
    lines = []
    for ref in lhr["categories"][category]["auditRefs"]:
        if ref.get("group") == "hidden":
            continue  # Lighthouse 12's insights, which repeat the audits the report shows
        audit = lhr["audits"][ref["id"]]
        mode = audit["scoreDisplayMode"]
        if mode == "error":
            lines.append(f"{audit['id']}: {audit['title']} (the audit failed to run: "
                         f"{audit.get('errorMessage', '')})")  # fmt: skip
            continue
        if mode in {"notApplicable", "informative", "manual"} or audit["score"] is None:
            continue
        if audit["score"] >= 1:
            continue
        shown = f" — {audit['displayValue']}" if audit.get("displayValue") else ""
        weight = f", weight {ref['weight']}" if ref.get("weight") else ""
        lines.append(f"{audit['id']}: {audit['title']}{shown} "
                     f"(score {audit['score']:.2f}{weight})")  # fmt: skip
        lines.extend(f"    {item}" for item in concerned(audit))
    return lines


def concerned(audit):
    """What an audit's table names: elements (selector and snippet), URLs, messages."""
    details = audit.get("details") or {}
    if details.get("type") not in {"table", "opportunity"}:
        return []
    found = []
    for item in details.get("items", []):
        node = item.get("node") or {}
        location = item.get("sourceLocation") or item.get("source") or {}
        parts = [
            node.get("selector"),
            node.get("snippet"),
            item.get("url"),
            item.get("description"),
            isinstance(location, dict) and location.get("url"),
        ]
        line = " ".join(part for part in parts if part and isinstance(part, str))
        if line:
            found.append(line)
        for sub in (item.get("subItems") or {}).get("items", []):
            related = sub.get("relatedNode") or {}
            if related.get("selector"):
                found.append(f"    {related['selector']} {related.get('snippet', '')}")
    more = len(found) - DETAILS_SHOWN
    return found[:DETAILS_SHOWN] + ([f"... and {more} more"] if more > 0 else [])


def render_blocking(lhr):
    """The URLs of the requests that blocked the first render.

    The insight lists every one; the older audit only those that cost 50 ms or more.
    """
    for audit_id in ("render-blocking-insight", "render-blocking-resources"):
        audit = lhr["audits"].get(audit_id)
        if audit and audit["scoreDisplayMode"] != "error":
            return [item["url"] for item in (audit.get("details") or {}).get("items", [])]
    return []


def document_bytes(lhr):
    """Bytes transferred for the page's HTML itself (what compressing pages shrinks)."""
    requests = (lhr["audits"].get("network-requests", {}).get("details") or {}).get("items", [])
    for request in requests:
        if request.get("resourceType") == "Document":
            return request.get("transferSize")
    return None


def kib(size):
    return "?" if size is None else f"{size / 1024:.1f} KiB"


def write_summary():
    lines = [
        "# Lighthouse, production profile (gunicorn, DEBUG off)",
        "",
        f"Lighthouse {next(iter(RESULTS.values()))['version']}; minimum scores: "
        + ", ".join(f"{key} {value}" for key, value in MINIMUM.items())
        + ". Reports: `<page>-<form factor>.report.html` and `.report.json` beside this file; "
        "where a first run's performance was below the bar, two more runs (`-run2`, `-run3`) "
        "and the median run's figures.",
        "",
        "| page | form factor | performance | accessibility | best practices | SEO "
        "| transferred | HTML | render-blocking |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for (page, form_factor), result in RESULTS.items():
        cells = [str(result["scores"].get(key)) for key in MINIMUM]
        if len(result["performance_runs"]) > 1:  # the median of these runs
            cells[0] += f" (runs: {', '.join(map(str, result['performance_runs']))})"
        lines.append(
            f"| {page} `{PAGES[page]}` | {form_factor} | "
            + " | ".join(cells)
            + f" | {kib(result['bytes'])} | {kib(result['document'])} "
            f"| {len(result['render_blocking'])} |"
        )
    lines += ["", "## Render-blocking requests", ""]
    for (page, form_factor), result in RESULTS.items():
        urls = ", ".join(f"`{urllib.parse.urlsplit(u).path}`" for u in result["render_blocking"])
        lines.append(f"- {page}, {form_factor}: {urls or 'none'}")
    lines += ["", "## Below the bar", ""]
    failures = [(key, result) for key, result in RESULTS.items() if result["failures"]]
    for (page, form_factor), result in failures:
        lines += [f"### {page}, {form_factor} (`{result['report']}.report.html`)", "", "```"]
        lines += [*result["failures"], "```", ""]
    if not failures:
        lines.append("Nothing: every page meets every minimum.")
    (ARTIFACTS / "summary.md").write_text("\n".join(lines) + "\n")


# The test -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_scores(site, page, form_factor, tmp_path):
    url, name, args = site + PAGES[page], f"{page}-{form_factor}", FORM_FACTORS[form_factor]
    started = time.monotonic()
    runs = [(name, run_lighthouse(url, name, args, tmp_path / "chrome"))]
    # The performance score moves with the machine's load (simulated throttling scales the CPU
    # time it observes): below the bar, two more runs, and the median run is judged, as
    # Lighthouse's own guidance on variability advises. The other scores do not vary.
    if (scores(runs[0][1])["performance"] or 0) < MINIMUM["performance"]:
        for number in range(2, PERFORMANCE_RUNS + 1):
            again = f"{name}-run{number}"
            runs.append((again, run_lighthouse(url, again, args, tmp_path / "chrome")))
        runs.sort(key=lambda run: scores(run[1])["performance"] or 0)
    report, lhr = runs[len(runs) // 2]
    score = scores(lhr)

    failures = []
    for category, minimum in MINIMUM.items():
        if score.get(category) is None or score[category] < minimum:
            failures.append(f"{category} {score.get(category)} < {minimum}:")
            failures.extend(f"  {line}" for line in lost_points(lhr, category))
    transferred = lhr["audits"]["total-byte-weight"].get("numericValue") or 0
    if page in BUDGETS and transferred > BUDGETS[page]:
        failures.append(f"{kib(transferred)} transferred, budget {kib(BUDGETS[page])}")
    if len(render_blocking(lhr)) > MAX_RENDER_BLOCKING:
        failures.append(f"render-blocking requests: {render_blocking(lhr)}")
    RESULTS[(page, form_factor)] = {
        "version": lhr["lighthouseVersion"],
        "scores": score,
        "performance_runs": [scores(run)["performance"] for _, run in runs],
        "bytes": lhr["audits"]["total-byte-weight"].get("numericValue"),
        "document": document_bytes(lhr),
        "render_blocking": render_blocking(lhr),
        "failures": failures,
        "report": report,
    }
    write_summary()
    print(f"{name}: {score}, performance runs {RESULTS[(page, form_factor)]['performance_runs']}, "
          f"{time.monotonic() - started:.0f} s")  # fmt: skip

    if failures:
        pytest.fail(
            f"{PAGES[page]} at {form_factor} is below the bar "
            f"(report: {ARTIFACTS / report}.report.html):\n" + "\n".join(failures),
            pytrace=False,
        )
