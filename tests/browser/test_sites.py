"""An entry's blocked sites at real size: the entry's panel, the list they are edited in, and
what readers get.

A Citizen Lab test list brings hundreds of candidate sites to an entry. An editor finds them
from the entry's page, narrows the list down, confirms a few with a source, corrects one in
place; a reader then sees only the confirmed ones, the first 50 on the entry's page and all of
them one link away, on a phone as on a desktop.
"""

import re

from playwright.sync_api import expect

from countries.models import BlockedSite, Source

from ..factories import CountryFactory, SiteFactory
from .helpers import sign_in

NO_HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"
CANDIDATES = 120


def change_url(country):
    return f"/admin/countries/country/{country.pk}/change/"


def add_candidates(country, count=CANDIDATES):
    """Sites as a test list's import leaves them: to triage, nothing said of them yet."""
    for number in range(1, count + 1):
        SiteFactory(
            country=country,
            name=f"Candidate {number:03d}",
            url=f"candidate{number:03d}.example.org",
            review="candidate",
            action="",
        )


def add_confirmed(country, count):
    for number in range(1, count + 1):
        SiteFactory(country=country, name=f"Confirmed {number:03d}", url=f"c{number:03d}.example")


def result_rows(page):
    return page.locator("#result_list tbody tr")


def row_of(page, name):
    return result_rows(page).filter(has=page.get_by_role("link", name=name, exact=True))


