"""The shipped URLs, and the bench's reference (2) beside them: the best a Django page can do."""

from django.urls import path

from netfree.urls import handler400, handler500  # noqa: F401 - read from the root URLconf
from netfree.urls import urlpatterns as site_urlpatterns
from tools.loadtest.minimal_view import minimal_view

# The site's own patterns, not include()d: they hold i18n_patterns, which Django allows only in
# the root URLconf.
urlpatterns = [
    path("bench/minimal/", minimal_view, name="bench_minimal"),
    *site_urlpatterns,
]
