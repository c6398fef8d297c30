"""Batch routing: CSV, XLSX and Parquet in, CSV out, bad rows and bad files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from klynge.routing.batch import OUTPUT_COLUMNS, BatchFileError, read_rows, route_file

ON = date(2021, 6, 1)
ROWS = [
    ("a1", "Vi bygger og installerer havvindmøller.", ""),
    ("a2", "A hair salon in the city centre.", ""),
    ("a3", "", "62.01"),
    ("a4", "We run a hotel and conference centre by the beach.", ""),
    ("a5", "Vi laver høreapparater.", "26.60"),
    ("a6", "We make things.", "99.99"),
    ("a7", "x" * 20_000, ""),
]


def write_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "description", "nace"])
        w.writerows(rows)
    return path


def read_out(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == OUTPUT_COLUMNS
        return list(reader)


def check_output(out: list[dict[str, str]]) -> None:
    by_id = {r["id"]: r for r in out}
    assert [r["id"] for r in out] == [r[0] for r in ROWS]
    assert by_id["a1"]["cluster"] == "energy-cluster-denmark"
    assert by_id["a2"]["cluster"] == "none"
    assert by_id["a3"]["cluster"] == "digitallead"
    assert by_id["a4"]["cluster"] == "no-cluster:tourism"
    assert by_id["a5"]["cluster"] in {"danish-sound-cluster", "danish-life-science-cluster"}
    assert "99.99" in by_id["a6"]["error"] and by_id["a6"]["cluster"] == ""
    assert "10,000" in by_id["a7"]["error"]
    for r in out:
        if not r["error"]:
            assert 0 <= float(r["score"]) <= 1
            assert r["explanation"]
            assert r["cluster_2"] and r["cluster_2"] != r["cluster"]


def test_csv_in_csv_out(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS)
    seen: list[tuple[int, int | None]] = []
    summary = route_file(
        src, tmp_path / "out.csv", on=ON, progress=lambda d, t: seen.append((d, t)), chunk=3
    )
    check_output(read_out(tmp_path / "out.csv"))
    assert summary.rows == 7 and summary.errors == 2
    assert summary.routed == 3 and summary.none == 1 and summary.no_cluster_for_area == 1
    assert summary.per_cluster["energy-cluster-denmark"] == 1
    assert seen[-1] == (7, 7) and len(seen) == 3  # one call per chunk of three


def test_chunk_size_does_not_change_the_output(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS * 5)
    route_file(src, tmp_path / "a.csv", on=ON, chunk=1)
    route_file(src, tmp_path / "b.csv", on=ON, chunk=1000)
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_xlsx_in(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["ID", "Description", "NACE"])
    for r in ROWS:
        ws.append([r[0], r[1] or None, r[2] or None])
    wb.save(tmp_path / "in.xlsx")
    route_file(tmp_path / "in.xlsx", tmp_path / "out.csv", on=ON)
    check_output(read_out(tmp_path / "out.csv"))


def test_parquet_in(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": [r[0] for r in ROWS],
            "description": [r[1] or None for r in ROWS],
            "nace": [r[2] or None for r in ROWS],
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    route_file(tmp_path / "in.parquet", tmp_path / "out.csv", on=ON)
    check_output(read_out(tmp_path / "out.csv"))


def test_a_latin1_row_is_read_and_binary_data_fails_only_its_row(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        "id,description\n0,Vi udvikler software til sø og havne\n".encode()
        + b"1,Vi laver h\xf8jttalere\n2,We make loudspeakers\n3,\x00\x01\x02\n"
    )
    summary = route_file(src, tmp_path / "out.csv", on=ON)
    out = read_out(tmp_path / "out.csv")
    assert out[1]["cluster"] == "danish-sound-cluster" and not out[1]["error"]
    assert out[2]["cluster"] == "danish-sound-cluster" and not out[2]["error"]
    assert out[3]["error"] and "binary" in out[3]["error"]
    assert summary.errors == 1 and summary.first_errors == [5]
    assert [w.location.row for w in summary.warnings] == [3]  # the one Latin-1 row is named


def test_wrong_field_count_and_empty_id_are_row_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "id,description,nace\n1,Vi laver højttalere,26.40,extra\n,We make ships,\n2,Banking\n"
    )
    route_file(src, tmp_path / "out.csv", on=ON)
    out = read_out(tmp_path / "out.csv")
    assert "4 fields" in out[0]["error"]
    assert "id is empty" in out[1]["error"]
    assert not out[2]["error"]  # the optional trailing nace may be left off


def test_missing_column_stops_with_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,Vi laver højttalere\n")
    with pytest.raises(BatchFileError) as err:
        route_file(src, tmp_path / "out.csv", on=ON)
    assert "missing column description" in err.value.text("en")
    assert "in.csv" in err.value.text("en") and err.value.line == 1
    assert "mangler" in err.value.text("da")
    assert not (tmp_path / "out.csv").exists()


def test_malformed_csv_names_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,description\n1,"fine"\n2,"broken "quote" here\n')
    with pytest.raises(BatchFileError) as err:
        route_file(src, tmp_path / "out.csv", on=ON)
    assert "not valid CSV" in err.value.text("en")
    assert err.value.line == 3


@pytest.mark.parametrize("name", ["in.json", "missing.csv"])
def test_unreadable_inputs(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text("{}")
    with pytest.raises(BatchFileError):
        list(read_rows(path))


def test_output_must_be_csv(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS[:1])
    with pytest.raises(BatchFileError):
        route_file(src, tmp_path / "out.xlsx", on=ON)


def test_missing_column_in_xlsx_and_parquet(tmp_path: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "beskrivelse"])
    ws.append(["1", "Vi laver højttalere"])
    wb.save(tmp_path / "in.xlsx")
    pq.write_table(pa.table({"description": ["We make ships"]}), tmp_path / "in.parquet")
    for name, missing in (("in.xlsx", "description"), ("in.parquet", "id")):
        with pytest.raises(BatchFileError) as err:
            route_file(tmp_path / name, tmp_path / "out.csv", on=ON)
        assert f"missing column {missing}" in err.value.text("en")


def test_broken_xlsx_is_a_file_error(tmp_path: Path) -> None:
    (tmp_path / "in.xlsx").write_bytes(b"not a zip file at all")
    with pytest.raises(BatchFileError) as err:
        route_file(tmp_path / "in.xlsx", tmp_path / "out.csv", on=ON)
    assert "XLSX" in err.value.text("en")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("id,Description,description", "description"),
        ("ID,id,description", "id"),
        ("id,description,NACE,nace ", "nace"),
    ],
)
def test_a_column_named_twice_stops_with_a_clear_error(
    tmp_path: Path, header: str, column: str
) -> None:
    """Column names are read without case, so "Description" and "description" are one name:
    the run used the last one and said nothing (session 11); which one is meant is the
    person's call, so the file is refused, naming the column and where it stands."""
    src = tmp_path / "in.csv"
    width = header.count(",") + 1
    src.write_text(header + "\n" + ",".join(["1"] + ["Vi laver møbler"] * (width - 1)) + "\n")
    with pytest.raises(BatchFileError) as err:
        route_file(src, tmp_path / "out.csv", on=ON)
    assert f"column {column} appears twice" in err.value.text("en")
    assert f"kolonnen {column} står to gange" in err.value.text("da")
    assert err.value.line == 1 and "in.csv" in err.value.text("en")
    assert not (tmp_path / "out.csv").exists()


