"""The editors' home: every admin screen answers, and an editor's save reaches the public page."""

import factory
import pytest
from django.contrib import admin
from django.urls import reverse

from countries.models import Country, Metric

from .factories import CountryFactory, SiteFactory
from .forms import read_form
from .helpers import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db

COUNTRY_MODELS = [model for model in admin.site._registry if model._meta.app_label == "countries"]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", COUNTRY_MODELS, ids=lambda m: m._meta.model_name)
def test_every_admin_screen_answers(admin_client, kazakhstan, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "Kaz"}).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    some_row = model.objects.first()
    assert admin_client.get(admin_url(model, "change", some_row.pk)).status_code == 200


def test_country_changelist_filters(admin_client, kazakhstan):
    url = admin_url(Country, "changelist")
    for query in [
        {"region": "143"},
        {"net_neutrality_status": "no"},
        {"isp_safe_harbor_status": "no"},
    ]:
        response = admin_client.get(url, query)
        assert response.status_code == 200
        assert "Kazakhstan" in response.content.decode()
    assert "Kazakhstan" not in admin_client.get(url, {"region": "155"}).content.decode()


def test_autocomplete_finds_sources(admin_client, kazakhstan):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Constitution",
            "app_label": "countries",
            "model_name": "metric",
            "field_name": "source",
        },
    )
    results = [result["text"] for result in response.json()["results"]]
    assert results == ["Constitution of the Republic of Kazakhstan"]


def test_change_page_has_markdown_editors_inlines_and_view_on_site(admin_client, kazakhstan):
    html = admin_client.get(admin_url(Country, "change", kazakhstan.pk)).content.decode()
    assert html.count('class="markdownx"') >= 7  # one editor per prose section, at least
    # The preview names the entry, so that [[Article 20]] previews as its quote.
    assert (
        f'data-markdownx-urls-path="/markdownx/markdownify/?entry={kazakhstan.pk}&amp;lang=en"'
        in html
    )
    for prefix in ["articles", "metrics", "isps"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    # Sites are not rows of this page but a list of their own, counted and linked here.
    assert 'name="blocked_sites-TOTAL_FORMS"' not in html
    sites = reverse("admin:countries_blockedsite_changelist")
    assert f'href="{sites}?country__id__exact={kazakhstan.pk}"' in html
    assert "4 sites, edited in the list of sites" in html
    # Right after the prose (Website blocking is there), before the review.
    prose = html.index('name="website_blocking_en"')
    assert prose < html.index("entry-sites") < html.index(">Review<")
    assert f'href="{kazakhstan.get_absolute_url()}" class="viewsitelink"' in html


def test_the_change_page_costs_the_same_with_5_or_500_sites(
    admin_client, kazakhstan, django_assert_max_num_queries
):
    """The page's size and queries do not grow with the entry's sites (make bench times it)."""
    change_url = admin_url(Country, "change", kazakhstan.pk)
    small = admin_client.get(change_url).content
    with django_assert_max_num_queries(60) as small_queries:
        admin_client.get(change_url)
    SiteFactory.create_batch(
        496, country=kazakhstan, review="candidate", name=factory.Sequence(lambda n: f"site {n}")
    )
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        large = admin_client.get(change_url).content
    assert len(large) < len(small) * 1.05
    assert "500 sites, edited in the list of sites" in large.decode()
    assert "496 candidates to triage" in large.decode()


def test_editor_signs_in_edits_prose_and_inlines_and_the_page_shows_it(client, editor, kazakhstan):
    login = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": EDITOR_PASSWORD, "next": "/admin/"},
    )
    assert login.status_code == 302

    change_url = admin_url(Country, "change", kazakhstan.pk)
    data = read_form(client.get(change_url).content.decode(), "country_form")
    data["net_neutrality_en"] = "A new law of 2026 protects **net neutrality**."
    data["net_neutrality_status"] = "partial"
    # Edit an existing inline row and add a new one.
    isp_index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("isps-") and key.endswith("-name") and value == "Kaztelecom"
    )
    data[f"isps-{isp_index}-name"] = "Kazakhtelecom"
    total = int(data["metrics-TOTAL_FORMS"])
    data.update(
        {
            "metrics-TOTAL_FORMS": str(total + 1),
            f"metrics-{total}-kind": "internet_penetration",
            f"metrics-{total}-value": "76.4",
            f"metrics-{total}-year": "2022",
            f"metrics-{total}-notes_en": "",
        }
    )
    response = client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert kazakhstan.isps.get().name == "Kazakhtelecom"
    page = client.get(kazakhstan.get_absolute_url()).content.decode()
    assert "A new law of 2026 protects <strong>net neutrality</strong>." in page
    assert "76.4%" in page
    listing = client.get(reverse("countries:list")).content.decode()
    assert "76.4%" in listing and "(2022)" in listing


def test_invalid_inline_row_is_refused_and_nothing_changes(admin_client, kazakhstan):
    change_url = admin_url(Country, "change", kazakhstan.pk)
    data = read_form(admin_client.get(change_url).content.decode(), "country_form")
    data["summary_en"] = "This edit must not be saved."
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("metrics-") and key.endswith("-kind") and value == "internet_penetration"
    )
    data[f"metrics-{index}-value"] = "154"
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    assert "A percentage lies between 0 and 100." in response.content.decode()
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary.startswith("Kazakhstan's government")
    assert Metric.objects.get(kind="internet_penetration").value == 54


def test_more_named_isps_than_the_count_is_refused(admin_client, kazakhstan):
    change_url = admin_url(Country, "change", kazakhstan.pk)
    data = read_form(admin_client.get(change_url).content.decode(), "country_form")
    data["isp_count"] = "0"
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    assert "1 ISPs are named but the number of ISPs is 0." in response.content.decode()


def test_editor_adds_a_country(admin_client):
    data = read_form(admin_client.get(admin_url(Country, "add")).content.decode(), "country_form")
    data.update(
        name="Uzbekistan",
        slug="uzbekistan",
        iso_code="UZ",
        region="143",
        summary_en="Uzbekistan's summary.",
    )
    response = admin_client.post(admin_url(Country, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # A new entry is a draft: editors preview it, readers do not see it yet.
    assert admin_client.get("/countries/uzbekistan/").status_code == 404
    assert admin_client.get("/countries/uzbekistan/preview/").status_code == 200


def test_preview_renders_sanitised_markdown_for_editors(editor_client):
    response = editor_client.post(
        "/markdownx/markdownify/", {"content": "**bold** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == (
        '<div class="prose"><p><strong>bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n'
        "</div>"
    )


def test_preview_is_refused_to_anonymous_and_non_staff(client, django_user_model):
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403
    client.force_login(django_user_model.objects.create_user(username="reader"))
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403


def test_preview_refuses_text_over_the_limit(editor_client):
    response = editor_client.post("/markdownx/markdownify/", {"content": "x" * 20_001})
    assert response.status_code == 400


def test_country_admin_lists_entries_without_a_query_per_row(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            admin_client.get(admin_url(Country, "changelist"))
        return len(captured.captured_queries)

    CountryFactory(name="Country 0", iso_code="AM")
    count()  # the first request after signing in refreshes the session (netfree/sessions.py)
    one = count()
    for index, code in enumerate(["AZ", "GE", "KG", "TJ", "TM", "UZ"], start=1):
        CountryFactory(name=f"Country {index}", iso_code=code)
    assert count() == one
