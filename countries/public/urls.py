from django.urls import path

from . import feeds, views
from .views import maps

app_name = "countries"

urlpatterns = [
    path("", views.CountryListView.as_view(), name="list"),
    path("countries/", views.CountryIndexView.as_view(), name="index"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="detail"),
    path("countries/<slug:slug>/preview/", views.CountryPreviewView.as_view(), name="preview"),
    path("topics/<slug:topic>/", views.TopicView.as_view(), name="topic"),
    path("blocked-sites/", views.BlockedSiteListView.as_view(), name="blocked_sites"),
    # A site's name may hold slashes ("AC/DC fan forum").
    path("blocked-sites/<path:name>/", views.BlockedSiteDetailView.as_view(), name="blocked_site"),
    path("constitutions/", views.ConstitutionsView.as_view(), name="constitutions"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("embed/map/", maps.embed_map, name="embed_map"),
    path("feeds/updates.atom", feeds.UpdatedEntriesAtomFeed(), name="feed_atom"),
    path("feeds/updates.rss", feeds.UpdatedEntriesFeed(), name="feed_rss"),
    path("countries/<slug:slug>/changes.atom", feeds.EntryChangesFeed(), name="feed_country"),
    path("data/", views.DataView.as_view(), name="data"),
    path("data/netfree.json", views.data_json, name="data_json"),
    path("data/netfree-fixtures.zip", views.data_fixtures_zip, name="data_fixtures"),
    path("data/csv/<slug:table>.csv", views.data_csv, name="data_csv"),
]
