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
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from .fields import plain_decimal, version_token
from .models import (
    ENTRY_ROW_RELATIONS,
    INLINE_ROW_RELATIONS,
    ROWS_LISTED_APART,
    WORKFLOW_FIELDS,
    Country,
    EntryRevision,
)
from .models.translated import derived_fields

# The fields that name a row in messages, by the relation through which an entry reaches it:
# those of the entry's page, which a revision of the entry holds, and then every relation.
ROW_RELATIONS = {relation: model.NATURAL_KEY for relation, model in INLINE_ROW_RELATIONS.items()}
ALL_ROW_RELATIONS = {relation: model.NATURAL_KEY for relation, model in ENTRY_ROW_RELATIONS.items()}
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
    ignored = IGNORED_FIELDS | derived_fields(Country)
    for model_field in Country._meta.concrete_fields:
        if model_field.name in ignored:
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
        model = INLINE_ROW_RELATIONS[relation]
        before = rows_then.get(model._meta.model_name, {})
        now = {row.pk: row for row in getattr(country, relation).all()}
        label = str(model._meta.verbose_name)
        positions = _form_positions(merged, relation)
        ignored = IGNORED_FIELDS | derived_fields(model)
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
                if model_field.name in ignored:
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
    row_models = {model._meta.model_name for model in INLINE_ROW_RELATIONS.values()}
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


def record_revisions(countries, comment, user=None, rows_apart=True):
    """A revision per entry (the country and its page's rows), and if `rows_apart` another of
    its rows listed apart (its sites), e.g. after loading fixtures.

    Entry by entry rather than one revision for everything, so memory holds one entry's rows;
    the sites in a revision of their own, so that reverting the entry never reverts them.
    """
    for country in countries:
        # The sites first: readers' list of changes then says "first published" once, with the
        # entry, rather than listing every site as added after it.
        for model in ROWS_LISTED_APART if rows_apart else ():
            rows = model.objects.filter(country=country)
            if rows.exists():
                with reversion.create_revision():
                    _describe_revision(comment, user)
                    for row in rows.iterator(chunk_size=500):
                        reversion.add_to_revision(row)
        with reversion.create_revision():
            _describe_revision(comment, user)
            reversion.add_to_revision(country)


def _describe_revision(comment, user):
    reversion.set_comment(comment)
    if user is not None:
        reversion.set_user(user)


# What readers see of the history --------------------------------------------------------------


def record_entry_states(sender, revision, versions, **kwargs):
    """After each revision: remember whether its entries were public, and what changed for readers.

    Connected to django-reversion's `post_revision_commit`. A change is described against the
    entry's previous *published* state, so rows added and removed while it was a draft, and
    the draft's own edits, never reach the public list; only the difference that readers
    could see from one public version to the next does. Rows listed apart (sites) are not in
    the entry's revisions: each one saved in this revision is compared with its own previous
    version (deletions: record_rows_removed).
    """
    countries = {int(v.object_id): v for v in versions if v._model is Country}
    rows_apart = _rows_apart_by_country(revision, versions)
    touched = set(countries) | set(rows_apart)
    if not touched:
        return
    published = dict(Country.objects.filter(pk__in=touched).values_list("pk", "is_published"))
    rows_now = _rows_by_country(versions)
    for country_pk in sorted(touched):
        version = countries.get(country_pk)
        is_published = published.get(country_pk, False)
        changes = []
        if is_published:
            changes = _public_changes(country_pk, version, rows_now, rows_apart)
        EntryRevision.objects.create(
            revision=revision,
            country_id=country_pk,
            date=revision.date_created,
            published=is_published,
            changes=changes,
        )


def _public_changes(country_pk, version, rows_now, rows_apart):
    """What readers of a published entry see changed by a revision (record_entry_states)."""
    apart = {"apart": rows_apart.get(country_pk, {})}
    if version is None:  # only rows listed apart were saved
        if not EntryRevision.objects.filter(country_id=country_pk, published=True).exists():
            return []  # loading an entry: its own revision, next, says "first published"
        return public_differences({}, {}, {}, apart)
    # The entry as readers last saw it: the newest published revision holding the entry itself.
    before = (
        EntryRevision.objects.filter(
            country_id=country_pk,
            published=True,
            revision__version__content_type=version.content_type_id,
            revision__version__object_id=str(country_pk),
        )
        .order_by("-revision_id")
        .first()
    )
    if before is None:
        return [{"kind": "first_published"}]
    then = Version.objects.filter(revision_id=before.revision_id).select_related("content_type")
    then_country = next(
        (v for v in then if v._model is Country and int(v.object_id) == country_pk), None
    )
    return public_differences(
        _fields(then_country) if then_country else {},
        _fields(version),
        _rows_by_country(then).get(country_pk, {}),
        {**rows_now.get(country_pk, {}), **apart},
    )


REMOVAL = "Deleted: "  # how a removal's revision begins its comment (record_rows_removed)


