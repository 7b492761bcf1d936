"""An editor signs in, sees the live Markdown preview, saves, and the public page shows it."""

import re

from playwright.sync_api import expect

from ..conftest import EDITOR_PASSWORD


def sign_in(page, username="editor"):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Country entries"))).to_be_visible()


def test_editor_previews_and_saves_markdown(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/change/")

    editor_box = page.locator("textarea[name=net_neutrality]")
    editor_box.fill('A **2026** law protects it. <img src=x onerror="alert(1)">')
    preview = page.locator(".markdownx", has=editor_box).locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("2026")
    expect(preview).to_contain_text('<img src=x onerror="alert(1)">')  # shown as text
    expect(preview.locator("img")).to_have_count(0)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(kazakhstan.get_absolute_url())
    expect(page.locator("#net-neutrality strong")).to_have_text("2026")
    assert page.watcher.dialogs == []
