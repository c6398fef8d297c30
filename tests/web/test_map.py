"""The map generator: reproducible from the NUTS file, and usable with a boundary file of yours."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from klynge.web import mapsvg

REPO = Path(__file__).resolve().parents[2]


def test_shipped_map_is_what_the_script_makes(
    shared_data: Path, tmp_path: Path, load_tool: Callable[[str], ModuleType]
) -> None:
    tool = load_tool("build_map")
    nuts = shared_data / "nuts2021"
    warnings = tool.build(
        nuts / "NUTS_RG_03M_2021_4326_LEVL_2_DK.geojson",
        nuts / "NUTS_RG_03M_2021_4326_LEVL_3_DK.geojson",
        mapsvg.MAP_DIR / "towns.toml",
        tmp_path,
        tolerance=0.7,
        min_area=6.0,
    )
    # Every town of the table lies in its municipality's NUTS 3 region.
    assert warnings == []
    for name in ("regions.svg", "places.json", "NOTICE"):
        assert (tmp_path / name).read_bytes() == (mapsvg.MAP_DIR / name).read_bytes(), name


def test_the_bundled_map_is_small_and_complete() -> None:
    shapes = mapsvg.shapes()
    assert sorted(shapes.regions) == ["DK01", "DK02", "DK03", "DK04", "DK05"]
    assert (mapsvg.MAP_DIR / "regions.svg").stat().st_size < 20_000
    assert "EuroGeographics" in (mapsvg.MAP_DIR / "NOTICE").read_text()
    assert shapes.inset is not None  # Bornholm's box
    # Every municipality the landscape names has a point on the map.
    from klynge.landscape import get_landscape

    assert set(get_landscape().municipalities) <= set(shapes.places)
    for x, y in shapes.places.values():
        assert 0 <= x <= shapes.width and 0 <= y <= shapes.height


def test_a_user_supplied_boundary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], load_tool: Callable[[str], ModuleType]
) -> None:
    """Two made-up square regions: the script projects them and falls back for the towns."""

    def square(code: str, lon: float) -> dict[str, object]:
        ring = [[lon, 55.0], [lon + 1, 55.0], [lon + 1, 56.0], [lon, 56.0], [lon, 55.0]]
        return {
            "type": "Feature",
            "properties": {"NUTS_ID": code, "LEVL_CODE": 2, "NUTS_NAME": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    src = tmp_path / "mine.geojson"
    features = [square("DK01", 9), square("DK02", 10)]
    src.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = tmp_path / "out"
    assert load_tool("build_map").main(["--input", str(src), "--out", str(out)]) == 0
    svg = (out / "regions.svg").read_text()
    assert svg.count("<path ") == 2 and 'data-nuts="DK02"' in svg
    assert "mine.geojson" in (out / "NOTICE").read_text()
    places = json.loads((out / "places.json").read_text())
    assert places["source"]["file"] == "mine.geojson"
    assert "wrote" in capsys.readouterr().out


def test_render_spreads_points_that_share_a_town() -> None:
    regions = [mapsvg.MapRegion("DK01", "Hovedstaden", "/regions/DK01", "Hovedstaden: 2")]
    points = [
        mapsvg.MapPoint("København", f"Cluster {i}", f"/clusters/c{i}", i == 0) for i in range(3)
    ]
    svg = str(mapsvg.render(regions, points, title="T <&>", description="D"))
    assert "T &lt;&amp;&gt;" in svg
    centres = {tuple(c) for c in re.findall(r'cx="([^"]+)" cy="([^"]+)"', svg)}
    assert len(centres) == 3
    assert svg.count('class="hq"') == 1 and svg.count('class="office"') == 2
