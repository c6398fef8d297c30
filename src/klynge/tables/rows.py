"""What every table reader returns: a header, numbered rows, notes and warnings; and its errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from klynge.errors import InvalidInput, Location
from klynge.i18n import Text

Format = Literal["csv", "xlsx", "parquet"]

EXTRA_CELLS = "\0extra"
"""Key a reader puts in a row that has more non-empty cells than the header has columns.

Its value is the number of cells the row reaches (the last filled column)."""

ROW_PROBLEM = "\0problem"
"""Key a reader puts in a row it read but whose values cannot be trusted (binary data in a CSV
cell); its value is a :class:`~klynge.i18n.Text` saying why. The row's cells are kept beside it,
so a consumer can report the row by its id and go on."""

MAX_LISTED = 20
"""Rows named one by one in a summary note; the rest are counted."""


class TableError(InvalidInput):
    """A table file that cannot be read (as a whole, or from a row on); says where and why."""

    code = "unreadable-table"

    def __init__(
        self,
        message: Text,
        *,
        file: str | None,
        row: int | None = None,
        column: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code, location=Location(file=file, row=row, column=column))


@dataclass(frozen=True)
class TableWarning:
    """Something in one row a person should check, though the row was read."""

    text: Text
    location: Location

    def describe(self, lang: str | None) -> str:
        return f"{self.location.describe(lang)}: {self.text.get(lang)}"


def normalise_name(name: object) -> str:
    """A header cell as a column name: trimmed, lower case, without a stray byte-order mark."""
    return str(name).strip().lstrip("\ufeff").strip().lower()


@dataclass(eq=False)
class Rows:
    """The rows of one table, read lazily.

    Iterate to get ``(row_number, {column: value})`` where ``row_number`` is the row a
    spreadsheet shows (the header is row 1); empty rows are left out. CSV values are ``str``;
    XLSX values are ``str``, ``float``, ``bool``, ``datetime``/``date``; Parquet values are what
    Arrow holds. ``notes`` (about the whole file) and ``warnings`` (about single rows) are
    complete once the rows have been read to the end or the table is closed.
    """

    name: str
    format: Format
    header: list[str]
    _rows: Iterator[tuple[int, dict[str, Any]]]
    delimiter: str | None = None
    path: Path | None = None
    _encoding: Callable[[], str | None] = field(default=lambda: None)
    _notes: Callable[[], list[Text]] = field(default=list)
    _warnings: Callable[[], list[TableWarning]] = field(default=list)
    _close: Callable[[], None] | None = None

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return self._rows

    def __next__(self) -> tuple[int, dict[str, Any]]:
        return next(self._rows)

    @property
    def encoding(self) -> str | None:
        """The text encoding of a CSV file (``utf-8``, ``utf-16``, ``cp1252``, ``latin-1``)."""
        return self._encoding()

    @property
    def notes(self) -> list[Text]:
        return self._notes()

    @property
    def warnings(self) -> list[TableWarning]:
        return self._warnings()

    def close(self) -> None:
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def __enter__(self) -> Rows:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def cells_to_row(
    header: list[str], values: list[Any], empty: Callable[[Any], bool]
) -> dict[str, Any] | None:
    """One row as a dict by header name; None for an empty row.

    A row with non-empty cells beyond the header keeps its cells and gets ``EXTRA_CELLS``.
    """
    if all(empty(v) for v in values):
        return None
    row = {h: v for h, v in zip(header, values, strict=False) if h}
    width = len(header)
    if len(values) > width and not all(empty(v) for v in values[width:]):
        row[EXTRA_CELLS] = max(i for i, v in enumerate(values, start=1) if not empty(v))
    return row
