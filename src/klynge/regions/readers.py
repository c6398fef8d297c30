"""Readers that turn employment files into one long table: region, activity, year, value, flag.

Every reader keeps a missing or suppressed cell as a null value with its flag (Eurostat's ':'
and ': c'), never as zero, and names file, row and column when a cell cannot be read.

The long table holds region, activity and flag as polars ``Categorical`` columns (integer codes
over a dictionary of strings), year as ``Int32`` and value as ``Float64``, or ``Float32`` when
the file itself stores float32 (its precision is then the file's). Parquet is read by a lazy scan
in polars' streaming engine, which casts the text columns to codes batch by batch, so that
millions of rows never exist as Python objects or as one string per cell. The checks (empty
cells, region codes, negative values, a cell given twice) work on those codes: a cell given twice
is found by writing each row's flat cube position into one boolean array, a single pass, and the
positions are kept for :func:`klynge.regions.cube.from_long` so that the cube is not indexed twice.

Damaged files never give a silent answer: a short or long row, a file cut off, a truncated
``.gz``, an Excel workbook, a file that is not UTF-8, a code that is not NUTS, NUTS levels mixed
in one file: each is an error naming the file, and the row and column where there is one. What
can still be analysed but must be said (a file that does not end with a line break) is a
:class:`~klynge.regions.warnings.DataWarning` that :func:`reader_warnings` returns and
``from_long`` puts on the cube.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from klynge.errors import Location
from klynge.i18n import Text

# NUTS_COUNTRIES, nuts_level, is_extra_regio and is_aggregate_code are imported from here too.
from klynge.regions.checks import (  # noqa: F401
    ACTIVITY_NAMES,
    FLAG_NAMES,
    NUTS_COUNTRIES,
    REGION_NAMES,
    VALUE_NAMES,
    YEAR_NAMES,
    Cells,
    cells_from_codes,
    check_long,
    code_dtype,
    find_column,
    is_aggregate_code,
    is_extra_regio,
    nuts_level,
)
from klynge.regions.errors import RegionsDataError, data_error, where
from klynge.regions.warnings import DataWarning

SCHEMA: dict[str, Any] = {
    "region": pl.Utf8,
    "activity": pl.Utf8,
    "year": pl.Int32,
    "value": pl.Float64,
    "flag": pl.Utf8,
}
_CELL = re.compile(r"^\s*(:|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]*)\s*$")
_YEAR = re.compile(r"^\s*(\d{4})(?:-?[A-Z]?\d*)?\s*$")

_XLSX_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"

# Attributes a reader leaves on the frame it returns: warnings, and the cells' cube positions.
_WARNINGS_ATTR = "_klynge_warnings"
_CELLS_ATTR = "_klynge_cells"


def parse_cell(text: str, file: str, row: int, column: str) -> tuple[float | None, str | None]:
    """Read '12.3', '12.3 p', ':' or ': c' into (value, flag); anything else is an error."""
    if text is None or text.strip() == "":
        return None, None
    m = _CELL.match(text)
    if m is None:
        raise data_error(
            file,
            row,
            column,
            f"{text!r} er hverken et tal, ':' eller et tal med Eurostat-flag (fx '12.3 p')",
            f"{text!r} is neither a number, ':' nor a number with a Eurostat flag (e.g. '12.3 p')",
        )
    number, flag = m.group(1), m.group(2) or None
    if number == ":":
        return None, flag or ":"
    return float(number), flag


def _year(text: str, file: str, row: int, column: str) -> int:
    m = _YEAR.match(str(text))
    if m is None:
        raise data_error(
            file, row, column, f"{text!r} er ikke et årstal", f"{text!r} is not a year"
        )
    return int(m.group(1))


def _frame(rows: Iterable[tuple[str, str, int, float | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


# Hidden columns that carry each cell's place in the file (line or row, and the column it came
# from) until the checks are done, so that an error in a wide or Eurostat file names the line
# and column a person sees, not a position in the long table. A long file needs neither: its
# row i is line i + first_row.
_LINE, _COLUMN = "__line", "__column"


def _with_origin(df: pl.DataFrame, origin: list[tuple[int, str]]) -> pl.DataFrame:
    return df.with_columns(
        pl.Series(_LINE, [o[0] for o in origin], pl.Int64),
        pl.Series(_COLUMN, [o[1] for o in origin], pl.Utf8),
    )


def _origin(df: pl.DataFrame, i: int, column: str, first_row: int = 2) -> tuple[int, str]:
    """Line and column of the long table's row ``i``; ``column`` when the file had it as is."""
    line = int(df[_LINE][i]) if _LINE in df.columns else i + first_row
    if column == "value" and _COLUMN in df.columns:
        column = str(df[_COLUMN][i])
    return line, column


