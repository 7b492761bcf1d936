"""import_indicators: the World Bank's series become entries' figures, all or nothing, and an
editor's figure is never overwritten.

The files under data/worldbank/ are in the World Bank's layout with made-up figures: the
download as served (BOM, four preamble lines, CRLF, its metadata file beside it), a newer copy
without BOM or preamble (LF, no metadata, a year more), a broadband file, and bad files.
"""

import io
import shutil
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_countries import countries as iso_countries
from reversion.models import Revision, Version

from countries.cache import content_version
from countries.choices import REGION_OF_COUNTRY, Licence, MetricKind
from countries.models import Country, Metric, Source
from countries.opendata.indicators import DRAFT_SUMMARY, HEADER, SOURCE_NAME

from .factories import CountryFactory, MetricFactory
from .forms import read_form

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "worldbank"
SERVED = DATA / "API_IT.NET.USER.ZS_DS2_en_csv_v2_1.csv"
METADATA = DATA / "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_1.csv"
NEWER = DATA / "API_IT.NET.USER.ZS_DS2_en_csv_v2_2.csv"
BROADBAND = DATA / "API_IT.NET.BBND_DS2_en_csv_v2_3.csv"
BAD = DATA / "bad"
PENETRATION = MetricKind.INTERNET_PENETRATION
BROADBAND_KIND = MetricKind.FIXED_BROADBAND_SUBSCRIPTIONS
USERS_NAME = "Individuals using the Internet (% of population)"
# Kazakhstan's row in SERVED from 1990 on: 16 figures, of which 2013 (54.0) the entry has.
KAZ_FIGURES = 16


