"""An infinite employment figure is refused, naming its row, by every reader.

Without the check an ``inf`` (a float Parquet column, or the text "inf" in a CSV file) went into
the cube as an ordinary value, with no warning, and every share computed from it was nonsense.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from klynge.regions.cube import from_long, read
from klynge.regions.errors import RegionsDataError
from klynge.regions.readers import read_table


@pytest.mark.parametrize("dtype", [pl.Float32, pl.Float64])
@pytest.mark.parametrize("row", [0, 2])
def test_an_infinite_value_in_parquet_is_refused_by_both_paths(
    tmp_path: Path, dtype: type[pl.DataType], row: int
) -> None:
    values = [1.0, 2.0, 3.0]
    values[row] = float("inf")
    path = tmp_path / "inf.parquet"
    pl.DataFrame(
        {
            "region": ["DK01", "DK02", "DK03"],
            "activity": ["J", "J", "J"],
            "year": [2018, 2018, 2018],
            "value": values,
        },
        schema={"region": pl.Utf8, "activity": pl.Utf8, "year": pl.Int32, "value": dtype},
    ).write_parquet(path)
    for how in (lambda: read(path), lambda: from_long(read_table(path))):
        with pytest.raises(RegionsDataError, match=rf"row {row + 1}, column 'value'.*infinite"):
            how()


def test_an_infinite_value_in_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inf.csv"
    path.write_text("region,activity,year,value\nDK01,J,2018,5\nDK02,J,2018,inf\n")
    with pytest.raises(RegionsDataError, match=r"row 3, column 'value'.*infinite"):
        from_long(read_table(path))
    with pytest.raises(RegionsDataError, match=r"infinite"):
        read(path)


def test_finite_values_and_gaps_still_pass(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("region,activity,year,value\nDK01,J,2018,5\nDK02,J,2018,\n")
    cube = read(path)
    assert cube.missing.sum() == 1 and float(cube.data.sum()) == 5.0