# -- opening files ----------------------------------------------------------------------------
def _not_found(path: Path) -> RegionsDataError:
    if path.is_dir():
        return data_error(
            str(path), None, None, "er en mappe, ikke en fil", "is a directory, not a file"
        )
    return data_error(str(path), None, None, "filen findes ikke", "the file does not exist")


def _unreadable(file: str, row: int | None, da: str, en: str) -> RegionsDataError:
    """A file that cannot be read as text or table at all (code ``unreadable-file``)."""
    w = where(file, row, None)
    return RegionsDataError(
        f"{w.da}: {da}",
        f"{w.en}: {en}",
        location=Location(file=file, row=row),
        code="unreadable-file",
    )


def _gunzip(data: bytes, file: str) -> bytes:
    try:
        return gzip.decompress(data)
    except EOFError:
        raise _unreadable(
            file,
            None,
            "gzip-filen er afkortet (den slutter før sin slutmarkering); hent den igen",
            "the gzip file is cut off (it ends before its end-of-stream marker); download it again",
        ) from None
    except (OSError, zlib.error) as exc:
        raise _unreadable(
            file,
            None,
            f"gzip-filen er beskadiget ({exc})",
            f"the gzip file is damaged ({exc})",
        ) from None


def _excel_error(file: str) -> RegionsDataError:
    return _unreadable(
        file,
        None,
        "er en Excel-projektmappe (XLSX), ikke en tekstfil; gem arket som CSV (UTF-8) eller "
        "Parquet",
        "is an Excel workbook (XLSX), not a text file; save the sheet as CSV (UTF-8) or Parquet",
    )


class _Decoded(str):
    """Decoded file text that remembers what the decoding had to say (a legacy encoding)."""

    notes: list[DataWarning]


def _decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; a Windows-1252 or
    Latin-1 file through the shared table reader's detection, with a warning; a UTF-8 file with
    stray bytes that are not is an error naming the row (guessing would garble the row)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
        # A header of letters, digits and punctuation, not random bytes read two at a time.
        if text is not None and all(ord(c) < 0x800 for c in _first_line(text)):
            return text
        raise _unreadable(
            file,
            None,
            "filen begynder som UTF-16, men er ikke tekst; er det en CSV-, TSV- eller Parquet-fil?",
            "the file starts like UTF-16 but is not text; is it a CSV, TSV or Parquet file?",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        legacy = _legacy_encoding(data)
        if legacy is not None:
            out = _Decoded(data.decode(legacy[0], errors="replace"))
            out.notes = [DataWarning("encoding", legacy[1], Location(file=file))]
            return out
        raise _unreadable(
            file,
            row,
            f"rækken er ikke UTF-8 (byte 0x{byte}), men resten af filen er; gem filen som CSV "
            "UTF-8",
            f"the row is not UTF-8 (byte 0x{byte}), though the rest of the file is; save the "
            "file as CSV UTF-8",
        ) from None


def _legacy_encoding(data: bytes) -> tuple[str, Text] | None:
    """Windows-1252 or Latin-1 as the whole file's encoding, by ``klynge.tables``, with its note."""
    try:
        from klynge.tables import detect_encoding
    except ImportError:  # pragma: no cover - the shared reader is part of klynge
        return None
    try:
        encoding, note = detect_encoding(data)
    except Exception:
        return None
    if encoding.lower().replace("-", "") not in ("cp1252", "windows1252", "latin1", "iso88591"):
        return None
    return encoding, note or Text(
        da=f"filen er ikke UTF-8; læst som {encoding}",
        en=f"the file is not UTF-8; read as {encoding}",
    )


def _load(path: Path) -> tuple[str, str | None]:
    """The file's kind ('parquet', 'xlsx' or 'text') and, for text, its decoded content."""
    file = str(path)
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(_PARQUET_MAGIC):
        return "parquet", None
    if head.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return "xlsx", None
    data = path.read_bytes()
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, file)
        if data.startswith(_PARQUET_MAGIC) or data.startswith(_XLSX_MAGIC):
            raise data_error(
                file,
                None,
                None,
                "en gzip-pakket Parquet- eller Excel-fil; pak den ud først",
                "a gzipped Parquet or Excel file; unpack it first",
            )
    if not data.strip():
        raise data_error(file, None, None, "filen er tom", "the file is empty")
    return "text", _decode(data, file)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def _kind_of_text(text: str) -> str:
    first = _first_line(text)
    if "\t" in first and "\\" in first.split("\t")[0]:
        return "tsv"
    if "obs_value" in first.lower() and "time_period" in first.lower():
        return "sdmx"
    return "long"


