"""The data model: constraints hold in the database, validation says why, keys are natural."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from countries.models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source

from .conftest import make_article, make_country, make_isp, make_metric, make_site, make_source

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    """True when the database itself rejects the row (no model validation involved)."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# The database refuses bad data however it arrives ---------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"iso_code": "XX"},
        {"region": "999"},
        {"net_neutrality_status": "maybe"},
        {"isp_safe_harbor_status": ""},
        {"slug": ""},
        {"summary": "x" * 20_001},
    ],
    ids=lambda fields: next(iter(fields)),
)
def test_database_refuses_invalid_country(fields):
    assert refused_by_database(lambda: make_country(**fields))


def test_lower_case_iso_codes_are_stored_upper_case():
    assert make_country(iso_code="kz").natural_key() == ("KZ",)
    assert Country.objects.filter(iso_code="KZ").exists()


def test_database_refuses_duplicate_country_code_and_slug():
    make_country(name="One", slug="one", iso_code="KZ")
    assert refused_by_database(lambda: make_country(name="Two", slug="two", iso_code="KZ"))
    assert refused_by_database(lambda: make_country(name="Three", slug="one", iso_code="UZ"))


@pytest.mark.parametrize(
    "kind, value, refused",
    [
        ("internet_penetration", Decimal("100.01"), True),
        ("internet_penetration", Decimal("-0.01"), True),
        ("internet_penetration", Decimal("100"), False),
        ("internet_penetration", Decimal("0"), False),
        ("internet_users", Decimal("-1"), True),
        ("internet_users", Decimal("9577924.5"), True),
        ("internet_users", Decimal("9577924"), False),
        ("unknown_kind", Decimal("1"), True),
    ],
)
def test_database_checks_metric_ranges(kind, value, refused):
    country = make_country()
    assert refused_by_database(lambda: make_metric(country, kind=kind, value=value)) is refused


def test_database_refuses_metric_outside_the_years():
    country = make_country()
    assert refused_by_database(lambda: make_metric(country, year=1989))
    assert refused_by_database(lambda: make_metric(country, year=2101))


def test_database_refuses_duplicate_metric_for_kind_and_year():
    country = make_country()
    make_metric(country, kind="internet_users", value=10, year=2013)
    assert refused_by_database(
        lambda: make_metric(country, kind="internet_users", value=11, year=2013)
    )
    make_metric(country, kind="internet_users", value=12, year=2014)  # another year is fine


def test_database_refuses_duplicate_article_number_per_country():
    country = make_country()
    other = make_country(name="Other", iso_code="UZ")
    make_article(country, number="20")
    assert refused_by_database(lambda: make_article(country, number="20", topic="privacy"))
    make_article(other, number="20")  # the same number in another country's constitution


@pytest.mark.parametrize(
    "fields",
    [{"action": "deleted"}, {"category": "POLT"}, {"status": "gone"}, {"since_year": 1900}],
    ids=lambda fields: next(iter(fields)),
)
def test_database_refuses_invalid_blocked_site(fields):
    country = make_country()
    assert refused_by_database(lambda: make_site(country, **fields))


def test_database_refuses_duplicate_site_and_isp_names_per_country():
    country = make_country()
    make_site(country, name="LiveJournal")
    make_isp(country, name="Kaztelecom")
    assert refused_by_database(lambda: make_site(country, name="LiveJournal"))
    assert refused_by_database(lambda: make_isp(country, name="Kaztelecom"))


# Validation explains, with codes -----------------------------------------------------------------


