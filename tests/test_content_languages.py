"""Entries in several languages: editors translate through the admin's language tabs, readers
get each section in their language or the English marked as such, re-users get every language
in the API and the fixtures; history, conflicts, caches and search cover every language."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from countries.models import ConstitutionalArticle, Country, Source
from countries.models.entries import translation_gaps

from .forms import change_url, open_form, read_form, row_index, save, signed_in
from .helpers import export, snapshot

pytestmark = pytest.mark.django_db

RUSSIAN_SUMMARY = "Правительство Казахстана блокирует сайты оппозиции 🚫 и «Адиль Соз»."
KAZAKH_SUMMARY = "Қазақстан үкіметі оппозиция сайттарын бұғаттайды."
RUSSIAN_CLAUSE = "Гарантируется свобода слова и творчества. Цензура запрещается."


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


def section(html, anchor):
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


# Editors: the form, the preview, what is left to translate ---------------------------------------


def test_an_editor_translates_a_section_and_readers_of_that_language_get_it(
    admin_client, client, kazakhstan
):
    form = open_form(admin_client, kazakhstan)
    # One field per language, the English one as before; nothing of the other languages yet.
    assert form["summary_en"].startswith("Kazakhstan's government")
    assert form["summary_ru"] == form["summary_kk"] == ""
    # As a browser sends a textarea: CRLF.
    save(admin_client, kazakhstan, form, summary_ru=RUSSIAN_SUMMARY.replace(" и ", "\r\nи "))

    russian = client.get("/ru/countries/kazakhstan/").content.decode()
    summary = section(russian, "summary")
    assert "блокирует сайты оппозиции 🚫" in summary and "untranslated" not in summary
    assert 'lang="en"' not in summary
    privacy = section(russian, "privacy")  # not translated: the English, marked
    assert in_language("ru", "Not yet translated: the English text.") in privacy
    assert '<div lang="en">' in privacy and "privacy is not secure" in privacy

    english = client.get("/countries/kazakhstan/").content.decode()
    assert "government engages in website blocking" in section(english, "summary")
    assert "Правительство" not in english
    kazakh = client.get("/kk/countries/kazakhstan/").content.decode()
    assert "Правительство" not in kazakh  # Russian is no fallback for Kazakh: English is
    assert '<div lang="en"><div class="prose"><p>Kazakhstan' in section(kazakh, "summary")

    kazakhstan.refresh_from_db()
    assert kazakhstan.summary_ru == RUSSIAN_SUMMARY.replace(" и ", "\nи ")
    [version] = Version.objects.get_for_object(kazakhstan)[:1]
    assert version.revision.get_comment() == "Changed Summary (Русский)."


def test_the_change_form_has_a_tab_per_language_and_labels_each_field(admin_client, kazakhstan):
    html = admin_client.get(change_url(kazakhstan)).content.decode()
    assert 'id="language-tabs"' in html and 'role="tablist"' in html
    for code, name in [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]:
        assert f'data-language="{code}" lang="{code}">{name}</button>' in html
    assert ">Summary:</label>" in html and ">Summary (Русский):</label>" in html
    assert 'name="summary_kk"' in html and 'lang="kk"' in html
    # Each language's live preview renders in that language.
    assert f"?entry={kazakhstan.pk}&amp;lang=ru" in html
    assert "countries/admin-languages" in html
    # What is missing is marked on the form (the script puts the marks on the labels).
    states = json.loads(
        html.split('id="translation-states" type="application/json">')[1].split("<")[0]
    )
    assert states["summary_ru"]["state"] == "missing"
    assert "summary_en" not in states
    # An inline row's translations are marked too, named by the row (its form's id).
    article = kazakhstan.articles.get(number="20")
    assert states[f"articles:{article.pk}:clauses_kk"] == {
        "state": "missing",
        "label": "Not translated",
    }
    assert not any(key.startswith("isps:") for key in states)


def test_the_preview_of_an_unsaved_translation_is_in_its_language(admin_client, kazakhstan):
    form = open_form(admin_client, kazakhstan)
    index = row_index(form, "articles", "number", "20")
    form[f"articles-{index}-clauses_ru"] = RUSSIAN_CLAUSE
    form["censorship_ru"] = "Цензура.\r\n\r\n[[Article 20]]"
    url = reverse("admin:countries_country_preview_unsaved", args=[kazakhstan.pk])
    page = admin_client.post(f"{url}?lang=ru", form).content.decode()
    assert '<html lang="ru">' in page
    censorship = section(page, "censorship")
    assert RUSSIAN_CLAUSE in censorship and '<ol lang="ru">' in censorship
    assert in_language("ru", "Not yet translated: the English text.") not in censorship
    # The live preview of one field, with the entry's saved quote in that field's language.
    ConstitutionalArticle.objects.filter(country=kazakhstan, number="20").update(
        clauses_ru=[RUSSIAN_CLAUSE]
    )
    preview = admin_client.post(
        f"/markdownx/markdownify/?entry={kazakhstan.pk}&lang=ru", {"content": "[[Article 20]]"}
    ).content.decode()
    assert RUSSIAN_CLAUSE in preview
    english = admin_client.post(
        f"/markdownx/markdownify/?entry={kazakhstan.pk}&lang=en", {"content": "[[Article 20]]"}
    ).content.decode()
    assert RUSSIAN_CLAUSE not in english and "Censorship shall be prohibited" in english
    unknown = admin_client.post(
        f"/markdownx/markdownify/?entry={kazakhstan.pk}&lang=<x>", {"content": "[[Article 20]]"}
    )
    assert (
        unknown.status_code == 200 and "Censorship shall be prohibited" in unknown.content.decode()
    )
    assert not Country.objects.filter(censorship_ru__contains="Цензура").exists()


def test_a_translation_becomes_outdated_when_the_english_changes(admin_client, kazakhstan):
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_ru=RUSSIAN_SUMMARY)
    kazakhstan.refresh_from_db()
    assert kazakhstan.translation_state("summary", "ru") == "current"
    assert kazakhstan.translation_state("censorship", "ru") == "missing"
    translations_url = reverse("admin:countries_country_translations", args=[kazakhstan.pk])
    page = admin_client.get(translations_url).content.decode()
    russian = page[page.index("<h2>Русский</h2>") : page.index("<h2>Қазақша</h2>")]
    assert "Entry · Censorship and restrictions on speech" in russian
    assert "Entry · Summary" not in russian

    # Another editor rewrites the English: the Russian is now listed as outdated…
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_en="New English.")
    kazakhstan.refresh_from_db()
    assert kazakhstan.translation_state("summary", "ru") == "outdated"
    assert translation_gaps("ru")[kazakhstan.pk]["outdated"] == 1
    page = admin_client.get(translations_url).content.decode()
    russian = page[page.index("<h2>Русский</h2>") : page.index("<h2>Қазақша</h2>")]
    outdated = russian[: russian.index("Not translated")]
    assert "English changed after this translation" in outdated and "Entry · Summary" in outdated
    changelist = reverse("admin:countries_country_changelist")
    listed = admin_client.get(changelist, {"translation": "ru-outdated"}).content.decode()
    assert "Kazakhstan" in listed and "ru: English changed" not in listed
    assert (
        "Kazakhstan"
        not in admin_client.get(changelist, {"translation": "ru-complete"})
        .content.decode()
        .split('id="result_list"')[-1]
    )

    # …until the translator saves the Russian again (brought up to date).
    save(
        admin_client,
        kazakhstan,
        open_form(admin_client, kazakhstan),
        summary_ru="Новый русский текст.",
    )
    kazakhstan.refresh_from_db()
    assert kazakhstan.translation_state("summary", "ru") == "current"
    assert translation_gaps("ru")[kazakhstan.pk]["outdated"] == 0
    # Kazakh was never translated: every section with English is missing there.
    assert translation_gaps("kk")[kazakhstan.pk]["missing"] >= 7


def test_two_editors_translating_at_once_lose_nothing(client, kazakhstan, admin_user, group_editor):
    alice, bob = signed_in(type(client), admin_user), signed_in(type(client), group_editor)
    alice_form, bob_form = open_form(alice, kazakhstan), open_form(bob, kazakhstan)
    save(alice, kazakhstan, alice_form, summary_ru=RUSSIAN_SUMMARY)
    refused = bob.post(change_url(kazakhstan), {**bob_form, "summary_kk": KAZAKH_SUMMARY})
    page = refused.content.decode()
    assert refused.status_code == 200 and "This entry was changed by" in page
    assert "Summary (Русский)" in page and "their change taken into your form" in page
    retry = read_form(page, "country_form")
    assert retry["summary_ru"] == RUSSIAN_SUMMARY and retry["summary_kk"] == KAZAKH_SUMMARY
    save(bob, kazakhstan, retry)
    kazakhstan.refresh_from_db()
    assert (kazakhstan.summary_ru, kazakhstan.summary_kk) == (RUSSIAN_SUMMARY, KAZAKH_SUMMARY)
    assert kazakhstan.summary_en.startswith("Kazakhstan's government")


def test_revert_brings_back_every_language(admin_client, client, kazakhstan):
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_ru=RUSSIAN_SUMMARY)
    kept = Version.objects.get_for_object(kazakhstan).first()
    save(
        admin_client,
        kazakhstan,
        open_form(admin_client, kazakhstan),
        summary_ru="",
        summary_kk=KAZAKH_SUMMARY,
    )
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary_ru is None  # no text is no translation: null, as in fixtures
    revision_url = reverse("admin:countries_country_revision", args=[kazakhstan.pk, kept.pk])
    reverted = read_form(admin_client.get(revision_url).content.decode(), "country_form")
    assert reverted["summary_ru"] == RUSSIAN_SUMMARY and reverted["summary_kk"] == ""
    assert admin_client.post(revision_url, reverted).status_code == 302
    kazakhstan.refresh_from_db()
    assert (kazakhstan.summary_ru, kazakhstan.summary_kk) == (RUSSIAN_SUMMARY, None)
    assert (
        RUSSIAN_SUMMARY.split(" 🚫")[0] in client.get("/ru/countries/kazakhstan/").content.decode()
    )


# Readers: the page cache, search, feeds ----------------------------------------------------------


def test_each_language_is_cached_apart_and_refreshed_by_a_translation(
    admin_client, client, kazakhstan
):
    english, russian = client.get("/countries/kazakhstan/"), client.get("/ru/countries/kazakhstan/")
    assert client.get("/ru/countries/kazakhstan/").content == russian.content  # cached
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_ru=RUSSIAN_SUMMARY)
    assert "блокирует сайты" in client.get("/ru/countries/kazakhstan/").content.decode()
    after = client.get("/countries/kazakhstan/").content.decode()
    assert "блокирует" not in after and "Kazakhstan&#x27;s government" in after
    assert english.content.decode().count("<section") == after.count("<section")


def test_readers_search_in_their_language_and_in_english(client, kazakhstan):
    Country.objects.filter(pk=kazakhstan.pk).update(summary_ru=RUSSIAN_SUMMARY)
    kazakhstan.refresh_from_db()
    kazakhstan.save()  # as an editor's save: the stored search documents follow
    found = client.get("/ru/search/", {"q": "оппозиции"}).content.decode()
    assert 'href="/ru/countries/kazakhstan/"' in found
    # Untranslated text is still English, and still found from a Russian page.
    assert (
        'href="/ru/countries/kazakhstan/"'
        in client.get("/ru/search/", {"q": "surveillance"}).content.decode()
    )
    # An English reader does not search the Russian.
    assert (
        'href="/countries/kazakhstan/"'
        not in client.get("/search/", {"q": "оппозиции"}).content.decode()
    )
    if connection.vendor == "postgresql":
        # The russian configuration stems: another form of the same word finds it.
        stemmed = client.get("/ru/search/", {"q": "оппозиция сайтов"}).content.decode()
        assert 'href="/ru/countries/kazakhstan/"' in stemmed
    else:
        # SQLite matches substrings, folding case: a word's stem finds it.
        assert (
            'href="/ru/countries/kazakhstan/"'
            in client.get("/ru/search/", {"q": "ОППОЗИЦ"}).content.decode()
        )


# Re-users: the API and the fixtures --------------------------------------------------------------


def test_the_api_answers_in_the_language_asked_for_and_says_which_each_field_is_in(
    client, kazakhstan
):
    Country.objects.filter(pk=kazakhstan.pk).update(summary_ru=RUSSIAN_SUMMARY)
    url = "/api/v1/countries/kazakhstan/"
    english = client.get(url)
    russian = client.get(url, {"lang": "ru"})
    negotiated = client.get(url, headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    kazakh = client.get(url, headers={"Accept-Language": "kk"})
    assert english.json()["language"] == "en" and english["Content-Language"] == "en"
    for response in (russian, negotiated):
        entry = response.json()
        assert response["Content-Language"] == "ru" and entry["language"] == "ru"
        assert entry["sections"]["summary"] == {
            **entry["sections"]["summary"],
            "language": "ru",
            "markdown": RUSSIAN_SUMMARY,
        }
        assert entry["sections"]["summary"]["title"] == in_language("ru", "Summary")
        assert entry["sections"]["privacy"]["language"] == "en"  # not translated yet
        assert entry["constitutional_articles"][0]["languages"] == {
            "clauses": "en",
            "translation_note": "en",
            "notes": "en",
        }
    assert kazakh.json()["sections"]["summary"]["language"] == "en"
    assert "Accept-Language" in english["Vary"]
    # Each language its own representation: validators, and the page cache, keep them apart.
    assert len({english["ETag"], russian["ETag"], kazakh["ETag"]}) == 3
    assert (
        client.get(
            url, headers={"If-None-Match": english["ETag"], "Accept-Language": "ru"}
        ).status_code
        == 200
    )
    assert client.get(url).json()["language"] == "en"  # after the Russian answers were cached
    refused = client.get(url, {"lang": "de"})
    assert refused.status_code == 422 and "en, ru, kk" in refused.json()["detail"]
    assert client.get("/api/v1/countries/", {"lang": "<script>"}).status_code == 422


def test_fixtures_and_downloads_carry_every_language(admin_client, client, kazakhstan, tmp_path):
    form = open_form(admin_client, kazakhstan)
    index = row_index(form, "articles", "number", "20")
    save(
        admin_client,
        kazakhstan,
        form,
        summary_ru=RUSSIAN_SUMMARY,
        summary_kk=KAZAKH_SUMMARY,
        **{f"articles-{index}-clauses_ru": f"{RUSSIAN_CLAUSE}\r\nВторой пункт."},
    )
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_en="Changed.")
    export(tmp_path / "first")
    first = snapshot(tmp_path / "first")
    data = json.loads(first["kazakhstan.json"])
    country = data[0]["fields"]
    assert (country["summary_ru"], country["summary_kk"]) == (RUSSIAN_SUMMARY, KAZAKH_SUMMARY)
    assert country["privacy_ru"] is None and "summary" not in country  # no copy of the English
    assert set(country["translation_basis"]) == {"summary:kk", "summary:ru"}
    article = next(item["fields"] for item in data if item["fields"].get("number") == "20")
    assert article["clauses_ru"] == [RUSSIAN_CLAUSE, "Второй пункт."]

    # The public downloads (once published) carry every language too.
    Country.objects.filter(pk=kazakhstan.pk).update(is_published=True)
    download = json.loads(b"".join(client.get("/data/netfree.json").streaming_content))
    entry = next(o["fields"] for o in download if o["model"] == "countries.country")
    assert (entry["summary_en"], entry["summary_ru"]) == ("Changed.", RUSSIAN_SUMMARY)
    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/ru/data/csv/countries.csv").streaming_content).decode())))  # fmt: skip
    assert rows[0]["summary"] == "Changed." and rows[0]["summary_kk"] == KAZAKH_SUMMARY
    assert rows[0]["privacy_ru"] == ""

    for command in ("import_fixtures", "loaddata"):
        Country.objects.all().delete()
        call_command(
            command, *map(str, sorted((tmp_path / "first").glob("*.json"))), stdout=io.StringIO()
        )
        export(tmp_path / command)
        assert snapshot(tmp_path / command) == first, command
        loaded = Country.objects.get(iso_code="KZ")
        assert loaded.translation_state("summary", "ru") == "outdated"  # kept, not recomputed


def test_a_fixture_from_before_translations_loads_as_english(db, tmp_path):
    old = [
        {"model": "countries.country",
         "fields": {"name": "Oldland", "slug": "oldland", "iso_code": "UZ", "region": "143",
                    "summary": "Written before translations.", "privacy": "Private.",
                    "updated_at": "2026-01-01T00:00:00Z"}},
    ]  # fmt: skip
    path = tmp_path / "oldland.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    for command in ("import_fixtures", "loaddata"):
        Country.objects.all().delete()
        call_command(command, str(path), stdout=io.StringIO())
        oldland = Country.objects.get(slug="oldland")
        assert oldland.summary_en == "Written before translations.", command
        assert oldland.privacy_en == "Private." and oldland.summary_ru is None


def test_a_translator_confirms_an_outdated_translation_without_retyping_it(
    admin_client, client, kazakhstan, django_user_model
):
    form = open_form(admin_client, kazakhstan)
    index = row_index(form, "articles", "number", "20")
    save(admin_client, kazakhstan, form, summary_ru=RUSSIAN_SUMMARY,
         **{f"articles-{index}-clauses_ru": RUSSIAN_CLAUSE})  # fmt: skip
    form = open_form(admin_client, kazakhstan)
    save(admin_client, kazakhstan, form, summary_en="Kazakhstan's government blocks websites.",
         **{f"articles-{index}-clauses_en": "Freedom of speech is guaranteed."})  # fmt: skip
    kazakhstan.refresh_from_db()
    article = kazakhstan.articles.get(number="20")
    assert kazakhstan.translation_state("summary", "ru") == "outdated"
    assert article.translation_state("clauses", "ru") == "outdated"
    page_url = reverse("admin:countries_country_translations", args=[kazakhstan.pk])
    confirm = reverse("admin:countries_country_confirm_translation", args=[kazakhstan.pk])
    page = admin_client.get(page_url).content.decode()
    assert page.count(">Still correct</button>") == 2
    assert f'value="countries.country:{kazakhstan.pk}:summary:ru"' in page

    # Odd and hostile requests change nothing.
    version = kazakhstan.updated_at
    assert admin_client.get(confirm).status_code == 405
    for key in ["", "countries.country:1:summary:de", f"countries.country:{kazakhstan.pk}:name:ru",
                "auth.user:1:password:ru", f"countries.country:{kazakhstan.pk}:summary:kk",
                "countries.country:9999:summary:ru", "' OR 1=1 --", "::::"]:  # fmt: skip
        response = admin_client.post(confirm, {"translation": key}, follow=True)
        assert "not outdated any more: nothing was changed" in response.content.decode(), key
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_country"))
    refused = signed_in(type(client), viewer).post(
        confirm, {"translation": f"countries.country:{kazakhstan.pk}:summary:ru"}
    )
    assert refused.status_code == 403
    kazakhstan.refresh_from_db()
    assert kazakhstan.updated_at == version
    assert kazakhstan.translation_state("summary", "ru") == "outdated"

    # The translator confirms both: nothing else changes, and the history says so.
    revisions = Version.objects.get_for_object(kazakhstan).count()
    for key in [f"countries.country:{kazakhstan.pk}:summary:ru",
                f"countries.constitutionalarticle:{article.pk}:clauses:ru"]:  # fmt: skip
        done = admin_client.post(confirm, {"translation": key}, follow=True).content.decode()
        assert "confirmed as up to date with the English" in done
    kazakhstan.refresh_from_db()
    article.refresh_from_db()
    assert kazakhstan.translation_state("summary", "ru") == "current"
    assert article.translation_state("clauses", "ru") == "current"
    assert (kazakhstan.summary_ru, article.clauses_ru) == (RUSSIAN_SUMMARY, [RUSSIAN_CLAUSE])
    assert kazakhstan.updated_at > version  # an editor with the form open is told
    latest = Version.objects.get_for_object(kazakhstan)
    assert latest.count() == revisions + 2
    assert latest.first().revision.get_comment() == (
        "Confirmed Clauses (Русский) as up to date with the English."
    )
    assert "Still correct" not in admin_client.get(page_url).content.decode()


def test_a_hostile_translation_never_becomes_script(admin_client, client, kazakhstan):
    hostile = (
        'Текст <script>alert("ru")</script> [ссылка](javascript:alert(1)) '
        "<img src=x onerror=alert(2)> עברית العربية 🚫"
    )
    form = open_form(admin_client, kazakhstan)
    index = row_index(form, "articles", "number", "20")
    save(admin_client, kazakhstan, form, summary_ru=hostile, summary_kk=hostile,
         **{f"articles-{index}-clauses_ru": '<script>alert("clause")</script>',
            f"articles-{index}-translation_note_ru": '"><script>alert(3)</script>'})  # fmt: skip
    Source.objects.update(shown_name_ru='<b onmouseover="alert(4)">Источник</b>')
    for url in ["/ru/countries/kazakhstan/", "/kk/countries/kazakhstan/", "/ru/constitutions/"]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert 'href="javascript:' not in html and "<b onmouseover" not in html, url
    html = client.get("/ru/countries/kazakhstan/").content.decode()
    assert "&lt;script&gt;alert(&quot;clause&quot;)&lt;/script&gt;" in html
    assert "עברית العربية 🚫" in html
    api = client.get("/api/v1/countries/kazakhstan/", {"lang": "ru"}).json()
    assert api["sections"]["summary"]["markdown"] == hostile  # the editor's text, exactly
    assert "<script>" not in api["sections"]["summary"]["html"]
    assert 'href="javascript:' not in api["sections"]["summary"]["html"]
