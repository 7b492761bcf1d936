"""The world map: the committed outlines, the indicators, the include and the embeddable page."""

import importlib.util
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django_countries import countries as iso_countries

from countries.models import Country
from countries.public.views.maps import embed_map, map_context
from countries.public.worldmap import (
    ASSET_PATH,
    INDICATORS,
    build_map,
    countries_for_map,
    get_indicator,
    world_outlines,
)

from .factories import ArticleFactory, CountryFactory, MetricFactory

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"-?\d+(\.\d)?"
POINT = rf"{NUMBER},{NUMBER}"
# What the build script writes: rings of one absolute move, relative lines, and a close.
PATH_DATA = re.compile(rf"(M{POINT}l{POINT}( {POINT})*z)+")


def load_build_script():
    spec = importlib.util.spec_from_file_location(
        "build_world_map", ROOT / "scripts" / "build_world_map.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def segments(d):
    """Every straight segment of path data as the build script writes it, in absolute units."""
    for ring in re.findall(r"M[^z]*z", d):
        start, steps = ring[1:-1].split("l")
        x, y = map(float, start.split(","))
        first = (x, y)
        for step in steps.split(" "):
            dx, dy = map(float, step.split(","))
            yield (x, y), (x + dx, y + dy)
            x, y = x + dx, y + dy
        yield (x, y), first


def shapes_by_code(world_map):
    return {shape.code: shape for shape in world_map.shapes}


# The asset -------------------------------------------------------------------------------------


def test_the_asset_has_every_country_with_valid_path_data():
    asset = json.loads(ASSET_PATH.read_text(encoding="utf-8"))
    codes = [shape["code"] for shape in asset["shapes"]]
    assert len(codes) >= 170
    assert len(codes) == len(set(codes)) == asset["shape_count"]
    assert {"KZ", "RU", "FJ", "US", "BR", "XK"} <= set(codes)
    assert all(code in iso_countries or code == "XK" for code in codes)
    for shape in asset["shapes"]:
        assert PATH_DATA.fullmatch(shape["d"]), shape["code"]
        assert shape["name"]
    assert PATH_DATA.fullmatch(asset["sphere"])
    assert asset["skipped_count"] == len(asset["skipped"])
    assert "public domain" in asset["licence"]
    assert "world-atlas" in asset["source"]
    assert ASSET_PATH.stat().st_size < 300 * 1024


def test_shapes_lie_within_the_view_box_and_none_streaks_across_the_map():
    outlines = world_outlines()
    _, _, width, height = map(float, outlines.view_box.split())
    for outline in outlines.outlines:
        for (x1, _), (x2, y2) in segments(outline.d):
            assert -0.5 <= x2 <= width + 0.5 and -0.5 <= y2 <= height + 0.5, outline.code
            # Antarctica's southern edge is the pole line of the projection, rightly long.
            if outline.code != "AQ":
                assert abs(x2 - x1) < width / 4, outline.code


def test_the_asset_is_written_as_the_build_script_writes_it():
    script = load_build_script()
    text = ASSET_PATH.read_text(encoding="utf-8")
    assert script.serialize(json.loads(text)) == text


TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.01, 0.01], "translate": [-180, -90]},
    "arcs": [
        # A 2° square at 10°E 5°N, and a 6° one straddling the antimeridian at 55–65°N.
        [[19000, 9500], [200, 0], [0, 200], [-200, 0], [0, -200]],
        [[35800, 14500], [-35400, 0], [0, 1000], [35400, 0], [0, -1000]],
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0]], "id": "398", "properties": {"name": "Kaz"}},
                {"type": "Polygon", "arcs": [[1]], "id": "643", "properties": {"name": "Rus"}},
                {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Nowhere"}},
            ],
        }
    },
}


def test_the_build_is_deterministic_and_cuts_shapes_at_the_antimeridian():
    script = load_build_script()
    build = [
        script.serialize(
            script.build(
                TOPOLOGY, package_version="2.0.2", built="2024-01-01", countries=iso_countries
            )
        )
        for _ in range(2)
    ]
    assert build[0] == build[1]
    asset = json.loads(build[0])
    assert [shape["code"] for shape in asset["shapes"]] == ["KZ", "RU"]
    assert asset["skipped"] == ["Nowhere"]
    assert asset["built"] == "2024-01-01"
    russia = asset["shapes"][1]["d"]
    assert russia.count("M") == 2  # one piece each side of the antimeridian
    assert max(abs(b[0] - a[0]) for a, b in segments(russia)) < 50


def test_a_ring_round_a_pole_is_closed_along_the_pole_line():
    script = load_build_script()
    ring = [(lon, -80) for lon in range(-180, 181, 30)]
    pieces = script.cut_at_antimeridian(ring)
    points = [point for piece in pieces for point in piece]
    assert all(-180 <= lon <= 180 for lon, _ in points)
    assert {(-180, -90), (180, -90)} <= {(round(lon), lat) for lon, lat in points}