def detect_format(path: Path) -> str:
    """'parquet', 'xlsx', 'tsv' (Eurostat), 'sdmx' or 'long' from the content and the name."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    kind, text = _load(path)
    if text is None:
        return kind
    return _kind_of_text(text)


def _no_final_newline(text: str, file: str, rows: int) -> list[DataWarning]:
    """A file cut off inside its last value looks whole; only the missing line break tells."""
    notes = list(getattr(text, "notes", []))
    if text.endswith(("\n", "\r")):
        return notes
    return [
        *notes,
        DataWarning(
            "no-final-line-break",
            Text(
                da="filen slutter ikke med et linjeskift: er den afkortet, kan den sidste "
                "værdi være skåret over",
                en="the file does not end with a line break: if it was cut off, its last value "
                "may be cut short",
            ),
            Location(file=file, row=rows),
        ),
    ]


def _attach(df: pl.DataFrame, warnings: list[DataWarning]) -> pl.DataFrame:
    if warnings:
        setattr(df, _WARNINGS_ATTR, [*reader_warnings(df), *warnings])
    return df


def reader_warnings(df: pl.DataFrame) -> list[DataWarning]:
    """What the reader had to say about the file it read (``from_long`` copies it to the cube)."""
    return list(getattr(df, _WARNINGS_ATTR, []))


def _pick_filters(
    dims: list[str],
    seen: dict[str, set[str]],
    filters: Mapping[str, str],
    file: str,
) -> None:
    """A file holding several units or indicators must be narrowed down before it is summed."""
    for d in dims:
        values = seen[d]
        if d in filters:
            continue
        if len(values) > 1:
            shown = ", ".join(sorted(values)[:8])
            raise data_error(
                file,
                None,
                d,
                f"flere værdier ({shown}); vælg én, fx filters={{'{d}': '{sorted(values)[0]}'}}",
                f"several values ({shown}); choose one, e.g. filters={{'{d}': "
                f"'{sorted(values)[0]}'}}",
            )


# -- Eurostat formats -------------------------------------------------------------------------
def read_eurostat_tsv(path: str | Path, filters: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Eurostat's bulk TSV: a header like ``unit,nace_r2,geo\\time`` and one column a year."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    kind, text = _load(path)
    if text is None:
        raise _excel_error(str(path)) if kind == "xlsx" else _wrong_kind(str(path), kind, "TSV")
    return _eurostat_tsv(text, str(path), filters)


def _wrong_kind(file: str, kind: str, wanted: str) -> RegionsDataError:
    return data_error(
        file,
        None,
        None,
        f"er en {kind}-fil, ikke {wanted}",
        f"is a {kind} file, not {wanted}",
    )


def _eurostat_tsv(text: str, file: str, filters: Mapping[str, str] | None) -> pl.DataFrame:
    filters = {k.lower(): v for k, v in (filters or {}).items()}
    rows: list[tuple[str, str, int, float | None, str | None]] = []
    origin: list[tuple[int, str]] = []  # (line, column) of each cell, for error messages
    lines = io.StringIO(text, newline="")
    header_line = lines.readline().rstrip("\r\n")
    cells = header_line.split("\t")
    if "\\" not in cells[0]:
        raise data_error(
            file,
            1,
            None,
            "første celle skal være dimensionerne, fx 'unit,nace_r2,geo\\time'",
            "the first cell must list the dimensions, e.g. 'unit,nace_r2,geo\\time'",
        )
    dims = [d.strip().lower() for d in cells[0].split("\\")[0].split(",")]
    for needed in ("geo", "nace_r2"):
        if needed not in dims:
            raise data_error(
                file,
                1,
                needed,
                f"dimensionen {needed!r} mangler i hovedet ({cells[0]!r})",
                f"the dimension {needed!r} is missing from the header ({cells[0]!r})",
            )
    years = [_year(c, file, 1, c) for c in cells[1:]]
    others = [d for d in dims if d not in ("geo", "nace_r2")]
    seen: dict[str, set[str]] = {d: set() for d in others}
    gi, ai = dims.index("geo"), dims.index("nace_r2")
    lineno = 1
    for lineno, line in enumerate(lines, start=2):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("\t")
        keys = [k.strip() for k in parts[0].split(",")]
        if len(keys) != len(dims) or len(parts) != len(cells):
            raise data_error(
                file,
                lineno,
                None,
                f"{len(parts)} celler og {len(keys)} nøgler; hovedet har {len(cells)} og "
                f"{len(dims)}: rækken er ufuldstændig, eller filen er afkortet",
                f"{len(parts)} cells and {len(keys)} keys; the header has {len(cells)} and "
                f"{len(dims)}: the row is incomplete, or the file was cut off",
            )
        skip = False
        for d in others:
            v = keys[dims.index(d)]
            seen[d].add(v)
            if d in filters and v != filters[d]:
                skip = True
        if skip:
            continue
        for y, cell, col in zip(years, parts[1:], cells[1:], strict=True):
            value, flag = parse_cell(cell, file, lineno, col.strip())
            rows.append((keys[gi], keys[ai], y, value, flag))
            origin.append((lineno, col.strip()))
    _pick_filters(others, seen, filters, file)
    df = _checked(_with_origin(_frame(rows), origin), file)
    return _attach(df, _no_final_newline(text, file, lineno))


def read_sdmx_csv(path: str | Path, filters: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Eurostat's SDMX-CSV: DATAFLOW, ..., geo, TIME_PERIOD, OBS_VALUE, OBS_FLAG."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    kind, text = _load(path)
    if text is None:
        raise _excel_error(str(path)) if kind == "xlsx" else _wrong_kind(str(path), kind, "CSV")
    return _sdmx_csv(text, str(path), filters)


def _sdmx_csv(text: str, file: str, filters: Mapping[str, str] | None) -> pl.DataFrame:
    filters = {k.lower(): v for k, v in (filters or {}).items()}
    rows: list[tuple[str, str, int, float | None, str | None]] = []
    origin: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    lower = [h.lower() for h in header]
    for needed in ("geo", "nace_r2", "time_period", "obs_value"):
        if needed not in lower:
            raise data_error(
                file,
                1,
                needed,
                "kolonnen mangler i SDMX-CSV-hovedet",
                "the column is missing from the SDMX-CSV header",
            )
    idx = {h: i for i, h in enumerate(lower)}
    skip_cols = {"dataflow", "last update", "geo", "nace_r2", "time_period", "obs_value"}
    skip_cols |= {"obs_flag", "conf_status", "freq"}
    others = [h for h in lower if h not in skip_cols]
    seen: dict[str, set[str]] = {d: set() for d in others}
    lineno = 1
    for lineno, rec in enumerate(reader, start=2):
        if not rec or not any(c.strip() for c in rec):
            continue
        if len(rec) != len(header):
            raise data_error(
                file,
                lineno,
                None,
                f"{len(rec)} felter, men hovedet har {len(header)}: rækken er ufuldstændig, "
                "eller filen er afkortet",
                f"{len(rec)} fields, but the header has {len(header)}: the row is incomplete, "
                "or the file was cut off",
            )
        skip = False
        for d in others:
            v = rec[idx[d]].strip()
            seen[d].add(v)
            if d in filters and v != filters[d]:
                skip = True
        if skip:
            continue
        value, flag = parse_cell(rec[idx["obs_value"]], file, lineno, "OBS_VALUE")
        if "obs_flag" in idx and rec[idx["obs_flag"]].strip():
            flag = rec[idx["obs_flag"]].strip()
        if value is None and flag is None:
            flag = ":"
        year = _year(rec[idx["time_period"]], file, lineno, "TIME_PERIOD")
        rows.append((rec[idx["geo"]].strip(), rec[idx["nace_r2"]].strip(), year, value, flag))
        origin.append((lineno, "OBS_VALUE"))
    _pick_filters(others, seen, filters, file)
    df = _checked(_with_origin(_frame(rows), origin), file)
    return _attach(df, _no_final_newline(text, file, lineno))


# -- long and wide tables ---------------------------------------------------------------------
def _missing_column(source: str, name: str, cols: list[str]) -> RegionsDataError:
    return data_error(
        source,
        None,
        name,
        f"kolonnen mangler (kolonner: {', '.join(cols)})",
        f"the column is missing (columns: {', '.join(cols)})",
    )


def from_dataframe(df: Any, source: str = "DataFrame", first_row: int = 1) -> pl.DataFrame:
    """A pandas or polars frame, long (region, activity, year, value) or wide by activity.

    A wide frame has a region and a year column and one column per activity, as in the
    reference file of Danish A10 employment; it is melted to the long form. Errors count rows
    from ``first_row``: 2 for a CSV file (its line, after the header), 1 for Parquet and frames.
    """
    if not isinstance(df, pl.DataFrame):
        try:
            df = pl.from_pandas(df)
        except Exception as exc:  # pandas missing or not a frame
            raise RegionsDataError(
                f"{source}: kan ikke læses som tabel ({exc})",
                f"{source}: cannot be read as a table ({exc})",
            ) from exc
    cols = list(df.columns)
    region = find_column(cols, REGION_NAMES)
    year = find_column(cols, YEAR_NAMES)
    activity = find_column(cols, ACTIVITY_NAMES)
    value = find_column(cols, VALUE_NAMES)
    flag = find_column(cols, FLAG_NAMES)
    for name, col in (("region", region), ("year", year)):
        if col is None:
            raise _missing_column(source, name, cols)
    assert region is not None and year is not None
    extra: list[pl.Expr] = []
    if activity is None:
        if value is not None:
            raise data_error(
                source,
                None,
                "activity",
                "der er en værdikolonne, men ingen aktivitetskolonne",
                "there is a value column but no activity column",
            )
        # Wide: each row becomes one cell per activity column, so the line goes along.
        df = df.with_row_index(_LINE, offset=first_row)
        value_cols = [c for c in cols if c not in (region, year)]
        df = df.unpivot(
            index=[region, year, _LINE],
            on=value_cols,
            variable_name="activity",
            value_name="value",
        ).with_columns(pl.col("activity").alias(_COLUMN))
        activity, value = "activity", "value"
        extra = [pl.col(_LINE).cast(pl.Int64), pl.col(_COLUMN)]
    if value is None:
        raise _missing_column(source, "value", cols)
    out = df.select(
        _text(region).alias("region"),
        _text(activity).alias("activity"),
        pl.col(year).alias("year"),
        pl.col(value).alias("value"),
        (pl.col(flag).cast(pl.Utf8) if flag is not None else pl.lit(None, pl.Utf8)).alias("flag"),
        *extra,
    )
    out = _coerce(out, source, first_row)
    return _checked(out, source, first_row)


def _text(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Utf8).str.strip_chars()


def _parse_values(df: pl.DataFrame, source: str, first_row: int) -> pl.DataFrame:
    """Plain numbers cast in bulk; only the cells that do not (flags, ':') go through Python."""
    text = df["value"].str.strip_chars()
    fast = text.cast(pl.Float64, strict=False)
    need = (fast.is_null() & text.is_not_null() & (text != "")).arg_true().to_list()
    if not need:
        return df.with_columns(fast.alias("value"))
    values = fast.to_list()
    flags = df["flag"].to_list()
    raw = text.to_list()
    for i in need:
        v, f = parse_cell(raw[i], source, *_origin(df, i, "value", first_row))
        values[i] = v
        if f is not None:
            flags[i] = f
    return df.with_columns(
        pl.Series("value", values, pl.Float64), pl.Series("flag", flags, pl.Utf8)
    )


def _coerce(df: pl.DataFrame, source: str, first_row: int = 2) -> pl.DataFrame:
    """Cast year and value, naming the first row that will not cast."""
    for col in ("year", "value"):
        dtype = df.schema[col]
        if col == "year" and dtype == pl.Int32:
            continue
        if col == "value" and dtype in (pl.Float64, pl.Float32):
            continue
        if dtype == pl.Utf8:
            # Text values may carry Eurostat flags, as in '12.3 p' or ': c'.
            if col == "value":
                df = _parse_values(df, source, first_row)
                continue
            # Only a plain year: '2020Q1' or '2020-06' cut to '2020' would quietly merge periods.
            text = df[col].str.strip_chars()
            cast = text.str.extract(r"^(\d{4})$").cast(pl.Int32, strict=False)
        else:
            cast = df[col].cast(pl.Int32 if col == "year" else pl.Float64, strict=False)
        bad = (cast.is_null() & df[col].is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise data_error(
                source,
                *_origin(df, i, col, first_row),
                f"{df[col][i]!r} kan ikke læses som {'årstal' if col == 'year' else 'tal'}",
                f"{df[col][i]!r} cannot be read as a {'year' if col == 'year' else 'number'}",
            )
        df = df.with_columns(cast.alias(col))
    return df.with_columns(_flag_expr())


def _flag_expr() -> pl.Expr:
    """A null value without a flag is ':' (not available), as Eurostat writes it."""
    return (
        pl.when(pl.col("value").is_null() & pl.col("flag").is_null())
        .then(pl.lit(":"))
        .otherwise(pl.col("flag").cast(pl.Utf8))
        .alias("flag")
    )


def _ragged_row(text: str, file: str) -> RegionsDataError | None:
    """The first row whose number of fields differs from the header's, as an error."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    for rec in reader:
        if not rec:
            continue
        if len(rec) != len(header):
            row = reader.line_num
            short = len(rec) < len(header)
            return data_error(
                file,
                row,
                header[len(rec)] if short else None,
                f"rækken har {len(rec)} felter, men hovedet har {len(header)}: "
                + ("der mangler celler, eller filen er afkortet" if short else "for mange celler"),
                f"the row has {len(rec)} fields, but the header has {len(header)}: "
                + ("cells are missing, or the file was cut off" if short else "too many cells"),
            )
    return None


