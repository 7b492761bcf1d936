"""The API's endpoints: published entries and their rows, filtered as the pages filter them
(countries.filters), each in a fixed number of queries whatever the number of rows."""

from typing import Annotated, ClassVar

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router

from ..choices import Action, Category, MetricKind, Protection, Region, SiteStatus
from ..filters import CountryFilter, MetricFilter, SiteFilter
from ..models import BlockedSite, Country, Metric
from .pagination import paginated
from .schemas import (
    BlockedSiteOut,
    CountryDetailOut,
    CountryOut,
    ErrorOut,
    MetricOut,
)

router = Router()

IsoCode = Annotated[
    str | None,
    Field(None, description="ISO 3166-1 alpha-2 code, e.g. KZ.", pattern="^[A-Za-z]{2}$"),
]
GET = ["GET", "HEAD"]  # HEAD answers as GET does (the server sends no body)


class Filters(FilterSchema):
    """The query's filters, typed and documented here, applied by the pages' own FilterSet."""

    filterset: ClassVar[type] = None

    def filter(self, queryset):
        return self.filterset(self.model_dump(exclude_none=True), queryset=queryset).qs


class CountryFilters(Filters):
    filterset: ClassVar[type] = CountryFilter

    region: Region | None = Field(None, description="UN M49 sub-region code, e.g. 143.")
    net_neutrality: Protection | None = None
    isp_safe_harbor: Protection | None = None
    q: str | None = Field(None, description="Part of the name.")


class SiteFilters(Filters):
    filterset: ClassVar[type] = SiteFilter

    country: IsoCode = None
    category: Category | None = None
    action: Action | None = None
    status: SiteStatus | None = None
    q: str | None = Field(None, description="Part of the name or the URL.")


class MetricFilters(Filters):
    filterset: ClassVar[type] = MetricFilter

    country: IsoCode = None
    kind: MetricKind | None = None
    year_from: int | None = Field(None, description="From this year on.")
    year_to: int | None = Field(None, description="Up to this year.")


def published_countries():
    return Country.objects.published().with_list_data()


@router.api_operation(
    GET, "/countries/", response=list[CountryOut], url_name="country_list", tags=["countries"]
)
@paginated
def list_countries(request, filters: Query[CountryFilters]):
    """Published entries, by name."""
    return filters.filter(published_countries())


@router.api_operation(
    GET,
    "/countries/{slug}/",
    response={200: CountryDetailOut, 404: ErrorOut},
    url_name="country_detail",
    tags=["countries"],
)
def get_country(request, slug: str):
    """A whole entry: prose as Markdown and HTML, articles, blocked sites, metrics, ISPs."""
    return get_object_or_404(published_countries().with_page_data(), slug=slug)


@router.api_operation(
    GET,
    "/blocked-sites/",
    response=list[BlockedSiteOut],
    url_name="blocked_site_list",
    tags=["rows"],
)
@paginated
def list_blocked_sites(request, filters: Query[SiteFilters]):
    """Blocked or throttled websites of all published entries, by country and name."""
    return filters.filter(BlockedSite.objects.published().order_by("country__name", "name"))


@router.api_operation(
    GET, "/metrics/", response=list[MetricOut], url_name="metric_list", tags=["rows"]
)
@paginated
def list_metrics(request, filters: Query[MetricFilters]):
    """Figures of all published entries, by country, kind and newest year first."""
    metrics = Metric.objects.published().order_by("country__name", "kind", "-year")
    return filters.filter(metrics)
