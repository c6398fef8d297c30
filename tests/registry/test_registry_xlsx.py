"""The streaming XLSX reader reads what openpyxl reads."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from klynge.registry.xlsx import XlsxError, XlsxReader


def _openpyxl_rows(path: Path, sheet: str) -> list[list[Any]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def _trim(row: list[object]) -> list[object]:
    while row and row[-1] is None:
        row = row[:-1]
    return row


def test_reader_agrees_with_openpyxl_on_every_cell_kind(tmp_path: Path) -> None:
    wb = Workbook()  # the normal writer: shared strings and styled dates
    ws = wb.active
    assert ws is not None
    ws.title = "Forside"
    data = wb.create_sheet("deltagelser")
    data.append(["organisation", "antal", "andel", "dato", "tidspunkt", "ja", None, "tekst"])
    data.append(["Ærø Æbler", 12, 0.25, date(2023, 5, 1), datetime(2023, 5, 1, 13, 30), True])
    data.append([None, None, None, None, None, False, None, "kun sidste kolonne"])
    data.append(["=1+1", -4, 1e-9, date(1900, 3, 1), None, None, None, "  spaces  "])
    data["C6"] = "sparse"  # a row with a gap before it
    path = tmp_path / "book.xlsx"
    wb.save(path)
    with XlsxReader(path) as book:
        assert list(book.sheets) == ["Forside", "deltagelser"]
        ours = list(book.rows("deltagelser"))
    theirs = _openpyxl_rows(path, "deltagelser")
    assert [n for n, _ in ours] == [1, 2, 3, 4, 6]
    non_empty = [_trim(r) for r in theirs if any(v is not None for v in r)]
    assert [_trim(r) for _, r in ours] == non_empty


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    with pytest.raises(XlsxError, match="not a readable XLSX"):
        XlsxReader(path)