def _read_csv_text(text: str, file: str) -> pl.DataFrame:
    data = text.encode("utf-8")
    try:
        df = pl.read_csv(data, infer_schema_length=0)
    except pl.exceptions.ComputeError as exc:
        ragged = _ragged_row(text, file)
        if ragged is not None:
            raise ragged from None
        raise data_error(
            file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})"
        ) from exc
    except Exception as exc:
        raise data_error(
            file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})"
        ) from exc
    # A short row reads as nulls at its end: indistinguishable, in the frame, from empty cells.
    if df.width and df[df.columns[-1]].null_count():
        ragged = _ragged_row(text, file)
        if ragged is not None:
            raise ragged
    return df


def read_long(path: str | Path) -> pl.DataFrame:
    """A long (or wide-by-activity) CSV or Parquet file."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    kind, text = _load(path)
    if kind == "parquet":
        return read_parquet(path)
    if kind == "xlsx":
        return _read_xlsx(path)
    assert text is not None
    df = _read_csv_text(text, str(path))
    out = from_dataframe(df, source=str(path), first_row=2)
    return _attach(out, _no_final_newline(text, str(path), df.height + 1))


def _read_xlsx(path: Path) -> pl.DataFrame:
    """An Excel sheet through the shared table reader when it is installed; else say what to do."""
    try:
        from klynge.tables import open_rows  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise _excel_error(str(path)) from None

    def text(v: Any) -> str | None:
        if v is None or v == "":
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))  # a year or a count that Excel stores as 2018.0
        return str(v)

    from klynge.tables import TableError

    try:
        with open_rows(path, format="xlsx", normalise=False) as rows:
            header = [str(h) for h in rows.header]
            records = [values for _, values in rows]
    except TableError as exc:
        where = exc.location or Location()
        raise data_error(
            str(path),
            where.row,
            where.column,
            f"en Excel-projektmappe, som ikke kan læses: {exc.message.da}",
            f"an Excel workbook that cannot be read: {exc.message.en}",
        ) from None
    if not header:
        raise _excel_error(str(path))
    frame = pl.DataFrame(
        {h: [text(r.get(h)) for r in records] for h in header},
        schema={h: pl.Utf8 for h in header},
    )
    return from_dataframe(frame, source=str(path), first_row=2)


def read_parquet(path: str | Path) -> pl.DataFrame:
    """A long Parquet file, read as integer codes: its text columns stay dictionaries.

    :func:`klynge.regions.parquet.read_columns` reads region, activity and flag as the file's
    own dictionaries (each row costs an integer, never a string), and the frame is built from
    those codes. A wide Parquet file (one column per activity), or one whose year or value is
    text, goes through :func:`from_dataframe`, which names the row of a cell it cannot read.
    """
    from klynge.regions.parquet import read_columns

    path = Path(path)
    file = str(path)
    cols = read_columns(path)
    if cols is None:
        try:
            frame = pl.read_parquet(path)
        except Exception as exc:
            raise data_error(
                file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})"
            ) from None
        return from_dataframe(frame, source=file, first_row=1)
    f_codes, f_names = cols.f_codes, cols.flags
    no_flag = f_codes < 0
    flag_col = _enum(np.where(no_flag, 0, f_codes), f_names or [":"])
    r_codes, a_codes, years = cols.codes()
    df = pl.DataFrame(
        {
            "region": _enum(r_codes, cols.regions),
            "activity": _enum(a_codes, cols.activities),
            "year": years.astype(np.int32, copy=False),
            "value": pl.Series(cols.values, nan_to_null=True),
        }
    ).with_columns(
        flag=pl.when(pl.Series(no_flag)).then(pl.lit(None, flag_col.dtype)).otherwise(flag_col)
    )
    cells = check_long(
        file,
        cols.r_codes,
        cols.regions,
        cols.a_codes,
        cols.activities,
        cols.year,
        cols.values,
        cols.origin,
        cols.describe,
        in_order=cols.in_order,
    )
    setattr(df, _CELLS_ATTR, replace(cells, values=cols.values, flags=(f_codes, f_names)))
    return df


def _enum(codes: np.ndarray, names: list[str]) -> pl.Series:
    """An Enum series straight from codes (0…n-1) and the sorted names: no string per row."""
    enum = pl.Enum(names)
    phys = str(pl.Series("", [], enum).to_physical().dtype)  # UInt8, UInt16 or UInt32
    target = {"UInt8": np.uint8, "UInt16": np.uint16}.get(phys, np.uint32)
    return pl.Series(codes.astype(target, copy=False)).cat.to(enum)


# -- checks -----------------------------------------------------------------------------------
def _categories(col: pl.Series) -> tuple[np.ndarray, list[str]]:
    """A text column as codes into its sorted distinct values (one small integer a row; -1 for
    a null)."""
    if not isinstance(col.dtype, pl.Categorical | pl.Enum):
        col = col.cast(pl.Utf8).cast(pl.Categorical)
    nulls = col.is_null().to_numpy() if col.null_count() else None
    if nulls is not None and nulls.all():
        return np.full(len(col), -1, dtype=np.int8), []
    phys = col.to_physical().fill_null(0).to_numpy() if nulls is not None else None
    phys = col.to_physical().to_numpy() if phys is None else phys
    if len(phys) == 0:
        return phys.astype(np.int8), []
    used = np.zeros(int(phys.max()) + 1, dtype=bool)
    used[phys] = True
    codes = np.flatnonzero(used)
    if isinstance(col.dtype, pl.Enum):
        cats = list(col.dtype.categories)
        text = [cats[int(c)] for c in codes]
    else:
        text = pl.Series(codes.astype(np.uint32)).cat.to(pl.Categorical).cast(pl.Utf8).to_list()
    names = sorted(text)
    dt = code_dtype(len(names))
    look = np.full(len(used), -1, dtype=dt)
    rank = {n: i for i, n in enumerate(names)}
    look[codes] = np.asarray([rank[t] for t in text], dtype=dt)
    if nulls is not None:
        out = look[phys]
        out[nulls] = -1
        return out, names
    if isinstance(col.dtype, pl.Enum) and np.array_equal(look[codes], np.arange(len(codes))):
        return phys.astype(dt, copy=False), names
    return look[phys], names


def cells_of(df: pl.DataFrame, activity_order: list[str] | None = None) -> Cells:
    """The cube axes of a long table and each row's flat position (kept from the checks)."""
    cached: Cells | None = getattr(df, _CELLS_ATTR, None)
    if cached is not None and (activity_order is None or activity_order == cached.activities):
        return cached
    r_codes, regions = _categories(df["region"])
    a_codes, activities = _categories(df["activity"])
    return cells_from_codes(
        df["year"].to_numpy(), r_codes, regions, a_codes, activities, activity_order
    )


