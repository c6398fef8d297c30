"""Damaged input never gives a silent wrong answer: an error naming where, or a warning."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np
import pytest

from klynge.regions import lq, nace
from klynge.regions.cube import Cube, from_long
from klynge.regions.errors import RegionsDataError
from klynge.regions.readers import read_table, reader_warnings
from klynge.regions.warnings import ABSENT, CONFIDENTIAL, SUPPRESSED, cell_text

WIDE = (
    "year,geo,A,J,K\n"
    "2018,DK0,100,50,40\n"
    "2018,DK01,10,30,20\n"
    "2018,DK02,40,10,10\n"
    "2018,DK03,50,10,10\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def _codes(warnings: list) -> set[str]:  # type: ignore[type-arg]
    return {w.code for w in warnings}


# -- rows that are short, long or cut off -----------------------------------------------------
def test_short_last_row_of_a_wide_file_is_an_error_naming_the_row(tmp_path: Path) -> None:
    """Read as missing values, the short row made a false node (DK04 A) before."""
    f = _write(tmp_path, "wide.csv", WIDE + "2018,DK04,90\n")
    with pytest.raises(RegionsDataError) as err:
        read_table(f)
    msg = str(err.value)
    assert str(f) in msg and "row 6" in msg and "'J'" in msg
    assert "2 fields" not in msg and "3 fields, but the header has 5" in msg
    assert "række 6" in err.value.text.da


def test_an_empty_cell_is_still_a_missing_value_not_an_error(tmp_path: Path) -> None:
    f = _write(tmp_path, "wide.csv", WIDE + "2018,DK04,90,,5\n")
    cube = from_long(read_table(f))
    assert cube.missing[0, cube.region_index("DK04"), cube.activities.index("J")]


def test_a_row_with_too_many_fields_names_its_row(tmp_path: Path) -> None:
    f = _write(tmp_path, "wide.csv", WIDE.replace("2018,DK02,40,10,10", "2018,DK02,40,10,10,7"))
    with pytest.raises(
        RegionsDataError, match=r"row 4: the row has 6 fields, but the header has 5"
    ):
        read_table(f)


def test_a_file_cut_mid_row_is_refused(tmp_path: Path) -> None:
    long = "region,activity,year,value\nDK01,J,2018,5\nDK02,J,2018,7\nDK03,J,20"
    with pytest.raises(RegionsDataError, match=r"row 4.*cut off"):
        read_table(_write(tmp_path, "long.csv", long))
    tsv = "unit,nace_r2,geo\\time\t2019 \t2018 \nTHS,J,DK01\t1 \t2 \nTHS,J,DK02\t3"
    with pytest.raises(RegionsDataError, match=r"row 3.*cut off"):
        read_table(_write(tmp_path, "x.tsv", tsv))
    sdmx = (
        "DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "X,d,A,THS,J,DK01,2018,60,\nX,d,A,THS,J,DK02,20"
    )
    with pytest.raises(RegionsDataError, match=r"row 3.*cut off"):
        read_table(_write(tmp_path, "sdmx.csv", sdmx))


def test_a_file_cut_inside_its_last_value_is_warned_about(tmp_path: Path) -> None:
    """Cut inside the last number, the row looks whole; only the missing line break tells."""
    f = _write(tmp_path, "long.csv", "region,activity,year,value\nDK01,J,2018,5\nDK02,J,2018,7")
    cube = from_long(read_table(f))
    (w,) = [w for w in cube.warnings if w.code == "no-final-line-break"]
    assert w.location is not None and w.location.file == str(f) and w.location.row == 3
    assert "cut" in w.text.en and "afkortet" in w.text.da
    whole = _write(tmp_path, "whole.csv", "region,activity,year,value\nDK01,J,2018,5\n")
    assert reader_warnings(read_table(whole)) == []


# -- files that are not what they seem ----------------------------------------------------------
def test_a_truncated_gzip_names_the_file(tmp_path: Path) -> None:
    body = gzip.compress(("region,activity,year,value\n" + "DK01,J,2018,5\n" * 2000).encode())
    f = tmp_path / "x.csv.gz"
    f.write_bytes(body[: len(body) // 2])
    with pytest.raises(RegionsDataError) as err:
        read_table(f)
    assert str(f) in str(err.value) and "cut off" in str(err.value)
    assert "afkortet" in err.value.text.da


def test_an_excel_workbook_is_a_clear_error_or_read(tmp_path: Path) -> None:
    f = tmp_path / "employment.csv"  # named .csv, but an XLSX inside
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(RegionsDataError) as err:
        read_table(f)
    assert str(f) in str(err.value)
    assert "Excel" in str(err.value) and "Excel" in err.value.text.da
    assert "UnicodeDecodeError" not in str(err.value)


def test_an_excel_workbook_is_read_like_a_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["year", "geo", "A", "J"], [2018, "DK01", 10, 30], [2018, "DK02", 40, 10.5]):
        ws.append(row)
    f = tmp_path / "employment.xlsx"
    wb.save(f)
    cube = from_long(read_table(f))
    assert cube.years == (2018,) and cube.regions == ("DK01", "DK02")
    assert cube.data[0, 1].tolist() == [40.0, 10.5]


def test_a_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "latin1.csv"
    f.write_bytes("year,geo,A,Sjælland\n2018,DK01,5,7\n".encode("cp1252"))
    cube = from_long(read_table(f))
    assert "Sjælland" in cube.activities
    (w,) = [w for w in cube.warnings if w.code == "encoding"]
    assert "Windows-1252" in w.text.en and w.location is not None
    assert w.location.file == str(f)


def test_a_stray_byte_in_a_utf8_file_names_the_row(tmp_path: Path) -> None:
    """Guessing one row's encoding could garble a code; the row is named instead."""
    f = tmp_path / "mixed.csv"
    f.write_bytes("year,geo,A,Sjælland\n2018,DK01,5,7\n".encode() + b"2018,DK02,6,8 \xe6\n")
    with pytest.raises(RegionsDataError, match=r"row 3: the row is not UTF-8 \(byte 0xe6\)"):
        read_table(f)


