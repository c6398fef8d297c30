"""The one table reader: encodings, delimiters, formats, sources, and clear errors."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from klynge.errors import InvalidInput
from klynge.tables import EXTRA_CELLS, ROW_PROBLEM, TableError, detect_encoding, open_rows


def read(source: Any, **kw: Any) -> tuple[list[tuple[int, dict[str, Any]]], Any]:
    with open_rows(source, **kw) as rows:
        got = list(rows)
        return got, rows


def test_utf8_with_bom_and_quoted_delimiters() -> None:
    data = 'id,description\n1,"Hansen, Jensen & Co"\n'.encode("utf-8-sig")
    got, rows = read(data, name="x.csv")
    assert rows.header == ["id", "description"]
    assert got == [(2, {"id": "1", "description": "Hansen, Jensen & Co"})]
    assert rows.notes == [] and rows.warnings == [] and rows.encoding == "utf-8"


def test_danish_excel_semicolons_in_cp1252() -> None:
    data = "id;beskrivelse\n1;Vindmøller på Ærø\n".encode("cp1252")
    got, rows = read(data, name="x.csv")
    assert got == [(2, {"id": "1", "beskrivelse": "Vindmøller på Ærø"})]
    assert rows.encoding == "cp1252" and rows.delimiter == ";"
    assert any("Windows-1252" in n.en and "ikke UTF-8" in n.da for n in rows.notes)
    assert rows.warnings == []  # a whole cp1252 file is one note, not a warning per row


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom_is_read_and_named(encoding: str) -> None:
    text = "id\tdescription\n1\tSøren Ærø\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # with a byte-order mark, as Excel writes it
    got, rows = read(data, name="x.txt")
    assert got == [(2, {"id": "1", "description": "Søren Ærø"})]
    assert rows.encoding == "utf-16" and rows.delimiter == "\t"
    assert any("UTF-16" in n.en and "UTF-16" in n.da for n in rows.notes)


def test_stray_latin1_byte_is_named_and_only_its_row_is_decoded_differently() -> None:
    data = (
        "id,description\n1,Blåbær og æbler\n".encode()
        + "2,Smørrebrød\n".encode("cp1252")
        + "3,Øl fra Ærø\n".encode()
    )
    got, rows = read(data, name="mixed.csv")
    assert [r["description"] for _, r in got] == ["Blåbær og æbler", "Smørrebrød", "Øl fra Ærø"]
    assert rows.encoding == "utf-8"
    assert [(w.location.file, w.location.row) for w in rows.warnings] == [("mixed.csv", 3)]
    assert any("(3)" in n.en and "UTF-8" in n.en for n in rows.notes)


def test_stray_byte_inside_a_multiline_cell_names_the_spreadsheet_row() -> None:
    data = b'id,description\n1,"two\nlines"\n' + "2,Århus\n".encode("cp1252") + "3,Ærø\n".encode()
    got, rows = read(data, name="m.csv")
    assert got[1] == (3, {"id": "2", "description": "Århus"})
    assert [w.location.row for w in rows.warnings] == [3]


def test_latin1_byte_at_the_very_end_of_a_long_ascii_file() -> None:
    body = b"id,description\n" + b"1,plain\n" * 300_000 + "2,Æble\n".encode("cp1252")
    assert detect_encoding(body)[0] == "cp1252"
    with open_rows(body, name="x.csv") as rows:
        got = list(rows)
    assert got[-1][1]["description"] == "Æble"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    got, rows = read(b"id,description\n1,a\x81b\n", name="x.csv")
    assert got[0][1]["description"] == "a\x81b"
    assert rows.encoding == "latin-1"


def test_a_row_with_more_cells_than_the_header_is_marked() -> None:
    got, _ = read(b"id,description\n1,a,extra\n2,b,\n", name="x.csv")
    assert got == [
        (2, {"id": "1", "description": "a", EXTRA_CELLS: 3}),
        (3, {"id": "2", "description": "b"}),
    ]


def test_empty_lines_are_skipped_but_counted() -> None:
    got, _ = read(b"id,description\n\n1,a\n", name="x.csv")
    assert got == [(3, {"id": "1", "description": "a"})]


def test_empty_file_is_a_clear_error() -> None:
    with pytest.raises(TableError, match="empty") as info:
        open_rows(b"", name="empty.csv")
    assert isinstance(info.value, InvalidInput)
    assert info.value.location is not None and info.value.location.file == "empty.csv"


def test_unclosed_quote_names_the_row() -> None:
    rows = open_rows(b'id,description\n1,ok\n2,"never closed\n', name="t.csv")
    with rows, pytest.raises(TableError, match="truncated") as info:
        list(rows)
    assert info.value.location is not None and info.value.location.row == 3


def test_binary_cells_mark_their_row_and_a_binary_header_refuses_the_file() -> None:
    got, _ = read(b"id,description\n1,\x00\x01\x02\n2,ok\n", name="g.csv")
    assert "binary" in got[0][1][ROW_PROBLEM].en
    assert got[1] == (3, {"id": "2", "description": "ok"})
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(TableError, match="not text"):
        open_rows(picture, name="picture.csv")
    with pytest.raises(TableError, match=r"\.xls format"):
        open_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), name="old.csv")


def test_truncated_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "description"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(TableError, match="not a readable XLSX file"):
        open_rows(buf.getvalue()[:300], name="cut.xlsx")


def test_xlsx_from_path_and_bytes_with_sheet_choice(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Ark1"
    other = wb.create_sheet("Virksomheder")
    other.append(["ID", "Description"])
    other.append([7, "Vindmøller"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    got, rows = read(path, sheets=("virksomheder",))
    assert rows.header == ["id", "description"] and rows.format == "xlsx"
    assert got == [(2, {"id": 7, "description": "Vindmøller"})]
    got_bytes, _ = read(path.read_bytes(), name="upload.csv", sheets=("virksomheder",))
    assert got_bytes == got  # the content, not the name, says it is XLSX
    with pytest.raises(TableError, match="'Ark1'"):
        open_rows(path, sheets=("nope",))


def test_parquet_from_path_and_bytes(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"id": ["1", "2"], "description": ["Æble", None]}), path)
    got, rows = read(path)
    assert rows.format == "parquet"
    assert got == [(2, {"id": "1", "description": "Æble"}), (3, {"id": "2", "description": None})]
    assert read(path.read_bytes(), name="-")[0] == got


def test_garbage_parquet_is_a_clear_error() -> None:
    with pytest.raises(TableError, match="Parquet"):
        open_rows(b"PAR1 this is not really parquet", name="x.parquet")


def test_stdin_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO("id;description\n1;Ærø\n".encode("cp1252")))
    monkeypatch.setattr(sys, "stdin", fake)
    got, rows = read("-")
    assert rows.name == "stdin" and got == [(2, {"id": "1", "description": "Ærø"})]


def test_missing_file_folder_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no such file"):
        open_rows(tmp_path / "nope.csv")
    with pytest.raises(TableError, match="folder"):
        open_rows(tmp_path)
    (tmp_path / "x.json").write_text("[]")
    with pytest.raises(TableError, match="unknown file type"):
        open_rows(tmp_path / "x.json")


def test_path_rows_close_their_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,description\n1,a\n")
    rows = open_rows(path)
    rows.close()
    rows.close()  # twice is fine


# -- round trip -------------------------------------------------------------------------------
# Text a CSV may hold in each encoding: cp1252 cannot hold everything UTF-8 can.
_LEGACY = "".join(chr(c) for c in range(0x20, 0x7F)) + "æøåÆØÅéüß€–’ \t\"';,\n"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_cell_legacy = st.text(alphabet=_LEGACY, max_size=12)
_cell_any = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
        max_size=12,
    )
    | _cell_legacy
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    n_rows=st.integers(min_value=0, max_value=6),
)
def test_round_trip(data: st.DataObject, encoding: str, delimiter: str, n_rows: int) -> None:
    cell = _cell_legacy if encoding == "cp1252" else _cell_any
    header = ["id", "description", "nace"]
    body = [[str(i), data.draw(cell), data.draw(cell)] for i in range(n_rows)]
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(body)
    raw = out.getvalue().encode(encoding)
    if encoding == "cp1252":
        # The documented rule: bytes that are valid UTF-8 are read as UTF-8. A cp1252 line such
        # as "Å–" (C5 96) is also valid UTF-8 ("Ŗ"), so no reader can tell it apart.
        lines = raw.split(b"\n")
        assume(all(_is_utf8(x) == x.isascii() for x in lines))
    got, rows = read(raw, name="r.csv")
    assert rows.delimiter == delimiter
    expected = [
        {h: v for h, v in zip(header, r, strict=True)} for r in body if any(v.strip() for v in r)
    ]
    assert [r for _, r in got] == expected


def test_gzip_is_read_through_and_raw_headers_on_request(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "eurostat.tsv.gz"
    path.write_bytes(gzip.compress(b"unit,geo\\TIME_PERIOD\t2019 \t2020 \nTHS,DK01\t1.5 \t2.0 \n"))
    got, rows = read(path, normalise=False)
    assert rows.header == ["unit,geo\\TIME_PERIOD", "2019 ", "2020 "] and rows.delimiter == "\t"
    assert got == [(2, {"unit,geo\\TIME_PERIOD": "THS,DK01", "2019 ": "1.5 ", "2020 ": "2.0 "})]
    with pytest.raises(TableError, match="damaged or truncated"):
        open_rows(path.read_bytes()[:30], name="cut.tsv.gz")
    big = gzip.compress(
        b"id,description\n" + b"".join(b"%d,row %d\n" % (i, i) for i in range(99999))
    )
    cut = open_rows(big[: len(big) // 2], name="big.csv.gz")
    with cut, pytest.raises(TableError, match="damaged or truncated") as info:
        list(cut)
    assert info.value.location is not None and (info.value.location.row or 0) > 2
