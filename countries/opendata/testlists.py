"""Citizen Lab test lists in and out: one country's list, checked, imported, exported.

A test list (citizenlab/test-lists, `lists/<iso2>.csv`) is a CSV of URLs *to test* with OONI
Probe, not findings. Reading one applies the rules of the repository's own linter
(`scripts/lint-lists.py`): the exact header, six columns, URLs of the form
`http(s)://host[:port]/path`, no stray characters, a category code of the legend with the
legend's description, dates written YYYY-MM-DD, no URL twice. Every problem is reported with
its line (the header is line 1) and any problem means nothing is imported.

Importing matches the rows to the country's sites by URL. A matched site keeps every editor's
decision (review, action, status, category, source, notes, name): only what the list says of
it is updated. A row matching no site becomes a *candidate*, which no reader sees until an
editor confirms it. A site that was on the list and is no longer is marked as gone, never
deleted. Importing the same file twice changes nothing the second time.

Exporting writes the country's confirmed sites (and, on request, its candidates) back in the
list's own format, which passes the same linter.
"""

import csv
import datetime
import io
import itertools
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import reversion
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from ..cache import changes_batched
from ..choices import LEGACY_CATEGORY_CODES, Category, Licence, Review
from ..fields import next_version_stamp
from ..models import BlockedSite, Country, Source
from ..validators import validate_url_or_domain

HEADER = ("url", "category_code", "category_description", "date_added", "source", "notes")
MAX_PROBLEMS = 100
EXAMPLES = 10
# The linter's own pattern (scripts/lint-lists.py), ASCII only: under re.IGNORECASE a Unicode
# pattern's [A-Z] would also take the Kelvin sign and the dotless i.
VALID_URL = re.compile(
    r"^(?:http)s?://"
    r"(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+(?:[A-Z]{2,6}\.?|[A-Z0-9-]{2,}\.?)|"
    r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})"
    r"(?::\d+)?"
    r"(?:/?|[/?]\S+)$",
    re.IGNORECASE | re.ASCII,
)
BAD_CHARS = {"\r": "a carriage return", "\n": "a line break", "\t": "a tab", "\\": "a backslash"}
# What a site can hold (models.rows.BlockedSite).
URL_MAX_LENGTH = BlockedSite._meta.get_field("url").max_length
NAME_MAX_LENGTH = BlockedSite._meta.get_field("name").max_length
SOURCE_MAX_LENGTH = BlockedSite._meta.get_field("test_list_source").max_length
TEST_LIST_FIELDS = (
    "test_list_date",
    "test_list_source",
    "test_list_notes",
    "reports_blocking",
    "left_test_list_on",
)
EXPORT_SOURCE = "netfree"
LIST_SOURCE_NAME = "Citizen Lab test list ({iso})"
LIST_SOURCE_URL = "https://github.com/citizenlab/test-lists/blob/master/lists/{iso}.csv"
LIST_ATTRIBUTION = "Citizen Lab and contributors, test-lists (CC BY-NC-SA 4.0)"


def legend():
    """Each current category code with the legend's description (the English label)."""
    with translation.override("en"):
        return {category.value: str(category.label) for category in Category}


# Notes that report a block -------------------------------------------------------------------

