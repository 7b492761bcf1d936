"""Pages across countries, search, feeds and the sitemap: right content, no drafts, valid XML."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from countries.history import record_revisions

from .factories import ArticleFactory, CountryFactory, IspFactory, MetricFactory, SiteFactory
from .helpers import parsed_elements, visible_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def world(kazakhstan):
    """Kazakhstan, a second published entry and a draft, each with rows."""
    kyrgyzstan = CountryFactory(
        name="Kyrgyzstan", iso_code="KG", net_neutrality_status="partial",
        isp_safe_harbor_status="yes", summary="Kyrgyzstan throttles **LiveJournal** at times.",
    )  # fmt: skip
    SiteFactory(
        country=kyrgyzstan,
        name="LiveJournal",
        action="throttled",
        category="HOST",
        status="ongoing",
    )
    SiteFactory(country=kyrgyzstan, name="Ferghana News", category="NEWS")
    ArticleFactory(
        country=kyrgyzstan, number="31", topic="speech", clauses=["Speech is free in KG."]
    )
    record_revisions([kyrgyzstan], "Added.")
    draft = CountryFactory(name="Draftistan", iso_code="UZ", is_published=False,
                           summary="A secret draft about LiveJournal.")  # fmt: skip
    SiteFactory(country=draft, name="LiveJournal", action="blocked")
    ArticleFactory(country=draft, number="29", topic="privacy", clauses=["Draft clause."])
    return {"KZ": kazakhstan, "KG": kyrgyzstan, "UZ": draft}


def text_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_topic_pages_group_countries_by_status(client, world):
    text = text_of(client, reverse("countries:topic", kwargs={"topic": "net-neutrality"}))
    assert "Does the law protect net neutrality?" in text
    assert (
        text.index("Partial")
        < text.index("Kyrgyzstan")
        < text.index("No ")
        < text.index("Kazakhstan")
    )
    assert "Draftistan" not in text
    text = text_of(client, reverse("countries:topic", kwargs={"topic": "isp-safe-harbors"}))
    assert text.index("Yes") < text.index("Kyrgyzstan")
    assert client.get("/topics/unknown/").status_code == 404


def test_blocked_sites_page_lists_one_row_per_site_and_country(client, world):
    text = text_of(client, reverse("countries:blocked_sites"))
    assert "6 sites" in text and "Draftistan" not in text
    assert text.count("LiveJournal") >= 2


@pytest.mark.parametrize(
    "params, expected, absent",
    [
        ({"action": "throttled"}, ["Kyrgyzstan"], ["Adil Soz"]),
        ({"category": "NEWS"}, ["Ferghana News", "Golos Respubliki"], ["LiveJournal"]),
        ({"country": "kz"}, ["Adil Soz", "blogs"], ["Ferghana News"]),
        ({"status": "ongoing"}, ["Kyrgyzstan"], ["Adil Soz"]),
        ({"status": "not-a-status"}, ["Adil Soz", "Ferghana News"], []),
    ],
)
def test_blocked_sites_filters(client, world, params, expected, absent):
    text = text_of(client, reverse("countries:blocked_sites"), **params)
    table = text[text.index("Website What was done") :] if "Website What was done" in text else text
    for word in expected:
        assert word in table
    for word in absent:
        assert word not in table


def test_blocked_sites_are_paginated(client, kazakhstan):
    for number in range(120):
        SiteFactory(country=kazakhstan, name=f"Site {number:03}")
    first = text_of(client, reverse("countries:blocked_sites"))
    second = text_of(client, reverse("countries:blocked_sites"), page=2)
    assert "124 sites" in first and "Page 1 of 2" in first
    assert "Site 000" in first and "Site 119" in second and "Site 000" not in second


def test_where_is_a_site_blocked(client, world):
    other_spelling = client.get(reverse("countries:blocked_site", kwargs={"name": "livejournal"}))
    assert other_spelling.status_code == 301  # one address per site
    text = text_of(client, other_spelling["Location"])
    assert "Where is LiveJournal blocked?" in text and "Reported in 2 countries." in text
    assert "Kazakhstan" in text and "Kyrgyzstan" in text and "Draftistan" not in text
    assert (
        client.get(reverse("countries:blocked_site", kwargs={"name": "Nothing"})).status_code == 404
    )


def test_constitutions_page_groups_articles_by_topic(client, world):
    html = client.get(reverse("countries:constitutions")).content.decode()
    speech, privacy = html.index('id="topic-speech"'), html.index('id="topic-privacy"')
    assert speech < html.index("Speech is free in KG.") < privacy
    assert speech < html.index("freedom of speech and creative activities") < privacy
    assert privacy < html.index("inviolability of private life")
    assert "Draft clause." not in html
    ids = [attrs["id"] for _, attrs in parsed_elements(html) if "id" in attrs]
    assert len(ids) == len(set(ids)), "element ids must be unique on the page"


def test_search_ranks_names_above_prose_and_hides_drafts(client, world):
    html = client.get(reverse("countries:search"), {"q": "kyrgyzstan"}).content.decode()
    text = visible_text(html)
    assert "1 entry matches" in text and "Draftistan" not in text
    html = client.get(reverse("countries:search"), {"q": "LiveJournal"}).content.decode()
    text = visible_text(html)
    assert "2 entries match" in text and "Draftistan" not in text
    # Kyrgyzstan names LiveJournal in its summary, Kazakhstan only in other prose: KG first.
    assert text.index("Kyrgyzstan") < text.index("Kazakhstan")
    assert "<mark>LiveJournal</mark>" in html


def test_search_finds_article_text_isps_and_sites(client, world):
    IspFactory(country=world["KG"], name="Megacom")
    cases = [
        ("Megacom", "Kyrgyzstan"),
        ("Ferghana", "Kyrgyzstan"),
        ("Kaztelecom", "Kazakhstan"),
        ("inviolability", "Kazakhstan"),
    ]
    for query, country in cases:
        text = text_of(client, reverse("countries:search"), q=query)
        assert f"1 entry matches “{query}”" in text and country in text, query


def test_search_escapes_what_it_highlights(client, world):
    world["KG"].summary = "A <b>bold</b> & risky summary about censorship."
    world["KG"].save()
    html = client.get(reverse("countries:search"), {"q": "<script>censorship"}).content.decode()
    assert "<script>censorship" not in html
    assert "<mark>censorship</mark>" in html
    assert "&lt;script&gt;censorship" in html  # the query, shown back as text
    assert text_of(client, reverse("countries:search"), q="").count("match") == 0


def test_feeds_are_valid_and_list_published_entries(client, world):
    atom = ET.fromstring(client.get(reverse("countries:feed_atom")).content)
    titles = [entry.find(f"{ATOM}title").text for entry in atom.iter(f"{ATOM}entry")]
    assert set(titles) == {"Kazakhstan", "Kyrgyzstan"}
    rss = ET.fromstring(client.get(reverse("countries:feed_rss")).content)
    assert {item.find("title").text for item in rss.iter("item")} == {"Kazakhstan", "Kyrgyzstan"}
    country_feed = client.get(reverse("countries:feed_country", kwargs={"slug": "kazakhstan"}))
    entries = list(ET.fromstring(country_feed.content).iter(f"{ATOM}entry"))
    assert [e.find(f"{ATOM}title").text for e in entries] == ["First published."]
    assert (
        client.get(reverse("countries:feed_country", kwargs={"slug": "draftistan"})).status_code
        == 404
    )


def test_pages_announce_the_feeds(client, world):
    html = client.get(world["KZ"].get_absolute_url()).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert reverse("countries:feed_country", kwargs={"slug": "kazakhstan"}) in html


def test_sitemap_and_robots(client, world):
    urls = [
        loc.text for loc in ET.fromstring(client.get("/sitemap.xml").content).iter(f"{SITEMAP}loc")
    ]
    assert any(url.endswith("/countries/kazakhstan/") for url in urls)
    assert any(url.endswith("/topics/net-neutrality/") for url in urls)
    assert not any("draftistan" in url for url in urls)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "admin" not in robots  # the admin's address is configurable and not announced


def test_country_page_has_chart_sources_changes_citation_and_meta(client, world):
    MetricFactory(
        country=world["KZ"], kind="internet_penetration", value=Decimal("76.4"), year=2022
    )
    html = client.get(world["KZ"].get_absolute_url()).content.decode()
    text = visible_text(html)
    assert '<svg viewBox="0 0 320 150" role="img"' in html  # penetration now has two years
    assert "Internet penetration, 2013 to 2022" in html
    assert (
        "Sources Constitution of the Republic of Kazakhstan (no link given) ITU (no link given)"
        in text
    )
    assert "Changes" in text and "First published." in text
    assert "How to cite this page netfree, “Kazakhstan”, updated" in text
    assert '<link rel="canonical" href="http://testserver/countries/kazakhstan/">' in html
    assert '<meta property="og:title" content="Kazakhstan — netfree">' in html
    assert '<meta property="og:type" content="article">' in html


def test_every_page_has_one_h1_landmarks_and_a_search_form(client, world):
    for url in [
        "/", world["KZ"].get_absolute_url(), "/topics/net-neutrality/", "/blocked-sites/",
        "/blocked-sites/LiveJournal/", "/constitutions/", "/search/?q=press", "/data/",
    ]:  # fmt: skip
        html = client.get(url).content.decode()
        tags = [tag for tag, _ in parsed_elements(html)]
        assert tags.count("h1") == 1, url
        assert "main" in tags and "nav" in tags and "header" in tags and "footer" in tags, url
        assert 'role="search"' in html, url


def home_order(client, **params):
    """The entries in the home page's comparison table, in the order shown."""
    html = client.get(reverse("countries:list"), params).content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    return sorted((n for n in ("Kazakhstan", "Kyrgyzstan", "Brazil") if n in rows), key=rows.index)


