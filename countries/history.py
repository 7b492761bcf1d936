"""What changed in an entry, read from django-reversion's revisions.

Every admin save of an entry is one revision holding the country and all its rows (the models
are registered with `follow` in models.py). This module turns two states of an entry into a
readable list of differences, for the editor whose save would otherwise overwrite a colleague's.
"""

from dataclasses import dataclass, field

import reversion
from django.utils.translation import gettext as _
from reversion.models import Version

from .models import Country

ROW_MODELS = {
    "articles": ("countries", "constitutionalarticle", ("number",)),
    "blocked_sites": ("countries", "blockedsite", ("name",)),
    "metrics": ("countries", "metric", ("kind", "year")),
    "isps": ("countries", "isp", ("name",)),
}
IGNORED_FIELDS = {"id", "updated_at", "country"}


def version_token(updated_at):
    """The entry's version as the edit form carries it."""
    return updated_at.isoformat() if updated_at else ""


@dataclass
class EntryChanges:
    """How an entry differs now from the state an editor loaded."""

    revisions: list = field(default_factory=list)  # (user, date, comment), newest first
    fields: list = field(default_factory=list)  # (label, then, now)
    rows: list = field(default_factory=list)  # (kind, name, what happened)
    exact: bool = True  # False when the loaded state was not found in the history


def changes_since(country: Country, token: str) -> EntryChanges:
    versions = list(
        Version.objects.get_for_object(country).select_related("revision__user").order_by("-pk")
    )
    loaded = next((v for v in versions if version_token(_loaded_updated_at(v)) == token), None)
    changes = EntryChanges()
    later = versions if loaded is None else [v for v in versions if v.pk > loaded.pk]
    for version in later:
        revision = version.revision
        changes.revisions.append(
            (revision.user, revision.date_created, revision.get_comment() or _("(no comment)"))
        )
    if loaded is None:
        changes.exact = False
        return changes

    then = loaded.field_dict
    for model_field in Country._meta.concrete_fields:
        if model_field.name in IGNORED_FIELDS:
            continue
        old, new = then.get(model_field.attname), model_field.value_from_object(country)
        if str(old or "") != str(new or ""):
            changes.fields.append((str(model_field.verbose_name), old, new))

    rows_then = _rows_in_revision(loaded.revision, country.pk)
    for relation, (_app_label, model_name, key_fields) in ROW_MODELS.items():
        model = Country._meta.get_field(relation).related_model
        now = {
            tuple(str(getattr(row, name)) for name in key_fields): row
            for row in getattr(country, relation).all()
        }
        before = rows_then.get(model_name, {})
        label = str(model._meta.verbose_name)
        for key in sorted(set(before) | set(now)):
            name = " ".join(key)
            if key not in now:
                changes.rows.append((label, name, _("removed")))
            elif key not in before:
                changes.rows.append((label, name, _("added")))
            elif _row_differs(before[key], now[key]):
                changes.rows.append((label, name, _("changed")))
    return changes


def _loaded_updated_at(version):
    from django.utils.dateparse import parse_datetime

    value = version.field_dict.get("updated_at")
    return parse_datetime(value) if isinstance(value, str) else value


def _rows_in_revision(revision, country_pk):
    rows = {}
    for version in revision.version_set.select_related("content_type"):
        model_name = version.content_type.model
        for app_label, row_model, key_fields in ROW_MODELS.values():
            if model_name != row_model or version.content_type.app_label != app_label:
                continue
            data = version.field_dict
            if data.get("country_id", data.get("country")) != country_pk:
                continue
            key = tuple(str(data.get(name)) for name in key_fields)
            rows.setdefault(model_name, {})[key] = data
    return rows


def _row_differs(then: dict, row) -> bool:
    for model_field in row._meta.concrete_fields:
        if model_field.name in IGNORED_FIELDS:
            continue
        if str(then.get(model_field.attname) or "") != str(
            model_field.value_from_object(row) or ""
        ):
            return True
    return False


def record_revisions(countries, comment, user=None):
    """One revision per entry (the country and its rows), e.g. after loading fixtures.

    Entry by entry rather than one revision for everything, so memory holds one entry's rows.
    """
    for country in countries:
        with reversion.create_revision():
            reversion.set_comment(comment)
            if user is not None:
                reversion.set_user(user)
            reversion.add_to_revision(country)