def run(*paths, **options):
    out = io.StringIO()
    call_command("import_indicators", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def failure(*paths, **options):
    with pytest.raises(CommandError) as error:
        run(*paths, **options)
    message = str(error.value)
    assert message.startswith("Nothing was imported.\n")
    return message


def figures(country, kind=PENETRATION):
    """{year: (value, source name)} of one kind of an entry's figures."""
    rows = Metric.objects.filter(country=country, kind=kind).select_related("source")
    return {m.year: (m.value, m.source.name if m.source else None) for m in rows}


def state():
    """Everything an import could change, to prove one changed nothing."""
    return {
        "metrics": sorted(
            Metric.objects.values_list("country__iso_code", "kind", "year", "value", "source_id")
        ),
        "countries": sorted(
            Country.objects.values_list("iso_code", "name", "slug", "is_published", "updated_at")
        ),
        "sources": sorted(Source.objects.values_list("name", "url", "licence", "attribution")),
        "revisions": Revision.objects.count(),
        "version": content_version(),
    }


def line_of(report, label):
    """The report's line that starts with `label`."""
    return next(line for line in report.splitlines() if line.startswith(label))


def write_series(path, rows, *, years=range(1960, 2024)):
    """A data file laid out as the World Bank serves it: BOM, preamble, every cell quoted, a
    trailing empty column. `rows` are (name, alpha-3 code, {year: text})."""

    def line(cells):
        return ",".join(f'"{cell}"' for cell in cells) + ",\n"

    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        stream.write('"Data Source","World Development Indicators",\n\n')
        stream.write('"Last Updated Date","2026-07-01",\n\n')
        stream.write(line([*HEADER, *years]))
        for country, alpha3, values in rows:
            cells = [country, alpha3, USERS_NAME, "IT.NET.USER.ZS"]
            stream.write(line([*cells, *(values.get(year, "") for year in years)]))
    return path


# Into the entries that exist ---------------------------------------------------------------------


def test_figures_are_added_to_an_entry_and_the_editors_figure_stays(kazakhstan):
    before = kazakhstan.updated_at
    revisions = Revision.objects.count()
    report = run(SERVED)

    imported = figures(kazakhstan)
    assert imported[2013] == (Decimal("54.00"), "ITU")  # the World Bank says 54.0: the same
    assert imported[2014] == (Decimal("66.00"), SOURCE_NAME)
    assert imported[1992] == (Decimal("0.00"), SOURCE_NAME)  # written 4.37E-06
    assert imported[2005] == (Decimal("3.25"), SOURCE_NAME)  # 3.245, rounded half up
    assert imported[2023] == (Decimal("92.30"), SOURCE_NAME)
    assert min(imported) == 1992  # 1989's figure is before 1990
    assert len(imported) == KAZ_FIGURES
    assert figures(kazakhstan, MetricKind.INTERNET_USERS) == {2013: (Decimal(9577924), "ITU")}

    source = Source.objects.get(name=SOURCE_NAME)
    assert (source.url, source.licence, source.attribution) == (
        "https://data.worldbank.org/indicator/IT.NET.USER.ZS",
        Licence.CC_BY_4,
        "World Bank, World Development Indicators (CC BY 4.0), from ITU data",
    )
    # Only the entries that exist: the others are reported, and wait for --create-drafts.
    assert list(Country.objects.values_list("iso_code", flat=True)) == ["KZ"]
    assert "figures added: 15, e.g. Kazakhstan, internet penetration 1992: 0%" in report
    assert "figures unchanged: 1, e.g. Kazakhstan, internet penetration 2013: 54%" in report
    assert line_of(report, "countries without an entry").endswith(
        ": 3, e.g. Curaçao (CUW); Korea, Rep. (KOR); Kosovo (XKX)"
    )
    assert f"{SERVED}: the World Bank's data of 2026-07-01." in report
    assert report.splitlines()[-1] == (
        "Figures: 15 added, 0 updated, 1 unchanged, 0 kept (the editor's); "
        "0 entries created as drafts."
    )

    # One revision of the entry, with its figures, and a new version of it for open forms.
    assert Revision.objects.count() == revisions + 1
    revision = Revision.objects.latest("pk")
    assert revision.comment == "Imported World Bank indicators (IT.NET.USER.ZS)."
    assert revision.version_set.filter(content_type__model="metric").count() == KAZ_FIGURES + 1
    kazakhstan.refresh_from_db()
    assert kazakhstan.updated_at > before


def test_a_second_import_of_the_same_file_changes_nothing(kazakhstan):
    run(SERVED, create_drafts=True)
    before = state()
    report = run(SERVED, create_drafts=True)
    assert state() == before  # not even the content version: cached pages stay
    assert report.splitlines()[-1] == (
        "Figures: 0 added, 0 updated, 24 unchanged, 0 kept (the editor's); "
        "0 entries created as drafts."
    )


def test_a_newer_file_updates_the_world_banks_figures_and_keeps_the_editors(kazakhstan):
    run(SERVED)
    report = run(NEWER)

    imported = figures(kazakhstan)
    assert imported[2014] == (Decimal("66.50"), SOURCE_NAME)  # revised by the World Bank
    assert imported[2024] == (Decimal("93.10"), SOURCE_NAME)  # a year more
    assert imported[2013] == (Decimal("54.00"), "ITU")  # the editor's, though it now says 54.9
    assert "figures updated (the World Bank's own, revised since): 1, e.g. " in report
    assert "Kazakhstan, internet penetration 2014: 66% → 66.5%" in report
    assert "figures added: 1, e.g. Kazakhstan, internet penetration 2024: 93.1%" in report
    kept = report.splitlines().index("figures kept (the editor's): 1")
    assert report.splitlines()[kept + 1] == (
        "  Kazakhstan, internet penetration 2013: "
        "kept the editor's figure (54%) where the World Bank says 54.9%"
    )
    assert Revision.objects.latest("pk").comment == (
        "Imported World Bank indicators (IT.NET.USER.ZS)."
    )


def test_an_editor_with_the_form_open_keeps_the_imported_figures(kazakhstan, admin_client):
    """The import moves the entry's version on: the editor's save is stopped and told, and
    saving again keeps the editor's text and the imported figures."""
    change = reverse("admin:countries_country_change", args=[kazakhstan.pk])
    form = read_form(admin_client.get(change).content.decode(), "country_form")
    run(SERVED)

    refused = admin_client.post(change, {**form, "summary_en": "The editor's summary."})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This entry was changed by an import" in page
    retry = read_form(page, "country_form")
    assert admin_client.post(change, retry).status_code == 302

    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "The editor's summary."
    assert len(figures(kazakhstan)) == KAZ_FIGURES
    assert figures(kazakhstan)[2014] == (Decimal("66.00"), SOURCE_NAME)


def test_a_figure_entered_without_a_source_is_kept_too(kazakhstan):
    MetricFactory(country=kazakhstan, year=2020, value=Decimal("85"), source=None)
    report = run(SERVED)
    assert figures(kazakhstan)[2020] == (Decimal("85.00"), None)
    assert (
        "  Kazakhstan, internet penetration 2020: "
        "kept the editor's figure (85%) where the World Bank says 85.9%"
    ) in report.splitlines()


def test_an_existing_source_is_reused_as_it_is(kazakhstan):
    source = Source.objects.create(name=SOURCE_NAME, url="https://data.worldbank.org/")
    run(SERVED, BROADBAND)
    assert Source.objects.filter(name=SOURCE_NAME).get().url == "https://data.worldbank.org/"
    assert figures(kazakhstan)[2014] == (Decimal("66.00"), source.name)


def test_fixed_broadband_counts_are_whole(kazakhstan):
    report = run(BROADBAND)
    assert figures(kazakhstan, BROADBAND_KIND) == {
        2012: (Decimal(1534100), SOURCE_NAME),
        2013: (Decimal(1671500), SOURCE_NAME),  # 1.6715E+06
        2014: (Decimal(2500000), SOURCE_NAME),  # 2.5E+06
        2015: (Decimal(2384018), SOURCE_NAME),  # 2384017.5, rounded half up
        2023: (Decimal(2970000), SOURCE_NAME),
    }
    assert "Kazakhstan, fixed broadband subscriptions 2015: 2,384,018" in report
    assert Revision.objects.latest("pk").comment == "Imported World Bank indicators (IT.NET.BBND)."


def test_two_indicators_at_once_make_one_revision_per_entry(kazakhstan):
    revisions = Revision.objects.count()
    run(SERVED, BROADBAND)
    assert Revision.objects.count() == revisions + 1
    assert Revision.objects.latest("pk").comment == (
        "Imported World Bank indicators (IT.NET.USER.ZS, IT.NET.BBND)."
    )
    assert len(figures(kazakhstan, BROADBAND_KIND)) == 5


# Drafts for the countries without an entry -------------------------------------------------------


def test_create_drafts_makes_draft_entries_that_readers_do_not_see(
    kazakhstan, client, admin_client
):
    CountryFactory(
        name="Curacao Island",
        slug="curacao",
        iso_code="AW",
        region=REGION_OF_COUNTRY["AW"],
        is_published=False,
    )
    report = run(SERVED, create_drafts=True)

    drafts = Country.objects.drafts().exclude(iso_code="AW")
    assert sorted(drafts.values_list("iso_code", "name", "slug", "region")) == [
        ("CW", "Curaçao", "curacao-2", REGION_OF_COUNTRY["CW"]),  # "curacao" was taken
        ("KR", str(iso_countries.name("KR")), "south-korea", REGION_OF_COUNTRY["KR"]),
        ("XK", "Kosovo", "kosovo", REGION_OF_COUNTRY["XK"]),  # the World Bank's XKX
    ]
    kosovo = Country.objects.get(iso_code="XK")
    assert kosovo.summary == DRAFT_SUMMARY
    assert figures(kosovo) == {
        2019: (Decimal("89.40"), SOURCE_NAME),
        2020: (Decimal("94.80"), SOURCE_NAME),
        2023: (Decimal("96.20"), SOURCE_NAME),
    }
    assert line_of(report, "entries created as drafts: 3, e.g. ")
    assert "Kosovo (XK, /countries/kosovo/)" in report
    assert Version.objects.get_for_object(kosovo).get().revision.comment == (
        "Imported World Bank indicators (IT.NET.USER.ZS)."
    )

    # Editors find them among the drafts…
    dashboard = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:countries_country_change", args=[kosovo.pk]) in dashboard
    changelist = reverse("admin:countries_country_changelist") + "?is_published__exact=0"
    assert "Curaçao" in admin_client.get(changelist).content.decode()
    # …readers do not: not on the home page, the map, the API, nor at their address.
    for page in ("/", "/?indicator=penetration"):
        html = client.get(page).content.decode()
        assert kazakhstan.get_absolute_url() in html
        assert kosovo.get_absolute_url() not in html
    listed = client.get("/api/v1/countries/").json()["items"]
    assert [item["slug"] for item in listed] == ["kazakhstan"]
    metrics = client.get("/api/v1/metrics/?page_size=100").json()["items"]
    assert {item["country"]["iso_code"] for item in metrics} == {"KZ"}
    assert client.get(kosovo.get_absolute_url()).status_code == 404


def test_a_country_without_a_region_gets_no_draft(tmp_path):
    path = write_series(
        tmp_path / "API_IT.NET.USER.ZS_DS2_en_csv_v2_9.csv",
        [("Antarctica", "ATA", {2020: "1"}), ("Norway", "NOR", {}), ("Chile", "CHL", {2020: "2"})],
    )
    report = run(path, create_drafts=True)
    assert list(Country.objects.values_list("iso_code", flat=True)) == ["CL"]
    assert "countries without a UN M49 sub-region: no draft created: 1, e.g. Antarctica (ATA)" in (
        report
    )
    assert "no draft created: 1, e.g. Norway (NOR)" in report  # nothing to show in it


# Aggregates ---------------------------------------------------------------------------------------


def test_aggregates_are_skipped_by_the_metadata_beside_the_file(kazakhstan):
    report = run(SERVED)
    assert line_of(report, "rows skipped as aggregates").endswith(
        ": 3, e.g. Africa Eastern and Southern (AFE); Upper middle income (UMC); World (WLD)"
    )
    # The metadata knows the Channel Islands as a place, which has no ISO code.
    assert "rows skipped: no ISO 3166 country code: 1, e.g. Channel Islands (CHI)" in report


def test_aggregates_are_skipped_without_the_metadata_as_codes_of_no_country(kazakhstan):
    report = run(NEWER)
    assert line_of(report, "rows skipped as aggregates").endswith(
        ": 4, e.g. Africa Eastern and Southern (AFE); Channel Islands (CHI); "
        "Upper middle income (UMC); World (WLD)"
    )


def test_the_metadata_file_decides_what_is_an_aggregate(kazakhstan, tmp_path):
    shutil.copy(SERVED, tmp_path / SERVED.name)
    text = METADATA.read_text(encoding="utf-8-sig")
    text = text.replace('"KAZ","Europe & Central Asia"', '"KAZ",""')
    (tmp_path / METADATA.name).write_text(text, encoding="utf-8-sig")
    report = run(tmp_path / SERVED.name)
    assert "Kazakhstan (KAZ)" in line_of(report, "rows skipped as aggregates")
    assert figures(kazakhstan) == {2013: (Decimal("54.00"), "ITU")}


# A dry run ----------------------------------------------------------------------------------------


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(kazakhstan):
    before = state()
    dry = run(SERVED, BROADBAND, create_drafts=True, dry_run=True)
    assert state() == before
    assert dry.splitlines()[-1] == "Dry run: nothing was written."
    real = run(SERVED, BROADBAND, create_drafts=True)
    assert dry.splitlines()[:-1] == real.splitlines()
    assert "entries created as drafts: 3" in real


# Problems: nothing is imported, and each is named by file, line, country and year ----------------


def test_bad_values_are_named_by_file_line_country_and_year(kazakhstan):
    message = failure(BAD / "bad_value.csv")
    assert f"{BAD / 'bad_value.csv'}, line 6, Kazakhstan (KAZ), 2014: “n/a” is not a number" in (
        message.splitlines()
    )
    assert f"{BAD / 'bad_value.csv'}, line 6, Kazakhstan (KAZ), 2015: -3 is negative" in (
        message.splitlines()
    )


def test_a_percentage_over_100_is_refused_and_nothing_else_is_imported(kazakhstan):
    before = state()
    message = failure(BROADBAND, BAD / "over_100.csv")
    assert message.splitlines()[1:] == [
        f"{BAD / 'over_100.csv'}, line 3, Kazakhstan (KAZ), 2016: "
        "104.5 is not a percentage (0 to 100)"
    ]
    assert state() == before  # not even the good file's figures


def test_an_unknown_indicator_is_refused_once_with_the_known_ones(kazakhstan):
    message = failure(BAD / "unknown_indicator.csv")
    assert message.splitlines()[1:] == [
        f"{BAD / 'unknown_indicator.csv'}, line 6: the indicator “IT.NET.BBND.P2” "
        "(Fixed broadband subscriptions (per 100 people)) is not one this import knows: "
        "IT.NET.USER.ZS (internet penetration), IT.NET.BBND (fixed broadband subscriptions)"
    ]


def test_the_same_series_twice_is_refused(kazakhstan):
    message = failure(SERVED, NEWER)
    assert (
        f"{NEWER}, line 5, Kazakhstan (KAZ): the same series again: already on line 9 of {SERVED}"
    ) in message.splitlines()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b'[{"model": "countries.country"}]', "line 1: no header line"),
        (b'"Country Name","Country Code"\n"Kazakhstan","KAZ"\n', "line 1: no header line"),
        (
            '"Country Name","Country Code","Indicator Name","Indicator Code","1990","Notes",\n',
            "line 1: column 6 is “Notes”, not a year",
        ),
        (
            '"Country Name","Country Code","Indicator Name","Indicator Code","2020",\n'
            '"Kazakhstan","KAZ","x","IT.NET.USER.ZS","80","81",\n',
            "line 2, Kazakhstan (KAZ): a value “81” beyond the last year's column",
        ),
        (
            '"Country Name","Country Code","Indicator Name","Indicator Code","2020","2100",\n'
            '"Kazakhstan","KAZ","x","IT.NET.USER.ZS","80","81",\n',
            "line 2, Kazakhstan (KAZ), 2100: a figure for a future year",
        ),
        (
            '"Country Name","Country Code","Indicator Name","Indicator Code","2020",\n'
            '"Kazakhstan","KAZ","x","IT.NET.USER.ZS","NaN",\n'
            '"Nowhere","","x","IT.NET.USER.ZS","1",\n'
            '"Kazakhstan","kaz","x","IT.NET.USER.ZS","1",\n',
            "line 2, Kazakhstan (KAZ), 2020: “NaN” is not a number",
        ),
        ("Country Name,Café\n".encode("latin-1"), "the file is not UTF-8"),
        (b'"' + b"x" * 200_000 + b'"\n', "a line longer than 100,000 characters"),
    ],
)
def test_files_that_are_not_the_format_are_refused(kazakhstan, tmp_path, content, expected):
    path = tmp_path / "API_IT.NET.USER.ZS_DS2_en_csv_v2_5.csv"
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = state()
    message = failure(path)
    assert f"{path}{', ' if expected.startswith('line') else ': '}{expected}" in message
    assert state() == before


