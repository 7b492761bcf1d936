"""Journeys past the first clean step, as editors and readers really take them.

Every step below had a test of its own and passed it, yet each journey broke: a colleague's
save after the entry had been saved once before (the merge never matched, so the second
save wiped their work), text typed in a real browser (which sends CRLF line endings, so
every multi-line field "changed"), a revert after an edit, a map switched after a sort, a
section with nothing in it, a page a little wider than the screen. The tests follow the steps
people take and check what they would notice: their work gone, a change named that nobody
made, a preview that is not the page, a heading off the screen, a message that says nothing.
"""

import difflib
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from reversion.models import Version

from countries.models import Country, Isp, Metric

from ..factories import CountryFactory
from .helpers import sign_in

SECTION_FIELDS = [
    "summary",
    "censorship",
    "website_blocking",
    "privacy",
    "internet_access",
    "isp_safe_harbors",
    "net_neutrality",
]
NO_HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def change_url(country):
    return f"/admin/countries/country/{country.pk}/change/"


def submit(page, name="_save"):
    page.locator(f"input[type=submit][name={name}]").click()


def save(page, name="_save"):
    submit(page, name)
    expect(page.locator(".messagelist")).to_contain_text("successfully")


def markdown_preview(page, field):
    return page.locator(".markdownx", has=page.locator(f"textarea[name={field}]")).locator(
        ".markdownx-preview"
    )


def stored_text(country):
    """Every text the entry stores, its rows' included."""
    country = Country.objects.get(pk=country.pk)
    texts = [getattr(country, name) for name in SECTION_FIELDS]
    for relation in ("articles", "blocked_sites", "metrics", "isps"):
        for row in getattr(country, relation).all():
            for model_field in row._meta.concrete_fields:
                value = model_field.value_from_object(row)
                texts.extend(value if isinstance(value, list) else [value])
    return [text for text in texts if isinstance(text, str)]


# 1. No lost updates, after the entry has been saved in the admin once -----------------------


def open_for_two_editors(alice, bob, country):
    """The entry saved once in the admin, then opened by two editors, each in their browser."""
    sign_in(alice, "admin", "password")
    alice.goto(change_url(country))
    save(alice)
    sign_in(bob, "volunteer")
    alice.goto(change_url(country))
    bob.goto(change_url(country))


def expect_refused_with_conflict(page):
    expect(page.locator(".errorlist.nonfield")).to_contain_text("This entry was changed by")
    expect(page.locator(".edit-conflict")).to_be_visible()


def test_colleague_fields_survive_after_an_earlier_save(
    desktop_page, second_desktop_page, admin_user, group_editor, kazakhstan
):
    alice, bob = desktop_page, second_desktop_page
    privacy = "Alice: since 2025 the police may read private chats without a warrant."
    access = "Bob: 2023 ITU figures put penetration at 90%."
    open_for_two_editors(alice, bob, kazakhstan)

    alice.locator("textarea[name=privacy_en]").fill(privacy)
    save(alice)

    bob.locator("textarea[name=internet_access_en]").fill(access)
    submit(bob)
    expect_refused_with_conflict(bob)
    expect(bob.locator("textarea[name=privacy_en]")).to_have_value(privacy)
    expect(bob.locator("textarea[name=internet_access_en]")).to_have_value(access)

    save(bob)
    kazakhstan.refresh_from_db()
    assert (kazakhstan.privacy, kazakhstan.internet_access) == (privacy, access)
    bob.goto(kazakhstan.get_absolute_url())
    expect(bob.locator("#privacy")).to_contain_text(privacy)
    expect(bob.locator("#internet-access")).to_contain_text(access)


def test_colleague_rows_survive_after_an_earlier_save(
    desktop_page, second_desktop_page, admin_user, group_editor, kazakhstan
):
    alice, bob = desktop_page, second_desktop_page
    open_for_two_editors(alice, bob, kazakhstan)

    # Alice corrects an existing row (the internet penetration figure), Bob adds another.
    expect(alice.locator("[name=metrics-0-kind]")).to_have_value("internet_penetration")
    year = int(alice.locator("[name=metrics-0-year]").input_value())
    alice.locator("[name=metrics-0-value]").fill("61")
    save(alice)

    bob.get_by_text("Add another ISP").click()
    bob.locator("[name=isps-1-name]").fill("Beeline Kazakhstan")
    submit(bob)
    expect_refused_with_conflict(bob)
    expect(bob.locator("[name=metrics-0-value]")).to_have_value(re.compile(r"^61(\.0+)?$"))
    expect(bob.locator("[name=isps-1-name]")).to_have_value("Beeline Kazakhstan")

    save(bob)
    penetration = Metric.objects.get(country=kazakhstan, kind="internet_penetration", year=year)
    assert penetration.value == 61
    assert set(Isp.objects.filter(country=kazakhstan).values_list("name", flat=True)) == {
        "Kaztelecom",
        "Beeline Kazakhstan",
    }
    bob.goto(kazakhstan.get_absolute_url())
    expect(bob.locator("#internet-access")).to_contain_text("61%")
    expect(bob.locator("#isp-safe-harbors")).to_contain_text("Beeline Kazakhstan")


