"""Reading and writing table files: CSV (UTF-8 or Windows-1252, comma or semicolon) and XLSX.

The CSV reader streams rows, so a file of any size is read in flat memory; XLSX goes through
python-calamine, which holds the one sheet it reads in memory (compactly, in Rust: see
docs/registry.md for the bound). Writers neutralise spreadsheet formulas. Anything a reader cannot
interpret is refused with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import csv
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from python_calamine import CalamineError, CalamineWorkbook

from klynge.i18n import Text
from klynge.registry.tables import Problem, T, TableSpec, escape_cell, table_spec

EXTRA_CELLS = "\0extra"
"""Key a reader puts in a row that has more non-empty cells than the header has columns."""


class FileRefused(Exception):
    """The file as a whole cannot be read; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class RowSource:
    """Rows of one table file: ``rows`` yields (spreadsheet row number, column -> raw value)."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]]
    notes: list[Text] = field(default_factory=list)
    _close: Any = None

    def close(self) -> None:
        if self._close is not None:
            self._close()


def _file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise FileRefused(
        Problem(
            str(path),
            None,
            None,
            T(
                f"ukendt filtype {suffix!r}: brug .csv eller .xlsx",
                f"unknown file type {suffix!r}: use .csv or .xlsx",
            ),
        )
    )


def detect_encoding(path: Path) -> tuple[str, Text | None]:
    """The text encoding of a CSV file, and a note when it is not UTF-8.

    The whole file is checked in blocks with an incremental decoder, so that a stray Latin-1
    byte on the last line is found without reading the file into memory.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRefused(
                Problem(
                    str(path),
                    None,
                    None,
                    T(
                        "filen er UTF-16 (Excels 'Unicode-tekst'): gem den som 'CSV UTF-8' "
                        "i stedet",
                        "the file is UTF-16 (Excel's 'Unicode text'): save it as 'CSV UTF-8' "
                        "instead",
                    ),
                )
            )
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := fh.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8-sig", None
        fh.seek(0)
        fallback = codecs.getincrementaldecoder("cp1252")()
        try:
            while block := fh.read(1 << 20):
                fallback.decode(block)
        except UnicodeDecodeError:
            return "latin-1", T(
                "filen er ikke UTF-8; den blev læst som Latin-1 (ISO-8859-1)",
                "the file is not UTF-8; it was read as Latin-1 (ISO-8859-1)",
            )
        return "cp1252", T(
            "filen er ikke UTF-8; den blev læst som Windows-1252 (Latin-1)",
            "the file is not UTF-8; it was read as Windows-1252 (Latin-1)",
        )


