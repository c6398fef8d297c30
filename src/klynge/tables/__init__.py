"""One reader for tables: CSV, XLSX and Parquet, from a path, ``-`` (standard input) or bytes.

Used by ``route --input``, the registry's ``import``, the regions readers and API uploads::

    with open_rows(path) as rows:
        for row_number, values in rows:
            ...
        rows.notes      # about the whole file (encoding, delimiter), in Danish and English
        rows.warnings   # about single rows (a row that is not valid UTF-8)

CSV is streamed in flat memory; its encoding (UTF-8 with or without a byte-order mark, UTF-16,
Windows-1252/Latin-1, or UTF-8 with a few Latin-1 rows) and delimiter (``,``, ``;``, tab) are
found by the reader, see :mod:`klynge.tables.text`. XLSX is read with python-calamine and Parquet
with pyarrow. Whatever cannot be read raises :class:`TableError` (an ``InvalidInput``) naming
the file, and the row where there is one.

This package is domain level: it knows no storage, no service and no face.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path
from typing import IO, Any

from klynge.i18n import Text
from klynge.tables.rows import (
    EXTRA_CELLS,
    ROW_PROBLEM,
    Format,
    Rows,
    TableError,
    TableWarning,
    normalise_name,
)

__all__ = [
    "EXTRA_CELLS",
    "ROW_PROBLEM",
    "SUFFIXES",
    "Format",
    "Rows",
    "Source",
    "TableError",
    "TableWarning",
    "detect_encoding",
    "normalise_name",
    "open_rows",
    "table_format",
]

Source = Path | str | bytes | IO[bytes]
"""A path, ``"-"`` for standard input, the bytes of a file, or a binary stream."""

SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_XLSX_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"
_HEAD = 4096


def _suffix(name: str) -> str:
    """The suffix that names the format, looking through a ``.gz``: ``x.tsv.gz`` -> ``.tsv``."""
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    return suffix


def table_format(name: str) -> Format | None:
    """The format a file name says (by its suffix), or None when it says none."""
    return SUFFIXES.get(_suffix(name))


def _unknown_type(name: str, suffix: str) -> TableError:
    return TableError(
        Text(
            da=f"ukendt filtype {suffix!r}: brug .csv, .xlsx eller .parquet",
            en=f"unknown file type {suffix!r}: use .csv, .xlsx or .parquet",
        ),
        file=name,
        code="unknown-file-type",
    )


def _cannot_read(name: str, exc: OSError) -> TableError:
    reason = exc.strerror or str(exc)
    return TableError(
        Text(da=f"filen kan ikke læses: {reason}", en=f"the file cannot be read: {reason}"),
        file=name,
        code="unreadable-file",
    )


def _open_path(path: Path) -> IO[bytes]:
    """Open a file for reading (a seam for tests that simulate an unreadable file)."""
    return path.open("rb")


def _format_of(head: bytes, name: str, given: Format | None) -> Format:
    if head.startswith(_XLSX_MAGIC):
        return "xlsx"
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if given is not None:
        return given
    suffix = _suffix(name)
    if suffix and suffix not in SUFFIXES and name != "-":
        raise _unknown_type(name, suffix)
    return SUFFIXES.get(suffix, "csv")


def open_rows(
    source: Source,
    *,
    name: str | None = None,
    format: Format | None = None,
    sheets: tuple[str, ...] = (),
    normalise: bool = True,
) -> Rows:
    """Open a table for reading its rows; close it when done (or use it as a context manager).

    ``name`` is what messages call the file (default: the path, ``stdin`` or ``upload``); its
    suffix chooses the format when ``format`` is not given, and the content's signature overrides
    both (an XLSX file named ``.csv`` is read as XLSX). ``sheets`` names the XLSX sheet to read
    (the first that exists, in any case); without it the first sheet is read. ``normalise``
    trims and lower-cases the header names. A gzip-compressed file is read through (its name
    may end in ``.gz``).
    """
    from klynge.tables.parquet import read_parquet
    from klynge.tables.text import _Prefixed, read_csv
    from klynge.tables.xlsx import read_xlsx

    path: Path | None = None
    raw: IO[bytes]
    if isinstance(source, bytes):
        label = name or "upload"
        raw = io.BytesIO(source)
    elif isinstance(source, str | Path) and str(source) == "-":
        label = name or "stdin"
        raw = sys.stdin.buffer
    elif isinstance(source, str | Path):
        path = Path(source)
        label = name or str(source)
        suffix = _suffix(str(path))
        if format is None and suffix and suffix not in SUFFIXES:
            raise _unknown_type(label, suffix)
        if path.is_dir():
            raise TableError(
                Text(da="er en mappe, ikke en fil", en="is a folder, not a file"),
                file=label,
                code="is-a-folder",
            )
        if not path.exists():
            raise TableError(
                Text(da="filen findes ikke", en="no such file"), file=label, code="no-such-file"
            )
        try:
            raw = _open_path(path)
        except OSError as exc:
            raise _cannot_read(label, exc) from None
    else:
        label = name or str(getattr(source, "name", "") or "upload")
        raw = source
    try:
        head = raw.read(_HEAD)
        if head.startswith(_GZIP_MAGIC):  # a compressed file (Eurostat's .tsv.gz): read through
            outer = raw
            raw = gzip.GzipFile(fileobj=_Prefixed(head, outer), mode="rb")  # type: ignore[assignment]
            head = raw.read(_HEAD)
            path_close = raw.close

            def close_both() -> None:
                path_close()
                outer.close()

            closer = close_both if path is not None else path_close
        else:
            closer = raw.close if path is not None else _nothing
        kind = _format_of(head, name or label, format)
        if kind == "csv":
            rows = read_csv(raw, head, label, closer, normalise)
        else:
            data: Any = path if path is not None and closer == raw.close else head + raw.read()
            closer()
            if kind == "xlsx":
                rows = read_xlsx(data, label, sheets, normalise)
            else:
                rows = read_parquet(data, label, normalise)
    except (OSError, EOFError) as exc:
        if path is not None:
            raw.close()
        if isinstance(exc, gzip.BadGzipFile | EOFError):
            raise TableError(
                Text(
                    da=f"den komprimerede fil er beskadiget eller afkortet: {exc}",
                    en=f"the compressed file is damaged or truncated: {exc}",
                ),
                file=label,
                code="bad-gzip",
            ) from None
        raise _cannot_read(label, exc) from None
    except BaseException:
        if path is not None:
            raw.close()
        raise
    rows.path = path
    return rows


def _nothing() -> None:
    return None


def detect_encoding(source: Source) -> tuple[str, Text | None]:
    """The encoding of a CSV file as a whole, and the note a reader gives about it.

    Reads the whole file (in flat memory). ``utf-8`` for a UTF-8 file, even one with a few rows
    that are not (the rows are named in the reader's warnings).
    """
    with open_rows(source, format="csv") as rows:
        for _ in rows:
            pass
        notes = rows.notes
        encoding = rows.encoding or "utf-8"
    note = next((n for n in notes if "UTF" in n.en), None)
    return encoding, note
