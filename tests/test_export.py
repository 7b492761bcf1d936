"""Fixture export: deterministic, natural keys only, lossless, the same on SQLite and PostgreSQL."""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import CONTENT_MODELS, Country
from countries.opendata.export import CSV_TABLE_NAMES

from .factories import (
    ArticleFactory,
    CountryFactory,
    IspFactory,
    MetricFactory,
    SiteFactory,
    SourceFactory,
)
from .helpers import export, snapshot

pytestmark = pytest.mark.django_db(transaction=False)

FIXTURES = settings.FIXTURE_DIRS[0]


def clear_content():
    for model in reversed(CONTENT_MODELS):
        model.objects.all().delete()


def build_dataset(reverse_order=False):
    """Two countries with every kind of row, unicode, nulls and decimals, in a chosen order."""
    steps = [
        lambda: SourceFactory(name="ITU"),
        lambda: SourceFactory(name="Адил Соз", url="https://adilsoz.kz/"),
        lambda: CountryFactory(name="Kazakhstan", slug="kazakhstan", iso_code="KZ",
                               summary="Қазақстан — *summary*.", isp_count=3),
        lambda: CountryFactory(name="Kyrgyzstan", slug="kyrgyzstan", iso_code="KG",
                               net_neutrality_status="partial"),
    ]  # fmt: skip
    rows = [
        lambda: ArticleFactory(country=Country_coded("KZ"), number="20", order=1),
        lambda: ArticleFactory(country=Country_coded("KZ"), number="18", topic="privacy"),
        lambda: SiteFactory(country=Country_coded("KZ"), name="Голос Республики"),
        lambda: SiteFactory(country=Country_coded("KZ"), name="blogs", category="HOST"),
        lambda: SiteFactory(country=Country_coded("KZ"), name="LiveJournal", since_year=2012,
                            url="livejournal.com", source=Source_named("Адил Соз")),
        lambda: MetricFactory(country=Country_coded("KZ"), kind="internet_users",
                              value=9577924, year=2013, source=Source_named("ITU")),
        lambda: MetricFactory(country=Country_coded("KZ"), value=Decimal("54.5"), year=2013),
        lambda: MetricFactory(country=Country_coded("KG"), value=Decimal("7"), year=2010),
        lambda: IspFactory(country=Country_coded("KZ"), name="Kaztelecom", state_owned=True),
        lambda: IspFactory(country=Country_coded("KZ"), name="beeline"),
    ]  # fmt: skip
    if reverse_order:
        steps, rows = steps[::-1], rows[::-1]
    for step in steps + rows:
        step()
    # The same moment for both builds: `updated_at` is content too.
    Country.objects.update(updated_at="2026-11-28T09:30:00.123456Z")


def Source_named(name):  # noqa: N802 - reads as a constructor in the table above
    from countries.models import Source

    return Source.objects.get(name=name)


def Country_coded(iso_code):  # noqa: N802 - as Source_named
    return Country.objects.get(iso_code=iso_code)


def test_export_of_the_loaded_fixtures_is_byte_identical_to_them(kazakhstan, tmp_path):
    export(tmp_path)
    assert snapshot(tmp_path) == snapshot(FIXTURES)


def test_files_are_one_per_country_plus_sources(tmp_path):
    build_dataset()
    export(tmp_path)
    assert sorted(snapshot(tmp_path)) == ["kazakhstan.json", "kyrgyzstan.json", "sources.json"]
    kazakhstan = json.loads((tmp_path / "kazakhstan.json").read_text())
    models = [item["model"] for item in kazakhstan]
    assert models[0] == "countries.country"
    assert set(models) == {
        "countries.country",
        "countries.constitutionalarticle",
        "countries.blockedsite",
        "countries.metric",
        "countries.isp",
    }
    assert all(item["fields"].get("country", ["KZ"]) == ["KZ"] for item in kazakhstan)