# Words that say a site was blocked, in the lists' languages (English, Russian, Kazakh). A
# match is a flag for the editor, never a confirmation. Russian and Kazakh words are matched
# by their stem from the start of a word, so "разблокирован" (unblocked) is not taken.
_BLOCKING_WORDS = re.compile(
    r"""
      \b(?:blocked|banned|throttled|block(?:ing)?\s+order|blocklist(?:ed)?)\b
    | (?<!\w)(?:за)?блокир(?:ован|овк)\w*                 # заблокирован, блокировка
    | (?<!\w)запрещ[её]н\w*                              # запрещён (banned)
    | (?<!\w)(?:ограничен\w*\s+доступ|доступ\w*\s+(?:к\s+\w+\s+)?ограничен)\w*
    | (?<!\w)бұғатта(?:л(?!ма|ме)|у)\w*                  # бұғатталған, бұғаттау; not -ма-
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "Not" within the three words before (in the same clause), or after the verb in Kazakh.
_NEGATION_BEFORE = re.compile(
    r"(?<!\w)(?:not|never|no\s+longer|\w+n['’]t|не|нет|никогда)(?!\w)", re.IGNORECASE
)
_NEGATION_AFTER = re.compile(r"\s*(?:жоқ|емес)(?!\w)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]]")


def reports_blocking(notes):
    """Whether a list's notes report that the site was blocked ("blocked since 2016",
    "Заблокирован по решению суда"), and not that it was not ("not blocked", "no longer
    blocked", "не заблокирован", "бұғатталған жоқ")."""
    for match in _BLOCKING_WORDS.finditer(notes):
        clause = _CLAUSE_END.split(notes[: match.start()])[-1]
        before = " ".join(clause.split()[-3:])
        if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(notes, match.end()):
            continue
        return True
    return False


# Reading and checking a list -----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    line: int
    url: str
    code: str  # as the list writes it, perhaps a legacy code
    category: str  # the current code
    description: str
    date: datetime.date
    source: str
    notes: str

    @property
    def reports_blocking(self):
        return reports_blocking(self.notes)


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line is not None else self.message

    def where(self, name):
        """The problem as reported for file `name`: "kz.csv, line 3: …", "kz.csv: …"."""
        if not name:
            return str(self)
        return f"{name}, {self}" if self.line is not None else f"{name}: {self}"


class TestListInvalid(Exception):
    """The list has problems: nothing was imported."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, problems, truncated=False, name=""):
        self.problems = list(problems)
        self.truncated = truncated
        self.name = name
        super().__init__(self.problems)

    def __str__(self):
        return "\n".join(self.lines())

    def lines(self):
        for problem in self.problems:
            yield problem.where(self.name)
        if self.truncated:
            yield f"… stopped after {MAX_PROBLEMS} problems."


class UnknownCountry(LookupError):
    pass


@dataclass(frozen=True)
class Text:
    """A list's text already in hand (the admin's previewed upload), rather than a path."""

    text: str


def read_text(data):
    """A list's text from a path, a binary or text stream, bytes or a `Text`; UTF-8, BOM or
    not."""
    if isinstance(data, Text):
        raw = data.text
    elif isinstance(data, str | os.PathLike):
        try:
            raw = Path(data).read_bytes()
        except OSError as error:
            raise TestListInvalid(
                [Problem(None, f"cannot read {data}: {error.strerror}")]
            ) from None
    elif hasattr(data, "read"):
        raw = data.read()
    else:
        raw = data
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            message = f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
            raise TestListInvalid([Problem(line, message)]) from None
    return raw.removeprefix("\ufeff")


def show(value):
    """A value as messages quote it: tabs and line breaks visible as \\t, \\n, \\r."""
    return value.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def url_problems(url):
    """Why the linter refuses a URL (an empty list if it does not)."""
    reasons = []
    if url != url.strip():
        reasons.append("spaces at its ends")
    bad = [name for char, name in BAD_CHARS.items() if char in url]
    if bad:
        reasons.append(f"it holds {' and '.join(bad)}")
    if not VALID_URL.match(url):
        if not reasons:
            reasons.append("not of the form http(s)://host[:port]/path")
    else:
        try:
            has_path = urlsplit(url).path != ""
        except ValueError:
            has_path = False
        if not has_path:
            reasons.append("no path: it needs at least a trailing “/”")
        try:
            urlsplit(url).port  # noqa: B018 -- raises ValueError when out of range
        except ValueError:
            reasons.append("its port is not a number from 0 to 65535")
    return reasons


def is_date(value):
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date().isoformat() == value
    except ValueError:
        return False


def lint(text, *, storable=False):
    """(rows, problems, truncated): the linter's rules applied to a list's text.

    With `storable`, also what the site itself needs to hold a row (lengths, a web address
    Django's validator accepts): an import checks both, an export only the linter's rules.
    """
    descriptions = legend()
    rows, problems = [], []

    def problem(line, message):
        problems.append(Problem(line, message))
        return len(problems) >= MAX_PROBLEMS

    if not text.strip():
        return [], [Problem(None, "the file is empty; a test list starts with its header")], False
    reader = csv.reader(io.StringIO(text, newline=""))
    seen = {}
    line = 1
    try:
        header = next(reader)
        if tuple(header) != HEADER and problem(
            1, f"the header must be exactly “{','.join(HEADER)}”, not “{show(','.join(header))}”"
        ):
            return rows, problems, True
        while True:
            line = reader.line_num + 1  # where the next row starts
            try:
                values = next(reader)
            except StopIteration:
                break
            row_problems = _row_problems(values, line, descriptions, seen, storable)
            for message in row_problems:
                if problem(line, message):
                    return rows, problems, True
            if not row_problems:
                url, code, description, date, source, notes = values
                category = LEGACY_CATEGORY_CODES.get(code, code)
                rows.append(
                    Row(
                        line,
                        url,
                        code,
                        str(category),
                        description,
                        datetime.date.fromisoformat(date),
                        source,
                        notes,
                    )
                )
    except csv.Error as error:
        problem(line, f"not readable as CSV from here on: {error}")
    return rows, problems, False


def _row_problems(values, line, descriptions, seen, storable):
    if len(values) != len(HEADER):
        return [f"{len(values)} columns where a row has {len(HEADER)} ({', '.join(HEADER)})"]
    url, code, description, date, source, notes = values
    messages = [f"invalid URL “{show(url)}”: {reason}" for reason in url_problems(url)]
    current = LEGACY_CATEGORY_CODES.get(code, code)
    if current not in descriptions:
        messages.append(f"unknown category code “{show(code)}”")
    elif description != descriptions[current]:
        replaces = f" (which replaces {code})" if code != current else ""
        messages.append(
            f"category description “{show(description)}” is not “{descriptions[current]}”, "
            f"the legend's description of {current}{replaces}"
        )
    if url in seen:
        # As the linter does: a duplicate is reported, and the rest of its row is not checked.
        messages.append(f"duplicate URL “{show(url)}”, already on line {seen[url]}")
        return messages
    seen[url] = line
    if not is_date(date):
        messages.append(f"date_added “{show(date)}” is not a date written YYYY-MM-DD")
    for column, value in (("notes", notes), ("source", source)):
        bad = [name for char, name in BAD_CHARS.items() if char in value]
        if bad:
            verb = "hold" if column == "notes" else "holds"
            messages.append(f"the {column} {verb} {' and '.join(bad)}")
    if storable and not messages:
        messages.extend(_storage_problems(url, source, notes))
    return messages


def _storage_problems(url, source, notes):
    messages = [
        f"the {column} {'hold' if column == 'notes' else 'holds'} a NUL character"
        for column, value in (("URL", url), ("source", source), ("notes", notes))
        if "\x00" in value
    ]  # no database stores one in text (PostgreSQL refuses it)
    if len(url) > URL_MAX_LENGTH:
        messages.append(
            f"the URL has {len(url)} characters; a site's address holds at most {URL_MAX_LENGTH}"
        )
    else:
        try:
            validate_url_or_domain(url)
        except ValidationError:
            messages.append(
                f"the linter accepts “{url}”, but it is not a web address this site stores"
            )
    if len(source) > SOURCE_MAX_LENGTH:
        messages.append(f"the source has {len(source)} characters; at most {SOURCE_MAX_LENGTH}")
    return messages


def read_test_list(data, *, name="", storable=True):
    """The rows of a list, or TestListInvalid naming every problem (at most MAX_PROBLEMS)."""
    try:
        text = read_text(data)
    except TestListInvalid as failure:
        failure.name = name
        raise
    rows, problems, truncated = lint(text, storable=storable)
    if problems:
        raise TestListInvalid(problems, truncated, name)
    return rows


# Matching rows to sites ----------------------------------------------------------------------


def url_key(url):
    """A URL as compared: scheme and host in lowercase, an empty path as "/"."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def _bare(domain):
    return domain.lower().rstrip(".").removeprefix("www.")


def bare_key(url):
    """The bare domain a list's URL stands for ("livejournal.com" for https://www.livejournal
    .com/), or None: only a site's home page, on the default port, stands for its domain."""
    parts = urlsplit(url)
    if parts.path != "/" or parts.query or parts.fragment or parts.port or not parts.hostname:
        return None
    return _bare(parts.hostname)


def _bare_preference(row):
    """Which of a domain's home pages a bare-domain site is matched to first: https before
    http, without "www." before with it, then the list's order."""
    parts = urlsplit(row.url)
    return (parts.hostname.startswith("www."), parts.scheme.lower() != "https", row.line)


def match_rows(rows, sites):
    """{row line: site} for the rows that match an existing site, each site matched once.

    First exact URLs, then URLs equal once scheme and host are lowercased, then a site's bare
    domain ("livejournal.com") for the home page of that domain, with or without "www.".
    """
    by_url, by_key, by_domain = defaultdict(list), defaultdict(list), defaultdict(list)
    for site in sites:
        if not site.url:
            continue
        if "://" in site.url:
            by_url[site.url].append(site)
            by_key[url_key(site.url)].append(site)
        else:
            by_domain[_bare(site.url)].append(site)
    matches, claimed = {}, set()

    def claim(row, options):
        for site in options:
            if site.pk not in claimed:
                claimed.add(site.pk)
                matches[row.line] = site
                return

    for row in rows:
        claim(row, by_url.get(row.url, ()))
    for row in rows:
        if row.line not in matches:
            claim(row, by_key.get(url_key(row.url), ()))
    unmatched = [row for row in rows if row.line not in matches and bare_key(row.url)]
    for row in sorted(unmatched, key=_bare_preference):
        claim(row, by_domain.get(bare_key(row.url), ()))
    return matches


_DOT_SEGMENT = re.compile(r"(?<=/)\.\.?(?=/|$)")


def candidate_name(url, taken):
    """A new candidate's name: its URL, shortened to fit with "…", unique in its country.

    A name is part of a public address (/blocked-sites/<name>/), where browsers resolve "."
    and ".." segments; the model refuses them, so they are written "%2E" here.
    """
    base = _DOT_SEGMENT.sub(lambda match: "%2E" * len(match.group()), url)
    for number in itertools.count(1):
        suffix = f" ({number})" if number > 1 else ""
        room = NAME_MAX_LENGTH - len(suffix)
        name = (base if len(base) <= room else base[: room - 1] + "…") + suffix
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("unreachable")  # pragma: no cover


# The report ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    label: str
    count: int = 0
    examples: list = field(default_factory=list)

    def note(self, example):
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)

    @property
    def more(self):
        return self.count - len(self.examples)


