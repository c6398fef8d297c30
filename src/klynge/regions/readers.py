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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from klynge.errors import Location
from klynge.i18n import Text
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
REGION_NAMES = ("region", "geo", "nuts", "nuts_id", "nuts2", "geo\\time", "geo\\time_period")
ACTIVITY_NAMES = ("activity", "nace_r2", "nace", "nace_r1", "sector", "ecosystem")
YEAR_NAMES = ("year", "time", "time_period", "period", "aar", "år")
VALUE_NAMES = ("value", "obs_value", "employment", "persons", "beskaeftigede", "values")
FLAG_NAMES = ("flag", "obs_flag", "flags")

# Countries with NUTS codes or Eurostat's statistical regions: EU, EFTA, the United Kingdom and
# the candidate and neighbouring countries Eurostat publishes regional tables for.
_COUNTRIES = (
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "CH IS LI NO UK AL BA ME MK RS TR XK MD UA GE"
)
NUTS_COUNTRIES = frozenset(_COUNTRIES.split(" "))
_NUTS = re.compile(r"^([A-Z]{2})([0-9A-Z]{0,3})$")
_EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")
_AGGREGATE = re.compile(r"^(EU\d{0,2}(_\d{4})?|EA\d{0,2}(_\d{4})?|EFTA|EEA\d{0,2})$")

_XLSX_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"

# Attributes a reader leaves on the frame it returns: warnings, and the cells' cube positions.
_WARNINGS_ATTR = "_klynge_warnings"
_CELLS_ATTR = "_klynge_cells"


def is_extra_regio(code: str) -> bool:
    """Eurostat's Extra-Regio codes (DKZ, DKZZ, DKZZZ): employment no region can be given."""
    return _EXTRA_REGIO.match(code) is not None


def nuts_level(code: str) -> int | None:
    """0 for a country (DK), 1–3 for NUTS 1–3 (DK0, DK01, DK011); None for other codes."""
    m = _NUTS.match(code)
    if m is None or m.group(1) not in NUTS_COUNTRIES:
        return None
    return len(m.group(2))