def test_decoding_follows_reversed_arcs():
    script = load_build_script()
    arcs = script.decode_arcs(TOPOLOGY)
    forward = script.ring_points([0], arcs)
    backward = script.ring_points([~0], arcs)
    assert forward[0] == pytest.approx((10, 5))
    assert backward == forward[::-1]


# Indicators ------------------------------------------------------------------------------------


def test_unknown_indicator_keys_fall_back_to_the_first():
    assert get_indicator("nonsense") is INDICATORS[0]
    assert get_indicator(None) is INDICATORS[0]
    assert get_indicator("privacy").key == "privacy"


@pytest.mark.parametrize(
    ("indicator", "status", "css_class"),
    [
        ("net_neutrality", "No", "map-no"),
        ("isp_safe_harbor", "No", "map-no"),
        ("speech", "Protected", "map-protected"),
        ("privacy", "Protected", "map-protected"),
        ("penetration", "40–60%", "map-band-3"),
    ],
)
def test_kazakhstan_under_each_indicator(kazakhstan, indicator, status, css_class):
    world_map = build_map(indicator, countries_for_map())
    shape = shapes_by_code(world_map)["KZ"]
    assert (shape.status, shape.css_class) == (status, css_class)
    assert shape.url == kazakhstan.get_absolute_url()
    assert shape.name == "Kazakhstan"


@pytest.mark.django_db
def test_each_indicator_classifies_countries():
    rich = CountryFactory(
        name="Richland",
        iso_code="NO",
        net_neutrality_status="yes",
        isp_safe_harbor_status="partial",
    )
    ArticleFactory(country=rich, topic="privacy")
    MetricFactory(country=rich, value=Decimal("99.5"), year=2010)
    MetricFactory(country=rich, value=Decimal("80"), year=2022)
    MetricFactory(country=rich, kind="internet_users", value=10, year=2023)
    CountryFactory(name="Quietland", iso_code="BR")
    lowland = CountryFactory(name="Lowland", iso_code="CD")
    MetricFactory(country=lowland, value=Decimal("19.99"), year=2020)

    def statuses(indicator):
        shapes = shapes_by_code(build_map(indicator, countries_for_map()))
        return {code: shapes[code].status for code in ("NO", "BR", "CD")}

    assert statuses("net_neutrality") == {"NO": "Yes", "BR": "Unknown", "CD": "Unknown"}
    assert statuses("isp_safe_harbor") == {"NO": "Partial", "BR": "Unknown", "CD": "Unknown"}
    not_recorded = "No article recorded"
    assert statuses("speech") == {"NO": not_recorded, "BR": not_recorded, "CD": not_recorded}
    assert statuses("privacy") == {"NO": "Protected", "BR": not_recorded, "CD": not_recorded}
    assert statuses("penetration") == {"NO": "80–100%", "BR": "No figure", "CD": "0–20%"}

    penetration = build_map("penetration", countries_for_map())
    assert {entry.name: entry.figure for entry in penetration.entries} == {
        "Lowland": "19.99% in 2020",
        "Quietland": "",
        "Richland": "80% in 2022",
    }
    counts = {str(item.label): item.count for item in penetration.legend}
    assert counts["80–100%"] == counts["0–20%"] == counts["No figure"] == 1
    assert counts["No entry yet"] is None


@pytest.mark.django_db
def test_countries_without_an_entry_are_drawn_without_a_link():
    world_map = build_map("net_neutrality", countries_for_map())
    assert len(world_map.shapes) >= 170
    assert all(shape.url is None for shape in world_map.shapes)
    assert {shape.css_class for shape in world_map.shapes} == {"map-no-entry"}
    assert world_map.entries == ()


@pytest.mark.django_db
def test_drafts_never_appear():
    CountryFactory(name="Draftland", iso_code="FR", is_published=False)
    CountryFactory(name="Publicland", iso_code="DE")
    for world_map in (
        build_map("net_neutrality", countries_for_map()),
        # Even a caller passing every country gets no link to a draft.
        build_map("net_neutrality", Country.objects.all()),
    ):
        shapes = shapes_by_code(world_map)
        assert shapes["FR"].url is None
        assert shapes["FR"].name != "Draftland"
        assert shapes["DE"].url == "/countries/publicland/"
        assert [entry.name for entry in world_map.entries] == ["Publicland"]


@pytest.mark.django_db
def test_small_countries_are_listed_though_not_drawn():
    CountryFactory(name="Singapore", iso_code="SG")
    world_map = build_map("speech", countries_for_map())
    assert "SG" not in shapes_by_code(world_map)
    assert [(entry.name, entry.on_map) for entry in world_map.entries] == [("Singapore", False)]


MANY_CODES = ["KZ", "RU", "FJ", "US", "BR", "DE", "FR", "IN", "CN", "JP"]
MANY_CODES += ["NG", "EG", "AR", "CA", "AU", "ZA", "MX", "TR", "IR", "XK"]


