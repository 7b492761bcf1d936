"""Where re-users take the data: downloads of published entries, with licence and citation."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.views.generic import TemplateView

from ..export import (
    CSV_TABLE_NAMES,
    DATA_LICENCE,
    combined_fixture_chunks,
    csv_chunks,
    fixtures_zip,
)
from ..models import Country


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
