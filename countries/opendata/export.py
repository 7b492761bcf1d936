"""The site's content as data: Django fixtures for maintainers, JSON and CSV for re-users.

One module, used by `export_fixtures`, the admin's downloads and the public /data/ page.

Fixtures are laid out for review in git: `sources.json` (shared reference data) and one file per
country holding the country and every row it owns. The bytes depend only on the content: rows
are sorted in Python by natural key (never by the database, whose collation differs between
SQLite and PostgreSQL), keys keep the model's field order, text stays readable UTF-8, and
primary keys never appear.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from ..models import ENTRY_ROW_RELATIONS, BlockedSite, Country, Source
from ..models.translated import (
    REFERENCE_LANGUAGE,
    localized,
    translated_fields,
    translation_languages,
)
from ..sections import SECTIONS

SHARED_FILE = "sources.json"
DATA_LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
# Not content: who reviewed an entry is a user account, and accounts are never exported; what
# `check_ooni` measures is refreshed there, not kept in git.
UNEXPORTED_FIELDS = {
    "countries.country": {"reviewed_by"},
    "countries.blockedsite": set(BlockedSite.MEASURED_FIELDS),
}
# And not in the public downloads: the editors' working data.
UNPUBLISHED_FIELDS = {"countries.blockedsite": set(BlockedSite.EDITORS_ONLY_FIELDS)}


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class ExportError(Exception):
    pass


# Fixtures -------------------------------------------------------------------------------------


def _dump(item):
    return json.dumps(item, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)


def serialize(objects: Iterable, public=False) -> list[dict]:
    items = serializers.serialize(
        "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    for item in items:
        # The original column of a translated field restates its English (`summary_en`).
        model = apps.get_model(item["model"])
        left_out = UNEXPORTED_FIELDS.get(item["model"], set()) | set(translated_fields(model))
        if public:
            left_out = left_out | UNPUBLISHED_FIELDS.get(item["model"], set())
        for name in left_out:
            item["fields"].pop(name, None)
        if "translation_basis" in item["fields"]:  # after the texts it describes
            item["fields"]["translation_basis"] = item["fields"].pop("translation_basis")
    return items


def render_fixture(objects: Iterable, public=False) -> str:
    """Objects as a fixture in `dumpdata --indent 2` style, natural keys only."""
    items = serialize(objects, public)
    if not items:
        return "[\n]\n"
    return "[\n" + ",\n".join(_dump(item) for item in items) + "\n]\n"


def by_natural_key(rows):
    return sorted(rows, key=lambda row: row.natural_key())


def country_objects(country):
    """A country and its rows in file order; `country` should come `with_rows()`."""
    yield country
    for relation in ENTRY_ROW_RELATIONS:
        yield from by_natural_key(getattr(country, relation).all())


def country_filename(country):
    """The entry's file name: its slug, which must be a slug whatever the database holds, so
    that no export (folder or zip) ever writes outside its folder."""
    if not SLUG.fullmatch(country.slug):
        raise ExportError(f"The slug “{country.slug}” is not a slug; correct it in the admin.")
    filename = f"{country.slug}.json"
    if filename == SHARED_FILE:
        raise ExportError(f"The slug “{country.slug}” is reserved for the shared sources file.")
    return filename


def countries_for_export(slugs=None, published_only=False):
    countries = Country.objects.with_rows(public=published_only).order_by("iso_code")
    if published_only:
        countries = countries.published()
    if slugs:
        countries = countries.filter(slug__in=slugs)
        missing = set(slugs) - set(countries.values_list("slug", flat=True))
        if missing:
            raise ExportError(f"No country with the slug: {', '.join(sorted(missing))}")
    return countries


def sources_for_export(published_only=False):
    """Every source, or for the public only those a published entry cites (a draft's sources
    may name what is not public yet)."""
    return Source.objects.cited_by_published() if published_only else Source.objects.all()


def fixture_files(slugs=None, published_only=False) -> Iterator[tuple[str, str]]:
    """(file name, content) for the shared file and each country, one country in memory at once.

    Maintainers' exports hold drafts too (`is_published` says which); the public's do not.
    """
    sources = by_natural_key(sources_for_export(published_only))
    yield SHARED_FILE, render_fixture(sources, published_only)
    for country in countries_for_export(slugs, published_only).iterator(chunk_size=50):
        yield country_filename(country), render_fixture(country_objects(country), published_only)


def combined_fixture_chunks(published_only=True) -> Iterator[str]:
    """The whole dataset as one fixture file, streamed object by object."""
    first = True
    yield "["
    sources = by_natural_key(sources_for_export(published_only))
    countries = countries_for_export(published_only=published_only).iterator(chunk_size=50)
    for group in (sources, *(country_objects(c) for c in countries)):
        for item in serialize(group, published_only):
            yield ("\n" if first else ",\n") + _dump(item)
            first = False
    yield "\n]\n"


def write_fixture_files(directory: Path, files: Iterable[tuple[str, str]], prune=False):
    """Write the files that changed; with `prune`, delete exported files no longer produced.

    Returns (written, unchanged, removed) lists of file names.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written, unchanged, produced = [], [], set()
    for name, content in files:
        produced.add(name)
        path = directory / name
        if path.resolve().parent != directory.resolve():  # a name is one file in the folder
            raise ExportError(f"Refusing to write {name!r} outside {directory}.")
        data = content.encode()
        if path.exists() and path.read_bytes() == data:
            unchanged.append(name)
            continue
        temporary = path.with_suffix(".json.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # atomic: a reader never sees half a file
        written.append(name)
    removed = []
    if prune:
        for path in sorted(directory.glob("*.json")):
            if path.name not in produced and is_exported_fixture(path):
                path.unlink()
                removed.append(path.name)
    return written, unchanged, removed


def is_exported_fixture(path):
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return '"model": "countries.' in head


def differing_files(directory: Path, files: Iterable[tuple[str, str]], whole_site=True):
    """Names of files that do not match the database: changed, missing, or no longer produced."""
    differing, produced = [], set()
    for name, content in files:
        produced.add(name)
        path = directory / name
        if not path.exists() or path.read_bytes() != content.encode():
            differing.append(name)
    if whole_site:
        for path in sorted(directory.glob("*.json")):
            if path.name not in produced and is_exported_fixture(path):
                differing.append(path.name)
    return differing


def fixtures_zip(slugs=None, published_only=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in fixture_files(slugs, published_only):
            archive.writestr(f"fixtures/{name}", content)
    return buffer.getvalue()


# CSV ---------------------------------------------------------------------------------------------


def _translation_headers(names):
    """The columns of each translation, after the English ones: summary_ru, summary_kk, …"""
    return [localized(name, language) for name in names for language in translation_languages()]


def _translations(obj, names):
    languages = translation_languages()
    return [obj.text_in(name, language) or "" for name in names for language in languages]


def _english(obj, names):
    return [obj.text_in(name, REFERENCE_LANGUAGE) for name in names]


def _country_rows(countries):
    sections = [spec.field for spec in SECTIONS]
    yield [
        "iso_code", "name", "slug", "region_code", "region", "net_neutrality_protection",
        "isp_safe_harbor", "isp_count", "last_reviewed", "updated_at", *sections,
        *_translation_headers(sections),
    ]  # fmt: skip
    for c in countries:
        yield [
            c.iso_code.code, c.name, c.slug, c.region, c.get_region_display(),
            c.net_neutrality_status, c.isp_safe_harbor_status, c.isp_count, c.last_reviewed,
            c.updated_at.isoformat(), *_english(c, sections), *_translations(c, sections),
        ]  # fmt: skip


def _clause_rows(countries):
    yield [
        "country_iso_code", "country", "article", "topic", "clause", "text", "source",
        "source_url", "translation", *_translation_headers(["text"]),
    ]  # fmt: skip
    for c in countries:
        for a in by_natural_key(c.articles.all()):
            source = a.source
            translated = [a.text_in("clauses", lang) or [] for lang in translation_languages()]
            for number, text in enumerate(a.text_in("clauses", REFERENCE_LANGUAGE), start=1):
                yield [
                    c.iso_code.code, c.name, a.number, a.topic, number, text,
                    source.name if source else "", source.url if source else "",
                    a.text_in("translation_note", REFERENCE_LANGUAGE),
                    *(other[number - 1] if number <= len(other) else "" for other in translated),
                ]  # fmt: skip


def _site_rows(countries):
    yield [
        "country_iso_code", "country", "name", "url", "action", "category", "category_name",
        "status", "since_year", "source", "source_url", "notes", *_translation_headers(["notes"]),
    ]  # fmt: skip
    for c in countries:
        for s in by_natural_key(c.blocked_sites.all()):
            yield [
                c.iso_code.code, c.name, s.name, s.url, s.action, s.category,
                s.get_category_display() if s.category else "", s.status, s.since_year,
                s.source.name if s.source else "", s.source.url if s.source else "",
                s.text_in("notes", REFERENCE_LANGUAGE), *_translations(s, ["notes"]),
            ]  # fmt: skip


def _metric_rows(countries):
    yield ["country_iso_code", "country", "kind", "value", "unit", "year", "source", "source_url"]
    for c in countries:
        for m in by_natural_key(c.metrics.all()):
            yield [
                c.iso_code.code, c.name, m.kind, m.value, str(m.unit), m.year,
                m.source.name if m.source else "", m.source.url if m.source else "",
            ]  # fmt: skip


def _isp_rows(countries):
    yield ["country_iso_code", "country", "name", "state_owned"]
    for c in countries:
        for i in by_natural_key(c.isps.all()):
            yield [c.iso_code.code, c.name, i.name, i.state_owned]


CSV_TABLES = {
    "countries": _country_rows,
    "constitutional-clauses": _clause_rows,
    "blocked-sites": _site_rows,
    "metrics": _metric_rows,
    "isps": _isp_rows,
}


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet shows as text: editor text that would start a formula gets a
    leading apostrophe, as OWASP advises. Only the CSV tables do this; fixtures and JSON keep
    the text exactly."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_chunks(table: str) -> Iterator[str]:
    """One CSV table of the whole dataset, streamed row by row."""
    if table == "sources":
        sources = by_natural_key(sources_for_export(published_only=True))
        rows = [["name", "url"], *([s.name, s.url] for s in sources)]
    else:
        published = countries_for_export(published_only=True)
        rows = CSV_TABLES[table](published.iterator(chunk_size=50))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


CSV_TABLE_NAMES = (*CSV_TABLES, "sources")
