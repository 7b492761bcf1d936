"""What the models share: limits, constraint builders, and helpers for labels and figures."""

import datetime
import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES as ISO_3166_COUNTRIES

from ..fields import MarkdownField
from ..markdown import render_markdown

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


def review_cutoff():
    return datetime.date.today() - datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def review_interval_months():
    """REVIEW_INTERVAL_DAYS in whole months, for what editors read ("not reviewed for 12
    months"): labels say what the setting says."""
    return round(settings.REVIEW_INTERVAL_DAYS * 12 / 365)


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
        html = render_markdown(self.notes, f"notes_{self._meta.model_name}_{self.pk}")
        if self.falls_back("notes"):  # not yet translated: the English, marked as such
            return format_html(
                '<div lang="{}" class="in-english">{}</div>', self.language_of("notes"), html
            )
        return html
