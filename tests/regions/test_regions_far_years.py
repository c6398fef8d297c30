"""A year far from the others must not make the reader allocate memory for every year between.

The cube's positions were found through a table indexed by year - lowest year, as long as the
span of years: one file row with the year 20,000,000 beside 2018 made a 100 MB table (and a year
near 2**31, uploaded to the API, some 10 GB). The cube itself only has the years present.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import polars as pl
import pytest

from klynge.regions.cube import Cube, from_long, read
from klynge.regions.readers import read_table

FAR = 20_000_000


@pytest.mark.parametrize("path_kind", ["arrays", "frame"])
def test_a_far_off_year_costs_no_memory_for_the_years_between(
    tmp_path: Path, path_kind: str
) -> None:
    frame = pl.DataFrame(
        {
            "region": ["DK02", "DK01", "DK01"],
            "activity": ["J", "J", "J"],
            "year": [2018, 2018, FAR],
            "value": [1.0, 2.0, 3.0],
        },
        schema={"region": pl.Utf8, "activity": pl.Utf8, "year": pl.Int32, "value": pl.Float64},
    )
    path = tmp_path / "far.parquet"  # a text year has four digits; a Parquet year any int32
    frame.write_parquet(path)

    def reading() -> Cube:
        return read(path) if path_kind == "arrays" else from_long(read_table(path))

    reading()  # imports and caches warmed up outside the measurement
    tracemalloc.start()
    try:
        cube = reading()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert list(cube.years) == [2018, FAR]
    assert list(cube.regions) == ["DK01", "DK02"]
    full = cube.values
    assert full[0, 0, 0] == 2.0 and full[0, 1, 0] == 1.0 and full[1, 0, 0] == 3.0
    assert cube.missing[1, 1, 0]
    assert peak < FAR  # bytes: far less than one byte per year between 2018 and FAR
