"""A country entry and what belongs to it.

Reading order: Source (shared), Country, then the rows an entry owns: ConstitutionalArticle,
BlockedSite, Metric, Isp. Every model has a natural key, so fixtures never carry primary keys,
and every rule the data must obey is a database constraint as well as a validation error.
"""

import datetime
import functools

import reversion
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
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
from django.db.models.functions import Length, Lower, Round
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES as ISO_3166_COUNTRIES
from django_countries.fields import CountryField

from .choices import (
    PERCENTAGE_KINDS,
    Action,
    Category,
    MetricKind,
    Protection,
    Region,
    SiteStatus,
    Topic,
)
from .fields import ClauseListField, MarkdownField, ReadableJSONEncoder, VersionStampField
from .markdown import render_markdown
from .sections import SECTIONS
from .validators import validate_url_or_domain

MARKDOWN_MAX_LENGTH = 20_000
# ISO 3166-1 alpha-2, from django-countries, plus the codes settings.COUNTRIES_OVERRIDE adds.
COUNTRY_CODES = sorted(
    set(ISO_3166_COUNTRIES)
    | {code for code, name in getattr(settings, "COUNTRIES_OVERRIDE", {}).items() if name}
)
DOT_SEGMENT = r"(^|/)\.\.?(/|$)"
EARLIEST_YEAR = 1990  # the first year ITU reports internet figures for
LATEST_YEAR = 2100


def one_of(field, choices):
    """A CheckConstraint condition: the field holds one of the choices."""
    return Q(**{f"{field}__in": choices.values})


def markdown_field(verbose_name, *, blank=True, **kwargs):
    return MarkdownField(verbose_name, blank=blank, max_length=MARKDOWN_MAX_LENGTH, **kwargs)


def markdown_length_constraint(model_name, field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__length__lte": MARKDOWN_MAX_LENGTH}),
        name=f"{model_name}_{field}_max_length",
        violation_error_code="too_long",
        violation_error_message=_("Text is longer than %(limit)s characters.")
        % {"limit": MARKDOWN_MAX_LENGTH},
    )


models.TextField.register_lookup(Length)
models.CharField.register_lookup(Lower)


def web_link(field, *, or_domain=False):
    """A CheckConstraint condition: the field is empty or an http(s) address (or, with
    `or_domain`, a bare domain: no scheme at all). A `javascript:` link can reach the database
    by no path, not even a fixture loaded as it is."""
    condition = (
        Q(**{field: ""})
        | Q(**{f"{field}__lower__startswith": "http://"})
        | Q(**{f"{field}__lower__startswith": "https://"})
    )
    return condition | ~Q(**{f"{field}__contains": ":"}) if or_domain else condition


def quotes_topic(topic):
    """Whether the entry quotes a constitutional article protecting `topic` (an annotation)."""
    return Exists(ConstitutionalArticle.objects.filter(country=OuterRef("pk"), topic=topic))


def review_cutoff():
    return datetime.date.today() - datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def oldest_current_metric_year():
    return datetime.date.today().year - settings.METRIC_MAX_AGE_YEARS


def format_metric_value(value, is_percentage):
    """54%, 9,577,924: a metric's value as a reader expects it, in the active language."""
    if is_percentage:
        return f"{number_format(value.normalize(), use_l10n=True)}%"
    return number_format(int(value), force_grouping=True)


class ChoiceLabelsMixin:
    """`get_FOO_display()` from a label table built once per field.

    Django's own rebuilds the table on every call, hashing every lazily translated label, which
    made a country page with 200 blocked sites spend most of its time in gettext.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(value, value), strings_only=True)


@functools.cache
def _choice_labels(field):
    return dict(field.flatchoices)


class NotesMixin:
    """Rows with an editor's Markdown `notes` field."""

    def rendered_notes(self):
        return render_markdown(self.notes, f"notes_{self._meta.model_name}_{self.pk}")


# Sources ---------------------------------------------------------------------------------------


class SourceQuerySet(models.QuerySet):
    def cited_by_published(self):
        """Sources that a published entry cites: those of drafts are not public yet."""
        return self.filter(
            Q(articles__country__is_published=True)
            | Q(blocked_sites__country__is_published=True)
            | Q(metrics__country__is_published=True)
        ).distinct()


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


