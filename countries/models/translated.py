"""Content in several languages: English, the reference, and its translations.

django-modeltranslation gives each translated field (countries/translation.py) a column per
language (`summary_en`, `summary_ru`, …); reading `summary` gives the active language's text or,
where there is none, the English. What it does not know, and this module adds:

- which text a reader actually gets, so that a page can mark a section that fell back to English;
- whether a translation still matches its English: each translation keeps a fingerprint of the
  English it was made from (`translation_basis`), so "English changed after this translation"
  is a fact of the data, carried by fixtures and history like the texts themselves.
"""

import functools
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

REFERENCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def content_languages():
    return [code for code, name in settings.LANGUAGES]


def translation_languages():
    """The languages translated from English."""
    return [code for code in content_languages() if code != REFERENCE_LANGUAGE]


def reader_language():
    """The active language, if content comes in it; else the reference."""
    language = translation.get_language()
    return language if language in content_languages() else REFERENCE_LANGUAGE


def translated_fields(model):
    """The fields of `model` editors translate, in declaration order ((), if none)."""
    # Asked for every row a page shows: kept once registrations are over (the apps are ready).
    return _registered_fields(model) if apps.ready else _translated_fields(model)


def _translated_fields(model):
    try:
        names = translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()
    return tuple(f.name for f in model._meta.fields if f.name in names)


_registered_fields = functools.cache(_translated_fields)


def derived_fields(model):
    """Columns that only restate others: the original column of each translated field (the
    English again, kept by modeltranslation) and the translation basis. History compares the
    texts themselves, language by language."""
    return {"translation_basis", *translated_fields(model)} if translated_fields(model) else set()


def localized(field, language):
    return build_localized_fieldname(field, language)


def column_label(field, language):
    """What editors and readers call a translation's column: "Summary" for the English, the
    reference, and "Summary (Русский)" for a translation."""
    label = capfirst(field.verbose_name)
    if language == REFERENCE_LANGUAGE:
        return label
    return format_lazy("{} ({})", label, dict(settings.LANGUAGES).get(language, language))


def split_column(model, name):
    """("summary", "ru") for the column summary_ru of a translated field; else None."""
    field, _sep, language = name.rpartition("_")
    if field in translated_fields(model) and language in content_languages():
        return field, language
    return None


def is_empty(value):
    return value is None or value == "" or value == []


def fingerprint(value):
    """A short, stable fingerprint of a text (or a list of clauses)."""
    text = "\n".join(value) if isinstance(value, list) else (value or "")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def prepare_translations(sender, instance, raw=False, **kwargs):
    """pre_save receiver for every Translated model (connected in apps.py)."""
    instance.prepare_translations(raw)


class TranslationState(StrEnum):
    CURRENT = "current"
    MISSING = "missing"  # the English has text, this language none
    OUTDATED = "outdated"  # the English changed after this translation was made
    NOTHING = "nothing"  # no English either: nothing to translate

    @property
    def label(self):
        return {
            "current": _("Translated"),
            "missing": _("Not translated"),
            "outdated": _("English changed after this translation"),
            "nothing": _("No English text"),
        }[self.value]


@dataclass(frozen=True)
class FieldTranslation:
    """One translated field of one object in one language, as an editor reviews it."""

    obj: object
    field: str
    language: str
    state: TranslationState

    @property
    def key(self):
        """Names it in a form: model, primary key, field, language."""
        return f"{self.obj._meta.label_lower}:{self.obj.pk}:{self.field}:{self.language}"

    @property
    def field_label(self):
        return self.obj._meta.get_field(self.field).verbose_name


