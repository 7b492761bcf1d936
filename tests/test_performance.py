"""Costs that do not grow with the data, and a page cache that is never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import BlockedSite, ConstitutionalArticle, Country, Metric, Source

from .forms import read_form
from .helpers import export

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/?sort=-penetration&region=143",
    "/countries/kazakhstan/",
    "/topics/net-neutrality/",
    "/topics/isp-safe-harbors/",
    "/blocked-sites/",
    "/blocked-sites/?category=HOST",
    "/blocked-sites/LiveJournal/",
    "/constitutions/",
    "/search/?q=censorship",
    "/feeds/updates.atom",
    "/countries/kazakhstan/changes.atom",
    "/sitemap.xml",
    "/embed/map/",
    "/api/v1/countries/",
    "/api/v1/countries/kazakhstan/",
    "/api/v1/blocked-sites/",
    "/api/v1/metrics/",
]


def grow(kazakhstan, countries=30, sites_each=20):
    """Many more countries, and Kazakhstan with 500 blocked sites, each row with a source."""
    source = Source.objects.create(name="RSF", url="https://rsf.org/")
    codes = list(("AF AL AM AZ BY CN CU EG ER ET GE IN IR IQ JO KG KP LA LY MA MM "
             "PK QA RU SA SY TJ TM TR UZ VN").split())[:countries]  # fmt: skip
    created = Country.objects.bulk_create(
        Country(name=f"Country {code}", slug=f"country-{code.lower()}", iso_code=code,
                region="145", summary="A summary about censorship.", is_published=True)
        for code in codes
    )  # fmt: skip
    BlockedSite.objects.bulk_create(
        BlockedSite(country=c, name=f"Site {n}", action="blocked", category="NEWS", source=source)
        for c in created
        for n in range(sites_each)
    )
    BlockedSite.objects.bulk_create(
        BlockedSite(country=kazakhstan, name=f"Extra site {n}", action="throttled", source=source)
        for n in range(500)
    )
    Metric.objects.bulk_create(
        Metric(country=c, kind="internet_penetration", value=10 + n, year=2014 + n, source=source)
        for c in [kazakhstan, *created]
        for n in range(1, 8)
    )
    ConstitutionalArticle.objects.bulk_create(
        ConstitutionalArticle(country=c, number=str(n), topic="speech", clauses=["A clause."])
        for c in created
        for n in range(1, 4)
    )


def queries_for(client, url):
    from django.core.cache import caches

    for alias in ("default", "markdown", "rendered"):
        caches[alias].clear()  # measure the full render, not a cache hit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_public_pages_cost_the_same_whatever_the_data(client, kazakhstan):
    small = {url: queries_for(client, url) for url in PUBLIC_PAGES}
    grow(kazakhstan)
    large = {url: queries_for(client, url) for url in PUBLIC_PAGES}
    # Two more on the entry's page once its sites outnumber what it lists: their count, and
    # the sources that those it does not list cite (credited in its list of sources).
    entry = kazakhstan.get_absolute_url()
    assert large.pop(entry) == small.pop(entry) + 2
    assert large == small
    assert max(small.values()) <= 12, small


ADMIN_PAGES = [
    "/admin/",
    "/admin/countries/country/",
    "/admin/countries/country/?review=stale&figures=outdated",
    "/admin/countries/blockedsite/",
    "/admin/countries/metric/",
    "/admin/countries/constitutionalarticle/",
]


def test_admin_pages_cost_the_same_whatever_the_data(admin_client, kazakhstan):
    change = reverse("admin:countries_country_change", args=[kazakhstan.pk])
    admin_client.get("/admin/")  # the first request after signing in refreshes the session
    small = {url: queries_for(admin_client, url) for url in [*ADMIN_PAGES, change]}
    grow(kazakhstan)
    large = {url: queries_for(admin_client, url) for url in [*ADMIN_PAGES, change]}
    assert large == small
    assert kazakhstan.blocked_sites.count() == 504  # none of them on the change page


# The page cache ----------------------------------------------------------------------------------


def edit_summary(editor_client, country, summary):
    url = reverse("admin:countries_country_change", args=[country.pk])
    data = read_form(editor_client.get(url).content.decode(), "country_form")
    data["summary_en"] = summary
    data["net_neutrality_status"] = "partial"
    assert editor_client.post(url, data).status_code == 302


@pytest.mark.parametrize(
    "url, shows",
    [
        ("/countries/kazakhstan/", "A brand new summary."),
        ("/", "A brand new summary."),
        ("/topics/net-neutrality/", "Partial"),
        ("/api/v1/countries/kazakhstan/", "A brand new summary."),
        ("/search/?q=brand", "Kazakhstan"),
    ],
)
def test_an_edit_shows_on_the_very_next_request(client, admin_client, kazakhstan, url, shows):
    before = client.get(url)
    assert client.get(url).content == before.content  # now served from the cache
    edit_summary(admin_client, kazakhstan, "A brand new summary.")
    after = client.get(url).content.decode()
    assert shows in after
    assert after != before.content.decode()


@pytest.mark.parametrize("url", ["/countries/kazakhstan/", "/", "/?sort=-blocked_sites"])
def test_an_edit_shows_at_once_past_the_page_cache_too(client, admin_client, kazakhstan, url):
    """A reader with a session cookie skips the page cache; the shared fragments must not lag."""
    client.cookies["sessionid"] = "no-such-session"
    assert "Kazakhstan" in client.get(url).content.decode()
    edit_summary(admin_client, kazakhstan, "A brand new summary.")
    assert "A brand new summary." in client.get(url).content.decode()


def test_unknown_query_parameters_neither_leak_into_links_nor_render_anew(client, kazakhstan):
    client.get("/?sort=region")
    with CaptureQueriesContext(connection) as captured:
        page = client.get('/?sort=region&utm_source="><script>').content.decode()
    # The map and table came from the fragments: the only query reads the content version.
    [query] = captured.captured_queries
    assert "countries_contentversion" in query["sql"]
    assert "utm_source" not in page and "<script>" not in page
    assert 'href="?sort=-region#compare-title"' in page


def test_pages_with_a_query_string_stay_out_of_the_shared_cache(client, kazakhstan):
    from django.core.cache import cache

    client.get("/countries/kazakhstan/")
    stored = len(cache._cache)  # the test's shared cache is an in-memory one
    for n in range(5):
        assert client.get(f"/countries/kazakhstan/?junk={n}").status_code == 200
    assert len(cache._cache) == stored


def test_unpublishing_refreshes_cached_pages(client, admin_client, kazakhstan):
    assert client.get("/countries/kazakhstan/").status_code == 200
    admin_client.post(
        reverse("admin:countries_country_changelist"),
        {"action": "unpublish", "_selected_action": [kazakhstan.pk]},
    )
    assert client.get("/countries/kazakhstan/").status_code == 404
    assert 'href="/countries/kazakhstan/"' not in client.get("/").content.decode()


def test_editing_a_row_on_its_own_page_refreshes_the_entry(client, admin_client, kazakhstan):
    assert "Reported" in client.get("/countries/kazakhstan/").content.decode()
    site = BlockedSite.objects.get(name="blogs")
    url = reverse("admin:countries_blockedsite_change", args=[site.pk])
    data = read_form(admin_client.get(url).content.decode(), "blockedsite_form")
    admin_client.post(url, {**data, "status": "lifted"})
    assert "Lifted" in client.get("/countries/kazakhstan/").content.decode()


def test_cache_headers_and_revalidation(client, kazakhstan):
    first = client.get("/countries/kazakhstan/")
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/countries/kazakhstan/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/countries/kazakhstan/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get("/countries/kazakhstan/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert client.head("/countries/kazakhstan/").status_code == 200


def test_signed_in_editors_always_get_fresh_private_pages(client, django_user_model, kazakhstan):
    client.force_login(django_user_model.objects.create_user(username="ed", is_staff=True))
    response = client.get("/countries/kazakhstan/")
    assert "private" in response["Cache-Control"]
    Country.objects.filter(pk=kazakhstan.pk).update(name="Kazakhstan (edited)")  # no signal
    assert "<h1>Kazakhstan (edited)</h1>" in client.get("/countries/kazakhstan/").content.decode()


def test_errors_and_admin_pages_are_not_cached(client, admin_client, kazakhstan):
    assert client.get("/countries/atlantis/").status_code == 404
    Country.objects.filter(pk=kazakhstan.pk).update(slug="atlantis")  # no signal on purpose
    assert client.get("/countries/atlantis/").status_code == 200  # the 404 was not kept
    assert "no-cache" in admin_client.get("/admin/").get("Cache-Control", "")


def test_static_files_are_compressed_and_fingerprinted(client, settings):
    from django.contrib.staticfiles.storage import staticfiles_storage

    url = staticfiles_storage.url("countries/site.css")
    assert (
        url.startswith("/static/countries/site.") and url.endswith(".css") and url.count(".") >= 2
    )
    assert (settings.STATIC_ROOT / url.removeprefix("/static/")).with_suffix(".css.gz").exists()


def test_an_entry_with_hundreds_of_sites_saves_through_the_admin(admin_client, kazakhstan):
    """The sites are not on the entry's form: it stays small and saves whatever their number."""
    grow(kazakhstan, countries=1, sites_each=1)
    assert kazakhstan.blocked_sites.count() > 500
    url = reverse("admin:countries_country_change", args=[kazakhstan.pk])
    data = read_form(admin_client.get(url).content.decode(), "country_form")
    assert not any(key.startswith("blocked_sites-") for key in data)
    data["summary_en"] = "Saved with 504 blocked sites listed apart."
    assert admin_client.post(url, data).status_code == 302
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "Saved with 504 blocked sites listed apart."
    assert kazakhstan.blocked_sites.count() > 500