@reversion.register()
class Source(models.Model):
    """Where a fact comes from: a body (ITU), a law, a report. Shared by all countries."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty when the source gives no link; never guess one."),
    )

    objects = SourceManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=web_link("url"),
                name="source_url_is_web_link",
                violation_error_code="invalid_url",
                violation_error_message=_("A link starts with http:// or https://."),
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


# Countries -------------------------------------------------------------------------------------


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
            .annotate(blocked_site_count=Count("blocked_sites", distinct=True))
            .order_by(*self.model._meta.ordering)
        )

    def with_page_data(self):
        """Everything a country page shows, in a fixed number of queries."""
        return self.prefetch_related(*page_data_lookups())


def page_data_lookups():
    return (
        Prefetch("articles", ConstitutionalArticle.objects.select_related("source")),
        Prefetch("blocked_sites", BlockedSite.objects.select_related("source")),
        Prefetch("metrics", Metric.objects.select_related("source")),
        "isps",
    )


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, iso_code):
        return self.get(iso_code=iso_code)


# Publication and review are workflow state, not content: reverting the text must not
# unpublish or un-review an entry, so revisions leave them out (see history.workflow_kept).
WORKFLOW_FIELDS = ("is_published", "last_reviewed", "reviewed_by")


# One admin save of an entry is one revision: the country with all its rows.
@reversion.register(
    follow=["articles", "blocked_sites", "metrics", "isps"],
    exclude=WORKFLOW_FIELDS,
)
class Country(ChoiceLabelsMixin, models.Model):
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
    # editor's save can tell (see admin.CountryForm).
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

    def sections(self):
        from .sections import build_sections

        return build_sections(self)

    def summary_line(self):
        from .sections import first_sentence

        return first_sentence(self.summary)

    def latest_metrics(self):
        """The most recent metric of each kind."""
        latest = {}
        for metric in sorted(self.metrics.all(), key=lambda m: m.year):
            latest[metric.kind] = metric
        return [latest[kind] for kind in MetricKind if kind in latest]

    def state_owned_isps(self):
        return [isp for isp in self.isps.all() if isp.state_owned]

    def sources(self):
        """Every source the entry's rows cite, by name (rows should be prefetched)."""
        rows = [*self.articles.all(), *self.blocked_sites.all(), *self.metrics.all()]
        found = {row.source.pk: row.source for row in rows if row.source_id}
        return sorted(found.values(), key=lambda source: source.name)

    def metric_charts(self):
        from .charts import metric_charts

        return metric_charts(self)

    def public_changes(self, limit=20):
        """When the entry changed and what changed, for readers; never who changed it."""
        return self.revision_states.public()[:limit]


# The rows an entry owns --------------------------------------------------------------------------


class CountryRowManager(models.Manager):
    """Natural keys of rows that belong to a country: the country's ISO code, then the row's."""

    natural_fields = ()

    def get_by_natural_key(self, iso_code, *values):
        lookups = dict(zip(self.natural_fields, values, strict=True))
        return self.get(country__iso_code=iso_code, **lookups)

    def published(self):
        """Rows of published entries, with their country and source."""
        return self.filter(country__is_published=True).select_related("country", "source")


class ArticleManager(CountryRowManager):
    natural_fields = ("number",)


@reversion.register()
class ConstitutionalArticle(NotesMixin, ChoiceLabelsMixin, models.Model):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="articles", verbose_name=_("country")
    )
    number = models.CharField(
        _("article"), max_length=20, help_text=_("As the constitution writes it, e.g. 20.")
    )
    topic = models.CharField(_("quoted for"), max_length=20, choices=Topic.choices)
    clauses = ClauseListField(
        _("clauses"),
        default=list,
        help_text=_("One clause per line, in the constitution's order; they are numbered 1, 2, …"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("source"),
    )
    translation_note = models.CharField(
        _("translation"),
        max_length=200,
        blank=True,
        help_text=_("Which text is quoted, e.g. “English text”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    notes = markdown_field(_("notes"))

    objects = ArticleManager()

    class Meta:
        ordering = ["country", "order", "number"]
        verbose_name = _("constitutional article")
        verbose_name_plural = _("constitutional articles")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "number"],
                name="article_unique_number_per_country",
                violation_error_code="unique",
                violation_error_message=_("This country already has an article with this number."),
            ),
            models.CheckConstraint(condition=one_of("topic", Topic), name="article_topic_valid"),
            models.CheckConstraint(condition=~Q(number=""), name="article_number_not_empty"),
            markdown_length_constraint("article", "notes"),
        ]

    def __str__(self):
        return _("%(country)s, Article %(number)s") % {
            "country": self.country,
            "number": self.number,
        }

    def natural_key(self):
        return (*self.country.natural_key(), self.number)

    natural_key.dependencies = ["countries.country", "countries.source"]

    def numbered_clauses(self):
        return list(enumerate(self.clauses, start=1))


