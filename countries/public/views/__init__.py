"""Public views, one module per kind of page."""

from .browse import BlockedSiteDetailView, BlockedSiteListView, ConstitutionsView, TopicView
from .data import DataView, data_csv, data_fixtures_zip, data_json
from .entries import (
    CountryDetailView,
    CountryIndexView,
    CountryListView,
    CountryPreviewView,
    serve_media,
)
from .search import SearchView

__all__ = [
    "SearchView",
    "BlockedSiteDetailView",
    "BlockedSiteListView",
    "ConstitutionsView",
    "TopicView",
    "CountryDetailView",
    "CountryIndexView",
    "CountryListView",
    "CountryPreviewView",
    "DataView",
    "data_csv",
    "data_fixtures_zip",
    "data_json",
    "serve_media",
]
