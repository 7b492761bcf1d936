"""The country form's workflow parts: the version it carries, and the review filters."""

import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..choices import REGION_OF_COUNTRY
from ..fields import version_token
from ..models import Country, review_interval_months


class CountryForm(forms.ModelForm):
    """The country's form: it carries the entry's version from when it was opened (the check
    against it is admin.conflicts.NoLostUpdatesMixin's), and suggests a region."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = version_token(self.instance.updated_at)
        if "region" in self.fields:  # suggested from the ISO code (countries/admin-entry.js)
            self.fields["region"].widget.attrs["data-region-of-country"] = json.dumps(
                REGION_OF_COUNTRY, separators=(",", ":")
            )


# Review ------------------------------------------------------------------------------------------


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        months = review_interval_months()
        stale = ngettext(
            "Not reviewed for %(months)d month", "Not reviewed for %(months)d months", months
        ) % {"months": months}
        return [("stale", stale), ("current", _("Reviewed recently"))]

    def queryset(self, request, queryset):
        stale = Country.objects.stale().values("pk")
        if self.value() == "stale":
            return queryset.filter(pk__in=stale)
        if self.value() == "current":
            return queryset.exclude(pk__in=stale)
        return queryset


class MetricsAgeFilter(admin.SimpleListFilter):
    title = _("figures")
    parameter_name = "figures"

    def lookups(self, request, model_admin):
        years = settings.METRIC_MAX_AGE_YEARS
        outdated = ngettext(
            "Newest figure over %(years)d year old", "Newest figure over %(years)d years old", years
        ) % {"years": years}
        return [("outdated", outdated), ("current", _("Recent figures"))]

    def queryset(self, request, queryset):
        outdated = Country.objects.with_outdated_metrics().values("pk")
        if self.value() == "outdated":
            return queryset.filter(pk__in=outdated)
        if self.value() == "current":
            return queryset.exclude(pk__in=outdated)
        return queryset
