"""The editors' workflow: drafts, history and revert, no lost updates, review, roles."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from countries.models import BlockedSite, Country, Metric

from .factories import CountryFactory, SiteFactory
from .forms import read_form
from .helpers import EDITOR_PASSWORD, export

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:countries_country_changelist"


def change_url(country):
    return reverse("admin:countries_country_change", args=[country.pk])


def client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


def row_index(data, prefix, field, value):
    return next(
        key.split("-")[1]
        for key, found in data.items()
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}") and found == value
    )


# Drafts and publishing ---------------------------------------------------------------------------


def test_drafts_are_hidden_from_every_public_view(client):
    draft = CountryFactory(name="Draftland", iso_code="UZ", is_published=False)
    CountryFactory(name="Publicland", iso_code="KG")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Draftland" not in client.get(reverse("countries:list")).content.decode()
    assert "Draftland" not in b"".join(client.get("/data/netfree.json").streaming_content).decode()
    assert (
        "Draftland"
        not in b"".join(client.get("/data/csv/countries.csv").streaming_content).decode()
    )
    zipped = b"".join(client.get("/data/netfree-fixtures.zip").streaming_content)
    assert b"draftland" not in zipped.lower() and b"publicland" in zipped.lower()


def test_preview_of_a_draft_is_for_staff_only(client, admin_client, django_user_model):
    draft = CountryFactory(name="Draftland", is_published=False)
    assert admin_client.get(draft.get_preview_url()).status_code == 200
    assert "Preview of a draft" in admin_client.get(draft.get_preview_url()).content.decode()
    assert client.get(draft.get_preview_url()).status_code == 302  # to the login page
    reader = django_user_model.objects.create_user(username="reader", password=EDITOR_PASSWORD)
    assert client_for(type(client), reader).get(draft.get_preview_url()).status_code == 302


def test_publish_and_unpublish_actions(client, group_editor):
    editor = client_for(type(client), group_editor)
    draft = CountryFactory(name="Draftland", is_published=False)
    response = editor.post(
        reverse(CHANGELIST), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 200
    editor.post(reverse(CHANGELIST), {"action": "unpublish", "_selected_action": [draft.pk]})
    assert client.get(draft.get_absolute_url()).status_code == 404
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(draft)]
    assert comments[:2] == ["Unpublished.", "Published."]


def test_save_and_publish_button(admin_client, client):
    draft = CountryFactory(name="Draftland", is_published=False)
    data = read_form(admin_client.get(change_url(draft)).content.decode(), "country_form")
    response = admin_client.post(change_url(draft), {**data, "_publish": "1"})
    assert response.status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_publishing_needs_the_permission(client, editor):
    """The `editor` fixture has every content permission except publishing."""
    editor.user_permissions.remove(*editor.user_permissions.filter(codename="publish_country"))
    staff = client_for(type(client), editor)
    draft = CountryFactory(name="Draftland", is_published=False)
    page = staff.get(reverse(CHANGELIST)).content.decode()
    assert 'value="publish"' not in page
    data = read_form(staff.get(change_url(draft)).content.decode(), "country_form")
    assert staff.post(change_url(draft), {**data, "_publish": "1"}).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_preview_of_unsaved_changes_saves_nothing(admin_client, kazakhstan):
    data = read_form(admin_client.get(change_url(kazakhstan)).content.decode(), "country_form")
    data["summary_en"] = "An *unsaved* summary."
    index = row_index(data, "isps", "name", "Kaztelecom")
    data[f"isps-{index}-name"] = "Unsaved ISP name"
    url = reverse("admin:countries_country_preview_unsaved", args=[kazakhstan.pk])
    page = admin_client.post(url, data).content.decode()
    assert "An <em>unsaved</em> summary." in page
    assert "Unsaved ISP name" in page and "Preview of unsaved changes" in page
    assert "LiveJournal" in page  # the sites, which the form does not hold, as saved
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary.startswith("Kazakhstan's government")
    assert kazakhstan.isps.filter(name="Kaztelecom").exists()


def test_preview_of_a_new_entry_before_it_is_saved(admin_client):
    add = reverse("admin:countries_country_add")
    data = read_form(admin_client.get(add).content.decode(), "country_form")
    data.update(name="Newland", slug="newland", iso_code="UZ", region="143")
    data["summary_en"] = "Brand new."
    page = admin_client.post(reverse("admin:countries_country_preview_new"), data).content.decode()
    assert "Newland" in page and "Brand new." in page
    assert not Country.objects.filter(slug="newland").exists()


# History, diff, revert, recovery -----------------------------------------------------------------


def edit(client, country, **changes):
    data = read_form(client.get(change_url(country)).content.decode(), "country_form")
    data.update(changes)
    response = client.post(change_url(country), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_one_save_is_one_revision_with_the_rows(admin_client, kazakhstan, admin_user):
    before = Version.objects.get_for_object(kazakhstan).count()
    edit(admin_client, kazakhstan, summary_en="Edited summary.")
    versions = Version.objects.get_for_object(kazakhstan)
    assert versions.count() == before + 1
    revision = versions.first().revision
    assert revision.user == admin_user
    models = {v.content_type.model for v in revision.version_set.all()}
    # The entry's sites, edited in a list of their own, have revisions of their own.
    assert models == {"country", "constitutionalarticle", "metric", "isp"}


def test_loading_fixtures_records_an_initial_revision(kazakhstan):
    [version] = Version.objects.get_for_object(kazakhstan)
    assert version.revision.get_comment() == "Loaded from fixtures."
    assert version.revision.version_set.count() == 1 + 2 + 2 + 1  # entry, articles, metrics, ISP
    for site in kazakhstan.blocked_sites.all():  # each site's history starts there too
        [site_version] = Version.objects.get_for_object(site)
        assert site_version.revision.get_comment() == "Loaded from fixtures."


def test_history_lists_revisions_and_compares_them(admin_client, kazakhstan):
    edit(admin_client, kazakhstan, summary_en="Edited summary.")
    history = admin_client.get(reverse("admin:countries_country_history", args=[kazakhstan.pk]))
    assert history.status_code == 200
    assert "Loaded from fixtures." in history.content.decode()
    old, new = Version.objects.get_for_object(kazakhstan).order_by("pk")
    compare = admin_client.get(
        reverse("admin:countries_country_compare", args=[kazakhstan.pk]),
        {"version_id1": old.pk, "version_id2": new.pk},
    )
    assert compare.status_code == 200
    text = compare.content.decode()
    assert "<h3>Summary</h3>" in text  # named as the form names it
    assert "<del>Kazakhstan&#x27;s government engages" in text and "<ins>Edited summar" in text


def test_revert_restores_the_entry_and_its_rows(admin_client, kazakhstan, client):
    first = Version.objects.get_for_object(kazakhstan).get()
    data = read_form(admin_client.get(change_url(kazakhstan)).content.decode(), "country_form")
    data["summary_en"] = "Edited summary."
    index = row_index(data, "metrics", "kind", "internet_users")
    data[f"metrics-{index}-DELETE"] = "on"
    total = int(data["isps-TOTAL_FORMS"])
    data.update({"isps-TOTAL_FORMS": str(total + 1), f"isps-{total}-name": "New ISP"})
    assert admin_client.post(change_url(kazakhstan), data).status_code == 302
    assert kazakhstan.metrics.count() == 1
    # A site changed in the list of sites meanwhile: not the entry's page, not its revision.
    site = BlockedSite.objects.get(name="LiveJournal")
    site_url = reverse("admin:countries_blockedsite_change", args=[site.pk])
    site_form = read_form(admin_client.get(site_url).content.decode(), "blockedsite_form")
    assert admin_client.post(site_url, {**site_form, "status": "lifted"}).status_code == 302

    revision_url = reverse("admin:countries_country_revision", args=[kazakhstan.pk, first.pk])
    reverted = read_form(admin_client.get(revision_url).content.decode(), "country_form")
    assert admin_client.post(revision_url, reverted).status_code == 302

    kazakhstan.refresh_from_db()
    assert kazakhstan.summary.startswith("Kazakhstan's government")
    assert kazakhstan.metrics.count() == 2
    assert not kazakhstan.isps.filter(name="New ISP").exists()
    assert BlockedSite.objects.get(name="LiveJournal").status == "lifted"  # kept
    assert (
        "censorship of opposition views"
        in client.get(kazakhstan.get_absolute_url()).content.decode()
    )


def test_a_deleted_entry_can_be_recovered_with_its_rows(admin_client, kazakhstan):
    edit(admin_client, kazakhstan, summary_en="Last words.")
    pk = kazakhstan.pk
    admin_client.post(reverse("admin:countries_country_delete", args=[pk]), {"post": "yes"})
    assert not Country.objects.exists() and not BlockedSite.objects.exists()
    recover_list = admin_client.get(reverse("admin:countries_country_recoverlist"))
    assert "Kazakhstan" in recover_list.content.decode()
    version = Version.objects.get_deleted(Country).first()
    recover_url = reverse("admin:countries_country_recover", args=[version.pk])
    data = read_form(admin_client.get(recover_url).content.decode(), "country_form")
    assert admin_client.post(recover_url, data).status_code == 302
    country = Country.objects.get(iso_code="KZ")
    assert country.summary == "Last words."
    assert country.metrics.count() == 2 and country.articles.count() == 2
    # The sites, in revisions of their own, are recovered from the list of sites.
    for version in Version.objects.get_deleted(BlockedSite):
        recover_site = reverse("admin:countries_blockedsite_recover", args=[version.pk])
        site_form = read_form(admin_client.get(recover_site).content.decode(), "blockedsite_form")
        assert admin_client.post(recover_site, site_form).status_code == 302
    assert country.blocked_sites.count() == 4


# No lost updates ---------------------------------------------------------------------------------


def test_second_save_is_refused_with_the_other_editors_changes(
    client, kazakhstan, admin_user, group_editor
):
    alice, bob = client_for(type(client), admin_user), client_for(type(client), group_editor)
    alice_form = read_form(alice.get(change_url(kazakhstan)).content.decode(), "country_form")
    bob_form = read_form(bob.get(change_url(kazakhstan)).content.decode(), "country_form")

    # Alice saves first: a new summary and a changed inline row.
    index = row_index(alice_form, "metrics", "kind", "internet_penetration")
    alice.post(change_url(kazakhstan), {**alice_form, "summary_en": "Alice's summary.",
                                        f"metrics-{index}-value": "60"})  # fmt: skip

    # Bob saves the form he opened before that: refused, nothing of his written, input kept.
    bob_form["net_neutrality_en"] = "Bob's careful paragraph."
    bob_form["privacy_en"] = "Bob's privacy text."
    response = bob.post(change_url(kazakhstan), bob_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This entry was changed by" in page and "admin" in page
    assert "What they changed" in page and "Alice&#x27;s summary." in page
    assert "metric" in page and "their change taken into your form" in page
    assert "Bob&#x27;s careful paragraph." in page  # his text is still in the form
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "Alice's summary."
    assert kazakhstan.net_neutrality.startswith("Kazakhstan does not")
    assert Metric.objects.get(kind="internet_penetration").value == 60

    # Bob saves again on purpose: his fields go through and Alice's edits, which his form now
    # holds, survive: nobody's work is lost.
    retry = read_form(page, "country_form")
    assert retry["summary_en"] == "Alice's summary."
    assert bob.post(change_url(kazakhstan), retry).status_code == 302
    kazakhstan.refresh_from_db()
    assert kazakhstan.net_neutrality == "Bob's careful paragraph."
    assert kazakhstan.privacy == "Bob's privacy text."
    assert kazakhstan.summary == "Alice's summary."
    assert Metric.objects.get(kind="internet_penetration").value == 60


def test_a_field_both_editors_changed_keeps_the_second_editors_text(
    client, kazakhstan, admin_user, group_editor
):
    alice, bob = client_for(type(client), admin_user), client_for(type(client), group_editor)
    alice_form = read_form(alice.get(change_url(kazakhstan)).content.decode(), "country_form")
    bob_form = read_form(bob.get(change_url(kazakhstan)).content.decode(), "country_form")
    alice.post(change_url(kazakhstan), {**alice_form, "summary_en": "Alice's summary."})
    page = bob.post(
        change_url(kazakhstan), {**bob_form, "summary_en": "Bob's summary."}
    ).content.decode()
    assert "changed by both: your text kept" in page
    retry = read_form(page, "country_form")
    assert retry["summary_en"] == "Bob's summary."


def test_a_row_edited_on_its_own_page_also_counts_as_a_change(admin_client, kazakhstan):
    form = read_form(admin_client.get(change_url(kazakhstan)).content.decode(), "country_form")
    metric = kazakhstan.metrics.get(kind="internet_users")
    metric_url = reverse("admin:countries_metric_change", args=[metric.pk])
    metric_form = read_form(admin_client.get(metric_url).content.decode(), "metric_form")
    assert admin_client.post(metric_url, {**metric_form, "value": "9600000"}).status_code == 302
    response = admin_client.post(change_url(kazakhstan), {**form, "summary_en": "Stale form."})
    assert response.status_code == 200 and "This entry was changed by" in response.content.decode()


def test_a_site_edited_in_the_list_of_sites_never_blocks_a_save_of_the_entry(
    admin_client, kazakhstan
):
    """The entry's form does not hold its sites: a site confirmed or changed meanwhile is no
    conflict, the save goes through, and the site keeps its change."""
    form = read_form(admin_client.get(change_url(kazakhstan)).content.decode(), "country_form")
    site = BlockedSite.objects.get(name="LiveJournal")
    site_url = reverse("admin:countries_blockedsite_change", args=[site.pk])
    site_form = read_form(admin_client.get(site_url).content.decode(), "blockedsite_form")
    assert admin_client.post(site_url, {**site_form, "status": "lifted"}).status_code == 302
    response = admin_client.post(change_url(kazakhstan), {**form, "summary_en": "Fresh summary."})
    assert response.status_code == 302, response.content.decode()[:2000]
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "Fresh summary."
    assert BlockedSite.objects.get(name="LiveJournal").status == "lifted"
    # Readers' list of changes has both, each as what it was, and nothing else.
    summary_saved, site_saved = (state.changes for state in kazakhstan.public_changes()[:2])
    assert summary_saved == [{"kind": "fields", "fields": ["summary_en"]}]
    assert [(c["model"], c["outcome"], c["names"]) for c in site_saved] == [
        ("blockedsite", "changed", [site.name])
    ]


# Review ------------------------------------------------------------------------------------------


def test_mark_reviewed_and_the_review_filters(client, group_editor, kazakhstan):
    editor = client_for(type(client), group_editor)
    fresh = CountryFactory(name="Freshland", iso_code="UZ", last_reviewed=datetime.date.today())
    changelist = reverse(CHANGELIST)
    stale_page = editor.get(changelist, {"review": "stale"}).content.decode()
    assert "Kazakhstan" in stale_page and "Freshland" not in stale_page
    old_figures = editor.get(changelist, {"figures": "outdated"}).content.decode()
    assert "Kazakhstan" in old_figures  # the ITU figures are from 2013

    editor.post(changelist, {"action": "mark_reviewed", "_selected_action": [kazakhstan.pk]})
    kazakhstan.refresh_from_db()
    assert kazakhstan.last_reviewed == datetime.date.today()
    assert kazakhstan.reviewed_by == group_editor
    assert "Kazakhstan" not in editor.get(changelist, {"review": "stale"}).content.decode()
    page = client.get(kazakhstan.get_absolute_url()).content.decode()
    assert f"Last reviewed {datetime.date.today():%-d %B %Y}" in page
    assert fresh.is_stale is False


def test_search_finds_countries_by_site_address_and_code(admin_client, kazakhstan):
    CountryFactory(name="Uzbekistan", iso_code="UZ")
    for term in ("livejournal.com", "KZ", "Kazakh", "Golos"):
        page = admin_client.get(reverse(CHANGELIST), {"q": term}).content.decode()
        assert "1 result" in page and "Kazakhstan" in page and "Uzbekistan" not in page, term


def test_dashboard_lists_entries_needing_attention(admin_client, client, kazakhstan, group_editor):
    CountryFactory(name="Draftland", iso_code="UZ", is_published=False)
    edit(client_for(type(client), group_editor), kazakhstan, summary_en="Changed by a volunteer.")
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Entries needing attention" in page
    assert "1 draft" in page and "Draftland" in page
    assert "entries not reviewed for 12 months" in page or "entry not reviewed" in page
    assert "figures over 5 years old" in page
    assert "volunteer" in page  # changed by someone else


# Roles -------------------------------------------------------------------------------------------


def test_editors_group_can_edit_and_publish_but_not_delete_countries_or_manage_users(
    client, group_editor, kazakhstan
):
    editor = client_for(type(client), group_editor)
    assert editor.get(change_url(kazakhstan)).status_code == 200
    assert editor.get(reverse("admin:countries_country_add")).status_code == 200
    assert (
        editor.get(reverse("admin:countries_country_delete", args=[kazakhstan.pk])).status_code
        == 403
    )
    assert editor.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert group_editor.has_perm("countries.publish_country")
    assert group_editor.has_perm("countries.delete_blockedsite")  # removing a row is editing
    assert not group_editor.has_perm("countries.delete_country")


def test_staff_without_a_group_see_nothing_to_change(client, django_user_model, kazakhstan):
    bare = django_user_model.objects.create_user(
        username="bare", password=EDITOR_PASSWORD, is_staff=True
    )
    staff = client_for(type(client), bare)
    index = staff.get(reverse("admin:index")).content.decode()
    assert "have permission to view or edit anything" in index
    assert staff.get(reverse(CHANGELIST)).status_code == 403
    assert staff.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403


def test_import_records_a_revision_for_each_changed_entry(kazakhstan, tmp_path):
    export(tmp_path)
    Country.objects.filter(pk=kazakhstan.pk).update(summary="Newer.")
    call_command(
        "import_fixtures", *map(str, sorted(tmp_path.glob("*.json"))), stdout=io.StringIO()
    )
    latest = Version.objects.get_for_object(kazakhstan).first()
    assert latest.revision.get_comment() == "Imported from fixtures."


def test_site_factory_rows_are_versioned_through_the_admin(admin_client, kazakhstan):
    site = SiteFactory(country=kazakhstan, name="Telegram")
    site_url = reverse("admin:countries_blockedsite_change", args=[site.pk])
    data = read_form(admin_client.get(site_url).content.decode(), "blockedsite_form")
    admin_client.post(site_url, {**data, "status": "lifted"})
    assert Version.objects.get_for_object(site).count() == 1
