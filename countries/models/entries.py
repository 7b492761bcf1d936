"""The country entry: its fields, the queries pages make of it, and what it shows."""

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..choices import MetricKind, Protection, Region, Review, Topic
from ..fields import VersionStampField
from ..sections import SECTIONS
from .base import (
    COUNTRY_CODES,
    ChoiceLabelsMixin,
    markdown_field,
    markdown_length_constraint,
    oldest_current_metric_year,
    one_of,
    review_cutoff,
)
from .rows import (
    ENTRY_ROW_MODELS,
    ENTRY_ROW_RELATIONS,
    ROWS_LISTED_APART,
    SITES_ON_ENTRY_PAGE,
    BlockedSite,
    ConstitutionalArticle,
    Metric,
    has_source,
)
from .sources import Source
from .translated import (
    REFERENCE_LANGUAGE,
    Translated,
    TranslationState,
    localized,
    translated_fields,
)


def quotes_topic(topic):
    """Whether the entry quotes a constitutional article protecting `topic` (an annotation)."""
    return Exists(ConstitutionalArticle.objects.filter(country=OuterRef("pk"), topic=topic))


class CountryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def drafts(self):
        return self.filter(is_published=False)

    def not_reviewed_since(self, since):
        return self.filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=since))

    def stale(self):
        """Entries nobody has reviewed for REVIEW_INTERVAL_DAYS."""
        return self.not_reviewed_since(review_cutoff())

    def with_latest_metric_year(self):
        return self.annotate(latest_metric_year=Max("metrics__year"))

    def with_outdated_metrics(self):
        """Entries whose newest figure is older than METRIC_MAX_AGE_YEARS (or that have none)."""
        return self.with_latest_metric_year().filter(
            Q(latest_metric_year__isnull=True)
            | Q(latest_metric_year__lt=oldest_current_metric_year())
        )

    def with_indicators(self):
        """What the map and the comparison table colour and sort by: the newest internet
        penetration figure and its year, and whether speech and privacy articles are quoted."""
        latest_penetration = Metric.objects.filter(
            country=OuterRef("pk"), kind=MetricKind.INTERNET_PENETRATION
        ).order_by("-year")
        return self.annotate(
            latest_penetration=Subquery(latest_penetration.values("value")[:1]),
            latest_penetration_year=Subquery(latest_penetration.values("year")[:1]),
            quotes_speech=quotes_topic(Topic.SPEECH),
            quotes_privacy=quotes_topic(Topic.PRIVACY),
        )

    def with_list_data(self):
        """What the country list shows: the indicators and the number of sites, in one query."""
        # Meta.ordering does not apply to aggregating queries: order explicitly.
        return (
            self.with_indicators()
            .annotate(
                blocked_site_count=Count(
                    "blocked_sites",
                    filter=Q(blocked_sites__review=Review.CONFIRMED),
                    distinct=True,
                )
            )
            .order_by(*self.model._meta.ordering)
        )

    def with_page_data(self):
        """Everything a country page shows, in a fixed number of queries (page_data_lookups)."""
        return self.prefetch_related(*page_data_lookups())

    def with_rows(self, public=True, relations=ENTRY_ROW_RELATIONS):
        """Every row of each relation in `relations` (those readers may see, if `public`), with
        the source each names: the downloads and the maintainers' export, the conflict check."""
        return self.prefetch_related(*row_lookups(public, relations))


def row_lookups(public=True, relations=ENTRY_ROW_RELATIONS):
    lookups = []
    for relation, model in relations.items():
        rows = model.objects.public() if public else model.objects.all()
        lookups.append(
            Prefetch(relation, rows.select_related("source") if has_source(model) else rows)
        )
    return tuple(lookups)


