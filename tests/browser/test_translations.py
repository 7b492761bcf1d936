"""Editors translate an entry in the admin's language tabs, and readers read it in their language.

The journeys: an editor types a Russian (then a Kazakh) summary on the Русский (Қазақша) tab
and saves; a reader switches the country page to that language and gets the translated section
in it, and the English of the sections nobody translated yet, marked as such. The tabs show one
language at a time, go by keyboard, and reopen on the language whose field was refused. When the
English changes after a translation, the entry's Translations page says so until the translation
is saved again. Previews (the page's and each field's) are in the tab's language.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from countries.models import Country

from .conftest import DESKTOP, PHONE
from .helpers import sign_in

RUSSIAN_SUMMARY = "Правительство Казахстана блокирует сайты оппозиции."
KAZAKH_SUMMARY = "Қазақстан үкіметі сайттарды бұғаттайды."
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
NO_HORIZONTAL_SCROLL = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)
OUTDATED = "English changed after this translation"


def in_language(language, text, **params):
    """What the interface says in `language` (what Django's catalogues give, missing or not)."""
    with translation.override(language):
        translated = translation.gettext(text)
    return translated % params if params else translated


def change_url(country):
    return f"/admin/countries/country/{country.pk}/change/"


def translations_url(country):
    return f"/admin/countries/country/{country.pk}/translations/"


def tab(page, language):
    return page.locator(f"#language-tabs [role=tab][data-language={language}]")


def field(page, name):
    return page.locator(f"[name={name}]")


def field_row(page, name):
    return page.locator(f".form-row:has([name={name}])")


def save(page, name="_save"):
    page.locator(f"input[type=submit][name={name}]").click()
    expect(page.locator(".messagelist")).to_contain_text("successfully")


def switch_language(page, language):
    """The header's language switcher, as a reader uses it."""
    page.get_by_role("navigation", name=re.compile("Languages|Языки|Тілдер")).get_by_role(
        "link", name=LANGUAGE_NAMES[language], exact=True
    ).click()


def expect_only_language_shown(page, language, fields=("summary", "privacy")):
    for name in fields:
        for code in LANGUAGE_NAMES:
            row = field_row(page, f"{name}_{code}")
            if code == language:
                expect(row).to_be_visible()
            else:
                expect(row).to_be_hidden()
                expect(row).to_have_attribute("hidden", "")


def effective_language(locator):
    """The language a screen reader or a hyphenator takes the element's text to be in."""
    return locator.evaluate("element => element.closest('[lang]').getAttribute('lang')")


def report_list(page, language, heading):
    """The links of the Translations page under `heading` in `language`'s part."""
    section = page.locator(
        "section.translation-report",
        has=page.get_by_role("heading", level=2, name=LANGUAGE_NAMES[language], exact=True),
    )
    return section.locator("h3", has_text=heading).locator("xpath=following-sibling::ul[1]")


# 1. The "done when": typed in the tabs, read in the reader's language -----------------


def expect_translated_page(page, language, summary, english):
    """The country page in `language`: its interface, the translated summary, the English rest."""
    expect(page).to_have_url(re.compile(f"/{language}/countries/kazakhstan/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    untranslated_note = in_language(language, "Not yet translated: the English text.")

    section = page.locator("section#summary")
    heading = in_language(language, "Summary")
    assert heading != "Summary", f"the {language} catalogue does not translate “Summary”"
    expect(section.get_by_role("heading", level=2)).to_have_text(heading)
    expect(section).to_contain_text(summary)
    expect(section.locator(".untranslated")).to_have_count(0)
    expect(section.locator("[lang=en]")).to_have_count(0)
    expect(section).not_to_contain_text(english.summary_en[:40])
    assert effective_language(section.get_by_text(summary)) == language

    privacy = page.locator("section#privacy")
    expect(privacy.get_by_role("heading", level=2)).to_have_text(in_language(language, "Privacy"))
    expect(privacy.locator(".untranslated")).to_have_text(untranslated_note)
    english_privacy = privacy.locator("div[lang=en]")
    expect(english_privacy).to_contain_text("In practice, however, privacy is not secure.")
    assert effective_language(english_privacy.get_by_text("In practice, however")) == "en"
    # The table of contents names the sections in the reader's language too.
    expect(page.locator("nav.toc")).to_contain_text(heading)


def test_an_editor_translates_the_summary_and_readers_read_it_in_russian_then_kazakh(
    desktop_page, phone_page, editor, kazakhstan
):
    editor_page, reader = desktop_page, phone_page
    sign_in(editor_page)

    for language, summary in [("ru", RUSSIAN_SUMMARY), ("kk", KAZAKH_SUMMARY)]:
        # The editor: the language's tab, its summary typed as a person types, saved.
        editor_page.goto(change_url(kazakhstan))
        tab(editor_page, language).click()
        expect(tab(editor_page, language)).to_have_attribute("aria-selected", "true")
        box = field(editor_page, f"summary_{language}")
        expect(box).to_be_visible()
        expect(box).to_have_attribute("lang", language)
        expect(field(editor_page, "summary_en")).to_be_hidden()
        box.press_sequentially(summary)
        save(editor_page)
        stored = Country.objects.get(pk=kazakhstan.pk)
        assert getattr(stored, f"summary_{language}") == summary
        assert stored.summary_en == kazakhstan.summary_en  # the English is untouched

        # A reader, on a phone: the English page, then their language from the header.
        reader.goto(kazakhstan.get_absolute_url())
        expect(reader.locator("html")).to_have_attribute("lang", "en")
        english_summary = reader.locator("section#summary")
        expect(english_summary).to_contain_text(kazakhstan.summary_en[:40])
        expect(english_summary).not_to_contain_text(summary)
        expect(english_summary.locator(".untranslated")).to_have_count(0)

        switch_language(reader, language)
        expect_translated_page(reader, language, summary, kazakhstan)
        assert reader.evaluate(NO_HORIZONTAL_SCROLL), f"/{language}/ is wider than the phone"

    # Both translations stand side by side: switching keeps the page and each its own text.
    switch_language(reader, "ru")
    expect_translated_page(reader, "ru", RUSSIAN_SUMMARY, kazakhstan)
    expect(reader.locator("section#summary")).not_to_contain_text(KAZAKH_SUMMARY)
    switch_language(reader, "en")
    expect(reader).to_have_url(re.compile(r"[^/]/countries/kazakhstan/$"))
    expect(reader.locator("section#summary")).to_contain_text(kazakhstan.summary_en[:40])
    assert reader.watcher.errors == []
    assert editor_page.watcher.errors == []
    assert reader.watcher.foreign_requests == []


# 2. The tabs: one language at a time, keyboard, errors ----------------------------------------


def test_the_tabs_show_one_language_at_a_time_and_follow_the_arrow_keys(
    desktop_page, editor, kazakhstan
):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))

    tabs = page.get_by_role("tablist")
    expect(tabs).to_be_visible()
    expect(tabs.get_by_role("tab")).to_have_text(["English", "Русский", "Қазақша"])
    expect(tab(page, "en")).to_have_attribute("aria-selected", "true")
    expect_only_language_shown(page, "en")
    # The fields nobody translates show on every tab; the entry's rows follow the tabs too.
    expect(field(page, "name")).to_be_visible()
    expect(field(page, "articles-0-clauses_en")).to_be_visible()
    expect(field(page, "articles-0-clauses_ru")).to_be_hidden()

    # Labels: the English column plainly, each translation with its language, marked if missing.
    expect(page.locator("label[for=id_summary_en]")).to_have_text("Summary:")
    ru_label = page.locator("label[for=id_summary_ru]")
    expect(ru_label).to_contain_text("Summary (Русский)")
    expect(ru_label.locator(".translation-state")).to_have_text("Not translated")
    expect(page.locator("label[for=id_summary_kk]")).to_contain_text("Summary (Қазақша)")
    expect(page.locator("label[for=id_summary_en] .translation-state")).to_have_count(0)

    # The keyboard: arrows move the selection (and the focus) along the tabs, and wrap around.
    tab(page, "en").focus()
    for language in ["ru", "kk", "en"]:
        page.keyboard.press("ArrowRight")
        expect(tab(page, language)).to_be_focused()
        expect(tab(page, language)).to_have_attribute("aria-selected", "true")
        expect(page.locator("[role=tab][aria-selected=true]")).to_have_count(1)
        expect_only_language_shown(page, language)
        expect(field(page, "articles-0-clauses_" + language)).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(tab(page, "kk")).to_be_focused()
    expect_only_language_shown(page, "kk")
    # Only the selected tab is in the Tab order; the others are reached with the arrows.
    expect(tab(page, "kk")).to_have_attribute("tabindex", "0")
    expect(tab(page, "en")).to_have_attribute("tabindex", "-1")
    assert page.watcher.errors == []


def test_a_refused_kazakh_field_reopens_the_form_on_the_kazakh_tab(
    desktop_page, editor, kazakhstan
):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))

    tab(page, "ru").click()
    field(page, "summary_ru").fill(RUSSIAN_SUMMARY)
    tab(page, "kk").click()
    # Too long for the field (20,000 characters at most); set at once, typing it would take minutes.
    field(page, "summary_kk").evaluate("box => { box.value = 'ы'.repeat(20001); }")
    # The editor was last on the English tab: the error, not the memory, picks the tab.
    tab(page, "en").click()
    page.locator("input[type=submit][name=_save]").click()

    expect(page.locator(".errornote")).to_be_visible()
    expect(tab(page, "kk")).to_have_attribute("aria-selected", "true")
    expect(tab(page, "kk")).to_have_text("Қазақша (1)")
    expect(tab(page, "kk").locator(".tab-errors")).to_have_text(" (1)")
    expect(tab(page, "ru")).to_have_text("Русский")
    expect(tab(page, "en")).to_have_text("English")
    error = field_row(page, "summary_kk").locator(".errorlist")
    expect(error).to_be_visible()
    expect(error).to_contain_text("at most 20000 characters")
    expect_only_language_shown(page, "kk")
    # What the editor typed is still in the form, on every tab.
    expect(field(page, "summary_kk")).to_have_value("ы" * 20001)
    expect(field(page, "summary_ru")).to_have_value(RUSSIAN_SUMMARY)

    stored = Country.objects.get(pk=kazakhstan.pk)
    assert (stored.summary_ru, stored.summary_kk) == (None, None)
    assert stored.updated_at == kazakhstan.updated_at

    # Corrected, the form saves.
    field(page, "summary_kk").fill(KAZAKH_SUMMARY)
    save(page)
    stored = Country.objects.get(pk=kazakhstan.pk)
    assert (stored.summary_ru, stored.summary_kk) == (RUSSIAN_SUMMARY, KAZAKH_SUMMARY)


