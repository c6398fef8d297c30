"""XLSX through calamine: cell kinds, dates kept as numbers, row numbers and damaged files."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
from registry_helpers import Db, make_cvr

from klynge.landscape import get_landscape
from klynge.registry.files import EXTRA_CELLS, FileRefused, open_table
from klynge.registry.tables import Checks, parse_row, table_spec
from klynge.storage.transfer import ImportFailed, import_table

ORGS = table_spec("organisations")
CHECKS = Checks.from_landscape(get_landscape())


def _read(path: Path) -> list[tuple[int, dict[str, Any]]]:
    source, problems = open_table(path, ORGS)
    try:
        assert problems == []
        return list(source.rows)
    finally:
        source.close()


def _typed(raw: dict[str, Any]) -> dict[str, Any]:
    values, errors, _ = parse_row(ORGS, raw, CHECKS)
    assert errors == [] and values is not None, errors
    return values


def _sheet(wb: Workbook, title: str = "organisations") -> Any:
    ws = wb.active
    assert ws is not None
    ws.title = title
    return ws


def test_every_cell_kind_reaches_the_row_parser(tmp_path: Path) -> None:
    wb = Workbook()  # the normal writer: shared strings and styled dates
    ws = _sheet(wb)
    ws["A3"] = "key"  # two empty rows above the header
    for col, name in zip("BCDEFG", ["name", "kind", "employees", "employees_on", "synthetic",
                                    "country"], strict=True):  # fmt: skip
        ws[f"{col}3"] = name
    ws.append(["k1", "  Ærø Æbler  ", "other", 12, date(2023, 5, 1), True, None])
    ws.append(["k2", "'=SUM(A1)", "other", 4.0, datetime(2023, 5, 1, 13, 30), False, "se"])
    ws.append([])  # row 6 stays empty
    ws.append(["k3", "Tredje", "other", None, None, None, None])
    ws["G9"] = "x"  # a row with one cell, in the last column
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    got = _read(path)
    assert [n for n, _ in got] == [4, 5, 7, 9]
    first, second, third = (_typed(raw) for _, raw in got[:3])
    assert first["name"] == "Ærø Æbler" and first["employees"] == 12
    assert first["employees_on"] == date(2023, 5, 1) and first["synthetic"] is True
    assert first["country"] == "DK"
    assert second["name"] == "=SUM(A1)"  # the export's formula escape, undone
    assert second["employees"] == 4 and second["employees_on"] == date(2023, 5, 1)
    assert second["synthetic"] is False and second["country"] == "SE"
    assert third["employees"] is None and third["employees_on"] is None
    assert got[3][1]["country"] == "x" and got[3][1]["key"] == ""


@pytest.mark.parametrize("epoch", [CALENDAR_WINDOWS_1900, CALENDAR_MAC_1904])
@pytest.mark.parametrize(
    "number_format", ["yyyy-mm-dd", "dd.mm.yyyy", "[$-406]d. mmmm yyyy;@", "mm-dd-yy"]
)
def test_dates_stored_as_numbers_mean_what_excel_shows(
    tmp_path: Path, epoch: datetime, number_format: str
) -> None:
    wb = Workbook()
    wb.epoch = epoch
    ws = _sheet(wb)
    ws.append(["key", "name", "kind", "employees", "employees_on"])
    ws.append(["k1", "A", "other", 44000, 44000])  # a plain number stays a number
    ws["E2"].number_format = number_format
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:  # the serial number really is what the file holds
        assert "<v>44000</v>" in z.read("xl/worksheets/sheet1.xml").decode()
    expected = load_workbook(path)["organisations"]["E2"].value
    assert isinstance(expected, datetime)  # openpyxl applies the same epoch and format rules
    [(_, raw)] = _read(path)
    assert raw["employees_on"] == expected.date()
    assert _typed(raw)["employees"] == 44000


def test_header_may_start_in_a_later_column(tmp_path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb)
    ws.append([None, None, "key", "name", "kind"])
    ws.append([None, None, "k1", "B", "other"])
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    [(row, raw)] = _read(path)
    assert row == 2 and raw == {"key": "k1", "name": "B", "kind": "other"}


def test_a_cell_right_of_the_header_is_flagged(tmp_path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb)
    ws.append(["key", "name", "kind"])
    ws.append(["k1", "B", "other"])
    ws.append(["k2", "C", "other", None, "stray"])
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    got = _read(path)
    assert got[0] == (2, {"key": "k1", "name": "B", "kind": "other"})
    assert got[1] == (3, {EXTRA_CELLS: 5})


def test_an_error_cell_reads_as_empty(tmp_path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb)
    ws.append(["key", "name", "kind"])
    ws.append(["k1", "#N/A", "other"])  # openpyxl stores Excel's error codes as error cells
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    [(_, raw)] = _read(path)
    _, errors, _ = parse_row(ORGS, raw, CHECKS)
    assert [(e.column, e.text.en) for e in errors] == [("name", "is required but empty")]


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    with pytest.raises(FileRefused, match="not a readable XLSX file"):
        open_table(path, ORGS)


def test_damaged_sheet_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb)
    ws.append(["key", "name", "kind"])
    ws.append(["k1", "B", "other"])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    bad = tmp_path / "orgs.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    with pytest.raises(FileRefused, match="not a readable XLSX file") as info:
        open_table(bad, ORGS)
    assert info.value.problem.file == str(bad)


def test_empty_sheet_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    _sheet(wb, "organisationer")
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with pytest.raises(FileRefused, match="sheet 'organisationer' is empty"):
        open_table(path, ORGS)


def test_import_problems_name_the_spreadsheet_row(sqlite_db: Db, tmp_path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb)
    ws["A3"] = "cvr"  # two empty rows above the header
    ws["B3"], ws["C3"], ws["D3"] = "name", "kind", "employees"
    ws.append([make_cvr(1), "Godt ApS", "company", 10])
    ws.append([make_cvr(2), "Negativ ApS", "company", -3])
    ws.append([])
    ws.append(["12345678", "Forkert ApS", "company", 1])
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with pytest.raises(ImportFailed) as info:
        import_table(sqlite_db.engine, "organisations", path)
    found = [(p.file, p.row, p.column) for p in info.value.problems]
    assert found == [(str(path), 5, "employees"), (str(path), 7, "cvr")]


def test_a_stray_cell_far_out_is_refused_before_loading(tmp_path: Path) -> None:
    # openpyxl declares the used range (A1:XFD1000) at the top of the sheet; calamine would
    # allocate all 16 million cells of it, so the import refuses and says why.
    wb = Workbook()
    ws = _sheet(wb)
    ws.append(["key", "name", "kind"])
    ws.append(["k1", "B", "other"])
    ws.cell(row=1000, column=16384, value="stray")
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with pytest.raises(FileRefused) as info:
        _read(path)
    reason = info.value.problem.text.en
    assert "A1:XFD1000" in reason and "16,384,000 cells" in reason
    assert "(16.384.000 celler, over grænsen på 10.000.000)" in info.value.problem.text.da


def test_a_declared_range_within_the_limit_is_read(tmp_path: Path) -> None:
    wb = Workbook()
    ws = _sheet(wb)
    ws.append(["key", "name", "kind"])
    ws.append(["k1", "B", "other"])
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert b'<dimension ref="A1:C2"' in z.read("xl/worksheets/sheet1.xml")
    assert _read(path) == [(2, {"key": "k1", "name": "B", "kind": "other"})]
