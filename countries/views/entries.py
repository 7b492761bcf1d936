"""The country pages: the list, one entry, the editors' preview, and uploaded media."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView
from django.views.static import serve

from ..comparison import (
    SORT_COLUMNS,
    SORT_FIELDS,
    comparison_filters,
    comparison_order,
    filter_options,
)
from ..map_views import map_context
from ..models import Country


class CountryListView(ListView):
    """The home page: the map and a table of every published entry, sortable and filterable."""

    context_object_name = "countries"

    def get_queryset(self):
        countries = Country.objects.published().with_list_data()
        filters = comparison_filters(self.request.GET)
        return countries.filter(**filters).order_by(*comparison_order(self.sort_key()))

    def sort_key(self):
        key = self.request.GET.get("sort", "name")
        return key if key.lstrip("-") in SORT_FIELDS else "name"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sort=self.sort_key(),
            sort_columns=SORT_COLUMNS,
            filter_options=filter_options(self.request.GET),
            filtered=bool(comparison_filters(self.request.GET)),
            **map_context(self.request),
        )
        return context


class CountryDetailView(DetailView):
    queryset = Country.objects.published().with_page_data()
    context_object_name = "country"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=self.object.sections(), **kwargs)


@method_decorator(staff_member_required, name="dispatch")
class CountryPreviewView(PermissionRequiredMixin, CountryDetailView):
    """The public page of an entry as it is now, draft or not, for editors."""

    queryset = Country.objects.with_page_data()
    permission_required = "countries.view_country"
    raise_exception = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


def serve_media(request, path):
    """Uploaded images, with headers that stop a browser from treating one as a page."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
