from django.urls import path

from . import views

app_name = "countries"

urlpatterns = [
    path("", views.CountryListView.as_view(), name="list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="detail"),
    path("countries/<slug:slug>/preview/", views.CountryPreviewView.as_view(), name="preview"),
    path("data/", views.DataView.as_view(), name="data"),
    path("data/netfree.json", views.data_json, name="data_json"),
    path("data/netfree-fixtures.zip", views.data_fixtures_zip, name="data_fixtures"),
    path("data/csv/<slug:table>.csv", views.data_csv, name="data_csv"),
]
