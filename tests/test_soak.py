"""`make soak` is not part of the suite, but it must not rot: run its short version.

scripts/soak starts a PostgreSQL server of its own (the soak restarts it, which no test may do
to the suite's database), so this runs the same way under every tier, SQLite's included.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

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
    "confirmed edits found in history",
]


def test_soak_runs_through_a_postgresql_restart_and_its_checks_pass():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "soak"),
        "VENV": str(Path(sys.executable).parent.parent),
    }
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        ["bash", "scripts/soak", "--quick"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = result.stdout
    assert result.returncode == 0, report + result.stderr[-3000:]
    for row in ROWS:
        assert f"\n{row} " in report, row
    assert "checks:" in report and "FAIL" not in report
    assert report.count("  PASS  ") == 6