def _normalise(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def _check_header(path: Path, header: list[str], spec: TableSpec) -> list[Problem]:
    problems = []
    columns = ", ".join(spec.columns)
    seen: set[str] = set()
    for col in header:
        if not col:
            continue
        if col in seen:
            problems.append(
                Problem(
                    str(path),
                    1,
                    col,
                    T(
                        "kolonnen står to gange i overskriften",
                        "the column appears twice in the header",
                    ),
                )
            )
        seen.add(col)
        if col not in spec.columns:
            problems.append(
                Problem(
                    str(path),
                    1,
                    col,
                    T(
                        f"ukendt kolonne i {spec.sheet_da}: kolonnerne er {columns}",
                        f"unknown column for {spec.name}: the columns are {columns}",
                    ),
                )
            )
    for col in spec.required:
        if col not in seen:
            problems.append(
                Problem(
                    str(path),
                    1,
                    col,
                    T("en påkrævet kolonne mangler", "required column is missing"),
                )
            )
    return problems


def _open_csv(path: Path, spec: TableSpec) -> RowSource:
    encoding, note = detect_encoding(path)
    fh: IO[str] = path.open(encoding=encoding, newline="")
    first = fh.readline()
    if not first.strip():
        fh.close()
        raise FileRefused(
            Problem(
                str(path),
                1,
                None,
                T("filen er tom: ingen overskriftsrække", "the file is empty: no header row"),
            )
        )
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        fh.close()
        raise FileRefused(
            Problem(
                str(path),
                1,
                None,
                T(
                    "kan ikke se, hvordan kolonnerne er adskilt: overskriften skal bruge ',' "
                    "eller ';'",
                    "cannot tell how columns are separated: the header must use ',' or ';'",
                ),
            )
        ) from None
    header = [_normalise(c) for c in next(csv.reader([first], delimiter=delimiter))]
    notes = [note] if note else []
    if delimiter == ";":
        notes.append(T("kolonnerne er adskilt med ';'", "columns are separated by ';'"))
    reader = csv.reader(fh, delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        """Rows with their line number; a row the csv module cannot split refuses the file."""
        row_no = 1
        while True:
            row_no += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRefused(_csv_broken(path, row_no, exc)) from None
            yield row_no, values

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, values in records():
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                yield i, {EXTRA_CELLS: len(values)}
                continue
            yield i, {h: v for h, v in zip(header, values, strict=False) if h}

    return RowSource(path, header, rows(), notes, fh.close)


def _csv_broken(path: Path, row_no: int, exc: csv.Error) -> Problem:
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit()
        text = T(
            f"en celle er længere end {limit:,} tegn; ofte er et anførselstegn ikke lukket".replace(
                ",", "."
            ),
            f"a cell is longer than {limit:,} characters; often a quote is not closed",
        )
    else:
        text = T(f"rækken kan ikke læses som CSV: {exc}", f"the row is not valid CSV: {exc}")
    return Problem(str(path), row_no, None, text)


def _unreadable(path: Path, exc: Exception) -> FileRefused:
    return FileRefused(
        Problem(
            str(path),
            None,
            None,
            T(f"ikke en læsbar XLSX-fil: {exc}", f"not a readable XLSX file: {exc}"),
        )
    )


MAX_XLSX_CELLS = 10_000_000
"""calamine holds the whole used rectangle (about 105 bytes a cell): refuse more than ~1 GB."""

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _declared_cells(path: Path, sheet_name: str) -> tuple[str, int] | None:
    """The used range a sheet declares before its data, and its cell count, if it declares one.

    One stray value far to the right or below makes calamine allocate the whole rectangle, so the
    declaration is checked before the sheet is loaded. Writers may leave it out; then nothing is
    known and the sheet is read.
    """
    try:
        with zipfile.ZipFile(path) as z:
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


def _open_xlsx(path: Path, spec: TableSpec) -> RowSource:
    """Read the table's sheet with calamine (Rust), which decodes the whole sheet up front.

    calamine turns date-formatted numbers into dates itself (either epoch, built-in and custom
    formats), returns text, floats and booleans, and ``""`` for empty and error cells. Its rows
    iterator starts at spreadsheet row 1, padding any empty rows above the data, so the position in
    the iteration is the row number; leading empty columns are left out in every row alike, which
    keeps the header and the cells under it aligned.
    """
    try:
        with CalamineWorkbook.from_path(path) as book:
            sheets = list(book.sheet_names)
            names = {n.lower(): n for n in sheets}
            sheet_name = names.get(spec.name) or names.get(spec.sheet_da)
            if sheet_name is None:
                found = ", ".join(repr(n) for n in sheets)
                raise FileRefused(
                    Problem(
                        str(path),
                        None,
                        None,
                        T(
                            f"intet ark med navnet {spec.sheet_da!r} (eller {spec.name!r}); "
                            f"projektmappen har {found}",
                            f"no sheet named {spec.name!r} (or {spec.sheet_da!r}); "
                            f"the workbook has {found}",
                        ),
                    )
                )
            declared = _declared_cells(path, sheet_name)
            if declared is not None and declared[1] > MAX_XLSX_CELLS:
                span, cells = declared
                raise FileRefused(
                    Problem(
                        str(path),
                        None,
                        None,
                        T(
                            f"arket {sheet_name!r} spænder over {span} ({cells:_} celler, over "
                            f"grænsen på {MAX_XLSX_CELLS:_}); slet tomme rækker og kolonner med "
                            "indhold langt ude, eller gem arket som CSV".replace("_", "."),
                            f"sheet {sheet_name!r} spans {span} ({cells:,} cells, over the limit "
                            f"of {MAX_XLSX_CELLS:,}); delete stray cells far out, or save the "
                            "sheet as CSV",
                        ),
                    )
                )
            sheet = book.get_sheet_by_name(sheet_name)
    except CalamineError as exc:
        raise _unreadable(path, exc) from exc
    if sheet.start is None:
        raise FileRefused(
            Problem(
                str(path),
                1,
                None,
                T(f"arket {sheet_name!r} er tomt", f"sheet {sheet_name!r} is empty"),
            )
        )
    numbered = enumerate(sheet.iter_rows(), start=1)
    first: tuple[int, list[Any]] | None = None
    for first in numbered:  # the header is the first row with something in it
        if any(v != "" for v in first[1]):
            break
    assert first is not None  # the sheet has a start cell, so some row has a value
    header = [_normalise(str(c)) for c in first[1]]
    while header and not header[-1]:  # every row is as wide as the sheet: cut to the header
        header.pop()
    width = len(header)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, values in numbered:
            if all(v == "" or (type(v) is str and not v.strip()) for v in values):
                continue
            if any(v != "" and str(v).strip() for v in values[width:]):
                filled = [n for n, v in enumerate(values, start=1) if v != ""]
                yield i, {EXTRA_CELLS: filled[-1]}
                continue
            yield i, {h: v for h, v in zip(header, values, strict=False) if h}

    return RowSource(path, header, rows(), [])


def open_table(path: Path, spec: TableSpec) -> tuple[RowSource, list[Problem]]:
    """Open a table file and check its header; the header problems come back beside it."""
    fmt = _file_format(path)
    if path.is_dir():
        raise FileRefused(
            Problem(str(path), None, None, T("er en mappe, ikke en fil", "is a folder, not a file"))
        )
    if not path.is_file():
        raise FileRefused(Problem(str(path), None, None, T("filen findes ikke", "no such file")))
    try:
        source = _open_csv(path, spec) if fmt == "csv" else _open_xlsx(path, spec)
    except OSError as exc:  # unreadable (permissions, a vanished mount): say so, not a traceback
        reason = exc.strerror or str(exc)
        raise FileRefused(
            Problem(
                str(path),
                None,
                None,
                T(f"filen kan ikke læses: {reason}", f"the file cannot be read: {reason}"),
            )
        ) from None
    return source, _check_header(path, source.header, spec)


# -- writing ----------------------------------------------------------------------------------
def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_cell(value)
    return str(value)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write UTF-8 with a byte-order mark, which Excel needs to read æ, ø and å correctly."""
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for row in rows:
            w.writerow([_csv_cell(v) for v in row])
            n += 1
    return n


XLSX_MAX_ROWS = 1_048_576
"""Excel's row limit, header included; a longer sheet is cut off or refused when opened."""


class TooManyRows(ValueError):
    """The table does not fit in one sheet; ``text`` says so and what to do."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def write_xlsx(
    path: Path, sheet: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write one sheet; refuse (writing nothing) a table longer than Excel can open."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(columns))
    n = 0
    for row in rows:
        n += 1
        if n >= XLSX_MAX_ROWS:
            limit = f"{XLSX_MAX_ROWS - 1:,}"
            da_limit = limit.replace(",", ".")
            ws.close()  # finish openpyxl's row writer now, or it complains when collected
            raise TooManyRows(
                T(
                    f"{table_spec(sheet).sheet_da} har over {da_limit} rækker, mere end et "
                    "Excel-ark kan rumme: eksportér som CSV",
                    f"{sheet} has more than {limit} rows, more than an Excel sheet holds: "
                    "export as CSV",
                )
            )
        ws.append([escape_cell(v) if isinstance(v, str) else v for v in row])
    wb.save(path)
    return n
