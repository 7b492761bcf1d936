"""Readers on a phone and a desktop: the map's links, the table's sorting, and accessibility."""

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..factories import CountryFactory, MetricFactory

SERIOUS = {"serious", "critical"}


@pytest.fixture
def three_countries(kazakhstan):
    kyrgyzstan = CountryFactory(name="Kyrgyzstan", iso_code="KG", net_neutrality_status="partial")
    MetricFactory(country=kyrgyzstan, value=Decimal("38"), year=2020)
    brazil = CountryFactory(name="Brazil", iso_code="BR", region="419", net_neutrality_status="yes")
    MetricFactory(country=brazil, value=Decimal("81"), year=2022)
    return kazakhstan, kyrgyzstan, brazil


def test_map_links_to_country_pages(page, three_countries):
    page.goto("/")
    link = page.locator("svg a[href='/countries/kyrgyzstan/']")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile("/countries/kyrgyzstan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kyrgyzstan")


def test_map_indicator_switches_without_script(desktop_page, three_countries):
    page = desktop_page
    page.goto("/")
    page.locator("select[name=indicator]").select_option("penetration")
    page.get_by_role("button", name="Show").first.click()
    expect(page).to_have_url(re.compile("indicator=penetration"))
    expect(page.locator(".map-legend")).to_contain_text("80")


def first_column(page):
    return page.locator("table.comparison tbody th a").all_inner_texts()


def test_comparison_table_sorts_and_filters(page, three_countries):
    page.goto("/")
    assert first_column(page) == ["Brazil", "Kazakhstan", "Kyrgyzstan"]
    page.locator("table.comparison thead").get_by_role("link", name="Internet penetration").click()
    assert first_column(page) == ["Kyrgyzstan", "Kazakhstan", "Brazil"]
    page.locator("table.comparison thead").get_by_role(
        "link", name=re.compile("Internet penetration")
    ).click()
    assert first_column(page) == ["Brazil", "Kazakhstan", "Kyrgyzstan"]
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Internet penetration")
    page.locator("form.filters select[name=region]").select_option("143")
    page.get_by_role("button", name="Filter").click()
    assert first_column(page) == ["Kazakhstan", "Kyrgyzstan"]


@pytest.mark.parametrize(
    "path",
    ["/", "/countries/kazakhstan/", "/topics/net-neutrality/", "/blocked-sites/",
     "/blocked-sites/LiveJournal/", "/constitutions/", "/search/?q=press", "/data/"],
)  # fmt: skip
def test_no_serious_accessibility_violations(page, three_countries, path):
    page.goto(path)
    results = Axe().run(page)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"{[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert problems == []
    assert page.watcher.errors == []
    assert page.watcher.foreign_requests == []
