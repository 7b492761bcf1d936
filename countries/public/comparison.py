"""The home page's comparison table: which columns sort, which filters apply, in one place."""

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from ..choices import Protection
from ..filters import CountryFilter, chosen
from ..models import Country
from .worldmap import INDICATORS, INDICATORS_BY_KEY

PROTECTION_ORDER = [Protection.YES, Protection.PARTIAL, Protection.NO, Protection.UNKNOWN]

# sort key -> (column label, what the database orders by)
SORT_FIELDS = {
    "name": F("name"),
    "region": F("region"),
    "net_neutrality": "net_neutrality_status",
    "isp_safe_harbor": "isp_safe_harbor_status",
    "speech": F("quotes_speech"),
    "privacy": F("quotes_privacy"),
    "penetration": F("latest_penetration"),
    "blocked_sites": F("blocked_site_count"),
}
SORT_COLUMNS = [
    ("name", _("Country")),
    ("region", _("Region")),
    ("net_neutrality", _("Net neutrality protection")),
    ("isp_safe_harbor", _("ISP safe harbor")),
    ("speech", _("Constitution: speech")),
    ("privacy", _("Constitution: privacy")),
    ("penetration", _("Internet penetration")),
    ("blocked_sites", _("Blocked sites")),
]
# The table's filters are the entries' filters (countries.filters.CountryFilter), but for the
# name: the table lists every entry and has the browser's own search for that.
TABLE_FILTERS = [name for name in CountryFilter.base_filters if name != "q"]


def _protection_rank(field):
    return Case(
        *(
            When(**{field: status}, then=Value(rank))
            for rank, status in enumerate(PROTECTION_ORDER)
        ),
        output_field=IntegerField(),
    )


def comparison_order(sort):
    descending = sort.startswith("-")
    target = SORT_FIELDS[sort.lstrip("-")]
    expression = _protection_rank(target) if isinstance(target, str) else target
    ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return [ordered, "name"]


def comparison_query(params):
    """The home page's query string: known keys with valid values, in a fixed order; nothing else.

    The table's links carry this rather than whatever the URL held, and its cached copy is
    keyed on it: an unknown parameter can neither leak into links nor make the page render anew.
    """
    chosen_filters = chosen(CountryFilter(params, queryset=Country.objects.none()))
    query = {name: chosen_filters[name] for name in TABLE_FILTERS if name in chosen_filters}
    sort = params.get("sort", "name")
    if sort.lstrip("-") in SORT_FIELDS and sort != "name":
        query["sort"] = sort
    # The map's indicator travels with the table's links and the other way round, so choosing
    # one never resets the other.
    indicator = params.get("indicator")
    if indicator in INDICATORS_BY_KEY and indicator != INDICATORS[0].key:
        query["indicator"] = indicator
    return query


def compared_countries(query):
    """The table's rows for a query (from `comparison_query`)."""
    countries = Country.objects.published().with_list_data()
    rows = CountryFilter(query, queryset=countries).qs
    return rows.order_by(*comparison_order(query.get("sort", "name")))


def filter_options(query):
    """(name, label, choices, chosen value) for each of the table's filters."""
    filters = CountryFilter.base_filters
    return [
        (name, filters[name].label, filters[name].extra["choices"], query.get(name, ""))
        for name in TABLE_FILTERS
    ]