def test_files_have_no_primary_keys_and_no_users_sessions_or_logs(tmp_path, admin_client):
    build_dataset()
    export(tmp_path)
    for content in snapshot(tmp_path).values():
        for item in json.loads(content):
            assert "pk" not in item
            assert item["model"].startswith("countries.")


def test_text_stays_readable_utf8_with_a_final_newline(tmp_path):
    build_dataset()
    export(tmp_path)
    raw = (tmp_path / "kazakhstan.json").read_bytes()
    text = raw.decode("utf-8")
    assert "Қазақстан" in text and "Голос Республики" in text
    assert "\\u" not in text
    assert text.endswith("}\n]\n")
    assert '\n  "model": "countries.country",\n  "fields": {\n    "name": "Kazakhstan",' in text


def test_same_content_inserted_in_another_order_gives_identical_bytes(tmp_path):
    build_dataset()
    export(tmp_path / "first")
    clear_content()
    build_dataset(reverse_order=True)
    export(tmp_path / "second")
    assert snapshot(tmp_path / "first") == snapshot(tmp_path / "second")


def test_round_trip_through_loaddata_is_lossless(tmp_path):
    build_dataset()
    export(tmp_path / "first")
    clear_content()
    call_command("loaddata", *sorted(map(str, (tmp_path / "first").glob("*.json"))), verbosity=0)
    export(tmp_path / "second")
    assert snapshot(tmp_path / "first") == snapshot(tmp_path / "second")