def test_utf16_with_its_mark_is_read(tmp_path: Path) -> None:
    f = tmp_path / "u16.csv"
    f.write_bytes("region,activity,year,value\nDK01,J,2018,5\n".encode("utf-16"))
    assert from_long(read_table(f)).regions == ("DK01",)


# -- region codes -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("XX99", "'XX99' is not a NUTS code: 'XX' is not a NUTS country code"),
        ("Copenhagen", "'Copenhagen' is not a NUTS code (two capital letters"),
        ("dk03", "'dk03' is in lower case; NUTS codes are written 'DK03'"),
    ],
)
def test_codes_that_are_not_nuts_are_refused_precisely(
    tmp_path: Path, code: str, says: str
) -> None:
    f = _write(
        tmp_path, "long.csv", f"region,activity,year,value\nDK01,J,2018,5\n{code},J,2018,7\n"
    )
    with pytest.raises(RegionsDataError) as err:
        read_table(f)
    msg = str(err.value)
    assert says in msg and "row 3" in msg and "'region'" in msg
    assert "several countries" not in msg
    assert code in err.value.text.da


def test_extra_regio_is_left_out_of_the_regions_with_a_warning(tmp_path: Path) -> None:
    f = _write(
        tmp_path, "wide.csv", WIDE.replace("DK0,100,50,40", "DK0,101,51,41") + "2018,DKZZ,1,1,1\n"
    )
    cube = from_long(read_table(f))
    regions, ref = lq.choose(cube, "country")
    assert "DKZZ" not in regions.regions and regions.regions == ("DK01", "DK02", "DK03")
    assert ref.label == "DK0"
    (w,) = [w for w in regions.warnings if w.code == "extra-regio"]
    assert "DKZZ" in w.text.en and "Extra-Regio" in w.text.da
    # Summed from the rows, the country's total counts Extra-Regio: it belongs to the country.
    _, summed = lq.choose(cube, "sum")
    assert summed.activity_totals[0].tolist() == [101.0, 51.0, 41.0]
    res = lq.compute(regions, summed)
    assert "extra-regio" in _codes(res.warnings)


def test_mixed_nuts_levels_are_refused_naming_both(tmp_path: Path) -> None:
    """DK01 beside its part DK011 was silently dropped as an aggregate before."""
    f = _write(
        tmp_path,
        "long.csv",
        "region,activity,year,value\nDK01,J,2018,5\nDK02,J,2018,7\nDK011,J,2018,3\n",
    )
    with pytest.raises(RegionsDataError) as err:
        read_table(f)
    msg = str(err.value)
    assert "mixes NUTS levels" in msg and "NUTS 2: DK02" in msg and "NUTS 3: DK011" in msg
    assert "DK01 would be read as a sum" in msg and "row 4" in msg
    assert "blander NUTS-niveauer" in err.value.text.da