def test_an_import_refreshes_cached_pages_once_it_is_done(client, kazakhstan, tmp_path):
    import io
    import json

    from django.core.management import call_command

    before = client.get("/countries/kazakhstan/").content.decode()
    export(tmp_path)
    entry = json.loads((tmp_path / "kazakhstan.json").read_text())
    entry[0]["fields"]["summary_en"] = "Imported summary."
    (tmp_path / "kazakhstan.json").write_text(json.dumps(entry))
    call_command("import_fixtures", *map(str, tmp_path.glob("*.json")), stdout=io.StringIO())
    after = client.get("/countries/kazakhstan/").content.decode()
    assert "Imported summary." in after and after != before


@pytest.mark.parametrize("command", ["import_fixtures", "loaddata"])
def test_loading_fixtures_moves_the_content_version_once_not_per_object(
    command, client, kazakhstan, tmp_path, monkeypatch
):
    import io
    import json

    from django.core.management import call_command

    from countries import cache

    export(tmp_path)
    entry = json.loads((tmp_path / "kazakhstan.json").read_text())
    entry[0]["fields"]["summary_en"] = "Loaded summary."
    (tmp_path / "kazakhstan.json").write_text(json.dumps(entry))
    assert len(entry) >= 10  # many objects saved: one version move per object would show
    bumps = []
    real_bump = cache.bump_content_version
    monkeypatch.setattr(cache, "bump_content_version", lambda: bumps.append(1) or real_bump())
    client.get("/countries/kazakhstan/")
    call_command(command, *map(str, tmp_path.glob("*.json")), stdout=io.StringIO())
    assert len(bumps) == 1  # once, with the transaction
    assert "Loaded summary." in client.get("/countries/kazakhstan/").content.decode()
