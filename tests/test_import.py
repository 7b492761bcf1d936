"""import_fixtures: all or nothing, one clear message per problem, updates by natural key."""

import io
import json
import tracemalloc

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from countries.models import COUNTRY_CODES, BlockedSite, Country, Metric
from countries.opendata.importing import import_fixture_files

from .helpers import export, snapshot

pytestmark = pytest.mark.django_db

FIXTURES = settings.FIXTURE_DIRS[0]
SHIPPED = sorted(str(path) for path in FIXTURES.glob("*.json"))


def import_files(*paths, **options):
    out = io.StringIO()
    call_command("import_fixtures", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def country_fields(**overrides):
    fields = {
        "name": "Uzbekistan",
        "slug": "uzbekistan",
        "iso_code": "UZ",
        "region": "143",
        "summary": "A summary.",
        "updated_at": "2026-11-28T09:00:00Z",
    }
    return {**fields, **overrides}


def write(tmp_path, objects, name="input.json"):
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return path


def uzbekistan(**overrides):
    return {"model": "countries.country", "fields": country_fields(**overrides)}


def metric(**fields):
    base = {"country": ["UZ"], "kind": "internet_penetration", "value": "50", "year": 2020}
    return {"model": "countries.metric", "fields": {**base, **fields}}


@pytest.fixture
def before(kazakhstan, tmp_path):
    """The database's content before a bad import, to prove it is left exactly as it was."""
    export(tmp_path / "before")
    return snapshot(tmp_path / "before")


def assert_refused(path_or_paths, before, tmp_path, *expected):
    paths = path_or_paths if isinstance(path_or_paths, list) else [path_or_paths]
    with pytest.raises(CommandError) as failure:
        import_files(*paths)
    message = str(failure.value)
    assert message.startswith("Nothing was imported.")
    for part in expected:
        assert part in message
    export(tmp_path / "after")
    assert snapshot(tmp_path / "after") == before
    assert not Country.objects.filter(iso_code="UZ").exists()
    return message


# Every kind of bad input: one clear message, nothing changed ----------------------------------


def test_malformed_json(tmp_path, before):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "countries.country", "fields": {"name": "X",}}]')
    assert_refused(path, before, tmp_path, f"{path}: malformed JSON")


def test_unknown_model(tmp_path, before):
    path = write(tmp_path, [uzbekistan(), {"model": "auth.user", "fields": {"username": "x"}}])
    assert_refused(path, before, tmp_path, f"{path}: object 2: unknown model “auth.user”")


def test_unknown_field(tmp_path, before):
    path = write(tmp_path, [uzbekistan(colour="blue")])
    assert_refused(
        path, before, tmp_path, 'object 1 (countries.country ["UZ"]): field colour: unknown field'
    )


def test_missing_required_field(tmp_path, before):
    fields = country_fields()
    del fields["name"]
    path = write(tmp_path, [{"model": "countries.country", "fields": fields}])
    assert_refused(
        path, before, tmp_path, '(countries.country ["UZ"]): field name: missing required field'
    )


def test_reference_to_an_object_that_exists_nowhere(tmp_path, before):
    path = write(tmp_path, [uzbekistan(), metric(country=["TJ"])])
    assert_refused(
        path, before, tmp_path,
        'object 2 (countries.metric ["TJ", "internet_penetration", 2020]): field country: '
        'refers to countries.country ["TJ"], which is neither in the files nor in the database',
    )  # fmt: skip


def test_duplicate_natural_key_within_a_file(tmp_path, before):
    path = write(tmp_path, [uzbekistan(), metric(), metric(value="51")])
    assert_refused(
        path, before, tmp_path,
        'object 3 (countries.metric ["UZ", "internet_penetration", 2020]): duplicate natural key: '
        f"already object 2 of {path}",
    )  # fmt: skip


def test_duplicate_across_files(tmp_path, before):
    one = write(tmp_path, [uzbekistan()], "one.json")
    two = write(tmp_path, [uzbekistan(summary="Other.")], "two.json")
    assert_refused([one, two], before, tmp_path, f"{two}: object 1", f"already object 1 of {one}")


def test_duplicate_against_the_database(tmp_path, before):
    # A new country (UZ) may not take a name or an address Kazakhstan already has.
    path = write(tmp_path, [uzbekistan(slug="kazakhstan", name="Kazakhstan")])
    message = assert_refused(
        path, before, tmp_path, "field slug: Country with this Slug already exists."
    )
    assert "field name: Country with this Name already exists." in message


def test_out_of_range_percentage(tmp_path, before):
    path = write(tmp_path, [uzbekistan(), metric(value="154")])
    assert_refused(path, before, tmp_path, "A percentage lies between 0 and 100.", "value")


def test_negative_count(tmp_path, before):
    path = write(tmp_path, [uzbekistan(), metric(kind="internet_users", value="-5")])
    assert_refused(path, before, tmp_path, "field value: A metric cannot be negative.")


def test_invalid_url(tmp_path, before):
    fields = {"country": ["UZ"], "name": "Evil", "url": "javascript:alert(1)", "action": "blocked"}
    site = {"model": "countries.blockedsite", "fields": fields}
    path = write(tmp_path, [uzbekistan(), site])
    assert_refused(path, before, tmp_path, '(countries.blockedsite ["UZ", "Evil"]): field url: ')


