"""The project under load, for the bench and the soak test: its databases, its management
commands and the environment its processes get.

Every database is made on the server in DATABASE_URL (scripts/bench and scripts/soak start a
throwaway PostgreSQL), and every process runs in the project's root, as `python -m` does.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / os.environ.get("TEST_ARTIFACTS", "test-artifacts")
SETTINGS = "netfree.settings"  # the shipped project's; the bench's server has its own


def database_url(name):
    parts = urlsplit(os.environ.get("DATABASE_URL", "sqlite://"))
    if parts.scheme.startswith("sqlite"):
        return f"sqlite:///{Path(tempfile.gettempdir()) / name}.sqlite3"
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(name):
    """A new, migrated database `name` (dropped first if there was one); returns its URL."""
    url = database_url(name)
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
            # FORCE: a command stopped at its time limit may have left its session behind.
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "-v0")
    return url


def django_env(url, **extra):
    """The environment of a Django process on the database at `url`: the production profile
    (DEBUG off), plain HTTP on the loopback, the shipped settings unless `extra` says others."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS, **extra}
    env.setdefault("DJANGO_SECRET_KEY", "loadtest-only")
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    env.setdefault("DJANGO_HTTPS", "0")
    env.pop("DJANGO_DEBUG", None)
    return env


def manage(url, *args, timeout=None):
    """Run a management command in its own process, stopped after `timeout` seconds.

    Returns (seconds, peak RSS in MB, whether it was stopped).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(url),
        stdout=subprocess.DEVNULL,
    )
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, 0 if timeout is None else os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    if not timed_out and os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed")
    return elapsed, usage.ru_maxrss / 1024, timed_out


def pages_step(url, *args, env=None):
    """A step of tools/loadtest/pages.py, in its own process; returns its JSON output."""
    return django_step(url, "tools.loadtest.pages", *args, env=env)


def django_step(url, module, *args, env=None, timeout=600, progress=False):
    """`python -m module *args` on the database at `url`; returns the JSON its stdout ends with.
    With `progress`, what it says on stderr goes to ours as it comes."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env or django_env(url),
        stdout=subprocess.PIPE,
        stderr=None if progress else subprocess.PIPE,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        stderr = "(above)" if progress else result.stderr[-3000:]
        raise SystemExit(f"{module} {args[0] if args else ''} failed:\n{stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def generate(name, counts):
    """A new database `name` holding a generated dataset (`generate_sample_data`, `counts` as
    its options), every entry published; returns its URL."""
    url = create_database(name)
    manage(url, "generate_sample_data", *(f"--{k}={v}" for k, v in counts.items()))
    pages_step(url, "publish")
    return url
