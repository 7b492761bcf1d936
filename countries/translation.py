"""Which fields editors translate: every prose field readers see (django-modeltranslation adds a
column per language in settings.LANGUAGES; English is the reference the others fall back to)."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import BlockedSite, ConstitutionalArticle, Country, Metric, Source
from .models.translated import column_label, content_languages, localized, translated_fields
from .sections import SECTIONS


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = tuple(spec.field for spec in SECTIONS)


@register(ConstitutionalArticle)
class ArticleTranslation(TranslationOptions):
    fields = ("clauses", "translation_note", "notes")


@register(BlockedSite)
class BlockedSiteTranslation(TranslationOptions):
    fields = ("notes",)


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("shown_name",)


@register(Metric)
class MetricTranslation(TranslationOptions):
    fields = ("notes",)


def label_columns():
    """Each language's column is named as editors and readers call it ("Summary", "Summary
    (Русский)"), in the form, the history's comparisons and the public list of changes."""
    for model in translator.get_registered_models():
        for field in translated_fields(model):
            original = model._meta.get_field(field)
            for language in content_languages():
                column = model._meta.get_field(localized(field, language))
                column.verbose_name = column_label(original, language)


label_columns()
