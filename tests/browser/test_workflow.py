"""An editor's whole day in the admin, in Chromium: draft, preview, publish, edit, revert,
and a colleague saving the same entry at the same time."""

import re

from playwright.sync_api import expect
from reversion.models import Version

from countries.models import Country

from .helpers import sign_in


def save(page, name="_save"):
    page.locator(f"input[type=submit][name={name}]").click()
    expect(page.locator(".messagelist")).to_contain_text("successfully")


def test_draft_preview_publish_edit_and_revert(desktop_page, group_editor, transactional_db):
    page = desktop_page
    sign_in(page, "volunteer")
    page.goto("/admin/countries/country/add/")
    page.locator("#id_name").press_sequentially("Testland")
    expect(page.locator("#id_slug")).to_have_value("testland")  # filled in from the name
    page.locator("#id_iso_code").select_option("UZ")
    page.locator("#id_region").select_option("143")
    page.locator("textarea[name=summary_en]").fill("The first summary of Testland.")

    page.get_by_text("Add another Constitutional article").click()
    page.locator("[name=articles-0-number]").fill("29")
    page.locator("[name=articles-0-topic]").select_option("speech")
    page.locator("[name=articles-0-clauses_en]").fill("Everyone is guaranteed freedom of thought.")
    page.get_by_text("Add another Metric").click()
    page.locator("[name=metrics-0-kind]").select_option("internet_penetration")
    page.locator("[name=metrics-0-value]").fill("71")
    page.locator("[name=metrics-0-year]").fill("2022")
    save(page, "_continue")

    country = Country.objects.get(slug="testland")
    assert not country.is_published
    assert page.context.request.get("/countries/testland/").status == 404  # a draft

    # Sites are not rows of the entry's page: its panel leads to a form of their own.
    panel = page.locator(".entry-sites")
    expect(panel).to_contain_text("0 sites")
    panel.get_by_role("link", name="Add a site").click()
    expect(page.locator("#id_country")).to_have_value(str(country.pk))  # filled in from the link
    page.locator("#id_name").fill("Telegram")
    page.locator("#id_action").select_option("blocked")
    save(page)
    site = country.blocked_sites.get(name="Telegram")
    assert (site.review, site.action) == ("confirmed", "blocked")
    page.goto(f"/admin/countries/country/{country.pk}/change/")
    expect(page.locator(".entry-sites")).to_contain_text("1 site")

    with page.context.expect_page() as preview_opened:
        page.get_by_role("button", name="Preview changes").click()
    preview = preview_opened.value
    expect(preview.locator(".preview-banner")).to_be_visible()
    expect(preview.locator("#summary")).to_contain_text("The first summary of Testland.")
    preview.close()

    save(page, "_publish")
    page.goto("/countries/testland/")
    expect(page.locator("#summary")).to_contain_text("The first summary of Testland.")
    expect(page.locator("figure#article-29")).to_contain_text("freedom of thought")
    expect(page.get_by_role("row", name=re.compile("Telegram"))).to_be_visible()
    expect(page.locator("#internet-access")).to_contain_text("71%")

    page.goto(f"/admin/countries/country/{country.pk}/change/")
    page.locator("textarea[name=summary_en]").fill("A second, worse summary.")
    save(page)
    page.goto("/countries/testland/")
    expect(page.locator("#summary")).to_contain_text("A second, worse summary.")

    first = Version.objects.get_for_object(country).order_by("pk").first()
    revision_url = f"/admin/countries/country/{country.pk}/history/{first.pk}/"
    page.goto(f"/admin/countries/country/{country.pk}/history/")
    page.locator(f"a[href='{revision_url}']").first.click()
    expect(page.locator("textarea[name=summary_en]")).to_have_value(
        "The first summary of Testland."
    )
    save(page)

    page.goto("/countries/testland/")  # still published, with the first text back
    expect(page.locator("#summary")).to_contain_text("The first summary of Testland.")
    # The entry's revisions hold no sites: reverting the entry leaves its sites alone.
    expect(page.get_by_role("row", name=re.compile("Telegram"))).to_be_visible()
    assert page.watcher.dialogs == []


def test_two_editors_saving_the_same_entry(
    desktop_page, second_desktop_page, admin_user, group_editor, kazakhstan
):
    alice, bob = desktop_page, second_desktop_page
    sign_in(alice, "admin", "password")
    sign_in(bob, "volunteer")
    change = f"/admin/countries/country/{kazakhstan.pk}/change/"
    alice.goto(change)
    bob.goto(change)

    alice.locator("textarea[name=summary_en]").fill("Alice rewrote the summary.")
    save(alice)

    bob.locator("textarea[name=net_neutrality_en]").fill("Bob documented a new law.")
    bob.locator("input[type=submit][name=_save]").click()
    conflict = bob.locator(".edit-conflict")
    expect(conflict).to_contain_text("Someone else saved this entry")
    expect(conflict).to_contain_text("Alice rewrote the summary.")
    expect(bob.locator("textarea[name=net_neutrality_en]")).to_have_value(
        "Bob documented a new law."
    )
    expect(bob.locator("textarea[name=summary_en]")).to_have_value("Alice rewrote the summary.")

    save(bob)
    bob.goto(kazakhstan.get_absolute_url())
    expect(bob.locator("#summary")).to_contain_text("Alice rewrote the summary.")
    expect(bob.locator("#net-neutrality")).to_contain_text("Bob documented a new law.")
