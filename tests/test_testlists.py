"""Citizen Lab test lists: the linter's rules, the import's journeys, the export, the admin.

The lists under tests/data/testlists/ are made up for these tests, in the real format (no row of
Citizen Lab's own data): kz.csv (10 rows: a legacy code, notes reporting a block in Russian and
Kazakh, a URL with a port, an IP address, an IDN domain), newer/kz.csv (a later version of it)
and bad/ (one file per rule of the linter).

The admin view is reached through this module's own URLs (`@pytest.mark.urls`), which add its
address to the admin exactly as the blocked-site admin is to wire it.
"""

import csv
import datetime
import io
import re
import time
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Revision, Version

import netfree.urls
from countries.admin.testlists import MAX_UPLOAD_BYTES, import_test_list_view
from countries.cache import content_version
from countries.choices import Category, Licence, Review
from countries.models import BlockedSite, Country, Source
from countries.opendata import testlists
from countries.opendata.testlists import (
    HEADER,
    MAX_PROBLEMS,
    TestListInvalid,
    Text,
    candidate_name,
    export_test_list,
    import_test_list,
    lint,
    match_rows,
    read_test_list,
    reports_blocking,
)

from .factories import CountryFactory, SiteFactory, SourceFactory
from .helpers import EDITOR_PASSWORD

DATA = Path(__file__).parent / "data" / "testlists"
KZ = DATA / "kz.csv"
NEWER = DATA / "newer" / "kz.csv"
BAD = DATA / "bad"
LIST_SOURCE = "Citizen Lab test list (KZ)"
# The rows of kz.csv that match no site of the Kazakhstan fixture (LiveJournal's does).
KZ_NEW = 9


# The admin view's address, wired as the blocked-site admin is to wire it --------------------------


def _urls_with_import_view():
    model_admin = admin.site._registry[BlockedSite]
    view = admin.site.admin_view(partial(import_test_list_view, model_admin=model_admin))
    admin_urls = [
        path(
            "countries/blockedsite/import-test-list/",
            view,
            name="countries_blockedsite_import_test_list",
        ),
        *admin.site.get_urls(),
    ]
    # First, so that "admin:" resolves to these; the rest of the site as it is.
    return [
        path(settings.ADMIN_URL, (admin_urls, "admin", admin.site.name)),
        *netfree.urls.urlpatterns,
    ]


urlpatterns = _urls_with_import_view()
with_import_view = pytest.mark.urls(__name__)


# Helpers -----------------------------------------------------------------------------------------


def run_import(*args):
    out = io.StringIO()
    call_command("import_test_list", *map(str, args), stdout=out)
    return out.getvalue()


def run_export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_test_list", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sites(country):
    return {site.url: site for site in BlockedSite.objects.filter(country=country)}


def state(country):
    """Everything an import could write, to compare before and after."""
    return (
        list(BlockedSite.objects.filter(country=country).order_by("pk").values()),
        list(Source.objects.order_by("pk").values()),
        Country.objects.get(pk=country.pk).updated_at,
        Revision.objects.count(),
        content_version(),
    )


def write_list(path, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def legacy_as_current(text):
    """kz.csv as an export writes it back: its legacy codes as the current ones."""
    return text.replace(",POLT,", ",POLR,").replace(",BLGSERV,", ",HOST,")


# Notes that report a block -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "notes",
    [
        "Blocked by the Committee of information order № 12-3/456",
        "Reportedly blocked since 2016",
        "blocked since March 2018",
        "Заблокирован по решению суда, 2018",
        "Сайт заблокирован с 2019 года",
        "Блокировка с 2020 года",
        "Доступ к сайту ограничен",
        "Бұғатталған 2019 жылдан бері",
        "Сайт бұғатталды",
        "Not a news site, blocked since 2019",
        "Order No 45 blocked it",
        "banned by court order",
    ],
)
def test_notes_reporting_a_block_are_flagged(notes):
    assert reports_blocking(notes)