@pytest.fixture
def no_script_page(browser, live_server, transactional_db, django_db_serialized_rollback):
    context = browser.new_context(
        viewport=DESKTOP, base_url=live_server.url, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_without_javascript_every_language_shows_and_saves(no_script_page, editor, kazakhstan):
    page = no_script_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    for language in LANGUAGE_NAMES:
        expect(field(page, f"summary_{language}")).to_be_visible()
        expect(field(page, f"articles-0-clauses_{language}")).to_be_visible()
    expect(page.locator("label[for=id_summary_ru]")).to_have_text("Summary (Русский):")

    field(page, "summary_kk").fill(KAZAKH_SUMMARY)
    save(page)
    assert Country.objects.get(pk=kazakhstan.pk).summary_kk == KAZAKH_SUMMARY


def test_without_javascript_there_are_no_tabs_that_do_nothing(no_script_page, editor, kazakhstan):
    page = no_script_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    expect(page.locator("#language-tabs")).to_have_attribute("hidden", "")
    expect(page.locator("#language-tabs")).to_be_hidden()


def test_a_tab_s_text_boxes_are_full_size_when_it_is_opened(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    english = field(page, "summary_en").bounding_box()["height"]
    assert english > 100
    # Once the previews of the page's opening have come back.
    page.wait_for_load_state("networkidle")
    tab(page, "ru").click()
    russian = field(page, "summary_ru")
    expect(russian).to_be_visible()
    assert russian.bounding_box()["height"] >= english * 0.9


def test_a_translator_reads_the_english_under_the_field_they_translate(
    desktop_page, editor, kazakhstan
):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    tab(page, "ru").click()
    reference = field_row(page, "summary_ru").locator("details.english-reference")
    expect(reference).to_be_visible()
    reference.locator("summary").click()
    english = reference.locator("div[lang=en]")
    expect(english).to_contain_text("Kazakhstan's government engages in website blocking")
    # The inline rows' translations are marked like the entry's own.
    article_label = field_row(page, "articles-0-clauses_ru").locator("label .translation-state")
    expect(article_label).to_have_text("Not translated")
    # An article's clauses too, in the inline rows.
    expect(
        field_row(page, "articles-0-clauses_ru").locator("details.english-reference")
    ).to_be_visible()
    # It follows the English as it is edited (on its own tab), and shows it as text.
    tab(page, "en").click()
    field(page, "summary_en").fill("<b>New</b> English.")
    tab(page, "ru").click()
    expect(english).to_have_text("<b>New</b> English.")
    assert reference.locator("b").count() == 0


def test_a_row_added_with_add_another_follows_the_open_tab(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    tab(page, "ru").click()
    page.get_by_text("Add another Constitutional article").click()
    new = kazakhstan.articles.count()  # the new row's index
    expect(field(page, f"articles-{new}-clauses_ru")).to_be_visible()
    expect(field(page, f"articles-{new}-clauses_en")).to_be_hidden()
    expect(field(page, f"articles-{new}-clauses_kk")).to_be_hidden()
    tab(page, "en").click()
    expect(field(page, f"articles-{new}-clauses_en")).to_be_visible()
    expect(field(page, f"articles-{new}-clauses_ru")).to_be_hidden()
    field(page, f"articles-{new}-number").fill("29")
    field(page, f"articles-{new}-topic").select_option("speech")
    field(page, f"articles-{new}-clauses_en").fill("Everyone is guaranteed freedom of thought.")
    tab(page, "ru").click()
    reference = field_row(page, f"articles-{new}-clauses_ru").locator(".english-reference")
    expect(reference).to_contain_text("Everyone is guaranteed freedom of thought.")
    field(page, f"articles-{new}-clauses_ru").fill("Каждому гарантируется свобода мысли.")
    save(page)
    article = kazakhstan.articles.get(number="29")
    assert article.clauses_en == ["Everyone is guaranteed freedom of thought."]
    assert article.clauses_ru == ["Каждому гарантируется свобода мысли."]
    assert page.watcher.errors == []


# 3. English edited after a translation ---------------------------------------------------------


def test_english_edited_after_the_russian_is_listed_until_the_russian_is_saved_again(
    desktop_page, editor, kazakhstan
):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    tab(page, "ru").click()
    field(page, "summary_ru").fill(RUSSIAN_SUMMARY)
    save(page)

    page.goto(translations_url(kazakhstan))
    expect(page.get_by_role("heading", name=OUTDATED)).to_have_count(0)
    missing_in_russian = report_list(page, "ru", "Not translated")
    expect(missing_in_russian.get_by_role("link", name="Entry · Privacy")).to_be_visible()
    expect(missing_in_russian.get_by_role("link", name="Entry · Summary")).to_have_count(0)

    # An editor changes the English.
    page.goto(change_url(kazakhstan))
    tab(page, "en").click()
    field(page, "summary_en").fill("Kazakhstan blocks opposition sites and watches Internet cafes.")
    save(page)

    # The entry's Translations link (object tools) lists the Russian summary as outdated.
    page.goto(change_url(kazakhstan))
    page.locator(".object-tools").get_by_role("link", name="Translations").click()
    expect(page).to_have_url(re.compile(f"{translations_url(kazakhstan)}$"))
    outdated = report_list(page, "ru", OUTDATED)
    expect(outdated.get_by_role("link")).to_have_text(["Entry · Summary"])
    expect(
        page.locator("section.translation-report", has_text="Русский").get_by_role(
            "heading", level=3, name=f"{OUTDATED} (1)"
        )
    ).to_be_visible()
    # Kazakh never had a summary: still "not translated", not "changed".
    expect(report_list(page, "kk", OUTDATED)).to_have_count(0)
    expect(
        report_list(page, "kk", "Not translated").get_by_role("link", name="Entry · Summary")
    ).to_be_visible()

    # The form says so too, on the field itself.
    page.goto(change_url(kazakhstan))
    tab(page, "ru").click()
    expect(page.locator("label[for=id_summary_ru] .translation-state")).to_have_text(OUTDATED)
    # Readers still get the Russian: outdated is not missing.
    assert Country.objects.get(pk=kazakhstan.pk).translation_state("summary", "ru") == "outdated"

    # Saving the entry without touching the Russian does not vouch for it.
    tab(page, "en").click()
    field(page, "privacy_en").fill(kazakhstan.privacy_en + " Cafes keep logs.")
    save(page)
    page.goto(translations_url(kazakhstan))
    expect(report_list(page, "ru", OUTDATED).get_by_role("link")).to_have_text(["Entry · Summary"])

    # The translator brings the Russian up to date and saves: no longer listed.
    page.goto(change_url(kazakhstan))
    tab(page, "ru").click()
    field(page, "summary_ru").fill(RUSSIAN_SUMMARY + " Интернет-кафе под наблюдением.")
    save(page)
    page.goto(translations_url(kazakhstan))
    expect(page.get_by_role("heading", name=re.compile(OUTDATED))).to_have_count(0)
    expect(
        report_list(page, "ru", "Not translated").get_by_role("link", name="Entry · Summary")
    ).to_have_count(0)
    page.goto(change_url(kazakhstan))
    tab(page, "ru").click()
    expect(page.locator("label[for=id_summary_ru] .translation-state")).to_have_count(0)
    assert page.watcher.errors == []


def test_a_translations_page_link_opens_the_field_on_its_language_tab(
    desktop_page, editor, kazakhstan
):
    page = desktop_page
    sign_in(page)
    page.goto(translations_url(kazakhstan))
    report_list(page, "kk", "Not translated").get_by_role("link", name="Entry · Privacy").click()
    expect(page).to_have_url(re.compile(r"/change/#id_privacy_kk$"))
    expect(tab(page, "kk")).to_have_attribute("aria-selected", "true", timeout=2000)
    expect(field(page, "privacy_kk")).to_be_in_viewport()


# 4. Previews in the tab's language --------------------------------------------------------------


def test_preview_changes_shows_the_unsaved_page_in_the_tab_s_language(
    desktop_page, editor, kazakhstan
):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    preview_button = page.get_by_role("button", name="Preview changes")
    tab(page, "kk").click()
    expect(preview_button).to_have_attribute("formaction", re.compile(r"\?lang=kk$"))
    tab(page, "ru").click()
    expect(preview_button).to_have_attribute("formaction", re.compile(r"/preview/\?lang=ru$"))
    field(page, "summary_ru").fill(RUSSIAN_SUMMARY)

    with page.expect_popup() as popup_info:
        preview_button.click()
    preview = popup_info.value
    expect(preview.locator("html")).to_have_attribute("lang", "ru")
    summary = preview.locator("section#summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text(in_language("ru", "Summary"))
    expect(summary).to_contain_text(RUSSIAN_SUMMARY)
    expect(summary.locator(".untranslated")).to_have_count(0)
    expect(preview.locator("section#privacy .untranslated")).to_have_text(
        in_language("ru", "Not yet translated: the English text.")
    )
    preview.close()

    # A preview, not a save.
    assert Country.objects.get(pk=kazakhstan.pk).summary_ru is None
    page.goto(kazakhstan.get_absolute_url().replace("/countries/", "/ru/countries/", 1))
    expect(page.locator("section#summary")).not_to_contain_text(RUSSIAN_SUMMARY)


def test_each_field_s_live_preview_is_in_its_language(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    for language in ["ru", "kk"]:
        tab(page, language).click()
        box = field(page, f"censorship_{language}")
        expect(box).to_have_attribute("data-markdownx-urls-path", re.compile(f"&lang={language}$"))
        preview = page.locator(".markdownx", has=box).locator(".markdownx-preview")
        with page.expect_response(
            lambda response, language=language: (
                "/markdownx/markdownify/" in response.url and f"lang={language}" in response.url
            )
        ) as response_info:
            box.fill(f"{LANGUAGE_NAMES[language]}: текст.\n\n[[Article 20]]")
        assert response_info.value.ok
        # The quoted article as that language's page quotes it: its title in the language, the
        # clauses nobody translated yet in English, marked.
        expect(preview.locator(".quote-title")).to_have_text(
            in_language(language, "Article %(number)s", number="20")
        )
        expect(preview.locator(".untranslated")).to_have_text(
            in_language(language, "Not yet translated: the English text.")
        )
        expect(preview.locator("blockquote ol")).to_have_attribute("lang", "en")
        expect(preview).to_contain_text("Censorship shall be prohibited.")
    assert page.watcher.errors == []


# 5. Screen widths --------------------------------------------------------------------------------


def test_the_tabs_and_the_form_fit_a_desktop_screen(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(change_url(kazakhstan))
    tabs = page.locator("#language-tabs")
    for language in LANGUAGE_NAMES:
        tab(page, language).click()
        assert page.evaluate(NO_HORIZONTAL_SCROLL), (
            f"the form on the {language} tab scrolls sideways"
        )
        boxes = [tab(page, code).bounding_box() for code in LANGUAGE_NAMES]
        assert len({box["y"] for box in boxes}) == 1, "the tabs are not on one line"
        assert max(box["x"] + box["width"] for box in boxes) <= DESKTOP["width"]
    # Far down the form, at the articles' rows, the tabs are still at hand.
    field(page, "articles-1-clauses_kk").scroll_into_view_if_needed()
    expect(tabs).to_be_in_viewport()
    tab(page, "ru").click()
    expect(field(page, "articles-1-clauses_ru")).to_be_visible()


def test_the_russian_page_and_the_tabs_fit_a_phone(phone_page, editor, kazakhstan):
    page = phone_page
    kazakhstan.summary_ru = (
        "Правительство Казахстана блокирует сайты оппозиции и следит за посетителями "
        "интернет-кафе, отслеживая историю их веб-поиска."
    )
    kazakhstan.save()
    page.goto("/ru/countries/kazakhstan/")
    expect(page.locator("section#summary")).to_contain_text("интернет-кафе")
    expect(page.locator("section#privacy .untranslated")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "/ru/ is wider than a 360 px phone"
    switch_language(page, "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "/kk/ is wider than a 360 px phone"

    sign_in(page)
    page.goto(change_url(kazakhstan))
    for language in LANGUAGE_NAMES:
        tab(page, language).click()
        expect_only_language_shown(page, language)
        right = max(
            tab(page, c).bounding_box()["x"] + tab(page, c).bounding_box()["width"]
            for c in LANGUAGE_NAMES
        )
        assert right <= PHONE["width"], "a tab is off the phone's screen"
        assert page.evaluate(NO_HORIZONTAL_SCROLL), (
            f"the form on the {language} tab scrolls sideways"
        )
