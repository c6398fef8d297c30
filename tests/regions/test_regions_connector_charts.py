"""The Eurostat connector on a recorded response (no network), and the charts."""

from __future__ import annotations

import builtins
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from klynge.regions import charts, connector
from klynge.regions.ecosystems import ShareRow
from klynge.regions.errors import RegionsDataError
from klynge.regions.organisations import RegionCount


def test_fetch_parses_the_recorded_response(recorded: list[str], tmp_path: Path) -> None:
    df = connector.fetch("nama_10r_3empers", geo=["DK01", "DK02"], start=2017, end=2018)
    assert len(recorded) == 2, "one request per region, as the package builds them"
    assert all("nama_10r_3empers" in u for u in recorded)
    assert "THS" in recorded[0] and "EMP" in recorded[0] and "startPeriod=2017" in recorded[0]
    rows = {(r["region"], r["activity"], r["year"]): r for r in df.iter_rows(named=True)}
    assert rows[("DK01", "J", 2017)]["value"] == 64.0
    assert rows[("DK01", "J", 2018)]["flag"] == "p"
    # The suppressed cell stays missing, with its flag.
    assert rows[("DK02", "J", 2018)]["value"] is None
    assert rows[("DK02", "J", 2018)]["flag"] == "c"
    out = connector.save(df, tmp_path / "dk.parquet")
    assert pl.read_parquet(out).height == df.height
    csv_out = connector.save(df, tmp_path / "dk.csv")
    assert csv_out.read_text().startswith("region,activity,year,value,flag")


def test_fetch_refuses_unknown_datasets_and_indicators() -> None:
    with pytest.raises(RegionsDataError, match="unknown dataset"):
        connector.fetch("nope")
    with pytest.raises(RegionsDataError, match="local units"):
        connector.fetch("nama_10r_3empers", establishments=True)


def test_missing_package_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_eurostat(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "eurostat":
            raise ImportError("no eurostat")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_eurostat)
    with pytest.raises(RegionsDataError) as err:
        connector.fetch("sbs_r_nuts2021")
    assert "klynge[connectors]" in str(err.value) and "ikke installeret" in err.value.text.da


def test_response_with_two_units_needs_a_filter() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "unit": ["THS", "PC"],
            "nace_r2": ["J", "J"],
            "geo\\TIME_PERIOD": ["DK01", "DK01"],
            "2018_value": [1.0, 2.0],
            "2018_flag": [None, None],
        }
    )
    with pytest.raises(RegionsDataError, match="unit"):
        connector.response_to_long(frame, "x")


ROWS = [ShareRow("health", 0.2, 0.1), ShareRow("digital", 0.05, 0.06)]


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_charts_are_written(tmp_path: Path, suffix: str) -> None:
    eco = charts.ecosystem_chart(ROWS, tmp_path / f"eco{suffix}", "da", "DK", "EU27")
    org = charts.organisations_chart(
        [RegionCount("DK01", 3, ["a", "b", "c"]), RegionCount("unknown", 1, ["d"])],
        tmp_path / f"org{suffix}",
        "en",
        {"DK01": "Capital"},
    )
    for p in (eco, org):
        assert p.stat().st_size > 1000
    if suffix == ".png":
        assert eco.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_labels_follow_the_language(tmp_path: Path) -> None:
    da = charts.ecosystem_chart(ROWS, tmp_path / "da.svg", "da")
    en = charts.ecosystem_chart(ROWS, tmp_path / "en.svg", "en")
    da_text = "".join(ET.parse(da).getroot().itertext())
    en_text = "".join(ET.parse(en).getroot().itertext())
    assert "Sundhed" in da_text and "Andel af beskæftigelsen" in da_text
    assert "Health" in en_text and "Share of employment" in en_text


def test_chart_format_is_checked(tmp_path: Path) -> None:
    with pytest.raises(RegionsDataError, match=r"\.svg or \.png"):
        charts.ecosystem_chart(ROWS, tmp_path / "x.jpg", "en")


def test_organisations_chart_names_its_day_and_what_is_unknown(tmp_path: Path) -> None:
    from datetime import date

    path = charts.organisations_chart(
        [RegionCount("unknown", 1, ["made"])],
        tmp_path / "org.svg",
        "en",
        on=date(2026, 1, 5),
        note="Only one organisation is known.",
    )
    text = "".join(ET.parse(path).getroot().itertext())
    assert "2026-01-05" in text
    assert "Only one organisation is known." in text


def test_organisation_labels_sit_under_their_own_bars() -> None:
    """A slanted region name must end at its bar, not drift under the neighbouring one."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    counts = [
        RegionCount("DK01", 4, []),
        RegionCount("DK02", 0, []),
        RegionCount("DK03", 2, []),
        RegionCount("unknown", 3, []),
    ]
    names = {"DK01": "Capital Region of Denmark", "DK02": "Zealand", "DK03": "Southern Denmark"}
    fig = charts.organisations_figure(counts, "en", names, None, None)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    ax = fig.axes[0]
    renderer = canvas.get_renderer()
    step = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    for i, tick in enumerate(ax.get_xticklabels()):
        x_bar = ax.transData.transform((i, 0))[0]
        right = tick.get_window_extent(renderer).x1
        assert abs(right - x_bar) < step / 4, (tick.get_text(), right, x_bar)


def test_sbs_fetch_asks_for_persons_employed_or_local_units(
    recorded_sbs: list[str], tmp_path: Path
) -> None:
    """sbs_r_nuts2021 holds several indicators; employment and local units must not mix."""
    emp = connector.fetch("sbs_r_nuts2021", geo=["DK01", "DK02"])
    assert recorded_sbs and all("EMP_LOC_NR" in u for u in recorded_sbs)
    cells = {(r["region"], r["activity"], r["year"]): r for r in emp.iter_rows(named=True)}
    assert cells[("DK01", "J62", 2021)]["value"] == 30000.0
    assert cells[("DK01", "C21", 2022)]["flag"] == "p"
    assert cells[("DK02", "C21", 2021)]["value"] is None
    assert cells[("DK02", "C21", 2021)]["flag"] == "c"
    recorded_sbs.clear()
    units = connector.fetch("sbs_r_nuts2021", geo=["DK01", "DK02"], establishments=True)
    assert recorded_sbs and all("LOC_NR" in u and "EMP_LOC_NR" not in u for u in recorded_sbs)
    got = {(r["region"], r["activity"], r["year"]): r["value"] for r in units.iter_rows(named=True)}
    assert got[("DK01", "J62", 2021)] == 3000.0 and got[("DK02", "C21", 2022)] == 12.0
    # Both feed the strong-cluster flags: employment and establishments of the same cells.
    assert set(got) == set(cells)
