"""The editors' workflow around the country form: no lost updates, review filters, previews."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from ..choices import REGION_OF_COUNTRY
from ..fields import version_token
from ..history import merge_since
from ..models import Country

# No lost updates ------------------------------------------------------------------------------


class CountryForm(forms.ModelForm):
    """Refuses to save over a version of the entry that the editor never saw.

    The form carries the entry's version (its `updated_at`) from when it was opened. If another
    save happened since, the form is invalid: the colleague's changes that this editor did not
    touch are taken into the form (inline rows too), fields both changed keep this editor's
    text and are listed, and nothing is saved yet. The version then moves on, so saving again
    is a deliberate choice.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    check_conflicts = True
    request = None  # set by CountryAdmin.get_form, to share merged data with the inlines

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if "region" in self.fields:  # suggested from the ISO code (countries/admin-entry.js)
            self.fields["region"].widget.attrs["data-region-of-country"] = json.dumps(
                REGION_OF_COUNTRY, separators=(",", ":")
            )
        if self.instance.pk:
            self.fields["loaded_version"].initial = version_token(self.instance.updated_at)

    def clean(self):
        cleaned_data = super().clean()
        if not (self.check_conflicts and self.instance.pk and self.is_bound):
            return cleaned_data
        # Locked until this save commits, so two saves cannot both pass this check.
        current = (
            Country.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        loaded = self.cleaned_data.get("loaded_version") or ""
        if current is None or version_token(current) == loaded:
            return cleaned_data
        saved = Country.objects.with_page_data().get(pk=self.instance.pk)
        self.conflict = merge_since(
            saved, loaded, self.data, self.prefix and f"{self.prefix}-" or ""
        )
        merged = self.conflict.merged_data
        merged[self.add_prefix("loaded_version")] = version_token(current)
        self.data = merged
        shared = getattr(self.request, "netfree_inline_data", None)
        if shared is not None:  # the inline formsets read this same object, lazily
            for key in merged:
                if merged.getlist(key) != shared.getlist(key):
                    shared.setlist(key, merged.getlist(key))
        who = ", ".join(
            f"{user or _('an import')} ({localize(localtime(date))})"
            for user, date, _comment in self.conflict.revisions[:3]
        ) or _("another editor")
        raise ValidationError(
            _(
                "This entry was changed by %(who)s after you opened it. Nothing was saved. "
                "Their changes to fields you had not touched are now in the form; where you "
                "both changed a field, your text is kept. Check the list above the form, "
                "then save again."
            ),
            code="edit_conflict",
            params={"who": who},
        )


# Review ------------------------------------------------------------------------------------------


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("stale", _("Not reviewed for 12 months")), ("current", _("Reviewed recently"))]

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
        return [("outdated", _("Newest figure over 5 years old")), ("current", _("Recent figures"))]

    def queryset(self, request, queryset):
        outdated = Country.objects.with_outdated_metrics().values("pk")
        if self.value() == "outdated":
            return queryset.filter(pk__in=outdated)
        if self.value() == "current":
            return queryset.exclude(pk__in=outdated)
        return queryset


# Preview of unsaved changes --------------------------------------------------------------------

UNSAVED_PK = -1  # an entry being added has no key yet; nothing with this one is ever saved


def unsaved_country(form, formsets):
    """The entry as the form would save it, with its rows, without touching the database."""
    country = form.save(commit=False)
    if country.pk is None:
        country.pk = UNSAVED_PK  # related managers refuse an instance without a key
    rows = {}
    for formset in formsets:
        kept = []
        for row_form in formset.forms:
            if not row_form.is_valid() or row_form in formset.deleted_forms:
                continue
            if not row_form.has_changed() and row_form.instance.pk is None:
                continue
            row = row_form.save(commit=False)
            row.country = country
            kept.append(row)
        relation = formset.fk.remote_field.get_accessor_name()
        rows[relation] = sorted(kept, key=_display_order(formset.model))
    country._prefetched_objects_cache = rows
    return country


def _display_order(model):
    ordering = [name for name in model._meta.ordering if name.lstrip("-") != "country"]

    def key(row):
        return tuple(
            _Reversed(getattr(row, name[1:])) if name.startswith("-") else getattr(row, name)
            for name in ordering
        )

    return key


class _Reversed:
    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value
