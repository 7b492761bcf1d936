"""The rows an entry owns: quoted articles, blocked sites, figures, ISPs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from ..choices import PERCENTAGE_KINDS, Action, Category, MetricKind, Review, SiteStatus, Topic
from ..fields import ClauseListField
from ..validators import validate_url_or_domain
from .base import (
    DOT_SEGMENT,
    EARLIEST_YEAR,
    LATEST_YEAR,
    ChoiceLabelsMixin,
    NotesMixin,
    format_metric_value,
    markdown_field,
    markdown_length_constraint,
    one_of,
    web_link,
)
from .sources import Source
from .translated import Translated


class EntryRowQuerySet(models.QuerySet):
    def public(self):
        """The rows readers may see, once their entry is published (all, but for sites)."""
        return self

    def published(self):
        """Public rows of published entries, with their country (and source, if any)."""
        related = ["country", *(["source"] if has_source(self.model) else [])]
        return self.filter(country__is_published=True).public().select_related(*related)


class EntryRowManager(models.Manager.from_queryset(EntryRowQuerySet)):
    def get_by_natural_key(self, iso_code, *values):
        lookups = dict(zip(self.model.NATURAL_KEY, values, strict=True))
        return self.get(country__iso_code=iso_code, **lookups)


class EntryRow(models.Model):
    """What every row an entry owns shares: a natural key made of its country's (the ISO code)
    and its own fields, NATURAL_KEY."""

    NATURAL_KEY = ()

    objects = EntryRowManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (*self.country.natural_key(), *(getattr(self, name) for name in self.NATURAL_KEY))

    natural_key.dependencies = ["countries.country", "countries.source"]


def has_source(model):
    return any(field.name == "source" for field in model._meta.concrete_fields)


class ConstitutionalArticle(NotesMixin, ChoiceLabelsMixin, Translated, EntryRow):
    NATURAL_KEY = ("number",)

    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        related_name="articles",
        verbose_name=_("country"),
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

    @property
    def quote_language(self):
        return self.language_of("clauses")

    @property
    def quote_falls_back(self):
        return self.falls_back("clauses")

    def numbered_clauses(self):
        return list(enumerate(self.clauses, start=1))


class BlockedSiteQuerySet(EntryRowQuerySet):
    def public(self):
        """Confirmed sites only: a candidate from a test list is a URL to test, not a finding."""
        return self.filter(review=Review.CONFIRMED)


class BlockedSiteManager(EntryRowManager.from_queryset(BlockedSiteQuerySet)):
    pass


class BlockedSite(NotesMixin, ChoiceLabelsMixin, Translated, EntryRow):
    NATURAL_KEY = ("name",)
    # Refreshed by `check_ooni`, never edited: left out of fixtures, kept by imports.
    MEASURED_FIELDS = ("ooni_checked_on", "ooni_measurements", "ooni_anomalies", "ooni_confirmed")
    # The editors' working data, never in what readers see or download: the triage, the test
    # list's own words (its licence is CC BY-NC-SA) and OONI's counts (readers get a link).
    EDITORS_ONLY_FIELDS = (
        "review",
        "test_list_date",
        "test_list_source",
        "test_list_notes",
        "reports_blocking",
        "left_test_list_on",
        *MEASURED_FIELDS,
    )

    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        related_name="blocked_sites",
        verbose_name=_("country"),
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.CharField(
        _("URL or domain"),
        max_length=500,
        blank=True,
        validators=[validate_url_or_domain],
        help_text=_("Leave empty where there is none (e.g. “blogs” in general)."),
    )
    action = models.CharField(
        _("what was done"),
        max_length=30,
        choices=Action.choices,
        blank=True,
        help_text=_("Empty only for a candidate nobody has triaged yet."),
    )
    category = models.CharField(
        _("category"),
        max_length=5,
        choices=Category.choices,
        blank=True,
        help_text=_("Citizen Lab test-list category."),
    )
    review = models.CharField(
        _("review"),
        max_length=10,
        choices=Review.choices,
        default=Review.CONFIRMED,
        help_text=_(
            "Candidates (imported from a test list) are not public until an editor confirms "
            "them as blocked or throttled, with a source."
        ),
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

    # What the Citizen Lab test list says of it (countries.opendata.testlists).
    test_list_date = models.DateField(_("on the test list since"), null=True, blank=True)
    test_list_source = models.CharField(_("added to the test list by"), max_length=100, blank=True)
    test_list_notes = models.TextField(_("test list notes"), blank=True)
    reports_blocking = models.BooleanField(
        _("the list's notes report blocking"),
        default=False,
        help_text=_("Flagged for the editor to check; never taken as a confirmation."),
    )
    left_test_list_on = models.DateField(
        _("gone from the test list on"),
        null=True,
        blank=True,
        help_text=_("A later import of the list no longer held it."),
    )

    # OONI's measurements of it from the country (countries.opendata.ooni).
    ooni_checked_on = models.DateField(_("OONI checked on"), null=True, blank=True)
    ooni_measurements = models.PositiveIntegerField(_("OONI measurements"), null=True, blank=True)
    ooni_anomalies = models.PositiveIntegerField(_("OONI anomalies"), null=True, blank=True)
    ooni_confirmed = models.PositiveIntegerField(_("OONI confirmed blocks"), null=True, blank=True)

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
                condition=one_of("action", Action)
                | Q(action="", review__in=[Review.CANDIDATE, Review.DISMISSED]),
                name="blocked_site_action_valid",
                violation_error_code="action_required",
                violation_error_message=_("Say what was done to a site before confirming it."),
            ),
            models.CheckConstraint(
                condition=one_of("review", Review), name="blocked_site_review_valid"
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

    def link(self):
        """The address to link to, or an empty string for a site with no address."""
        if not self.url or "://" in self.url:
            return self.url
        return f"https://{self.url}"


class Metric(NotesMixin, ChoiceLabelsMixin, Translated, EntryRow):
    NATURAL_KEY = ("kind", "year")

    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        related_name="metrics",
        verbose_name=_("country"),
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


class Isp(EntryRow):
    NATURAL_KEY = ("name",)

    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        related_name="isps",
        verbose_name=_("country"),
    )
    name = models.CharField(_("name"), max_length=200)
    state_owned = models.BooleanField(_("state-owned"), default=False)

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


# An entry's shape, declared once: the kinds of rows an entry owns, in the order its page, its
# fixture file and its revisions list them. Everything else derives from this: revisions
# (models/__init__.py), fixtures, the importer, the history, the page's queries, the admin.
ENTRY_ROW_MODELS = (ConstitutionalArticle, BlockedSite, Metric, Isp)


def row_relation(model):
    """The name by which an entry reaches these rows: "articles", "blocked_sites"…"""
    return model._meta.get_field("country").remote_field.related_name


ENTRY_ROW_RELATIONS = {row_relation(model): model for model in ENTRY_ROW_MODELS}

# Rows an entry may have thousands of (a test list brings hundreds of sites): edited in a list of
# their own rather than on the entry's page, versioned row by row rather than with every save of
# the entry, and summarised on its public page (the first SITES_ON_ENTRY_PAGE, with a link to all).
ROWS_LISTED_APART = (BlockedSite,)
SITES_ON_ENTRY_PAGE = 50
INLINE_ROW_RELATIONS = {
    relation: model
    for relation, model in ENTRY_ROW_RELATIONS.items()
    if model not in ROWS_LISTED_APART
}
