"""Readers: Eurostat TSV and SDMX-CSV, long and wide CSV, Parquet, DataFrames, and bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klynge.regions.cube import Cube, from_long
from klynge.regions.errors import RegionsDataError
from klynge.regions.readers import (
    detect_format,
    from_dataframe,
    parse_cell,
    read_eurostat_tsv,
    read_sdmx_csv,
    read_table,
)

TSV = (
    "unit,nace_r2,geo\\time\t2019 \t2018 \n"
    "THS,C21,DK01\t12.5 p\t11 \n"
    "THS,C21,DK02\t: c\t3 \n"
    "THS,J,DK01\t60 \t:\n"
)


def test_eurostat_tsv_keeps_flags_and_missing(tmp_path: Path) -> None:
    f = tmp_path / "x.tsv"
    f.write_text(TSV, encoding="utf-8")
    df = read_eurostat_tsv(f)
    rows = {(r["region"], r["activity"], r["year"]): r for r in df.iter_rows(named=True)}
    assert rows[("DK01", "C21", 2019)]["value"] == 12.5
    assert rows[("DK01", "C21", 2019)]["flag"] == "p"
    assert rows[("DK02", "C21", 2019)]["value"] is None
    assert rows[("DK02", "C21", 2019)]["flag"] == "c"
    assert rows[("DK01", "J", 2018)]["value"] is None
    assert rows[("DK01", "J", 2018)]["flag"] == ":"
    cube = from_long(df)
    # Suppressed cells are missing, never zero.
    i, r, a = cube.year_index(2019), cube.region_index("DK02"), cube.activities.index("C21")
    assert cube.missing[i, r, a]
    assert np.isnan(cube.values[i, r, a])


def test_gzipped_tsv_is_read(tmp_path: Path) -> None:
    f = tmp_path / "x.tsv.gz"
    f.write_bytes(gzip.compress(TSV.encode()))
    assert detect_format(f) == "tsv"
    assert read_table(f).height == 6


def test_tsv_with_several_units_needs_a_filter(tmp_path: Path) -> None:
    f = tmp_path / "x.tsv"
    f.write_text(TSV + "PC,J,DK01\t1 \t2 \n", encoding="utf-8")
    with pytest.raises(RegionsDataError) as err:
        read_eurostat_tsv(f)
    assert "unit" in str(err.value) and "several values" in str(err.value)
    assert "flere værdier" in err.value.text.da
    df = read_eurostat_tsv(f, filters={"unit": "PC"})
    assert df.height == 2 and set(df["value"].to_list()) == {1.0, 2.0}


def test_bad_cell_names_file_row_and_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.tsv"
    f.write_text(TSV.replace("11 ", "eleven"), encoding="utf-8")
    with pytest.raises(RegionsDataError) as err:
        read_eurostat_tsv(f)
    msg = str(err.value)
    assert str(f) in msg and "row 2" in msg and "'2018'" in msg and "'eleven'" in msg
    assert "række 2" in err.value.text.da


def test_parse_cell_forms() -> None:
    assert parse_cell("1.5e3 e", "f", 1, "c") == (1500.0, "e")
    assert parse_cell(" : ", "f", 1, "c") == (None, ":")
    assert parse_cell("", "f", 1, "c") == (None, None)
    with pytest.raises(RegionsDataError):
        parse_cell("1,5", "f", 1, "c")


def test_sdmx_csv(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text(
        "DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:X(1.0),01/01/24,A,THS,J,DK01,2018,60,\n"
        "ESTAT:X(1.0),01/01/24,A,THS,J,DK02,2018,,c\n"
        "ESTAT:X(1.0),01/01/24,A,THS,J,DK03,2018,4.5,p\n",
        encoding="utf-8",
    )
    assert detect_format(f) == "sdmx"
    df = read_table(f)
    got = {r["region"]: (r["value"], r["flag"]) for r in df.iter_rows(named=True)}
    assert got == {"DK01": (60.0, None), "DK02": (None, "c"), "DK03": (4.5, "p")}


def test_sdmx_missing_column(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nX,DK01,2018,1\n", encoding="utf-8")
    with pytest.raises(RegionsDataError) as err:
        read_sdmx_csv(f)
    assert "nace_r2" in str(err.value) and str(f) in str(err.value)


def test_wide_reference_file_is_melted(shared_data: Path) -> None:
    df = read_table(shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv")
    assert set(df["region"].unique()) == {"DK0", "DK01", "DK02", "DK03", "DK04", "DK05"}
    assert df["year"].min() == 2000 and df["year"].max() == 2018
    assert df.filter(
        (pl.col("region") == "DK01") & (pl.col("activity") == "J") & (pl.col("year") == 2018)
    )["value"].item() == pytest.approx(65000)


def test_long_csv_errors_name_row_and_column(tmp_path: Path) -> None:
    f = tmp_path / "long.csv"
    f.write_text("region,activity,year,value\nDK01,J,2018,5\nDK02,J,20x8,3\n", encoding="utf-8")
    with pytest.raises(RegionsDataError) as err:
        read_table(f)
    assert "row 3" in str(err.value) and "'year'" in str(err.value)
    f.write_text("region,activity,year,value\nDK01,J,2018,5\nDK01,J,2018,6\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match=r"row 3: .*DK01/J/2018 was already given \(row 2\)"):
        read_table(f)
    # A period is not a year: cutting '2018Q1' to 2018 would merge quarters without a word.
    f.write_text("region,activity,year,value\nDK01,J,2018,5\nDK02,J,2018Q1,6\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match=r"row 3, column 'year': '2018Q1'"):
        read_table(f)
    f.write_text("region,activity,year,value\nDK01,J,2018,-5\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match="negative"):
        read_table(f)
    f.write_text("region,activity,year,value\nDK01,J,2018,5\n,J,2018,3\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match=r"row 3, column 'region': the cell is empty"):
        read_table(f)
    f.write_text("place,activity,year,value\nDK01,J,2018,5\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match="'region'"):
        read_table(f)
    with pytest.raises(RegionsDataError, match="does not exist"):
        read_table(tmp_path / "nope.csv")


def test_errors_in_wide_and_eurostat_files_name_the_line_and_column_seen(tmp_path: Path) -> None:
    """Positions in the long table mean nothing to a person; the file's own line and column do."""
    wide = tmp_path / "wide.csv"
    wide.write_text("year,geo,A,J\n2018,DK01,5,6\n2018,DK02,7,x\n", encoding="utf-8")
    with pytest.raises(RegionsDataError, match=r"row 3, column 'J': 'x'"):
        read_table(wide)
    wide.write_text("year,geo,A,J\n2018,DK01,5,6\n2018,DK02,7,8\n2018,DK03,-1,9\n")
    with pytest.raises(RegionsDataError, match=r"row 4, column 'A': negative"):
        read_table(wide)
    tsv = tmp_path / "x.tsv"
    tsv.write_text(
        "unit,nace_r2,geo\\time\t2019 \t2018 \nTHS,J,DK01\t1 \t2 \nTHS,J,DK02\t3 \t-4 \n"
    )
    with pytest.raises(RegionsDataError, match=r"row 3, column '2018': negative"):
        read_table(tsv)
    tsv.write_text(
        "unit,nace_r2,geo\\time\t2019 \nTHS,J,DK01\t1 \nTHS,J,DK02\t3 \nTHS,J,DK01\t5 \n"
    )
    with pytest.raises(RegionsDataError, match=r"row 4, column '2019': .*already given \(row 2\)"):
        read_table(tsv)
    pq = tmp_path / "x.parquet"
    pl.DataFrame(
        {
            "region": ["DK01", "DK02"],
            "activity": ["J", "J"],
            "year": [2018, 2018],
            "value": ["1", "y"],
        }
    ).write_parquet(pq)
    with pytest.raises(RegionsDataError, match=r"row 2, column 'value': 'y'"):
        read_table(pq)


