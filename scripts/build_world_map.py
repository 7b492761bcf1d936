"""Build countries/public/data/world-map.json, the outlines of the world map, from Natural Earth.

The geometry comes from the npm package world-atlas v2 (countries-110m.json: Natural Earth's
1:110m Admin 0 countries as TopoJSON, public domain). `npm pack` fetches it into a temporary
folder; nothing from npm is kept. The arcs are decoded here, the rings cut at the antimeridian,
projected with Equal Earth into a 1000-unit-wide viewBox and written as SVG path data, one
shape per ISO 3166-1 alpha-2 code.

Usage: python scripts/build_world_map.py [--topology countries-110m.json] [--output PATH]

The output depends only on the input, except the build date, which SOURCE_DATE_EPOCH fixes.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "countries" / "public" / "data" / "world-map.json"
PACKAGE = "world-atlas@2"
TOPOLOGY_FILE = "countries-110m.json"
FORMAT_VERSION = 1
LICENCE = "Natural Earth, public domain, via the world-atlas npm package v2.x"

# Natural Earth gives no ISO code to some areas; Kosovo is the one the site has a code for.
CODES_BY_NAME = {"Kosovo": "XK"}

VIEW_WIDTH = 1000

# Equal Earth (Šavrič, Patterson and Jenny, 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth_unscaled(lon, lat):
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


SCALE = VIEW_WIDTH / 2 / equal_earth_unscaled(180, 0)[0]
VIEW_HEIGHT = math.ceil(2 * SCALE * equal_earth_unscaled(0, 90)[1])


def project(lon, lat):
    """Equal Earth, in tenths of viewBox units (integers, so path data needs no float care)."""
    x, y = equal_earth_unscaled(lon, lat)
    return round((VIEW_WIDTH / 2 + x * SCALE) * 10), round((VIEW_HEIGHT / 2 - y * SCALE) * 10)


# TopoJSON ------------------------------------------------------------------------------------


def decode_arcs(topology):
    """Every arc as a list of (lon, lat): quantized positions are delta-encoded per arc."""
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    arcs = []
    for encoded in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in encoded:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def ring_points(arc_indexes, arcs):
    """A closed ring: a negative index ~i means arc i reversed; arcs share their end points."""
    points = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def geometry_rings(geometry, arcs):
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    return [ring_points(ring, arcs) for polygon in polygons for ring in polygon]


# The antimeridian ----------------------------------------------------------------------------


def unwrap(ring):
    """The ring with longitudes made continuous: a step of more than 180° goes the short way."""
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        unwrapped.append((lon, lat))
    return unwrapped


def clip_to_longitude(points, edge, keep_west):
    """Sutherland–Hodgman against one meridian: the part of a closed ring on one side of it."""

    def inside(point):
        return point[0] <= edge if keep_west else point[0] >= edge

    def crossing(a, b):
        return edge, a[1] + (edge - a[0]) * (b[1] - a[1]) / (b[0] - a[0])

    clipped = []
    previous = points[-1]
    for point in points:
        if inside(point):
            if not inside(previous):
                clipped.append(crossing(previous, point))
            clipped.append(point)
        elif inside(previous):
            clipped.append(crossing(previous, point))
        previous = point
    return clipped


def cut_at_antimeridian(ring):
    """The ring as rings lying within -180..180°, so none draws a streak across the map.

    Natural Earth's shapes that straddle 180° (Russia, Fiji) jump from +180 to -180 in the
    middle of a ring, and Antarctica's ring goes round the South Pole.
    """
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    unwrapped = unwrap(ring)
    first_lon, first_lat = unwrapped[0]
    winding = unwrap([unwrapped[-1], unwrapped[0]])[1][0] - first_lon
    if abs(winding) > 180:
        # The ring goes round a pole: close it along the meridian and the pole line instead.
        pole = -90 if sum(lat for _, lat in ring) < 0 else 90
        end_lon = first_lon + winding
        unwrapped += [(end_lon, first_lat), (end_lon, pole), (first_lon, pole)]
    lons = [lon for lon, _ in unwrapped]
    if min(lons) >= -180 and max(lons) <= 180:
        return [unwrapped]
    pieces = []
    for shift in (-360, 0, 360):
        shifted = [(lon + shift, lat) for lon, lat in unwrapped]
        if max(lons) + shift <= -180 or min(lons) + shift >= 180:
            continue
        piece = clip_to_longitude(shifted, 180, keep_west=True)
        piece = clip_to_longitude(piece, -180, keep_west=False) if piece else []
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


# SVG path data -------------------------------------------------------------------------------


def tenths(value):
    """An integer number of tenths as the shortest decimal: 1234 -> 123.4, 50 -> 5, -3 -> -0.3."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def ring_path(ring):
    """One ring as `M x,y l dx,dy … z`, or "" when it rounds to less than a triangle."""
    points = []
    for lon, lat in ring:
        point = project(lon, lat)
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(set(points)) < 3:
        return ""
    (x, y), steps = points[0], []
    for next_x, next_y in points[1:]:
        steps.append(f"{tenths(next_x - x)},{tenths(next_y - y)}")
        x, y = next_x, next_y
    return f"M{tenths(points[0][0])},{tenths(points[0][1])}l{' '.join(steps)}z"