def test_home_table_sorts_and_filters(client, world):
    MetricFactory(country=world["KG"], value=Decimal("38"), year=2020)
    brazil = CountryFactory(name="Brazil", iso_code="BR", region="419", net_neutrality_status="yes")
    MetricFactory(country=brazil, value=Decimal("81"), year=2022)
    assert home_order(client) == ["Brazil", "Kazakhstan", "Kyrgyzstan"]
    assert home_order(client, sort="penetration") == ["Kyrgyzstan", "Kazakhstan", "Brazil"]
    assert home_order(client, sort="-penetration") == ["Brazil", "Kazakhstan", "Kyrgyzstan"]
    # Protection sorts from the strongest: yes, partial, no, unknown.
    assert home_order(client, sort="net_neutrality") == ["Brazil", "Kyrgyzstan", "Kazakhstan"]
    assert home_order(client, region="143") == ["Kazakhstan", "Kyrgyzstan"]
    assert home_order(client, net_neutrality="no") == ["Kazakhstan"]
    assert home_order(client, speech="yes") == ["Kazakhstan", "Kyrgyzstan"]
    assert home_order(client, sort="'; DROP TABLE x", region="999") == [
        "Brazil",
        "Kazakhstan",
        "Kyrgyzstan",
    ]
    assert "Draftistan" not in client.get(reverse("countries:list")).content.decode()


def test_embed_map_can_be_framed(client, world):
    response = client.get(reverse("countries:embed_map"))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert '<a href="/countries/kazakhstan/"' in response.content.decode()
    assert client.get("/").get("X-Frame-Options") == "DENY"
