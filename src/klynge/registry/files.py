"""Reading and writing table files for the registry: CSV and XLSX.

Reading goes through :mod:`klynge.tables`, the one reader every face shares (encodings,
delimiters, UTF-8 files with a few Latin-1 rows, XLSX through calamine); this module adds the
registry's view: which sheet holds a table, and whether the header has the table's columns.
Writers neutralise spreadsheet formulas. Anything a reader cannot interpret is refused with a
reason a person can act on.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from klynge.errors import InvalidInput, Location
from klynge.i18n import Text
from klynge.registry.tables import Problem, T, TableSpec, escape_cell, table_spec
from klynge.tables import EXTRA_CELLS, ROW_PROBLEM, Rows, TableError, detect_encoding, open_rows
from klynge.tables.xlsx import MAX_XLSX_CELLS

__all__ = [
    "EXTRA_CELLS",
    "MAX_XLSX_CELLS",
    "FileRefused",
    "RowSource",
    "TooManyRows",
    "detect_encoding",
    "open_table",
    "write_csv",
    "write_xlsx",
]


class FileRefused(InvalidInput):
    """The file as a whole cannot be read; ``problem`` says why."""

    code = "file-refused"

    def __init__(self, problem: Problem) -> None:
        super().__init__(
            problem.text,
            location=Location(file=problem.file, row=problem.row, column=problem.column),
        )
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem)

    @classmethod
    def from_table_error(cls, exc: TableError) -> FileRefused:
        loc = exc.location or Location()
        return cls(Problem(loc.file or "", loc.row, loc.column, exc.message))


class RowSource:
    """Rows of one table file: ``rows`` yields (spreadsheet row number, column -> raw value)."""

    def __init__(self, path: Path, table: Rows) -> None:
        self.path = path
        self.header = table.header
        self._table = table
        self.rows: Iterator[tuple[int, dict[str, Any]]] = self._refusing(table)

    @staticmethod
    def _refusing(table: Rows) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for row_no, row in table:
                if ROW_PROBLEM in row:  # binary data in a cell: refuse rather than store it
                    raise FileRefused(Problem(table.name, row_no, None, row[ROW_PROBLEM]))
                if EXTRA_CELLS in row:  # the importer reports the row; its cells do not matter
                    row = {EXTRA_CELLS: row[EXTRA_CELLS]}
                yield row_no, row
        except TableError as exc:  # damaged part-way: the importer refuses the whole file
            raise FileRefused.from_table_error(exc) from None

    @property
    def notes(self) -> list[Text]:
        return self._table.notes + [
            T(
                f"{w.location.describe('da')}: {w.text.da}",
                f"{w.location.describe('en')}: {w.text.en}",
            )
            for w in self._table.warnings
        ]

    def close(self) -> None:
        self._table.close()


def _file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
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


def open_table(path: Path, spec: TableSpec) -> tuple[RowSource, list[Problem]]:
    """Open a table file and check its header; the header problems come back beside it."""
    fmt = _file_format(path)
    try:
        table = open_rows(path, format=fmt, sheets=(spec.name, spec.sheet_da))  # type: ignore[arg-type]
    except TableError as exc:
        raise FileRefused.from_table_error(exc) from None
    source = RowSource(path, table)
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