def record_rows_removed(rows, user=None):
    """Rows listed apart (sites) about to be deleted, in the deletion's transaction: their last
    state, and what readers of their published entries see of it.

    django-reversion saves no version of an object that is gone, so the removal is a revision
    made here: each row's last version (from which the admin recovers it), and for readers the
    rows removed. A row saved again after it (recovered) counts as added again.
    """
    if not rows:
        return
    revision = Revision.objects.create(
        date_created=timezone.now(),
        user=user,
        comment=REMOVAL + ", ".join(sorted(str(row) for row in rows))[:200],
    )
    by_country, versions = {}, []
    for row in rows:
        data = serializers.serialize("json", [row])
        versions.append(
            Version(
                revision=revision,
                object_id=str(row.pk),
                content_type=ContentType.objects.get_for_model(row),
                db=row._state.db or "default",
                format="json",
                serialized_data=data,
                object_repr=str(row),
            )
        )
        found = by_country.setdefault(row.country_id, {}).setdefault(type(row), RowsApart())
        found.then[str(row.pk)] = (data, json.loads(data)[0]["fields"])
    Version.objects.bulk_create(versions, batch_size=500)  # one statement, not one per site
    published = dict(Country.objects.filter(pk__in=by_country).values_list("pk", "is_published"))
    for country_pk, apart in by_country.items():
        is_published = published.get(country_pk, False)
        EntryRevision.objects.create(
            revision=revision,
            country_id=country_pk,
            date=revision.date_created,
            published=is_published,
            changes=public_differences({}, {}, {}, {"apart": apart}) if is_published else [],
        )


def _fields(version):
    """A version's stored fields as JSON values, without building a model instance (cheap)."""
    return json.loads(version.serialized_data)[0]["fields"]


def _rows_by_country(versions):
    """country pk -> row model -> row pk -> (serialised data, fields), for the rows an entry's
    revision holds (those of its page)."""
    row_models = set(INLINE_ROW_RELATIONS.values())
    rows = {}
    for version in versions:
        if version._model not in row_models:
            continue
        fields = _fields(version)
        by_model = rows.setdefault(fields.get("country"), {}).setdefault(version._model, {})
        by_model[version.object_id] = (version.serialized_data, fields)
    return rows


@dataclass
class RowsApart:
    """The rows listed apart that one revision saved: each as it was before and as it is now
    (None where it did not exist), for public_differences."""

    then: dict = field(default_factory=dict)  # row pk -> (serialised data, fields)
    now: dict = field(default_factory=dict)


def _rows_apart_by_country(revision, versions):
    """country pk -> row model -> RowsApart, for the rows listed apart in `versions`."""
    saved = [v for v in versions if v._model in ROWS_LISTED_APART]
    if not saved:
        return {}
    previous = {}  # (model, object id) -> its newest version before this revision
    for model in {v._model for v in saved}:
        ids = [v.object_id for v in saved if v._model is model]
        earlier = (
            Version.objects.get_for_model(model)
            .filter(object_id__in=ids, revision_id__lt=revision.pk)
            .order_by("object_id", "-pk")
            .values_list("object_id", "serialized_data", "revision__comment")
        )
        for object_id, data, comment in earlier:
            # After its removal, a row saved again (recovered) is new to readers.
            previous.setdefault((model, object_id), None if comment.startswith(REMOVAL) else data)
    rows = {}
    for version in saved:
        fields = _fields(version)
        found = rows.setdefault(fields.get("country"), {}).setdefault(version._model, RowsApart())
        key = (version._model, version.object_id)
        if previous.get(key):
            found.then[version.object_id] = (previous[key], json.loads(previous[key])[0]["fields"])
        found.now[version.object_id] = (version.serialized_data, fields)
    return rows


def public_differences(country_then, country_now, rows_then, rows_now):
    """What a reader would notice between two published states of an entry (a list of dicts).

    `rows_then` / `rows_now`: row model -> row pk -> (serialised data, fields), for the rows of
    the entry's page; under "apart", row model -> RowsApart for those listed apart.
    """
    changes = []
    ignored = IGNORED_FIELDS | derived_fields(Country)
    fields = [
        f.name
        for f in Country._meta.concrete_fields
        if f.name not in ignored and country_then.get(f.name) != country_now.get(f.name)
    ]
    if fields:
        changes.append({"kind": "fields", "fields": fields})
    for relation, name_fields in ALL_ROW_RELATIONS.items():
        model = ENTRY_ROW_RELATIONS[relation]
        if model in ROWS_LISTED_APART:
            apart = rows_now.get("apart", {}).get(model, RowsApart())
            then, now = _public_rows(model, apart.then), _public_rows(model, apart.now)
        else:
            then = _public_rows(model, rows_then.get(model, {}))
            now = _public_rows(model, rows_now.get(model, {}))
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
    hidden = set(getattr(model, "EDITORS_ONLY_FIELDS", ())) | derived_fields(model)
    public = {}
    for pk, (_serialised, fields) in rows.items():
        if fields.get("review", "confirmed") != "confirmed":
            continue
        shown = {name: value for name, value in fields.items() if name not in hidden}
        public[pk] = (json.dumps(shown, sort_keys=True), shown)
    return public


def _row_name(fields, name_fields):
    return " ".join(str(fields.get(name, "")) for name in name_fields)
