"""All-or-nothing import of fixture files, with messages that say exactly what is wrong.

Every object is built field by field, validated (field validation, model rules, database
constraints) and saved inside one transaction; any problem rolls the whole import back, so the
database is left exactly as it was. Objects are matched by natural key: one that exists is
updated, one that does not is added, and (on request) content missing from the files is removed.

Files are read as streams (ijson), twice: first sources and countries, then the rows that refer
to them, so references between files resolve whatever the order of the files. Memory holds one
object at a time plus a fingerprint of each natural key seen, never a whole file.
"""

import codecs
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import ijson
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction

from ..cache import changes_batched
from ..fields import next_version_stamp
from ..history import record_revisions
from ..models import (
    CONTENT_MODELS,
    ENTRY_ROW_MODELS,
    Country,
    Source,
    natural_key_fields,
)
from ..models.translated import REFERENCE_LANGUAGE, localized, translated_fields

# Sources and countries first, then the rows that refer to them.
FIRST_PASS = (Source, Country)
SECOND_PASS = ENTRY_ROW_MODELS
MODELS = {model._meta.label_lower: model for model in CONTENT_MODELS}
# The fields that make up each model's natural key, foreign keys by their own natural key.
NATURAL_KEY_FIELDS = {model: natural_key_fields(model) for model in CONTENT_MODELS}
MAX_PROBLEMS = 100
READ_CHUNK = 64 * 1024
# What one object of a fixture may hold: generous for any entry's row (an article of a
# thousand clauses), and small enough that a crafted file cannot exhaust memory.
MAX_DEPTH = 8
MAX_VALUES_PER_OBJECT = 20_000


@dataclass
class Problem:
    file: str
    message: str
    index: int | None = None
    model: str = ""
    key: tuple | None = None
    fields: tuple = ()

    def __str__(self):
        where = [self.file]
        if self.index is not None:
            what = f"object {self.index}"
            if self.model:
                what += f" ({self.model}"
                what += f" {json.dumps(list(self.key), ensure_ascii=False)})" if self.key else ")"
            where.append(what)
        if self.fields:
            label = "field" if len(self.fields) == 1 else "fields"
            where.append(f"{label} {', '.join(self.fields)}")
        return f"{': '.join(where)}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, problems, truncated=False):
        self.problems = problems
        self.truncated = truncated
        lines = [str(problem) for problem in problems]
        if truncated:
            lines.append(f"… stopped after {MAX_PROBLEMS} problems.")
        super().__init__("\n".join(lines))


@dataclass
class Report:
    added: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))

    def note(self, outcome, label, key):
        getattr(self, outcome)[label] += 1
        if len(self.examples[(outcome, label)]) < 10:
            self.examples[(outcome, label)].append(key)

    def lines(self):
        for outcome in ("added", "changed", "removed"):
            for label, count in sorted(getattr(self, outcome).items()):
                keys = ", ".join(
                    json.dumps(list(k), ensure_ascii=False) for k in self.examples[(outcome, label)]
                )
                more = " …" if count > len(self.examples[(outcome, label)]) else ""
                yield f"{outcome} {count} {label}: {keys}{more}"
        total = {
            o: sum(getattr(self, o).values()) for o in ("added", "changed", "unchanged", "removed")
        }
        yield ", ".join(f"{count} {outcome}" for outcome, count in total.items())


def fingerprint(label, key):
    text = json.dumps([label, *key], ensure_ascii=False, default=str)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())


# Reading files -----------------------------------------------------------------------------------


def check_file(path: Path):
    """A problem with the file as a whole (missing, empty, not UTF-8), read in chunks."""
    name = str(path)
    if not path.is_file():
        return Problem(name, "no such file")
    if path.stat().st_size == 0:
        return Problem(name, "the file is empty; a fixture is a JSON list of objects")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                position = offset + error.start
                return Problem(
                    name,
                    f"the file is not UTF-8 (byte 0x{chunk[error.start]:02x} at offset {position})",
                )
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return Problem(name, "the file is not UTF-8 (it ends inside a character)")
    return None


def read_objects(path: Path, progress=None):
    """(index, object) for each object of a fixture file, streamed."""
    with path.open("rb") as stream:
        if progress is not None:
            stream = progress.wrapattr(stream, "read")
        events = ijson.parse(stream, use_float=False)
        try:
            first = next(events, None)
            if first is None or first[1] != "start_array":
                raise _NotAList
            yield from enumerate(ijson.items(events, "item"), start=1)
        except ijson.JSONError as error:
            raise _Malformed(_json_error_summary(error)) from None


