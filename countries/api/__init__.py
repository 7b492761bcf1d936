"""The read-only open-data API, /api/v1/ (django-ninja; the schema is /api/v1/openapi.json).

- Only published entries: every query starts from `Country.objects.published()` or a row
  queryset's `published()`.
- Each endpoint runs a fixed number of SQL queries, whatever the number of rows.
- `http.conditional` wraps every endpoint (ninja's `add_decorator`): ETag, Last-Modified and 304
  answers; django-cors-headers answers CORS and preflight requests for /api/.

`schemas.py` (what is sent), `endpoints.py` (what is asked), `pagination.py`, `http.py`.
"""

from ninja import NinjaAPI

from .endpoints import router
from .http import conditional, known_language, schema_conditional
from .schemas import NAMESPACE

DESCRIPTION = """\
Internet freedom, country by country: the published entries of netfree as JSON.

Lists are paginated (`page`, `page_size`: 50 by default, at most 100) and return `count`,
`next` and `previous`. Absent values are `null`. Metric values are JSON numbers: the database
keeps at most 15 significant digits with 2 decimals, which a JSON number carries exactly.
Responses carry `ETag` and `Last-Modified` and answer `If-None-Match` / `If-Modified-Since`
with 304. Any origin may read them (CORS). Licence: CC BY 4.0, see /data/.

Languages: entries are written in English and translated into Russian (`ru`) and Kazakh (`kk`).
Ask with `?lang=ru` (any other value than `en`, `ru`, `kk` is refused with 422) or
`Accept-Language`; the answer says `Content-Language`, and each translated field says which
language it is given in (`language`, `languages`): a field not translated yet comes in English.
"""

api = NinjaAPI(
    title="netfree open data",
    version="1",
    description=DESCRIPTION,
    urls_namespace=NAMESPACE,
    openapi_url="/openapi.json",
    # Swagger UI would load scripts from a CDN unless "ninja" were in INSTALLED_APPS.
    docs_url=None,
    docs_decorator=lambda view: schema_conditional(api)(view),
)
api.add_decorator(conditional, mode="view")
api.add_decorator(known_language, mode="view")  # outermost: checked before any validator
api.add_router("/", router)
