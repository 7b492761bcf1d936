"""The fixtures in fixtures/: they load into an empty database and never over an editor's work."""

import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from countries.models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source

pytestmark = pytest.mark.django_db

FIXTURE_FILES = sorted(settings.FIXTURE_DIRS[0].glob("*.json"))


def content_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Source, Country, ConstitutionalArticle, BlockedSite, Metric, Isp)
    }


def test_fixtures_use_natural_keys_only():
    assert FIXTURE_FILES
    for path in FIXTURE_FILES:
        for obj in json.loads(path.read_text(encoding="utf-8")):
            assert "pk" not in obj, f"{path.name}: {obj['model']} carries a primary key"


def test_fixtures_load_into_an_empty_database():
    assert not any(content_counts().values())
    call_command("load_initial_data", verbosity=0)
    assert content_counts() == {
        "Source": 2,
        "Country": 1,
        "ConstitutionalArticle": 2,
        "BlockedSite": 4,
        "Metric": 2,
        "Isp": 1,
    }


def test_loaded_rows_pass_model_validation():
    call_command("load_initial_data", verbosity=0)
    for model in (Source, Country, ConstitutionalArticle, BlockedSite, Metric, Isp):
        for row in model.objects.all():
            row.full_clean()


def test_kazakhstan_fixture_holds_the_seed_facts_as_structure(kazakhstan):
    assert (kazakhstan.iso_code.code, kazakhstan.region) == ("KZ", "143")
    assert (kazakhstan.net_neutrality_status, kazakhstan.isp_safe_harbor_status) == ("no", "no")
    assert kazakhstan.isp_count == 3
    assert [(i.name, i.state_owned) for i in kazakhstan.isps.all()] == [("Kaztelecom", True)]
    articles = {a.number: a for a in kazakhstan.articles.all()}
    assert (articles["20"].topic, len(articles["20"].clauses)) == ("speech", 3)
    assert (articles["18"].topic, len(articles["18"].clauses)) == ("privacy", 3)
    assert {a.translation_note for a in articles.values()} == {"English text"}
    assert {a.source.url for a in articles.values()} == {""}  # the seed gives no link
    metrics = {(m.kind, m.year): m for m in kazakhstan.metrics.all()}
    assert metrics[("internet_users", 2013)].value == 9577924
    assert metrics[("internet_penetration", 2013)].value == 54
    assert {m.source.name for m in metrics.values()} == {"ITU"}
    assert {m.source.url for m in metrics.values()} == {""}
    sites = {s.name: s for s in kazakhstan.blocked_sites.all()}
    assert set(sites) == {"Adil Soz", "Golos Respubliki", "LiveJournal", "blogs"}
    assert sites["blogs"].url == ""
    assert {s.status for s in sites.values()} == {"reported"}


def test_loading_twice_changes_nothing_and_keeps_editors_work():
    call_command("load_initial_data", verbosity=0)
    Country.objects.filter(slug="kazakhstan").update(summary="An editor's newer summary.")
    BlockedSite.objects.filter(name="blogs").delete()
    before = content_counts()
    call_command("load_initial_data", verbosity=0)
    assert content_counts() == before
    assert Country.objects.get(slug="kazakhstan").summary == "An editor's newer summary."


def test_a_bad_fixture_loads_nothing(tmp_path, settings):
    good = json.loads((settings.FIXTURE_DIRS[0] / "sources.json").read_text())
    bad = [{"model": "countries.country", "fields": {"name": "X", "slug": "x", "iso_code": "XX",
            "region": "143", "summary": "s", "updated_at": "2026-01-01T00:00:00Z"}}]  # fmt: skip
    (tmp_path / "a.json").write_text(json.dumps(good))
    (tmp_path / "b.json").write_text(json.dumps(bad))
    settings.FIXTURE_DIRS = [tmp_path]
    # Validated as an editor's input would be, before the database is asked.
    with pytest.raises(CommandError, match="Nothing was loaded(.|\n)*field iso_code"):
        call_command("load_initial_data", verbosity=0)
    assert not any(content_counts().values())
