"""The data model: constraints hold in the database, validation says why, keys are natural."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from countries.models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source

from .factories import (
    ArticleFactory,
    CountryFactory,
    IspFactory,
    MetricFactory,
    SiteFactory,
    SourceFactory,
)

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
    assert refused_by_database(lambda: CountryFactory(**fields))


def test_lower_case_iso_codes_are_stored_upper_case():
    assert CountryFactory(iso_code="kz").natural_key() == ("KZ",)
    assert Country.objects.filter(iso_code="KZ").exists()


def test_database_refuses_duplicate_country_code_and_slug():
    CountryFactory(name="One", slug="one", iso_code="KZ")
    assert refused_by_database(lambda: CountryFactory(name="Two", slug="two", iso_code="KZ"))
    assert refused_by_database(lambda: CountryFactory(name="Three", slug="one", iso_code="UZ"))


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
    country = CountryFactory()
    assert (
        refused_by_database(lambda: MetricFactory(country=country, kind=kind, value=value))
        is refused
    )


def test_database_refuses_metric_outside_the_years():
    country = CountryFactory()
    assert refused_by_database(lambda: MetricFactory(country=country, year=1989))
    assert refused_by_database(lambda: MetricFactory(country=country, year=2101))


def test_database_refuses_duplicate_metric_for_kind_and_year():
    country = CountryFactory()
    MetricFactory(country=country, kind="internet_users", value=10, year=2013)
    assert refused_by_database(
        lambda: MetricFactory(country=country, kind="internet_users", value=11, year=2013)
    )
    # Another year is fine.
    MetricFactory(country=country, kind="internet_users", value=12, year=2014)


def test_database_refuses_duplicate_article_number_per_country():
    country = CountryFactory()
    other = CountryFactory(name="Other", iso_code="UZ")
    ArticleFactory(country=country, number="20")
    assert refused_by_database(
        lambda: ArticleFactory(country=country, number="20", topic="privacy")
    )
    ArticleFactory(country=other, number="20")  # the same number in another country's constitution


@pytest.mark.parametrize(
    "fields",
    [{"action": "deleted"}, {"category": "POLT"}, {"status": "gone"}, {"since_year": 1900}],
    ids=lambda fields: next(iter(fields)),
)
def test_database_refuses_invalid_blocked_site(fields):
    country = CountryFactory()
    assert refused_by_database(lambda: SiteFactory(country=country, **fields))


def test_database_refuses_duplicate_site_and_isp_names_per_country():
    country = CountryFactory()
    SiteFactory(country=country, name="LiveJournal")
    IspFactory(country=country, name="Kaztelecom")
    assert refused_by_database(lambda: SiteFactory(country=country, name="LiveJournal"))
    assert refused_by_database(lambda: IspFactory(country=country, name="Kaztelecom"))


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
    country = CountryFactory()
    codes = validation_codes(
        Metric(country=country, kind="internet_penetration", value=Decimal("154"), year=2013)
    )
    assert codes["__all__"] == ["percentage_out_of_range"]
    codes = validation_codes(Metric(country=country, kind="internet_users", value=-5, year=2013))
    assert codes["__all__"] == ["negative"]


def test_validation_refuses_future_metric_year():
    country = CountryFactory()
    metric = Metric(country=country, kind="internet_users", value=5, year=2099)
    assert validation_codes(metric)["year"] == ["future_year"]


def test_validation_refuses_duplicate_article():
    country = CountryFactory()
    ArticleFactory(country=country, number="20")
    duplicate = ConstitutionalArticle(
        country=country, number="20", topic="speech", clauses=["A clause."]
    )
    assert validation_codes(duplicate)["__all__"] == ["unique"]


def test_validation_requires_clauses():
    article = ConstitutionalArticle(
        country=CountryFactory(), number="1", topic="speech", clauses=[]
    )
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
    site = BlockedSite(country=CountryFactory(), name="Site", url=url, action="blocked")
    if valid:
        site.full_clean()
    else:
        assert validation_codes(site)["url"] == ["invalid_url"]


# Natural keys and strings ----------------------------------------------------------------------


def test_every_model_round_trips_its_natural_key():
    source = SourceFactory(name="ITU")
    country = CountryFactory(iso_code="KZ")
    rows = [
        source,
        country,
        ArticleFactory(country=country, number="18", source=source),
        SiteFactory(country=country, name="blogs"),
        MetricFactory(country=country, kind="internet_users", value=9577924, year=2013),
        IspFactory(country=country, name="Kaztelecom", state_owned=True),
    ]
    for row in rows:
        found = type(row).objects.get_by_natural_key(*row.natural_key())
        assert found == row
        assert str(row)


def test_natural_keys_are_readable():
    country = CountryFactory(name="Kazakhstan", iso_code="KZ")
    assert country.natural_key() == ("KZ",)
    assert ArticleFactory(country=country, number="20").natural_key() == ("KZ", "20")
    metric = MetricFactory(country=country, kind="internet_users", value=1, year=2013)
    assert metric.natural_key() == ("KZ", "internet_users", 2013)
    assert str(SiteFactory(country=country, name="LiveJournal")) == "LiveJournal in Kazakhstan"


def test_sources_in_use_cannot_be_deleted():
    source = SourceFactory(name="ITU")
    MetricFactory(country=CountryFactory(), source=source)
    with pytest.raises(Exception, match="protected"):
        source.delete()
    assert Source.objects.filter(name="ITU").exists()


def test_deleting_a_country_deletes_its_rows():
    country = CountryFactory()
    ArticleFactory(country=country)
    SiteFactory(country=country)
    MetricFactory(country=country)
    IspFactory(country=country)
    country.delete()
    for model in (ConstitutionalArticle, BlockedSite, Metric, Isp):
        assert not model.objects.exists()


def test_metric_formats_values_for_readers():
    country = CountryFactory()
    users = MetricFactory(country=country, kind="internet_users", value=9577924, year=2013)
    share = MetricFactory(
        country=country, kind="internet_penetration", value=Decimal("54"), year=2013
    )
    users.refresh_from_db()
    share.refresh_from_db()
    assert users.formatted_value() == "9,577,924"
    assert share.formatted_value() == "54%"


def test_latest_metrics_take_the_most_recent_year_of_each_kind():
    country = CountryFactory()
    MetricFactory(country=country, kind="internet_penetration", value=40, year=2010)
    MetricFactory(country=country, kind="internet_penetration", value=54, year=2013)
    MetricFactory(country=country, kind="internet_users", value=100, year=2011)
    country = Country.objects.with_page_data().get(pk=country.pk)
    latest = {(m.kind, m.year) for m in country.latest_metrics()}
    assert latest == {("internet_penetration", 2013), ("internet_users", 2011)}


def test_list_data_counts_sites_and_finds_latest_penetration():
    country = CountryFactory()
    SiteFactory(country=country, name="a")
    SiteFactory(country=country, name="b")
    MetricFactory(country=country, kind="internet_penetration", value=40, year=2010)
    MetricFactory(country=country, kind="internet_penetration", value=54, year=2013)
    listed = Country.objects.with_list_data().get(pk=country.pk)
    assert listed.blocked_site_count == 2
    assert listed.latest_penetration == Decimal("54")
    assert listed.latest_penetration_year == 2013
