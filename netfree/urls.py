from django.contrib import admin
from django.urls import include, path

from countries.views import MarkdownPreviewView

admin.site.site_header = "netfree"
admin.site.site_title = "netfree admin"
admin.site.index_title = "Country entries"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The path the markdownx editor posts to (MARKDOWNX_URLS_PATH), served by our guarded view.
    path("markdownx/markdownify/", MarkdownPreviewView.as_view(), name="markdownx_markdownify"),
    path("", include("countries.urls")),
]
