"""Parquet straight to the cube (``cube.read``): the same checks and the same cube as the frame
path (``from_long(read_table(...))``), and the same answer as a cell-by-cell reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klynge.regions import parquet
from klynge.regions.cube import Cube, from_long, read
from klynge.regions.errors import RegionsDataError
from klynge.regions.readers import read_table

REGIONS = ["DK01", "DK02", "DK03", "SE11", "SE12"]
ACTIVITIES = ["A", "C10", "C21", "J", "K"]
YEARS = [2017, 2018, 2019]


def _both(path: Path) -> tuple[Cube | str, Cube | str]:
    """The cube (or the error message) by each path."""
    out: list[Cube | str] = []
    for how in (lambda: read(path), lambda: from_long(read_table(path))):
        try:
            out.append(how())
        except RegionsDataError as exc:
            out.append(str(exc))
    return out[0], out[1]


def _same(a: Cube, b: Cube) -> None:
    assert (a.years, a.regions, a.activities) == (b.years, b.regions, b.activities)
    assert a.data.dtype == b.data.dtype
    assert np.array_equal(a.data, b.data) and np.array_equal(a.missing, b.missing)
    assert dict(a.flags) == dict(b.flags)
    assert [w.code for w in a.warnings] == [w.code for w in b.warnings]
    assert a.suppressed_years == b.suppressed_years


cell_values = st.one_of(st.none(), st.integers(0, 1000).map(float))
flags = st.sampled_from([None, None, "p", "c"])


@st.composite
def long_rows(draw: st.DrawFn) -> list[tuple[str, str, int, float | None, str | None]]:
    """Cells of the 5 × 5 × 3 cube: every one in the cube's order (the reader's fast path), or
    some in any order; sometimes a cell given twice (beside or instead of another cell) or a
    negative value."""
    if draw(st.booleans()):
        cells = [(r, a, y) for y in YEARS for r in REGIONS for a in ACTIVITIES]
    else:
        every = [(r, a, y) for y in YEARS for r in REGIONS for a in ACTIVITIES]
        cells = draw(st.lists(st.sampled_from(every), min_size=1, max_size=40, unique=True))
        if draw(st.booleans()):
            cells.sort(key=lambda c: (c[2], c[0], c[1]))
    rows = [(r, a, y, draw(cell_values), draw(flags)) for r, a, y in cells]
    damage = draw(st.sampled_from(["none", "none", "twice", "instead", "negative"]))
    i = draw(st.integers(0, len(rows) - 1))
    if damage == "twice":
        rows.insert(draw(st.integers(0, len(rows))), (*rows[i][:3], 1.0, None))
    elif damage == "instead" and i > 0:
        # The cell before, given again in place of this one: as many rows as cells, in order.
        rows[i] = (*rows[i - 1][:3], 1.0, None)
    elif damage == "negative":
        rows[i] = (*rows[i][:3], -float(draw(st.integers(1, 5))), rows[i][4])
    return rows


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=long_rows(),
    value_type=st.sampled_from([pa.float32(), pa.float64(), pa.int64()]),
    year_type=st.sampled_from([pa.int32(), pa.int64(), pa.int16()]),
    with_flags=st.booleans(),
    group=st.integers(1, 80),
    batch=st.sampled_from([1, 2, 3, 7, 26, 1 << 17]),
)
def test_parquet_to_cube_agrees_with_the_frame_path_and_with_the_cells(
    tmp_path: Path,
    rows: list[tuple[str, str, int, float | None, str | None]],
    value_type: pa.DataType,
    year_type: pa.DataType,
    with_flags: bool,
    group: int,
    batch: int,
) -> None:
    # The reader goes through the file in batches; small ones put every boundary to the test.
    before = parquet._BATCH
    parquet._BATCH = batch
    try:
        _agrees(tmp_path, rows, value_type, year_type, with_flags, group)
    finally:
        parquet._BATCH = before


def _agrees(
    tmp_path: Path,
    rows: list[tuple[str, str, int, float | None, str | None]],
    value_type: pa.DataType,
    year_type: pa.DataType,
    with_flags: bool,
    group: int,
) -> None:
    table = {
        "region": pa.array([r[0] for r in rows], pa.string()),
        "activity": pa.array([r[1] for r in rows], pa.string()),
        "year": pa.array([r[2] for r in rows], year_type),
        "value": pa.array([r[3] for r in rows], pa.float64()).cast(value_type),
    }
    if with_flags:
        table["flag"] = pa.array([r[4] for r in rows], pa.string())
    path = tmp_path / "t.parquet"
    # Small row groups: each has its own dictionary, which the reader must merge.
    pq.write_table(pa.table(table), path, row_group_size=group)
    direct, framed = _both(path)
    # Both paths check the same things, in the same order, naming the same place.
    if isinstance(direct, str) or isinstance(framed, str):
        assert direct == framed
        cells = [(r, a, y) for r, a, y, _, _ in rows]
        negative = any(v is not None and v < 0 for *_, v, _ in rows)
        twice = len(set(cells)) < len(cells)
        all_gone = all(v is None for *_, v, _ in rows)
        assert negative or twice or all_gone, direct
        if negative:
            assert "negative employment" in str(direct)
        elif twice:
            assert "was already given" in str(direct)
        return
    _same(direct, framed)
    # And the cube holds each cell as the file gives it.
    assert not any(v is not None and v < 0 for *_, v, _ in rows)
    for r, a, y, v, f in rows:
        if y not in direct.years:
            assert y in direct.suppressed_years
            continue
        at = (direct.years.index(y), direct.regions.index(r), direct.activities.index(a))
        if v is None:
            assert direct.missing[at] and direct.data[at] == 0
            assert direct.flags[(y, r, a)] == ((f if with_flags else None) or ":")
        else:
            assert not direct.missing[at] and direct.data[at] == np.float32(v)
            assert direct.flags.get((y, r, a)) == (f if with_flags else None)
    given_cells = {(r, a, y) for r, a, y, _, _ in rows}
    assert int((~direct.missing).sum()) == sum(
        1 for r, a, y, v, _ in rows if v is not None and y in direct.years
    )
    assert len(given_cells) == len(rows)


def test_a_file_in_the_cubes_order_is_read_without_keeping_any_rows_codes(
    tmp_path: Path,
) -> None:
    """The large-file path: every cell once, in order, so row i is cell i and nothing but the
    values and flags is kept; one cell out of place, and every row's codes are kept."""
    cells = [(y, r, a) for y in YEARS for r in REGIONS for a in ACTIVITIES]
    cols = {
        "region": [c[1] for c in cells],
        "activity": [c[2] for c in cells],
        "year": [c[0] for c in cells],
        "value": [float(i) for i in range(len(cells))],
    }
    path = _parquet(tmp_path, **cols)
    got = parquet.read_columns(path)
    assert got is not None and got.in_order == YEARS and got.r_codes is None
    cube = read(path)
    assert cube.data.reshape(-1).tolist() == cols["value"]
    swapped = {k: [*v[:3], v[4], v[3], *v[5:]] for k, v in cols.items()}  # two rows swapped
    path = _parquet(tmp_path, **swapped)
    got = parquet.read_columns(path)
    assert got is not None and got.in_order is None and got.r_codes is not None
    assert np.array_equal(read(path).data, cube.data)


