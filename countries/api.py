"""The read-only open-data API, /api/v1/ (django-ninja; the schema is /api/v1/openapi.json).

- Only published entries: every query starts from `Country.objects.published()` or filters
  rows on `country__is_published`.
- Each endpoint runs a fixed number of SQL queries, whatever the number of rows.
- Every view is wrapped by `open_data_view`: ETag, Last-Modified, 304 answers to conditional
  requests, `Access-Control-Allow-Origin: *` and CORS preflight.
"""

import functools
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict, create_model

from .choices import Action, Category, MetricKind, Protection, Region, SiteStatus, Topic
from .models import BlockedSite, Country, Metric
from .sections import SECTIONS, render_blocks

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000  # more pages than any list has; the database refuses huge offsets
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = 24 * 60 * 60

DESCRIPTION = """\
Internet freedom, country by country: the published entries of netfree as JSON.

Lists are paginated (`page`, `page_size`: 50 by default, at most 100) and return `count`,
`next` and `previous`. Absent values are `null`. Metric values are JSON numbers: the database
keeps at most 15 significant digits with 2 decimals, which a JSON number carries exactly.
Responses carry `ETag` and `Last-Modified` and answer `If-None-Match` / `If-Modified-Since`
with 304. Any origin may read them (CORS). Licence: CC BY 4.0, see /data/.
"""


# HTTP: caching and CORS ------------------------------------------------------------------------


def published_last_modified():
    """When published content last changed, as a timestamp: one aggregate query."""
    latest = Country.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    return int(latest.timestamp()) if latest else None


