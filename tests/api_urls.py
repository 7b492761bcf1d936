"""The API beside the public pages, for tests run before netfree/urls.py routes the API."""

from django.urls import include, path

from countries.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("countries.urls")),
]
