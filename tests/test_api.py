"""The open-data API: content, drafts, filters, pages, caching, CORS, the schema, query counts."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from jsonschema import Draft202012Validator

from countries.cache import content_changed
from countries.markdown import render_markdown
from countries.models import BlockedSite, Country

from .factories import (
    ArticleFactory,
    CountryFactory,
    IspFactory,
    MetricFactory,
    SiteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
PATHS = {
    "/api/v1/countries/",
    "/api/v1/countries/{slug}/",
    "/api/v1/blocked-sites/",
    "/api/v1/metrics/",
}
SECTION_FIELDS = [
    "summary",
    "censorship",
    "website_blocking",
    "privacy",
    "internet_access",
    "isp_safe_harbors",
    "net_neutrality",
]
# Names and codes whose order is the same under every database collation.
CODES = ["AM", "AZ", "BY", "EE", "GE", "KG", "KZ", "LT", "LV", "MD", "MN", "RU", "TJ", "TM", "UZ"]


def get(client, path, **headers):
    return client.get(f"{API}{path}", headers=headers)


def data(client, path):
    response = get(client, path)
    assert response.status_code == 200, response.content
    return response.json()


def names(items):
    return sorted(item["name"] for item in items)


@pytest.fixture
def draft():
    country = CountryFactory(name="Draftland", slug="draftland", iso_code="UZ", is_published=False)
    SiteFactory(country=country, name="Secret site", category="NEWS")
    MetricFactory(country=country, year=2020)
    ArticleFactory(country=country)
    IspFactory(country=country, name="Secret Telecom")
    return country


# Content --------------------------------------------------------------------------------------


def test_country_list(client, kazakhstan):
    page = data(client, "/countries/")
    assert (page["count"], page["page"], page["next"], page["previous"]) == (1, 1, None, None)
    [item] = page["items"]
    assert item == {
        "iso_code": "KZ",
        "name": "Kazakhstan",
        "slug": "kazakhstan",
        "url": "http://testserver/countries/kazakhstan/",
        "api_url": "http://testserver/api/v1/countries/kazakhstan/",
        "region": {"code": "143", "name": "Central Asia"},
        "net_neutrality": "no",
        "isp_safe_harbor": "no",
        "isp_count": 3,
        "last_reviewed": None,
        "updated_at": item["updated_at"],
        "internet_penetration": {"value": 54.0, "year": 2013},
        "blocked_site_count": 4,
    }
    assert datetime.datetime.fromisoformat(item["updated_at"]) == kazakhstan.updated_at


def test_country_detail(client, kazakhstan):
    entry = data(client, "/countries/kazakhstan/")
    listed = data(client, "/countries/")["items"][0]
    assert {key: entry[key] for key in listed} == listed

    assert list(entry["sections"]) == SECTION_FIELDS
    for field in SECTION_FIELDS:
        section = entry["sections"][field]
        assert section["markdown"] == getattr(kazakhstan, field)
        assert "[[" not in section["html"]  # placeholders become the quotes they place
    assert entry["sections"]["privacy"]["title"] == "Privacy"
    assert "[[Article 18]]" in entry["sections"]["privacy"]["markdown"]
    # What the page shows: the prose, then Article 18 quoted where the prose places it.
    privacy = entry["sections"]["privacy"]["html"]
    first_clause = kazakhstan.articles.get(number="18").clauses[0]
    assert (
        privacy.index("Constitution recognizes a right to privacy")
        < privacy.index(first_clause)
        < privacy.index("privacy is not secure")
    )
    assert '<figure class="quote" id="article-18">' in privacy

    articles = {article["number"]: article for article in entry["constitutional_articles"]}
    assert set(articles) == {"18", "20"}
    article = kazakhstan.articles.get(number="20")
    assert articles["20"] == {
        "number": "20",
        "topic": "speech",
        "clauses": article.clauses,
        "source": {
            "name": "Constitution of the Republic of Kazakhstan",
            "shown_name": "Constitution of the Republic of Kazakhstan",
            "url": None,
        },
        "translation_note": article.translation_note,
        "notes": article.notes,
        "notes_html": str(article.rendered_notes()),
        "languages": {"clauses": "en", "translation_note": "en", "notes": "en"},
    }
    assert len(articles["20"]["clauses"]) > 1

    assert names(entry["blocked_sites"]) == ["Adil Soz", "Golos Respubliki", "LiveJournal", "blogs"]
    sites = {site["name"]: site for site in entry["blocked_sites"]}
    assert sites["LiveJournal"] == {
        "name": "LiveJournal",
        "url": "livejournal.com",
        "link": "https://livejournal.com",
        "action": "blocked_or_throttled",
        "category": "HOST",
        "category_name": "Hosting and Blogging Platforms",
        "status": "reported",
        "since_year": None,
        "source": None,
        "notes": sites["LiveJournal"]["notes"],
        "notes_html": sites["LiveJournal"]["notes_html"],
        # OONI Explorer's domain page, measured from the site's country.
        "ooni_explorer_url": "https://explorer.ooni.org/domain/livejournal.com?probe_cc=KZ",
        "languages": {"notes": "en"},
    }
    assert sites["blogs"]["url"] is None and sites["blogs"]["link"] is None
    assert sites["blogs"]["ooni_explorer_url"] is None  # no address, nothing to measure
    assert entry["blocked_site_count"] == 4
    assert entry["blocked_sites_url"] == "http://testserver/api/v1/blocked-sites/?country=KZ"

    metrics = {(m["kind"], m["year"]): m for m in entry["metrics"]}
    assert metrics[("internet_users", 2013)]["value"] == 9577924
    assert metrics[("internet_users", 2013)]["unit"] == "users"
    assert metrics[("internet_penetration", 2013)] == {
        "kind": "internet_penetration",
        "value": 54.0,
        "unit": "% of the population",
        "year": 2013,
        "source": {"name": "ITU", "shown_name": "ITU", "url": None},
        "notes": "",
        "notes_html": "",
        "languages": {"notes": "en"},
    }
    assert entry["isps"] == [{"name": "Kaztelecom", "state_owned": True}]


def test_detail_markdown_is_sanitised(client):
    country = CountryFactory(summary="Hi <script>alert(1)</script> [x](javascript:alert(1))")
    SiteFactory(country=country, name="Bad", notes="<img src=x onerror=alert(1)>*fine*")
    entry = data(client, "/countries/testland/")
    summary = entry["sections"]["summary"]
    assert summary["markdown"] == country.summary
    assert render_markdown(country.summary, "summary") in summary["html"]
    assert "<script" not in summary["html"] and "href" not in summary["html"]
    assert (
        entry["blocked_sites"][0]["notes_html"]
        == "<p>&lt;img src=x onerror=alert(1)&gt;<em>fine</em></p>\n"
    )


def test_blocked_sites(client, kazakhstan):
    page = data(client, "/blocked-sites/")
    assert page["count"] == 4
    assert names(page["items"]) == ["Adil Soz", "Golos Respubliki", "LiveJournal", "blogs"]
    adil = next(site for site in page["items"] if site["name"] == "Adil Soz")
    assert adil["category"] == "HUMR" and adil["notes"] == "An NGO."
    assert adil["notes_html"] == "<p>An NGO.</p>\n"
    assert adil["country"] == {
        "iso_code": "KZ",
        "name": "Kazakhstan",
        "slug": "kazakhstan",
        "url": "http://testserver/countries/kazakhstan/",
        "api_url": "http://testserver/api/v1/countries/kazakhstan/",
    }


def test_metrics(client, kazakhstan):
    page = data(client, "/metrics/")
    assert page["count"] == 2
    values = {(m["kind"], m["year"]): m["value"] for m in page["items"]}
    assert values == {("internet_penetration", 2013): 54, ("internet_users", 2013): 9577924}
    assert all(m["country"]["iso_code"] == "KZ" for m in page["items"])


def test_metric_values_are_exact_numbers(client):
    country = CountryFactory()
    MetricFactory(country=country, kind="internet_penetration", value="54.37", year=2014)
    MetricFactory(country=country, kind="internet_users", value="9999999999999", year=2014)
    response = get(client, "/metrics/")
    values = {m["kind"]: m["value"] for m in response.json()["items"]}
    assert values == {"internet_penetration": 54.37, "internet_users": 9999999999999}
    assert b'"value": 54.37,' in response.content


# Drafts -------------------------------------------------------------------------------------------


def test_drafts_never_appear(client, kazakhstan, draft):
    assert [c["slug"] for c in data(client, "/countries/")["items"]] == ["kazakhstan"]
    assert data(client, "/countries/?q=draft")["count"] == 0

    response = get(client, "/countries/draftland/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}

    sites = data(client, "/blocked-sites/")
    assert "Secret site" not in names(sites["items"]) and sites["count"] == 4
    assert data(client, "/blocked-sites/?country=UZ")["count"] == 0
    assert data(client, "/blocked-sites/?q=secret")["count"] == 0

    metrics = data(client, "/metrics/")
    assert metrics["count"] == 2
    assert {m["country"]["iso_code"] for m in metrics["items"]} == {"KZ"}
    assert data(client, "/metrics/?country=UZ")["count"] == 0

    for path in ("/countries/", "/countries/kazakhstan/", "/blocked-sites/", "/metrics/"):
        body = get(client, path).content.decode()
        assert "Draftland" not in body and "Secret" not in body


def test_unpublishing_removes_an_entry_everywhere(client, kazakhstan):
    Country.objects.filter(pk=kazakhstan.pk).update(is_published=False)
    assert data(client, "/countries/")["count"] == 0
    assert get(client, "/countries/kazakhstan/").status_code == 404
    assert data(client, "/blocked-sites/")["count"] == 0
    assert data(client, "/metrics/")["count"] == 0


def test_unknown_slug(client, kazakhstan):
    response = get(client, "/countries/atlantis/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


# Filters and pages ---------------------------------------------------------------------------


def test_country_filters(client):
    CountryFactory(name="Armenia", iso_code="AM", region="145", net_neutrality_status="yes")
    CountryFactory(name="Kazakhstan", iso_code="KZ", isp_safe_harbor_status="partial")
    CountryFactory(name="Kyrgyzstan", iso_code="KG", net_neutrality_status="partial")

    def listed(query):
        return names(data(client, f"/countries/?{query}")["items"])

    assert listed("region=143") == ["Kazakhstan", "Kyrgyzstan"]
    assert listed("region=145") == ["Armenia"]
    assert listed("net_neutrality=yes") == ["Armenia"]
    assert listed("net_neutrality=unknown") == ["Kazakhstan"]
    assert listed("isp_safe_harbor=partial") == ["Kazakhstan"]
    assert listed("q=STAN") == ["Kazakhstan", "Kyrgyzstan"]
    assert listed("q=stan&net_neutrality=partial") == ["Kyrgyzstan"]
    assert get(client, "/countries/?region=999").status_code == 422
    assert get(client, "/countries/?net_neutrality=maybe").status_code == 422


def test_blocked_site_filters(client):
    kz = CountryFactory(name="Kazakhstan", iso_code="KZ")
    am = CountryFactory(name="Armenia", iso_code="AM")
    SiteFactory(country=kz, name="News One", url="news.example", category="NEWS", status="ongoing")
    SiteFactory(country=kz, name="Tube", url="video.example", category="MMED", action="throttled")
    SiteFactory(country=am, name="News Two", category="NEWS", status="lifted")

    def listed(query):
        return names(data(client, f"/blocked-sites/?{query}")["items"])

    assert listed("country=KZ") == ["News One", "Tube"]
    assert listed("country=am") == ["News Two"]
    assert listed("category=NEWS") == ["News One", "News Two"]
    assert listed("action=throttled") == ["Tube"]
    assert listed("status=lifted") == ["News Two"]
    assert listed("q=news") == ["News One", "News Two"]
    assert listed("q=VIDEO.ex") == ["Tube"]
    assert listed("country=KZ&category=NEWS&status=ongoing") == ["News One"]
    assert listed("country=FR") == []
    assert get(client, "/blocked-sites/?category=NOPE").status_code == 422
    assert get(client, "/blocked-sites/?country=KAZ").status_code == 422


def test_metric_filters(client):
    kz = CountryFactory(name="Kazakhstan", iso_code="KZ")
    am = CountryFactory(name="Armenia", iso_code="AM")
    for year in (2010, 2013, 2016):
        MetricFactory(country=kz, year=year)
    MetricFactory(country=kz, kind="internet_users", value=1000, year=2013)
    MetricFactory(country=am, year=2013)

    def listed(query):
        items = data(client, f"/metrics/?{query}")["items"]
        return sorted((m["country"]["iso_code"], m["kind"], m["year"]) for m in items)

    assert len(listed("")) == 5
    assert listed("country=am") == [("AM", "internet_penetration", 2013)]
    assert listed("kind=internet_users") == [("KZ", "internet_users", 2013)]
    assert [row[2] for row in listed("country=KZ&kind=internet_penetration&year_from=2013")] == [
        2013,
        2016,
    ]
    assert [row[2] for row in listed("country=KZ&year_to=2010")] == [2010]
    assert listed("year_from=2011&year_to=2015&country=KZ") == [
        ("KZ", "internet_penetration", 2013),
        ("KZ", "internet_users", 2013),
    ]
    assert get(client, "/metrics/?kind=speed").status_code == 422
    assert get(client, "/metrics/?year_from=soon").status_code == 422


def test_pages(client):
    for index, code in enumerate(CODES[:5]):
        CountryFactory(name=f"Country {index}", iso_code=code)
    first = data(client, "/countries/?page_size=2&region=143")
    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert names(first["items"]) == ["Country 0", "Country 1"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/countries/?page_size=2&region=143&page=2"

    second = client.get(first["next"]).json()
    assert names(second["items"]) == ["Country 2", "Country 3"]
    assert second["previous"].endswith("?page_size=2&region=143&page=1")
    last = client.get(second["next"]).json()
    assert names(last["items"]) == ["Country 4"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/countries/?page_size=2&region=143&page=2"

    beyond = data(client, "/countries/?page_size=2&page=9")
    assert beyond["items"] == [] and beyond["next"] is None
    assert beyond["previous"].endswith("page=3")
    assert get(client, "/countries/?page=0").status_code == 422
    assert get(client, "/countries/?page_size=0").status_code == 422


def test_page_size_defaults_to_50_and_is_capped_at_100(client):
    country = CountryFactory()
    BlockedSite.objects.bulk_create(
        BlockedSite(country=country, name=f"Site {n:03}", action="blocked") for n in range(120)
    )
    default = data(client, "/blocked-sites/")
    assert (default["count"], default["page_size"], len(default["items"])) == (120, 50, 50)

    capped = data(client, "/blocked-sites/?page_size=1000")
    assert (capped["page_size"], len(capped["items"])) == (100, 100)
    assert capped["items"][0]["name"] == "Site 000"
    rest = data(client, "/blocked-sites/?page_size=1000&page=2")
    assert [site["name"] for site in rest["items"]] == [f"Site {n}" for n in range(100, 120)]


# Caching headers and CORS -----------------------------------------------------------------------

ENDPOINTS = ["/countries/", "/countries/kazakhstan/", "/blocked-sites/", "/metrics/"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_conditional_requests(client, kazakhstan, path):
    last_change = datetime.datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=datetime.UTC)
    Country.objects.filter(pk=kazakhstan.pk).update(updated_at=last_change)
    # A draft edited since must not move Last-Modified (nor reveal that it exists).
    draft = CountryFactory(name="Draftland", iso_code="UZ", is_published=False)
    assert draft.updated_at > last_change

    response = get(client, path)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert response["Last-Modified"] == "Tue, 02 Jan 2024 03:04:05 GMT"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"  # page cache

    not_modified = get(client, path, if_none_match=etag, origin="https://example.org")
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Access-Control-Allow-Origin"] == "*"
    assert get(client, path, if_modified_since=response["Last-Modified"]).status_code == 304
    assert get(client, path, if_none_match='"other"').status_code == 200
    earlier = http_date(last_change.timestamp() - 1)
    assert get(client, path, if_modified_since=earlier).status_code == 200

    Country.objects.filter(pk=kazakhstan.pk).update(name="Qazaqstan", updated_at=last_change)
    content_changed()  # update() sends no signal; code that writes content this way must say so
    changed = get(client, path, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"Qazaqstan" in changed.content

    head = client.head(f"{API}{path}")
    assert head.status_code == 200 and head["ETag"] == changed["ETag"]


def test_errors_are_not_cached_as_content(client, kazakhstan):
    missing = get(client, "/countries/atlantis/", origin="https://example.org")
    assert missing.status_code == 404
    assert not missing.has_header("ETag")
    assert missing["Access-Control-Allow-Origin"] == "*"
    assert get(client, "/countries/atlantis/", if_none_match="*").status_code == 404


def test_no_published_entries_means_no_last_modified(client, draft):
    response = get(client, "/countries/")
    assert response.status_code == 200 and response.has_header("ETag")
    assert not response.has_header("Last-Modified")


@pytest.mark.parametrize("path", [*ENDPOINTS, "/openapi.json"])
def test_cors(client, kazakhstan, path):
    response = get(client, path, origin="https://example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    preflight = client.options(
        f"{API}{path}",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"].split(", ")
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"].split(", ")
    assert int(preflight["Access-Control-Max-Age"]) > 0


def test_writes_are_refused(client, kazakhstan):
    assert client.post(f"{API}/countries/").status_code == 405
    assert client.delete(f"{API}/countries/kazakhstan/").status_code == 405
    assert Country.objects.filter(slug="kazakhstan").exists()


# The OpenAPI schema ------------------------------------------------------------------------------


@pytest.fixture
def openapi(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.has_header("ETag") and not response.has_header("Last-Modified")
    return json.loads(response.content)


def schema_errors(document, path, body, status=200):
    """What is wrong with `body` as the documented response of GET `path`."""
    schema = document["paths"][path]["get"]["responses"][str(status)]["content"]
    schema = schema["application/json"]["schema"]
    # The references (#/components/...) resolve against the document's own components.
    validator = Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(body)
    ]


def test_openapi_document(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert openapi["info"]["title"] == "netfree open data"
    assert openapi["info"]["version"] == "1"
    assert set(openapi["paths"]) == PATHS
    for path in PATHS:
        assert set(openapi["paths"][path]) == {"get", "head"}  # read-only: nothing else
    for component in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(component)
    detail_parameters = openapi["paths"]["/api/v1/countries/{slug}/"]["get"]["parameters"]
    assert [p["name"] for p in detail_parameters] == ["slug"]
    list_parameters = openapi["paths"]["/api/v1/blocked-sites/"]["get"]["parameters"]
    assert {p["name"] for p in list_parameters} == {
        "country", "category", "action", "status", "q", "page", "page_size",
    }  # fmt: skip


def test_responses_match_the_schema(client, kazakhstan, openapi):
    source = SourceFactory(name="Freedom House", url="https://freedomhouse.org/")
    SiteFactory(country=kazakhstan, name="Example", url="https://example.org/x", since_year=2014,
                status="ongoing", source=source, notes="*Noted*.")  # fmt: skip
    Country.objects.filter(pk=kazakhstan.pk).update(last_reviewed=datetime.date(2025, 5, 1))
    empty = CountryFactory(name="Armenia", iso_code="AM", isp_count=None, summary="x")
    requests = [
        ("/api/v1/countries/", "/countries/", 200),
        ("/api/v1/countries/", "/countries/?region=015", 200),
        ("/api/v1/countries/{slug}/", "/countries/kazakhstan/", 200),
        ("/api/v1/countries/{slug}/", f"/countries/{empty.slug}/", 200),
        ("/api/v1/countries/{slug}/", "/countries/atlantis/", 404),
        ("/api/v1/blocked-sites/", "/blocked-sites/?page_size=2", 200),
        ("/api/v1/blocked-sites/", "/blocked-sites/?page_size=2&page=2", 200),
        ("/api/v1/metrics/", "/metrics/", 200),
    ]
    for documented, path, status in requests:
        response = get(client, path)
        assert response.status_code == status
        assert schema_errors(openapi, documented, response.json(), status) == [], path


def test_schema_check_can_fail(client, kazakhstan, openapi):
    """The validation above is strict: a changed, missing or undocumented field fails it."""
    entry = data(client, "/countries/kazakhstan/")
    path = "/api/v1/countries/{slug}/"
    assert schema_errors(openapi, path, entry) == []

    wrong_type = {**entry, "isp_count": "3"}
    missing = {key: value for key, value in entry.items() if key != "internet_penetration"}
    extra = {**entry, "draft": True}
    bad_enum = {**entry, "net_neutrality": "maybe"}
    bad_metric = {**entry, "metrics": [{**entry["metrics"][0], "value": "54.00"}]}
    bad_section = {**entry, "sections": {**entry["sections"], "privacy": {"html": ""}}}
    for body in (wrong_type, missing, extra, bad_enum, bad_metric, bad_section):
        assert schema_errors(openapi, path, body) != []

    page = data(client, "/metrics/")
    page["items"][0]["country"].pop("slug")
    assert schema_errors(openapi, "/api/v1/metrics/", page) != []


# Query counts ----------------------------------------------------------------------------------

# Last-Modified (1), then: count and page (lists); the entry and its 4 kinds of rows (detail).
QUERIES = {  # each reads the content version first (countries.cache), then its data
    "/countries/": 4,
    "/blocked-sites/": 4,
    "/metrics/": 4,
    "/countries/country-0/": 8,  # and whether the entry exists, for its ETag
}


def build_countries(count, rows):
    source = SourceFactory(name="ITU")
    for index in range(count):
        country = CountryFactory(name=f"Country {index}", iso_code=CODES[index])
        for n in range(rows):
            SiteFactory(
                country=country, name=f"Site {n}", category="NEWS", source=source, notes="*n*"
            )
            MetricFactory(country=country, year=2000 + n, source=source)
            MetricFactory(country=country, kind="internet_users", value=1000 + n, year=2000 + n)
            ArticleFactory(country=country, number=str(n + 1), source=source)
            IspFactory(country=country, name=f"ISP {n}")


@pytest.mark.parametrize("count, rows", [(1, 1), (15, 4)])
@pytest.mark.parametrize("path", QUERIES)
def test_fixed_number_of_queries(client, path, count, rows):
    build_countries(count, rows)
    CountryFactory(name="Draftland", iso_code="FR", is_published=False)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, path)
    assert response.status_code == 200
    body = response.json()
    expected_rows = {
        "/countries/": count,
        "/blocked-sites/": count * rows,
        "/metrics/": 2 * count * rows,
    }
    if path in expected_rows:
        assert body["count"] == expected_rows[path] and body["items"]
    else:
        assert len(body["blocked_sites"]) == rows and len(body["metrics"]) == 2 * rows
    assert len(queries) == QUERIES[path], [query["sql"] for query in queries]
