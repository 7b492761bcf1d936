"""Translations in the editors' home: a tab per language on the change form (admin-languages.js),
what each entry still lacks per language (a page of its own and a list filter)."""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..models import INLINE_ROW_RELATIONS, ROWS_LISTED_APART, Country
from ..models.entries import translation_gaps
from ..models.translated import (
    REFERENCE_LANGUAGE,
    TranslationState,
    column_label,
    localized,
    translated_fields,
    translation_languages,
)
from .rows import touch_country


def language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


class TranslationGapFilter(admin.SimpleListFilter):
    """Entries by what a language still lacks: untranslated fields, outdated ones, or none."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = []
        for language in translation_languages():
            name = language_name(language)
            choices += [
                (f"{language}-missing", _("%(language)s: not translated") % {"language": name}),
                (
                    f"{language}-outdated",
                    _("%(language)s: English changed after translation") % {"language": name},
                ),
                (f"{language}-complete", _("%(language)s: up to date") % {"language": name}),
            ]
        return choices

    def queryset(self, request, queryset):
        language, _sep, state = (self.value() or "").partition("-")
        if language not in translation_languages():
            return queryset
        gaps = translation_gaps(language)
        if state == "complete":
            return queryset.exclude(pk__in=gaps)
        return queryset.filter(pk__in=[pk for pk, counts in gaps.items() if counts.get(state)])


class LanguageTabsMixin:
    """The country admin's translation views: the language tabs' data on the change form, and
    `<id>/translations/`, every field of the entry a translator should look at."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            content_languages=settings.LANGUAGES,
            reference_language=REFERENCE_LANGUAGE,
            translation_states=field_states(obj) if obj else {},
            translations_url=reverse("admin:countries_country_translations", args=[obj.pk])
            if obj
            else "",
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translations/",
                self.admin_site.admin_view(self.translations_view),
                name="countries_country_translations",
            ),
            path(
                "<path:object_id>/translations/confirm/",
                self.admin_site.admin_view(require_POST(self.confirm_translation_view)),
                name="countries_country_confirm_translation",
            ),
            *super().get_urls(),
        ]

    def confirm_translation_view(self, request, object_id):
        """ "Still correct": an outdated translation is confirmed against the current English,
        as one revision of the entry (or of the site), without touching any text."""
        country = get_object_or_404(Country, pk=object_id)
        if not self.has_change_permission(request, country):
            raise PermissionDenied
        back = reverse("admin:countries_country_translations", args=[country.pk])
        outdated = {
            item.key: item
            for item in country.translations_to_review()
            if item.state == TranslationState.OUTDATED
        }
        item = outdated.get(request.POST.get("translation", ""))
        if item is None:  # already confirmed, retranslated, or never this entry's
            self.message_user(
                request, _("That translation is not outdated any more: nothing was changed."),
                messages.WARNING,
            )  # fmt: skip
            return HttpResponseRedirect(back)
        label = column_label(item.obj._meta.get_field(item.field), item.language)
        with transaction.atomic(), reversion.create_revision():
            item.obj.confirm_translation(item.field, item.language)
            item.obj.save()
            reversion.set_user(request.user)
            reversion.set_comment(
                _("Confirmed %(field)s as up to date with the English.") % {"field": label}
            )
            if item.obj is not country:
                touch_country(country.pk)
                if type(item.obj) not in ROWS_LISTED_APART:
                    reversion.add_to_revision(Country.objects.get(pk=country.pk))
        self.message_user(
            request,
            _("%(field)s of %(where)s: confirmed as up to date with the English.")
            % {"field": label, "where": review_item(item, country)["where"]},
        )
        return HttpResponseRedirect(back)

    def translations_view(self, request, object_id):
        country = get_object_or_404(Country, pk=object_id)
        if not self.has_view_permission(request, country):
            raise PermissionDenied
        found = country.translations_to_review()
        by_language = [
            {
                "code": language,
                "name": language_name(language),
                "missing": [
                    review_item(f, country)
                    for f in found
                    if f.language == language and f.state == TranslationState.MISSING
                ],
                "outdated": [
                    review_item(f, country)
                    for f in found
                    if f.language == language and f.state == TranslationState.OUTDATED
                ],
            }
            for language in translation_languages()
        ]
        return TemplateResponse(
            request,
            "admin/countries/country/translations.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Translations of %(country)s") % {"country": country},
                "country": country,
                "opts": Country._meta,
                "original": country,
                "languages": by_language,
                "change_url": reverse("admin:countries_country_change", args=[country.pk]),
                "confirm_url": reverse(
                    "admin:countries_country_confirm_translation", args=[country.pk]
                ),
                "can_change": self.has_change_permission(request, country),
            },
        )


def field_states(country):
    """What the tabs mark (admin-languages.js): the translations that need a translator, of the
    entry's own fields (by field name) and of its inline rows ("articles:<pk>:clauses_ru": the
    script finds the row's form by its id)."""
    states = {}
    objects = [("", country)] + [
        (f"{relation}:{row.pk}:", row)
        for relation, model in INLINE_ROW_RELATIONS.items()
        if translated_fields(model)
        for row in getattr(country, relation).all()
    ]
    for prefix, obj in objects:
        for field in translated_fields(type(obj)):
            for language in translation_languages():
                state = obj.translation_state(field, language)
                if state in (TranslationState.MISSING, TranslationState.OUTDATED):
                    states[f"{prefix}{localized(field, language)}"] = {
                        "state": state.value,
                        "label": str(state.label),
                    }
    return states


def review_item(item, country):
    """One line of the translations page: what, where, and the form to fix it on."""
    obj = item.obj
    if isinstance(obj, Country):
        where, url = _("Entry"), reverse("admin:countries_country_change", args=[obj.pk])
    else:
        opts = obj._meta
        where = f"{capfirst(opts.verbose_name)}: {obj}"
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return {
        "key": item.key,
        "field": capfirst(item.field_label),
        "where": where,
        "url": f"{url}#id_{localized(item.field, item.language)}" if obj is country else url,
    }
