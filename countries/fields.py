"""Form and model fields specific to country entries."""

import datetime
import decimal
import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.fields import MarkdownxFormField
from markdownx.models import MarkdownxField

# Line endings ------------------------------------------------------------------------------------


def normalise_newlines(text):
    """Text with every line ending as "\\n".

    Browsers submit a textarea's line breaks as "\\r\\n" (the HTML standard says so), files
    may carry "\\r\\n" or "\\r", and the stored text must not depend on where it came from:
    otherwise an untouched field counts as changed in every message, diff and export.
    """
    if not isinstance(text, str) or "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


class MarkdownFormField(MarkdownxFormField):
    def to_python(self, value):
        return normalise_newlines(super().to_python(value))


class MarkdownField(MarkdownxField):
    """An editor's Markdown, stored with "\\n" line endings however it arrives.

    `to_python` covers forms, `full_clean`, fixtures (`loaddata`, the importer) and reverts
    (django-reversion deserialises through it); `pre_save` covers text assigned in code.
    """

    def to_python(self, value):
        return normalise_newlines(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalise_newlines(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MarkdownFormField, **kwargs})


# Figures -----------------------------------------------------------------------------------------


def plain_decimal(value):
    """A decimal as an editor types it: 54 and 9577924, not 54.00 or 9.577924E+6."""
    return format(value.normalize(), "f") if isinstance(value, decimal.Decimal) else value


class PlainDecimalInput(forms.NumberInput):
    def format_value(self, value):
        return super().format_value(plain_decimal(value))


# Versions ----------------------------------------------------------------------------------------

VERSION_PRECISION = datetime.timedelta(milliseconds=1)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def next_version_stamp(previous=None):
    """Now, to the millisecond, and later than `previous` (if given)."""
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    if previous is not None and now <= previous:
        now = previous.replace(microsecond=previous.microsecond // 1000 * 1000) + VERSION_PRECISION
    return now


def version_token(stamp):
    """A version stamp as the edit form carries it: whole milliseconds since 1970.

    Milliseconds because that is what a revision keeps (Django's JSON encoder cuts datetimes
    to them), so the token of the state an editor opened is found again in the history.
    """
    if stamp is None:
        return ""
    return str((stamp - _EPOCH) // VERSION_PRECISION)


class VersionStampField(models.DateTimeField):
    """When the row last changed, which is also its version: a later save, a later stamp.

    Kept to the millisecond, the precision its revisions keep, and moved on by at least one
    millisecond at every save, so two saves can never share a version.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_now", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = next_version_stamp(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


# Clauses -----------------------------------------------------------------------------------------


class ClauseListFormField(forms.CharField):
    """A textarea with one clause per line, stored as a list of strings.

    Editors type (or paste) a constitution's clauses one per line; blank lines are ignored
    and the clause number is its position, as in the constitution's own numbering.
    """

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


class ReadableJSONEncoder(json.JSONEncoder):
    """JSON with text as it is (not \\u escapes), so that searching the stored text for
    "закон" finds it on SQLite, where the column is plain text."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class ClauseListField(models.JSONField):
    """The numbered clauses of a constitutional article, in order, as a JSON list of strings."""

    description = _("Clauses, in order")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("encoder", ReadableJSONEncoder)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Skip JSONField.formfield: editors get a textarea of lines, not raw JSON.
        return models.Field.formfield(self, **{"form_class": ClauseListFormField, **kwargs})

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise ValidationError(_("Clauses must be a list of texts."), code="invalid_clauses")
        if not value or not all(c.strip() for c in value):
            raise ValidationError(
                _("Quote at least one clause, one per line."), code="empty_clauses"
            )
