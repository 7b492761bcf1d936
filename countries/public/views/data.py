"""Where re-users take the data: downloads of published entries, with licence and citation."""

from django.http import FileResponse, Http404
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from ...models import Country
from ...opendata.downloads import download_licences, prepared_download, public_fixtures_zip
from ...opendata.export import CSV_TABLE_NAMES, DATA_LICENCE, combined_fixture_chunks, csv_chunks


class DataView(TemplateView):
    """Where re-users take the data: the fixtures, one JSON file, CSV tables, each with the
    licences that apply to it, and the citation."""

    template_name = "countries/data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            licence=DATA_LICENCE,
            licences=download_licences(),
            country_count=Country.objects.published().count(),
            **kwargs,
        )


def download(request, name, build, content_type):
    version, path = prepared_download(name, build)
    etag = quote_etag(f"{version}-{name}")
    if request.headers.get("If-None-Match") == etag:
        response = FileResponse(status=304)
    else:
        response = FileResponse(open(path, "rb"), as_attachment=True, filename=name)
        response["Content-Type"] = content_type
    response["ETag"] = etag
    return response


@require_safe
def data_json(request):
    return download(
        request, "netfree.json", combined_fixture_chunks, "application/json; charset=utf-8"
    )


@require_safe
def data_fixtures_zip(request):
    return download(request, "netfree-fixtures.zip", public_fixtures_zip, "application/zip")


@require_safe
def data_csv(request, table):
    if table not in CSV_TABLE_NAMES:
        raise Http404
    return download(
        request, f"netfree-{table}.csv", lambda: csv_chunks(table), "text/csv; charset=utf-8"
    )
