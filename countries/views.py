"""Public pages."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView
from django.views.static import serve

from .export import (
    CSV_TABLE_NAMES,
    DATA_LICENCE,
    combined_fixture_chunks,
    csv_chunks,
    fixtures_zip,
)
from .models import Country


class CountryListView(ListView):
    queryset = Country.objects.published().with_list_data()
    context_object_name = "countries"


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


class DataView(TemplateView):
    """Where re-users take the data: the fixtures, one JSON file, CSV tables, licence, citation."""

    template_name = "countries/data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            csv_tables=CSV_TABLE_NAMES,
            licence=DATA_LICENCE,
            country_count=Country.objects.published().count(),
            **kwargs,
        )


def data_json(request):
    response = StreamingHttpResponse(
        combined_fixture_chunks(), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="netfree.json"'
    return response


def data_fixtures_zip(request):
    response = HttpResponse(fixtures_zip(published_only=True), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="netfree-fixtures.zip"'
    return response


def data_csv(request, table):
    if table not in CSV_TABLE_NAMES:
        raise Http404
    response = StreamingHttpResponse(csv_chunks(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="netfree-{table}.csv"'
    return response
