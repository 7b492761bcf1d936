"""The admin at real size (issue 15): what one entry costs with 5, 500 and 5,000 blocked sites.

An entry's admin change page should cost about the same with 5 sites or 5,000 (at most 2x: the
goal, checked for the admin's GET and POST), and its public page and API should stay fast. On a
database of its own (a few generated entries, published), tools/loadtest/entry_pages.py gives
the first entries those numbers of sites and times, in one process with Django's test client
and the production profile, each request alone: the admin GET of the change page, the admin POST
of that page as a browser submits it (a save: 302), the public page and the API detail for the
first reader after a change (page and fragments rendered afresh). Medians of the repetitions.

Part of `make bench` (tools/loadtest/bench.py); on its own:

    python -m tools.loadtest.entry_size [--quick] [--sizes 5,500,5000] [--reps 5]
                                        [--min-reps 3] [--budget 60]

on the database server in DATABASE_URL (SQLite files in the temporary folder without one).
"""

import argparse
import os
import statistics
from urllib.parse import urlsplit

from tools.loadtest.project import django_env, django_step, generate
from tools.loadtest.report import print_table, say

SIZES = (5, 500, 5_000)
QUICK_SIZES = (5, 50, 500)
REPS, MIN_REPS, BUDGET = 5, 3, 60  # repetitions, but only MIN_REPS once BUDGET s have gone
QUICK_REPS = 1
GOAL = 2.0  # the largest entry's admin GET and POST, at most this times the smallest's
HOST = "127.0.0.1"
MEASURES = ("admin GET", "admin POST", "public page", "API detail")
EXPECTED = {"admin GET": 200, "admin POST": 302, "public page": 200, "API detail": 200}
GOAL_MEASURES = ("admin GET", "admin POST")
TIMEOUT = 3 * 3600  # the step's own time limit: today's 5,000-site change page is slow


def measure(sizes, reps=REPS, min_reps=MIN_REPS, budget=BUDGET):
    """The step's results (JSON: per size, per measure), on a database made for it."""
    counts = {"countries": max(len(sizes), 4), "sites": 0, "metrics": 60, "articles": 8}
    say(f"entry size: generating {counts['countries']} entries, then {sizes} sites on them")
    url = generate("netfree_bench_entries", counts)
    args = [HOST, ",".join(str(s) for s in sizes), str(reps), str(min_reps), str(budget)]
    return django_step(
        url,
        "tools.loadtest.entry_pages",
        *args,
        env=django_env(url, DJANGO_ALLOWED_HOSTS=HOST),
        timeout=TIMEOUT,
        progress=True,
    )


def report(results):
    """(header, rows, goal lines) of the table: a row per figure, a column per size."""
    sizes = [int(size) for size in results]
    small, large = str(sizes[0]), str(sizes[-1])
    header = (
        "measurement",
        *(f"{size:,} sites" for size in sizes),
        f"{sizes[-1]:,} / {sizes[0]:,}",
        f"goal (<= {GOAL:g}x)",
    )
    rows, goals = [], []

    def median(size, name):
        return statistics.median(results[size][name]["ms"] or [float("nan")])

    for name in MEASURES:
        cells = []
        for size in results:
            statuses = results[size][name]["statuses"]
            wrong = sorted({s for s in statuses if s != EXPECTED[name]})
            cell = f"{median(size, name):,.1f}"
            cells.append(f"{cell} [{'/'.join(map(str, wrong))}!]" if wrong else cell)
        ratio = median(large, name) / median(small, name)
        verdict = "-"
        if name in GOAL_MEASURES:
            answered = all(
                s == EXPECTED[name] for size in results for s in results[size][name]["statuses"]
            )
            met = ratio <= GOAL and answered
            verdict = "PASS" if met else "FAIL"
            why = "" if answered else f"; not every answer was {EXPECTED[name]}"
            goals.append(
                f"{name}, {sizes[-1]:,} sites <= {GOAL:g} x {sizes[0]:,} sites: "
                f"{'met' if met else 'NOT met'} ({ratio:.2f}{why})"
            )
        rows.append((f"{name}, ms", *cells, f"{ratio:.2f}", verdict))
    for name in MEASURES:
        if name == "admin POST":
            continue  # a redirect: no body to speak of
        sizes_kb = [results[size][name]["bytes"] / 1024 for size in results]
        ratio = sizes_kb[-1] / sizes_kb[0] if sizes_kb[0] else float("nan")
        rows.append((f"{name}, KB", *(f"{kb:,.1f}" for kb in sizes_kb), f"{ratio:.2f}", "-"))
    for name in MEASURES:
        queries = [results[size][name]["queries"] for size in results]
        rows.append((f"{name}, queries", *map(str, queries), "", "-"))
    rows.append(
        (
            "admin POST, answered",
            *(
                "/".join(sorted({str(s) for s in results[size]["admin POST"]["statuses"]})) or "-"
                for size in results
            ),
            "",
            "302",
        )
    )
    rows.append(("admin form, fields", *(str(results[s]["form fields"]) for s in results), "", "-"))
    rows.append(("repetitions", *(str(results[s]["reps"]) for s in results), "", "-"))
    return header, rows, goals


def print_report(results, title):
    header, rows, goals = report(results)
    print(f"\n{title}")
    print_table(header, rows)
    return goals


def describe(reps, min_reps, budget):
    engine = urlsplit(os.environ.get("DATABASE_URL", "sqlite://")).scheme
    return (
        f"Entry size ({engine}; in-process, Django's test client, production profile): "
        f"median ms of {reps} repetition(s) ({min_reps} once {budget:g} s have gone on a size); "
        "public page and API for the first reader after a change; [NNN!] marks other answers"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5/50/500 sites, one repetition")
    parser.add_argument("--sizes", help="numbers of sites, smallest first (5,500,5000)")
    parser.add_argument("--reps", type=int, help=f"repetitions per size ({REPS})")
    parser.add_argument("--min-reps", type=int, help=f"repetitions once over budget ({MIN_REPS})")
    parser.add_argument("--budget", type=float, default=BUDGET, help="seconds per size")
    options = parser.parse_args()
    sizes, reps, min_reps = settings(options)
    results = measure(sizes, reps, min_reps, options.budget)
    goals = print_report(results, describe(reps, min_reps, options.budget))
    for line in goals:
        print(f"  {line}")


def settings(options):
    """(sizes, reps, min_reps) from the command line's options (--quick, --sizes, --reps...)."""
    if options.sizes:
        sizes = tuple(int(size) for size in options.sizes.split(","))
    else:
        sizes = QUICK_SIZES if options.quick else SIZES
    reps = options.reps or (QUICK_REPS if options.quick else REPS)
    min_reps = min(options.min_reps or (QUICK_REPS if options.quick else MIN_REPS), reps)
    return sizes, reps, min_reps


if __name__ == "__main__":
    main()
