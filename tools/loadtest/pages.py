"""For tools/loadtest/bench.py: the Django-side steps of the HTTP section, in a process of their own
(`python -m tools.loadtest.pages COMMAND ...`, from the project's root).

Runs against the database in DATABASE_URL (the bench database), with the environment the
server gets (DJANGO_SETTINGS_MODULE=tools.loadtest.settings and NETFREE_BENCH_BODY, so the
minimal view is there too).

  publish                  publish every entry (generate_sample_data makes drafts, which public
                           pages do not show) and move the content version on
  probe HOST BODY TARGETS  pick the country to load (sample-kz when there, else the first),
                           save its public page, as served to HOST, to the file BODY, and print
                           as JSON the slug and the queries each target costs. TARGETS is a JSON
                           list of [name, path with {slug}, who asks (see bench.py)]. Each page is
                           requested twice and the second request counted: the steady state of
                           a worker that has served the page before (per-process caches warm).
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netfree.settings")

SESSION_COOKIE = "bench"  # no such session: the page is rendered as for an anonymous reader


def publish():
    from django.db import transaction

    from countries.cache import content_changed
    from countries.models import Country

    with transaction.atomic():
        count = Country.objects.update(is_published=True)
        content_changed()  # update() sends no signals
    print(json.dumps({"published": count}))


def probe(host, body_path, targets):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from countries.models import Country

    slugs = sorted(Country.objects.published().values_list("slug", flat=True))
    if not slugs:
        raise SystemExit("no published country to load")
    slug = "sample-kz" if "sample-kz" in slugs else slugs[0]
    page = Client(HTTP_HOST=host).get(f"/countries/{slug}/")
    if page.status_code != 200:
        raise SystemExit(f"/countries/{slug}/ answered {page.status_code}")
    Path(body_path).write_bytes(page.content)
    queries, statuses = {}, {}
    editor = editor_session()
    for name, template, who in targets:
        client = Client(HTTP_HOST=host)
        if who == "reader":
            client.cookies[settings.SESSION_COOKIE_NAME] = SESSION_COOKIE
        elif who == "editor":
            client.cookies[settings.SESSION_COOKIE_NAME] = editor
        path = template.format(slug=slug)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries[name] = len(captured)
        statuses[name] = response.status_code
    print(
        json.dumps(
            {
                "slug": slug,
                "queries": queries,
                "statuses": statuses,
                "editor_cookie": f"{settings.SESSION_COOKIE_NAME}={editor}",
            }
        )
    )


def editor_session():
    """The session key of a signed-in editor, as a browser holds it after logging in."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main():
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "publish":
        publish()
    elif command == "probe":
        host, body_path, targets = args
        probe(host, body_path, json.loads(targets))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
