"""Triaging an entry's sites in their own list, as an editor's browser does it."""

import factory
import pytest
from django.urls import reverse
from reversion.models import Version

from countries.models import BlockedSite, Source

from .factories import SiteFactory
from .forms import read_form_values

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:countries_blockedsite_changelist")


@pytest.fixture
def candidates(kazakhstan):
    return SiteFactory.create_batch(
        12,
        country=kazakhstan,
        review="candidate",
        action="",
        name=factory.Sequence(lambda n: f"кандидат {n:02d}.kz"),
    )


def run_action(client, url, action, sites, **values):
    """Choose the action for `sites` on the list, then fill its form as a browser submits it."""
    chosen = {"action": action, "index": "0", "_selected_action": [s.pk for s in sites]}
    page = client.post(url, chosen, follow=True)
    if page.redirect_chain:  # an action that needs nothing more is done at once
        return page
    form = read_form_values(page.content.decode(), "action-form")
    for name, value in values.items():
        form[name] = [value]
    return client.post(url, {**form, "apply": "Apply"}, follow=True)


def test_the_entrys_list_says_whose_sites_and_leads_back(admin_client, kazakhstan, candidates):
    page = admin_client.get(CHANGELIST, {"country__id__exact": kazakhstan.pk}).content.decode()
    assert "Blocked sites of Kazakhstan" in page
    back = reverse("admin:countries_country_change", args=[kazakhstan.pk])
    assert f'href="{back}"' in page
    assert "column-country" not in page  # one entry: its name on every row is noise
    assert "column-country" in admin_client.get(CHANGELIST).content.decode()


def test_confirming_candidates_asks_what_was_done_and_a_source(
    admin_client, client, kazakhstan, candidates
):
    url = f"{CHANGELIST}?country__id__exact={kazakhstan.pk}&review__exact=candidate"
    chosen = candidates[:3]
    # Nothing chosen for "what was done": refused, said so, nothing changed.
    refused = run_action(admin_client, url, "confirm", chosen, source="")
    assert "This field is required." in refused.content.decode()
    assert not BlockedSite.objects.filter(review="confirmed", name__startswith="кандидат").exists()

    itu = Source.objects.get(name="ITU")
    done = run_action(admin_client, url, "confirm", chosen, what_was_done="throttled",
                      source=str(itu.pk))  # fmt: skip
    messages = [str(m) for m in done.context["messages"]]
    assert messages == ["3 sites confirmed."]
    assert done.redirect_chain[-1][0].endswith(url)  # back to the same filtered list
    confirmed = BlockedSite.objects.filter(review="confirmed", name__startswith="кандидат")
    assert {(s.action, s.source_id) for s in confirmed} == {("throttled", itu.pk)}
    page = client.get(kazakhstan.get_absolute_url()).content.decode()
    assert all(site.name in page for site in chosen)
    assert candidates[3].name not in page


def test_dismissing_and_editing_in_place(admin_client, kazakhstan, candidates):
    url = f"{CHANGELIST}?country__id__exact={kazakhstan.pk}"
    done = run_action(admin_client, url, "dismiss", candidates[:2])
    assert [str(m) for m in done.context["messages"]] == ["2 sites dismissed."]
    assert BlockedSite.objects.filter(review="dismissed").count() == 2


def bulk(client, url, action, sites, **values):
    response = run_action(client, url, action, sites, **values)
    assert response.status_code == 200
    return response


def test_reverting_one_site_moves_no_other(admin_client, kazakhstan, candidates):
    """A bulk action saves many sites in one revision: reverting one of them to it must not
    revert the others (nor bring back one deleted since)."""
    url = f"{CHANGELIST}?country__id__exact={kazakhstan.pk}"
    first, second, third = candidates[:3]
    bulk(admin_client, url, "set_category", [first, second, third], category="NEWS")
    bulk(admin_client, url, "set_category", [first, second], category="HUMR")
    SiteFactory._meta.model.objects.filter(pk=third.pk).delete()
    then = Version.objects.get_for_object(first)[1]  # the first bulk change: NEWS
    revert = reverse("admin:countries_blockedsite_revision", args=[first.pk, then.pk])
    form = read_form_values(admin_client.get(revert).content.decode(), "blockedsite_form")
    assert admin_client.post(revert, form).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.category, second.category) == ("NEWS", "HUMR")
    assert not BlockedSite.objects.filter(pk=third.pk).exists()


def test_recovering_one_deleted_site_recovers_only_it(admin_client, client, kazakhstan):
    sites = list(kazakhstan.blocked_sites.all()[:3])
    url = f"{CHANGELIST}?country__id__exact={kazakhstan.pk}"
    deleted = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [s.pk for s in sites], "post": "yes"}
    )
    assert deleted.status_code == 302 and not BlockedSite.objects.filter(
        pk__in=[s.pk for s in sites]
    )
    public = client.get(kazakhstan.get_absolute_url()).content.decode()
    chosen = Version.objects.get_deleted(BlockedSite).get(object_id=str(sites[0].pk))
    recover = reverse("admin:countries_blockedsite_recover", args=[chosen.pk])
    form = read_form_values(admin_client.get(recover).content.decode(), "blockedsite_form")
    assert admin_client.post(recover, form).status_code == 302
    assert list(BlockedSite.objects.filter(pk__in=[s.pk for s in sites])) == [sites[0]]
    changes = [state.description() for state in kazakhstan.public_changes()[:2]]
    assert changes[0] == f"Blocked sites added: “{sites[0].name}”."
    assert all(site.name in changes[1] for site in sites)  # the deletion, said once
    assert public != client.get(kazakhstan.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/\u202e/gro.live",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
    ],
)
def test_addresses_that_mislead_readers_are_refused(admin_client, kazakhstan, address):
    add = reverse("admin:countries_blockedsite_add")
    form = read_form_values(admin_client.get(add).content.decode(), "blockedsite_form")
    form.update(
        country=[str(kazakhstan.pk)], name=["Misleading"], url=[address], action=["blocked"]
    )
    response = admin_client.post(add, form)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not BlockedSite.objects.filter(name="Misleading").exists()
