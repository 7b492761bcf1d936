"""The home page's comparison table: which columns sort, which filters apply, in one place."""

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from .choices import Protection, Region
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
YES_NO = [("yes", _("Quoted")), ("no", _("Not recorded"))]
FILTERS = {
    "region": (_("Region"), Region.choices, "region"),
    "net_neutrality": (_("Net neutrality"), Protection.choices, "net_neutrality_status"),
    "isp_safe_harbor": (_("ISP safe harbor"), Protection.choices, "isp_safe_harbor_status"),
    "speech": (_("Constitution: speech"), YES_NO, "quotes_speech"),
    "privacy": (_("Constitution: privacy"), YES_NO, "quotes_privacy"),
}


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
    query = {
        key: params[key]
        for key, (_label, choices, _lookup) in FILTERS.items()
        if params.get(key) in {choice for choice, _name in choices}
    }
    sort = params.get("sort", "name")
    if sort.lstrip("-") in SORT_FIELDS and sort != "name":
        query["sort"] = sort
    # The map's indicator travels with the table's links and the other way round, so choosing
    # one never resets the other.
    indicator = params.get("indicator")
    if indicator in INDICATORS_BY_KEY and indicator != INDICATORS[0].key:
        query["indicator"] = indicator
    return query


def comparison_filters(params):
    """Only known filters with known values; anything else is ignored."""
    chosen = {}
    for key, (_label, choices, lookup) in FILTERS.items():
        value = params.get(key, "")
        if value not in {choice for choice, _name in choices}:
            continue
        chosen[lookup] = (value == "yes") if lookup.startswith("quotes_") else value
    return chosen


def filter_options(params):
    return [
        (key, label, choices, params.get(key, ""))
        for key, (label, choices, _lookup) in FILTERS.items()
    ]