@pytest.mark.parametrize("batch", [1, 2, 3, 4, 1 << 17])
@pytest.mark.parametrize("at", [1, 5, 26, 74])
def test_a_cell_given_instead_of_the_next_is_found_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, at: int
) -> None:
    """As many rows as cells, sorted, but one cell twice and its neighbour never: wherever the
    batches of the reading fall, the second one is named."""
    monkeypatch.setattr(parquet, "_BATCH", batch)
    cells = [(y, r, a) for y in YEARS for r in REGIONS for a in ACTIVITIES]
    cells[at] = cells[at - 1]
    path = _parquet(
        tmp_path,
        region=[c[1] for c in cells],
        activity=[c[2] for c in cells],
        year=[c[0] for c in cells],
        value=[1.0] * len(cells),
    )
    y, r, a = cells[at]
    with pytest.raises(RegionsDataError, match=rf"row {at + 1}: the cell {r}/{a}/{y} was already"):
        read(path)


def _parquet(tmp_path: Path, **cols: list[object]) -> Path:
    path = tmp_path / "x.parquet"
    pl.DataFrame(cols, strict=False).write_parquet(path)
    return path


@pytest.mark.parametrize(
    ("cols", "message"),
    [
        (
            {
                "region": ["DK01", "DK02", "DK01"],
                "activity": ["J", "J", "J"],
                "year": [2018, 2018, 2018],
                "value": [1.0, 2.0, 3.0],
            },
            r"row 3: the cell DK01/J/2018 was already given \(row 1\)",
        ),
        (
            {
                "region": ["DK01", "DK02"],
                "activity": ["J", "J"],
                "year": [2018, 2018],
                "value": [1.0, -2.0],
            },
            r"row 2, column 'value': negative employment -2.0 for DK02/J/2018",
        ),
        (
            {
                "region": ["DK01", None],
                "activity": ["J", "J"],
                "year": [2018, 2018],
                "value": [1.0, 2.0],
            },
            r"row 2, column 'region': the cell is empty",
        ),
        (
            {
                "region": ["DK01", "DK02"],
                "activity": ["J", "J"],
                "year": [2018, None],
                "value": [1.0, 2.0],
            },
            r"row 2, column 'year': the cell is empty",
        ),
        (
            {
                "region": ["DK01", "Copenhagen"],
                "activity": ["J", "J"],
                "year": [2018, 2018],
                "value": [1.0, 2.0],
            },
            r"row 2, column 'region': 'Copenhagen' is not a NUTS code",
        ),
        (
            {
                "region": ["DK01", "DK02", "DK011"],
                "activity": ["J", "J", "J"],
                "year": [2018, 2018, 2018],
                "value": [1.0, 2.0, 3.0],
            },
            r"the file mixes NUTS levels",
        ),
        (
            {
                "region": ["DK01", "DK02"],
                "activity": ["J", "J"],
                "year": [2018, 2018],
                "value": [None, None],
            },
            r"every value is suppressed or missing \(2018\)",
        ),
    ],
)
def test_damaged_parquet_is_refused_by_both_paths_naming_the_row(
    tmp_path: Path, cols: dict[str, list[object]], message: str
) -> None:
    path = _parquet(tmp_path, **cols)
    for how in (lambda: read(path), lambda: from_long(read_table(path))):
        with pytest.raises(RegionsDataError, match=message):
            how()


