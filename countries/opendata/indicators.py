"""The World Bank's indicator series imported into entries' figures, all or nothing.

The World Bank republishes ITU's internet series as World Development Indicators (CC BY 4.0):
one CSV per indicator (`API_IT.NET.USER.ZS_DS2_en_csv_v2_<n>.csv`), served in a zip beside
`Metadata_Country_<same name>.csv`. A row is a country or an aggregate (a region, an income
group, the world); the columns from the fifth are years, an empty cell a missing value.

An editor's figure is never overwritten: where the World Bank says otherwise, the editor's is
kept and the report says so. Figures this import added earlier are updated when the World Bank
revises them. Everything happens in one transaction: any problem in any file rolls it all back,
and each message names the file, the line, the country and the year.

Files are read row by row (the csv module over lines of bounded length): memory holds one row,
the metadata's table of some 270 codes, and a key per country and indicator seen.
"""

import csv
import datetime
import io
import re
import zipfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils.text import slugify
from django_countries import countries as iso_countries

from ..cache import changes_batched
from ..choices import REGION_OF_COUNTRY, Licence, MetricKind
from ..fields import next_version_stamp
from ..history import record_revisions
from ..models import COUNTRY_CODES, EARLIEST_YEAR, Country, Metric, Source, format_metric_value
from .importing import MAX_PROBLEMS, ImportFailed

INDICATORS = {
    "IT.NET.USER.ZS": MetricKind.INTERNET_PENETRATION,
    "IT.NET.BBND": MetricKind.FIXED_BROADBAND_SUBSCRIPTIONS,
}
SOURCE_NAME = "World Bank, World Development Indicators"
SOURCE_URL = "https://data.worldbank.org/indicator/{indicator}"
SOURCE_ATTRIBUTION = "World Bank, World Development Indicators (CC BY 4.0), from ITU data"
DRAFT_SUMMARY = "A draft created from the World Bank's indicators: no entry has been written yet."
COMMENT = "Imported World Bank indicators ({indicators})."

# The World Bank's codes for places whose ISO 3166 code is user-assigned, which django-countries
# knows no alpha-3 for (COUNTRIES_OVERRIDE adds XK to the code list).
WORLD_BANK_CODES = {"XKX": "XK"}
HEADER = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
PREAMBLE = ("Data Source", "Last Updated Date")
MAX_PREAMBLE_LINES = 10
METADATA_PREFIX = "Metadata_Country_"
METADATA_PREFIXES = (METADATA_PREFIX, "Metadata_Indicator_")
# A served row is some 1,500 characters (a name, 65 years); a longer line is not this format,
# and would otherwise be read whole into memory.
MAX_LINE = 100_000
EXAMPLES = 5
KEPT_EXAMPLES = 20  # each is an editor's figure to check: the report lists more of them
CENT, UNIT = Decimal("0.01"), Decimal(1)
COUNT_LIMIT = Decimal(10) ** 13  # a Decimal(15, 2) holds 13 digits before the point
ALPHA_3 = re.compile(r"[A-Z]{3}")
YEAR = re.compile(r"\d{4}")
READ_ERRORS = (csv.Error, UnicodeDecodeError)


# Problems and the report -------------------------------------------------------------------------


@dataclass
class Problem:
    file: str
    message: str
    line: int | None = None
    country: str = ""  # as the file names it: "Kazakhstan (KAZ)"
    year: int | None = None

    def __str__(self):
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        where.extend(part for part in (self.country, self.year) if part)
        return f"{', '.join(map(str, where))}: {self.message}"


class IndicatorImportFailed(ImportFailed):
    """Problems in an indicator file, reported as a fixture import reports its own."""