class Translated(models.Model):
    """A model with translated fields. Saves always run with English active, so that what
    modeltranslation writes to the original column (and what history and fixtures hold for it)
    is the English, never the language of whoever saved."""

    translation_basis = models.JSONField(
        _("translation basis"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("For each translation, fingerprints of the English it was made from."),
    )

    class Meta:
        abstract = True

    def save_base(self, *args, **kwargs):
        with translation.override(REFERENCE_LANGUAGE):
            return super().save_base(*args, **kwargs)

    def prepare_translations(self, raw=False):
        """Before every save, loads and reverts included (pre_save: they bypass save_base)."""
        self.normalise_translations(raw)
        if not raw:
            # A fixture's basis (or a revision's) is kept as it comes: loading must not make
            # a stale translation look current.
            self.translation_basis = self.updated_translation_basis()

    def text_in(self, field, language):
        return getattr(self, localized(field, language))

    def normalise_translations(self, raw=False):
        """One spelling of "no text": null in a translation, empty in the English.

        A fixture from before translations names the original field only (`summary`, not
        `summary_en`); loaded as it is (`raw`), its text is the English."""
        for field in translated_fields(type(self)):
            english = localized(field, REFERENCE_LANGUAGE)
            written = self.__dict__.get(field)
            if raw and is_empty(getattr(self, english)) and not is_empty(written):
                setattr(self, english, written)
            if getattr(self, english) is None:
                setattr(self, english, self._meta.get_field(field).get_default())
            for language in translation_languages():
                if is_empty(self.text_in(field, language)):
                    setattr(self, localized(field, language), None)

    def updated_translation_basis(self):
        """The basis after this save: a translation edited (or new) since it was last saved is
        now based on the current English; the others keep what they were based on."""
        basis = {}
        for field in translated_fields(type(self)):
            english = fingerprint(self.text_in(field, REFERENCE_LANGUAGE))
            for language in translation_languages():
                text = self.text_in(field, language)
                if is_empty(text):
                    continue
                key = f"{field}:{language}"
                known = (self.translation_basis or {}).get(key)
                if known and known.get("translation") == fingerprint(text):
                    basis[key] = known
                else:
                    basis[key] = {"english": english, "translation": fingerprint(text)}
        return dict(sorted(basis.items()))

    def confirm_translation(self, field, language):
        """A translator's word that the translation still says what the changed English says:
        it is now based on the current English (saved by the caller)."""
        text = self.text_in(field, language)
        if language == REFERENCE_LANGUAGE or is_empty(text):
            raise ValueError(f"no translation of {field} into {language} to confirm")
        basis = dict(self.translation_basis or {})
        basis[f"{field}:{language}"] = {
            "english": fingerprint(self.text_in(field, REFERENCE_LANGUAGE)),
            "translation": fingerprint(text),
        }
        self.translation_basis = dict(sorted(basis.items()))

    def translation_state(self, field, language):
        english = self.text_in(field, REFERENCE_LANGUAGE)
        if language == REFERENCE_LANGUAGE:
            return TranslationState.CURRENT if not is_empty(english) else TranslationState.NOTHING
        text = self.text_in(field, language)
        if is_empty(text):
            return TranslationState.NOTHING if is_empty(english) else TranslationState.MISSING
        known = (self.translation_basis or {}).get(f"{field}:{language}")
        if known and known.get("english") != fingerprint(english):
            return TranslationState.OUTDATED
        return TranslationState.CURRENT

    def shown_language(self, field, language):
        """The language a reader of `language` gets `field` in: theirs, or English."""
        if language != REFERENCE_LANGUAGE and is_empty(self.text_in(field, language)):
            return REFERENCE_LANGUAGE
        return language

    def language_of(self, field):
        """The language the active reader gets `field` in (see shown_language)."""
        return self.shown_language(field, reader_language())

    def falls_back(self, field):
        """Whether the active reader gets `field` in English instead of their language."""
        return self.language_of(field) != reader_language()

    def translations_to_review(self, languages=None):
        """The fields a translator should look at: missing or outdated, per language."""
        return [
            FieldTranslation(self, field, language, state)
            for language in languages or translation_languages()
            for field in translated_fields(type(self))
            if (state := self.translation_state(field, language))
            in (TranslationState.MISSING, TranslationState.OUTDATED)
        ]