class BlockedSiteManager(CountryRowManager):
    natural_fields = ("name",)


@reversion.register()
class BlockedSite(NotesMixin, ChoiceLabelsMixin, models.Model):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="blocked_sites", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.CharField(
        _("URL or domain"),
        max_length=500,
        blank=True,
        validators=[validate_url_or_domain],
        help_text=_("Leave empty where there is none (e.g. “blogs” in general)."),
    )
    action = models.CharField(_("what was done"), max_length=30, choices=Action.choices)
    category = models.CharField(
        _("category"),
        max_length=5,
        choices=Category.choices,
        blank=True,
        help_text=_("Citizen Lab test-list category."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.REPORTED
    )
    since_year = models.PositiveSmallIntegerField(
        _("since (year)"), null=True, blank=True, help_text=_("Empty if the source gives none.")
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blocked_sites",
        verbose_name=_("source"),
    )
    notes = markdown_field(_("notes"))

    objects = BlockedSiteManager()

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("blocked site")
        verbose_name_plural = _("blocked sites")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"],
                name="blocked_site_unique_name_per_country",
                violation_error_code="unique",
                violation_error_message=_("This country already lists a site with this name."),
            ),
            models.CheckConstraint(
                condition=one_of("action", Action), name="blocked_site_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(category="") | one_of("category", Category),
                name="blocked_site_category_valid",
            ),
            models.CheckConstraint(
                condition=one_of("status", SiteStatus), name="blocked_site_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(since_year__isnull=True)
                | Q(since_year__gte=EARLIEST_YEAR, since_year__lte=LATEST_YEAR),
                name="blocked_site_since_year_range",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="blocked_site_name_not_empty"),
            models.CheckConstraint(
                condition=web_link("url", or_domain=True),
                name="blocked_site_url_is_web_address",
                violation_error_code="invalid_url",
                violation_error_message=_(
                    "Enter a web address starting with http:// or https://, or a bare domain."
                ),
            ),
            # A name is part of an address (/blocked-sites/<name>/), and browsers resolve "." and
            # ".." out of addresses: "a/../b" would lead to the page of "b".
            models.CheckConstraint(
                condition=~Q(name__regex=DOT_SEGMENT),
                name="blocked_site_name_not_dots",
                violation_error_code="dots",
                violation_error_message=_(
                    "A site's name cannot have “.” or “..” on its own between slashes."
                ),
            ),
            markdown_length_constraint("blocked_site", "notes"),
        ]

    def __str__(self):
        return _("%(site)s in %(country)s") % {"site": self.name, "country": self.country}

    def natural_key(self):
        return (*self.country.natural_key(), self.name)

    natural_key.dependencies = ["countries.country", "countries.source"]

    def link(self):
        """The address to link to, or an empty string for a site with no address."""
        if not self.url or "://" in self.url:
            return self.url
        return f"https://{self.url}"


class MetricManager(CountryRowManager):
    natural_fields = ("kind", "year")