@pytest.mark.parametrize(
    "notes",
    [
        "",
        "Streams on a non-standard port",
        "Not blocked as of 2022",
        "No longer blocked",
        "isn't blocked any more",
        "Unblocked in 2019",
        "Сайт не заблокирован",
        "Разблокирован в 2020 году",
        "Бұғатталмаған",
        "Бұғатталған жоқ",
        "A blockchain news site",
    ],
)
def test_notes_not_reporting_a_block_are_not(notes):
    assert not reports_blocking(notes)


# The linter's rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kz.csv", "newer/kz.csv", "bom.csv"])
def test_the_good_lists_pass(name):
    rows = read_test_list(DATA / name)
    assert rows and all(row.line >= 2 for row in rows)


def test_a_row_as_read():
    rows = {row.url: row for row in read_test_list(KZ)}
    assert len(rows) == 10
    legacy = rows["https://opposition.example/"]
    assert (legacy.code, legacy.category, legacy.line) == ("POLT", "POLR", 6)
    assert legacy.date == datetime.date(2016, 3, 29)
    assert rows["https://xn--80aswg.xn--p1ai/"].notes == 'A "quoted" word, and a comma'
    assert rows["http://news-portal.example:8080/live/"].source == "partner-kz"
    assert [url for url, row in rows.items() if row.reports_blocking] == [
        "https://forum.example.org/",
        "https://livejournal.com/",
        "https://opposition.example/",
        "https://www.kazakh-news.example/",
    ]


