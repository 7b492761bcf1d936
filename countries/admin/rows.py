"""The rows of entries on their own pages, for work across countries (all figures of a year…).

Blocked sites, which an entry may have thousands of, have a list of their own (sites.py).
"""

import reversion
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion_compare.admin import CompareVersionAdmin

from ..cache import content_changed
from ..fields import next_version_stamp
from ..models import ROWS_LISTED_APART, ConstitutionalArticle, Country, Isp, Metric, Source
from .common import MarkdownAdminMixin, SourceLabelsMixin


@admin.register(Source)
class SourceAdmin(TranslationAdmin, CompareVersionAdmin):
    list_display = ["name", "url"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CountryRowAdmin(SourceLabelsMixin, MarkdownAdminMixin, CompareVersionAdmin):
    autocomplete_fields = ["country", "source"]
    list_select_related = ["country", "source"]
    list_filter = ["country__region"]

    # A row edited here changes its entry: the entry's version moves on, so an editor with the
    # entry open elsewhere is told before overwriting it (see workflow.CountryForm), and the
    # entry's history holds the new state, as if the row had been edited on the entry's page.
    # Rows listed apart (sites) are not on that page: they have a history of their own.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touch_country(obj.country_id)
        if reversion.is_active() and self.model not in ROWS_LISTED_APART:
            reversion.add_to_revision(Country.objects.get(pk=obj.country_id))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        touch_country(obj.country_id)

    def delete_queryset(self, request, queryset):
        countries = set(queryset.values_list("country_id", flat=True))
        super().delete_queryset(request, queryset)
        for country_id in countries:
            touch_country(country_id)


def touch_country(country_id):
    Country.objects.filter(pk=country_id).update(updated_at=next_version_stamp())
    content_changed()  # update() sends no signal


@admin.register(ConstitutionalArticle)
class ConstitutionalArticleAdmin(CountryRowAdmin, TranslationAdmin):
    list_display = ["__str__", "topic", "translation_note", "source"]
    list_filter = ["topic", *CountryRowAdmin.list_filter]
    search_fields = ["country__name", "number", "clauses"]


@admin.register(Metric)
class MetricAdmin(CountryRowAdmin, TranslationAdmin):
    list_display = ["country", "kind", "figure", "year", "source"]
    list_filter = ["kind", "year", *CountryRowAdmin.list_filter]
    search_fields = ["country__name", "source__name"]

    @admin.display(description=_("value"), ordering="value")
    def figure(self, metric):
        return metric.formatted_value()


@admin.register(Isp)
class IspAdmin(CountryRowAdmin):
    list_display = ["name", "country", "state_owned"]
    list_filter = ["state_owned", *CountryRowAdmin.list_filter]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