def test_a_country_code_that_is_not_alpha_3_is_a_problem(kazakhstan, tmp_path):
    path = tmp_path / "API.csv"
    path.write_text(
        '"Country Name","Country Code","Indicator Name","Indicator Code","2020",\n'
        '"Nowhere","","x","IT.NET.USER.ZS","1",\n'
        '"Kazakhstan","kaz","x","IT.NET.USER.ZS","1",\n'
        '"Kazakhstan","KAZ","x","IT.NET.USER.ZS","1E+400",\n',
        encoding="utf-8",
    )
    assert failure(path).splitlines()[1:] == [
        f"{path}, line 2, Nowhere: no country code",
        f"{path}, line 3, Kazakhstan (kaz): “kaz” is not an alpha-3 country code",
        f"{path}, line 4, Kazakhstan (KAZ), 2020: 1E+400 is not a percentage (0 to 100)",
    ]


# The zip the World Bank serves --------------------------------------------------------------------


def test_the_zip_as_served_is_read_with_its_metadata(kazakhstan, tmp_path):
    archive = tmp_path / "API_IT.NET.USER.ZS_DS2_en_csv_v2_1.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(SERVED, SERVED.name)
        zipped.write(METADATA, METADATA.name)
        zipped.writestr(f"Metadata_Indicator_{SERVED.name}", '"INDICATOR_CODE","SOURCE_NOTE",\n')
    from_csv = run(SERVED, dry_run=True)
    from_zip = run(archive, dry_run=True)
    assert from_zip.replace(f"{archive}:", str(DATA) + "/") == from_csv
    assert "Channel Islands (CHI)" in line_of(from_zip, "rows skipped: no ISO")  # the metadata
    run(archive)
    assert len(figures(kazakhstan)) == KAZ_FIGURES


