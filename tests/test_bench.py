"""`make bench` is not part of the suite, but it must not rot: run it on a tiny dataset."""

import os
import subprocess
import sys

from django.conf import settings


def test_bench_runs_on_a_tiny_dataset():
    env = {**os.environ, "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench")}
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "scripts/bench.py", "--quick"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    assert "operation" in table and "peak RSS MB" in table
    for operation in ("export_fixtures", "import_fixtures", "loaddata (Django)"):
        assert f"\n{operation} " in table