def forget_values(df: pl.DataFrame) -> None:
    """Drop the values kept beside a table (a cube has taken them over)."""
    cells: Cells | None = getattr(df, _CELLS_ATTR, None)
    if cells is not None:
        setattr(df, _CELLS_ATTR, replace(cells, values=None))


def _first(mask: pl.Series | np.ndarray) -> int:
    hit = mask.arg_true() if isinstance(mask, pl.Series) else np.flatnonzero(mask)
    return int(hit[0])


def _checked(df: pl.DataFrame, source: str, first_row: int = 2) -> pl.DataFrame:
    """Refuse empty input, empty cells, codes that are not NUTS, negative employment and cells
    given twice; return the table with region, activity and flag as categorical codes."""
    if df.height == 0:
        raise RegionsDataError(f"{source}: ingen data", f"{source}: no data")
    for col in ("region", "activity", "year"):
        if df[col].null_count():
            i = _first(df[col].is_null())
            raise data_error(
                source, *_origin(df, i, col, first_row), "cellen er tom", "the cell is empty"
            )
    df = df.with_columns(
        *(
            (
                pl.col(c)
                if isinstance(df.schema[c], pl.Categorical | pl.Enum)
                else pl.col(c).cast(pl.Utf8).str.strip_chars().cast(pl.Categorical)
            )
            for c in ("region", "activity")
        ),
        (
            pl.col("flag")
            if isinstance(df.schema["flag"], pl.Categorical | pl.Enum)
            else pl.col("flag").cast(pl.Utf8).cast(pl.Categorical)
        ),
    )
    r_codes, regions = _categories(df["region"])
    a_codes, activities = _categories(df["activity"])
    if any(t != t.strip() for t in (*regions, *activities)):
        df = df.with_columns(
            pl.col(c).cast(pl.Utf8).str.strip_chars().cast(pl.Categorical)
            for c in ("region", "activity")
        )
        return _checked(df, source, first_row)
    vals = df["value"].to_numpy()
    return _validate(
        df, source, first_row, r_codes, regions, a_codes, activities, df["year"].to_numpy(), vals
    )