# 2. Text typed in a browser, whose forms send CRLF line endings ------------------------------


def export(country, folder):
    call_command("export_fixtures", "--output", folder, stdout=io.StringIO())
    return (folder / f"{country.slug}.json").read_text(encoding="utf-8")


def test_a_summary_typed_with_enter_changes_only_the_summary_and_reverts_cleanly(
    desktop_page, editor, kazakhstan, tmp_path
):
    page = desktop_page
    original_summary = kazakhstan.summary
    before = export(kazakhstan, tmp_path / "before")
    sign_in(page)
    page.goto(change_url(kazakhstan))
    summary = page.locator("textarea[name=summary_en]")
    summary.fill("")
    summary.press_sequentially("Kazakhstan blocks opposition news sites.")
    summary.press("Enter")
    summary.press("Enter")
    summary.press_sequentially("It watches Internet cafes.")
    save(page)

    kazakhstan.refresh_from_db()
    assert (
        kazakhstan.summary
        == "Kazakhstan blocks opposition news sites.\n\nIt watches Internet cafes."
    )
    assert [text for text in stored_text(kazakhstan) if "\r" in text] == []

    page.goto(f"/admin/countries/country/{kazakhstan.pk}/history/")
    newest = page.locator("#change-history tbody tr").first
    expect(newest.locator("td").last).to_have_text("Changed Summary.")

    page.goto(kazakhstan.get_absolute_url())
    expect(page.locator("#changes li").first).to_have_text(re.compile(r": Changed: Summary\.$"))

    after = export(kazakhstan, tmp_path / "after")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    # The version stamp moves at every save; apart from it, only the summary may differ.
    assert {line[1:].split(":")[0].strip() for line in changed} == {'"summary_en"', '"updated_at"'}
    assert len(changed) == 4

    first = Version.objects.get_for_object(kazakhstan).order_by("pk").first()
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/history/")
    page.locator(f"a[href$='/history/{first.pk}/']").click()
    expect(page.locator("textarea[name=summary_en]")).to_have_value(original_summary)
    expect(page.locator(".entry-state")).to_contain_text("Published")
    expect(page.locator(".entry-state")).not_to_contain_text("Draft")
    expect(page.locator(".field-is_published img")).to_have_attribute("alt", "True")
    submit(page)
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("Reverted to the version saved on")
    expect(messages).to_contain_text("Readers see this version now.")

    kazakhstan.refresh_from_db()
    assert kazakhstan.is_published
    assert kazakhstan.summary == original_summary
    assert [text for text in stored_text(kazakhstan) if "\r" in text] == []


# 3. The live preview is the page readers get ------------------------------------------------


def test_the_preview_quotes_articles_and_flags_a_missing_one(desktop_page, editor, kazakhstan):
    page = desktop_page
    first_clause = kazakhstan.articles.get(number="20").clauses[0]
    sign_in(page)
    page.goto(change_url(kazakhstan))
    censorship = page.locator("textarea[name=censorship_en]")
    preview = markdown_preview(page, "censorship_en")
    censorship.press("End")  # a keystroke makes markdownx refresh the preview
    expect(preview).to_contain_text(first_clause)
    expect(preview).not_to_contain_text("[[Article 20]]")

    censorship.press("Control+End")
    censorship.press("Enter")
    censorship.press("Enter")
    censorship.press_sequentially("[[Article 99]]")
    expect(preview.get_by_role("note")).to_contain_text("Article 99")
    expect(preview).to_contain_text(first_clause)


# 4. Layout: nothing wider than the screen, no console errors --------------------------------