# What the report counts, in the order it says it.
OUTCOMES = {
    "added": "figures added",
    "updated": "figures updated (the World Bank's own, revised since)",
    "unchanged": "figures unchanged",
    "kept": "figures kept (the editor's)",
    "drafts": "entries created as drafts",
    "no_entry": "countries without an entry, not imported (--create-drafts makes drafts of them)",
    "no_region": "countries without a UN M49 sub-region: no draft created",
    "no_figures": "countries without an entry nor figures from 1990 on: no draft created",
    "aggregates": "rows skipped as aggregates",
    "not_iso": "rows skipped: no ISO 3166 country code",
}
SUMMARY = ("added", "updated", "unchanged", "kept", "drafts")


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))
    notes: list = field(default_factory=list)  # the data's dates, a source added

    def note(self, outcome, example):
        self.counts[outcome] += 1
        examples = self.examples[outcome]
        if len(examples) < (KEPT_EXAMPLES if outcome == "kept" else EXAMPLES):
            if example not in examples:  # an aggregate is in every file
                examples.append(example)

    @property
    def changed(self):
        return any(self.counts[outcome] for outcome in ("added", "updated", "drafts"))

    def lines(self):
        yield from self.notes
        for outcome, label in OUTCOMES.items():
            count, examples = self.counts[outcome], self.examples[outcome]
            if not count:
                continue
            more = f"… and {count - len(examples)} more" if count > len(examples) else ""
            if outcome == "kept":  # one a line: each is a figure for an editor to check
                yield f"{label}: {count}"
                yield from (f"  {example}" for example in [*examples, *filter(None, [more])])
            else:
                yield f"{label}: {count}, e.g. {'; '.join(filter(None, [*examples, more]))}"
        added, updated, unchanged, kept, drafts = (self.counts[o] for o in SUMMARY)
        yield (
            f"Figures: {added} added, {updated} updated, {unchanged} unchanged, {kept} kept "
            f"(the editor's); {drafts} entries created as drafts."
        )


# Reading files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesFile:
    """A data file, plain or in a zip, and the metadata file beside it (if there is one)."""

    name: str  # as messages name it: a path, or "archive.zip:member.csv"
    path: Path
    member: str | None = None  # the data file inside the zip at `path`
    metadata: str | None = None  # a path, or a member of the same zip

    @property
    def metadata_name(self):
        return str(self.metadata) if self.member is None else f"{self.path}:{self.metadata}"

    @contextmanager
    def rows(self, metadata=False):
        """The data file's (or the metadata's) CSV rows, read line by line, BOM or not."""
        if self.member is None:
            with open(self.metadata if metadata else self.path, "rb") as raw:
                yield _csv_rows(raw)
            return
        with zipfile.ZipFile(self.path) as archive:
            with archive.open(self.metadata if metadata else self.member) as raw:
                yield _csv_rows(raw)


def _csv_rows(raw):
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    def lines():
        while line := text.readline(MAX_LINE + 1):
            if len(line) > MAX_LINE:
                raise _Unreadable(f"a line longer than {MAX_LINE:,} characters: not this format")
            yield line

    return csv.reader(lines())


class _Unreadable(Exception):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


def series_files(paths):
    """The data files that `paths` name (CSV files or the World Bank's zips); (files, problems).

    A metadata file named among the paths is no data file: it is read beside its data file.
    """
    files, problems = [], []
    paths = [Path(path) for path in paths]
    for path in paths:
        name = str(path)
        if not path.is_file():
            problems.append(Problem(name, "no such file"))
        elif path.stat().st_size == 0:
            problems.append(Problem(name, "the file is empty"))
        elif zipfile.is_zipfile(path):
            files.extend(_files_in_zip(path, problems))
        elif path.name.startswith(METADATA_PREFIXES):
            data = path.with_name(path.name.split("_", 2)[2])
            if data not in paths:
                problems.append(Problem(name, f"a metadata file: name its data file, {data.name}"))
        else:
            metadata = path.with_name(f"{METADATA_PREFIX}{path.name}")
            files.append(SeriesFile(name, path, metadata=metadata if metadata.is_file() else None))
    return files, problems


def _files_in_zip(path, problems):
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError) as error:
        problems.append(Problem(str(path), f"cannot read the zip: {error}"))
        return []
    found = []
    for member in sorted(members):
        folder, _, base = member.rpartition("/")
        if base.startswith("API_") and base.lower().endswith(".csv"):
            metadata = f"{folder}/{METADATA_PREFIX}{base}".lstrip("/")
            found.append(
                SeriesFile(
                    f"{path}:{member}",
                    path,
                    member=member,
                    metadata=metadata if metadata in members else None,
                )
            )
    if not found:
        problems.append(Problem(str(path), "the zip holds no API_….csv data file"))
    return found