def check_structure(path: Path):
    """A problem with the file's shape that would exhaust memory to parse, found cheaply.

    A fixture's objects nest five levels deep (the file's list, an object, its fields, a list
    of clauses) and hold a few thousand values. A crafted file nesting arrays 200,000 deep took
    the parser, which names every value by its path, to 23 GB. This pass reads the file's
    events without paths or objects, in constant memory, and stops at the first excess.
    """
    depth, values = 0, 0
    with path.open("rb") as stream:
        try:
            for kind, _value in ijson.basic_parse(stream, use_float=False):
                if kind in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        return Problem(
                            str(path), f"nested deeper than {MAX_DEPTH} levels; a fixture needs 5"
                        )
                elif kind in ("end_map", "end_array"):
                    depth -= 1
                values = 0 if depth <= 1 else values + 1
                if values > MAX_VALUES_PER_OBJECT:
                    return Problem(
                        str(path), f"an object holds more than {MAX_VALUES_PER_OBJECT} values"
                    )
        except ijson.JSONError:
            return None  # reported where the objects are read, with its position
    return None


class _NotAList(Exception):
    pass


class _Malformed(Exception):
    pass


def _json_error_summary(error):
    text = error.args[0] if error.args else str(error)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    summary = lines[0] if lines else "malformed JSON"
    context = lines[1] if len(lines) > 2 else ""
    return f"malformed JSON: {summary}" + (f" near “{context[:80]}”" if context else "")


# Importing ---------------------------------------------------------------------------------------