def test_long_csv_value_with_eurostat_flag(tmp_path: Path) -> None:
    f = tmp_path / "long.csv"
    f.write_text("geo,nace_r2,time,value\nDK01,J,2018,5 p\nDK02,J,2018,: c\n", encoding="utf-8")
    df = read_table(f)
    assert df.sort("region")["flag"].to_list() == ["p", "c"]
    assert df.sort("region")["value"].to_list() == [5.0, None]


def test_pandas_and_polars_frames_agree() -> None:
    data = {"region": ["DK01", "DK02"], "activity": ["J", "J"], "year": [2018, 2018]}
    data["value"] = [1.0, None]  # type: ignore[list-item]
    a = from_long(from_dataframe(pd.DataFrame(data)))
    b = from_long(from_dataframe(pl.DataFrame(data)))
    assert np.array_equal(a.data, b.data) and np.array_equal(a.missing, b.missing)
    assert a.missing[0, 1, 0]


# -- round trips: every format gives the same cube ------------------------------------------
def _write_tsv(cube: Cube, path: Path) -> None:
    lines = ["unit,nace_r2,geo\\time\t" + "\t".join(f"{y} " for y in cube.years)]
    for r, reg in enumerate(cube.regions):
        for a, act in enumerate(cube.activities):
            cells = []
            for i in range(len(cube.years)):
                if cube.missing[i, r, a]:
                    cells.append(": c")
                else:
                    cells.append(f"{cube.data[i, r, a]:g}")
            lines.append(f"THS,{act},{reg}\t" + "\t".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_sdmx(cube: Cube, path: Path) -> None:
    lines = ["DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"]
    for i, y in enumerate(cube.years):
        for r, reg in enumerate(cube.regions):
            for a, act in enumerate(cube.activities):
                if cube.missing[i, r, a]:
                    lines.append(f"ESTAT:X,d,A,THS,{act},{reg},{y},,c")
                else:
                    lines.append(f"ESTAT:X,d,A,THS,{act},{reg},{y},{cube.data[i, r, a]:g},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@st.composite
def cubes(draw: st.DrawFn) -> Cube:
    n_r = draw(st.integers(1, 4))
    n_a = draw(st.integers(1, 4))
    n_y = draw(st.integers(1, 3))
    shape = (n_y, n_r, n_a)
    vals = draw(st.lists(st.integers(0, 10**6), min_size=n_r * n_a * n_y, max_size=n_r * n_a * n_y))
    miss = draw(st.lists(st.booleans(), min_size=n_r * n_a * n_y, max_size=n_r * n_a * n_y))
    data = np.asarray(vals, dtype=np.float64).reshape(shape)
    missing = np.asarray(miss).reshape(shape)
    data[missing] = 0
    return Cube(
        tuple(range(2001, 2001 + n_y)),
        tuple(f"DK0{i + 1}" for i in range(n_r)),
        tuple(f"C{10 + i}" for i in range(n_a)),
        data,
        missing,
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cube=cubes())
def test_formats_round_trip_to_the_same_cube(cube: Cube, tmp_path: Path) -> None:
    if cube.missing.all():
        return  # nothing to write in a long file; the cube would be empty
    long = cube.to_long()
    _write_tsv(cube, tmp_path / "c.tsv")
    _write_sdmx(cube, tmp_path / "c.csv")
    long.write_csv(tmp_path / "l.csv")
    long.write_parquet(tmp_path / "l.parquet")
    # A year in which every cell is suppressed is left out (with a warning), never shown as zeros.
    keep = [i for i in range(len(cube.years)) if not cube.missing[i].all()]
    for name in ("c.tsv", "c.csv", "l.csv", "l.parquet"):
        got = from_long(read_table(tmp_path / name))
        # A region or activity missing everywhere still appears in every format written here.
        assert got.regions == cube.regions, name
        assert got.activities == cube.activities, name
        assert got.years == tuple(cube.years[i] for i in keep), name
        assert np.array_equal(got.missing, cube.missing[keep]), name
        assert np.array_equal(got.data, cube.data[keep]), name
        assert (len(keep) < len(cube.years)) == any(
            w.code == "year-all-suppressed" for w in got.warnings
        ), name


def test_a_table_read_in_cube_order_gives_the_same_cube_twice(tmp_path: Path) -> None:
    """The fast path (rows already in cube order) hands the reader's values to the cube; a
    second cube from the same table must still see the suppressed cells."""
    rows = [
        (r, a, y, None if (r, a, y) == ("DK02", "J", 2019) else float(i))
        for i, (y, r, a) in enumerate(
            (y, r, a) for y in (2018, 2019) for r in ("DK01", "DK02") for a in ("A", "J")
        )
    ]
    f = tmp_path / "ordered.parquet"
    pl.DataFrame(rows, schema=["region", "activity", "year", "value"], orient="row").with_columns(
        pl.col("value").cast(pl.Float32), pl.col("year").cast(pl.Int32)
    ).write_parquet(f)
    df = read_table(f)
    first, second = from_long(df), from_long(df)
    assert first.data.dtype == np.float32  # the file's own precision
    for cube in (first, second):
        assert cube.missing.sum() == 1 and cube.missing[1, 1, 1]
        assert cube.data[1, 0].tolist() == [4.0, 5.0]
    assert df["flag"].to_list().count(":") == 1