BAD_FILES = {
    "header.csv": [(1, "the header must be exactly")],
    "columns.csv": [
        (3, "5 columns where a row has 6"),
        (4, "7 columns where a row has 6"),
        (5, "0 columns where a row has 6"),  # a blank line
    ],
    "url.csv": [
        (2, "“ftp://files.example/”: not of the form http(s)://host[:port]/path"),
        (3, "“www.example.org/”: not of the form"),
        (4, "“https://no-path.example”: no path"),
        (5, "“ https://leading-space.example/”: spaces at its ends"),
        (6, "“https://trailing-tab.example/\\t”: spaces at its ends"),
        (6, "it holds a tab"),
        (7, "it holds a backslash"),
        (8, "“https://query.example?q=1”: no path"),
        (9, "“https://under_score.example/”: not of the form"),
    ],
    "category.csv": [
        (2, "unknown category code “NWS”"),
        (3, "category description “News” is not “News Media”"),
        (
            4,
            "“Political Content” is not “Political Criticism”, the legend's description of POLR "
            "(which replaces POLT)",
        ),
        (5, "unknown category code “news”"),
    ],  # fmt: skip
    "date.csv": [
        (2, "date_added “2016-3-29” is not a date written YYYY-MM-DD"),
        (3, "“29/03/2016”"),
        (4, "“2016-02-30”"),
        (5, "date_added “”"),
        (6, "“20160329”"),
    ],
    "duplicate.csv": [(4, "duplicate URL “https://a.example/”, already on line 2")],
    "chars.csv": [
        (2, "the notes hold a tab"),
        (3, "the source holds a backslash"),
        (4, "the notes hold a line break"),  # a quoted note over lines 4 and 5
        (6, "the notes hold a backslash"),
    ],
    "not-utf8.csv": [(3, "not UTF-8 (byte 0xe9 at offset ")],
    "empty.csv": [(None, "the file is empty")],
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_every_rule_of_the_linter_reports_its_line_and_nothing_is_written(kazakhstan, name):
    before = state(kazakhstan)
    with pytest.raises(TestListInvalid) as failure:
        import_test_list(BAD / name, "KZ")
    found = [(problem.line, problem.message) for problem in failure.value.problems]
    assert len(found) == len(BAD_FILES[name]), found
    for (line, message), (expected_line, fragment) in zip(found, BAD_FILES[name], strict=True):
        assert line == expected_line and fragment in message, (line, message)
    assert state(kazakhstan) == before
    with pytest.raises(CommandError) as refused:
        run_import(BAD / name, "--country", "KZ")
    lines = str(refused.value).splitlines()
    assert lines[0] == "Nothing was imported."
    assert lines[1:] == list(failure.value.lines())
    line = BAD_FILES[name][0][0]
    assert lines[1].startswith(f"{name}, line {line}: " if line else f"{name}: ")
    assert state(kazakhstan) == before


def test_what_the_site_cannot_hold_is_refused_by_line(kazakhstan, tmp_path):
    too_long = "https://long.example/" + "a" * 500
    ip = "http://1.2.3.999/"  # the linter takes any four numbers; Django's validator does not
    bad = write_list(
        tmp_path / "kz.csv",
        [
            ["https://ok.example/", "NEWS", "News Media", "2020-01-01", "citizenlab", ""],
            [too_long, "NEWS", "News Media", "2020-01-01", "citizenlab", ""],
            [ip, "NEWS", "News Media", "2020-01-01", "citizenlab", ""],
            ["https://src.example/", "NEWS", "News Media", "2020-01-01", "x" * 101, ""],
            ["https://nul.example/", "NEWS", "News Media", "2020-01-01", "x", "a\x00b"],
        ],
    )
    assert not lint(bad.read_text())[1]  # the linter's rules alone accept it
    before = state(kazakhstan)
    with pytest.raises(TestListInvalid) as failure:
        import_test_list(bad, "KZ")
    assert [problem.line for problem in failure.value.problems] == [3, 4, 5, 6]
    assert "at most 500" in failure.value.problems[0].message
    assert "not a web address this site stores" in failure.value.problems[1].message
    assert "at most 100" in failure.value.problems[2].message
    assert failure.value.problems[3].message == "the notes hold a NUL character"
    assert state(kazakhstan) == before


@pytest.mark.parametrize("url", ["https://port.example:99999/", "http://port.example:70000/x"])
def test_a_port_out_of_range_is_a_problem_by_line_not_a_crash(kazakhstan, tmp_path, url):
    bad = write_list(
        tmp_path / "kz.csv", [[url, "NEWS", "News Media", "2020-01-01", "citizenlab", ""]]
    )
    before = state(kazakhstan)
    with pytest.raises(TestListInvalid) as failure:
        import_test_list(bad, "KZ", dry_run=True)
    [problem] = failure.value.problems
    assert problem.line == 2 and "port" in problem.message
    assert state(kazakhstan) == before


def test_problems_are_capped(kazakhstan, tmp_path):
    rows = [
        [f"https://site{n}.example", "NEWS", "News Media", "2020-01-01", "x", ""]
        for n in range(250)
    ]
    with pytest.raises(TestListInvalid) as failure:
        import_test_list(write_list(tmp_path / "kz.csv", rows), "KZ")
    assert len(failure.value.problems) == MAX_PROBLEMS
    assert failure.value.problems[-1].line == MAX_PROBLEMS + 1
    assert list(failure.value.lines())[-1] == f"… stopped after {MAX_PROBLEMS} problems."
    assert not BlockedSite.objects.filter(url__contains="site1.example").exists()


def test_a_bom_and_windows_line_endings_are_read(kazakhstan, tmp_path):
    report = import_test_list(DATA / "bom.csv", "KZ")
    assert report.added.count == 1
    crlf = tmp_path / "kz.csv"
    crlf.write_bytes(KZ.read_bytes().replace(b"\n", b"\r\n"))
    report = import_test_list(crlf, "KZ")
    assert (report.added.count, report.updated.count) == (KZ_NEW, 1)
    # Streams, binary or text, are read as files are.
    assert len(read_test_list(io.BytesIO(KZ.read_bytes()))) == 10
    assert len(read_test_list(io.StringIO(KZ.read_text(encoding="utf-8")))) == 10


def test_an_unknown_country_is_refused(db):
    with pytest.raises(CommandError, match="No country entry has the ISO code “ZZ”"):
        run_import(KZ, "--country", "zz")


# Matching rows to sites --------------------------------------------------------------------------


def test_a_bare_domain_matches_its_home_page_once_https_first(db):
    country = CountryFactory()
    bare = SiteFactory(country=country, name="LiveJournal", url="LiveJournal.com")
    www = SiteFactory(country=country, name="Other", url="www.other.example")
    full = SiteFactory(country=country, name="Full", url="HTTPS://Full.Example/page")
    text = "\n".join(
        [
            ",".join(HEADER),
            "http://livejournal.com/,HOST,Hosting and Blogging Platforms,2020-01-01,x,",
            "https://www.livejournal.com/,HOST,Hosting and Blogging Platforms,2020-01-01,x,",
            "https://livejournal.com/,HOST,Hosting and Blogging Platforms,2020-01-01,x,",
            "https://livejournal.com:8443/,HOST,Hosting and Blogging Platforms,2020-01-01,x,",
            "https://livejournal.com/about/,HOST,Hosting and Blogging Platforms,2020-01-01,x,",
            "http://other.example/,NEWS,News Media,2020-01-01,x,",
            "https://full.example/page,NEWS,News Media,2020-01-01,x,",
            "",
        ]
    )
    rows = read_test_list(Text(text))
    matches = match_rows(rows, [bare, www, full])
    assert {line: site.name for line, site in matches.items()} == {
        4: "LiveJournal",  # https without www first; the other home pages become candidates
        7: "Other",
        8: "Full",
    }


def test_candidate_names_fit_are_unique_and_have_no_dot_segments():
    taken = {"https://a.example/"}
    assert candidate_name("https://a.example/", taken) == "https://a.example/ (2)"
    assert candidate_name("https://a.example/x/../y/.", taken) == "https://a.example/x/%2E%2E/y/%2E"
    long = "https://long.example/" + "p" * 300
    first, second = candidate_name(long, taken), candidate_name(long + "q", taken)
    assert len(first) == len(second) == 200
    assert first.endswith("…") and second.endswith("… (2)")


# The journeys ------------------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(kazakhstan):
    before = state(kazakhstan)
    out = run_import(KZ, "--country", "KZ", "--dry-run")
    assert f"new candidates: {KZ_NEW}" in out
    assert "updated: 1" in out and "LiveJournal (livejournal.com)" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert state(kazakhstan) == before
    assert not Source.objects.filter(name=LIST_SOURCE).exists()
    # The dry run says exactly what the import then does.
    dry = import_test_list(KZ, "KZ", dry_run=True)
    assert dry.dry_run and state(kazakhstan) == before
    real = import_test_list(KZ, "KZ")
    assert list(dry.lines()) == list(real.lines())


def test_import_reimport_newer_triage_reimport(kazakhstan):
    today = timezone.localdate()
    revisions = Revision.objects.count()
    version = content_version()

    # 1. The first import: the rows become candidates, LiveJournal (a bare domain) is matched.
    out = run_import(KZ, "--country", "KZ")
    assert f"{KZ_NEW} new candidates, 1 updated, 0 unchanged, 0 gone, 4 flagged." in out
    found = sites(kazakhstan)
    livejournal = found["livejournal.com"]
    assert (livejournal.name, livejournal.review, livejournal.action, livejournal.category) == (
        "LiveJournal",
        Review.CONFIRMED,
        "blocked_or_throttled",
        "HOST",
    )
    assert livejournal.source is None and livejournal.notes == ""  # the editor's, untouched
    assert livejournal.test_list_date == datetime.date(2014, 4, 15)
    assert livejournal.test_list_notes == "Reportedly blocked since 2014"
    assert livejournal.reports_blocking
    candidate = found["https://opposition.example/"]
    assert candidate.name == "https://opposition.example/"
    assert (candidate.review, candidate.action, candidate.category) == (
        Review.CANDIDATE,
        "",
        "POLR",
    )
    assert candidate.reports_blocking and candidate.test_list_source == "citizenlab"
    assert not found["https://vpn.example/"].reports_blocking  # "Not blocked as of 2022"
    source = candidate.source
    assert (source.name, source.url, source.licence, source.attribution) == (
        LIST_SOURCE,
        "https://github.com/citizenlab/test-lists/blob/master/lists/kz.csv",
        Licence.CC_BY_NC_SA_4,
        "Citizen Lab and contributors, test-lists (CC BY-NC-SA 4.0)",
    )
    assert {site.source_id for site in found.values() if site.review == Review.CANDIDATE} == {
        source.pk
    }
    # One revision of the sites it added or updated (a site's history is its own), saying
    # what the import did.
    assert Revision.objects.count() == revisions + 1
    revision = Revision.objects.latest("pk")
    assert (
        revision.comment
        == f"Imported test list kz.csv: {KZ_NEW} new candidates, 1 updated, 0 gone."
    )
    held = Version.objects.filter(revision=revision, content_type__model="blockedsite")
    assert held.count() == KZ_NEW + 1
    assert BlockedSite.objects.filter(country=kazakhstan).count() == 4 + KZ_NEW
    assert not Version.objects.filter(revision=revision, content_type__model="country").exists()
    assert content_version() > version
    updated_at = Country.objects.get(pk=kazakhstan.pk).updated_at
    assert updated_at > kazakhstan.updated_at

    # 2. The same file again changes nothing at all.
    before = state(kazakhstan)
    out = run_import(KZ, "--country", "KZ")
    assert "0 new candidates, 0 updated, 10 unchanged, 0 gone, 4 flagged." in out
    assert state(kazakhstan) == before

    # 3. A newer list: new candidates, a changed note, a row gone.
    report = import_test_list(NEWER, "KZ")
    assert (report.added.count, report.updated.count, report.unchanged.count) == (3, 1, 8)
    assert report.gone.examples == ["https://secure-mail.example/, Candidate: to triage"]
    assert report.comment() == "Imported test list kz.csv: 3 new candidates, 1 updated, 1 gone."
    assert Revision.objects.latest("pk").comment == report.comment()
    found = sites(kazakhstan)
    assert found["https://secure-mail.example/"].left_test_list_on == today
    assert found["https://vpn.example/"].reports_blocking  # "Reportedly blocked since 2023"
    long_names = sorted(site.name for url, site in found.items() if "long.example" in url)
    assert [len(name) for name in long_names] == [200, 200]
    assert long_names[0].endswith("…") and long_names[1].endswith("… (2)")
    assert Source.objects.filter(name=LIST_SOURCE).count() == 1  # reused

    # 4. Triage: one candidate confirmed (with what was done, a source, a name), one dismissed.
    law = SourceFactory(name="Order of the Committee of information, 2016")
    opposition = found["https://opposition.example/"]
    opposition.review, opposition.action, opposition.source = Review.CONFIRMED, "blocked", law
    opposition.name, opposition.status, opposition.notes = "Opposition site", "ongoing", "Checked."
    opposition.save()
    vpn = found["https://vpn.example/"]
    vpn.review = Review.DISMISSED
    vpn.save()

    # 5. The newer list again: the decisions stand, the gone row is still reported.
    before = state(kazakhstan)
    report = import_test_list(NEWER, "KZ")
    assert (report.added.count, report.updated.count, report.gone.count) == (0, 0, 0)
    assert report.still_gone.count == 1
    assert report.still_gone.examples[0].startswith("https://secure-mail.example/")
    assert report.still_gone.examples[0].endswith(f"gone since {today.isoformat()}")
    assert state(kazakhstan) == before

    # 6. The older list again: the gone row is back, the newer rows are gone; no decision moves.
    report = import_test_list(KZ, "KZ")
    assert (report.added.count, report.updated.count, report.gone.count) == (0, 2, 3)
    found = sites(kazakhstan)
    assert found["https://secure-mail.example/"].left_test_list_on is None
    assert found["https://new-opposition.example/"].left_test_list_on == today
    opposition = found["https://opposition.example/"]
    assert (opposition.name, opposition.review, opposition.action, opposition.source) == (
        "Opposition site",
        Review.CONFIRMED,
        "blocked",
        law,
    )
    assert (opposition.status, opposition.notes, opposition.category) == (
        "ongoing",
        "Checked.",
        "POLR",
    )
    vpn = found["https://vpn.example/"]
    assert vpn.review == Review.DISMISSED and vpn.test_list_notes == "Not blocked as of 2022"
    assert not vpn.reports_blocking
    assert BlockedSite.objects.filter(country=kazakhstan).count() == 4 + KZ_NEW + 3  # none deleted


# Exporting ---------------------------------------------------------------------------------------


def test_import_then_export_gives_the_list_back_byte_for_byte(kazakhstan, tmp_path):
    import_test_list(KZ, "KZ")
    text, err = run_export("--country", "KZ", "--include-candidates")
    assert text == legacy_as_current(KZ.read_text(encoding="utf-8"))
    # The fixture's confirmed sites without an address are named, not written.
    assert "Skipped Adil Soz: no URL." in err and "Skipped blogs: no URL." in err
    assert err.rstrip().endswith("10 rows written to stdout.")
    output = tmp_path / "out"
    output.mkdir()
    run_export("--country", "KZ", "--include-candidates", "--output", output / "kz.csv")
    assert (output / "kz.csv").read_bytes() == legacy_as_current(KZ.read_text()).encode()


def test_export_writes_confirmed_sites_and_candidates_only_on_request(kazakhstan):
    import_test_list(NEWER, "KZ")
    import_test_list(KZ, "KZ")  # the newer rows are now candidates gone from the list
    found = sites(kazakhstan)
    found["https://vpn.example/"].review = Review.DISMISSED
    found["https://vpn.example/"].save()
    confirmed = found["https://forum.example.org/"]
    confirmed.review, confirmed.action = Review.CONFIRMED, "blocked"
    confirmed.save()

    text, err = run_export("--country", "KZ")
    urls = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert urls == ["https://forum.example.org/", "https://livejournal.com/"]

    text, err = run_export("--country", "KZ", "--include-candidates")
    urls = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert "https://vpn.example/" not in urls  # dismissed: never written
    assert "https://new-opposition.example/" not in urls  # a candidate gone from the list
    assert "Skipped https://new-opposition.example/: a candidate gone from the list on" in err
    assert len(urls) == 9 and urls == sorted(urls)
    assert not lint(text)[1]


def test_the_export_passes_the_linter_whatever_the_sites_hold(db):
    country = CountryFactory()
    today = timezone.localdate()
    SiteFactory(country=country, name="Bare", url="Example.ORG")  # no category, no list date
    SiteFactory(country=country, name="No path", url="http://no-path.example", category="NEWS")
    SiteFactory(country=country, name="Same", url="https://example.org/", category="NEWS")
    SiteFactory(country=country, name="Unicode", url="https://президент.рф/путь", category="GOVT")
    SiteFactory(country=country, name="None", url="")
    SiteFactory(
        country=country,
        name="Odd notes",
        url="https://notes.example/",
        test_list_notes="two\nlines\tand a back\\slash",
        test_list_source="someone",
        test_list_date=datetime.date(2020, 1, 2),
    )
    SiteFactory(country=country, name="Dismissed", url="https://no.example/", review="dismissed")
    export = export_test_list(country)
    assert not lint(export.text)[1]
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == list(HEADER)
    by_url = {row[0]: row for row in rows[1:]}
    assert by_url["https://example.org/"][1:] == [
        "MISC", "Miscellaneous content", today.isoformat(), "netfree", ""
    ]  # fmt: skip
    assert "http://no-path.example/" in by_url
    assert "https://xn--d1abbgf6aiiy.xn--p1ai/путь" in by_url  # the host in its IDNA form
    assert by_url["https://notes.example/"][3:] == [
        "2020-01-02",
        "someone",
        "two lines and a back slash",
    ]
    assert "https://no.example/" not in by_url
    assert export.skipped == [
        "Skipped Same: https://example.org/ is already written for Bare.",
        "Skipped None: no URL.",
        "Odd notes: tabs, line breaks and backslashes written as spaces.",
    ]


# Candidates are never public ---------------------------------------------------------------------


CHANGES_SECTION = re.compile(r'<section id="changes".*?</section>', re.DOTALL)


def test_candidates_appear_on_no_public_page(client, kazakhstan):
    import_test_list(KZ, "KZ")
    candidates = ("opposition.example", "forum.example.org", "198.51.100.7")
    public = (
        "/countries/kazakhstan/",
        "/blocked-sites/",
        "/api/v1/blocked-sites/",
        "/api/v1/countries/kazakhstan/",
        "/search/?q=opposition",
        "/data/csv/blocked-sites.csv",
        "/data/netfree.json",
    )
    for address in public:
        response = client.get(address)
        assert response.status_code == 200, address
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # The entry's list of public changes is checked below, on its own.
        content = CHANGES_SECTION.sub("", body.decode())
        assert not [candidate for candidate in candidates if candidate in content], address
    assert "LiveJournal" in client.get("/blocked-sites/").content.decode()
    assert client.get("/api/v1/blocked-sites/").json()  # confirmed sites are still there
    address = reverse("countries:blocked_site", args=["https://opposition.example/"])
    assert client.get(address).status_code == 404
    # Once an editor confirms it, readers see it.
    site = BlockedSite.objects.get(url="https://opposition.example/")
    site.review, site.action = Review.CONFIRMED, "blocked"
    site.save()
    assert "opposition.example" in client.get("/blocked-sites/").content.decode()
    assert client.get(address).status_code == 200


def test_candidates_appear_in_no_public_list_of_changes(client, kazakhstan):
    """The import is a revision of the entry; what readers are told changed leaves out the
    candidates and what the list says of a confirmed site (countries.history)."""
    import_test_list(KZ, "KZ")
    page = client.get("/countries/kazakhstan/").content.decode()
    changes = "".join(CHANGES_SECTION.findall(page))
    assert changes and "opposition.example" not in changes
    assert "LiveJournal" not in changes  # only its test-list fields changed
    feed = client.get(reverse("countries:feed_country", kwargs={"slug": "kazakhstan"}))
    assert "opposition.example" not in feed.content.decode()


# A list of real size -----------------------------------------------------------------------------


def test_a_list_of_real_size(kazakhstan, tmp_path, capsys):
    categories = list(Category)
    rows = [
        [
            f"https://site{n:04d}.example/{'news/' if n % 3 else ''}",
            categories[n % len(categories)].value,
            testlists.legend()[categories[n % len(categories)].value],
            f"20{10 + n % 15}-0{1 + n % 9}-1{n % 10}",
            "citizenlab" if n % 4 else "partner-kz",
            "Reportedly blocked since 2019" if n % 50 == 0 else "",
        ]
        for n in range(1100)
    ]
    big = write_list(tmp_path / "kz.csv", sorted(rows))
    started = time.perf_counter()
    report = import_test_list(big, "KZ")
    imported = time.perf_counter() - started
    assert report.added.count == 1100 and report.flagged.count == 22
    assert len(report.added.examples) == 10 and report.added.more == 1090
    started = time.perf_counter()
    again = import_test_list(big, "KZ")
    reimported = time.perf_counter() - started
    assert (again.added.count, again.updated.count, again.unchanged.count) == (0, 0, 1100)
    started = time.perf_counter()
    export = export_test_list("KZ", include_candidates=True)
    exported = time.perf_counter() - started
    written = [line for line in export.text.splitlines() if ".example/" in line]
    assert written == big.read_text().splitlines()[1:]  # and LiveJournal, the fixture's
    with capsys.disabled():
        print(
            f"\n1,100 rows: import {imported:.2f} s, re-import {reimported:.2f} s, "
            f"export {exported:.2f} s"
        )


# The admin: upload, preview, import --------------------------------------------------------------


def upload(text, name="kz.csv"):
    data = text if isinstance(text, bytes) else text.encode()
    return SimpleUploadedFile(name, data, content_type="text/csv")


IMPORT_URL = "admin:countries_blockedsite_import_test_list"


@with_import_view
def test_admin_upload_preview_import(admin_client, kazakhstan):
    url = reverse(IMPORT_URL)
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="country"' in html and 'type="file"' in html and "Kazakhstan" in html
    assert "Import a test list" in html and 'id="site-name"' in html  # the admin's own look

    before = state(kazakhstan)
    preview = admin_client.post(url, {"country": kazakhstan.pk, "file": upload(KZ.read_bytes())})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Nothing has been written yet." in html
    assert f"{KZ_NEW} new candidates, 1 updated" in html
    assert "https://opposition.example/ (POLR (was POLT))" in html
    assert state(kazakhstan) == before  # the preview was a dry run
    signed = preview.context["confirm_form"]["previewed"].value()

    done = admin_client.post(url, {"previewed": signed})
    assert done.status_code == 302
    changelist = reverse("admin:countries_blockedsite_changelist")
    assert done["Location"] == f"{changelist}?country__id__exact={kazakhstan.pk}"
    assert BlockedSite.objects.filter(country=kazakhstan, review=Review.CANDIDATE).count() == KZ_NEW
    revision = Revision.objects.latest("pk")
    assert revision.user.is_superuser and revision.comment.startswith("Imported test list kz.csv")
    listing = admin_client.get(done["Location"])
    assert listing.status_code == 200
    assert f"Imported kz.csv into Kazakhstan: {KZ_NEW} new candidates" in listing.content.decode()

    # Sending the same preview again imports nothing more.
    admin_client.post(url, {"previewed": signed})
    assert BlockedSite.objects.filter(country=kazakhstan).count() == 4 + KZ_NEW


@with_import_view
def test_admin_imports_only_what_was_previewed(admin_client, kazakhstan):
    url = reverse(IMPORT_URL)
    preview = admin_client.post(url, {"country": kazakhstan.pk, "file": upload(KZ.read_bytes())})
    signed = preview.context["confirm_form"]["previewed"].value()
    before = state(kazakhstan)
    tampered = signed.replace(signed[5], "A" if signed[5] != "A" else "B", 1)
    for value in (tampered, "", "not signed at all"):
        response = admin_client.post(url, {"previewed": value})
        assert response.status_code == 400
        assert "cannot be imported" in response.content.decode()
    assert state(kazakhstan) == before


@with_import_view
def test_admin_shows_every_problem_and_offers_no_import(admin_client, kazakhstan):
    url = reverse(IMPORT_URL)
    before = state(kazakhstan)
    response = admin_client.post(
        url, {"country": kazakhstan.pk, "file": upload((BAD / "url.csv").read_bytes(), "url.csv")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "has 9 problems, so nothing can be imported" in html
    assert "url.csv, line 2: invalid URL" in html and "url.csv, line 9: invalid URL" in html
    assert 'name="previewed"' not in html and "confirm_form" not in response.context
    assert state(kazakhstan) == before


@with_import_view
def test_admin_refuses_a_file_over_5_mb(admin_client, kazakhstan):
    big = (",".join(HEADER) + "\n").encode() + b"x" * MAX_UPLOAD_BYTES
    response = admin_client.post(
        reverse(IMPORT_URL), {"country": kazakhstan.pk, "file": upload(big)}
    )
    assert response.status_code == 200
    assert "a test list can be at most 5.0" in response.content.decode()
    assert not BlockedSite.objects.filter(review=Review.CANDIDATE).exists()


@with_import_view
def test_admin_import_needs_both_permissions(client, django_user_model, kazakhstan):
    url = reverse(IMPORT_URL)
    user = django_user_model.objects.create_user("helper", password=EDITOR_PASSWORD, is_staff=True)
    client.force_login(user)
    assert client.get(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="change_blockedsite"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions are cached on the object
    client.force_login(user)
    assert client.get(url).status_code == 403
    response = client.post(url, {"country": kazakhstan.pk, "file": upload(KZ.read_bytes())})
    assert response.status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_blockedsite"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the admin's sign-in
    assert not BlockedSite.objects.filter(review=Review.CANDIDATE).exists()


@with_import_view
def test_admin_preview_of_one_editor_is_not_another_editors(admin_client, editor, kazakhstan):
    url = reverse(IMPORT_URL)
    preview = admin_client.post(url, {"country": kazakhstan.pk, "file": upload(KZ.read_bytes())})
    signed = preview.context["confirm_form"]["previewed"].value()
    admin_client.force_login(editor)
    assert admin_client.post(url, {"previewed": signed}).status_code == 400
    assert not BlockedSite.objects.filter(review=Review.CANDIDATE).exists()
