"""What the readers accept and refuse: encodings, delimiters and XLSX sheets."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from klynge.i18n import Text
from klynge.registry.files import FileRefused, detect_encoding, open_table
from klynge.registry.tables import table_spec

ORGS = table_spec("organisations")


def rows(path: Path) -> tuple[list[dict[str, object]], list[Text]]:
    source, problems = open_table(path, ORGS)
    try:
        assert problems == []
        return [r for _, r in source.rows], source.notes
    finally:
        source.close()


def test_latin1_with_semicolons_is_read_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes("key;name;kind\nx1;Søren Ærø Å/S;other\n".encode("cp1252"))
    got, notes = rows(path)
    assert got == [{"key": "x1", "name": "Søren Ærø Å/S", "kind": "other"}]
    assert any("Windows-1252" in n.en and "ikke UTF-8" in n.da for n in notes)
    assert any("';'" in n.en for n in notes)


def test_utf8_with_bom_and_quoted_commas(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text('key,name,kind\nx1,"Hansen, Jensen & Co",other\n', encoding="utf-8-sig")
    got, notes = rows(path)
    assert got[0]["name"] == "Hansen, Jensen & Co"
    assert notes == []


def test_latin1_byte_at_the_very_end_is_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    body = "key,name,kind\n" + "x,y,other\n" * 200_000
    path.write_bytes(body.encode() + "z,Æble,other\n".encode("cp1252"))
    assert detect_encoding(path)[0] == "cp1252"


def test_utf16_is_read_and_named(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("key\tname\tkind\nx1\tSøren Ærø\tother\n", encoding="utf-16")
    got, notes = rows(path)
    assert got == [{"key": "x1", "name": "Søren Ærø", "kind": "other"}]
    assert any("UTF-16" in n.en for n in notes)


def test_tab_separated_is_read_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("key\tname\tkind\nx\ty\tother\n")
    got, notes = rows(path)
    assert got == [{"key": "x", "name": "y", "kind": "other"}]
    assert any("tab" in n.en for n in notes)


def test_a_stray_latin1_row_in_utf8_is_named_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    body = "key,name,kind\nx1,Søren Ærø,other\n".encode() + "x2,Århus,other\n".encode("cp1252")
    path.write_bytes(body)
    got, notes = rows(path)
    assert [r["name"] for r in got] == ["Søren Ærø", "Århus"]
    assert any("row 3" in n.en and "UTF-8" in n.en for n in notes)


def test_unknown_and_missing_columns_are_header_problems(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("key,navn,kind\n")
    source, problems = open_table(path, ORGS)
    source.close()
    reasons = {(p.row, p.column): p.reason for p in problems}
    assert "unknown column" in reasons[(1, "navn")]
    assert "missing" in reasons[(1, "name")]


def test_xlsx_with_the_wrong_sheet_names_the_sheets_it_found(tmp_path: Path) -> None:
    wb = Workbook()
    assert wb.active is not None
    wb.active.title = "Ark1"
    wb.create_sheet("Data")
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with pytest.raises(FileRefused) as info:
        open_table(path, ORGS)
    message = str(info.value)
    assert "'organisations'" in message and "'Ark1'" in message and "'Data'" in message


def test_xlsx_danish_sheet_name_is_accepted(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "organisationer"
    ws.append(["key", "name", "kind"])
    ws.append(["x", "Y", "other"])
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    assert rows(path)[0] == [{"key": "x", "name": "Y", "kind": "other"}]


def test_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orgs.json"
    path.write_text("[]")
    with pytest.raises(FileRefused, match=r"\.csv or \.xlsx"):
        open_table(path, ORGS)
