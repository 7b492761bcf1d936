"""A country entry and what belongs to it.

Reading order: `sources` (shared by all entries), `entries` (the country), `rows` (what an entry
owns: quoted articles, blocked sites, figures, ISPs), `revisions` (what readers saw of each
revision), `versions` (the content version behind the page cache). Every model has a natural
key, so fixtures never carry primary keys, and every rule the data must obey is a database
constraint as well as a validation error.

An entry's shape is declared once: `rows.ENTRY_ROW_MODELS` (the kinds of rows), each row's
`NATURAL_KEY`, `rows.ROWS_LISTED_APART` (the kinds an entry may have thousands of) and
`Country.WORKFLOW_FIELDS`. What follows here derives from it.
"""

import reversion

from .base import (
    COUNTRY_CODES,
    EARLIEST_YEAR,
    LATEST_YEAR,
    MARKDOWN_MAX_LENGTH,
    ChoiceLabelsMixin,  # named by the migrations, as a base of the models
    NotesMixin,
    format_metric_value,
    oldest_current_metric_year,
    review_cutoff,
    review_interval_months,
)
from .entries import Country, page_data_lookups
from .revisions import EntryRevision
from .rows import (
    ENTRY_ROW_MODELS,
    ENTRY_ROW_RELATIONS,
    INLINE_ROW_RELATIONS,
    ROWS_LISTED_APART,
    SITES_ON_ENTRY_PAGE,
    BlockedSite,
    ConstitutionalArticle,
    Isp,
    Metric,
    has_source,
    row_relation,
)
from .sources import Source
from .translated import translated_fields
from .versions import ContentVersion

# Content: what fixtures, downloads and the page cache are about, in dependency order.
CONTENT_MODELS = (Source, Country, *ENTRY_ROW_MODELS)
WORKFLOW_FIELDS = Country.WORKFLOW_FIELDS


def natural_key_fields(model):
    """The fields a content model's natural key is made of, foreign keys by their own key."""
    return ("country", *model.NATURAL_KEY) if model in ENTRY_ROW_MODELS else model.NATURAL_KEY


def register_revisions():
    """What django-reversion keeps of each content model. Called once the translated columns
    exist (apps.py): reversion lists a model's fields when it is registered.

    One save of an entry is one revision: the country with the rows edited on its page, without
    its workflow. Rows listed apart have revisions of their own, to which their entry is added.
    """
    # A translated field's original column restates its English column: not kept twice.
    for model in (Source, *ENTRY_ROW_MODELS):
        reversion.register(model, exclude=translated_fields(model))
    reversion.register(
        Country,
        follow=list(INLINE_ROW_RELATIONS),
        exclude=[*Country.WORKFLOW_FIELDS, *translated_fields(Country)],
    )


__all__ = [
    "CONTENT_MODELS",
    "COUNTRY_CODES",
    "EARLIEST_YEAR",
    "ENTRY_ROW_MODELS",
    "ENTRY_ROW_RELATIONS",
    "INLINE_ROW_RELATIONS",
    "ROWS_LISTED_APART",
    "SITES_ON_ENTRY_PAGE",
    "LATEST_YEAR",
    "MARKDOWN_MAX_LENGTH",
    "WORKFLOW_FIELDS",
    "BlockedSite",
    "ChoiceLabelsMixin",
    "NotesMixin",
    "ConstitutionalArticle",
    "ContentVersion",
    "Country",
    "EntryRevision",
    "Isp",
    "Metric",
    "Source",
    "format_metric_value",
    "has_source",
    "natural_key_fields",
    "oldest_current_metric_year",
    "page_data_lookups",
    "review_cutoff",
    "review_interval_months",
    "row_relation",
]
