"""The map of Denmark as inline SVG: one link per region, the clusters as points, the attribution.

The regions come from ``data/regions.svg`` and the municipalities' points from
``data/places.json``, both written by ``tools/build_map.py`` from the NUTS 2021 boundaries. This
module only arranges them: it reads no boundary file and needs no JavaScript in the browser.
It lives outside ``klynge.web`` so that the web pages and the generated factsheet (CLI, PDF)
draw the same map without one face importing another.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

MAP_DIR = Path(__file__).parent / "data"
_PATH_RE = re.compile(r'<path data-nuts="(?P<nuts>[^"]+)" data-name="[^"]*" d="(?P<d>[^"]+)"/>')
_RECT_RE = re.compile(r'<rect data-inset="[^"]*" ([^/]*)/>')
_VIEWBOX_RE = re.compile(r'viewBox="([^"]+)"')


@dataclass(frozen=True)
class Shapes:
    view_box: str
    width: float
    height: float
    regions: dict[str, str]
    inset: str | None
    places: dict[str, tuple[float, float]]
    #: Municipality → NUTS 2 region, for the places the landscape names.
    regions_of: dict[str, str]
    attribution: str


@dataclass(frozen=True)
class MapRegion:
    code: str
    name: str
    href: str
    tooltip: str


@dataclass(frozen=True)
class MapPoint:
    municipality: str
    label: str
    href: str
    headquarters: bool


@cache
def shapes() -> Shapes:
    svg = (MAP_DIR / "regions.svg").read_text(encoding="utf-8")
    places: dict[str, Any] = json.loads((MAP_DIR / "places.json").read_text(encoding="utf-8"))
    vb = _VIEWBOX_RE.search(svg)
    rect = _RECT_RE.search(svg)
    return Shapes(
        view_box=vb.group(1) if vb else f"0 0 {places['width']} {places['height']}",
        width=float(places["width"]),
        height=float(places["height"]),
        regions={m["nuts"]: m["d"] for m in _PATH_RE.finditer(svg)},
        inset=rect.group(1).strip() if rect else None,
        places={k: (v["x"], v["y"]) for k, v in places["municipalities"].items()},
        regions_of={
            k: v["nuts3"][:4] for k, v in places["municipalities"].items() if v.get("nuts3")
        },
        attribution=places["source"]["attribution"],
    )


def _spread(n: int, i: int, x: float, y: float) -> tuple[float, float]:
    """Points sharing a town sit on a small ring around it, so each stays visible and clickable."""
    if n == 1:
        return x, y
    r = 5.0 + 1.2 * n
    a = 2 * math.pi * i / n - math.pi / 2
    return round(x + r * math.cos(a), 1), round(y + r * math.sin(a), 1)


#: Colours as SVG presentation attributes, for renderers that do not apply the page's CSS to an
#: inline SVG (WeasyPrint, a saved HTML file opened without its stylesheet). A stylesheet still
#: wins over them, so the web's own CSS keeps styling the map on its pages.
PAINT = {
    "region": 'fill="#dbe7f2" stroke="#52708f" stroke-width="0.8"',
    "inset": 'fill="none" stroke="#7b8794" stroke-dasharray="3 2"',
    "hq": 'fill="#b3261e" stroke="#ffffff" stroke-width="1.2"',
    "office": 'fill="#ffffff" stroke="#b3261e" stroke-width="1.5"',
    "attribution": 'font-size="11" fill="#3d4650"',
}


def render(
    regions: list[MapRegion],
    points: list[MapPoint],
    *,
    title: str,
    description: str,
    painted: bool = False,
) -> Markup:
    """The ``<svg>`` element. Points whose municipality has no position are left out (and said).

    ``painted`` adds the colours as attributes (:data:`PAINT`), for a document without the CSS.
    """
    s = shapes()

    def paint(kind: str) -> str:
        return " " + PAINT[kind] if painted else ""

    out = [
        f'<svg class="map" viewBox="{s.view_box}" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
        '<g class="regions">',
    ]
    for r in regions:
        d = s.regions.get(r.code)
        if d is None:
            continue
        out.append(
            f'<a href="{escape(r.href)}" aria-label="{escape(r.tooltip)}">'
            f'<path class="region region-{escape(r.code)}"{paint("region")} d="{d}">'
            f"<title>{escape(r.tooltip)}</title></path></a>"
        )
    out.append("</g>")
    if s.inset:
        out.append(f'<rect class="inset"{paint("inset")} {s.inset}/>')
    by_town: dict[str, list[MapPoint]] = {}
    for p in points:
        if p.municipality in s.places:
            by_town.setdefault(p.municipality, []).append(p)
    out.append('<g class="points">')
    for town, group in by_town.items():
        # Headquarters first, so they take the same place on the ring on every page.
        group.sort(key=lambda p: (not p.headquarters, p.label))
        x0, y0 = s.places[town]
        for i, p in enumerate(group):
            x, y = _spread(len(group), i, x0, y0)
            cls = "hq" if p.headquarters else "office"
            radius = 5 if p.headquarters else 3.5
            out.append(
                f'<a href="{escape(p.href)}" aria-label="{escape(p.label)}">'
                f'<circle class="{cls}"{paint(cls)} cx="{x}" cy="{y}" r="{radius}">'
                f"<title>{escape(p.label)}</title></circle></a>"
            )
    out.append("</g>")
    out.append(
        f'<text class="attribution"{paint("attribution")} x="{s.width - 8}" y="{s.height - 8}" '
        f'text-anchor="end">{escape(s.attribution)}</text>'
    )
    out.append("</svg>")
    return Markup("".join(out))
