"""The architecture is what the README says: its import contracts hold (pyproject.toml), and
every consumer of an entry's shape agrees with the one declaration of it (countries.models)."""

import subprocess
import sys
from pathlib import Path

import reversion
from django.conf import settings

from countries.admin.inlines import ArticleInline, IspInline, MetricInline
from countries.history import ALL_ROW_RELATIONS, IGNORED_FIELDS, ROW_RELATIONS
from countries.models import (
    CONTENT_MODELS,
    ENTRY_ROW_MODELS,
    ENTRY_ROW_RELATIONS,
    INLINE_ROW_RELATIONS,
    ROWS_LISTED_APART,
    WORKFLOW_FIELDS,
    Country,
    page_data_lookups,
    row_relation,
)
from countries.models.translated import translated_fields
from countries.opendata import importing


def test_the_import_contracts_hold():
    """No cycles, features above the model layer, the app never importing the project."""
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_every_part_agrees_with_the_entry_shape():
    relations = [row_relation(model) for model in ENTRY_ROW_MODELS]
    assert list(ENTRY_ROW_RELATIONS) == relations
    # Each kind of row is an inline on the entry's page, but those listed apart, which have a
    # list of their own…
    from django.contrib import admin

    inline_models = [model for model in ENTRY_ROW_MODELS if model not in ROWS_LISTED_APART]
    assert list(INLINE_ROW_RELATIONS.values()) == inline_models
    country_admin = admin.site._registry[Country]
    assert [inline.model for inline in country_admin.inlines] == inline_models
    assert {ArticleInline, MetricInline, IspInline} == set(country_admin.inlines)
    for model in ROWS_LISTED_APART:
        assert model in admin.site._registry
        assert reversion.is_registered(model)
    # …in every revision of the entry, without the workflow state…
    options = reversion.revisions._get_options(Country)
    assert list(options.follow) == list(INLINE_ROW_RELATIONS)
    assert not set(options.fields) & set(WORKFLOW_FIELDS)
    # (a translated field's original column restates its English one: every language's is kept)
    assert set(options.fields) | set(WORKFLOW_FIELDS) | set(translated_fields(Country)) == {
        field.name for field in Country._meta.local_fields
    }
    assert {"summary_en", "summary_ru", "summary_kk", "translation_basis"} <= set(options.fields)
    assert set(WORKFLOW_FIELDS) <= IGNORED_FIELDS
    # …fetched with the page, named in the history, imported and loaded by its natural key.
    prefetched = [lookup.prefetch_through for lookup in page_data_lookups()]
    assert prefetched == relations
    assert {relation: model.NATURAL_KEY for relation, model in ENTRY_ROW_RELATIONS.items()} == (
        ALL_ROW_RELATIONS
    )
    assert {r: m.NATURAL_KEY for r, m in INLINE_ROW_RELATIONS.items()} == ROW_RELATIONS
    assert importing.SECOND_PASS == ENTRY_ROW_MODELS
    assert set(importing.MODELS.values()) == set(CONTENT_MODELS)
    for model in ENTRY_ROW_MODELS:
        assert importing.NATURAL_KEY_FIELDS[model] == ("country", *model.NATURAL_KEY)
        assert model.objects.get_by_natural_key.__func__  # the shared manager answers it
    assert CONTENT_MODELS == (CONTENT_MODELS[0], Country, *ENTRY_ROW_MODELS)
