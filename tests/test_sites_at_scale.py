"""An entry with hundreds of sites: its page summarises them, the API pages them, the downloads
carry every one, and nothing grows with their number but the downloads."""

import json

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import SITES_ON_ENTRY_PAGE, BlockedSite

from .factories import SiteFactory

pytestmark = pytest.mark.django_db

CONFIRMED, CANDIDATES = 120, 30


@pytest.fixture
def many_sites(kazakhstan):
    """Kazakhstan's 4 sites and 120 more confirmed (Cyrillic names among them), 30 candidates."""
    SiteFactory.create_batch(
        CONFIRMED - 4,
        country=kazakhstan,
        name=factory.Sequence(lambda n: f"сайт {n:03d}"),
        url=factory.Sequence(lambda n: f"site{n}.example.kz/path"),
        status="ongoing",
    )
    SiteFactory.create_batch(
        CANDIDATES,
        country=kazakhstan,
        name=factory.Sequence(lambda n: f"candidate {n}"),
        review="candidate",
        action="",
    )
    return kazakhstan


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_the_page_shows_the_first_sites_and_links_to_all(client, many_sites):
    page = client.get(many_sites.get_absolute_url()).content.decode()
    table = page[page.index('<table class="data">', page.index('id="website-blocking"')) :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == SITES_ON_ENTRY_PAGE
    assert f"The first {SITES_ON_ENTRY_PAGE} of {CONFIRMED} sites, by name." in page
    assert f'href="/blocked-sites/?country=KZ">All {CONFIRMED} blocked or throttled sites' in page
    assert "candidate 1" not in page
    # Each site with an address links to OONI's measurements of it from the country.
    assert 'href="https://explorer.ooni.org/domain/livejournal.com?probe_cc=KZ"' in page

    listed = client.get("/blocked-sites/", {"country": "KZ"}).content.decode()
    assert "candidate 1" not in listed and "LiveJournal" in listed


def test_the_page_and_api_cost_the_same_with_4_or_150_sites(client, kazakhstan):
    _, page_small = queries(client, kazakhstan.get_absolute_url() + "?nocache-key=1")
    _, api_small = queries(client, "/api/v1/countries/kazakhstan/")
    SiteFactory.create_batch(
        146, country=kazakhstan, name=factory.Sequence(lambda n: f"late site {n}")
    )
    page, page_large = queries(client, kazakhstan.get_absolute_url() + "?nocache-key=2")
    api, api_large = queries(client, "/api/v1/countries/kazakhstan/")
    # The count, and the sources of the sites it does not list, once it holds a full first page.
    assert page_large <= page_small + 2
    assert api_large <= api_small + 1
    assert len(api.content) < 80_000


def test_the_api_gives_the_first_sites_the_count_and_the_way_to_all(client, many_sites):
    entry = client.get("/api/v1/countries/kazakhstan/").json()
    assert len(entry["blocked_sites"]) == SITES_ON_ENTRY_PAGE
    assert entry["blocked_site_count"] == CONFIRMED
    names, url = [], entry["blocked_sites_url"]
    while url:
        page = client.get(url).json()
        names += [site["name"] for site in page["items"]]
        url = page.get("next")
    assert len(names) == CONFIRMED and not any(name.startswith("candidate") for name in names)


def test_downloads_and_exports_carry_every_confirmed_site(client, many_sites):
    body = b"".join(client.get("/data/netfree.json").streaming_content)
    sites = [item for item in json.loads(body) if item["model"] == "countries.blockedsite"]
    assert len(sites) == CONFIRMED
    assert BlockedSite.objects.filter(country=many_sites).count() == CONFIRMED + CANDIDATES