def read_metadata(reader):
    """{alpha-3 code: region} from a Metadata_Country_ file; an aggregate's region is empty."""
    header = [cell.strip() for cell in next(reader, [])]
    if "Country Code" not in header or "Region" not in header:
        raise _Unreadable('no "Country Code" and "Region" columns: not a country metadata file', 1)
    code_at, region_at = header.index("Country Code"), header.index("Region")
    return {
        row[code_at].strip(): row[region_at].strip()
        for row in reader
        if len(row) > max(code_at, region_at)
    }


def read_header(reader):
    """Past the preamble (if any) to the header: (the year of each column, the data's date)."""
    updated = ""
    for row in reader:
        cells = [cell.strip() for cell in row]
        if tuple(cells[: len(HEADER)]) == HEADER:
            return _years(cells[len(HEADER) :], reader.line_num), updated
        if (any(cells) and cells[0] not in PREAMBLE) or reader.line_num >= MAX_PREAMBLE_LINES:
            break
        if cells and cells[0] == "Last Updated Date":
            updated = cells[1] if len(cells) > 1 else ""
    expected = ",".join(f'"{name}"' for name in HEADER)
    raise _Unreadable(f"no header line ({expected},…): not a World Bank CSV", reader.line_num)


def _years(columns, line):
    """The year of each column after the first four; a trailing empty column is no year."""
    while columns and not columns[-1]:
        columns.pop()
    years = []
    for position, text in enumerate(columns, start=len(HEADER) + 1):
        if not YEAR.fullmatch(text):
            raise _Unreadable(f"column {position} is “{text}”, not a year", line)
        if int(text) in years:
            raise _Unreadable(f"the year {text} has two columns", line)
        years.append(int(text))
    return years


@dataclass
class SeriesRow:
    line: int
    country_name: str
    code: str  # ISO alpha-3, or the World Bank's own code for an aggregate
    indicator_name: str
    indicator: str
    cells: list  # (year, text) for each cell with a value
    extra: list  # values beyond the last year's column

    @property
    def label(self):
        """The row's country as the file names it: "Kazakhstan (KAZ)"."""
        return f"{self.country_name} ({self.code})" if self.code else self.country_name


def read_rows(reader, years):
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        cells += [""] * (len(HEADER) - len(cells))
        values = cells[len(HEADER) :]
        yield SeriesRow(
            reader.line_num,
            *cells[: len(HEADER)],
            cells=[(year, text) for year, text in zip(years, values, strict=False) if text],
            extra=[text for text in values[len(years) :] if text],
        )


# Importing ---------------------------------------------------------------------------------------


