"""NACE codes, the ecosystem mapping, ecosystem aggregation and the country-vs-EU27 shares."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.regions import ecosystems, lq, nace
from klynge.regions.cube import Cube
from klynge.regions.errors import RegionsDataError


def test_titles_cover_nace_rev2_in_both_languages() -> None:
    levels: dict[str, int] = {}
    for e in nace.entries().values():
        levels[e.level] = levels.get(e.level, 0) + 1
        assert e.title.en and e.title.da
    assert levels == {"section": 21, "division": 88, "group": 272, "class": 615}
    assert nace.label("C21", "en").startswith("C21 - Manufacture of basic pharmaceutical")
    assert nace.label("21", "da").startswith("C21 - Fremstilling af farmaceutiske")
    assert nace.label("B-E", "en") == "B-E - Industry (except construction)"
    assert nace.label("R-U", "da").startswith("R-U - Kultur")
    assert nace.label("XYZ", "da") == "XYZ"
    # Section titles read as sentences, like the lower levels, not "Information And Communication".
    assert nace.label("J", "en") == "J - Information and communication"
    sections = [e for e in nace.entries().values() if e.level == "section"]
    assert len(sections) == 21
    assert all(" And " not in e.title.en and " Of " not in e.title.en for e in sections)


def test_normalise_and_expand() -> None:
    assert [nace.normalise(c) for c in ("C21", "C211", "C2110", "21.10", " j ")] == [
        "21",
        "21.1",
        "21.10",
        "21.10",
        "J",
    ]
    assert nace.classes_of("21") == {"21.10", "21.20"}
    assert nace.classes_of("B-E") == nace.classes_of("B") | nace.classes_of("C") | nace.classes_of(
        "D"
    ) | nace.classes_of("E")  # type: ignore[operator]
    assert nace.classes_of("nonsense") is None
    business = nace.classes_of("B-N_S95_X_K")
    assert business is not None and "95.11" in business and "64.19" not in business
    assert "10.11" in business and "96.01" not in business
    assert nace.division_of("C2110") == "21"


def test_overlaps_prefer_the_finer_complete_split() -> None:
    kept, dropped = nace.resolve_overlaps(["C", "C10", "C11", "B-E", "TOTAL", "XX"])
    # C10 and C11 do not cover C, so C is kept over them... and C lies inside B-E.
    assert "TOTAL" in dropped and "XX" in kept and "B-E" in kept
    assert "C" in dropped and "C10" in dropped and "C11" in dropped
    # A composite aggregate is replaced by divisions only when they cover it all.
    kept, dropped = nace.resolve_overlaps(["B-N_S95_X_K", "C", "F", "TOTAL"])
    assert kept == ["B-N_S95_X_K"] and dropped == ["C", "F", "TOTAL"]
    business = nace.classes_of("B-N_S95_X_K") or frozenset()
    divisions = sorted({nace.division_of(c) for c in business} - {None})  # type: ignore[type-var]
    kept, dropped = nace.resolve_overlaps(["B-N_S95_X_K", *divisions])
    assert kept == divisions and dropped == ["B-N_S95_X_K"]
    kept, dropped = nace.resolve_overlaps(["K-N", "K", "L", "M-N"])
    assert kept == ["K", "L", "M-N"] and dropped == ["K-N"]


def test_bundled_mapping_covers_every_division() -> None:
    path = resources.files("klynge.regions").joinpath("data", "nace_ecosystems.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    divisions = {e.code for e in nace.entries().values() if e.level == "division"}
    assert {r["division"] for r in rows} == divisions
    used = {r["ecosystem"] for r in rows if r["ecosystem"]}
    assert used == set(ecosystems.ECOSYSTEMS)  # all 14, and nothing else
    m = ecosystems.load_mapping()
    assert m.ecosystem_of("C21") == "health"
    assert m.ecosystem_of("62.01") == "digital"
    assert m.ecosystem_of("K64") is None
    with pytest.raises(RegionsDataError, match="divisions"):
        m.ecosystem_of("B-E")


def _cube() -> Cube:
    acts = ("C21", "J62", "J63", "K64", "Q86")
    data = np.array(
        [
            [
                [10.0, 20.0, 5.0, 15.0, 50.0],
                [30.0, 1.0, 0.0, 9.0, 60.0],
            ]
        ]
    )
    missing = np.zeros_like(data, dtype=bool)
    missing[0, 1, 2] = True
    return Cube((2020,), ("R1", "R2"), acts, data, missing)


def test_aggregate_sums_and_marks_incomplete_cells() -> None:
    eco = ecosystems.aggregate(_cube())
    assert eco.activities == ("digital", "health")
    assert eco.data[0, 0].tolist() == [25.0, 60.0]
    assert eco.data[0, 1].tolist() == [1.0, 90.0]
    assert eco.incomplete is not None and eco.incomplete[0, 1, 0] and not eco.incomplete[0, 0, 0]
    assert not eco.missing.any()


def test_ecosystem_lq_is_relative_to_all_employment() -> None:
    cube = _cube()
    ref = lq.sum_reference(cube)
    eco, eref, totals = ecosystems.aggregate_with_reference(cube, ref)
    res = lq.compute(eco, eref, totals=totals)
    # R1 digital: 25/100 of R1 vs 26/200 overall.
    assert res.lq[0, 0, 0] == pytest.approx((25 / 100) / (26 / 200))
    assert res.lq[0, 1, 1] == pytest.approx((90 / 100) / (150 / 200))


def test_user_mapping_file(tmp_path: Path) -> None:
    f = tmp_path / "map.csv"
    f.write_text("nace,ecosystem\nC21,pharma\nJ,digital\nK,\nQ86,health\n", encoding="utf-8")
    m = ecosystems.load_mapping(f)
    assert m.ecosystem_of("C21") == "pharma"
    with pytest.raises(RegionsDataError, match="not in the ecosystem mapping"):
        m.ecosystem_of("J62")  # a user file that maps sections does not reach divisions
    f.write_text("code,eco\n21,x\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match="'ecosystem'"):
        ecosystems.load_mapping(f)
    f.write_text("nace,ecosystem\n21,x\nC21,y\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match="row 3"):
        ecosystems.load_mapping(f)


def test_shares_country_beside_reference() -> None:
    cube = _cube()
    country = cube.data[0].sum(axis=0)
    reference = np.array([100.0, 100.0, 100.0, 600.0, 100.0])
    rows = ecosystems.shares(cube, country, reference)
    by = {r.ecosystem: r for r in rows}
    assert by["health"].country == pytest.approx((10 + 30 + 50 + 60) / 200)  # C21 + Q86
    assert by["health"].reference == pytest.approx(200 / 1000)
    assert by["digital"].country == pytest.approx(26 / 200)
    assert [r.ecosystem for r in rows] == ["health", "digital"]  # by the country's share
    assert sum(r.country for r in rows) <= 1 + 1e-12
    assert ecosystems.ecosystem_label("health", "da") == "Sundhed"
    assert ecosystems.ecosystem_label("own-group", "da") == "own-group"


def test_titles_file_rebuilds_from_the_reference_data(shared_data: Path, tmp_path: Path) -> None:
    import importlib.util

    tool = Path(__file__).resolve().parents[2] / "tools" / "build_nace_titles.py"
    spec = importlib.util.spec_from_file_location("build_nace_titles", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "titles.csv"
    module.main(out)
    shipped = resources.files("klynge.regions").joinpath("data", "nace_titles.csv")
    assert out.read_bytes() == shipped.read_bytes()


def test_nuts2_names_rebuild_from_gisco(shared_data: Path, tmp_path: Path) -> None:
    import importlib.util

    from klynge.regions.names import region_names

    tool = Path(__file__).resolve().parents[2] / "tools" / "build_nuts2_names.py"
    spec = importlib.util.spec_from_file_location("build_nuts2_names", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "names.csv"
    module.main(out)
    shipped = resources.files("klynge.regions").joinpath("data", "nuts2_names.csv")
    assert out.read_bytes() == shipped.read_bytes()
    names = region_names("da")
    assert len(names) == 334 and names["DK01"] == "Region Hovedstaden"
    assert region_names("en")["DK01"] == "Capital Region of Denmark"


POOL = [
    "A",
    "B",
    "C",
    "B-E",
    "F",
    "G-I",
    "G-J",
    "J",
    "K-N",
    "K",
    "L",
    "M-N",
    "O-U",
    "O-Q",
    "R-U",
    "C10",
    "C11",
    "C21",
    "J62",
    "J63",
    "J61",
    "J58",
    "J59",
    "J60",
    "TOTAL",
    "B-N_S95_X_K",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(POOL), unique=True, min_size=1))
def test_overlap_resolution_is_disjoint_and_keeps_coverage(codes: list[str]) -> None:
    kept, dropped = nace.resolve_overlaps(codes)
    assert sorted(kept + dropped) == sorted(codes)
    sets = [nace.classes_of(c) or frozenset() for c in kept]
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            assert not (sets[i] & sets[j]), (kept[i], kept[j])
    wanted = [nace.classes_of(c) or frozenset() for c in codes if c != "TOTAL"]
    partial = any(
        (a & b) and not (a <= b or b <= a) for i, a in enumerate(wanted) for b in wanted[i + 1 :]
    )
    if not partial:  # nested codes only: nothing is lost
        assert frozenset().union(*sets) == frozenset().union(*wanted)


DIVISIONS = ["C21", "J62", "J63", "K64", "Q86", "Q88", "G47", "I55", "A01", "O84"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(DIVISIONS), unique=True, min_size=2),
    st.integers(2, 5),
    st.data(),
)
def test_ecosystem_sums_and_weighted_mean(acts: list[str], n_r: int, data: st.DataObject) -> None:
    """Aggregation keeps every mapped person once; ecosystem LQs average to 1 as NACE ones do."""
    values = data.draw(
        st.lists(
            st.one_of(st.just(0.0), st.floats(1, 1e5)),
            min_size=n_r * len(acts),
            max_size=n_r * len(acts),
        )
    )
    x = np.asarray(values).reshape(1, n_r, len(acts))
    cube = Cube((2020,), tuple(f"R{i}" for i in range(n_r)), tuple(acts), x, np.zeros_like(x, bool))
    m = ecosystems.load_mapping()
    mapped = [i for i, a in enumerate(acts) if m.ecosystem_of(a) is not None]
    if not mapped:
        return
    eco, eref, totals = ecosystems.aggregate_with_reference(cube, lq.sum_reference(cube), m)
    assert eco.data.sum() == pytest.approx(x[:, :, mapped].sum())
    res = lq.compute(eco, eref, totals=totals)
    t = totals[0]
    if t.sum() <= 0:
        return
    for e in range(len(eco.activities)):
        if eco.data[0, :, e].sum() <= 0:
            continue
        ok = ~np.isnan(res.lq[0, :, e])
        mean = float((t[ok] / t.sum() * res.lq[0, ok, e]).sum())
        assert mean == pytest.approx(1.0, rel=1e-9)
