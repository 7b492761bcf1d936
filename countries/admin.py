"""The editors' home: a country's whole entry on one change page, with its rows as inlines."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .export import fixtures_zip
from .models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source
from .sections import SECTIONS


class MarkdownAdminMixin:
    """Every Markdown field gets the markdownx editor with live preview."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    class Media:
        js = ["countries/admin-markdown.js"]


# Inlines on the country page -------------------------------------------------------------------


class ArticleInline(MarkdownAdminMixin, admin.StackedInline):
    model = ConstitutionalArticle
    extra = 0
    fields = [("number", "topic", "order"), "clauses", ("source", "translation_note"), "notes"]
    autocomplete_fields = ["source"]


class BlockedSiteInline(MarkdownAdminMixin, admin.StackedInline):
    model = BlockedSite
    extra = 0
    fields = [
        ("name", "url"),
        ("action", "category", "status", "since_year"),
        "source",
        "notes",
    ]
    autocomplete_fields = ["source"]


class MetricInline(MarkdownAdminMixin, admin.TabularInline):
    model = Metric
    extra = 0
    fields = ["kind", "value", "year", "source", "notes"]
    autocomplete_fields = ["source"]


class IspFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        isp_count = getattr(self.instance, "isp_count", None)
        named = sum(
            1
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        )
        if isp_count is not None and named > isp_count:
            raise ValidationError(
                _("%(named)s ISPs are named but the number of ISPs is %(count)s."),
                code="isp_count_too_small",
                params={"named": named, "count": isp_count},
            )


class IspInline(admin.TabularInline):
    model = Isp
    formset = IspFormSet
    extra = 0
    fields = ["name", "state_owned"]


def zip_download(data, filename):
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Country ----------------------------------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(MarkdownAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "iso_code",
        "region",
        "net_neutrality_status",
        "isp_safe_harbor_status",
        "blocked_site_count",
        "last_reviewed",
        "updated_at",
    ]
    list_filter = ["region", "net_neutrality_status", "isp_safe_harbor_status", "last_reviewed"]
    search_fields = ["name", "slug", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": [("name", "slug"), ("iso_code", "region"), "last_reviewed"]}),
        (
            _("Key facts"),
            {"fields": [("net_neutrality_status", "isp_safe_harbor_status"), "isp_count"]},
        ),
        (
            _("Entry"),
            {
                "fields": [spec.field for spec in SECTIONS],
                "description": _(
                    "Markdown, previewed as you type. Quoted articles go where you write "
                    "[[Article 20]] as a paragraph of its own."
                ),
            },
        ),
    ]
    inlines = [ArticleInline, BlockedSiteInline, MetricInline, IspInline]
    actions = ["export_as_fixtures"]

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_all_fixtures)
        return [
            path("fixtures.zip", download, name="countries_country_fixtures"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Export selected countries as fixtures"))
    def export_as_fixtures(self, request, queryset):
        slugs = sorted(queryset.values_list("slug", flat=True))
        return zip_download(fixtures_zip(slugs), "netfree-fixtures-selected.zip")

    def download_all_fixtures(self, request):
        return zip_download(fixtures_zip(), "netfree-fixtures.zip")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_blocked_site_count=Count("blocked_sites"))

    @admin.display(description=_("blocked sites"), ordering="_blocked_site_count")
    def blocked_site_count(self, country):
        return country._blocked_site_count


# The rows, also editable across countries ---------------------------------------------------------


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CountryRowAdmin(MarkdownAdminMixin, admin.ModelAdmin):
    autocomplete_fields = ["country", "source"]
    list_select_related = ["country", "source"]
    list_filter = ["country__region"]


@admin.register(ConstitutionalArticle)
class ConstitutionalArticleAdmin(CountryRowAdmin):
    list_display = ["__str__", "topic", "translation_note", "source"]
    list_filter = ["topic", *CountryRowAdmin.list_filter]
    search_fields = ["country__name", "number", "clauses"]


@admin.register(BlockedSite)
class BlockedSiteAdmin(CountryRowAdmin):
    list_display = ["name", "country", "url", "action", "category", "status", "since_year"]
    list_filter = ["action", "status", "category", *CountryRowAdmin.list_filter]
    search_fields = ["name", "url", "country__name"]


@admin.register(Metric)
class MetricAdmin(CountryRowAdmin):
    list_display = ["country", "kind", "value", "year", "source"]
    list_filter = ["kind", "year", *CountryRowAdmin.list_filter]
    search_fields = ["country__name", "source__name"]


@admin.register(Isp)
class IspAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "state_owned"]
    list_filter = ["state_owned", "country__region"]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