def _validate(
    df: pl.DataFrame,
    source: str,
    first_row: int,
    r_codes: np.ndarray,
    regions: list[str],
    a_codes: np.ndarray,
    activities: list[str],
    year: np.ndarray,
    vals: np.ndarray,
) -> pl.DataFrame:
    """The checks on codes and numbers; the table comes back with its cube positions attached.

    ``r_codes`` and ``a_codes`` index the sorted ``regions`` and ``activities``.
    """

    def origin(i: int, column: str) -> tuple[int, str]:
        return _origin(df, i, column, first_row)

    def describe(i: int) -> tuple[str, str, int, float]:
        r = df.row(i, named=True)
        return r["region"], r["activity"], r["year"], r["value"]

    cells = check_long(
        source,
        r_codes,
        regions,
        a_codes,
        activities,
        year,
        vals,
        origin,
        describe,
        named_column=_COLUMN in df.columns,
    )
    out = df.drop([c for c in (_LINE, _COLUMN) if c in df.columns])
    setattr(out, _CELLS_ATTR, cells)
    return out


def read_table(
    path: str | Path, fmt: str = "auto", filters: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Read any supported file into the long table, detecting the format unless given."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    if path.stat().st_size == 0:
        raise data_error(str(path), None, None, "filen er tom", "the file is empty")
    file = str(path)
    kind, text = _load(path)
    if kind == "parquet":
        if fmt not in ("auto", "parquet", "long"):
            raise _wrong_kind(file, "Parquet", fmt)
        return read_parquet(path)
    if kind == "xlsx":
        return _read_xlsx(path)
    assert text is not None
    if fmt == "auto":
        fmt = _kind_of_text(text)
    if fmt == "tsv":
        return _eurostat_tsv(text, file, filters)
    if fmt == "sdmx":
        return _sdmx_csv(text, file, filters)
    if fmt in ("long", "csv"):
        df = _read_csv_text(text, file)
        out = from_dataframe(df, source=file, first_row=2)
        return _attach(out, _no_final_newline(text, file, df.height + 1))
    raise RegionsDataError(
        f"ukendt format {fmt!r}: brug auto, tsv, sdmx, long eller parquet",
        f"unknown format {fmt!r}: use auto, tsv, sdmx, long or parquet",
    )
