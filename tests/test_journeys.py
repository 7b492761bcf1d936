"""Editors' and re-users' journeys past the first step, through the real admin forms.

Each test follows a person's sequence of steps: the second save, two editors at once, text as a
browser sends it (CRLF), a revert followed by an export, a draft that is edited and published.
The features each worked in their first, cleanest step and broke in the steps after; these
tests are here so that a green suite means the journeys work.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from countries.models import BlockedSite, Country, EntryRevision, Isp, Metric

from .factories import CountryFactory, SiteFactory, SourceFactory
from .forms import change_url, open_form, read_form, row_index, save, signed_in

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MARKDOWN_FIELDS = [
    "summary", "censorship", "website_blocking", "privacy", "internet_access",
    "isp_safe_harbors", "net_neutrality",
]  # fmt: skip


def export_to(path):
    call_command("export_fixtures", "--output", str(path), stdout=io.StringIO())
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.json"))}


def public_changes(client, country):
    html = client.get(country.get_absolute_url()).content.decode()
    return html[html.index('id="changes"') :]


# Two editors, after earlier saves ----------------------------------------------------------------


def test_an_edit_conflict_merges_after_earlier_saves(client, kazakhstan, admin_user, group_editor):
    """The lost update: after any admin save, the merge of a colleague's work never happened."""
    alice, bob = signed_in(type(client), admin_user), signed_in(type(client), group_editor)
    save(alice, kazakhstan, open_form(alice, kazakhstan), net_neutrality_en="First save.")
    save(bob, kazakhstan, open_form(bob, kazakhstan), isp_safe_harbors_en="Second save.")

    alice_form, bob_form = open_form(alice, kazakhstan), open_form(bob, kazakhstan)
    save(alice, kazakhstan, alice_form, privacy_en="Alice's privacy.")
    refused = bob.post(change_url(kazakhstan), {**bob_form, "internet_access_en": "Bob's access."})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This entry was changed by" in page
    assert "their change taken into your form" in page
    retry = read_form(page, "country_form")
    assert retry["privacy_en"] == "Alice's privacy."  # taken into Bob's form
    assert retry["internet_access_en"] == "Bob's access."  # and his own text kept
    save(bob, kazakhstan, retry)

    kazakhstan.refresh_from_db()
    assert kazakhstan.privacy == "Alice's privacy."
    assert kazakhstan.internet_access == "Bob's access."
    assert kazakhstan.net_neutrality == "First save."


def test_disjoint_and_overlapping_edits_with_inline_rows(
    client, kazakhstan, admin_user, group_editor
):
    alice, bob = signed_in(type(client), admin_user), signed_in(type(client), group_editor)
    save(alice, kazakhstan, open_form(alice, kazakhstan))  # an earlier, ordinary save
    alice_form, bob_form = open_form(alice, kazakhstan), open_form(bob, kazakhstan)

    # Alice: an article's note, a figure, and the summary.
    article = row_index(alice_form, "articles", "number", "20")
    users = row_index(alice_form, "metrics", "kind", "internet_users")
    alice_changes = {
        "summary_en": "Alice's summary.",
        f"articles-{article}-translation_note_en": "Official English text.",
        f"metrics-{users}-value": "9600000",
    }
    save(alice, kazakhstan, alice_form, **alice_changes)

    # Bob: the summary too (overlapping), a new ISP and a new figure (disjoint).
    total = int(bob_form["isps-TOTAL_FORMS"])
    bob_changes = {
        "summary_en": "Bob's summary.",
        "isps-TOTAL_FORMS": str(total + 1),
        f"isps-{total}-name": "Beeline Kazakhstan",
        "isp_count": "3",
    }
    refused = bob.post(change_url(kazakhstan), {**bob_form, **bob_changes})
    page = refused.content.decode()
    assert refused.status_code == 200 and "changed by both: your text kept" in page
    retry = read_form(page, "country_form")
    assert retry["summary_en"] == "Bob's summary."
    assert retry[f"articles-{article}-translation_note_en"] == "Official English text."
    assert retry[f"metrics-{users}-value"] == "9600000"
    save(bob, kazakhstan, retry)

    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "Bob's summary."
    assert kazakhstan.articles.get(number="20").translation_note == "Official English text."
    assert Metric.objects.get(kind="internet_users").value == 9_600_000
    assert set(Isp.objects.values_list("name", flat=True)) == {"Kaztelecom", "Beeline Kazakhstan"}


