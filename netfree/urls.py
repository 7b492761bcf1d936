import os

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from countries import editor
from countries.api import api
from countries.sitemaps import SITEMAPS
from countries.views import serve_media
from countries.views.seo import robots_txt

admin.site.site_header = "netfree"
admin.site.site_title = "netfree admin"
admin.site.index_title = "Country entries"
# The sidebar repeats the index and costs the lists a third of a laptop's screen.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path(f"{settings.ADMIN_URL}guide/", editor.EditorGuideView.as_view(), name="editor_guide"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The paths the markdownx editor posts to (MARKDOWNX_URLS_PATH, MARKDOWNX_UPLOAD_URLS_PATH),
    # served by our guarded views instead of markdownx's open ones.
    path(
        "markdownx/markdownify/", editor.MarkdownPreviewView.as_view(), name="markdownx_markdownify"
    ),
    path("markdownx/upload/", editor.ImageUploadView.as_view(), name="markdownx_upload"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("countries.urls")),
]

handler400 = "countries.views.errors.bad_request"
handler500 = "countries.views.errors.server_error"

if os.environ.get("NETFREE_BENCH") == "1":
    from countries.views.bench import minimal_view

    urlpatterns.insert(0, path("bench/minimal/", minimal_view))