def add_full_entries(codes):
    for code in codes:
        country = CountryFactory(name=f"Land {code}", iso_code=code)
        ArticleFactory(country=country, topic="speech")
        ArticleFactory(country=country, number="21", topic="privacy")
        MetricFactory(country=country)
        MetricFactory(country=country, year=2020, value=70)


def build_every_map():
    return [build_map(indicator.key, countries_for_map()) for indicator in INDICATORS]


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_number_of_countries(django_assert_num_queries):
    add_full_entries(MANY_CODES[:1])
    with CaptureQueriesContext(connection) as one_country:
        build_every_map()
    assert len(one_country) == len(INDICATORS)  # one query per map

    add_full_entries(MANY_CODES[1:])
    with django_assert_num_queries(len(one_country)):
        maps = build_every_map()
    assert all(len(world_map.entries) == 20 for world_map in maps)


# The include and the embeddable page -----------------------------------------------------------


class Elements(HTMLParser):
    """Start tags with attributes, and which <svg> each is inside; fails on unbalanced tags."""

    VOID = {"meta", "link", "input", "br", "img", "path"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), "svg" in self.open))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), "svg" in self.open))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()


def parse(html):
    parser = Elements()
    parser.feed(html)
    parser.close()
    assert parser.open in ([], ["html", "body"], ["html"]), parser.open
    return parser.elements


def test_the_include_links_every_published_country_on_the_map(kazakhstan, rf):
    CountryFactory(name="Draftland", iso_code="FR", is_published=False)
    CountryFactory(name="Brazil", iso_code="BR", net_neutrality_status="yes")
    CountryFactory(name="Singapore", iso_code="SG")
    html = render_to_string("includes/world_map.html", map_context(None))
    elements = parse(html)

    map_links = [attrs["href"] for tag, attrs, in_svg in elements if tag == "a" and in_svg]
    assert sorted(map_links) == ["/countries/brazil/", "/countries/kazakhstan/"]
    list_links = [attrs["href"] for tag, attrs, in_svg in elements if tag == "a" and not in_svg]
    assert list_links == ["/countries/brazil/", "/countries/kazakhstan/", "/countries/singapore/"]
    assert "draftland" not in html.lower()

    svg = next(attrs for tag, attrs, _ in elements if tag == "svg")
    assert svg["role"] == "group"  # "img" would hide the country links from screen readers
    title_id, desc_id = svg["aria-labelledby"], svg["aria-describedby"]
    ids = {attrs.get("id") for _, attrs, _ in elements}
    assert {title_id, desc_id} <= ids
    assert not any("style" in attrs for _, attrs, _ in elements)
    assert "<details" in html and "Kazakhstan</a>: No" in html
    assert "<title>Kazakhstan: No</title>" in html
    select = next(attrs for tag, attrs, _ in elements if tag == "select")
    assert select["name"] == "indicator"
    options = [attrs for tag, attrs, _ in elements if tag == "option"]
    assert [option["value"] for option in options] == [indicator.key for indicator in INDICATORS]
    assert "selected" in options[0]
    assert len([1 for tag, _, in_svg in elements if tag == "path" and in_svg]) >= 171


def test_the_include_follows_the_chosen_indicator(kazakhstan, rf):
    context = map_context("penetration")
    assert context["indicator"] == "penetration"
    html = render_to_string("includes/world_map.html", context)
    assert "<title>Kazakhstan: 40–60%</title>" in html
    assert "(54% in 2013)" in html
    assert map_context("<script>")["indicator"] == "net_neutrality"


def test_the_embed_can_be_framed_and_links_back(kazakhstan, rf):
    request = rf.get("/embed/map/", {"indicator": "speech"})
    response = XFrameOptionsMiddleware(embed_map)(request)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    html = response.content.decode()
    elements = parse(html)
    assert "<svg" in html
    kazakhstan_links = [
        attrs
        for tag, attrs, _ in elements
        if tag == "a" and attrs.get("href") == "/countries/kazakhstan/"
    ]
    assert kazakhstan_links and all(link["target"] == "_blank" for link in kazakhstan_links)
    assert any(
        tag == "a" and attrs.get("href") == "http://testserver/" for tag, attrs, _ in elements
    )
    stylesheet = next(attrs for tag, attrs, _ in elements if tag == "link")
    assert "countries/site" in stylesheet["href"]
    assert "skip-link" not in html  # a page of its own, not one extending base.html
    assert "<title>Kazakhstan: Protected</title>" in html


def test_the_embed_answers_only_reads(db, rf):
    assert embed_map(rf.post("/embed/map/")).status_code == 405


def test_every_class_the_map_uses_is_styled():
    css = (ROOT / "countries" / "static" / "countries" / "site.css").read_text()
    classes = {entry.css_class for indicator in INDICATORS for entry in indicator.legend}
    classes |= {"map-no-entry", "map-sphere", "map-country", "map-swatch"}
    for css_class in classes:
        assert re.search(rf"\.{css_class}\b[^{{]*\{{", css), css_class
    assert "@media print" in css
