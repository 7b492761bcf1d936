"""`make bench` is not part of the suite, but it must not rot: run it on a tiny dataset.

scripts/bench starts a PostgreSQL server of its own and runs `python -m tools.loadtest.bench`
against it, so this runs the same way under every tier, SQLite's included: once.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.once  # its own PostgreSQL and gunicorn, whatever the tier's


def test_bench_runs_on_a_tiny_dataset():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench"),
        "VENV": str(Path(sys.executable).parent.parent),
    }
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        ["bash", "scripts/bench", "--quick"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    table = result.stdout
    assert "operation" in table and "peak RSS MB" in table
    for operation in ("export_fixtures", "import_fixtures", "loaddata (Django)"):
        assert f"\n{operation} " in table