def test_wrong_type(tmp_path, before):
    path = write(tmp_path, [uzbekistan(isp_count="three")])
    assert_refused(path, before, tmp_path, "field isp_count: “three” value must be an integer.")


def test_empty_file(tmp_path, before):
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    assert_refused(path, before, tmp_path, f"{path}: the file is empty")


def test_file_that_is_not_utf8(tmp_path, before):
    path = tmp_path / "latin1.json"
    path.write_bytes(
        json.dumps([uzbekistan(name="Ouzbékistan")], ensure_ascii=False).encode("latin-1")
    )
    assert_refused(path, before, tmp_path, f"{path}: the file is not UTF-8 (byte 0xe9 at offset")


def test_a_single_value_instead_of_a_list(tmp_path, before):
    path = write(tmp_path, uzbekistan())
    assert_refused(path, before, tmp_path, "a fixture is a JSON list of objects")


def test_primary_keys_are_refused(tmp_path, before):
    path = write(tmp_path, [{**uzbekistan(), "pk": 7}])
    assert_refused(path, before, tmp_path, "primary keys are not accepted")


def test_one_bad_object_at_the_end_loads_nothing(tmp_path, before):
    good = [uzbekistan(), metric(), metric(kind="internet_users", value="100", year=2019)]
    path = write(tmp_path, [*good, metric(year=2021, value="101")])
    assert_refused(path, before, tmp_path, "object 4")
    assert not Metric.objects.filter(year__in=[2019, 2020]).exists()


# Good input --------------------------------------------------------------------------------------


def test_import_into_an_empty_database_equals_loaddata(tmp_path):
    # Files in reverse order: references between files resolve whatever the order.
    output = import_files(*reversed(SHIPPED))
    assert 'added 1 countries.country: ["KZ"]' in output
    export(tmp_path)
    assert snapshot(tmp_path) == snapshot(FIXTURES)


def test_importing_an_older_export_updates_by_natural_key(kazakhstan, tmp_path):
    export(tmp_path / "old")
    # Newer work in the database since that export:
    Country.objects.filter(pk=kazakhstan.pk).update(summary="A newer summary.")
    Metric.objects.filter(kind="internet_users").delete()
    BlockedSite.objects.create(country=kazakhstan, name="Telegram", action="blocked")

    output = import_files(*sorted((tmp_path / "old").glob("*.json")))
    assert 'changed 1 countries.country: ["KZ"]' in output
    assert 'added 1 countries.metric: ["KZ", "internet_users", 2013]' in output
    assert "0 removed" in output
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary.startswith("Kazakhstan's government")
    assert Metric.objects.filter(kind="internet_users").count() == 1
    assert BlockedSite.objects.filter(name="Telegram").exists()  # kept by default

    output = import_files(*sorted((tmp_path / "old").glob("*.json")), missing="remove")
    assert 'removed 1 countries.blockedsite: ["KZ", "Telegram"]' in output
    assert not BlockedSite.objects.filter(name="Telegram").exists()
    export(tmp_path / "now")
    assert snapshot(tmp_path / "now") == snapshot(tmp_path / "old")


def test_dry_run_reports_the_same_and_writes_nothing(kazakhstan, tmp_path):
    export(tmp_path / "old")
    Country.objects.filter(pk=kazakhstan.pk).update(summary="A newer summary.")
    BlockedSite.objects.create(country=kazakhstan, name="Telegram", action="blocked")
    output = import_files(
        *sorted((tmp_path / "old").glob("*.json")), missing="remove", dry_run=True
    )
    assert 'changed 1 countries.country: ["KZ"]' in output
    assert 'removed 1 countries.blockedsite: ["KZ", "Telegram"]' in output
    assert "Dry run: nothing was written." in output
    kazakhstan.refresh_from_db()
    assert kazakhstan.summary == "A newer summary."
    assert BlockedSite.objects.filter(name="Telegram").exists()


def test_reimporting_the_same_files_changes_nothing(kazakhstan):
    assert "0 added, 0 changed, 12 unchanged, 0 removed" in import_files(*SHIPPED)


def test_a_very_large_file_is_streamed_not_loaded_whole(tmp_path):
    """About 12 MB: 40 entries of 200 sites each. Memory at the peak stays a small part of the
    file: objects are read one at a time, and each entry's revision is recorded on its own."""
    codes = COUNTRY_CODES[:40]
    path = tmp_path / "large.json"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("[\n")
        stream.write(",\n".join(json.dumps(uzbekistan(iso_code=code, name=f"Country {code}",
                                                       slug=f"country-{code.lower()}"))
                                 for code in codes))  # fmt: skip
        for number in range(8_000):
            site = {
                "country": [codes[number % 40]],
                "name": f"Site number {number}",
                "action": "blocked",
                "url": f"site-{number}.example.org",
                "notes": "Reported blocked by several ISPs. " * 42,
            }
            stream.write(",\n" + json.dumps({"model": "countries.blockedsite", "fields": site}))
        stream.write("\n]\n")
    size = path.stat().st_size
    assert size > 10_000_000

    tracemalloc.start()
    report = import_fixture_files([path])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.added["countries.blockedsite"] == 8_000
    assert BlockedSite.objects.count() == 8_000
    assert peak < size / 2, f"peak {peak:,} bytes for a {size:,}-byte file"