def is_aggregate_code(code: str) -> bool:
    """EU27_2020, EA20, EFTA and the like: several countries, never a region."""
    return _AGGREGATE.match(code) is not None


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
def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {c.strip().lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


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
    region = _find(cols, REGION_NAMES)
    year = _find(cols, YEAR_NAMES)
    activity = _find(cols, ACTIVITY_NAMES)
    value = _find(cols, VALUE_NAMES)
    flag = _find(cols, FLAG_NAMES)
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

    pyarrow reads region, activity and flag as dictionary arrays (the file's own encoding), so
    each row costs an integer, never a string; the checks and the cube work on those codes. A
    wide Parquet file (one column per activity), or one whose year or value is text, goes through
    :func:`from_dataframe`, which names the row of a cell it cannot read.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    file = str(path)
    try:
        schema = pq.read_schema(path)
    except Exception as exc:
        raise data_error(
            file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})"
        ) from None
    cols = list(schema.names)
    region, year = _find(cols, REGION_NAMES), _find(cols, YEAR_NAMES)
    activity, value = _find(cols, ACTIVITY_NAMES), _find(cols, VALUE_NAMES)
    flag = _find(cols, FLAG_NAMES)

    def texty(t: Any) -> bool:
        return bool(
            pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
        ) or (pa.types.is_dictionary(t) and texty(t.value_type))

    simple = (
        region is not None
        and activity is not None
        and year is not None
        and value is not None
        and texty(schema.field(region).type)
        and texty(schema.field(activity).type)
        and pa.types.is_integer(schema.field(year).type)
        and (
            pa.types.is_floating(schema.field(value).type)
            or pa.types.is_integer(schema.field(value).type)
        )
        and (flag is None or texty(schema.field(flag).type))
    )
    try:
        if not simple:
            return from_dataframe(pl.read_parquet(path), source=file, first_row=1)
        assert region is not None and activity is not None
        assert year is not None and value is not None
        # Text columns through pyarrow, which hands over the file's own dictionaries (codes,
        # never a string a row); numbers through polars, which reads them fastest.
        text_cols = [c for c in (region, activity, flag) if c is not None]
        # ParquetFile, not read_table: read_table loads pyarrow.dataset (and pandas), 0.6 s.
        tb = pq.ParquetFile(path, read_dictionary=text_cols).read(columns=text_cols)
        nums = pl.read_parquet(path, columns=[year, value])
    except RegionsDataError:
        raise
    except Exception as exc:
        raise data_error(
            file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})"
        ) from None
    r_codes, r_names = _arrow_codes(tb.column(region), file, "region")
    a_codes, a_names = _arrow_codes(tb.column(activity), file, "activity")
    if any(t != t.strip() for t in (*r_names, *a_names)):
        return from_dataframe(pl.read_parquet(path), source=file, first_row=1)
    if nums[year].null_count():
        i = _first(nums[year].is_null())
        raise data_error(file, i + 1, year, "cellen er tom", "the cell is empty")
    y = nums[year].cast(pl.Int32).to_numpy()
    vcol = nums[value]
    vcol = vcol if vcol.dtype in (pl.Float32, pl.Float64) else vcol.cast(pl.Float64)
    v = vcol.fill_null(float("nan")).to_numpy()
    del nums
    if flag is not None:
        f_codes, f_names = _arrow_codes(tb.column(flag), file, flag, nulls=True)
    else:
        f_codes, f_names = np.full(len(v), -1, dtype=np.int8), []
    del tb
    # A null value without a flag is ':' (not available), as Eurostat writes it.
    no_flag = f_codes < 0
    gap = np.isnan(v) & no_flag
    if gap.any():
        if ":" not in f_names:
            grown = sorted([*f_names, ":"])
            look = np.asarray([grown.index(n) for n in f_names] + [-1], dtype=np.int16)
            f_codes, f_names = look[f_codes], grown
        f_codes[gap] = f_names.index(":")
        no_flag &= ~gap
    flag_col = _enum(np.where(no_flag, 0, f_codes), f_names or [":"])
    df = pl.DataFrame(
        {
            "region": _enum(r_codes, r_names),
            "activity": _enum(a_codes, a_names),
            "year": y,
            "value": pl.Series(v, nan_to_null=True),
        }
    ).with_columns(
        flag=pl.when(pl.Series(no_flag)).then(pl.lit(None, flag_col.dtype)).otherwise(flag_col)
    )
    out = _validate(df, file, 1, r_codes, r_names, a_codes, a_names, y, v)
    cells: Cells = getattr(out, _CELLS_ATTR)
    f_codes[no_flag] = -1
    setattr(out, _CELLS_ATTR, replace(cells, values=v, flags=(f_codes, f_names)))
    return out


def _arrow_codes(
    col: Any, file: str, name: str, *, nulls: bool = False
) -> tuple[np.ndarray, list[str]]:
    """Codes of a dictionary column into its sorted distinct strings, one small integer a row.

    Each row group has its own dictionary; they are merged by their (few) strings, and each
    chunk's indices are mapped through a small lookup table. Nulls are -1 where ``nulls`` allows
    them, and an error naming the row otherwise.
    """
    # Row groups often repeat the dictionary of the one before: it is turned into text once.
    distinct: list[Any] = []
    which: list[int] = []
    for chunk in col.chunks:
        d = chunk.dictionary
        if not distinct or not distinct[-1].equals(d):
            distinct.append(d)
        which.append(len(distinct) - 1)
    words_of = [d.to_pylist() for d in distinct]
    names = sorted({w for words in words_of for w in words if w is not None})
    pos = {w: i for i, w in enumerate(names)}
    dt = _code_dtype(len(names))
    looks = [np.asarray([pos.get(w, -1) for w in words] + [-1], dtype=dt) for words in words_of]
    out = np.empty(len(col), dtype=dt)
    offset = 0
    for chunk, k in zip(col.chunks, which, strict=True):
        n_words = len(words_of[k])
        idx = chunk.indices
        if idx.null_count:
            idx = idx.fill_null(n_words)
        arr = _numpy_of(idx)
        if chunk.null_count and not nulls:
            i = offset + _first(arr == n_words)
            raise data_error(file, i + 1, name, "cellen er tom", "the cell is empty")
        np.take(looks[k], arr, out=out[offset : offset + len(chunk)])
        offset += len(chunk)
    return out, names