class IndicatorImporter:
    def __init__(self, create_drafts=False):
        self.create_drafts = create_drafts
        self.report = Report()
        self.problems = []
        self.truncated = False
        self.this_year = datetime.date.today().year
        self.source = Source.objects.filter(name=SOURCE_NAME).first()
        # ISO code -> entry pk; the names and slugs taken, for new drafts.
        self.entries, self.names, self.slugs = {}, set(), set()
        for code, pk, name, slug in Country.objects.values_list("iso_code", "pk", "name", "slug"):
            self.entries[code] = pk
            self.names.add(name.casefold())
            self.slugs.add(slug)
        self.seen = {}  # (ISO code, kind) -> where it was read
        self.touched = defaultdict(set)  # entry pk -> indicators that changed its figures
        self.drafts = set()  # entries this import created

    def problem(self, *args, **kwargs):
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.problems.append(Problem(*args, **kwargs))

    def import_file(self, series_file):
        regions = None
        if series_file.metadata is not None:
            try:
                with series_file.rows(metadata=True) as reader:
                    regions = read_metadata(reader)
            except (_Unreadable, *READ_ERRORS) as error:
                self.unreadable(series_file.metadata_name, error)
                return
        refused = set()  # indicators already refused in this file
        try:
            with series_file.rows() as reader:
                years, updated = read_header(reader)
                for row in read_rows(reader, years):
                    if row.indicator not in INDICATORS:
                        if row.indicator not in refused:
                            refused.add(row.indicator)
                            self.refuse_indicator(series_file.name, row)
                        continue
                    self.import_row(series_file.name, row, regions)
                    if self.truncated:
                        return
        except (_Unreadable, *READ_ERRORS) as error:
            self.unreadable(series_file.name, error)
            return
        if updated:
            self.report.notes.append(f"{series_file.name}: the World Bank's data of {updated}.")

    def unreadable(self, name, error):
        if isinstance(error, _Unreadable):
            self.problem(name, error.message, error.line)
        elif isinstance(error, UnicodeDecodeError):
            self.problem(name, "the file is not UTF-8")
        else:
            self.problem(name, f"not a CSV file: {error}")

    def refuse_indicator(self, file, row):
        known = ", ".join(f"{code} ({kind.label.lower()})" for code, kind in INDICATORS.items())
        what = f"“{row.indicator}”" + (f" ({row.indicator_name})" if row.indicator_name else "")
        self.problem(file, f"the indicator {what} is not one this import knows: {known}", row.line)

    def import_row(self, file, row, regions):
        where = {"file": file, "line": row.line, "country": row.label}
        code = self.country_code(row, regions, where)
        if code is None:
            return
        kind = INDICATORS[row.indicator]
        if (code, kind) in self.seen:
            message = f"the same series again: already on {self.seen[code, kind]}"
            self.problem(message=message, **where)
            return
        self.seen[code, kind] = f"line {row.line} of {file}"
        values = self.values(row, kind, where)
        if values is None:
            return
        entry = self.entries.get(code)
        if entry is None and not self.create_drafts:
            self.report.note("no_entry", row.label)
            return
        if entry is not None and not values:
            return
        try:
            # A savepoint: on PostgreSQL a refused statement spoils the rest of a transaction,
            # and the other rows' problems are still to be found.
            with transaction.atomic():
                if entry is None:
                    entry = self.create_draft(code, row, values)
                if entry is not None:
                    self.import_values(entry, kind, row, values)
        except DatabaseError as error:
            self.problem(message=f"the database refused it: {error}", **where)

    def country_code(self, row, regions, where):
        """The ISO code of the row's country; None (reported) for aggregates and the rest."""
        if not row.code:
            self.problem(message="no country code", **where)
            return None
        if not ALPHA_3.fullmatch(row.code):
            self.problem(message=f"“{row.code}” is not an alpha-3 country code", **where)
            return None
        if regions is not None and regions.get(row.code) == "":
            self.report.note("aggregates", row.label)
            return None
        code = WORLD_BANK_CODES.get(row.code) or iso_countries.alpha2(row.code)
        if code not in COUNTRY_CODES:
            # Without the metadata, a code that is no country's is taken as an aggregate's.
            in_metadata = regions is not None and row.code in regions
            self.report.note("not_iso" if in_metadata else "aggregates", row.label)
            return None
        return code

    def values(self, row, kind, where):
        """[(year, value)] from 1990 on, rounded as the kind stores them; None after problems."""
        for text in row.extra:
            self.problem(message=f"a value “{text}” beyond the last year's column", **where)
        values, problems = [], len(self.problems)
        for year, text in row.cells:
            if year < EARLIEST_YEAR:
                continue
            if year > self.this_year:
                self.problem(message="a figure for a future year", year=year, **where)
                continue
            value = self.value(text, kind, {**where, "year": year})
            if value is not None:
                values.append((year, value))
        failed = row.extra or len(self.problems) > problems or self.truncated
        return None if failed else values

    def value(self, text, kind, where):
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problem(message=f"“{text}” is not a number", **where)
        elif value < 0:
            self.problem(message=f"{text} is negative", **where)
        elif kind.is_percentage and value > 100:
            self.problem(message=f"{text} is not a percentage (0 to 100)", **where)
        elif not kind.is_percentage and value >= COUNT_LIMIT:
            self.problem(message=f"{text} is too large for a count", **where)
        else:
            return value.quantize(CENT if kind.is_percentage else UNIT, rounding=ROUND_HALF_UP)
        return None

    def create_draft(self, code, row, values):
        """A draft entry for a country with figures and a sub-region; its pk, or None."""
        region = REGION_OF_COUNTRY.get(code)
        if region is None:
            self.report.note("no_region", row.label)
            return None
        if not values:
            self.report.note("no_figures", row.label)
            return None
        name = str(iso_countries.name(code)) or row.country_name
        if name.casefold() in self.names:
            name = f"{name} ({code})"
        slug = base = slugify(name)[:90] or code.lower()
        number = 2
        while slug in self.slugs:
            slug, number = f"{base}-{number}", number + 1
        draft = Country.objects.create(
            name=name,
            slug=slug,
            iso_code=code,
            region=region,
            summary=DRAFT_SUMMARY,
            is_published=False,
        )
        self.entries[code] = draft.pk
        self.names.add(name.casefold())
        self.slugs.add(slug)
        self.drafts.add(draft.pk)
        self.report.note("drafts", f"{name} ({code}, /countries/{slug}/)")
        return draft.pk

    def import_values(self, entry, kind, row, values):
        existing = {}
        if entry not in self.drafts:
            # The entry's lock, as an editor's save takes it (admin.conflicts): a save under
            # way finishes first, and none starts until the import is done, so no editor's
            # figure changes between being read here and being kept.
            list(Country.objects.select_for_update().filter(pk=entry).values_list("pk"))
            metrics = Metric.objects.filter(country_id=entry, kind=kind)
            for pk, year, value, source in metrics.values_list("pk", "year", "value", "source_id"):
                existing[year] = (pk, value, source)
        added = []
        for year, value in values:
            what = f"{row.country_name}, {kind.label.lower()} {year}"
            says = format_metric_value(value, kind.is_percentage)
            if year not in existing:
                added.append(Metric(country_id=entry, kind=kind, year=year, value=value))
                self.report.note("added", f"{what}: {says}")
                continue
            pk, old, source = existing[year]
            was = format_metric_value(old, kind.is_percentage)
            if old == value:
                self.report.note("unchanged", f"{what}: {says}")
            elif self.source is not None and source == self.source.pk:
                Metric.objects.filter(pk=pk).update(value=value)
                self.touched[entry].add(row.indicator)
                self.report.note("updated", f"{what}: {was} → {says}")
            else:
                message = f"kept the editor's figure ({was}) where the World Bank says {says}"
                self.report.note("kept", f"{what}: {message}")
        if added:
            source = self.world_bank_source(row.indicator)
            for metric in added:
                metric.source = source
            Metric.objects.bulk_create(added)
            self.touched[entry].add(row.indicator)

    def world_bank_source(self, indicator):
        """The source of imported figures: found by name, else created (with this link)."""
        if self.source is None:
            self.source = Source.objects.create(
                name=SOURCE_NAME,
                url=SOURCE_URL.format(indicator=indicator),
                licence=Licence.CC_BY_4,
                attribution=SOURCE_ATTRIBUTION,
            )
            self.report.notes.append(f"Source added: {SOURCE_NAME} ({self.source.url}).")
        return self.source

    def record(self):
        """Move the changed entries' versions on (an editor's open form then learns of the
        change), then record one revision of each."""
        changed = [pk for pk in self.touched if pk not in self.drafts]
        Country.objects.filter(pk__in=changed).update(updated_at=next_version_stamp())
        by_indicators = defaultdict(list)
        for pk, indicators in self.touched.items():
            by_indicators[tuple(code for code in INDICATORS if code in indicators)].append(pk)
        for indicators, pks in by_indicators.items():
            comment = COMMENT.format(indicators=", ".join(indicators))
            record_revisions(
                Country.objects.filter(pk__in=pks).iterator(chunk_size=100),
                comment,
                rows_apart=False,  # figures only: the sites' history has nothing new
            )


def import_indicator_files(paths, *, create_drafts=False, dry_run=False):
    """Import World Bank CSV files (or zips) all or nothing: a Report, or IndicatorImportFailed."""
    files, problems = series_files(paths)
    if problems:
        raise IndicatorImportFailed(problems)
    try:
        # The version moves once, with the import's own transaction.
        with transaction.atomic(), changes_batched():
            importer = IndicatorImporter(create_drafts)
            for series_file in files:
                importer.import_file(series_file)
                if importer.truncated:
                    break
            if importer.problems:
                raise IndicatorImportFailed(importer.problems, importer.truncated)
            importer.record()
            if dry_run or not importer.report.changed:
                # Nothing to keep: leaving by an exception leaves the content version as it was.
                raise _RollBack
    except _RollBack:
        pass
    return importer.report


class _RollBack(Exception):
    """Leaves the import's transaction so that it rolls back, like any failure would."""