def run_in_fresh_sqlite(tmp_path, fixtures_dir, output_dir):
    """Load `fixtures_dir` into a brand-new SQLite database in another process and export it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SECRET_KEY="cross-engine-test",
        DJANGO_ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{tmp_path}/other.db",
    )
    manage = [sys.executable, "manage.py"]
    files = sorted(str(p) for p in fixtures_dir.glob("*.json"))
    commands = [
        ["migrate", "-v0"],
        ["loaddata", "-v0", *files],
        ["export_fixtures", "--output", str(output_dir)],
    ]
    for command in commands:
        result = subprocess.run(
            manage + command,
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr


def test_export_is_identical_across_database_engines(tmp_path):
    """On PostgreSQL this is PostgreSQL -> SQLite -> PostgreSQL; on SQLite, SQLite to SQLite."""
    build_dataset()
    export(tmp_path / "here")
    run_in_fresh_sqlite(tmp_path, tmp_path / "here", tmp_path / "sqlite")
    assert snapshot(tmp_path / "sqlite") == snapshot(tmp_path / "here")
    # And back: what SQLite exported loads here and exports the same again.
    clear_content()
    call_command("loaddata", *sorted(map(str, (tmp_path / "sqlite").glob("*.json"))), verbosity=0)
    export(tmp_path / "back")
    assert snapshot(tmp_path / "back") == snapshot(tmp_path / "here")
    print(f"cross-engine round trip checked on {connection.vendor}")


def test_check_names_the_files_that_differ(tmp_path):
    build_dataset()
    export(tmp_path)
    assert "matches the database" in export(tmp_path, "--check")

    Country.objects.filter(iso_code="KG").update(summary="Changed by an editor.")
    (tmp_path / "atlantis.json").write_text('[\n{"model": "countries.country", "fields": {}}\n]\n')
    (tmp_path / "kazakhstan.json").unlink()
    with pytest.raises(Exception, match="does not match the database") as failure:
        export(tmp_path, "--check")
    named = str(failure.value).split(": ", 1)[1].split(". Run")[0].split(", ")
    assert sorted(named) == ["atlantis.json", "kazakhstan.json", "kyrgyzstan.json"]


def test_country_option_exports_only_those_countries(tmp_path):
    build_dataset()
    export(tmp_path, "--country", "kyrgyzstan")
    assert sorted(snapshot(tmp_path)) == ["kyrgyzstan.json", "sources.json"]
    with pytest.raises(Exception, match="No country with the slug: atlantis"):
        export(tmp_path, "--country", "atlantis")


def test_whole_export_removes_files_of_deleted_countries_and_keeps_others(tmp_path):
    build_dataset()
    export(tmp_path)
    (tmp_path / "notes.json").write_text('{"not": "a fixture"}')
    Country.objects.filter(iso_code="KG").delete()
    output = export(tmp_path)
    assert "removed" in output
    assert sorted(snapshot(tmp_path)) == ["kazakhstan.json", "notes.json", "sources.json"]


def test_export_is_quiet_when_not_on_a_terminal(tmp_path, capsys):
    build_dataset()
    export(tmp_path)
    assert "Exporting" not in capsys.readouterr().err


def test_admin_action_and_whole_site_download(admin_client):
    build_dataset()
    kg = Country.objects.get(iso_code="KG")
    response = admin_client.post(
        reverse("admin:countries_country_changelist"),
        {"action": "export_as_fixtures", "_selected_action": [kg.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["fixtures/sources.json", "fixtures/kyrgyzstan.json"]

    changelist = admin_client.get(reverse("admin:countries_country_changelist")).content.decode()
    download = reverse("admin:countries_country_fixtures")
    assert download in changelist
    archive = zipfile.ZipFile(io.BytesIO(admin_client.get(download).content))
    assert len(archive.namelist()) == 3


def test_downloads_are_staff_only_in_the_admin(client):
    response = client.get(reverse("admin:countries_country_fixtures"))
    assert response.status_code == 302


def test_public_data_page_offers_json_csv_licence_and_citation(client):
    build_dataset()
    page = client.get(reverse("countries:data")).content.decode()
    assert "CC BY 4.0" in page and "How to cite" in page
    for table in CSV_TABLE_NAMES:
        assert reverse("countries:data_csv", kwargs={"table": table}) in page
    assert client.get("/data/csv/passwords.csv").status_code == 404


def test_public_json_is_one_loadable_fixture(client, tmp_path):
    build_dataset()
    export(tmp_path / "before")
    body = b"".join(client.get(reverse("countries:data_json")).streaming_content)
    (tmp_path / "netfree.json").write_bytes(body)
    assert len(json.loads(body)) == 2 + 2 + 2 + 3 + 3 + 2  # sources, countries, rows
    clear_content()
    call_command("loaddata", str(tmp_path / "netfree.json"), verbosity=0)
    export(tmp_path / "after")
    assert snapshot(tmp_path / "after") == snapshot(tmp_path / "before")


def test_downloads_are_built_once_per_content_version(client, downloads_root):
    """An anonymous client asking again and again must not rebuild the dataset each time."""
    build_dataset()
    first = b"".join(client.get("/data/netfree.json").streaming_content)
    with CaptureQueriesContext(connection) as again:
        response = client.get("/data/netfree.json")
        assert b"".join(response.streaming_content) == first
    assert len(again.captured_queries) <= 1  # the content version, at most
    assert client.get("/data/netfree.json", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    kyrgyzstan = Country.objects.get(iso_code="KG")
    kyrgyzstan.name = "Kyrgyz Republic"
    kyrgyzstan.save()
    assert b"Kyrgyz Republic" in b"".join(client.get("/data/netfree.json").streaming_content)
    assert len(list(downloads_root.glob("*-netfree.json"))) == 1  # the old build is gone


def test_csv_tables_hold_every_row(client):
    build_dataset()

    def table(name):
        body = b"".join(client.get(f"/data/csv/{name}.csv").streaming_content).decode()
        return list(csv.DictReader(io.StringIO(body)))

    assert [row["iso_code"] for row in table("countries")] == ["KG", "KZ"]
    clauses = table("constitutional-clauses")
    assert len(clauses) == 4 and clauses[0]["clause"] == "1"
    sites = table("blocked-sites")
    assert {row["name"] for row in sites} == {"Голос Республики", "blogs", "LiveJournal"}
    assert {row["unit"] for row in table("metrics")} == {"users", "% of the population"}
    assert len(table("isps")) == 2 and len(table("sources")) == 2
