"""The country pages: the list, one entry, the editors' preview, and uploaded media."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView
from django.views.static import serve

from ...cache import cached_fragment
from ...models import Country
from ...sections import render_entry
from ..comparison import (
    SORT_COLUMNS,
    TABLE_FILTERS,
    compared_countries,
    comparison_query,
    filter_options,
)
from ..worldmap import get_indicator
from .maps import map_context


class CountryListView(TemplateView):
    """The home page: the map and a table of every published entry, sortable and filterable.

    Both are the same for every reader of the same content and query: kept as fragments.
    """

    template_name = "countries/country_list.html"

    def get_context_data(self, **kwargs):
        query = comparison_query(self.request.GET)
        indicator = get_indicator(query.get("indicator")).key
        table_query = {key: value for key, value in query.items() if key != "indicator"}
        world_map = cached_fragment(
            self.request,
            "home-map",
            urlencode(query),
            render=lambda: render_to_string(
                "includes/world_map.html", {**map_context(indicator), "keep": table_query}
            ),
        )
        comparison = cached_fragment(
            self.request,
            "home-table",
            urlencode(query),
            render=lambda: self.render_comparison(query),
        )
        return super().get_context_data(world_map=world_map, comparison=comparison, **kwargs)

    @staticmethod
    def render_comparison(query):
        context = {
            "countries": compared_countries(query),
            "query": query,
            "sort": query.get("sort", "name"),
            "sort_columns": SORT_COLUMNS,
            "filter_options": filter_options(query),
            "filtered": any(name in query for name in TABLE_FILTERS),
        }
        return render_to_string("includes/comparison.html", context)


class CountryIndexView(TemplateView):
    """Every published entry by name, grouped by UN M49 sub-region: "All countries"."""

    template_name = "countries/country_index.html"

    def get_context_data(self, **kwargs):
        by_region = {}
        for country in Country.objects.published().only("name", "slug", "region"):
            by_region.setdefault(country.get_region_display(), []).append(country)
        regions = sorted(by_region.items(), key=lambda item: str(item[0]))
        count = sum(len(countries) for _region, countries in regions)
        return super().get_context_data(regions=regions, count=count, **kwargs)


class CountryDetailView(DetailView):
    """An entry's public page; its body is rendered once per content version and shared."""

    queryset = Country.objects.published()
    context_object_name = "country"

    def get_context_data(self, **kwargs):
        country = self.object
        entry = cached_fragment(
            self.request,
            "entry",
            country.pk,
            render=lambda: render_entry(country.load_page_data(), self.request),
        )
        return super().get_context_data(entry=entry, **kwargs)


@method_decorator(staff_member_required, name="dispatch")
class CountryPreviewView(PermissionRequiredMixin, DetailView):
    """The public page of an entry as it is now, draft or not, for editors."""

    queryset = Country.objects.with_page_data()
    template_name = "countries/country_detail.html"
    context_object_name = "country"
    permission_required = "countries.view_country"
    raise_exception = True

    def get_context_data(self, **kwargs):
        entry = render_entry(self.object, self.request)
        return super().get_context_data(entry=entry, preview=True, **kwargs)


# Stricter than the site's policy: an uploaded file may load nothing, run nothing, be framed by
# nothing, and opens as a sandboxed document of its own.
MEDIA_POLICY = (
    "default-src 'none'; img-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; sandbox"
)


def serve_media(request, path):
    """Uploaded images, with headers that stop a browser from treating one as a page."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