def _numpy_of(arr: Any) -> np.ndarray:
    """An Arrow integer array without nulls as NumPy, zero-copy (Arrow's own to_numpy imports
    pandas, half a second)."""
    width = arr.type.bit_width // 8
    data = arr.buffers()[1]
    return np.frombuffer(data, dtype=f"<i{width}", count=len(arr), offset=arr.offset * width)


def _code_dtype(n: int) -> type[np.signedinteger]:
    """The smallest signed integer that holds codes 0…n-1 and -1."""
    if n < 2**7:
        return np.int8
    if n < 2**15:
        return np.int16
    return np.int32


def _enum(codes: np.ndarray, names: list[str]) -> pl.Series:
    """An Enum series straight from codes (0…n-1) and the sorted names: no string per row."""
    enum = pl.Enum(names)
    phys = str(pl.Series("", [], enum).to_physical().dtype)  # UInt8, UInt16 or UInt32
    target = {"UInt8": np.uint8, "UInt16": np.uint16}.get(phys, np.uint32)
    return pl.Series(codes.astype(target, copy=False)).cat.to(enum)


# -- checks -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cells:
    """Where each row of a long table falls in the cube: the axes and one flat position a row."""

    years: list[int]
    regions: list[str]
    activities: list[str]
    # (year · R + region) · A + activity; -1 for an activity left out; None when the rows are
    # every cell once, in the cube's own order (row i is cell i)
    flat: np.ndarray | None
    ordered: bool = False  # rows in the cube's own order (flat strictly rising): no duplicate
    values: np.ndarray | None = None  # each row's value, NaN where null (as checked)
    flags: tuple[np.ndarray, list[str]] | None = None  # each row's flag code (-1 none), names


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
    dt = _code_dtype(len(names))
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


def _cells(
    year: np.ndarray,
    r_codes: np.ndarray,
    regions: list[str],
    a_codes: np.ndarray,
    activities: list[str],
    activity_order: list[str] | None = None,
) -> Cells:
    """Each row's flat cube position from dense codes (codes index the sorted names)."""
    low, high = int(year.min()), int(year.max())
    # Years index a small table directly (no subtracted copy) when they are ordinary years.
    base = 0 if low >= 0 and high < 10_000 else low
    index = year if base == 0 else year - base
    seen = np.zeros(high - base + 1, dtype=bool)
    seen[index] = True
    years = [base + int(i) for i in np.flatnonzero(seen)]
    acts = activity_order if activity_order is not None else activities
    size = len(years) * len(regions) * len(acts)
    it = np.int32 if size < 2**31 - 1 else np.int64
    # Each year's first flat position, so that one gather and two additions give the position.
    ylook = np.full(len(seen), -1, dtype=it)
    ylook[np.asarray(years) - base] = np.arange(len(years), dtype=it) * (len(regions) * len(acts))
    flat = ylook[index]
    del index
    flat += (np.arange(len(regions), dtype=it) * len(acts))[r_codes]
    if activity_order is None:
        flat += a_codes
    else:
        apos = {a: i for i, a in enumerate(activity_order)}
        alook = np.asarray([apos.get(a, -1) for a in activities], dtype=it)
        a_idx = alook[a_codes]
        flat += a_idx
        flat[a_idx < 0] = -1
    return Cells(years, list(regions), list(acts), flat)