def open_data_view(view, *, last_modified=True):
    """Wrap an API view with conditional GET and CORS.

    The ETag hashes the body, so it is exact. Last-Modified comes from the entries' `updated_at`
    and cannot see a source edited, or an entry unpublished or deleted; clients that send
    If-None-Match (which takes precedence over If-Modified-Since) are never misled by it.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            if requested := request.headers.get("Access-Control-Request-Headers"):
                response["Access-Control-Allow-Headers"] = requested
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            # ninja routes HEAD nowhere: answer it as GET, as Django's views do (the server
            # drops the body).
            method = request.method
            if method == "HEAD":
                request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = method
            if method in ("GET", "HEAD"):
                # Revalidate every time rather than let caches guess a freshness from
                # Last-Modified, which may be months old.
                patch_cache_control(response, no_cache=True)
                if response.status_code == 200:
                    response = _conditional(request, response, last_modified)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response

    return wrapper


def _conditional(request, response, with_last_modified):
    set_response_etag(response)
    timestamp = published_last_modified() if with_last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=timestamp, response=response
    )


class OpenDataAPI(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return [self._wrap(pattern) for pattern in patterns], app_name, namespace

    @staticmethod
    def _wrap(pattern):
        # "api-root" only raises 404; the schema is not data, so data's dates do not date it.
        if not isinstance(pattern, URLPattern) or pattern.name == "api-root":
            return pattern
        view = open_data_view(pattern.callback, last_modified=pattern.name != "openapi-json")
        return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


api = OpenDataAPI(
    title="netfree open data",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    # Swagger UI would load scripts from a CDN unless "ninja" were in INSTALLED_APPS.
    docs_url=None,
)


# Pagination --------------------------------------------------------------------------------


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            description=f"Items per page: {PAGE_SIZE} by default, at most {MAX_PAGE_SIZE} "
            "(larger values are reduced to it).",
        )

    class Output(Schema):
        model_config = ConfigDict(json_schema_extra={"additionalProperties": False})

        count: int = Field(description="Items on all pages.")
        page: int
        page_size: int
        next: str | None = Field(description="The next page's URL, null on the last page.")
        previous: str | None = Field(description="The previous page's URL, null on the first.")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        page, page_size = pagination.page, self._get_page_size(pagination.page_size)
        last_page = max(1, -(-result["count"] // page_size))
        return {
            **result,
            "page": page,
            "page_size": page_size,
            "next": _page_url(request, page + 1) if page < last_page else None,
            "previous": _page_url(request, min(page, last_page + 1) - 1) if page > 1 else None,
        }


def _page_url(request, page):
    query = request.GET.copy()
    query["page"] = page
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginated(view):
    return paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(view)


# Schemas -----------------------------------------------------------------------------------------


class Out(Schema):
    # The documented fields are exactly the fields sent, so clients can rely on the schema.
    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})


NOTES = "Markdown."
NOTES_HTML = "The notes as sanitised HTML."


def _notes_html(obj):
    return str(obj.rendered_notes())


class ErrorOut(Out):
    detail: str


class SourceOut(Out):
    name: str
    url: str | None = Field(description="null where the source gives no link.")

    @staticmethod
    def resolve_url(obj):
        return obj.url or None


class RegionOut(Out):
    code: Region = Field(description="UN M49 sub-region code.")
    name: str


class PenetrationOut(Out):
    value: float = Field(description="Percentage of the population online.")
    year: int


class CountryRefOut(Out):
    iso_code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    slug: str
    url: str = Field(description="The entry's page.")
    api_url: str = Field(description="The entry in this API.")

    @staticmethod
    def resolve_iso_code(obj):
        return obj.iso_code.code

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj, context):
        path = reverse(f"{api.urls_namespace}:country_detail", kwargs={"slug": obj.slug})
        return context["request"].build_absolute_uri(path)


class CountryOut(CountryRefOut):
    region: RegionOut
    net_neutrality: Protection = Field(description="Does the law protect net neutrality?")
    isp_safe_harbor: Protection = Field(description="Are ISPs shielded from liability?")
    isp_count: int | None = Field(description="All ISPs in the country; null if unknown.")
    last_reviewed: date | None
    updated_at: datetime
    internet_penetration: PenetrationOut | None = Field(description="The latest figure.")
    blocked_site_count: int

    @staticmethod
    def resolve_region(obj):
        return {"code": obj.region, "name": str(obj.get_region_display())}

    @staticmethod
    def resolve_net_neutrality(obj):
        return obj.net_neutrality_status

    @staticmethod
    def resolve_isp_safe_harbor(obj):
        return obj.isp_safe_harbor_status

    @staticmethod
    def resolve_internet_penetration(obj):
        if obj.latest_penetration is None:
            return None
        return {"value": float(obj.latest_penetration), "year": obj.latest_penetration_year}


class ArticleOut(Out):
    number: str = Field(description="As the constitution writes it.")
    topic: Topic
    clauses: list[str] = Field(description="In the constitution's order, numbered from 1.")
    source: SourceOut | None
    translation_note: str = Field(description="Which text is quoted, e.g. “English text”.")
    notes: str = Field(description=NOTES)
    notes_html: str = Field(description=NOTES_HTML)

    resolve_notes_html = staticmethod(_notes_html)


class EntrySiteOut(Out):
    name: str
    url: str | None = Field(description="URL or domain as the source gives it.")
    link: str | None = Field(description="`url` as an absolute link.")
    action: Action
    category: Category | None = Field(description="Citizen Lab test-list category.")
    category_name: str | None
    status: SiteStatus
    since_year: int | None
    source: SourceOut | None
    notes: str = Field(description=NOTES)
    notes_html: str = Field(description=NOTES_HTML)

    resolve_notes_html = staticmethod(_notes_html)

    @staticmethod
    def resolve_url(obj):
        return obj.url or None

    @staticmethod
    def resolve_link(obj):
        return obj.link() or None

    @staticmethod
    def resolve_category(obj):
        return obj.category or None

    @staticmethod
    def resolve_category_name(obj):
        return str(obj.get_category_display()) if obj.category else None


class BlockedSiteOut(EntrySiteOut):
    country: CountryRefOut


class EntryMetricOut(Out):
    kind: MetricKind
    value: float = Field(description="A JSON number, exact (at most 15 digits, 2 decimals).")
    unit: str
    year: int
    source: SourceOut | None
    notes: str = Field(description=NOTES)
    notes_html: str = Field(description=NOTES_HTML)

    resolve_notes_html = staticmethod(_notes_html)

    @staticmethod
    def resolve_value(obj):
        return float(obj.value)

    @staticmethod
    def resolve_unit(obj):
        return str(obj.unit)


class MetricOut(EntryMetricOut):
    country: CountryRefOut


class IspOut(Out):
    name: str
    state_owned: bool


class SectionOut(Out):
    title: str
    markdown: str = Field(
        description="A paragraph reading [[Article N]] marks where constitutional article N "
        "is quoted."
    )
    html: str = Field(
        description="What the entry's page shows: the Markdown as sanitised HTML, with the "
        "quoted articles where the Markdown places them (and those it does not place at the "
        "end of the section their topic belongs to)."
    )


SectionsOut = create_model(
    "SectionsOut", __base__=Out, **{spec.field: (SectionOut, ...) for spec in SECTIONS}
)


class CountryDetailOut(CountryOut):
    sections: SectionsOut = Field(description="The entry's prose, in the page's order.")
    constitutional_articles: list[ArticleOut]
    blocked_sites: list[EntrySiteOut]
    metrics: list[EntryMetricOut]
    isps: list[IspOut] = Field(description="The ISPs named; `isp_count` may be larger.")

    @staticmethod
    def resolve_sections(obj):
        return {
            section.key: {
                "title": str(section.title),
                "markdown": getattr(obj, section.key),
                "html": render_blocks(section.blocks),
            }
            for section in obj.sections()
        }

    @staticmethod
    def resolve_constitutional_articles(obj):
        return obj.articles.all()


# Endpoints -------------------------------------------------------------------------------------


def _published_countries():
    return Country.objects.published().with_list_data()


@api.get("/countries/", response=list[CountryOut], url_name="country_list", tags=["countries"])
@paginated
def list_countries(
    request,
    region: Annotated[Region | None, Query(description="UN M49 sub-region code, e.g. 143.")] = None,
    net_neutrality: Protection | None = None,
    isp_safe_harbor: Protection | None = None,
    q: Annotated[str | None, Query(description="Part of the name.")] = None,
):
    """Published entries, by name."""
    countries = _published_countries()
    if region:
        countries = countries.filter(region=region)
    if net_neutrality:
        countries = countries.filter(net_neutrality_status=net_neutrality)
    if isp_safe_harbor:
        countries = countries.filter(isp_safe_harbor_status=isp_safe_harbor)
    if q:
        countries = countries.filter(name__icontains=q)
    return countries


@api.get(
    "/countries/{slug}/",
    response={200: CountryDetailOut, 404: ErrorOut},
    url_name="country_detail",
    tags=["countries"],
)
def get_country(request, slug: str):
    """A whole entry: prose as Markdown and HTML, articles, blocked sites, metrics, ISPs."""
    return get_object_or_404(_published_countries().with_page_data(), slug=slug)


IsoCode = Annotated[
    str | None, Query(description="ISO 3166-1 alpha-2 code, e.g. KZ.", pattern="^[A-Za-z]{2}$")
]


@api.get(
    "/blocked-sites/", response=list[BlockedSiteOut], url_name="blocked_site_list", tags=["rows"]
)
@paginated
def list_blocked_sites(
    request,
    country: IsoCode = None,
    category: Category | None = None,
    action: Action | None = None,
    status: SiteStatus | None = None,
    q: Annotated[str | None, Query(description="Part of the name or the URL.")] = None,
):
    """Blocked or throttled websites of all published entries, by country and name."""
    sites = (
        BlockedSite.objects.filter(country__is_published=True)
        .select_related("country", "source")
        .order_by("country__name", "name")
    )
    if country:
        sites = sites.filter(country__iso_code=country.upper())
    if category:
        sites = sites.filter(category=category)
    if action:
        sites = sites.filter(action=action)
    if status:
        sites = sites.filter(status=status)
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(url__icontains=q))
    return sites


@api.get("/metrics/", response=list[MetricOut], url_name="metric_list", tags=["rows"])
@paginated
def list_metrics(
    request,
    country: IsoCode = None,
    kind: MetricKind | None = None,
    year_from: Annotated[int | None, Query(description="From this year on.")] = None,
    year_to: Annotated[int | None, Query(description="Up to this year.")] = None,
):
    """Figures of all published entries, by country, kind and newest year first."""
    metrics = (
        Metric.objects.filter(country__is_published=True)
        .select_related("country", "source")
        .order_by("country__name", "kind", "-year")
    )
    if country:
        metrics = metrics.filter(country__iso_code=country.upper())
    if kind:
        metrics = metrics.filter(kind=kind)
    if year_from is not None:
        metrics = metrics.filter(year__gte=year_from)
    if year_to is not None:
        metrics = metrics.filter(year__lte=year_to)
    return metrics