@dataclass
class Report:
    name: str
    country: str
    rows: int = 0
    dry_run: bool = False
    warnings: list = field(default_factory=list)
    added: Outcome = field(default_factory=lambda: Outcome("new candidates"))
    updated: Outcome = field(default_factory=lambda: Outcome("updated"))
    unchanged: Outcome = field(default_factory=lambda: Outcome("unchanged"))
    gone: Outcome = field(default_factory=lambda: Outcome("gone from the list (marked today)"))
    still_gone: Outcome = field(
        default_factory=lambda: Outcome("gone from the list before (still gone)")
    )
    flagged: Outcome = field(
        default_factory=lambda: Outcome("flagged: the list's notes report blocking")
    )

    OUTCOMES = ("added", "updated", "unchanged", "gone", "still_gone", "flagged")

    def outcomes(self):
        """(key, Outcome) in the order they are shown."""
        return [(key, getattr(self, key)) for key in self.OUTCOMES]

    @property
    def changed(self):
        return bool(self.added.count or self.updated.count or self.gone.count)

    def summary(self):
        added = self.added.count
        noun = "new candidate" if added == 1 else "new candidates"
        return (
            f"{added} {noun}, {self.updated.count} updated, {self.unchanged.count} unchanged, "
            f"{self.gone.count} gone, {self.flagged.count} flagged"
        )

    def comment(self):
        """The revision's comment."""
        added = self.added.count
        noun = "new candidate" if added == 1 else "new candidates"
        return (
            f"Imported test list {self.name}: {added} {noun}, {self.updated.count} updated, "
            f"{self.gone.count} gone."
        )

    def lines(self):
        yield f"Test list {self.name} for {self.country}: {self.rows} rows."
        yield from (f"Warning: {warning}" for warning in self.warnings)
        for _key, outcome in self.outcomes():
            if not outcome.count:
                continue
            yield f"{outcome.label}: {outcome.count}"
            for example in outcome.examples:
                yield f"  {example}"
            if outcome.more:
                yield f"  … and {outcome.more} more"
        yield f"{self.summary()}."