def _complete_in_order(
    year: np.ndarray, r_codes: np.ndarray, n_r: int, a_codes: np.ndarray, n_a: int
) -> list[int] | None:
    """The years, when the rows are every cell exactly once in the cube's order (year, then
    region, then activity, each sorted): comparisons of small integers, no positions computed.
    None otherwise."""
    n = len(year)
    block = n_r * n_a
    if n == 0 or block == 0 or n % block:
        return None
    n_y = n // block
    firsts = year[::block]
    if n_y > 1 and not bool((firsts[1:] > firsts[:-1]).all()):
        return None
    if not bool((year.reshape(n_y, block) == firsts[:, None]).all()):
        return None
    if not bool((a_codes.reshape(-1, n_a) == np.arange(n_a, dtype=a_codes.dtype)).all()):
        return None
    regions = r_codes.reshape(n_y, n_r, n_a)
    if not bool((regions == np.arange(n_r, dtype=r_codes.dtype)[None, :, None]).all()):
        return None
    return [int(y) for y in firsts]


def cells_of(df: pl.DataFrame, activity_order: list[str] | None = None) -> Cells:
    """The cube axes of a long table and each row's flat position (kept from the checks)."""
    cached: Cells | None = getattr(df, _CELLS_ATTR, None)
    if cached is not None and (activity_order is None or activity_order == cached.activities):
        return cached
    r_codes, regions = _categories(df["region"])
    a_codes, activities = _categories(df["activity"])
    return _cells(df["year"].to_numpy(), r_codes, regions, a_codes, activities, activity_order)


def forget_values(df: pl.DataFrame) -> None:
    """Drop the values kept beside a table (a cube has taken them over)."""
    cells: Cells | None = getattr(df, _CELLS_ATTR, None)
    if cells is not None:
        setattr(df, _CELLS_ATTR, replace(cells, values=None))


def _first(mask: pl.Series | np.ndarray) -> int:
    hit = mask.arg_true() if isinstance(mask, pl.Series) else np.flatnonzero(mask)
    return int(hit[0])


