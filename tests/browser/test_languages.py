"""A reader switches a country page to Russian and to Kazakh: the interface is translated, the
entry's English text is marked as such, and the switcher keeps the page."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import expect

NO_HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


def test_a_reader_switches_the_country_page_to_russian_and_kazakh(page, kazakhstan):
    page.goto(kazakhstan.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en")

    for language, name in [("ru", "Русский"), ("kk", "Қазақша")]:
        page.get_by_role("navigation", name=re.compile("Languages|Языки|Тілдер")).get_by_role(
            "link", name=name
        ).click()
        expect(page).to_have_url(re.compile(f"/{language}/countries/kazakhstan/$"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        # The interface: the menu and the section headings in the reader's language.
        expect(
            page.get_by_role("link", name=in_language(language, "Countries"), exact=True)
        ).to_be_visible()
        privacy = page.locator("section#privacy")
        expect(privacy.get_by_role("heading", level=2)).to_have_text(
            in_language(language, "Privacy")
        )
        # The entry itself is English until editors translate it, and says so.
        expect(privacy.locator(".untranslated")).to_have_text(
            in_language(language, "Not yet translated: the English text.")
        )
        expect(privacy.locator("div[lang=en]")).to_contain_text("privacy")
        # The quoted law and the sites are there as on the English page.
        expect(page.locator("figure#article-20 blockquote li")).to_have_count(3)
        expect(page.get_by_role("row", name=re.compile("LiveJournal"))).to_be_visible()
        assert page.evaluate(NO_HORIZONTAL_OVERFLOW), f"/{language}/ is wider than the screen"

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/countries/kazakhstan/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.watcher.errors == []
    assert page.watcher.foreign_requests == []


def test_the_translated_pages_are_accessible(desktop_page, kazakhstan):
    page = desktop_page
    for path in ["/ru/countries/kazakhstan/", "/kk/", "/kk/blocked-sites/"]:
        page.goto(path)
        results = Axe().run(page)
        serious = [
            f"{v['id']}: {v['help']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (path, serious)
