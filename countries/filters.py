"""The filters readers and re-users choose, in one place (django-filter): the home page's table,
the blocked-site list and the API filter through these.

Unknown values are ignored here: a page shows everything rather than an error, and the API
refuses them before they get here (its parameters are typed, countries.api.params).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Action, Category, MetricKind, Protection, Region, SiteStatus
from .models import BlockedSite, Country, Metric

YES_NO = [("yes", _("Quoted")), ("no", _("Not recorded"))]


class CountryFilter(django_filters.FilterSet):
    """Entries (annotated by `with_list_data()`) by region, protections and quoted articles."""

    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    net_neutrality = django_filters.ChoiceFilter(
        label=_("Net neutrality"), field_name="net_neutrality_status", choices=Protection.choices
    )
    isp_safe_harbor = django_filters.ChoiceFilter(
        label=_("ISP safe harbor"), field_name="isp_safe_harbor_status", choices=Protection.choices
    )
    speech = django_filters.ChoiceFilter(
        label=_("Constitution: speech"),
        field_name="quotes_speech",
        choices=YES_NO,
        method="filter_quoted",
    )
    privacy = django_filters.ChoiceFilter(
        label=_("Constitution: privacy"),
        field_name="quotes_privacy",
        choices=YES_NO,
        method="filter_quoted",
    )
    q = django_filters.CharFilter(label=_("Part of the name"), method="filter_name")

    class Meta:
        model = Country
        fields = []

    def filter_quoted(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class SiteFilter(django_filters.FilterSet):
    """Blocked sites by category, what was done, status, country and part of the name or URL."""

    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    action = django_filters.ChoiceFilter(label=_("What was done"), choices=Action.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SiteStatus.choices)
    country = django_filters.CharFilter(label=_("Country"), method="filter_country")
    q = django_filters.CharFilter(label=_("Part of the name or the URL"), method="filter_text")

    class Meta:
        model = BlockedSite
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__iso_code=value.upper())

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(url__icontains=value))


class MetricFilter(django_filters.FilterSet):
    """Figures by country, kind and years."""

    country = django_filters.CharFilter(label=_("Country"), method="filter_country")
    kind = django_filters.ChoiceFilter(label=_("Measure"), choices=MetricKind.choices)
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte")
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = Metric
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__iso_code=value.upper())


def chosen(filterset):
    """The filters a query string sets to a valid value, by name: nothing else."""
    form = filterset.form
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in ("", None)}