def _check_regions(
    regions: list[str], row_of: Callable[[str], tuple[int, str]], source: str
) -> None:
    """Every region code must be NUTS (or an aggregate such as EU27_2020), of one NUTS level."""
    for code in regions:
        if nuts_level(code) is not None or is_aggregate_code(code):
            continue
        upper = code.upper().replace(" ", "")
        if upper != code and (nuts_level(upper) is not None or is_aggregate_code(upper)):
            da = f"{code!r} er skrevet med små bogstaver; NUTS-koder skrives {upper!r}"
            en = f"{code!r} is in lower case; NUTS codes are written {upper!r}"
        elif _NUTS.match(code):
            da = (
                f"{code!r} er ikke en NUTS-kode: {code[:2]!r} er ikke en landekode i NUTS "
                "(fx DK, DE, SE)"
            )
            en = (
                f"{code!r} is not a NUTS code: {code[:2]!r} is not a NUTS country code "
                "(e.g. DK, DE, SE)"
            )
        else:
            da = (
                f"{code!r} er ikke en NUTS-kode (to store bogstaver for landet og op til tre "
                "bogstaver eller cifre, fx DK01); regionsnavne kan ikke bruges"
            )
            en = (
                f"{code!r} is not a NUTS code (two capital letters for the country, then up to "
                "three letters or digits, e.g. DK01); region names cannot be used"
            )
        raise data_error(source, *row_of(code), da, en)
    # Levels: a code that prefixes another is an aggregate of it (DK0 over DK01). What is left
    # must be of one level, or a region would be compared with a part of another region.
    plain = [c for c in regions if nuts_level(c) is not None and not is_extra_regio(c)]
    prefixes = {c[:k] for c in plain for k in range(2, len(c))}
    by_level: dict[int, list[str]] = {}
    for c in plain:
        if c not in prefixes:
            by_level.setdefault(len(c) - 2, []).append(c)
    if len(by_level) > 1:
        levels = sorted(by_level)
        finest = by_level[levels[-1]]
        listed = "; ".join(f"NUTS {lv}: {', '.join(by_level[lv][:6])}" for lv in levels)
        hidden = sorted(c for c in prefixes & set(plain) if any(f.startswith(c) for f in finest))
        hidden = [c for c in hidden if len(c) > 2]
        also_da = f" {', '.join(hidden[:6])} ville blive læst som sum af dem." if hidden else ""
        also_en = f" {', '.join(hidden[:6])} would be read as a sum of them." if hidden else ""
        raise data_error(
            source,
            *row_of(finest[0]),
            f"filen blander NUTS-niveauer ({listed}): en region kan ikke sammenlignes med en "
            f"del af en anden.{also_da} Behold ét niveau i filen.",
            f"the file mixes NUTS levels ({listed}): a region cannot be compared with a part "
            f"of another.{also_en} Keep one level in the file.",
        )


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
    for col, names, codes in (("region", regions, r_codes), ("activity", activities, a_codes)):
        if "" in names:
            i = _first(codes == names.index(""))
            raise data_error(
                source, *_origin(df, i, col, first_row), "cellen er tom", "the cell is empty"
            )

    def row_of(code: str) -> tuple[int, str]:
        return _origin(df, _first(r_codes == regions.index(code)), "region", first_row)

    _check_regions(regions, row_of, source)
    with np.errstate(invalid="ignore"):
        negative = vals < 0
    if negative.any():
        i = _first(negative)
        r = df.row(i, named=True)
        raise data_error(
            source,
            *_origin(df, i, "value", first_row),
            f"negativ beskæftigelse {r['value']} for {r['region']}/{r['activity']}/{r['year']}",
            f"negative employment {r['value']} for {r['region']}/{r['activity']}/{r['year']}",
        )
    del negative
    years = _complete_in_order(year, r_codes, len(regions), a_codes, len(activities))
    if years is not None:
        # Every cell once, in the cube's order: no positions to compute, nothing given twice.
        out = df.drop([c for c in (_LINE, _COLUMN) if c in df.columns])
        setattr(out, _CELLS_ATTR, Cells(years, regions, activities, None, ordered=True))
        return out
    cells = _cells(year, r_codes, regions, a_codes, activities)
    flat = cells.flat
    assert flat is not None
    # A file in the cube's own order (year, region, activity, as Eurostat and klynge write long
    # files) has strictly rising positions, which rules out a cell given twice in one pass.
    ordered = len(flat) < 2 or bool((flat[1:] > flat[:-1]).all())
    if not ordered:
        size = len(cells.years) * len(cells.regions) * len(cells.activities)
        seen = np.zeros(size, dtype=bool)
        seen[flat] = True
        if int(np.count_nonzero(seen)) != len(flat):
            _raise_duplicate(df, flat, source, first_row)
        del seen
    cells = replace(cells, ordered=ordered)
    out = df.drop([c for c in (_LINE, _COLUMN) if c in df.columns])
    setattr(out, _CELLS_ATTR, cells)
    return out


def _raise_duplicate(df: pl.DataFrame, flat: np.ndarray, source: str, first_row: int) -> None:
    """The second occurrence is the one to name, with the line of the first."""
    order = np.argsort(flat, kind="stable")
    s = flat[order]
    again = order[1:][s[1:] == s[:-1]]
    i = int(again.min())
    first = int(np.flatnonzero(flat == flat[i])[0])
    r = df.row(i, named=True)
    line, column = _origin(df, i, "value", first_row)
    before = _origin(df, first, "value", first_row)[0]
    raise data_error(
        source,
        line,
        column if _COLUMN in df.columns else None,
        f"cellen {r['region']}/{r['activity']}/{r['year']} står der allerede (række {before})",
        f"the cell {r['region']}/{r['activity']}/{r['year']} was already given (row {before})",
    )


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
