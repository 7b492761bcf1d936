"""Licences travel with the data: pages credit each source's licence and attribution, and each
download (/data/) names the licences that apply to it and carries the credits."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from .factories import CountryFactory, MetricFactory, SiteFactory, SourceFactory
from .helpers import parsed_elements, visible_text

pytestmark = pytest.mark.django_db

BY_NC_SA = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
BY = "https://creativecommons.org/licenses/by/4.0/"
CITIZEN_LAB = "Citizen Lab and contributors, test-lists (CC BY-NC-SA 4.0)"
WORLD_BANK = "World Bank, World Development Indicators (CC BY 4.0), from ITU data"


@pytest.fixture
def testland():
    """A published entry whose sites come from a test list and whose figures from the World
    Bank, each source with its licence and attribution."""
    country = CountryFactory()
    test_list = SourceFactory(
        name="Citizen Lab test list (KZ)",
        url="https://github.com/citizenlab/test-lists/blob/master/lists/kz.csv",
        licence="CC-BY-NC-SA-4.0",
        attribution=CITIZEN_LAB,
    )
    world_bank = SourceFactory(
        name="World Bank", url="https://data.worldbank.org/", licence="CC-BY-4.0",
        attribution=WORLD_BANK,
    )  # fmt: skip
    SiteFactory(country=country, name="Telegram", url="telegram.org", source=test_list)
    MetricFactory(country=country, source=world_bank)
    return country


def read(html):
    """The text as a reader reads it: visible_text spaces the text of each element apart."""
    return re.sub(r"(?<=\() | (?=[;),])", "", visible_text(html))


def data_page(client):
    return client.get(reverse("countries:data")).content.decode()


def file_licences(html):
    """File name → the licences /data/ names for it, as a reader reads them."""
    found = {}
    for name, rest in re.findall(r"download>([^<]+)</a>(.*?)</li>", html, re.S):
        found[name] = read(rest).split("Licences: ")[1].split(", ")
    return found


def zipped_licences(client):
    body = b"".join(client.get(reverse("countries:data_fixtures")).streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.namelist()[-1] == "LICENCES.txt"
        return archive.read("LICENCES.txt").decode()


def test_a_page_credits_a_sources_licence_and_attribution(client, testland):
    html = client.get(testland.get_absolute_url()).content.decode()
    text = read(html)
    # In the list of sites and among the entry's sources alike.
    credit = f"Citizen Lab test list (KZ) (CC BY-NC-SA 4.0; credit: {CITIZEN_LAB})"
    assert text.count(credit) == 2
    assert f"World Bank (CC BY 4.0; credit: {WORLD_BANK})" in text
    licence_links = [
        attrs
        for tag, attrs in parsed_elements(html)
        if tag == "a" and attrs.get("rel") == "license"
    ]
    assert {attrs["href"] for attrs in licence_links} == {BY_NC_SA, BY}


def test_a_source_without_licence_or_attribution_is_credited_by_name_only(client):
    country = CountryFactory()
    SiteFactory(country=country, source=SourceFactory(name="RSF"))
    text = read(client.get(country.get_absolute_url()).content.decode())
    assert "Sources RSF (no link given)" in text
    assert "credit:" not in text


def test_data_names_the_licences_of_each_file_and_carries_the_credits(client, testland):
    html = data_page(client)
    assert file_licences(html) == {
        "netfree.json": ["CC BY 4.0", "CC BY-NC-SA 4.0"],
        "netfree-fixtures.zip": ["CC BY 4.0", "CC BY-NC-SA 4.0"],
        "netfree-countries.csv": ["CC BY 4.0"],
        "netfree-constitutional-clauses.csv": ["CC BY 4.0"],
        "netfree-blocked-sites.csv": ["CC BY 4.0", "CC BY-NC-SA 4.0"],
        "netfree-metrics.csv": ["CC BY 4.0"],  # the World Bank's licence is netfree's own
        "netfree-isps.csv": ["CC BY 4.0"],
        "netfree-sources.csv": ["CC BY 4.0"],
    }
    text = read(html)
    assert (
        "Creative Commons Attribution 4.0 International (CC BY 4.0) "
        f"World Bank — credit: {WORLD_BANK} "
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA 4.0) "
        f"Citizen Lab test list (KZ) — credit: {CITIZEN_LAB}"
    ) in text


def test_the_zip_carries_a_licences_file(client, testland):
    licences = zipped_licences(client)
    assert "published under Creative Commons Attribution 4.0 International (CC BY 4.0):\n" + BY in (
        licences
    )
    assert (
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA 4.0)\n"
        f"{BY_NC_SA}\n"
        "- Citizen Lab test list (KZ) "
        "<https://github.com/citizenlab/test-lists/blob/master/lists/kz.csv>: "
        f"{CITIZEN_LAB}\n"
    ) in licences
    assert f"- World Bank <https://data.worldbank.org/>: {WORLD_BANK}\n" in licences


def test_a_licence_only_a_draft_or_a_candidate_cites_is_not_in_the_downloads(client):
    published = CountryFactory(name="Publicland", iso_code="KG")
    candidate_source = SourceFactory(
        name="Citizen Lab test list (KG)", licence="CC-BY-NC-SA-4.0", attribution="Candidate credit"
    )
    site = SiteFactory(
        country=published, name="Untested", action="", review="candidate", source=candidate_source
    )
    draft = CountryFactory(name="Draftland", iso_code="UZ", is_published=False)
    draft_source = SourceFactory(name="Draft data", licence="CC0-1.0", attribution="Draft credit")
    MetricFactory(country=draft, source=draft_source)

    html = data_page(client)
    assert set(sum(file_licences(html).values(), [])) == {"CC BY 4.0"}
    for hidden in ["NonCommercial", "CC0", "Candidate credit", "Draft credit", "Draft data"]:
        assert hidden not in html
    licences = zipped_licences(client)
    assert "CC BY 4.0" in licences
    for hidden in ["NonCommercial", "CC0", "Candidate credit", "Draft credit", "Draft data"]:
        assert hidden not in licences
    # Confirmed by an editor, the site is public, and so is its source's licence.
    site.review, site.action = "confirmed", "blocked"
    site.save()
    assert "Candidate credit" in data_page(client)
    assert "Candidate credit" in zipped_licences(client)


def test_an_attribution_is_text_never_markup(client):
    country = CountryFactory()
    source = SourceFactory(
        name="Mischief <b>Inc</b>", licence="CC-BY-4.0", attribution="<script>alert(1)</script>"
    )
    SiteFactory(country=country, source=source)
    for url in [country.get_absolute_url(), reverse("countries:data")]:
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<b>Inc" not in html, url
        assert "credit: <script>alert(1)</script>" in read(html), url
        assert "Mischief <b>Inc</b>" in read(html), url
