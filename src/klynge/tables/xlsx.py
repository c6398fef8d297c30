"""XLSX through python-calamine (Rust), which decodes the sheet it reads up front.

calamine turns date-formatted numbers into dates itself, returns text, floats and booleans, and
``""`` for empty and error cells. Its rows start at spreadsheet row 1, padding empty rows above
the data, so the position in the iteration is the row number; leading empty columns are left out
in every row alike, which keeps the header and the cells under it aligned.

calamine holds the whole used rectangle (about 105 bytes a cell), so a sheet whose declared range
is over ``MAX_XLSX_CELLS`` is refused before it is loaded: one stray value far out would
otherwise cost gigabytes.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from klynge.i18n import Text
from klynge.tables.rows import Rows, TableError, cells_to_row, normalise_name

MAX_XLSX_CELLS = 10_000_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def declared_cells(book_file: Any, sheet_name: str) -> tuple[str, int] | None:
    """The used range a sheet declares before its data, and its cell count, if it declares one.

    Writers may leave it out; then nothing is known and the sheet is read.
    """
    try:
        with zipfile.ZipFile(book_file) as z:
            book = z.read("xl/workbook.xml")
            rels = z.read("xl/_rels/workbook.xml.rels")
            rid = None
            for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", book):
                tag = m.group(0)
                name = re.search(rb'name="([^"]*)"', tag)
                ref = re.search(rb'r:id="([^"]*)"', tag) or re.search(rb'\bid="([^"]*)"', tag)
                if name and ref and name.group(1).decode("utf-8") == sheet_name:
                    rid = ref.group(1)
            if rid is None:
                return None
            target = None
            for m in re.finditer(rb"<Relationship\b[^>]*>", rels):
                tag = m.group(0)
                if re.search(rb'Id="' + re.escape(rid) + rb'"', tag):
                    t = re.search(rb'Target="([^"]*)"', tag)
                    target = t.group(1).decode("utf-8") if t else None
            if target is None:
                return None
            member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            with z.open(posixpath.normpath(member)) as f:
                head = f.read(4096)
    except (KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    dim = _DIMENSION.search(head)
    if dim is None or dim.group(3) is None:
        return None
    c1, r1, c2, r2 = dim.group(1), int(dim.group(2)), dim.group(3), int(dim.group(4))
    cells = (abs(_column_number(c2) - _column_number(c1)) + 1) * (abs(r2 - r1) + 1)
    return f"{c1.decode()}{r1}:{c2.decode()}{r2}", cells


def unreadable(name: str, exc: Exception | str) -> TableError:
    return TableError(
        Text(da=f"ikke en læsbar XLSX-fil: {exc}", en=f"not a readable XLSX file: {exc}"),
        file=name,
        code="unreadable-xlsx",
    )


def _empty(v: Any) -> bool:
    return v == "" or v is None or (type(v) is str and not v.strip())


def read_xlsx(data: Any, name: str, sheets: Sequence[str], normalise: bool) -> Rows:
    """Rows of the first sheet named in ``sheets`` (any case), or of the first sheet if none.

    ``data`` is a path or bytes.
    """
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        if isinstance(source, io.BytesIO):
            book = CalamineWorkbook.from_filelike(source)
        else:
            book = CalamineWorkbook.from_path(source)
        with book:
            found = list(book.sheet_names)
            if not found:
                raise unreadable(name, "no sheets")
            if sheets:
                by_lower = {n.lower(): n for n in found}
                sheet_name = next(
                    (by_lower[s.lower()] for s in sheets if s.lower() in by_lower), None
                )
                if sheet_name is None:
                    listed = ", ".join(repr(n) for n in found)
                    wanted_da = " eller ".join(repr(s) for s in sheets)
                    wanted_en = " or ".join(repr(s) for s in sheets)
                    raise TableError(
                        Text(
                            da=f"intet ark med navnet {wanted_da}; projektmappen har {listed}",
                            en=f"no sheet named {wanted_en}; the workbook has {listed}",
                        ),
                        file=name,
                        code="no-such-sheet",
                    )
            else:
                sheet_name = found[0]
            if isinstance(source, io.BytesIO):
                source.seek(0)
            declared = declared_cells(source, sheet_name)
            if declared is not None and declared[1] > MAX_XLSX_CELLS:
                span, cells = declared
                raise TableError(
                    Text(
                        da=f"arket {sheet_name!r} spænder over {span} ({cells:_} celler, over "
                        f"grænsen på {MAX_XLSX_CELLS:_}); slet tomme rækker og kolonner med "
                        "indhold langt ude, eller gem arket som CSV".replace("_", "."),
                        en=f"sheet {sheet_name!r} spans {span} ({cells:,} cells, over the limit "
                        f"of {MAX_XLSX_CELLS:,}); delete stray cells far out, or save the "
                        "sheet as CSV",
                    ),
                    file=name,
                    code="sheet-too-large",
                )
            sheet = book.get_sheet_by_name(sheet_name)
    except CalamineError as exc:
        raise unreadable(name, exc) from exc
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise unreadable(name, exc) from exc
    if sheet.start is None:
        raise TableError(
            Text(da=f"arket {sheet_name!r} er tomt", en=f"sheet {sheet_name!r} is empty"),
            file=name,
            row=1,
            code="empty-table",
        )
    numbered = enumerate(sheet.iter_rows(), start=1)
    first: tuple[int, list[Any]] | None = None
    for first in numbered:  # the header is the first row with something in it
        if any(v != "" for v in first[1]):
            break
    assert first is not None  # the sheet has a start cell, so some row has a value
    header = [normalise_name(c) if normalise else str(c) for c in first[1]]
    while header and not header[-1]:  # every row is as wide as the sheet: cut to the header
        header.pop()

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, values in numbered:
            row = cells_to_row(header, values, _empty)
            if row is not None:
                yield i, row

    return Rows(name=name, format="xlsx", header=header, _rows=rows())
