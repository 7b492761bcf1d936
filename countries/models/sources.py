"""Where a fact comes from, shared by all countries."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import Licence, Review
from .base import one_of, web_link
from .translated import Translated


class SourceQuerySet(models.QuerySet):
    def cited_by_published(self):
        """Sources that a published entry's public rows cite: those of drafts and of candidate
        sites are not public yet."""
        return self.filter(
            Q(articles__country__is_published=True)
            | Q(blocked_sites__country__is_published=True, blocked_sites__review=Review.CONFIRMED)
            | Q(metrics__country__is_published=True)
        ).distinct()

    def cited_by_sites_of(self, country):
        """Sources that the country's public sites cite."""
        return self.filter(
            blocked_sites__country=country, blocked_sites__review=Review.CONFIRMED
        ).distinct()


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Source(Translated):
    """Where a fact comes from: a body (ITU), a law, a report. Shared by all countries."""

    NATURAL_KEY = ("name",)

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty when the source gives no link; never guess one."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=20,
        choices=Licence.choices,
        blank=True,
        help_text=_("The licence the source publishes its data under, where it says."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("How the source asks to be credited, e.g. “Citizen Lab, test-lists”."),
    )

    shown_name = models.CharField(
        _("name shown to readers"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only where readers should see another name than the one above, e.g. the title "
            "of a law in Russian; empty, the name above is shown."
        ),
    )

    objects = SourceManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(licence="") | one_of("licence", Licence),
                name="source_licence_valid",
            ),
            models.CheckConstraint(
                condition=web_link("url"),
                name="source_url_is_web_link",
                violation_error_code="invalid_url",
                violation_error_message=_("A link starts with http:// or https://."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """The name readers see: the shown name in their language (or English), else the name."""
        return self.shown_name or self.name

    def natural_key(self):
        return (self.name,)