def test_an_editor_triages_candidates_in_the_list_of_sites(desktop_page, editor, kazakhstan):
    page = desktop_page
    add_candidates(kazakhstan)
    elsewhere = CountryFactory(name="Uzbekistan", iso_code="UZ")
    SiteFactory(country=elsewhere, name="Candidate 001", review="candidate", action="")
    fixture_sites = 4  # confirmed, in the project's Kazakhstan fixture
    itu = Source.objects.get(name="ITU")

    sign_in(page)
    page.goto(change_url(kazakhstan))
    panel = page.locator(".entry-sites")
    expect(panel.get_by_role("heading", name="Blocked sites")).to_be_visible()
    expect(panel).to_contain_text(f"{CANDIDATES + fixture_sites} sites")
    expect(panel).to_contain_text(f"{fixture_sites} confirmed (public)")
    expect(panel).to_contain_text(f"{CANDIDATES} candidates to triage")
    expect(panel.get_by_role("link", name="Triage the candidates")).to_be_visible()
    expect(panel.get_by_role("link", name="Import a test list")).to_be_visible()

    # The entry's sites, and only its own: a hundred a page.
    panel.get_by_role("link", name="All of this entry's sites").click()
    expect(page).to_have_url(
        re.compile(rf"/admin/countries/blockedsite/\?country__id__exact={kazakhstan.pk}$")
    )
    expect(page.locator(".paginator")).to_contain_text(
        f"{CANDIDATES + fixture_sites} blocked sites"
    )
    expect(result_rows(page)).to_have_count(100)
    expect(result_rows(page).filter(has_text="Uzbekistan")).to_have_count(0)

    # Search within the entry's sites, then keep only the candidates.
    page.locator("#searchbar").fill("candidate01")  # a domain's beginning
    page.locator("#searchbar").press("Enter")
    expect(result_rows(page)).to_have_count(10)  # candidate010.example.org to 019
    expect(page).to_have_url(re.compile(rf"country__id__exact={kazakhstan.pk}"))
    page.locator("#changelist-filter").get_by_role("link", name=re.compile("^Candidate")).click()
    expect(page).to_have_url(re.compile("review__exact=candidate"))
    expect(page).to_have_url(re.compile(r"q=candidate01"))
    expect(result_rows(page)).to_have_count(10)

    chosen = ["Candidate 011", "Candidate 012", "Candidate 013"]
    for name in chosen:
        row_of(page, name).locator("input.action-select").check()
    expect(page.locator(".action-counter")).to_contain_text("3 of 10 selected")
    page.locator("select[name=action]").select_option(label="Confirm as blocked or throttled…")
    page.get_by_role("button", name="Go", exact=True).click()

    # The action asks what was done and what shows it, before changing anything.
    expect(page.get_by_role("heading", name="Confirm sites")).to_be_visible()
    expect(page.locator("#content")).to_contain_text("For 3 sites:")
    for name in chosen:
        expect(page.locator(".action-sites")).to_contain_text(name)
    assert not BlockedSite.objects.filter(name__in=chosen, review="confirmed").exists()
    page.get_by_label("What was done").select_option("throttled")
    page.get_by_label("Source").select_option(label=str(itu))
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messagelist")).to_contain_text("3 sites confirmed.")
    expect(page).to_have_url(re.compile("review__exact=candidate"))
    expect(result_rows(page)).to_have_count(7)  # the confirmed ones left the candidates
    confirmed = BlockedSite.objects.filter(country=kazakhstan, name__in=chosen)
    assert {(site.review, site.action, site.source_id) for site in confirmed} == {
        ("confirmed", "throttled", itu.pk)
    }
    assert not BlockedSite.objects.get(country=elsewhere).review == "confirmed"

    # A status corrected in place, in the list of the entry's confirmed sites.
    page.goto(f"/admin/countries/blockedsite/?country__id__exact={kazakhstan.pk}")
    page.locator("#changelist-filter").get_by_role("link", name="Confirmed", exact=True).click()
    expect(result_rows(page)).to_have_count(fixture_sites + len(chosen))
    row_of(page, "Candidate 012").locator("select[name$='-status']").select_option("ongoing")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("1 blocked site was changed successfully")
    assert BlockedSite.objects.get(country=kazakhstan, name="Candidate 012").status == "ongoing"

    # Readers see the confirmed sites, never the candidates, each with its OONI evidence.
    page.context.clear_cookies()
    page.goto(kazakhstan.get_absolute_url())
    table = page.locator("#website-blocking table")
    expect(table.locator("tbody tr")).to_have_count(fixture_sites + len(chosen))
    expect(table.get_by_role("row", name=re.compile("Candidate 012"))).to_contain_text("Ongoing")
    expect(table.get_by_role("row", name=re.compile("Candidate 011"))).to_contain_text("Throttled")
    expect(table).not_to_contain_text("Candidate 014")
    ooni = table.get_by_role("row", name=re.compile("Candidate 013")).get_by_role(
        "link", name="OONI measurements"
    )
    expect(ooni).to_have_attribute(
        "href", "https://explorer.ooni.org/domain/candidate013.example.org?probe_cc=KZ"
    )
    expect(page.locator("#website-blocking .more-sites")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^All \d+ blocked"))).to_have_count(0)
    assert page.watcher.dialogs == []


def test_readers_see_the_first_50_sites_and_a_link_to_all(desktop_page, kazakhstan):
    page = desktop_page
    add_confirmed(kazakhstan, 60)
    add_candidates(kazakhstan, 10)  # not public: never counted
    total = 60 + 4

    page.goto(kazakhstan.get_absolute_url())
    table = page.locator("#website-blocking table")
    expect(table.locator("tbody tr")).to_have_count(50)
    # Said above the table (outside its scrolling region, so a phone shows it) and below it.
    notes = page.locator("#website-blocking .more-sites")
    expect(notes).to_have_count(2)
    expect(notes.first).to_contain_text(f"The first 50 of {total} sites, by name.")
    expect(table).not_to_contain_text("Candidate")
    all_sites = f"All {total} blocked or throttled sites in Kazakhstan"
    expect(page.get_by_role("link", name=all_sites)).to_have_count(2)
    page.get_by_role("link", name=all_sites).first.click()

    expect(page).to_have_url(re.compile(r"/blocked-sites/\?country=KZ$"))
    expect(page.get_by_role("heading", name="Blocked and throttled websites")).to_be_visible()
    expect(page.locator("select[name=country]")).to_have_value("KZ")
    expect(page.locator("#content, main").first).to_contain_text(f"{total} sites")
    expect(page.locator("table.data")).not_to_contain_text("Candidate")
    assert page.watcher.errors == []


def test_the_sites_fit_a_phone(phone_page, editor, kazakhstan):
    page = phone_page
    add_confirmed(kazakhstan, 60)
    add_candidates(kazakhstan, 5)
    SiteFactory(
        country=kazakhstan,
        name="A site with a very long address indeed",
        url="https://a-very-long-subdomain-name.example.org/a/long/path/to/a/page?with=query",
    )

    page.goto(kazakhstan.get_absolute_url())
    table = page.locator("#website-blocking table")
    expect(table.locator("tbody tr")).to_have_count(50)
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW), "the country page is wider than a phone"
    # A table wider than the screen scrolls inside its own region, not the page.
    region = page.locator("#website-blocking .table-scroll[role=region]")
    expect(region).to_have_count(1)
    expect(region.locator("table")).to_have_count(1)
    link = page.get_by_role("link", name=re.compile(r"^All 65 blocked or throttled sites")).first
    expect(link).to_be_visible()
    assert fits_the_screen(page, link)

    sign_in(page)
    page.goto(change_url(kazakhstan))
    panel = page.locator(".entry-sites")
    expect(panel.get_by_role("link", name="All of this entry's sites")).to_be_visible()
    assert fits_the_screen(page, panel), "the sites panel is wider than a phone"
    for name in ["All of this entry's sites", "Triage the candidates", "Add a site"]:
        assert fits_the_screen(page, panel.get_by_role("link", name=name)), name
    assert page.watcher.errors == []


def fits_the_screen(page, locator):
    """The element ends within the window and has no content wider than itself."""
    return locator.evaluate(
        """element => element.getBoundingClientRect().right <= window.innerWidth
             && element.scrollWidth <= element.clientWidth + 1"""
    )
