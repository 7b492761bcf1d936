"""`make bench`: figures that unit tests must not time, printed as one table.

Runs against the database in DATABASE_URL (scripts/bench starts a throwaway PostgreSQL).
Fixtures: generate a dataset at two sizes (a quarter, then the full size: 250 countries,
50,000 blocked sites, 25,000 metrics, 2,000 articles), and for each measure export, import into
an empty database, and Django's own loaddata for comparison: wall time and the peak resident
memory of the process doing it. Peak memory that does not grow with the dataset shows the
export and import stream rather than load everything.

Usage: python scripts/bench.py [--scale 1.0] [--quick]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FULL = {"countries": 250, "sites": 50_000, "metrics": 25_000, "articles": 2_000}


def database_url(name):
    parts = urlsplit(os.environ.get("DATABASE_URL", "sqlite://"))
    if parts.scheme.startswith("sqlite"):
        return f"sqlite:///{Path(tempfile.gettempdir()) / name}.sqlite3"
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(name):
    url = database_url(name)
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "-v0")
    return url


def manage(url, *args):
    """Run a management command in its own process; returns (seconds, peak RSS in MB)."""
    env = {**os.environ, "DATABASE_URL": url}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed")
    return elapsed, usage.ru_maxrss / 1024


def fixture_benchmarks(scale, rows, quick=False):
    # Two sizes, so that peak memory can be compared as the dataset grows.
    sizes = [scale] if quick else [scale / 4, scale]
    for size in sizes:
        counts = {key: max(int(value * size), 1) for key, value in FULL.items()}
        counts["countries"] = min(max(counts["countries"], 4), 250)
        objects = sum(counts.values()) + 3 * counts["countries"] + 20
        label = (
            f"{counts['countries']} countries, {counts['sites']:,} sites, "
            f"{counts['metrics']:,} metrics"
        )
        source = create_database("netfree_bench_source")
        manage(source, "generate_sample_data", *(f"--{k}={v}" for k, v in counts.items()))
        folder = Path(tempfile.mkdtemp(prefix="netfree-bench-"))
        try:
            seconds, memory = manage(source, "export_fixtures", "--output", str(folder))
            size_mb = sum(p.stat().st_size for p in folder.glob("*.json")) / 2**20
            rows.append(
                ("export_fixtures", label, objects, seconds, memory, f"{size_mb:.1f} MB written")
            )
            files = sorted(str(p) for p in folder.glob("*.json"))
            target = create_database("netfree_bench_target")
            seconds, memory = manage(target, "import_fixtures", *files)
            rows.append(
                ("import_fixtures", label, objects, seconds, memory, "validated, all or nothing")
            )
            target = create_database("netfree_bench_target")
            seconds, memory = manage(target, "loaddata", "-v0", *files)
            rows.append(("loaddata (Django)", label, objects, seconds, memory, "for comparison"))
        finally:
            shutil.rmtree(folder)


def print_table(rows):
    header = ("operation", "dataset", "objects", "seconds", "objects/s", "peak RSS MB", "note")
    lines = [
        (op, data, f"{n:,}", f"{s:.1f}", f"{n / s:,.0f}", f"{m:.0f}", note)
        for op, data, n, s, m, note in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    print()
    for line in (header, tuple("-" * w for w in widths), *lines):
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the full dataset")
    parser.add_argument("--quick", action="store_true", help="a tiny dataset, for the smoke test")
    options = parser.parse_args()
    scale = 0.01 if options.quick else options.scale
    rows = []
    engine = urlsplit(os.environ.get("DATABASE_URL", "sqlite://")).scheme
    print(f"database: {engine}; scale {scale}", flush=True)
    fixture_benchmarks(scale, rows, quick=options.quick)
    print_table(rows)


if __name__ == "__main__":
    main()