def test_admin_entry_pages_fit_a_desktop_screen(desktop_page, admin_user, kazakhstan):
    page = desktop_page
    sign_in(page, "admin", "password")
    page.goto(change_url(kazakhstan))
    expect(page.locator("textarea[name=censorship_en]")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW), "the change form is wider than the window"

    page.goto("/admin/countries/country/")
    expect(page.locator("#result_list thead th").first).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_OVERFLOW), "the changelist is wider than the window"
    # The list scrolls inside its own box: a heading past that box's edge is not seen.
    hidden = page.evaluate(
        """() => {
          const box = document.querySelector('#result_list').parentElement;
          const edge = Math.min(box.getBoundingClientRect().right, window.innerWidth) + 1;
          const textRight = label => {
            const words = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            let right = 0;
            while (words.nextNode()) {
              range.selectNodeContents(words.currentNode);
              right = Math.max(right, range.getBoundingClientRect().right);
            }
            return right;
          };
          return [...document.querySelectorAll('#result_list thead th .text')]
            .filter(label => textRight(label) > edge)
            .map(label => label.textContent.trim());
        }"""
    )
    assert hidden == [], f"column headings off the screen: {hidden}"
    # The short "net neutrality" heading is the status, not the section's prose.
    cell = page.evaluate(
        """() => {
          const headings = [...document.querySelectorAll('#result_list thead th')];
          const column = headings.findIndex(
            th => th.textContent.trim().toLowerCase() === 'net neutrality');
          const row = document.querySelector('#result_list tbody tr');
          return column < 0 ? null : row.children[column].textContent.trim();
        }"""
    )
    assert cell == "No"


def test_public_pages_fit_a_phone_without_console_errors(phone_page, kazakhstan):
    page = phone_page
    for url in ["/", kazakhstan.get_absolute_url(), "/blocked-sites/", "/countries/"]:
        response = page.goto(url, wait_until="networkidle")  # the favicon is fetched late
        assert response.status == 200, url
        assert page.evaluate(NO_HORIZONTAL_OVERFLOW), f"{url} is wider than a phone"
    assert page.watcher.errors == []
    assert page.watcher.foreign_requests == []


# 5. Readers: the map and the table, the list of countries, empty sections -------------------


def test_map_indicator_and_table_sort_keep_each_other(desktop_page, kazakhstan):
    page = desktop_page
    page.goto("/")
    indicator = page.locator("#world-map-indicator")
    indicator.select_option("penetration")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"indicator=penetration"))

    page.locator("table.comparison thead a", has_text="Region").click()
    expect(page).to_have_url(re.compile(r"sort=region"))
    expect(page).to_have_url(re.compile(r"indicator=penetration"))
    expect(indicator).to_have_value("penetration")
    expect(page.locator(".map-legend-title")).to_have_text("Internet penetration")

    indicator.select_option("privacy")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"indicator=privacy"))
    expect(page.locator("table.comparison th[aria-sort]")).to_contain_text("Region")


def test_all_countries_leads_to_the_list_of_entries(desktop_page, kazakhstan):
    page = desktop_page
    page.goto(kazakhstan.get_absolute_url())
    page.get_by_role("link", name="All countries", exact=True).click()
    expect(page).to_have_url(re.compile(r"/countries/$"))
    expect(page.get_by_role("heading", name="All countries", exact=True)).to_be_visible()
    page.get_by_role("link", name="Kazakhstan", exact=True).click()
    expect(page).to_have_url(re.compile(kazakhstan.get_absolute_url() + "$"))


def test_a_section_with_nothing_in_it_is_left_out(desktop_page, transactional_db):
    page = desktop_page
    entry = CountryFactory(
        name="Summaryland", iso_code="UZ", summary="Only a summary.", net_neutrality_status="yes"
    )
    page.goto(entry.get_absolute_url())
    for title in ["Censorship and restrictions on speech", "Website blocking", "Privacy"]:
        expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)
        expect(page.locator(".toc")).not_to_contain_text(title)
    expect(page.get_by_role("heading", name="Net neutrality", exact=True)).to_be_visible()
    expect(page.locator("#net-neutrality .status")).to_have_text("Yes")


# 6. Adding an entry -------------------------------------------------------------------------


def test_the_iso_code_suggests_the_region_without_overriding_a_choice(desktop_page, admin_user):
    page = desktop_page
    sign_in(page, "admin", "password")
    page.goto("/admin/countries/country/add/")
    page.locator("#id_iso_code").select_option("UZ")
    expect(page.locator("#id_region")).to_have_value("143")  # Central Asia

    page.goto("/admin/countries/country/add/")
    page.locator("#id_region").select_option("145")  # Western Asia, the editor's choice
    page.locator("#id_iso_code").select_option("UZ")
    expect(page.locator("#id_region")).to_have_value("145")


# 7. What a save says -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("button", "message"),
    [
        ("_save", "Saved as a draft"),
        ("_publish", "Published: readers see this version now."),
    ],
)
def test_saving_a_draft_says_whether_readers_see_it(desktop_page, admin_user, button, message):
    page = desktop_page
    draft = CountryFactory(name="Draftland", iso_code="UZ", is_published=False)
    sign_in(page, "admin", "password")
    page.goto(change_url(draft))
    submit(page, button)
    expect(page.locator(".messagelist")).to_contain_text(message)
    draft.refresh_from_db()
    assert draft.is_published == (button == "_publish")