def test_a_zip_without_a_data_file_is_refused(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(METADATA, METADATA.name)
    assert failure(archive).splitlines()[1:] == [f"{archive}: the zip holds no API_….csv data file"]


def test_a_metadata_file_named_with_its_data_file_is_not_read_as_data(kazakhstan):
    assert run(SERVED, METADATA, dry_run=True) == run(SERVED, dry_run=True)
    assert "a metadata file: name its data file" in failure(METADATA)


# What readers then see ----------------------------------------------------------------------------


def test_the_chart_and_the_map_show_the_imported_figures(kazakhstan, client):
    run(SERVED)
    page = client.get(kazakhstan.get_absolute_url()).content.decode()
    assert "Internet penetration, 1992 to 2023" in page  # the chart's title
    assert "<title>2014: 66%</title>" in page
    assert "<title>2013: 54%</title>" in page  # the editor's figure, in the same line
    home = client.get("/?indicator=penetration").content.decode()
    assert "(92.3% in 2023)" in home

    run(NEWER)
    home = client.get("/?indicator=penetration").content.decode()
    assert "(93.1% in 2024)" in home
    assert client.get("/api/v1/countries/").json()["items"][0]["internet_penetration"] == {
        "value": 93.1,
        "year": 2024,
    }


# A real-size file ---------------------------------------------------------------------------------

AGGREGATES = (
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN "
    "LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA "
    "TSS UMC WLD"
).split()


def test_a_real_size_file_with_drafts(kazakhstan, tmp_path):
    """266 rows (217 places, 49 aggregates) by 64 years (1960 to 2023), as served."""
    years = range(1960, 2024)
    others = sorted(code for code in REGION_OF_COUNTRY if code not in {"KZ", "XK"})[:215]
    places = [(str(iso_countries.name(code)), iso_countries.alpha3(code)) for code in others]
    places += [("Kazakhstan", "KAZ"), ("Kosovo", "XKX")]
    rows = [
        (name, alpha3, {year: f"{(year - 1989) * 2.5 + index % 10:.6g}" for year in years[30:]})
        for index, (name, alpha3) in enumerate(places)
    ]
    rows += [(f"Aggregate {code}", code, dict.fromkeys(years, "50")) for code in AGGREGATES]
    assert len(rows) == 266
    path = write_series(tmp_path / "API_IT.NET.USER.ZS_DS2_en_csv_v2_big.csv", rows, years=years)

    started = time.perf_counter()
    report = run(path, create_drafts=True)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = run(path, create_drafts=True)
    second = time.perf_counter() - started
    print(f"\nreal-size import: {first:.2f} s; again, nothing to change: {second:.2f} s")

    assert Country.objects.drafts().count() == 216
    assert Country.objects.published().get() == kazakhstan
    assert Metric.objects.filter(source__name=SOURCE_NAME).count() == 217 * 34 - 1
    assert "rows skipped as aggregates: 49" in report
    assert "kept the editor's figure (54%) where the World Bank says" in report
    assert again.splitlines()[-1] == (
        "Figures: 0 added, 0 updated, 7377 unchanged, 1 kept (the editor's); "
        "0 entries created as drafts."
    )