def page_data_lookups():
    """What readers see of each kind of row an entry owns: every public row, but only the first
    SITES_ON_ENTRY_PAGE of a kind listed apart (the page links to the rest)."""
    lookups = []
    for lookup in row_lookups(public=True):
        if lookup.queryset.model in ROWS_LISTED_APART:
            # A sliced prefetch needs an attribute of its own (the manager's would be filtered).
            lookup = Prefetch(
                lookup.prefetch_through,
                lookup.queryset[:SITES_ON_ENTRY_PAGE],
                to_attr=f"{lookup.prefetch_through}_on_page",
            )
        lookups.append(lookup)
    return tuple(lookups)


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, iso_code):
        return self.get(iso_code=iso_code)


class Country(ChoiceLabelsMixin, Translated):
    """An entry: a country's prose, key facts and workflow state; its rows are ENTRY_ROW_MODELS.

    Publication and review are workflow state, not content (WORKFLOW_FIELDS): revisions leave
    them out, so reverting the text never unpublishes or un-reviews an entry.
    """

    NATURAL_KEY = ("iso_code",)
    WORKFLOW_FIELDS = ("is_published", "last_reviewed", "reviewed_by")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The last part of the page's address: kazakhstan in /countries/kazakhstan/."),
    )
    iso_code = CountryField(_("ISO 3166-1 code"), unique=True)
    region = models.CharField(
        _("region"),
        max_length=3,
        choices=Region.choices,
        help_text=_("UN M49 sub-region."),
    )

    # The entry's prose, one Markdown field per section, in the order the page shows them.
    summary = markdown_field(_("summary"), blank=False)
    censorship = markdown_field(
        _("censorship and restrictions on speech"),
        help_text=_(
            "Write [[Article 20]] as a paragraph of its own to place a quoted article; "
            "articles not placed appear at the end of their section."
        ),
    )
    website_blocking = markdown_field(_("website blocking"))
    privacy = markdown_field(_("privacy"))
    internet_access = markdown_field(_("internet access"))
    isp_safe_harbors = markdown_field(_("ISP safe harbors"))
    net_neutrality = markdown_field(_("net neutrality"))

    # Structured facts beside the prose.
    isp_safe_harbor_status = models.CharField(
        _("ISP safe harbor"),
        max_length=10,
        choices=Protection.choices,
        default=Protection.UNKNOWN,
        help_text=_("Does the law shield ISPs from liability for what users publish?"),
    )
    net_neutrality_status = models.CharField(
        _("net neutrality protection"),
        max_length=10,
        choices=Protection.choices,
        default=Protection.UNKNOWN,
        help_text=_("Does the law protect net neutrality?"),
    )
    isp_count = models.PositiveIntegerField(
        _("number of ISPs"),
        null=True,
        blank=True,
        help_text=_("All ISPs in the country, named below or not. Empty if unknown."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Drafts are seen only by editors, on the preview."),
    )
    # Also the entry's version: every save moves it on, so a form that was opened before another
    # editor's save can tell (see admin.conflicts).
    updated_at = VersionStampField(_("updated"))

    objects = CountryManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        permissions = [
            ("publish_country", _("Can publish and unpublish entries")),
            ("review_country", _("Can mark entries as reviewed")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code__in=COUNTRY_CODES),
                name="country_iso_code_valid",
                violation_error_code="invalid_iso_code",
                violation_error_message=_("Not an ISO 3166-1 alpha-2 country code."),
            ),
            models.CheckConstraint(condition=one_of("region", Region), name="country_region_valid"),
            models.CheckConstraint(
                condition=one_of("isp_safe_harbor_status", Protection),
                name="country_isp_safe_harbor_status_valid",
            ),
            models.CheckConstraint(
                condition=one_of("net_neutrality_status", Protection),
                name="country_net_neutrality_status_valid",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="country_slug_not_empty"),
            *(markdown_length_constraint("country", spec.field) for spec in SECTIONS),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("countries:detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("countries:preview", kwargs={"slug": self.slug})

    @property
    def is_stale(self):
        return self.last_reviewed is None or self.last_reviewed < review_cutoff()

    def natural_key(self):
        return (self.iso_code.code,)

    # What the pages show, computed from prefetched rows (see CountryQuerySet.with_page_data).

    def load_page_data(self):
        """Fetch what `with_page_data()` would have, for an entry already in hand."""
        prefetch_related_objects([self], *page_data_lookups())
        return self

    @cached_property
    def public_site_count(self):
        """How many sites readers see listed (the page shows `blocked_sites_on_page`, the first
        SITES_ON_ENTRY_PAGE; see page_data_lookups)."""
        shown = len(self.blocked_sites_on_page)
        if shown < SITES_ON_ENTRY_PAGE:
            return shown
        return BlockedSite.objects.public().filter(country=self).count()

    def site_review_counts(self):
        """How many of the entry's sites there are: confirmed (public), candidates (and of
        those, flagged: their test list's notes report blocking), dismissed."""
        return self.blocked_sites.aggregate(
            total=Count("pk"),
            confirmed=Count("pk", filter=Q(review=Review.CONFIRMED)),
            candidates=Count("pk", filter=Q(review=Review.CANDIDATE)),
            flagged=Count("pk", filter=Q(review=Review.CANDIDATE, reports_blocking=True)),
            dismissed=Count("pk", filter=Q(review=Review.DISMISSED)),
        )

    def more_sites_than_shown(self):
        return self.public_site_count > len(self.blocked_sites_on_page)

    def sections(self):
        from ..sections import build_sections

        return build_sections(self)

    def summary_line(self):
        from ..sections import first_sentence

        return first_sentence(self.summary)

    @property
    def summary_language(self):
        return self.language_of("summary")

    def latest_metrics(self):
        """The most recent metric of each kind."""
        latest = {}
        for metric in sorted(self.metrics.all(), key=lambda m: m.year):
            latest[metric.kind] = metric
        return [latest[kind] for kind in MetricKind if kind in latest]

    def sources(self):
        """Every source the entry's rows cite, by name (rows should be prefetched)."""
        rows = [*self.articles.all(), *self.blocked_sites_on_page, *self.metrics.all()]
        found = {row.source.pk: row.source for row in rows if row.source_id}
        if self.more_sites_than_shown():  # those cited only by sites the page does not list
            found.update({source.pk: source for source in Source.objects.cited_by_sites_of(self)})
        return sorted(found.values(), key=lambda source: source.name)

    def public_changes(self, limit=20):
        """When the entry changed and what changed, for readers; never who changed it."""
        return self.revision_states.public()[:limit]

    def translations_to_review(self, languages=None):
        """What a translator should look at, in the entry and the rows readers see: each field
        not translated, or translated from an English that has changed since."""
        found = super().translations_to_review(languages)
        for model in translated_row_models():
            rows = model.objects.filter(country=self).public().order_by(*model._meta.ordering)
            for row in rows.select_related("country"):
                found.extend(row.translations_to_review(languages))
        return found


def translated_row_models():
    return [model for model in ENTRY_ROW_MODELS if translated_fields(model)]


def translation_gaps(language):
    """country pk -> {"missing": n, "outdated": n}: the fields of each entry (and of the rows
    readers see) a translator of `language` has still to translate or to bring up to date.

    Only objects with English to translate are read, with just their translated columns.
    """
    gaps = {}
    for model in (Country, *translated_row_models()):
        fields = translated_fields(model)
        columns = [localized(f, lang) for f in fields for lang in (REFERENCE_LANGUAGE, language)]
        has_english = Q()
        for field in fields:
            has_english |= ~Q(
                **{localized(field, REFERENCE_LANGUAGE): model._meta.get_field(field).get_default()}
            )
        objects = model.objects.filter(has_english)
        if model is not Country:
            objects = objects.public()
        key = "pk" if model is Country else "country_id"
        for obj in objects.only(key, "translation_basis", *columns).order_by():
            for field in fields:
                state = obj.translation_state(field, language)
                if state in (TranslationState.MISSING, TranslationState.OUTDATED):
                    counts = gaps.setdefault(getattr(obj, key), {"missing": 0, "outdated": 0})
                    counts[state.value] += 1
    return gaps