class Importer:
    def __init__(self, progress_factory=None):
        self.problems = []
        self.truncated = False
        self.report = Report()
        # label -> {fingerprint of a natural key: where it was first seen, packed in one int}:
        # about 100 bytes an object, however large the object, so memory stays small.
        self.seen = defaultdict(dict)
        self.files = []
        self.failed = set()  # fingerprints of objects that had problems
        self.pk_by_key = {}  # (label, key) -> pk, for sources and countries only
        self.new_countries = set()  # added by this import: their rows cannot exist yet
        self.touched_countries = set()  # added, changed, or with rows added, changed or removed
        self.progress_factory = progress_factory

    # Problems

    def problem(self, *args, **kwargs):
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.problems.append(Problem(*args, **kwargs))

    def pack(self, file, index):
        if file not in self.files:
            self.files.append(file)
        return self.files.index(file) << 40 | index

    def unpack(self, packed):
        return self.files[packed >> 40], packed & ((1 << 40) - 1)

    # Passes

    def run_pass(self, paths, pass_models, first_pass):
        for path in paths:
            name = str(path)
            progress = self.progress_factory(path, first_pass) if self.progress_factory else None
            try:
                for index, raw in read_objects(path, progress):
                    self.handle(name, index, raw, pass_models, first_pass)
                    if self.truncated:
                        return
            except _NotAList:
                if first_pass:
                    self.problem(name, "a fixture is a JSON list of objects, not a single value")
            except _Malformed as error:
                if first_pass:
                    self.problem(name, str(error))
            finally:
                if progress is not None:
                    progress.close()

    def handle(self, file, index, raw, pass_models, first_pass):
        if not isinstance(raw, dict) or not isinstance(raw.get("model"), str):
            if first_pass:
                self.problem(file, 'not an object with a "model"', index)
            return
        label = raw["model"].lower()
        model = MODELS.get(label)
        if model is None:
            if first_pass:
                known = ", ".join(MODELS)
                self.problem(file, f"unknown model “{raw['model']}” (known: {known})", index)
            return
        if model not in pass_models:
            return
        if "pk" in raw:
            self.problem(
                file,
                "primary keys are not accepted; objects are matched by natural key",
                index,
                label,
            )
            return
        fields = raw.get("fields")
        if not isinstance(fields, dict):
            self.problem(file, 'no "fields" object', index, label)
            return
        self.import_object(file, index, model, label, fields)

    def import_object(self, file, index, model, label, fields):
        where = {"file": file, "index": index, "model": label}
        instance, key, field_problems = self.build(model, label, fields)
        where["key"] = key
        for names, message in field_problems:
            self.problem(message=message, fields=names, **where)
        if key is None:
            return
        print_key = fingerprint(label, key)
        if print_key in self.seen[label]:
            first_file, first_index = self.unpack(self.seen[label][print_key])
            message = f"duplicate natural key: already object {first_index} of {first_file}"
            self.problem(message=message, **where)
            return
        self.seen[label][print_key] = self.pack(file, index)
        if field_problems:
            self.failed.add(print_key)
            return

        existing = self.existing(model, key, instance)
        if existing is not None:
            instance.pk = existing.pk
            instance._state.adding = False  # uniqueness checks then leave the row itself out
            instance._state.db = existing._state.db
            # What the file does not hold stays as it is (what `check_ooni` measured, say).
            for model_field in model._meta.concrete_fields:
                if model_field.name in translated_fields(model):
                    continue  # the English again: set from its language's column
                absent = model_field.name not in fields and not model_field.primary_key
                if absent and not getattr(model_field, "auto_now", False):
                    setattr(instance, model_field.attname, model_field.value_from_object(existing))
        try:
            # References were resolved above, and the database checks its own constraints at
            # the save below (reported the same way): asking it again here, one query per
            # constraint and object, would make a large import many times slower.
            relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
            instance.full_clean(exclude=relations, validate_constraints=False)
        except ValidationError as error:
            self.failed.add(print_key)
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problem(message=message, fields=(name,), **where)
            return
        outcome = (
            "added"
            if existing is None
            else ("unchanged" if same(existing, instance) else "changed")
        )
        if outcome != "unchanged":
            try:
                with transaction.atomic():
                    instance.save_base(raw=True, force_insert=existing is None)
            except DatabaseError as error:
                self.failed.add(print_key)
                constraint = violated_constraint(model, str(error))
                if constraint is None:
                    self.problem(message=f"the database refused it: {error}", **where)
                else:
                    message = constraint.get_violation_error_message()
                    self.problem(message=message, fields=constraint_fields(constraint), **where)
                return
        if model in FIRST_PASS:
            self.pk_by_key[(label, key)] = instance.pk
        if model is Country and existing is None:
            self.new_countries.add(instance.pk)
        if outcome != "unchanged" and model is not Source:
            self.touched_countries.add(instance.pk if model is Country else instance.country_id)
        self.report.note(outcome, label, key)

    def build(self, model, label, fields):
        """An unsaved instance from a fixture's fields; (instance, natural key, problems)."""
        problems, values = [], {}
        concrete = {f.name: f for f in model._meta.concrete_fields if not f.primary_key}
        fields = english_columns(model, fields)
        for name, value in fields.items():
            model_field = concrete.get(name)
            if model_field is None:
                try:
                    model._meta.get_field(name)
                    reason = f"“{name}” cannot be imported"
                except FieldDoesNotExist:
                    reason = f"unknown field “{name}”"
                problems.append(((name,), reason))
                continue
            if model_field.is_relation:
                resolved = self.resolve(model_field, value)
                if isinstance(resolved, str):
                    problems.append(((name,), resolved))
                else:
                    values[model_field.attname] = resolved
                continue
            try:
                values[name] = model_field.to_python(value)
            except ValidationError as error:
                problems.append(((name,), " ".join(error.messages)))
        for name, model_field in concrete.items():
            if name in fields or name in translated_fields(model):  # checked by full_clean
                continue
            if getattr(model_field, "auto_now", False):
                values[name] = next_version_stamp()
            elif not model_field.has_default() and not model_field.null and not model_field.blank:
                problems.append(((name,), "missing required field"))
        instance = model(**values)
        return instance, self.natural_key(model, fields, values), problems

    def natural_key(self, model, fields, values):
        key = []
        for name in NATURAL_KEY_FIELDS[model]:
            if name not in fields:
                return None
            if name == "country":
                if not isinstance(fields[name], list):
                    return None
                key.extend(fields[name])
            else:
                # A value that failed conversion still names the object in messages.
                value = values.get(name, fields[name])
                key.append(value.code if hasattr(value, "code") else value)
        return tuple(str(part) if not isinstance(part, int) else part for part in key)

    def resolve(self, model_field, value):
        """The primary key a natural-key reference points to, or a message saying why not."""
        if value is None:
            return None if model_field.null else "missing required reference"
        target = model_field.related_model
        target_label = target._meta.label_lower
        if not isinstance(value, list) or not all(isinstance(part, str | int) for part in value):
            return f'a reference is a list such as ["KZ"], not {json.dumps(value, default=str)}'
        key = tuple(str(part) for part in value)
        if (target_label, key) in self.pk_by_key:
            return self.pk_by_key[(target_label, key)]
        if fingerprint(target_label, key) in self.failed:
            return f"refers to {describe(target_label, key)}, which has problems of its own"
        try:
            pk = target.objects.get_by_natural_key(*key).pk
        except (target.DoesNotExist, TypeError, ValueError):
            return (
                f"refers to {target_label} {json.dumps(list(key), ensure_ascii=False)}, "
                "which is neither in the files nor in the database"
            )
        self.pk_by_key[(target_label, key)] = pk
        return pk

    def existing(self, model, key, instance):
        if model is Country:
            return Country.objects.filter(iso_code=key[0]).first()
        if model is Source:
            return Source.objects.filter(name=key[0]).first()
        country_pk = instance.country_id
        if country_pk is None or country_pk in self.new_countries:
            return None
        lookups = dict(zip(NATURAL_KEY_FIELDS[model][1:], key[1:], strict=True))
        return model.objects.filter(country_id=country_pk, **lookups).first()

    # Removing what the files no longer hold

    def remove_missing(self):
        for model in (*reversed(SECOND_PASS), Country, Source):
            label = model._meta.label_lower
            queryset = model.objects.select_related(*self._key_relations(model))
            doomed = [
                row.pk
                for row in queryset.iterator(chunk_size=2000)
                if fingerprint(label, _normalise(row.natural_key())) not in self.seen[label]
            ]
            for start in range(0, len(doomed), 500):
                batch = doomed[start : start + 500]
                for row in model.objects.filter(pk__in=batch).select_related(
                    *self._key_relations(model)
                ):
                    self.report.note("removed", label, _normalise(row.natural_key()))
                    if model in SECOND_PASS:
                        self.touched_countries.add(row.country_id)
                model.objects.filter(pk__in=batch).delete()

    @staticmethod
    def _key_relations(model):
        return ("country",) if model in SECOND_PASS else ()