def test_the_version_moves_on_with_every_save_even_within_a_millisecond(kazakhstan):
    versions = set()
    for n in range(20):
        kazakhstan.summary = f"Save {n}."
        kazakhstan.save()
        versions.add(kazakhstan.updated_at)
    assert len(versions) == 20
    assert all(stamp.microsecond % 1000 == 0 for stamp in versions)


def test_a_row_saved_on_its_own_page_is_in_the_entrys_history(admin_client, client, kazakhstan):
    metric = kazakhstan.metrics.get(kind="internet_users")
    url = reverse("admin:countries_metric_change", args=[metric.pk])
    form = read_form(admin_client.get(url).content.decode(), "metric_form")
    assert admin_client.post(url, {**form, "value": "9600000"}).status_code == 302
    latest = Version.objects.get_for_object(kazakhstan).first()
    saved = latest.revision.version_set.get(object_id=str(metric.pk), content_type__model="metric")
    assert "9600000" in saved.serialized_data
    assert "Metrics changed: “internet_users 2013”." in public_changes(client, kazakhstan)


def test_a_site_has_a_history_of_its_own_and_readers_see_its_changes(
    admin_client, client, kazakhstan
):
    site = BlockedSite.objects.get(name="LiveJournal")
    url = reverse("admin:countries_blockedsite_change", args=[site.pk])
    entry_versions = Version.objects.get_for_object(kazakhstan).count()
    for status in ["lifted", "ongoing"]:  # the second save too
        form = read_form(admin_client.get(url).content.decode(), "blockedsite_form")
        assert admin_client.post(url, {**form, "status": status}).status_code == 302
    versions = Version.objects.get_for_object(site)
    assert ['"ongoing"' in v.serialized_data for v in versions[:2]] == [True, False]
    assert Version.objects.get_for_object(kazakhstan).count() == entry_versions
    history = admin_client.get(reverse("admin:countries_blockedsite_history", args=[site.pk]))
    assert history.status_code == 200 and history.content.decode().count("Changed") >= 2
    assert public_changes(client, kazakhstan).count("Blocked sites changed: “LiveJournal”.") == 2

    # Deleted from the list: readers are told, and the site can be recovered.
    delete = reverse("admin:countries_blockedsite_delete", args=[site.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert "Blocked sites removed: “LiveJournal”." in public_changes(client, kazakhstan)
    [deleted] = Version.objects.get_deleted(BlockedSite)
    recover = reverse("admin:countries_blockedsite_recover", args=[deleted.pk])
    form = read_form(admin_client.get(recover).content.decode(), "blockedsite_form")
    assert admin_client.post(recover, form).status_code == 302
    assert BlockedSite.objects.get(name="LiveJournal").status == "ongoing"
    assert "Blocked sites added: “LiveJournal”." in public_changes(client, kazakhstan)


# Text as browsers send it ------------------------------------------------------------------------


def test_crlf_from_the_browser_changes_only_what_the_editor_changed(
    admin_client, client, kazakhstan, tmp_path
):
    before = export_to(tmp_path / "before")
    form = open_form(admin_client, kazakhstan)
    assert "\r\n" in form["censorship_en"]  # what a browser sends for a multi-line textarea
    save(admin_client, kazakhstan, form, summary_en="A new summary.\r\n\r\nIn two paragraphs.")

    kazakhstan.refresh_from_db()
    for name in MARKDOWN_FIELDS:
        assert "\r" not in getattr(kazakhstan, name), name
    assert kazakhstan.summary == "A new summary.\n\nIn two paragraphs."
    comment = Version.objects.get_for_object(kazakhstan).first().revision.get_comment()
    assert comment == "Changed Summary."
    assert "Changed: Summary." in public_changes(client, kazakhstan)
    assert "Censorship" not in public_changes(client, kazakhstan)

    after = export_to(tmp_path / "after")
    assert after["sources.json"] == before["sources.json"]
    changed = [
        (old, new)
        for old, new in zip(
            before["kazakhstan.json"].splitlines(),
            after["kazakhstan.json"].splitlines(),
            strict=True,
        )
        if old != new
    ]
    assert [old.split(":")[0].strip() for old, _new in changed] == ['"summary_en"', '"updated_at"']


def test_revert_then_export_gives_back_the_first_files(admin_client, kazakhstan, tmp_path):
    first = export_to(tmp_path / "first")
    [loaded] = Version.objects.get_for_object(kazakhstan)
    form = open_form(admin_client, kazakhstan)
    index = row_index(form, "metrics", "kind", "internet_users")
    save(admin_client, kazakhstan, form, privacy_en="Rewritten.\r\nTwice.",
         **{f"metrics-{index}-DELETE": "on"})  # fmt: skip
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_en="And again.")

    revision_url = reverse("admin:countries_country_revision", args=[kazakhstan.pk, loaded.pk])
    page = admin_client.get(revision_url).content.decode()
    assert 'class="published"' in page  # the revert form shows the entry as it is: published
    response = admin_client.post(revision_url, read_form(page, "country_form"), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Reverted to the version saved on") for m in messages)
    assert "Readers see this version now." in messages

    kazakhstan.refresh_from_db()
    assert kazakhstan.is_published
    reverted = export_to(tmp_path / "reverted")
    strip = [line for line in first["kazakhstan.json"].splitlines() if '"updated_at"' not in line]
    assert [
        line for line in reverted["kazakhstan.json"].splitlines() if '"updated_at"' not in line
    ] == strip
    assert "\r" not in reverted["kazakhstan.json"]


def test_stored_crlf_and_its_revisions_are_normalised_by_the_migration(kazakhstan):
    """What browsers stored before the fix: text and revisions with "\\r\\n"."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("countries.migrations.0007_line_endings_versions_public_history")
    # The column 0007 knew: the original one (modeltranslation would write privacy_en).
    stored = Country.objects.filter(pk=kazakhstan.pk).rewrite(False)
    stored.update(privacy="One.\r\nTwo.\rThree.")
    version = Version.objects.get_for_object(kazakhstan).first()
    data = json.loads(version.serialized_data)
    data[0]["fields"]["summary_en"] = "Old\r\ntext."
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))

    migration.normalise_stored_text(apps, None)
    assert stored.values_list("privacy", flat=True).get() == "One.\nTwo.\nThree."
    version.refresh_from_db()
    assert json.loads(version.serialized_data)[0]["fields"]["summary_en"] == "Old\ntext."


# Drafts and what readers may see -----------------------------------------------------------------


def add_site(client, country, **fields):
    """A site added as an editor adds one: the list of sites' add form, for the entry."""
    add = reverse("admin:countries_blockedsite_add")
    form = read_form(client.get(f"{add}?country={country.pk}").content.decode(), "blockedsite_form")
    response = client.post(add, {**form, "country": str(country.pk), **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    return BlockedSite.objects.get(country=country, name=fields["name"])


def test_a_drafts_rows_and_sources_stay_private_until_published(admin_client, client):
    secret = SourceFactory(name="Whistleblower memo (do not publish)")
    add = reverse("admin:countries_country_add")
    form = read_form(admin_client.get(add).content.decode(), "country_form")
    form.update(
        {"name": "Draftland", "slug": "draftland", "iso_code": "UZ", "region": "143",
         "summary_en": "A draft."}
    )  # fmt: skip
    assert admin_client.post(add, form).status_code == 302
    draft = Country.objects.get(slug="draftland")
    hidden = add_site(admin_client, draft, name="do not publish", action="blocked",
                      source=str(secret.pk), status="reported")  # fmt: skip
    add_site(admin_client, draft, name="Telegram", action="blocked", status="ongoing")

    delete = reverse("admin:countries_blockedsite_delete", args=[hidden.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    save(admin_client, draft, open_form(admin_client, draft), _publish="1")

    changes = public_changes(client, draft)
    assert "First published." in changes
    assert "do not publish" not in changes and "No fields changed" not in changes
    assert "do not publish" not in client.get("/feeds/updates.atom").content.decode()
    for url in ["/data/netfree.json", "/data/csv/sources.csv", "/data/netfree-fixtures.zip"]:
        body = b"".join(client.get(url).streaming_content)
        if url.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        assert b"Whistleblower" not in body, url
        assert b"Telegram" in body or url.endswith("sources.csv"), url

    # Published from now on: what changes is named, sites included.
    add_site(admin_client, draft, name="Signal", action="blocked", status="ongoing")
    assert "Blocked sites added: “Signal”." in public_changes(client, draft)
    # A candidate (from a test list) is no public change until it is confirmed.
    add_site(admin_client, draft, name="Candidate site", review="candidate", action="")
    assert "Candidate site" not in public_changes(client, draft)


def test_publishing_and_reviewing_are_not_public_changes(admin_client, client, kazakhstan):
    changelist = reverse("admin:countries_country_changelist")
    admin_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [kazakhstan.pk]})
    save(admin_client, kazakhstan, open_form(admin_client, kazakhstan))  # nothing changed
    states = EntryRevision.objects.filter(country=kazakhstan)
    assert states.count() == 4  # loading (the sites, then the entry), the review, the save
    assert [state.description() for state in kazakhstan.public_changes()] == ["First published."]


def test_review_needs_the_review_permission_also_on_a_plain_save(client, editor, kazakhstan):
    editor.user_permissions.remove(*editor.user_permissions.filter(codename="review_country"))
    staff = signed_in(type(client), editor)
    form = open_form(staff, kazakhstan)
    assert "last_reviewed" not in form  # shown, not editable
    staff.post(change_url(kazakhstan), {**form, "last_reviewed": "2026-01-01", "summary_en": "S."})
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "S." and kazakhstan.last_reviewed is None


def test_a_refusal_is_a_page_that_says_why(client, editor, kazakhstan):
    editor.user_permissions.remove(*editor.user_permissions.filter(codename="publish_country"))
    staff = signed_in(type(client), editor)
    response = staff.post(
        change_url(kazakhstan), {**open_form(staff, kazakhstan), "_unpublish": "1"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>You cannot do this</h1>" in page and "Nothing was changed." in page
    assert 'rel="stylesheet"' in page  # the site's own page, not a bare "403 Forbidden"


# Fixtures: the dry run ---------------------------------------------------------------------------


def test_import_dry_run_reports_and_writes_nothing_with_the_database_cache(
    settings, kazakhstan, tmp_path
):
    """The production default keeps the page cache in the database: a cache write inside the
    rolled-back transaction crashed every dry run."""
    from django.core.cache import caches

    from countries.cache import content_version

    call_command("createcachetable", verbosity=0)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "netfree_cache",
        },
    }
    caches["default"].clear()
    files = export_to(tmp_path)
    (tmp_path / "kazakhstan.json").write_text(
        files["kazakhstan.json"].replace("Kaztelecom", "Kazakhtelecom"), encoding="utf-8"
    )
    version = content_version()
    out = io.StringIO()
    call_command(
        "import_fixtures", *map(str, sorted(tmp_path.glob("*.json"))), "--dry-run", stdout=out
    )
    report = out.getvalue()
    assert 'added 1 countries.isp: ["KZ", "Kazakhtelecom"]' in report
    assert "Dry run: nothing was written." in report
    assert Isp.objects.get().name == "Kaztelecom"
    assert content_version() == version  # nothing changed, so no page was thrown away


# Feeds -------------------------------------------------------------------------------------------


def test_feeds_carry_each_public_change_with_an_id_of_its_own(admin_client, client, kazakhstan):
    save(
        admin_client, kazakhstan, open_form(admin_client, kazakhstan), summary_en="<b>New</b> & *x*"
    )
    entry_feed = ET.fromstring(client.get("/countries/kazakhstan/changes.atom").content)
    entries = list(entry_feed.iter(f"{ATOM}entry"))
    assert [e.find(f"{ATOM}summary").text for e in entries] == [
        "Changed: Summary.",
        "First published.",
    ]
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("http://testserver/countries/") for i in ids)

    site_feed = ET.fromstring(client.get("/feeds/updates.atom").content)
    site_ids = [e.find(f"{ATOM}id").text for e in site_feed.iter(f"{ATOM}entry")]
    assert len(site_ids) == 2 and len(set(site_ids)) == 2  # the update is a new item
    rss = client.get("/feeds/updates.rss").content.decode()
    assert "PublicChange(" not in rss and "Changed: Summary." in rss


def test_feed_descriptions_are_text_even_in_readers_that_render_html(admin_client, client):
    SourceFactory(name="RSF")
    country = CountryFactory(name="Testland", summary="<img src=x onerror=alert(1)> & more.")
    site = SiteFactory(country=country, name="<script>alert(1)</script>")
    from countries.history import record_revisions

    record_revisions([country], "Added.")
    site.name = "<img src=x onerror=alert(2)>"
    site.save()
    record_revisions([country], "Renamed.")
    feed = ET.fromstring(client.get("/countries/testland/changes.atom").content)
    summaries = [entry.find(f"{ATOM}summary").text for entry in feed.iter(f"{ATOM}entry")]
    # Each summary's text is what a feed reader renders as HTML: no tag may survive in it.
    assert not any("<img" in text or "<script" in text for text in summaries)
    assert any("&lt;img src=x onerror=alert(2)&gt;" in text for text in summaries)


# Re-users and editors see quotes, not placeholders -----------------------------------------------


def test_the_api_html_and_the_preview_quote_articles_where_placed(editor_client, kazakhstan):
    entry = editor_client.get("/api/v1/countries/kazakhstan/").json()
    for section in entry["sections"].values():
        assert "[[" not in section["html"]
    assert "freedom of speech and creative activities" in entry["sections"]["censorship"]["html"]

    preview = reverse("markdownx_markdownify")
    text = "Article 20 states:\n\n[[Article 20]]\n\n[[Article 99]]"
    html = editor_client.post(f"{preview}?entry={kazakhstan.pk}", {"content": text})
    html = html.content.decode()
    assert "freedom of speech and creative activities" in html
    assert "[[Article 99]] is not among this entry" in html
    other = CountryFactory(name="Otherland", iso_code="UZ")
    html = editor_client.post(f"{preview}?entry={other.pk}", {"content": text}).content.decode()
    assert "freedom of speech" not in html  # another entry's articles are not this one's


# Search, names, pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["азаттык", "АЗАТТЫК", "Азаттык", "радио"])
def test_search_finds_cyrillic_whatever_its_case(client, kazakhstan, term):
    SiteFactory(country=kazakhstan, name="Радио Азаттык", url="rus.azattyq.org")
    page = client.get(reverse("countries:search"), {"q": term}).content.decode()
    assert "Kazakhstan" in page, term
    admin_search = BlockedSite.objects.filter(name__icontains=term)
    assert admin_search.exists()


def test_a_site_name_with_a_slash_has_its_own_page(client, kazakhstan):
    SiteFactory(country=kazakhstan, name="AC/DC fan forum")
    listing = client.get("/blocked-sites/")
    assert listing.status_code == 200
    url = reverse("countries:blocked_site", kwargs={"name": "AC/DC fan forum"})
    assert f'href="{url}"' in listing.content.decode()
    assert "Kazakhstan" in client.get(url).content.decode()


def test_api_pages_beyond_any_list_are_refused_not_errors(client, kazakhstan):
    assert client.get("/api/v1/countries/", {"page": "99999999999999999999"}).status_code == 422
    assert client.get("/api/v1/countries/", {"page": 50}).json()["items"] == []


def test_empty_sections_are_left_out_and_the_index_lists_every_entry(client):
    country = CountryFactory(name="Testland", summary="Only a summary.")
    html = client.get(country.get_absolute_url()).content.decode()
    assert "Censorship and restrictions on speech" not in html
    assert 'href="#website-blocking"' not in html
    assert 'id="net-neutrality"' in html  # a status is always something to say
    index = client.get("/countries/").content.decode()
    assert f'href="{country.get_absolute_url()}"' in index
    assert 'href="/countries/">All countries</a>' in html


def test_the_map_and_the_table_keep_each_others_choice(client, kazakhstan):
    html = client.get("/", {"indicator": "penetration", "sort": "-blocked_sites"}).content.decode()
    sort_links = re.findall(r'href="\?([^"]*)#compare-title"', html)
    assert sort_links and all("indicator=penetration" in link for link in sort_links)
    assert '<input type="hidden" name="sort" value="-blocked_sites">' in html
    assert '<input type="hidden" name="indicator" value="penetration">' in html


def test_browsers_find_a_favicon(client):
    from django.conf import settings

    assert (settings.WHITENOISE_ROOT / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/").content.decode()


# The editor's screens ----------------------------------------------------------------------------


def test_the_change_list_and_form_read_as_editors_expect(admin_client, kazakhstan):
    changelist = admin_client.get(reverse("admin:countries_country_changelist")).content.decode()
    assert '<td class="field-iso">KZ</td>' in changelist
    form_page = admin_client.get(change_url(kazakhstan)).content.decode()
    assert "/countries/kazakhstan/" in form_page  # the slug's help text, not "/countries//"
    form = read_form(form_page, "country_form")
    users = row_index(form, "metrics", "kind", "internet_users")
    assert form[f"metrics-{users}-value"] == "9577924"
    penetration = row_index(form, "metrics", "kind", "internet_penetration")
    assert form[f"metrics-{penetration}-value"] == "54"
    metrics = admin_client.get(reverse("admin:countries_metric_changelist")).content.decode()
    assert "9,577,924" in metrics and "54%" in metrics and "9577924.00" not in metrics
    regions = json.loads(
        form_page.split('data-region-of-country="')[1].split('"')[0].replace("&quot;", '"')
    )
    assert regions["KZ"] == "143" and regions["FR"] == "155"


def test_saving_says_what_readers_now_see(admin_client, kazakhstan):
    draft = CountryFactory(name="Draftland", iso_code="UZ", is_published=False)
    response = save(admin_client, draft, open_form(admin_client, draft))
    messages = [str(m) for m in admin_client.get(response.url).context["messages"]]
    assert "Saved as a draft: readers do not see it until it is published." in messages
    response = save(admin_client, draft, open_form(admin_client, draft), _publish="1")
    messages = [str(m) for m in admin_client.get(response.url).context["messages"]]
    assert "Published: readers see this version now." in messages