# Importing ---------------------------------------------------------------------------------------


def find_country(country):
    if isinstance(country, Country):
        return country
    code = str(country).strip().upper()
    found = Country.objects.filter(iso_code=code).first()
    if found is None:
        raise UnknownCountry(f"No country entry has the ISO code “{code}”.")
    return found


def list_source(country):
    """The Source new candidates cite: this country's test list, made once, reused after."""
    iso = country.iso_code.code
    source, _created = Source.objects.get_or_create(
        name=LIST_SOURCE_NAME.format(iso=iso),
        defaults={
            "url": LIST_SOURCE_URL.format(iso=iso.lower()),
            "licence": Licence.CC_BY_NC_SA_4,
            "attribution": LIST_ATTRIBUTION,
        },
    )
    return source


@dataclass
class _Plan:
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    gone: list = field(default_factory=list)


def _plan(country, rows, report, today):
    sites = list(BlockedSite.objects.filter(country=country).order_by("pk"))
    matches = match_rows(rows, sites)
    taken = {site.name for site in sites}
    plan, problems = _Plan(), []
    labels = {name: BlockedSite._meta.get_field(name).verbose_name for name in TEST_LIST_FIELDS}
    for row in rows:
        flagged = row.reports_blocking
        if flagged:
            report.flagged.note(f"line {row.line}: {row.url}: “{_shorten(row.notes)}”")
        values = {
            "test_list_date": row.date,
            "test_list_source": row.source,
            "test_list_notes": row.notes,
            "reports_blocking": flagged,
            "left_test_list_on": None,
        }
        site = matches.get(row.line)
        if site is not None:
            changed = [name for name, value in values.items() if getattr(site, name) != value]
            if changed:
                for name in changed:
                    setattr(site, name, values[name])
                plan.updated.append(site)
                what = ", ".join(str(labels[name]) for name in changed)
                report.updated.note(f"{_describe(site)}, line {row.line}: {what}")
            else:
                report.unchanged.note(_describe(site))
            continue
        site = BlockedSite(
            country=country,
            name=candidate_name(row.url, taken),
            url=row.url,
            action="",
            category=row.category,
            review=Review.CANDIDATE,
            **values,
        )
        try:
            site.full_clean(
                exclude=["country", "source"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.extend(Problem(row.line, f"{name}: {message}") for message in messages)
            continue
        plan.new.append(site)
        code = row.category if row.code == row.category else f"{row.category} (was {row.code})"
        report.added.note(f"line {row.line}: {row.url} ({code})")
    matched = {site.pk for site in matches.values()}
    for site in sites:
        if site.pk in matched or site.test_list_date is None:
            continue
        what = f"{_describe(site)}, {site.get_review_display()}"
        if site.left_test_list_on is None:
            site.left_test_list_on = today
            plan.gone.append(site)
            report.gone.note(what)
        else:
            report.still_gone.note(f"{what}, gone since {site.left_test_list_on.isoformat()}")
    return plan, problems


def _describe(site):
    """A site as the report names it: its name, and its address if that is something else."""
    if site.name == site.url:
        return site.name
    return f"{site.name} ({site.url or 'no URL'})"


def _shorten(text, length=80):
    return text if len(text) <= length else text[: length - 1] + "…"


def _apply(country, plan, report, user):
    if plan.new:
        source = list_source(country)
        for site in plan.new:
            site.source = source
        BlockedSite.objects.bulk_create(plan.new, batch_size=500)
    if plan.updated:
        BlockedSite.objects.bulk_update(plan.updated, TEST_LIST_FIELDS, batch_size=500)
    if plan.gone:
        BlockedSite.objects.bulk_update(plan.gone, ["left_test_list_on"], batch_size=500)
    # The entry changed: its version moves on, and one revision holds each site the import
    # added or changed, as their history (a site's history is its own, not the entry's).
    stamp = next_version_stamp(country.updated_at)
    Country.objects.filter(pk=country.pk).update(updated_at=stamp)
    reversion.set_comment(report.comment())
    if user is not None:
        reversion.set_user(user)
    for site in (*plan.new, *plan.updated, *plan.gone):
        reversion.add_to_revision(site)


def import_test_list(data, country, *, name="", dry_run=False, user=None, today=None):
    """Import a list into one country, all or nothing; returns a Report.

    `data` is a path, a stream, bytes, or a `Text`; `country` a Country or its ISO code.
    Raises TestListInvalid (nothing imported) or UnknownCountry.
    """
    if not name:
        name = Path(data).name if isinstance(data, str | os.PathLike) else "test list"
    country = find_country(country)
    rows = read_test_list(data, name=name)
    report = Report(name=name, country=f"{country.name} ({country.iso_code.code})", rows=len(rows))
    report.dry_run = dry_run
    stem = Path(name).stem.lower()
    if re.fullmatch(r"[a-z]{2}", stem) and stem != country.iso_code.code.lower():
        report.warnings.append(
            f"the file is named like the list of {stem.upper()}, "
            f"but is imported into {country.iso_code.code}"
        )
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            # Locked as an editor's save locks it: the import and a save go one after the other.
            locked = Country.objects.select_for_update().get(pk=country.pk)
            plan, problems = _plan(locked, rows, report, today)
            if problems:
                raise TestListInvalid(problems[:MAX_PROBLEMS], len(problems) > MAX_PROBLEMS, name)
            if report.changed:
                try:
                    with changes_batched(), reversion.create_revision():
                        _apply(locked, plan, report, user)
                except DatabaseError as error:
                    problem = Problem(None, f"the database refused the import: {error}")
                    raise TestListInvalid([problem], name=name) from None
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass  # everything above was rolled back; the report says what it would have done
    return report


class _DryRunDone(Exception):
    """Leaves the import's transaction so that it rolls back, like any failure would."""


# Exporting ---------------------------------------------------------------------------------------


@dataclass
class Export:
    text: str
    rows: int
    skipped: list  # what was left out or altered, and why, for stderr (one sentence each)


def export_url(url):
    """A site's address as a list writes it, or None: a bare domain becomes https://<domain>/,
    an address with no path gets "/", a non-ASCII host its IDNA ("xn--") form."""
    if not url:
        return None
    if "://" not in url:
        url = f"https://{url.lower()}/"
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if not netloc.isascii():
            host = (parts.hostname or "").encode("idna").decode("ascii")
            netloc = f"{host}:{parts.port}" if parts.port else host
    except (ValueError, UnicodeError):
        return None
    url = f"{parts.scheme}://{netloc}{parts.path or '/'}"
    url += f"?{parts.query}" if parts.query else ""
    url += f"#{parts.fragment}" if parts.fragment else ""
    return None if url_problems(url) else url


def _clean_cell(value):
    for char in BAD_CHARS:
        value = value.replace(char, " ")
    return value


def export_test_list(country, *, include_candidates=False, today=None):
    """The country's confirmed sites (and candidates) as a test list, sorted by URL.

    Dismissed sites are never written, nor candidates gone from the list (nobody confirmed
    them, and the list's maintainers removed them). What is left out is said in `skipped`.
    """
    country = find_country(country)
    today = today or timezone.localdate()
    reviews = [Review.CONFIRMED, *([Review.CANDIDATE] if include_candidates else [])]
    sites = sorted(
        BlockedSite.objects.filter(country=country, review__in=reviews),
        key=lambda site: (site.review != Review.CONFIRMED, site.pk),  # confirmed ones first
    )
    descriptions = legend()
    rows, skipped, seen = {}, [], {}
    for site in sites:
        if site.review == Review.CANDIDATE and site.left_test_list_on is not None:
            gone = site.left_test_list_on.isoformat()
            skipped.append(f"Skipped {site.name}: a candidate gone from the list on {gone}.")
            continue
        url = export_url(site.url)
        if url is None:
            why = "no URL" if not site.url else f"“{site.url}” is not a URL the list accepts"
            skipped.append(f"Skipped {site.name}: {why}.")
            continue
        if url in seen:
            skipped.append(f"Skipped {site.name}: {url} is already written for {seen[url]}.")
            continue
        seen[url] = site.name
        source = _clean_cell(site.test_list_source) or EXPORT_SOURCE
        notes = _clean_cell(site.test_list_notes)
        if (source, notes) != (site.test_list_source or EXPORT_SOURCE, site.test_list_notes):
            skipped.append(f"{site.name}: tabs, line breaks and backslashes written as spaces.")
        category = site.category or Category.MISC
        date = site.test_list_date or today
        rows[url] = (url, category, descriptions[category], date.isoformat(), source, notes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows[url] for url in sorted(rows))
    text = out.getvalue()
    _rows, problems, _truncated = lint(text)
    if problems:  # a bug here, never the data: refuse to write a list the linter refuses
        raise AssertionError("the export fails the linter: " + "; ".join(map(str, problems)))
    return Export(text=text, rows=len(rows), skipped=skipped)
