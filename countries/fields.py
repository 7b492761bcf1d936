"""Form and model fields specific to country entries."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ClauseListField(models.JSONField):
    """The numbered clauses of a constitutional article, in order, as a JSON list of strings."""

    description = _("Clauses, in order")

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
