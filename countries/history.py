"""What changed in an entry, read from django-reversion's revisions.

Every admin save of an entry is one revision holding the country and all its rows (the models
are registered with `follow` in models.py). When an editor saves a form opened before a
colleague's save, this module finds the state that editor loaded and merges three ways: what
the colleague changed and this editor did not touch is taken into the form; what both changed
keeps this editor's text and is listed; nothing is lost silently.
"""

import datetime
import decimal
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from reversion.models import Version

from .fields import plain_decimal, version_token
from .models import ENTRY_ROW_RELATIONS, WORKFLOW_FIELDS, Country, EntryRevision

# The fields that name a row in messages, by the relation through which an entry reaches it.
ROW_RELATIONS = {relation: model.NATURAL_KEY for relation, model in ENTRY_ROW_RELATIONS.items()}
# Not compared: keys, the version stamp, and the workflow state revisions leave out.
IGNORED_FIELDS = {"id", "updated_at", "country", *WORKFLOW_FIELDS}


def form_value(value):
    """A model value as a submitted form would carry it, for comparing and filling forms."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(map(str, value))
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | int):
        return str(plain_decimal(value))
    return str(getattr(value, "code", value))


@dataclass
class EntryChanges:
    """How an entry differs now from the state an editor loaded, and what the merge did."""

    revisions: list = field(default_factory=list)  # (user, date, comment), newest first
    fields: list = field(default_factory=list)  # (label, then, now, outcome)
    rows: list = field(default_factory=list)  # (kind, name, what happened)
    exact: bool = True  # False when the loaded state was not found in the history
    merged_data: object = None  # the submitted data with the colleague's changes taken in


def _updated_at(version):
    value = version.field_dict.get("updated_at")
    return parse_datetime(value) if isinstance(value, str) else value


def merge_since(country: Country, token: str, data, prefix="") -> EntryChanges:
    """Compare `country` (now saved) with the state at `token`, and merge into `data`.

    `data` is the editor's submitted form data (a QueryDict, main form and inlines); a copy
    comes back as `merged_data`.
    """
    versions = list(
        Version.objects.get_for_object(country).select_related("revision__user").order_by("-pk")
    )
    loaded = next((v for v in versions if version_token(_updated_at(v)) == token), None)
    changes = EntryChanges(merged_data=data.copy())
    later = versions if loaded is None else [v for v in versions if v.pk > loaded.pk]
    for version in later:
        revision = version.revision
        changes.revisions.append(
            (revision.user, revision.date_created, revision.get_comment() or _("(no comment)"))
        )
    if loaded is None:
        changes.exact = False
        return changes

    merged = changes.merged_data
    then = loaded.field_dict
    for model_field in Country._meta.concrete_fields:
        if model_field.name in IGNORED_FIELDS:
            continue
        old = form_value(then.get(model_field.attname))
        new = form_value(model_field.value_from_object(country))
        if old == new:
            continue
        key = f"{prefix}{model_field.name}"
        outcome = _merge(merged, key, old, new)
        changes.fields.append((str(model_field.verbose_name), old, new, outcome))

    rows_then = _rows_in_revision(loaded.revision, country.pk)
    for relation, name_fields in ROW_RELATIONS.items():
        model = ENTRY_ROW_RELATIONS[relation]
        before = rows_then.get(model._meta.model_name, {})
        now = {row.pk: row for row in getattr(country, relation).all()}
        label = str(model._meta.verbose_name)
        positions = _form_positions(merged, relation)
        for pk in sorted(set(before) | set(now)):
            name = " ".join(
                form_value(now[pk].serializable_value(f) if pk in now else before[pk].get(f))
                for f in name_fields
            )
            if pk not in now:
                changes.rows.append((label, name, _("removed by them")))
                continue
            if pk not in before:
                changes.rows.append((label, name, _("added by them")))
                continue
            outcomes = []
            for model_field in model._meta.concrete_fields:
                if model_field.name in IGNORED_FIELDS:
                    continue
                old = form_value(before[pk].get(model_field.attname))
                new = form_value(model_field.value_from_object(now[pk]))
                if old != new and pk in positions:
                    key = f"{relation}-{positions[pk]}-{model_field.name}"
                    outcomes.append(_merge(merged, key, old, new))
                elif old != new:
                    outcomes.append(_("changed"))
            if outcomes:
                changes.rows.append((label, name, "; ".join(sorted(set(outcomes)))))
    return changes


def _merge(data, key, old, new):
    """Take their value where this editor left the field as loaded; else keep this editor's."""
    if key not in data:
        return _("changed")
    if data.get(key, "").replace("\r\n", "\n") == old:
        data[key] = new
        return _("their change taken into your form")
    return _("changed by both: your text kept")


def _form_positions(data, relation):
    """Row primary key -> its position in the submitted inline formset."""
    positions = {}
    total = int(data.get(f"{relation}-TOTAL_FORMS") or 0)
    for index in range(total):
        pk = data.get(f"{relation}-{index}-id")
        if pk and pk.isdigit():
            positions[int(pk)] = index
    return positions


def _rows_in_revision(revision, country_pk):
    row_models = {model._meta.model_name for model in ENTRY_ROW_RELATIONS.values()}
    rows = {}
    for version in revision.version_set.select_related("content_type"):
        model_name = version.content_type.model
        if version.content_type.app_label != "countries" or model_name not in row_models:
            continue
        data = version.field_dict
        if data.get("country_id") != country_pk:
            continue
        rows.setdefault(model_name, {})[int(version.object_id)] = data
    return rows