def shape_path(rings):
    return "".join(ring_path(piece) for ring in rings for piece in cut_at_antimeridian(ring))


def sphere_path():
    """The outline of the whole projected globe, drawn as the sea behind the countries."""
    east_edge = [(180, lat) for lat in range(90, -91, -5)]
    west_edge = [(-180, lat) for lat in range(-90, 91, 5)]
    return ring_path(east_edge + west_edge)


# The asset -----------------------------------------------------------------------------------


def alpha2_code(geometry, countries):
    numeric = geometry.get("id")
    if numeric:
        return countries.alpha2(numeric) or None
    return CODES_BY_NAME.get(geometry.get("properties", {}).get("name"))


def build(topology, *, package_version, built, countries):
    """The asset as a dict; `countries` is django_countries.countries (passed in for tests)."""
    arcs = decode_arcs(topology)
    rings_by_code, skipped = {}, []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = alpha2_code(geometry, countries)
        rings = geometry_rings(geometry, arcs)
        if not code or not rings:
            skipped.append(name or geometry.get("id") or "(unnamed)")
            continue
        rings_by_code.setdefault(code, []).extend(rings)
    shapes = []
    for code in sorted(rings_by_code):
        path = shape_path(rings_by_code[code])
        if not path:
            skipped.append(code)
            continue
        shapes.append({"code": code, "name": str(countries.name(code)), "d": path})
    return {
        "format_version": FORMAT_VERSION,
        "source": f"world-atlas {package_version}, {TOPOLOGY_FILE} "
        "(Natural Earth Admin 0 countries, 1:110m)",
        "licence": LICENCE,
        "built": built,
        "projection": "Equal Earth",
        "view_box": f"0 0 {VIEW_WIDTH} {VIEW_HEIGHT}",
        "sphere": sphere_path(),
        "skipped": sorted(skipped),
        "skipped_count": len(skipped),
        "shape_count": len(shapes),
        "shapes": shapes,
    }


def serialize(asset):
    """The file's text: one key per line, UTF-8 names, a final newline, so diffs stay readable."""
    return json.dumps(asset, indent=1, ensure_ascii=False) + "\n"


def build_date():
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.date().isoformat()


def fetch_world_atlas(folder):
    """`npm pack` the package into folder; returns (topology, package version)."""
    result = subprocess.run(
        ["npm", "pack", "--silent", PACKAGE],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    tarball = Path(folder) / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        package = json.load(archive.extractfile("package/package.json"))
        topology = json.load(archive.extractfile(f"package/{TOPOLOGY_FILE}"))
    return topology, package["version"]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netfree.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topology", type=Path, help=f"a local {TOPOLOGY_FILE} (skips npm)")
    parser.add_argument("--package-version", default="2", help="with --topology: its version")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    setup_django()
    from django.utils import translation
    from django_countries import countries

    if args.topology:
        topology, version = json.loads(args.topology.read_text()), args.package_version
    else:
        with tempfile.TemporaryDirectory() as folder:
            topology, version = fetch_world_atlas(folder)
    with translation.override("en"):
        asset = build(topology, package_version=version, built=build_date(), countries=countries)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(serialize(asset), encoding="utf-8")
    size = args.output.stat().st_size
    print(
        f"{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
        f"{asset['shape_count']} shapes, {asset['skipped_count']} skipped "
        f"({', '.join(asset['skipped'])}), {size / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
