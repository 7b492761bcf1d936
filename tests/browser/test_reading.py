"""A reader on a phone and on a desktop reads the Kazakhstan entry."""

import re

from playwright.sync_api import expect


def test_kazakhstan_page_reads_well(page, kazakhstan):
    page.goto(kazakhstan.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan")
    # The stylesheet arrived (served by WhiteNoise under its fingerprinted name).
    assert page.eval_on_selector(".brand", "e => getComputedStyle(e).fontWeight") == "700"
    # Nothing wider than the screen: the page never scrolls sideways.
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # The quoted law and its clauses.
    quote = page.locator("figure#article-20 blockquote li")
    expect(quote).to_have_count(3)
    expect(quote.first).to_have_text(re.compile("^The freedom of speech"))

    # The table of contents takes the reader to the section.
    page.get_by_role("link", name="Website blocking").click()
    expect(page).to_have_url(re.compile("#website-blocking$"))
    expect(page.get_by_role("row", name=re.compile("LiveJournal"))).to_be_in_viewport()

    assert page.watcher.errors == []
    assert page.watcher.foreign_requests == []


def test_list_links_to_the_country(desktop_page, kazakhstan):
    page = desktop_page
    page.goto("/")
    page.locator("table.comparison").get_by_role("link", name="Kazakhstan").click()
    expect(page).to_have_url(re.compile("/countries/kazakhstan/$"))


def test_unknown_country_shows_the_404_page(phone_page, db):
    response = phone_page.goto("/countries/atlantis/")
    assert response.status == 404
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Page not found")
