"""The country change page: the whole entry, its rows as inlines, publishing, review, history."""

import datetime

import reversion
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from ..editor.preview import render_unsaved_preview
from ..history import keep_workflow_state, workflow_kept
from ..models import (
    WORKFLOW_FIELDS,
    BlockedSite,
    Country,
    Metric,
    oldest_current_metric_year,
    review_cutoff,
    review_interval_months,
)
from ..opendata.export import fixtures_zip
from ..sections import SECTIONS
from .common import MarkdownAdminMixin
from .conflicts import NoLostUpdatesMixin
from .inlines import ArticleInline, IspInline, MetricInline
from .translations import LanguageTabsMixin, TranslationGapFilter
from .workflow import CountryForm, MetricsAgeFilter, ReviewFilter

# The country --------------------------------------------------------------------------------------


ENTRY_FIELDSET = _("Entry")  # the prose; the sites' panel follows it on the page

BUTTON_NOTES = {
    "_publish": _("Published"),
    "_unpublish": _("Unpublished"),
    "_mark_reviewed": _("Marked as reviewed"),
}


def zip_download(data, filename):
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Country)
class CountryAdmin(
    NoLostUpdatesMixin,
    LanguageTabsMixin,
    MarkdownAdminMixin,
    TranslationAdmin,
    CompareVersionAdmin,
):
    form = CountryForm
    change_form_template = "admin/countries/country/change_form.html"
    change_list_template = "admin/countries/country/change_list.html"
    # Short headings, so that every column fits a 1280 px screen.
    list_display = [
        "name",
        "iso",
        "region",
        "is_published",
        "net_neutrality_protection",
        "safe_harbor",
        "blocked_site_count",
        "reviewed_recently",
        "figures_current",
        "updated",
    ]
    list_filter = [
        "is_published",
        ReviewFilter,
        MetricsAgeFilter,
        "region",
        "net_neutrality_status",
        "isp_safe_harbor_status",
        TranslationGapFilter,
    ]
    search_fields = ["name", "slug", "iso_code", "blocked_sites__name", "blocked_sites__url"]
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["is_published", "reviewed_by", "updated_at"]
    fieldsets = [
        (None, {"fields": [("name", "slug"), ("iso_code", "region"), "is_published"]}),
        (
            _("Key facts"),
            {"fields": [("net_neutrality_status", "isp_safe_harbor_status"), "isp_count"]},
        ),
        (
            ENTRY_FIELDSET,
            {
                "fields": [spec.field for spec in SECTIONS],
                "description": _(
                    "Markdown, previewed as you type. Quoted articles go where you write "
                    "[[Article 20]] as a paragraph of its own."
                ),
            },
        ),
        (
            _("Review"),
            {"fields": [("last_reviewed", "reviewed_by"), "updated_at", "loaded_version"]},
        ),
    ]
    # Blocked sites, which an entry may have thousands of, have a list of their own (sites.py);
    # the page shows how many there are and links to it.
    inlines = [ArticleInline, MetricInline, IspInline]
    # The history's comparison shows content: not the workflow state revisions leave out, nor
    # the version stamp every save moves.
    compare_exclude = [*WORKFLOW_FIELDS, "updated_at", "revision_states"]

    class Media:
        js = ["countries/admin-entry.js", "countries/admin-languages.js"]

    actions = ["publish", "unpublish", "mark_reviewed", "export_as_fixtures"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_review_permission(request):
            readonly.append("last_reviewed")  # a review is recorded only by who may review
        return readonly

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            # The list's columns, as subqueries: joining every site with every figure would
            # cost as much as the entries have sites times figures.
            sites = BlockedSite.objects.filter(country=OuterRef("pk")).order_by()
            years = Metric.objects.filter(country=OuterRef("pk")).order_by("-year")
            queryset = queryset.annotate(
                _blocked_site_count=Coalesce(
                    Subquery(sites.values("country").annotate(n=Count("pk")).values("n")), 0
                ),
                _latest_metric_year=Subquery(years.values("year")[:1]),
            )
        return queryset

    # List columns

    @admin.display(description=_("ISO"), ordering="iso_code")
    def iso(self, country):
        return country.iso_code.code

    @admin.display(description=_("net neutrality"), ordering="net_neutrality_status")
    def net_neutrality_protection(self, country):
        return country.get_net_neutrality_status_display()

    @admin.display(description=_("safe harbor"), ordering="isp_safe_harbor_status")
    def safe_harbor(self, country):
        return country.get_isp_safe_harbor_status_display()

    @admin.display(description=_("sites"), ordering="_blocked_site_count")
    def blocked_site_count(self, country):
        return country._blocked_site_count

    @admin.display(description=_("reviewed"), boolean=True, ordering="last_reviewed")
    def reviewed_recently(self, country):
        """Reviewed within REVIEW_INTERVAL_DAYS (the list's review filter says the same)."""
        return country.last_reviewed is not None and country.last_reviewed >= review_cutoff()

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, country):
        return localize(localtime(country.updated_at).date())

    @admin.display(description=_("figures current"), boolean=True)
    def figures_current(self, country):
        year = country._latest_metric_year
        return year is not None and year >= oldest_current_metric_year()

    # Permissions

    def has_publish_permission(self, request):
        return request.user.has_perm("countries.publish_country")

    def has_review_permission(self, request):
        return request.user.has_perm("countries.review_country")

    # Publishing and review: actions on the list, buttons on the form

    def _change_each(self, request, queryset, comment, **values):
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            for country in queryset:
                for name, value in values.items():
                    setattr(country, name, value)
                country.save()
                self.log_change(request, country, comment)
        return len(queryset)

    @admin.action(description=_("Publish selected entries"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self._change_each(request, queryset, "Published.", is_published=True)
        self.message_user(
            request, ngettext("%d entry published.", "%d entries published.", count) % count
        )

    @admin.action(
        description=_("Unpublish selected entries (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        count = self._change_each(request, queryset, "Unpublished.", is_published=False)
        self.message_user(
            request, ngettext("%d entry unpublished.", "%d entries unpublished.", count) % count
        )

    @admin.action(description=_("Mark selected entries as reviewed today"), permissions=["review"])
    def mark_reviewed(self, request, queryset):
        count = self._change_each(
            request,
            queryset,
            "Marked as reviewed.",
            last_reviewed=datetime.date.today(),
            reviewed_by=request.user,
        )
        self.message_user(
            request,
            ngettext("%d entry marked as reviewed.", "%d entries marked as reviewed.", count)
            % count,
        )

    @admin.action(description=_("Export selected countries as fixtures"))
    def export_as_fixtures(self, request, queryset):
        slugs = sorted(queryset.values_list("slug", flat=True))
        return zip_download(fixtures_zip(slugs), "netfree-fixtures-selected.zip")

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting restores content; whether the entry is published or reviewed stays as it is.
        with workflow_kept(object_id):
            return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        country = super().get_object(request, object_id, from_field)
        return keep_workflow_state(country) if country is not None else None

    def save_model(self, request, obj, form, change):
        if "_publish" in request.POST or "_unpublish" in request.POST:
            if not self.has_publish_permission(request):
                raise PermissionDenied
            obj.is_published = "_publish" in request.POST
        if "_mark_reviewed" in request.POST:
            if not self.has_review_permission(request):
                raise PermissionDenied
            obj.last_reviewed, obj.reviewed_by = datetime.date.today(), request.user
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        for button, note in BUTTON_NOTES.items():
            if button in request.POST:
                message.append({"changed": {"fields": [str(note)]}})
        return message

    # What a save did, in the editor's terms

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.message_user(request, self.saved_state(request, obj))
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if request.resolver_match.url_name == "countries_country_revision":
            version = get_object_or_404(Version, pk=request.resolver_match.args[1])
            self.message_user(
                request,
                _("Reverted to the version saved on %(date)s.")
                % {"date": localize(localtime(version.revision.date_created))},
            )
        self.message_user(request, self.saved_state(request, obj))
        return response

    @staticmethod
    def saved_state(request, obj):
        if "_publish" in request.POST:
            return _("Published: readers see this version now.")
        if "_unpublish" in request.POST:
            return _("Unpublished: the entry is a draft again, and readers no longer see it.")
        if obj.is_published:
            return _("Readers see this version now.")
        return _("Saved as a draft: readers do not see it until it is published.")

    # The form page

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            review_months=review_interval_months(),
            can_publish=self.has_publish_permission(request),
            can_review=self.has_review_permission(request),
            preview_action=reverse("admin:countries_country_preview_unsaved", args=[obj.pk])
            if obj
            else reverse("admin:countries_country_preview_new"),
            sites=obj.site_review_counts() if obj else None,
            sites_after_fieldset=1
            + [name for name, _options in self.fieldsets].index(ENTRY_FIELDSET),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_view_on_site_url(self, obj=None):
        if obj is None or obj.pk is None:
            return None
        return obj.get_absolute_url() if obj.is_published else obj.get_preview_url()

    # Extra pages: downloads and the preview of unsaved changes

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "fixtures.zip", view(self.download_all_fixtures), name="countries_country_fixtures"
            ),
            path("preview/", view(self.preview_unsaved), name="countries_country_preview_new"),
            path(
                "<path:object_id>/preview/",
                view(self.preview_unsaved),
                name="countries_country_preview_unsaved",
            ),
            *super().get_urls(),
        ]

    def download_all_fixtures(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return zip_download(fixtures_zip(), "netfree-fixtures.zip")

    def preview_unsaved(self, request, object_id=None):
        """The public page as the form on screen would make it; nothing is saved."""
        obj = get_object_or_404(Country, pk=object_id) if object_id else None
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(
                obj.get_preview_url() if obj else reverse("admin:countries_country_add")
            )
        form, formsets, _inlines = self.bound_forms(request, obj, request.POST)
        valid = all([form.is_valid(), *(formset.is_valid() for formset in formsets)])
        if not valid:
            errors = [
                form.errors,
                *(fs.non_form_errors() for fs in formsets),
                *(f.errors for fs in formsets for f in fs.forms if f.errors),
            ]
            return TemplateResponse(
                request,
                "admin/countries/country/preview_errors.html",
                {"errors": errors, **self.admin_site.each_context(request)},
            )
        return render_unsaved_preview(request, form, formsets)
