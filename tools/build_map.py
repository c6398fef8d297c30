"""Build the web platform's map of Denmark from NUTS 2021 boundaries.

Reads a GeoJSON of Danish NUTS 2 regions (GISCO's ``NUTS_RG_03M_2021_4326_LEVL_2`` file, the
Danish subset or the whole of Europe, optionally gzipped) and writes, into
``src/klynge/maps/data/``:

- ``regions.svg``: one projected, simplified ``<path data-nuts="DK0n">`` per region, a complete
  SVG that also opens on its own;
- ``places.json``: the drawing's size and projection, and each municipality's point on it, from
  ``towns.toml`` (approximate town positions) or, for a municipality the landscape names and the
  table lacks, the centre of its NUTS 3 region;
- ``NOTICE``: the boundaries' terms. They are EuroGeographics/GISCO's, not the code's licence.

Bornholm is drawn as an inset north-east of Zealand, framed, as Danish maps usually do.

Rebuild the bundled map (from the repository root)::

    python tools/build_map.py

or from a boundary file you supply::

    python tools/build_map.py --input my_nuts2.geojson --nuts3 my_nuts3.geojson --out DIR

The projection is equirectangular with the longitude scaled by cos(56°), which is true to about
1 % across Denmark. Simplification is Douglas-Peucker in the projected drawing's units.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "nuts2021"
DEFAULT_INPUT = SHARED / "NUTS_RG_03M_2021_4326_LEVL_2_DK.geojson"
DEFAULT_NUTS3 = SHARED / "NUTS_RG_03M_2021_4326_LEVL_3_DK.geojson"
OUT = REPO / "src" / "klynge" / "maps" / "data"

WIDTH = 560.0
MARGIN = 10.0
LAT0 = 56.0
# Bornholm (everything east of this longitude) is moved by this many degrees into an inset.
INSET_EAST_OF = 14.3
INSET_SHIFT = (-1.45, 1.75)
ATTRIBUTION = "© EuroGeographics for the administrative boundaries"

Point = tuple[float, float]
Ring = list[Point]


@dataclass
class Projection:
    lon_min: float
    lat_max: float
    scale: float
    kx: float

    def __call__(self, lon: float, lat: float) -> Point:
        lon, lat = inset(lon, lat)
        return (
            MARGIN + (lon - self.lon_min) * self.kx * self.scale,
            MARGIN + (self.lat_max - lat) * self.scale,
        )


def inset(lon: float, lat: float) -> Point:
    if lon > INSET_EAST_OF:
        return lon + INSET_SHIFT[0], lat + INSET_SHIFT[1]
    return lon, lat


def read_geojson(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data: dict[str, Any] = json.loads(raw)
    return data


def danish_features(data: dict[str, Any], level: int) -> list[dict[str, Any]]:
    out = []
    for f in data.get("features", []):
        p = f.get("properties", {})
        nuts = str(p.get("NUTS_ID", ""))
        if nuts.startswith("DK") and int(p.get("LEVL_CODE", len(nuts) - 2)) == level:
            out.append(f)
    if not out:
        raise SystemExit(f"no Danish NUTS {level} regions (NUTS_ID DK…) in the input")
    return sorted(out, key=lambda f: f["properties"]["NUTS_ID"])


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    coords = geometry["coordinates"]
    polys = coords if geometry["type"] == "MultiPolygon" else [coords]
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in polys]


def simplify(ring: Sequence[Point], tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; keeps the first and last point (a closed ring repeats them)."""
    if len(ring) < 4:
        return list(ring)
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = ring[a], ring[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = ring[i]
            if norm == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, best_i = d, i
        if best > tolerance and best_i > 0:
            keep[best_i] = True
            stack += [(a, best_i), (best_i, b)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


def area(ring: Sequence[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)))


def fmt(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def path_d(rings: list[Ring]) -> str:
    parts = []
    for ring in rings:
        pts = ring[:-1] if ring[0] == ring[-1] else ring
        parts.append("M" + " ".join(f"{fmt(x)} {fmt(y)}" for x, y in pts) + "Z")
    return "".join(parts)


def contains(rings: list[Ring], lon: float, lat: float) -> bool:
    """Even-odd point-in-polygon over a polygon's rings (outer and holes)."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def centre(polys: list[list[Ring]]) -> Point:
    """Centroid of the largest outer ring (the main land of a region), in lon/lat."""
    ring = max((p[0] for p in polys), key=area)
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (3 * a), cy / (3 * a)


def municipalities() -> dict[str, str]:
    """The landscape's municipalities and their NUTS 3 codes, from the bundled data."""
    sys.path.insert(0, str(REPO / "src"))
    from klynge.landscape import get_landscape

    return {m.name: m.nuts3 for m in get_landscape().municipalities.values()}


def build(
    nuts2_path: Path,
    nuts3_path: Path | None,
    towns_path: Path,
    out: Path,
    *,
    tolerance: float,
    min_area: float,
) -> list[str]:
    """Write the map files; returns warnings for a person to read."""
    warnings: list[str] = []
    features = danish_features(read_geojson(nuts2_path), 2)
    all_points = [
        inset(lon, lat)
        for f in features
        for poly in polygons(f["geometry"])
        for ring in poly
        for lon, lat in ring
    ]
    lon_min = min(p[0] for p in all_points)
    lon_max = max(p[0] for p in all_points)
    lat_min = min(p[1] for p in all_points)
    lat_max = max(p[1] for p in all_points)
    kx = math.cos(math.radians(LAT0))
    scale = WIDTH / ((lon_max - lon_min) * kx)
    proj = Projection(lon_min, lat_max, scale, kx)
    height = math.ceil((lat_max - lat_min) * scale + 2 * MARGIN)
    width = WIDTH + 2 * MARGIN

    paths = []
    kept = dropped = 0
    for f in features:
        nuts = f["properties"]["NUTS_ID"]
        name = f["properties"].get("NUTS_NAME") or f["properties"].get("NAME_LATN") or nuts
        rings = []
        for poly in polygons(f["geometry"]):
            for ring in poly:
                projected = simplify([proj(lon, lat) for lon, lat in ring], tolerance)
                if len(projected) < 4 or area(projected) < min_area:
                    dropped += 1
                    continue
                kept += 1
                rings.append(projected)
        paths.append(f'<path data-nuts="{nuts}" data-name="{name}" d="{path_d(rings)}"/>')

    # The inset's frame, around Bornholm's shifted position.
    inset_pts = [
        proj(lon, lat)
        for f in features
        for poly in polygons(f["geometry"])
        for ring in poly
        for lon, lat in ring
        if lon > INSET_EAST_OF
    ]
    frame = None
    if inset_pts:
        pad = 7.0
        x0 = min(p[0] for p in inset_pts) - pad
        y0 = min(p[1] for p in inset_pts) - pad
        x1 = max(p[0] for p in inset_pts) + pad
        y1 = max(p[1] for p in inset_pts) + pad
        frame = [round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1)]

    digest = hashlib.sha256(nuts2_path.read_bytes()).hexdigest()[:16]
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(width)} {height}">',
        f"<!-- Generated by tools/build_map.py from {nuts2_path.name} (sha256 {digest}…). "
        f"{ATTRIBUTION}; GISCO terms, see NOTICE. -->",
        *paths,
    ]
    if frame:
        svg.append(
            f'<rect data-inset="bornholm" x="{frame[0]}" y="{frame[1]}" '
            f'width="{frame[2]}" height="{frame[3]}" fill="none" stroke="#888"/>'
        )
    svg.append("</svg>")

    # Municipality points.
    table = tomllib.loads(towns_path.read_text(encoding="utf-8")).get("town", [])
    towns: dict[str, dict[str, Any]] = {}
    nuts3_polys: dict[str, list[list[Ring]]] = {}
    if nuts3_path is not None:
        for f in danish_features(read_geojson(nuts3_path), 3):
            nuts3_polys[f["properties"]["NUTS_ID"]] = polygons(f["geometry"])
    known = municipalities()
    for row in table:
        name = row["municipality"]
        lon, lat = float(row["lon"]), float(row["lat"])
        nuts3 = known.get(name)
        if nuts3 and nuts3 in nuts3_polys:
            # A town on the coast can sit just outside a 1:3M boundary: allow ~3 km.
            near = any(
                contains(poly, lon + dx, lat + dy)
                for poly in nuts3_polys[nuts3]
                for dx in (0.0, -0.04, 0.04)
                for dy in (0.0, -0.03, 0.03)
            )
            if not near:
                warnings.append(f"{name}: ({lat}, {lon}) lies outside its NUTS 3 region {nuts3}")
        x, y = proj(lon, lat)
        towns[name] = {
            "town": row["town"],
            "nuts3": nuts3,
            "x": round(x, 1),
            "y": round(y, 1),
            "from": "table",
        }
    for name, nuts3 in sorted(known.items()):
        if name in towns:
            continue
        if nuts3 not in nuts3_polys:
            warnings.append(f"{name}: no position (not in towns.toml; no NUTS 3 file to fall back)")
            continue
        lon, lat = centre(nuts3_polys[nuts3])
        x, y = proj(lon, lat)
        towns[name] = {
            "town": name,
            "nuts3": nuts3,
            "x": round(x, 1),
            "y": round(y, 1),
            "from": f"{nuts3}-centre",
        }
        warnings.append(f"{name}: not in towns.toml; drawn at the centre of {nuts3}")

    places = {
        "width": width,
        "height": height,
        "projection": {
            "kind": "equirectangular",
            "lat0": LAT0,
            "lon_min": round(lon_min, 6),
            "lat_max": round(lat_max, 6),
            "scale": round(scale, 6),
            "inset": {"east_of": INSET_EAST_OF, "shift": list(INSET_SHIFT), "frame": frame},
        },
        "source": {"file": nuts2_path.name, "sha256": digest, "attribution": ATTRIBUTION},
        "municipalities": dict(sorted(towns.items())),
    }

    out.mkdir(parents=True, exist_ok=True)
    (out / "regions.svg").write_text("\n".join(svg) + "\n", encoding="utf-8")
    (out / "places.json").write_text(
        json.dumps(places, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out / "NOTICE").write_text(NOTICE.format(file=nuts2_path.name), encoding="utf-8")
    print(
        f"wrote {out}/regions.svg ({len(features)} regions, {kept} rings kept, {dropped} dropped, "
        f"{(out / 'regions.svg').stat().st_size:,} bytes), places.json "
        f"({len(towns)} municipalities), NOTICE"
    )
    return warnings


NOTICE = """\
The region boundaries in regions.svg (and the map the web pages draw from it) are derived from
the NUTS 2021 boundaries of Eurostat GISCO, file {file}, projected and simplified by
tools/build_map.py.

© EuroGeographics for the administrative boundaries.

They are used under the GISCO terms for administrative units and statistical units
(https://ec.europa.eu/eurostat/web/gisco/geodata/statistical-units), not under the MIT licence
of klynge's code: the data may be downloaded and used for non-commercial purposes with this
acknowledgement; any other use needs the agreement of EuroGeographics.

The municipality points in places.json are approximate town positions written by hand
(towns.toml), not GISCO data.

Rebuild from a boundary file of your own: python tools/build_map.py --input FILE.geojson
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="NUTS 2 GeoJSON (or .gz)")
    ap.add_argument("--nuts3", type=Path, default=None, help="NUTS 3 GeoJSON, to check towns")
    ap.add_argument("--towns", type=Path, default=OUT / "towns.toml")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--tolerance", type=float, default=0.7, help="simplification, drawing units")
    ap.add_argument("--min-area", type=float, default=6.0, help="drop smaller islands (units²)")
    args = ap.parse_args(argv)
    nuts3 = args.nuts3
    if nuts3 is None and args.input == DEFAULT_INPUT and DEFAULT_NUTS3.exists():
        nuts3 = DEFAULT_NUTS3
    for w in build(
        args.input, nuts3, args.towns, args.out, tolerance=args.tolerance, min_area=args.min_area
    ):
        print("warning:", w, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
