"""For tools/loadtest/entry_size.py: what one entry costs as its list of blocked sites grows, in a
process of its own (`python -m tools.loadtest.entry_pages HOST SIZES REPS MIN_REPS BUDGET`, from
the project's root, on the database in DATABASE_URL, with the environment the bench's server
gets).

The database holds generated entries (generate_sample_data, no sites), published. The first
len(SIZES) entries get SIZES[i] blocked sites each (one in ten a candidate from a test list, the
rest confirmed), then every request is made in this process with Django's test client, the
production profile (DEBUG off), timed around the request alone:

  admin GET    the entry's change page, signed in as a superuser
  admin POST   that page's form as a browser submits it (every field the GET rendered: the
               loaded_version, whatever inline management forms there are), the summary
               changed; a save answers 302
  public page  /countries/<slug>/ for an anonymous reader, the content version moved on first:
               the first reader after a change, the page and its fragments rendered afresh
  API detail   /api/v1/countries/<slug>/, likewise

Each size is measured REPS times, or MIN_REPS times once BUDGET seconds have gone on it. Prints
as JSON, per size: the milliseconds of each repetition, the statuses, the bytes of the last
response and the queries of the last request.
"""

import json
import os
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netfree.settings")

CANDIDATE_EVERY = 10  # one site in ten is a candidate, not yet public
MEASURES = ("admin GET", "admin POST", "public page", "API detail")


def add_sites(country, size, sources):
    from countries.choices import Action, Category, Review, SiteStatus
    from countries.models import BlockedSite

    actions, categories, statuses = Action.values, Category.values, SiteStatus.values

    def site(n):
        candidate = n % CANDIDATE_EVERY == CANDIDATE_EVERY - 1
        return BlockedSite(
            country=country,
            name=f"Site {n:05d} of {country.name}",
            url=f"site-{n}.{country.slug}.example.org" if n % 5 else "",
            action="" if candidate else actions[n % len(actions)],
            category=categories[n % len(categories)],
            review=Review.CANDIDATE if candidate else Review.CONFIRMED,
            status=statuses[n % len(statuses)],
            since_year=None if n % 4 == 0 else 2000 + n % 24,
            source=None if candidate else sources[n % len(sources)],
            notes="Reported by **users**." if n % 3 == 0 else "",
            test_list_date=date(2017, 1 + n % 12, 1) if candidate else None,
            test_list_source="citizenlab" if candidate else "",
        )

    BlockedSite.objects.filter(country=country).delete()
    BlockedSite.objects.bulk_create((site(n) for n in range(size)), batch_size=2000)


class QueryCounter:
    """connection.execute_wrapper: counts queries, at the cost of a call each."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(method, *args):
    """(milliseconds, response, queries) of one request, `method(*args)`."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = method(*args)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response, counter.count


def post_data(html, rep):
    """The change form as a browser submits it on "Save", with the summary changed."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from tools.loadtest.browser_form import read_form

    fields = read_form(html, "country_form")
    fields["summary_en"] = f"{fields.get('summary_en', '')} Edited by the bench ({rep})."
    fields["_save"] = "Save"
    return encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT, len(fields)


def measure(host, country, reps, min_reps, budget, admin, reader):
    from django.urls import reverse

    from countries.api import api
    from countries.cache import bump_content_version

    change_url = reverse("admin:countries_country_change", args=[country.pk])
    page_url = country.get_absolute_url()
    api_url = reverse(f"{api.urls_namespace}:country_detail", kwargs={"slug": country.slug})
    result = {name: {"ms": [], "statuses": [], "bytes": 0, "queries": 0} for name in MEASURES}
    result["form fields"] = 0

    def record(name, timing):
        elapsed, response, queries = timing
        entry = result[name]
        entry["ms"].append(round(elapsed, 2))
        entry["statuses"].append(response.status_code)
        entry["bytes"], entry["queries"] = len(response.content), queries
        return response

    started = time.monotonic()
    rep = 0
    while rep < reps and (rep < min_reps or time.monotonic() - started < budget):
        rep += 1
        page = record("admin GET", timed(admin.get, change_url))
        if page.status_code == 200:
            body, content_type, result["form fields"] = post_data(page.content.decode(), rep)
            record("admin POST", timed(admin.generic, "POST", change_url, body, content_type))
        bump_content_version()  # a change: the page and its fragments are rendered afresh
        record("public page", timed(reader.get, page_url))
        bump_content_version()
        record("API detail", timed(reader.get, api_url))
    result["reps"] = rep
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def main():
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from countries.cache import content_changed
    from countries.models import Country, Source

    host, sizes, reps, min_reps, budget = sys.argv[1:]
    sizes = [int(size) for size in sizes.split(",")]
    reps, min_reps, budget = int(reps), int(min_reps), float(budget)

    countries = list(Country.objects.order_by("pk")[: len(sizes)])
    if len(countries) < len(sizes):
        raise SystemExit(f"{len(sizes)} entries needed, {len(countries)} in the database")
    sources = list(Source.objects.order_by("pk"))
    for country, size in zip(countries, sizes, strict=True):
        add_sites(country, size, sources)
    content_changed()  # bulk_create sends no signals

    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    # Errors are answers to count, not reasons to stop: a 500 shows in the table.
    admin = Client(HTTP_HOST=host, raise_request_exception=False)
    admin.force_login(user)
    reader = Client(HTTP_HOST=host, raise_request_exception=False)
    # Warm the process (imports, templates, per-process caches) on the smallest entry, untimed.
    measure(host, countries[0], 1, 1, 0, admin, reader)

    results = {}
    for country, size in zip(countries, sizes, strict=True):
        print(f"entry size: {size:,} sites ({country.slug})", file=sys.stderr, flush=True)
        results[str(size)] = measure(host, country, reps, min_reps, budget, admin, reader)
        results[str(size)]["slug"] = country.slug
    print(json.dumps(results))


if __name__ == "__main__":
    main()
