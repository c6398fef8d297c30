"""Location quotients, nodes and top-N: real Danish data, hand-computed cells and invariants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from klynge.regions import lq, nace
from klynge.regions.cube import Cube, from_long
from klynge.regions.errors import RegionsDataError
from klynge.regions.readers import read_table

A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]


@pytest.fixture(scope="module")
def dk(shared_data: Path) -> Cube:
    path = shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"
    cube = from_long(read_table(path))
    kept, _ = nace.resolve_overlaps(cube.activities)
    return cube.select(activities=kept)


def test_a10_overlaps_resolve_to_a_partition(dk: Cube) -> None:
    assert sorted(dk.activities) == sorted(A10)
    sets = [nace.classes_of(a) for a in dk.activities]
    assert all(s is not None for s in sets)
    union = frozenset().union(*[s for s in sets if s is not None])
    assert sum(len(s) for s in sets if s is not None) == len(union) == 615


def test_capital_region_is_specialised_in_ict_every_year(dk: Cube) -> None:
    regions, ref = lq.choose(dk, "country")
    assert ref.label == "DK0" and "DK0" not in regions.regions
    res = lq.compute(regions, ref)
    j, r = regions.activities.index("J"), regions.region_index("DK01")
    assert (res.lq[:, r, j] > 1.5).all()
    # ...and every other region is below 1 in J in every year.
    others = [regions.region_index(c) for c in ("DK02", "DK03", "DK04", "DK05")]
    assert (res.lq[:, others, j] < 1).all()


def test_hand_computed_cell(dk: Cube, shared_data: Path) -> None:
    """DK01, J, 2018 against DK0, from the raw CSV columns by hand."""
    import csv

    path = shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"
    rows = {(r["year"], r["geo"]): r for r in csv.DictReader(path.open())}
    dk01, dk0 = rows[("2018", "DK01")], rows[("2018", "DK0")]
    total_r = sum(float(dk01[a]) for a in A10)
    total_n = sum(float(dk0[a]) for a in A10)
    expected = (float(dk01["J"]) / total_r) / (float(dk0["J"]) / total_n)
    regions, ref = lq.choose(dk, "country")
    res = lq.compute(regions, ref)
    got = res.lq[
        regions.year_index(2018), regions.region_index("DK01"), regions.activities.index("J")
    ]
    assert got == pytest.approx(expected, abs=1e-9)


def test_hand_computed_literals(dk: Cube) -> None:
    """Worked on paper from the file's rows (thousands of persons); totals are the A10 sums.

    2018: DK01 J 65 of 3+71+49+284+65+48+18+151+319+75 = 1083 (the file's TOTAL, 1082.05, is
    not used); DK0 J 107 of 70+316+188+773+107+79+47+326+896+159 = 2961.
    2000: DK05 A 16 of 16+53+21+65+6+5+3+15+87+10 = 281; DK0 A 90 of 2747.
    """
    regions, ref = lq.choose(dk, "country")
    res = lq.compute(regions, ref)
    j, a = regions.activities.index("J"), regions.activities.index("A")
    dk01, dk05 = regions.region_index("DK01"), regions.region_index("DK05")
    y2018, y2000 = regions.year_index(2018), regions.year_index(2000)
    assert res.lq[y2018, dk01, j] == pytest.approx((65 / 1083) / (107 / 2961), rel=1e-12)
    assert res.lq[y2018, dk01, j] == pytest.approx(1.6609, abs=1e-4)
    assert res.lq[y2000, dk05, a] == pytest.approx((16 / 281) / (90 / 2747), rel=1e-12)
    # 1.74 > 1.5 and 16/281 = 5.7 % ≥ 1 %: a node; with a 6 % relevance threshold it is not.
    assert res.k.nodes[y2000, dk05, a]
    assert not lq.compute(regions, ref, rel=0.06).k.nodes[y2000, dk05, a]


def test_reference_choices(dk: Cube) -> None:
    regions, ref = lq.choose(dk, "sum")
    assert ref.label == "sum"
    assert np.allclose(ref.activity_totals, regions.data.sum(axis=1))
    r2, ref2 = lq.choose(dk, "DK0")
    assert ref2.label == "DK0" and r2.regions == regions.regions
    with pytest.raises(RegionsDataError, match="no EU27 row"):
        lq.choose(dk, "EU27")
    with pytest.raises(RegionsDataError, match="unknown reference"):
        lq.choose(dk, "nowhere")


def test_reference_from_file(dk: Cube, tmp_path: Path) -> None:
    regions, national = lq.choose(dk, "DK0")
    f = tmp_path / "ref.csv"
    lines = ["region,activity,year,value"]
    for i, y in enumerate(regions.years):
        for a, act in enumerate(regions.activities):
            lines.append(f"EU27_2020,{act},{y},{national.activity_totals[i, a] * 10:g}")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, from_file = lq.choose(dk, str(f))
    # Ten times the country has the same structure, hence the same LQs.
    a = lq.compute(regions, national).lq
    b = lq.compute(regions, from_file).lq
    assert np.allclose(a, b)


def test_missing_cells_are_nan_not_zero() -> None:
    data = np.array([[[10.0, 0.0, 5.0], [4.0, 6.0, 0.0]]])
    missing = np.array([[[False, True, False], [False, False, False]]])
    cube = Cube((2020,), ("R1", "R2"), ("a", "b", "c"), data, missing)
    res = lq.compute(cube, lq.sum_reference(cube))
    assert np.isnan(res.lq[0, 0, 1])
    assert res.lq[0, 1, 2] == 0.0  # a true zero stays a zero
    assert not res.k.nodes[0, 0, 1]


def test_nodes_need_both_thresholds() -> None:
    # R1 is 2 % of activity "small" but the only one: LQ high, share 2 % → node at 1 %, not 3 %.
    data = np.array([[[98.0, 2.0], [100.0, 0.0], [100.0, 0.0]]])
    cube = Cube((2020,), ("R1", "R2", "R3"), ("big", "small"), data, np.zeros_like(data, bool))
    ref = lq.sum_reference(cube)
    assert lq.compute(cube, ref, rel=0.01).k.nodes[0, 0, 1]
    assert not lq.compute(cube, ref, rel=0.03).k.nodes[0, 0, 1]
    with pytest.raises(RegionsDataError):
        lq.compute(cube, ref, rel=2)


def test_node_table_layout(dk: Cube) -> None:
    regions, ref = lq.choose(dk, "country")
    res = lq.compute(regions, ref, top_n=3)
    rows = res.node_rows(2018, lambda a: nace.label(a, "en"), lq.region_labeller({"DK01": "X"}), 3)
    assert rows[0][0] == "DK01: X" and rows[1][0] == "DK02"
    assert all(len(r) == 5 for r in rows)
    dk01 = rows[0]
    assert int(dk01[1]) == int(res.k.counts[-1, 0])
    named = [c for c in dk01[2:] if c != "-"]
    assert len(named) == min(3, int(dk01[1]))
    assert any(c.startswith("J - ") for c in named)
    assert lq.node_headers("da", 2) == [
        "Region",
        "Antal knudepunkter",
        "Knudepunkt 1",
        "Knudepunkt 2",
    ]


# -- invariants -----------------------------------------------------------------------------
employment = arrays(
    np.float64,
    st.tuples(st.integers(1, 3), st.integers(2, 6), st.integers(2, 6)),
    # Employment: zero, or from a thousandth of a unit (figures in thousands) up to a million.
    elements=st.one_of(st.just(0.0), st.floats(1e-3, 1e6)),
)


def _cube(x: np.ndarray, missing: np.ndarray | None = None) -> Cube:
    y, r, a = x.shape
    m = np.zeros(x.shape, bool) if missing is None else missing
    x = np.where(m, 0.0, x)
    return Cube(
        tuple(range(y)), tuple(f"R{i}" for i in range(r)), tuple(f"A{i}" for i in range(a)), x, m
    )


@settings(max_examples=60, deadline=None)
@given(x=employment, data=st.data())
def test_weighted_mean_lq_is_one(x: np.ndarray, data: st.DataObject) -> None:
    """Σ_r (X_r / T) · LQ_ra = 1 for every activity against the regions' own total."""
    missing = data.draw(arrays(bool, x.shape))
    cube = _cube(x, missing)
    res = lq.compute(cube, lq.sum_reference(cube))
    totals = res.k.region_totals  # (Y, R)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = totals / totals.sum(axis=1, keepdims=True)
    act_tot = cube.data.sum(axis=1)
    for i in range(x.shape[0]):
        for a in range(x.shape[2]):
            if act_tot[i, a] <= 0 or totals[i].sum() <= 0:
                continue
            ok = ~np.isnan(res.lq[i, :, a])
            mean = float((weights[i, ok] * res.lq[i, ok, a]).sum())
            assert mean == pytest.approx(1.0, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(x=employment, factor=st.floats(0.01, 100), data=st.data())
def test_scaling_a_region_changes_nothing(
    x: np.ndarray, factor: float, data: st.DataObject
) -> None:
    """Against a fixed reference, a region's LQs and nodes do not depend on its size."""
    cube = _cube(x)
    r = data.draw(st.integers(0, x.shape[1] - 1))
    scaled = x.copy()
    scaled[:, r, :] *= factor
    ref = lq.sum_reference(cube)
    a = lq.compute(cube, ref)
    b = lq.compute(_cube(scaled), ref)
    assert np.allclose(a.lq, b.lq, rtol=1e-9, equal_nan=True)
    far = np.abs(a.lq - lq.SPEC) > 1e-6  # away from the threshold, flags agree exactly
    assert np.array_equal(a.k.nodes[far], b.k.nodes[far])


@settings(max_examples=60, deadline=None)
@given(
    x=employment,
    spec=st.floats(0, 5),
    more=st.floats(0, 5),
    rel=st.floats(0, 0.5),
    more_rel=st.floats(0, 0.5),
)
def test_raising_a_threshold_never_adds_nodes(
    x: np.ndarray, spec: float, more: float, rel: float, more_rel: float
) -> None:
    cube = _cube(x)
    ref = lq.sum_reference(cube)
    low = lq.compute(cube, ref, spec=spec, rel=rel).k
    high = lq.compute(cube, ref, spec=spec + more, rel=min(1.0, rel + more_rel)).k
    assert not (high.nodes & ~low.nodes).any()
    assert (high.counts <= low.counts).all()


@settings(max_examples=60, deadline=None)
@given(x=employment, n=st.integers(0, 7))
def test_top_n_are_the_highest_nodes_in_order(x: np.ndarray, n: int) -> None:
    cube = _cube(x)
    res = lq.compute(cube, lq.sum_reference(cube), spec=1.0, rel=0.0, top_n=n)
    assert (res.k.counts == res.k.nodes.sum(axis=2)).all()
    for i in range(x.shape[0]):
        for r in range(x.shape[1]):
            top = [int(a) for a in res.k.top[i, r] if a >= 0]
            nodes = np.flatnonzero(res.k.nodes[i, r])
            assert len(top) == min(n, len(nodes))
            assert set(top) <= set(nodes.tolist())
            vals = [res.lq[i, r, a] for a in top]
            assert vals == sorted(vals, reverse=True)
            rest = [res.lq[i, r, a] for a in nodes if a not in top]
            if top and rest:
                assert min(vals) >= max(rest)


def test_strong_cluster_flags() -> None:
    # Four regions, one activity dominant in R0: high LQ and high employment → strong.
    x = np.array([[[50.0, 50.0], [10.0, 90.0], [10.0, 90.0], [12.0, 88.0]]])
    cube = _cube(x)
    res = lq.compute(cube, lq.sum_reference(cube))
    strong = lq.strong_clusters(res)
    assert strong[0, 0, 0]
    assert not strong[0, 1, 0]
    # Few establishments take the flag away.
    est = np.array([[[1.0, 5.0], [5.0, 5.0], [6.0, 5.0], [7.0, 5.0]]])
    assert not lq.strong_clusters(res, est)[0, 0, 0]


def test_frame_reports_suppressed_cells(tmp_path: Path) -> None:
    f = tmp_path / "x.tsv"
    f.write_text(
        "unit,nace_r2,geo\\time\t2019 \n"
        "THS,C21,DK01\t10 \nTHS,C21,DK02\t: c\nTHS,J,DK01\t30 \nTHS,J,DK02\t40 p\n",
        encoding="utf-8",
    )
    cube = from_long(read_table(f))
    res = lq.compute(cube, lq.sum_reference(cube))
    rows = {(r["region"], r["activity"]): r for r in res.frame().iter_rows(named=True)}
    assert rows[("DK02", "C21")]["employment"] is None
    assert rows[("DK02", "C21")]["lq"] is None and rows[("DK02", "C21")]["flag"] == "c"
    assert rows[("DK02", "J")]["flag"] == "p"
    assert rows[("DK02", "J")]["lq"] == pytest.approx((40 / 40) / (70 / 80))
    assert rows[("DK01", "C21")]["share"] == pytest.approx(0.25)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30_000),
            st.sampled_from([1.5, 1.5 + 1e-15, 2.0, 3.0, 1e6, np.nextafter(2.0, 3.0)])
            | st.floats(1.5, 1e6),
        ),
        max_size=60,
    )
)
def test_fast_row_order_matches_lexsort(pairs: list[tuple[int, float]]) -> None:
    """The fast ordering agrees exactly with lexsort, near-equal values and ties included."""
    from klynge.regions.lq import _row_then_falling

    pairs = sorted(pairs, key=lambda p: p[0])  # rows arrive sorted, as from flatnonzero
    rows = np.asarray([p[0] for p in pairs], dtype=np.int64)
    vals = np.asarray([p[1] for p in pairs], dtype=np.float32)
    got = _row_then_falling(rows, vals)
    assert np.array_equal(got, np.lexsort((-vals, rows)))
