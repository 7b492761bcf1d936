"""Readers in their language: /ru/… and /kk/… pages with the interface translated, English content
marked as such, alternates for search engines, and one cached copy per language."""

import re

import pytest
from django.utils import translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = ["ru", "kk"]
PAGES = ["/", "/countries/", "/countries/kazakhstan/", "/blocked-sites/", "/constitutions/",
         "/data/", "/search/?q=press", "/topics/net-neutrality/"]  # fmt: skip


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_readers_page_answers_in_each_language(client, kazakhstan, language, page):
    response = client.get(f"/{language}{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    countries = in_language(language, "Countries")
    assert countries != "Countries" and f">{countries}</a>" in html  # the menu, translated


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_country_page_translates_its_interface_and_marks_english_content(
    client, kazakhstan, language
):
    html = client.get(f"/{language}/countries/kazakhstan/").content.decode()
    summary, privacy = in_language(language, "Summary"), in_language(language, "Privacy")
    assert summary != "Summary" and f">{summary}</h2>" in html
    assert f">{privacy}</h2>" in html
    note = in_language(language, "Not yet translated: the English text.")
    # Each section with prose says its text is the English one, and is marked lang="en".
    assert html.count(note) == html.count('<div lang="en">') >= 5
    assert '<div lang="en"><div class="prose"><p>Kazakhstan' in html
    changed = kazakhstan.public_changes()[0].date
    with translation.override(language):
        assert date_format(changed, "j E Y") in html  # the list of changes' date, in the language

    english = client.get("/countries/kazakhstan/").content.decode()
    assert '<html lang="en">' in english and 'lang="en"><p>' not in english
    assert in_language("en", "Not yet translated: the English text.") not in english


def test_the_switcher_and_alternates_keep_the_page(client, kazakhstan):
    html = client.get("/countries/kazakhstan/?utm_source=x").content.decode()
    for code, prefix in [("en", ""), ("ru", "/ru"), ("kk", "/kk")]:
        url = f"http://testserver{prefix}/countries/kazakhstan/"
        assert f'<link rel="alternate" hreflang="{code}" href="{url}">' in html
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/countries/kazakhstan/">'
        in html
    )
    assert '<a href="/ru/countries/kazakhstan/" hreflang="ru" lang="ru">Русский</a>' in html
    assert '<span aria-current="page" lang="en">English</span>' in html
    russian = client.get("/ru/countries/kazakhstan/").content.decode()
    assert '<a href="/countries/kazakhstan/" hreflang="en" lang="en">English</a>' in russian
    assert '<span aria-current="page" lang="ru">Русский</span>' in russian


def test_headers_and_cookies_never_choose_the_language(client, kazakhstan):
    """A page's language is its address's: the page cache keeps one copy per language, and no
    reader's browser settings can put another language into everyone's page. (The API, for
    programs, negotiates: tests/test_content_languages.py.)"""
    russian = client.get("/ru/countries/kazakhstan/", headers={"Accept-Language": "ru"})
    assert russian["Content-Language"] == "ru"
    client.cookies["django_language"] = "kk"
    for _ in range(2):  # the second answer comes from the page cache
        english = client.get("/countries/kazakhstan/", headers={"Accept-Language": "ru, kk"})
        assert (
            english["Content-Language"] == "en" and '<html lang="en">' in english.content.decode()
        )
    again = client.get("/ru/countries/kazakhstan/").content.decode()
    assert '<html lang="ru">' in again


def test_the_sitemap_lists_every_language_with_alternates(client, kazakhstan):
    xml = client.get("/sitemap.xml").content.decode()
    for prefix in ["", "/ru", "/kk"]:
        assert f"<loc>http://testserver{prefix}/countries/kazakhstan/</loc>" in xml
    alternates = re.findall(r'<xhtml:link rel="alternate" hreflang="(\w+(?:-\w+)?)"', xml)
    assert {"en", "ru", "kk", "x-default"} <= set(alternates)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_feeds_speak_the_readers_language(client, kazakhstan, language):
    feed = client.get(f"/{language}/countries/kazakhstan/changes.atom").content.decode()
    first = in_language(language, "First published.")
    assert first != "First published." and first in feed


def test_an_unknown_language_prefix_is_not_a_page(client, kazakhstan):
    assert client.get("/de/countries/kazakhstan/").status_code == 404
    assert client.get("/ru/admin/").status_code == 404  # the admin has no language prefix