def validation_codes(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


def test_validation_names_the_bad_fields():
    country = Country(name="X", slug="x", iso_code="XX", region="999", summary="s")
    codes = validation_codes(country)
    assert codes["iso_code"] == ["invalid_choice"]
    assert codes["region"] == ["invalid_choice"]


def test_validation_checks_percentages_and_counts():
    country = make_country()
    codes = validation_codes(
        Metric(country=country, kind="internet_penetration", value=Decimal("154"), year=2013)
    )
    assert codes["__all__"] == ["percentage_out_of_range"]
    codes = validation_codes(Metric(country=country, kind="internet_users", value=-5, year=2013))
    assert codes["__all__"] == ["negative"]


def test_validation_refuses_future_metric_year():
    country = make_country()
    metric = Metric(country=country, kind="internet_users", value=5, year=2099)
    assert validation_codes(metric)["year"] == ["future_year"]


def test_validation_refuses_duplicate_article():
    country = make_country()
    make_article(country, number="20")
    duplicate = ConstitutionalArticle(
        country=country, number="20", topic="speech", clauses=["A clause."]
    )
    assert validation_codes(duplicate)["__all__"] == ["unique"]


def test_validation_requires_clauses():
    article = ConstitutionalArticle(country=make_country(), number="1", topic="speech", clauses=[])
    assert "clauses" in validation_codes(article)


@pytest.mark.parametrize(
    "url, valid",
    [
        ("", True),
        ("livejournal.com", True),
        ("https://adilsoz.kz/news", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org", False),
        ("not a domain", False),
        ("localhost", False),
    ],
)
def test_blocked_site_url_is_a_web_address_or_domain(url, valid):
    site = BlockedSite(country=make_country(), name="Site", url=url, action="blocked")
    if valid:
        site.full_clean()
    else:
        assert validation_codes(site)["url"] == ["invalid_url"]


# Natural keys and strings ----------------------------------------------------------------------


def test_every_model_round_trips_its_natural_key():
    source = make_source(name="ITU")
    country = make_country(iso_code="KZ")
    rows = [
        source,
        country,
        make_article(country, number="18", source=source),
        make_site(country, name="blogs"),
        make_metric(country, kind="internet_users", value=9577924, year=2013),
        make_isp(country, name="Kaztelecom", state_owned=True),
    ]
    for row in rows:
        found = type(row).objects.get_by_natural_key(*row.natural_key())
        assert found == row
        assert str(row)


def test_natural_keys_are_readable():
    country = make_country(name="Kazakhstan", iso_code="KZ")
    assert country.natural_key() == ("KZ",)
    assert make_article(country, number="20").natural_key() == ("KZ", "20")
    assert make_metric(country, kind="internet_users", value=1, year=2013).natural_key() == (
        "KZ",
        "internet_users",
        2013,
    )
    assert str(make_site(country, name="LiveJournal")) == "LiveJournal in Kazakhstan"


def test_sources_in_use_cannot_be_deleted():
    source = make_source(name="ITU")
    make_metric(make_country(), source=source)
    with pytest.raises(Exception, match="protected"):
        source.delete()
    assert Source.objects.filter(name="ITU").exists()


def test_deleting_a_country_deletes_its_rows():
    country = make_country()
    make_article(country)
    make_site(country)
    make_metric(country)
    make_isp(country)
    country.delete()
    for model in (ConstitutionalArticle, BlockedSite, Metric, Isp):
        assert not model.objects.exists()


def test_metric_formats_values_for_readers():
    country = make_country()
    users = make_metric(country, kind="internet_users", value=9577924, year=2013)
    share = make_metric(country, kind="internet_penetration", value=Decimal("54"), year=2013)
    users.refresh_from_db()
    share.refresh_from_db()
    assert users.formatted_value() == "9,577,924"
    assert share.formatted_value() == "54%"


def test_latest_metrics_take_the_most_recent_year_of_each_kind():
    country = make_country()
    make_metric(country, kind="internet_penetration", value=40, year=2010)
    make_metric(country, kind="internet_penetration", value=54, year=2013)
    make_metric(country, kind="internet_users", value=100, year=2011)
    country = Country.objects.with_page_data().get(pk=country.pk)
    latest = {(m.kind, m.year) for m in country.latest_metrics()}
    assert latest == {("internet_penetration", 2013), ("internet_users", 2011)}


def test_list_data_counts_sites_and_finds_latest_penetration():
    country = make_country()
    make_site(country, name="a")
    make_site(country, name="b")
    make_metric(country, kind="internet_penetration", value=40, year=2010)
    make_metric(country, kind="internet_penetration", value=54, year=2013)
    listed = Country.objects.with_list_data().get(pk=country.pk)
    assert listed.blocked_site_count == 2
    assert listed.latest_penetration == Decimal("54")
    assert listed.latest_penetration_year == 2013