@reversion.register()
class Metric(NotesMixin, ChoiceLabelsMixin, models.Model):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("country")
    )
    kind = models.CharField(_("measure"), max_length=40, choices=MetricKind.choices)
    value = models.DecimalField(_("value"), max_digits=15, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="metrics",
        verbose_name=_("source"),
    )
    notes = markdown_field(_("notes"))

    objects = MetricManager()

    class Meta:
        ordering = ["country", "kind", "-year"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "year"],
                name="metric_unique_kind_year_per_country",
                violation_error_code="unique",
                violation_error_message=_("This country already has this measure for this year."),
            ),
            models.CheckConstraint(condition=one_of("kind", MetricKind), name="metric_kind_valid"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="metric_value_not_negative",
                violation_error_code="negative",
                violation_error_message=_("A metric cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PERCENTAGE_KINDS) | Q(value__lte=100),
                name="metric_percentage_at_most_100",
                violation_error_code="percentage_out_of_range",
                violation_error_message=_("A percentage lies between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PERCENTAGE_KINDS) | Q(value=Round("value")),
                name="metric_count_whole",
                violation_error_code="not_whole",
                violation_error_message=_("A count is a whole number."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=EARLIEST_YEAR, year__lte=LATEST_YEAR),
                name="metric_year_range",
                violation_error_code="year_out_of_range",
                violation_error_message=_("The year must lie between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            ),
            markdown_length_constraint("metric", "notes"),
        ]

    def __str__(self):
        return _("%(country)s: %(kind)s, %(year)s") % {
            "country": self.country,
            "kind": self.get_kind_display(),
            "year": self.year,
        }

    def natural_key(self):
        return (*self.country.natural_key(), self.kind, self.year)

    natural_key.dependencies = ["countries.country", "countries.source"]

    def clean(self):
        super().clean()
        if self.year and self.year > datetime.date.today().year:
            raise ValidationError(
                {
                    "year": ValidationError(
                        _("A metric cannot be from a future year."), code="future_year"
                    )
                }
            )

    @property
    def unit(self):
        return MetricKind(self.kind).unit

    def formatted_value(self):
        return format_metric_value(self.value, self.is_percentage)

    @property
    def is_percentage(self):
        return MetricKind(self.kind).is_percentage


class IspManager(CountryRowManager):
    natural_fields = ("name",)

    def published(self):
        return self.filter(country__is_published=True).select_related("country")


@reversion.register()
class Isp(models.Model):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="isps", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=200)
    state_owned = models.BooleanField(_("state-owned"), default=False)

    objects = IspManager()

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("ISP")
        verbose_name_plural = _("ISPs")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"],
                name="isp_unique_name_per_country",
                violation_error_code="unique",
                violation_error_message=_("This country already lists an ISP with this name."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="isp_name_not_empty"),
        ]

    def __str__(self):
        return _("%(isp)s (%(country)s)") % {"isp": self.name, "country": self.country}

    def natural_key(self):
        return (*self.country.natural_key(), self.name)

    natural_key.dependencies = ["countries.country"]


# What readers see of an entry's history ----------------------------------------------------------


class EntryRevisionQuerySet(models.QuerySet):
    def public(self):
        """States readers saw that changed something for them, newest first."""
        return self.filter(published=True).exclude(changes=[]).order_by("-date", "-pk")


class EntryRevision(models.Model):
    """One revision (django-reversion) of an entry as readers knew it.

    Recorded when the revision is saved (countries.history.record_entry_states): whether the
    entry was published then, and what changed since its previous published state, in terms
    of fields and row names that were public before or after. Kept apart from the revision's
    comment, which names whoever saved and whatever rows a draft held.
    """

    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="entry_states"
    )
    # No database constraint: the history outlives a deleted entry, which may be recovered.
    country = models.ForeignKey(
        Country,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="revision_states",
    )
    date = models.DateTimeField()
    published = models.BooleanField()
    changes = models.JSONField(default=list, blank=True, encoder=ReadableJSONEncoder)

    objects = EntryRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("entry revision")
        verbose_name_plural = _("entry revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "country"], name="entry_revision_one_per_entry"
            )
        ]

    def __str__(self):
        return self.description()

    def description(self):
        """The change in a sentence or a few, for the public list and the feeds."""
        sentences = []
        for change in self.changes:
            kind = change.get("kind")
            if kind == "first_published":
                sentences.append(gettext("First published."))
            elif kind == "updated":
                sentences.append(gettext("Updated."))
            elif kind == "fields":
                labels = [_field_label(name) for name in change["fields"]]
                sentences.append(gettext("Changed: %(fields)s.") % {"fields": ", ".join(labels)})
            elif kind == "rows":
                sentences.append(_rows_sentence(change))
        return " ".join(sentences)


def _field_label(name):
    try:
        return str(Country._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


ROW_OUTCOMES = {
    "added": _("%(rows)s added: %(names)s."),
    "removed": _("%(rows)s removed: %(names)s."),
    "changed": _("%(rows)s changed: %(names)s."),
}


def _rows_sentence(change):
    try:
        model = apps.get_model("countries", change["model"])
        rows = str(model._meta.verbose_name_plural).capitalize()
    except LookupError:
        rows = change["model"]
    names = ", ".join(f"“{name}”" for name in change["names"])
    return str(ROW_OUTCOMES[change["outcome"]]) % {"rows": rows, "names": names}


# The content version ------------------------------------------------------------------------------


class ContentVersion(models.Model):
    """One row: the site's content version, moved by every change to content (countries.cache).

    In the database rather than in the cache, so that it moves in the same transaction as the
    change, can never be evicted, and is right even when Redis comes back from an outage
    holding old keys: a page is only ever served for the version read here.
    """

    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.value)
