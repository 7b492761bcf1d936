"""What the API sends: each schema is exactly the fields sent (no others), documented."""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from ..choices import Action, Category, MetricKind, Protection, Region, SiteStatus, Topic
from ..models import SITES_ON_ENTRY_PAGE
from ..models.translated import reader_language, translated_fields
from ..opendata import ooni
from ..sections import SECTIONS, render_blocks

NAMESPACE = "api-v1"


class Out(Schema):
    # The documented fields are exactly the fields sent, so clients can rely on the schema.
    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})


NOTES = "Markdown."
NOTES_HTML = "The notes as sanitised HTML."


def _notes_html(obj):
    return str(obj.rendered_notes())


LANGUAGES = (
    "The language each translated field is given in: the one asked for (`lang`, "
    "`Accept-Language`), or `en` where it is not translated yet."
)


def _languages(obj):
    return {field: obj.language_of(field) for field in translated_fields(type(obj))}


class ErrorOut(Out):
    detail: str


class SourceOut(Out):
    name: str = Field(description="The source's name, as it identifies itself.")
    shown_name: str = Field(
        description="The name readers see, in the language asked for where it has one."
    )
    url: str | None = Field(description="null where the source gives no link.")

    @staticmethod
    def resolve_shown_name(obj):
        return obj.label

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
        path = reverse(f"{NAMESPACE}:country_detail", kwargs={"slug": obj.slug})
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
    languages: dict[str, str] = Field(description=LANGUAGES)

    resolve_notes_html = staticmethod(_notes_html)
    resolve_languages = staticmethod(_languages)


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
    ooni_explorer_url: str | None = Field(
        description="OONI Explorer's measurements of the site's domain from its country; null "
        "for a site without an address."
    )
    languages: dict[str, str] = Field(description=LANGUAGES)

    resolve_notes_html = staticmethod(_notes_html)
    resolve_languages = staticmethod(_languages)

    @staticmethod
    def resolve_url(obj):
        return obj.url or None

    @staticmethod
    def resolve_ooni_explorer_url(obj):
        return ooni.domain_link(obj)

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
    languages: dict[str, str] = Field(description=LANGUAGES)

    resolve_notes_html = staticmethod(_notes_html)
    resolve_languages = staticmethod(_languages)

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
    language: str = Field(
        description="The language of `markdown` and `html`: the one asked for, or `en` where "
        "the section is not translated yet."
    )
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
    language: str = Field(description="The language asked for (`lang`, `Accept-Language`).")
    sections: SectionsOut = Field(description="The entry's prose, in the page's order.")
    constitutional_articles: list[ArticleOut]
    blocked_sites: list[EntrySiteOut] = Field(
        description=f"The first {SITES_ON_ENTRY_PAGE} by name; `blocked_site_count` says how many "
        "there are, and `blocked_sites_url` lists them all, page by page."
    )
    blocked_sites_url: str
    metrics: list[EntryMetricOut]
    isps: list[IspOut] = Field(description="The ISPs named; `isp_count` may be larger.")

    @staticmethod
    def resolve_sections(obj):
        return {
            section.key: {
                "title": str(section.title),
                "language": section.language,
                "markdown": getattr(obj, section.key),
                "html": render_blocks(section.blocks),
            }
            for section in obj.sections()
        }

    @staticmethod
    def resolve_language(obj):
        return reader_language()

    @staticmethod
    def resolve_blocked_sites(obj):
        return obj.blocked_sites_on_page

    @staticmethod
    def resolve_blocked_sites_url(obj, context):
        path = reverse(f"{NAMESPACE}:blocked_site_list")
        return context["request"].build_absolute_uri(f"{path}?country={obj.iso_code.code}")

    @staticmethod
    def resolve_constitutional_articles(obj):
        return obj.articles.all()