def test_a_full_hierarchy_is_read_at_its_finest_level(tmp_path: Path) -> None:
    """Country, NUTS 1 and NUTS 2 rows together: the coarser rows are sums, not a mix."""
    f = _write(
        tmp_path,
        "long.csv",
        "region,activity,year,value\nDK,J,2018,12\nDK0,J,2018,12\nDK01,J,2018,5\nDK02,J,2018,7\n",
    )
    regions, ref = lq.choose(from_long(read_table(f)), "country")
    assert regions.regions == ("DK01", "DK02") and ref.label == "DK"


# -- suppressed cells ---------------------------------------------------------------------------
def test_a_suppressed_reference_cell_leaves_the_activity_out_of_every_total(
    tmp_path: Path,
) -> None:
    """Before, J left the reference total but not the region totals: every LQ shrank."""
    damaged = _write(tmp_path, "d.csv", WIDE.replace("2018,DK0,100,50,40", "2018,DK0,100,:,40"))
    without_j = _write(
        tmp_path,
        "w.csv",
        "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != 3)
            for line in WIDE.strip().split("\n")
        )
        + "\n",
    )
    got = lq.compute(*lq.choose(from_long(read_table(damaged)), "country"))
    want = lq.compute(*lq.choose(from_long(read_table(without_j)), "country"))
    a, k = got.cube.activities.index("A"), got.cube.activities.index("K")
    assert np.allclose(got.lq[:, :, [a, k]], want.lq, rtol=1e-12)
    assert np.isnan(got.lq[:, :, got.cube.activities.index("J")]).all()
    (w,) = [w for w in got.warnings if w.code == "reference-cell-suppressed"]
    assert "J" in w.text.en and "2018" in w.text.en and "left out" in w.text.en
    assert "udeladt" in w.text.da


def test_a_year_in_which_every_value_is_suppressed_never_shows_zero_nodes(tmp_path: Path) -> None:
    tsv = (
        "unit,nace_r2,geo\\time\t2019 \t2018 \n"
        "THS,A,DK01\t: \t10 \nTHS,J,DK01\t: c\t30 \n"
        "THS,A,DK02\t: \t40 \nTHS,J,DK02\t: \t10 \n"
    )
    cube = from_long(read_table(_write(tmp_path, "x.tsv", tsv)))
    assert cube.years == (2018,) and cube.suppressed_years == (2019,)
    (w,) = [w for w in cube.warnings if w.code == "year-all-suppressed"]
    assert "2019" in w.text.en
    with pytest.raises(RegionsDataError, match="every value in 2019 is suppressed"):
        cube.year_index(2019)
    res = lq.compute(*lq.choose(cube, "sum"))
    assert "year-all-suppressed" in _codes(res.warnings)
    all_gone = "unit,nace_r2,geo\\time\t2019 \nTHS,A,DK01\t: \nTHS,J,DK02\t: c\n"
    with pytest.raises(RegionsDataError, match="every value is suppressed"):
        from_long(read_table(_write(tmp_path, "y.tsv", all_gone)))


def test_a_region_with_every_cell_suppressed_has_unknown_nodes_not_zero() -> None:
    data = np.array([[[10.0, 30.0], [0.0, 0.0], [40.0, 10.0]]])
    missing = np.array([[[False, False], [True, True], [False, False]]])
    cube = Cube((2018,), ("DK01", "DK02", "DK03"), ("A", "J"), data, missing)
    res = lq.compute(cube, lq.sum_reference(cube))
    # DK01 J: (30/40) / (40/90) = 1.69, a node; DK03 A: (40/50) / (50/90) = 1.44, none: a known 0.
    assert res.node_counts(2018) == [1, None, 0]
    rows = res.node_rows(2018, lambda a: nace.label(a, "en"))
    assert [r[1] for r in rows] == ["1", SUPPRESSED, "0"]


def test_cell_markers_tell_missing_from_small() -> None:
    assert cell_text(0.004, None) == "0.00"
    assert cell_text(12.5, "p") == "12.50 p"
    assert cell_text(None, ":") == SUPPRESSED == "(:)"
    assert cell_text(float("nan"), "c") == CONFIDENTIAL
    assert cell_text(None, ": c") == CONFIDENTIAL
    assert cell_text(None, None) == ABSENT