def test_a_file_with_only_a_header_says_so(tmp_path: Path) -> None:
    """A header without rows routed nothing: the summary says the file has no rows, instead of
    a bare "0 rows" a person may read as success."""
    src = tmp_path / "in.csv"
    src.write_text("id,description\n")
    summary = route_file(src, tmp_path / "out.csv", on=ON)
    assert summary.rows == 0
    said = [n.get("en") for n in summary.notes]
    assert any("no rows under its header" in n for n in said)
    assert any("ingen rækker under overskriften" in n.get("da") for n in summary.notes)


def test_codes_that_lost_their_leading_zero_in_a_spreadsheet(tmp_path: Path) -> None:
    """A spreadsheet stores a code typed 01.11 as the number 1.11 and DB07 011100 as 11100: a
    number in the nace column is read as the code it was (it was "not an industry code")."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    codes = [1.11, 11100, 3, 26.51, 620100]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "description", "nace"])
    for i, code in enumerate(codes, start=1):
        ws.append([i, "Vi dyrker korn og raps", code])
    wb.save(tmp_path / "in.xlsx")
    pq.write_table(
        pa.table(
            {
                "id": list(range(1, 6)),
                "description": ["Vi dyrker korn og raps"] * 5,
                "nace": [1.11, 11100.0, 3.0, 26.51, 620100.0],
            }
        ),
        tmp_path / "in.parquet",
    )
    for name in ("in.xlsx", "in.parquet"):
        route_file(tmp_path / name, tmp_path / "out.csv", on=ON)
        rows = read_out(tmp_path / "out.csv")
        assert [r["error"] for r in rows] == [""] * 5, rows