def english_columns(model, fields):
    """A fixture's fields with each translated field's text under its English column: a fixture
    from before translations names only `summary`, which is `summary_en`; where both are given,
    the language's column is the text (the other restates it)."""
    fields = dict(fields)
    for name in translated_fields(model):
        if name in fields:
            value = fields.pop(name)
            fields.setdefault(localized(name, REFERENCE_LANGUAGE), value)
    return fields


def describe(label, key):
    return f"{label} {json.dumps(list(key), ensure_ascii=False)}"


def violated_constraint(model, error_text):
    """The model constraint a database error reports, from its name or (SQLite) its columns."""
    for constraint in model._meta.constraints:
        if constraint.name in error_text:
            return constraint
    match = re.search(r"UNIQUE constraint failed: (.+)$", error_text)
    if match:
        columns = {part.strip().split(".")[-1] for part in match.group(1).split(",")}
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if {model._meta.get_field(name).column for name in fields} == columns:
                return constraint
    return None


def constraint_fields(constraint):
    """The fields a constraint is about, named in messages."""
    if isinstance(constraint, models.UniqueConstraint):
        return tuple(constraint.fields)
    names = (
        child[0].split("__")[0]
        for q in constraint.condition.flatten()
        if isinstance(q, models.Q)
        for child in q.children
        if isinstance(child, tuple)
    )
    return tuple(dict.fromkeys(names))


def _normalise(key):
    return tuple(str(part) if not isinstance(part, int) else part for part in key)


def same(existing, instance):
    return all(
        f.value_from_object(existing) == f.value_from_object(instance)
        for f in existing._meta.concrete_fields
        if not f.primary_key
    )


def import_fixture_files(
    paths,
    *,
    remove_missing=False,
    dry_run=False,
    progress_factory=None,
    comment="Imported from fixtures.",
):
    """Import the files all or nothing; returns a Report, or raises ImportFailed."""
    paths = [Path(path) for path in paths]
    file_problems = [
        problem for path in paths if (problem := check_file(path) or check_structure(path))
    ]
    if file_problems:
        raise ImportFailed(file_problems)
    importer = Importer(progress_factory)
    try:
        # The version moves once, with the import's own transaction.
        with transaction.atomic(), changes_batched():
            importer.run_pass(paths, FIRST_PASS, first_pass=True)
            if not importer.truncated:
                importer.run_pass(paths, SECOND_PASS, first_pass=False)
            if importer.problems:
                raise ImportFailed(importer.problems, importer.truncated)
            if remove_missing:
                try:
                    with transaction.atomic():
                        importer.remove_missing()
                except models.ProtectedError as error:
                    raise ImportFailed(
                        [Problem("(database)", f"cannot remove a source still in use: {error}")]
                    ) from None
            touched = Country.objects.filter(pk__in=importer.touched_countries)
            record_revisions(touched.iterator(chunk_size=100), comment)
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass  # everything above was rolled back; the report says what it would have done
    return importer.report


class _DryRunDone(Exception):
    """Leaves the import's transaction so that it rolls back, like any failure would."""
