"""An entry's blocked sites, edited where lists belong: a paginated, searchable, filterable
list with bulk actions and the common fields edited in place.

An entry may list thousands of sites (a Citizen Lab test list has hundreds per country): they
are not rows of the entry's change page, whose cost would grow with them, but this list,
opened from that page already filtered to the entry (`?country__id__exact=<pk>`). Candidates
imported from a test list are triaged here: confirmed (with what was done and a source),
dismissed, or corrected in place. Every bulk change is one revision of the sites (a site's
history is its own, not the entry's), and moves the entry's version and the page cache's
content version once.
"""

from functools import partial

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from ..cache import changes_batched
from ..choices import Action, Category, Review, SiteStatus
from ..history import record_rows_removed
from ..models import BlockedSite, Country, Source
from .ooni import OoniEvidenceFilter, ooni_evidence
from .rows import CountryRowAdmin, touch_country
from .testlists import import_test_list_view


class TestListFilter(admin.SimpleListFilter):
    title = _("test list")
    parameter_name = "test_list"

    def lookups(self, request, model_admin):
        return [
            ("flagged", _("notes report blocking")),
            ("listed", _("on the list")),
            ("gone", _("gone from the list")),
            ("not-listed", _("never on a list")),
        ]

    def queryset(self, request, queryset):
        choices = {
            "flagged": {"reports_blocking": True},
            "listed": {"test_list_date__isnull": False, "left_test_list_on__isnull": True},
            "gone": {"left_test_list_on__isnull": False},
            "not-listed": {"test_list_date__isnull": True},
        }
        return queryset.filter(**choices[self.value()]) if self.value() in choices else queryset


# Bulk changes that need a value first: a small form between choosing the action and applying it.


class ConfirmForm(forms.Form):
    # Not "action": the admin's own field of that name, on the same page, says which action.
    what_was_done = forms.ChoiceField(
        label=_("What was done"), choices=[("", "---------"), *Action.choices]
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        help_text=_("What shows that it is blocked or throttled: a report, a court order…"),
    )


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)


class SourceForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.all())


@admin.register(BlockedSite)
class BlockedSiteAdmin(CountryRowAdmin, TranslationAdmin):
    change_list_template = "admin/countries/blockedsite/change_list.html"
    list_display = [
        "name",
        "country",
        "review",
        "action",
        "category",
        "status",
        "since_year",
        "source",
        ooni_evidence,
    ]
    list_display_links = ["name"]
    list_editable = ["action", "category", "status", "since_year"]
    list_filter = [
        "review",
        TestListFilter,
        OoniEvidenceFilter,
        "action",
        "status",
        "category",
        ("country", admin.RelatedOnlyFieldListFilter),
        *CountryRowAdmin.list_filter,
    ]
    search_fields = ["name", "url", "country__name", "test_list_notes"]
    list_per_page = 100
    readonly_fields = [*BlockedSite.MEASURED_FIELDS, ooni_evidence]
    actions = [
        "confirm",
        "dismiss",
        "mark_ongoing",
        "mark_lifted",
        "mark_reported",
        "set_category",
        "set_source",
        "delete_selected",
    ]

    def get_list_display(self, request):
        listed = super().get_list_display(request)
        if "country__id__exact" in request.GET:  # one entry's sites: its name on every row is noise
            return [name for name in listed if name != "country"]
        return listed

    def changelist_view(self, request, extra_context=None):
        entry = request.GET.get("country__id__exact", "")
        country = Country.objects.filter(pk=entry).first() if entry.isdigit() else None
        return super().changelist_view(request, {"entry": country, **(extra_context or {})})

    def get_urls(self):
        view = self.admin_site.admin_view(partial(import_test_list_view, model_admin=self))
        return [
            path("import-test-list/", view, name="countries_blockedsite_import_test_list"),
            *super().get_urls(),
        ]

    # One site's version, not its whole revision: a bulk action, an import or a deletion saves
    # many sites in one revision, and reverting or recovering one site must not move the others.
    # django-reversion's view reverts `version.revision`; this one revision reverts one version.
    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        version.revision.revert = lambda delete=False: version.revert()
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    # django-reversion keeps no version of what is deleted: the removal is recorded first, in
    # the same transaction (readers' list of changes; the admin recovers a site from it).

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_rows_removed([obj], request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            record_rows_removed(list(queryset), request.user)
            super().delete_queryset(request, queryset)

    # Every bulk change: one revision, the entries' versions moved, one content version move.

    def change_sites(self, request, queryset, comment, **values):
        sites = list(queryset.select_related("country"))
        with changes_batched(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            for site in sites:
                for name, value in values.items():
                    setattr(site, name, value)
                site.full_clean(validate_unique=False)
                site.save()
            for country_id in {site.country_id for site in sites}:
                touch_country(country_id)
        return len(sites)

    def ask_then_change(self, request, queryset, form_class, title, change):
        """The action's form; once it is filled in, `change(cleaned_data)` gives the message."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self.message_user(request, change(form.cleaned_data), messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/countries/blockedsite/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "form": form,
                "sites": queryset,
                "action": request.POST.get("action"),
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            },
        )

    @admin.action(description=_("Confirm as blocked or throttled…"), permissions=["change"])
    def confirm(self, request, queryset):
        def change(data):
            count = self.change_sites(
                request,
                queryset,
                f"Confirmed as {data['what_was_done']}, source {data['source']}.",
                review=Review.CONFIRMED,
                action=data["what_was_done"],
                source=data["source"],
            )
            return ngettext("%d site confirmed.", "%d sites confirmed.", count) % count

        return self.ask_then_change(request, queryset, ConfirmForm, _("Confirm sites"), change)

    @admin.action(description=_("Dismiss (not blocked)"), permissions=["change"])
    def dismiss(self, request, queryset):
        count = self.change_sites(request, queryset, "Dismissed.", review=Review.DISMISSED)
        self.message_user(
            request, ngettext("%d site dismissed.", "%d sites dismissed.", count) % count
        )

    def _mark(self, request, queryset, status):
        count = self.change_sites(request, queryset, f"Status: {status}.", status=status)
        label = SiteStatus(status).label
        self.message_user(
            request,
            ngettext("%(count)d site now “%(status)s”.", "%(count)d sites now “%(status)s”.", count)
            % {"count": count, "status": label},
        )

    @admin.action(description=_("Set status: ongoing"), permissions=["change"])
    def mark_ongoing(self, request, queryset):
        self._mark(request, queryset, SiteStatus.ONGOING)

    @admin.action(description=_("Set status: lifted"), permissions=["change"])
    def mark_lifted(self, request, queryset):
        self._mark(request, queryset, SiteStatus.LIFTED)

    @admin.action(description=_("Set status: reported"), permissions=["change"])
    def mark_reported(self, request, queryset):
        self._mark(request, queryset, SiteStatus.REPORTED)

    @admin.action(description=_("Set category…"), permissions=["change"])
    def set_category(self, request, queryset):
        def change(data):
            category = data["category"]
            count = self.change_sites(
                request, queryset, f"Category: {category}.", category=category
            )
            return ngettext("%d site recategorised.", "%d sites recategorised.", count) % count

        return self.ask_then_change(request, queryset, CategoryForm, _("Set the category"), change)

    @admin.action(description=_("Set source…"), permissions=["change"])
    def set_source(self, request, queryset):
        def change(data):
            source = data["source"]
            count = self.change_sites(request, queryset, f"Source: {source}.", source=source)
            return ngettext("%d site's source set.", "%d sites' source set.", count) % count

        return self.ask_then_change(request, queryset, SourceForm, _("Set the source"), change)