def test_empty_and_broken_parquet_files_name_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.parquet"
    pl.DataFrame(
        {"region": [], "activity": [], "year": [], "value": []},
        schema={"region": pl.Utf8, "activity": pl.Utf8, "year": pl.Int32, "value": pl.Float64},
    ).write_parquet(empty)
    with pytest.raises(RegionsDataError, match="no data"):
        read(empty)
    broken = tmp_path / "broken.parquet"
    whole = _parquet(tmp_path, region=["DK01"], activity=["J"], year=[2018], value=[1.0])
    broken.write_bytes(whole.read_bytes()[:-20])
    with pytest.raises(RegionsDataError, match=r"broken.parquet: cannot be read"):
        read(broken)


def test_a_parquet_file_the_array_path_does_not_take_is_read_all_the_same(
    tmp_path: Path,
) -> None:
    """Text years, codes with spaces: the frame path reads them and names a bad cell."""
    spaced = _parquet(
        tmp_path, region=[" DK01", "DK02 "], activity=["J", "J"], year=[2018, 2018], value=[1, 2]
    )
    assert read(spaced).regions == ("DK01", "DK02")
    text_year = _parquet(
        tmp_path, region=["DK01", "DK02"], activity=["J", "J"], year=["2018", "x"], value=[1, 2]
    )
    with pytest.raises(RegionsDataError, match=r"row 2, column 'year': 'x'"):
        read(text_year)


def test_the_nodes_of_a_parquet_file_load_no_data_frame_library(tmp_path: Path) -> None:
    """The large-file path (issue 13): polars and pandas would cost as much as the reading."""
    path = _parquet(
        tmp_path,
        region=["DK01", "DK01", "DK02", "DK02"],
        activity=["A", "J", "A", "J"],
        year=[2018] * 4,
        value=[10.0, 90.0, 80.0, 20.0],
    )
    code = (
        "import sys\n"
        "from klynge.services import regions as svc\n"
        f"t = svc.nodes({str(path)!r}, reference='sum')\n"
        "print(t.total, 'polars' in sys.modules, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "False", "False"]


def test_arrows_default_memory_pool_is_restored_after_reading(tmp_path: Path) -> None:
    """The reader borrows the system allocator (one file or several threads at once) and gives
    the process its own pool back, after a file refused too."""
    from concurrent.futures import ThreadPoolExecutor

    before = pa.default_memory_pool().backend_name
    good = _parquet(tmp_path, region=["DK01"], activity=["J"], year=[2018], value=[1.0])
    with ThreadPoolExecutor(4) as pool:
        cubes = list(pool.map(lambda _: read(good), range(8)))
    assert all(c.data.tolist() == [[[1.0]]] for c in cubes)
    assert pa.default_memory_pool().backend_name == before
    bad = tmp_path / "bad.parquet"
    pl.DataFrame(  # refused while the file is being read: an empty region
        {"region": ["DK01", None], "activity": ["J", "J"], "year": [2018, 2018], "value": [1, 2]}
    ).write_parquet(bad)
    with pytest.raises(RegionsDataError, match="row 2, column 'region': the cell is empty"):
        read(bad)
    assert pa.default_memory_pool().backend_name == before


def test_large_arrays_come_zeroed_and_writable_from_their_own_map() -> None:
    from klynge.regions.cube import fresh

    for shape, dtype in (((3, 1000, 700), np.float32), (5_000_000, np.bool_), (10, np.int8)):
        a = fresh(shape, dtype)
        assert a.shape == (shape if isinstance(shape, tuple) else (shape,))
        assert a.dtype == dtype and a.flags.writeable and a.flags.c_contiguous
        assert not a.any()
        a.reshape(-1)[-1] = 1
        assert a.reshape(-1)[-1] == 1 and int(np.count_nonzero(a)) == 1