# Reverting -----------------------------------------------------------------------------------

_kept_workflow = threading.local()


@contextmanager
def workflow_kept(country_pk):
    """Within the block, the entry's publication and review state as it was when it began.

    A revision leaves that state out (models.WORKFLOW_FIELDS), and django-reversion restores
    the fields it lacks with their defaults: reverting would turn a published entry into a
    draft. The admin's revert view reverts inside this block and puts the state back on the
    entry it shows and saves (`keep_workflow_state`).
    """
    fields = [Country._meta.get_field(name).attname for name in WORKFLOW_FIELDS]
    state = Country.objects.filter(pk=country_pk).values(*fields).first()
    kept = getattr(_kept_workflow, "entries", {})
    _kept_workflow.entries = {**kept, int(country_pk): state or {}}
    try:
        yield
    finally:
        _kept_workflow.entries = kept


def keep_workflow_state(country):
    """Give `country` the workflow state kept by an enclosing `workflow_kept`, if any."""
    for attname, value in getattr(_kept_workflow, "entries", {}).get(country.pk, {}).items():
        setattr(country, attname, value)
    return country


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


# What readers see of the history --------------------------------------------------------------


def record_entry_states(sender, revision, versions, **kwargs):
    """After each revision: remember whether its entries were public, and what changed for readers.

    Connected to django-reversion's `post_revision_commit`. A change is described against the
    entry's previous *published* state, so rows added and removed while it was a draft, and
    the draft's own edits, never reach the public list; only the difference that readers
    could see from one public version to the next does.
    """
    countries = {int(v.object_id): v for v in versions if v._model is Country}
    if not countries:
        return
    published = dict(Country.objects.filter(pk__in=countries).values_list("pk", "is_published"))
    rows_now = _rows_by_country(versions)
    for country_pk, version in countries.items():
        is_published = published.get(country_pk, False)
        changes = []
        if is_published:
            before = (
                EntryRevision.objects.filter(country_id=country_pk, published=True)
                .order_by("-revision_id")
                .first()
            )
            if before is None:
                changes = [{"kind": "first_published"}]
            else:
                then = Version.objects.filter(revision_id=before.revision_id).select_related(
                    "content_type"
                )
                then_country = next(
                    (v for v in then if v._model is Country and int(v.object_id) == country_pk),
                    None,
                )
                changes = public_differences(
                    _fields(then_country) if then_country else {},
                    _fields(version),
                    _rows_by_country(then).get(country_pk, {}),
                    rows_now.get(country_pk, {}),
                )
        EntryRevision.objects.create(
            revision=revision,
            country_id=country_pk,
            date=revision.date_created,
            published=is_published,
            changes=changes,
        )


def _fields(version):
    """A version's stored fields as JSON values, without building a model instance (cheap)."""
    return json.loads(version.serialized_data)[0]["fields"]


def _rows_by_country(versions):
    """country pk -> row model -> row pk -> (serialised data, fields)."""
    row_models = set(ENTRY_ROW_RELATIONS.values())
    rows = {}
    for version in versions:
        if version._model not in row_models:
            continue
        fields = _fields(version)
        by_model = rows.setdefault(fields.get("country"), {}).setdefault(version._model, {})
        by_model[version.object_id] = (version.serialized_data, fields)
    return rows


def public_differences(country_then, country_now, rows_then, rows_now):
    """What a reader would notice between two published states of an entry (a list of dicts)."""
    changes = []
    fields = [
        f.name
        for f in Country._meta.concrete_fields
        if f.name not in IGNORED_FIELDS and country_then.get(f.name) != country_now.get(f.name)
    ]
    if fields:
        changes.append({"kind": "fields", "fields": fields})
    for relation, name_fields in ROW_RELATIONS.items():
        model = ENTRY_ROW_RELATIONS[relation]
        then, now = _public_rows(model, rows_then), _public_rows(model, rows_now)
        found = {"added": [], "removed": [], "changed": []}
        for pk in set(then) | set(now):
            if pk not in then:
                found["added"].append(_row_name(now[pk][1], name_fields))
            elif pk not in now:
                found["removed"].append(_row_name(then[pk][1], name_fields))
            elif then[pk][0] != now[pk][0] and then[pk][1] != now[pk][1]:
                found["changed"].append(_row_name(now[pk][1], name_fields))
        for outcome, names in found.items():
            if names:
                changes.append(
                    {"kind": "rows", "model": model._meta.model_name, "outcome": outcome,
                     "names": sorted(names)}
                )  # fmt: skip
    return changes


def _public_rows(model, rows):
    """The rows readers saw, with what they saw of each: a candidate site is not there yet,
    and the editors' working data is no change to them."""
    hidden = set(getattr(model, "EDITORS_ONLY_FIELDS", ()))
    public = {}
    for pk, (_serialised, fields) in rows.get(model, {}).items():
        if fields.get("review", "confirmed") != "confirmed":
            continue
        shown = {name: value for name, value in fields.items() if name not in hidden}
        public[pk] = (json.dumps(shown, sort_keys=True), shown)
    return public


def _row_name(fields, name_fields):
    return " ".join(str(fields.get(name, "")) for name in name_fields)
