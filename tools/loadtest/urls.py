"""The shipped URLs, and the bench's reference (2) beside them: the best a Django page can do."""

from django.urls import include, path

from netfree.urls import handler400, handler500  # noqa: F401 - read from the root URLconf
from tools.loadtest.minimal_view import minimal_view

urlpatterns = [
    path("bench/minimal/", minimal_view, name="bench_minimal"),
    path("", include("netfree.urls")),
]
