from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from countries.api import api
from countries.editor.guide import EditorGuideView
from countries.public.sitemaps import SITEMAPS
from countries.public.views import serve_media
from countries.public.views.seo import robots_txt

admin.site.site_header = "netfree"
admin.site.site_title = "netfree admin"
admin.site.index_title = "Country entries"
# The sidebar repeats the index and costs the lists a third of a laptop's screen.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path(f"{settings.ADMIN_URL}guide/", EditorGuideView.as_view(), name="editor_guide"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("markdownx/", include("countries.editor.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    # Readers' pages in each language: English unprefixed, /ru/…, /kk/… (netfree/languages.py).
    *i18n_patterns(path("", include("countries.public.urls")), prefix_default_language=False),
]

handler400 = "countries.public.views.errors.bad_request"
handler500 = "countries.public.views.errors.server_error"
