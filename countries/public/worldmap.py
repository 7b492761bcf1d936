"""The world map: every country's outline, coloured by one indicator of its entry.

The outlines are a committed asset (countries/public/data/world-map.json, built by
scripts/build_world_map.py from Natural Earth). Colours are CSS classes only (see the world
map part of countries/static/countries/site.css), so the map needs no script and no inline
style, and every colour has a text label beside it in the legend and in each country's title.
"""

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from ..choices import Protection
from ..models import Country, format_metric_value

ASSET_PATH = Path(__file__).resolve().parent / "data" / "world-map.json"


# The outlines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    d: str


@dataclass(frozen=True)
class WorldOutlines:
    view_box: str
    sphere: str
    outlines: tuple[Outline, ...]
    source: str
    licence: str


@functools.lru_cache(maxsize=1)
def world_outlines():
    asset = json.loads(ASSET_PATH.read_text(encoding="utf-8"))
    return WorldOutlines(
        view_box=asset["view_box"],
        sphere=asset["sphere"],
        outlines=tuple(Outline(s["code"], s["name"], s["d"]) for s in asset["shapes"]),
        source=asset["source"],
        licence=asset["licence"],
    )


# Indicators ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    key: str
    label: str
    css_class: str


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    legend: tuple[LegendEntry, ...]
    classify: Callable[[Country], str]  # a country of countries_for_map() -> a legend key
    describe: Callable[[Country], str] | None = None  # the figure behind the class, if any

    def legend_entry(self, key):
        return next(entry for entry in self.legend if entry.key == key)


NO_ENTRY = LegendEntry("no-entry", _("No entry yet"), "map-no-entry")

PROTECTION_LEGEND = tuple(
    LegendEntry(status.value, status.label, f"map-{status.value}")
    for status in (Protection.YES, Protection.PARTIAL, Protection.NO, Protection.UNKNOWN)
)

ARTICLE_LEGEND = (
    LegendEntry("protected", _("Protected"), "map-protected"),
    LegendEntry("not-recorded", _("No article recorded"), "map-not-recorded"),
)

PENETRATION_STEP = 20
PENETRATION_LEGEND = (
    *(
        LegendEntry(
            f"{low}-{low + PENETRATION_STEP}",
            f"{low}–{low + PENETRATION_STEP}%",
            f"map-band-{index + 1}",
        )
        for index, low in enumerate(range(0, 100, PENETRATION_STEP))
    ),
    LegendEntry("no-figure", _("No figure"), "map-no-figure"),
)


def penetration_band(country):
    value = country.latest_penetration
    if value is None:
        return "no-figure"
    low = min(int(value // PENETRATION_STEP), 100 // PENETRATION_STEP - 1) * PENETRATION_STEP
    return f"{low}-{low + PENETRATION_STEP}"


def penetration_figure(country):
    if country.latest_penetration is None:
        return ""
    return _("%(value)s in %(year)s") % {
        "value": format_metric_value(country.latest_penetration, is_percentage=True),
        "year": country.latest_penetration_year,
    }


def article_status(has_article):
    return "protected" if has_article else "not-recorded"


INDICATORS = (
    Indicator(
        "net_neutrality",
        _("Net neutrality protection"),
        PROTECTION_LEGEND,
        lambda country: country.net_neutrality_status,
    ),
    Indicator(
        "isp_safe_harbor",
        _("ISP safe harbor"),
        PROTECTION_LEGEND,
        lambda country: country.isp_safe_harbor_status,
    ),
    Indicator(
        "speech",
        _("Freedom of speech in the constitution"),
        ARTICLE_LEGEND,
        lambda country: article_status(country.quotes_speech),
    ),
    Indicator(
        "privacy",
        _("Privacy in the constitution"),
        ARTICLE_LEGEND,
        lambda country: article_status(country.quotes_privacy),
    ),
    Indicator(
        "penetration",
        _("Internet penetration"),
        PENETRATION_LEGEND,
        penetration_band,
        penetration_figure,
    ),
)
INDICATORS_BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def get_indicator(key):
    """The indicator with this key; the first one for a missing or unknown key."""
    return INDICATORS_BY_KEY.get(key, INDICATORS[0])


def countries_for_map():
    """Published countries with what every indicator needs, in one query."""
    return (
        Country.objects.published()
        .only(
            "name",
            "slug",
            "iso_code",
            "is_published",
            "net_neutrality_status",
            "isp_safe_harbor_status",
        )
        .with_indicators()
        .order_by("name")
    )


# The map ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapShape:
    code: str
    name: str
    d: str
    css_class: str
    url: str | None  # the country's page, for countries with a published entry
    status: str  # the legend label the country falls in


@dataclass(frozen=True)
class MapEntry:
    """A published country in the text alternative, drawn on the map or too small to be."""

    name: str
    url: str
    status: str
    figure: str
    on_map: bool


@dataclass(frozen=True)
class LegendItem:
    label: str
    css_class: str
    count: int | None  # countries with an entry in this class; None for "no entry yet"


@dataclass(frozen=True)
class WorldMap:
    indicator: Indicator
    view_box: str
    width: str
    height: str
    sphere: str
    shapes: tuple[MapShape, ...]
    legend: tuple[LegendItem, ...]
    entries: tuple[MapEntry, ...]
    source: str
    licence: str


def build_map(indicator_key, countries: Iterable[Country]):
    """The map under one indicator; `countries` should come from countries_for_map()."""
    indicator = get_indicator(indicator_key)
    world = world_outlines()
    drawn_codes = {outline.code for outline in world.outlines}
    # Public pages must never link a draft, whatever queryset a caller passes.
    published = [country for country in countries if country.is_published]
    classes = {country.iso_code.code: indicator.classify(country) for country in published}
    by_code = {country.iso_code.code: country for country in published}

    shapes = []
    for outline in world.outlines:
        country = by_code.get(outline.code)
        if country is None:
            shapes.append(
                MapShape(
                    outline.code,
                    outline.name,
                    outline.d,
                    NO_ENTRY.css_class,
                    None,
                    str(NO_ENTRY.label),
                )
            )
            continue
        entry = indicator.legend_entry(classes[outline.code])
        shapes.append(
            MapShape(
                outline.code,
                country.name,
                outline.d,
                entry.css_class,
                country.get_absolute_url(),
                str(entry.label),
            )
        )

    counts = Counter(classes.values())
    legend = (
        *(
            LegendItem(entry.label, entry.css_class, counts[entry.key])
            for entry in indicator.legend
        ),
        LegendItem(NO_ENTRY.label, NO_ENTRY.css_class, None),
    )
    entries = tuple(
        MapEntry(
            name=country.name,
            url=country.get_absolute_url(),
            status=str(indicator.legend_entry(classes[country.iso_code.code]).label),
            figure=indicator.describe(country) if indicator.describe else "",
            on_map=country.iso_code.code in drawn_codes,
        )
        for country in sorted(published, key=lambda country: country.name)
    )
    _, _, width, height = world.view_box.split()
    return WorldMap(
        indicator=indicator,
        view_box=world.view_box,
        width=width,
        height=height,
        sphere=world.sphere,
        shapes=tuple(shapes),
        legend=legend,
        entries=entries,
        source=world.source,
        licence=world.licence,
    )
