"""`make soak` is not part of the suite, but it must not rot: run its short versions.

scripts/soak starts a PostgreSQL server of its own (the soak restarts it, which no test may do
to the suite's database) and runs `python -m tools.loadtest.soak` against it, with --fault redis
on a redis-server of its own (which it pauses and kills), so this runs the same way under every
tier, SQLite's included: once.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.once  # its own PostgreSQL, gunicorn and Redis, whatever the tier's

ROWS = [
    "reader requests",
    "reader req/s before restart",
    "reader req/s after restart",
    "rate held (after / before)",
    "restart window",
    "PostgreSQL down",
    "recovery: PostgreSQL up -> first good page",
    "reader errors outside the window",
    "probe/editor errors outside",
    "edits attempted / confirmed / refused / failed",
    "edits lost",
    "stale pages served after a confirmed edit",
    "confirmed edits found in history",
]

REDIS_ROWS = [
    "reader requests",
    "reader req/s before the faults",
    "reader req/s after the faults",
    "rate held (after / before)",
    "Redis paused (SIGSTOP -> SIGCONT)",
    "Redis down (SIGKILL -> answering again)",
    "old pages Redis held when back (pause / restart)",
    "recovery: Redis back -> first good page",
    "reader errors in the pause / restart",
    "reader errors outside the faults",
    "probe/editor errors in the pause / restart",
    "edits saved during the pause / restart",
    "edits lost",
    "stale pages served after a confirmed edit",
    "confirmed edits found in history",
]


def run_soak(*args):
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "soak"),
        "VENV": str(Path(sys.executable).parent.parent),
    }
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        ["bash", "scripts/soak", "--quick", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = result.stdout
    assert result.returncode == 0, report + result.stderr[-3000:]
    assert "checks:" in report and "FAIL" not in report
    return report


def test_soak_runs_through_a_postgresql_restart_and_its_checks_pass():
    report = run_soak()
    for row in ROWS:
        assert f"\n{row} " in report, row
    assert report.count("  PASS  ") == 7


def test_soak_runs_through_a_redis_pause_and_restart_and_its_checks_pass():
    report = run_soak("--fault", "redis")
    for row in REDIS_ROWS:
        assert f"\n{row} " in report, row
    assert report.count("  PASS  ") == 8
