"""Readers that turn employment files into one long table: region, activity, year, value, flag.

Every reader keeps a missing or suppressed cell as a null value with its flag (Eurostat's ':'
and ': c'), never as zero, and names file, row and column when a cell cannot be read.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from klynge.regions.errors import RegionsDataError, data_error

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
# and column a person sees, not a position in the long table.
_LINE, _COLUMN = "__line", "__column"


def _with_origin(df: pl.DataFrame, origin: list[tuple[int, str]]) -> pl.DataFrame:
    return df.with_columns(
        pl.Series(_LINE, [o[0] for o in origin], pl.Int64),
        pl.Series(_COLUMN, [o[1] for o in origin], pl.Utf8),
    )


def _origin(df: pl.DataFrame, i: int, column: str) -> tuple[int, str]:
    """Line and column of the long table's row ``i``; ``column`` when the file had it as is."""
    line = int(df[_LINE][i]) if _LINE in df.columns else i + 2
    if column == "value" and _COLUMN in df.columns:
        column = str(df[_COLUMN][i])
    return line, column


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", newline="")


def _not_found(path: Path) -> RegionsDataError:
    if path.is_dir():
        return data_error(
            str(path), None, None, "er en mappe, ikke en fil", "is a directory, not a file"
        )
    return data_error(str(path), None, None, "filen findes ikke", "the file does not exist")


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


def read_eurostat_tsv(path: str | Path, filters: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Eurostat's bulk TSV: a header like ``unit,nace_r2,geo\\time`` and one column a year."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    file = str(path)
    filters = {k.lower(): v for k, v in (filters or {}).items()}
    rows: list[tuple[str, str, int, float | None, str | None]] = []
    origin: list[tuple[int, str]] = []  # (line, column) of each cell, for error messages
    with _open_text(path) as fh:
        header_line = fh.readline().rstrip("\r\n")
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
        for lineno, line in enumerate(fh, start=2):
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
                    f"{len(dims)}",
                    f"{len(parts)} cells and {len(keys)} keys; the header has {len(cells)} and "
                    f"{len(dims)}",
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
    return _checked(_with_origin(_frame(rows), origin), file)


def read_sdmx_csv(path: str | Path, filters: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Eurostat's SDMX-CSV: DATAFLOW, ..., geo, TIME_PERIOD, OBS_VALUE, OBS_FLAG."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    file = str(path)
    filters = {k.lower(): v for k, v in (filters or {}).items()}
    rows: list[tuple[str, str, int, float | None, str | None]] = []
    origin: list[tuple[int, str]] = []
    with _open_text(path) as fh:
        reader = csv.reader(fh)
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
        for lineno, rec in enumerate(reader, start=2):
            if not rec or not any(c.strip() for c in rec):
                continue
            if len(rec) != len(header):
                raise data_error(
                    file,
                    lineno,
                    None,
                    f"{len(rec)} felter, men hovedet har {len(header)}",
                    f"{len(rec)} fields, but the header has {len(header)}",
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
                if value is None and flag == "":
                    flag = ":"
            if value is None and flag is None:
                flag = ":"
            year = _year(rec[idx["time_period"]], file, lineno, "TIME_PERIOD")
            rows.append((rec[idx["geo"]].strip(), rec[idx["nace_r2"]].strip(), year, value, flag))
            origin.append((lineno, "OBS_VALUE"))
    _pick_filters(others, seen, filters, file)
    return _checked(_with_origin(_frame(rows), origin), file)


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {c.strip().lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


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
    df = df.with_row_index(_LINE, offset=first_row)
    region = _find(cols, REGION_NAMES)
    year = _find(cols, YEAR_NAMES)
    activity = _find(cols, ACTIVITY_NAMES)
    value = _find(cols, VALUE_NAMES)
    flag = _find(cols, FLAG_NAMES)
    for name, col in (("region", region), ("year", year)):
        if col is None:
            raise data_error(
                source,
                None,
                name,
                f"kolonnen mangler (kolonner: {', '.join(cols)})",
                f"the column is missing (columns: {', '.join(cols)})",
            )
    assert region is not None and year is not None
    if activity is None:
        if value is not None:
            raise data_error(
                source,
                None,
                "activity",
                "der er en værdikolonne, men ingen aktivitetskolonne",
                "there is a value column but no activity column",
            )
        value_cols = [c for c in cols if c not in (region, year)]
        df = df.unpivot(
            index=[region, year, _LINE],
            on=value_cols,
            variable_name="activity",
            value_name="value",
        ).with_columns(pl.col("activity").alias(_COLUMN))
        activity, value = "activity", "value"
    if value is None:
        raise data_error(
            source,
            None,
            "value",
            f"kolonnen mangler (kolonner: {', '.join(cols)})",
            f"the column is missing (columns: {', '.join(cols)})",
        )
    out = df.select(
        pl.col(region).cast(pl.Utf8).str.strip_chars().alias("region"),
        pl.col(activity).cast(pl.Utf8).str.strip_chars().alias("activity"),
        pl.col(year).alias("year"),
        pl.col(value).alias("value"),
        (pl.col(flag).cast(pl.Utf8) if flag is not None else pl.lit(None, pl.Utf8)).alias("flag"),
        pl.col(_LINE).cast(pl.Int64),
        *([pl.col(_COLUMN)] if _COLUMN in df.columns else []),
    )
    out = _coerce(out, source)
    return _checked(out, source)


def _parse_values(df: pl.DataFrame, source: str) -> pl.DataFrame:
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
        v, f = parse_cell(raw[i], source, *_origin(df, i, "value"))
        values[i] = v
        if f is not None:
            flags[i] = f
    return df.with_columns(
        pl.Series("value", values, pl.Float64), pl.Series("flag", flags, pl.Utf8)
    )


def _coerce(df: pl.DataFrame, source: str) -> pl.DataFrame:
    """Cast year and value, naming the first row that will not cast."""
    for col, target in (("year", pl.Int32), ("value", pl.Float64)):
        if df.schema[col] == target:
            continue
        if df.schema[col] == pl.Utf8:
            # Text values may carry Eurostat flags, as in '12.3 p' or ': c'.
            if col == "value":
                df = _parse_values(df, source)
                continue
            # Only a plain year: '2020Q1' or '2020-06' cut to '2020' would quietly merge periods.
            text = df[col].str.strip_chars()
            cast = text.str.extract(r"^(\d{4})$").cast(target, strict=False)
        else:
            cast = df[col].cast(target, strict=False)
        bad = (cast.is_null() & df[col].is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise data_error(
                source,
                *_origin(df, i, col),
                f"{df[col][i]!r} kan ikke læses som {'årstal' if col == 'year' else 'tal'}",
                f"{df[col][i]!r} cannot be read as a {'year' if col == 'year' else 'number'}",
            )
        df = df.with_columns(cast.alias(col))
    return df.with_columns(
        pl.when(pl.col("value").is_null() & pl.col("flag").is_null())
        .then(pl.lit(":"))
        .otherwise(pl.col("flag"))
        .alias("flag")
    )


def _checked(df: pl.DataFrame, source: str) -> pl.DataFrame:
    """Refuse empty input, negative employment and cells given twice."""
    if df.height == 0:
        raise RegionsDataError(f"{source}: ingen data", f"{source}: no data")
    for col in ("region", "activity", "year"):
        empty = df[col].is_null()
        if df[col].dtype == pl.Utf8:
            empty = empty | (df[col] == "")
        hit = empty.arg_true()
        if len(hit):
            raise data_error(
                source, *_origin(df, int(hit[0]), col), "cellen er tom", "the cell is empty"
            )
    neg = (df["value"] < 0).arg_true()
    if len(neg):
        i = int(neg[0])
        r = df.row(i, named=True)
        raise data_error(
            source,
            *_origin(df, i, "value"),
            f"negativ beskæftigelse {r['value']} for {r['region']}/{r['activity']}/{r['year']}",
            f"negative employment {r['value']} for {r['region']}/{r['activity']}/{r['year']}",
        )
    # The second occurrence is the one to name, with the line of the first.
    key = pl.struct("region", "activity", "year")
    dup = df.select(~key.is_first_distinct()).to_series().arg_true()
    if len(dup):
        i = int(dup[0])
        r = df.row(i, named=True)
        first = int(
            (
                (df["region"] == r["region"])
                & (df["activity"] == r["activity"])
                & (df["year"] == r["year"])
            ).arg_true()[0]
        )
        line, column = _origin(df, i, "value")
        before = _origin(df, first, "value")[0]
        raise data_error(
            source,
            line,
            column if _COLUMN in df.columns else None,
            f"cellen {r['region']}/{r['activity']}/{r['year']} står der allerede (række {before})",
            f"the cell {r['region']}/{r['activity']}/{r['year']} was already given (row {before})",
        )
    return df.drop([c for c in (_LINE, _COLUMN) if c in df.columns])


def read_long(path: str | Path) -> pl.DataFrame:
    """A long (or wide-by-activity) CSV or Parquet file."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            df = pl.read_parquet(path)
        else:
            df = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    except Exception as exc:
        raise data_error(
            str(path), None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})"
        ) from exc
    is_csv = path.suffix.lower() not in (".parquet", ".pq")
    return from_dataframe(df, source=str(path), first_row=2 if is_csv else 1)


def detect_format(path: Path) -> str:
    """'parquet', 'tsv' (Eurostat), 'sdmx' or 'long' from the name and the first line."""
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    with _open_text(path) as fh:
        first = fh.readline()
    if "\t" in first and "\\" in first.split("\t")[0]:
        return "tsv"
    if "obs_value" in first.lower() and "time_period" in first.lower():
        return "sdmx"
    return "long"


def read_table(
    path: str | Path, fmt: str = "auto", filters: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Read any supported file into the long table, detecting the format unless given."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    if path.stat().st_size == 0:
        raise data_error(str(path), None, None, "filen er tom", "the file is empty")
    kind = detect_format(path) if fmt == "auto" else fmt
    if kind == "tsv":
        return read_eurostat_tsv(path, filters)
    if kind == "sdmx":
        return read_sdmx_csv(path, filters)
    if kind in ("long", "parquet", "csv"):
        return read_long(path)
    raise RegionsDataError(
        f"ukendt format {fmt!r}: brug auto, tsv, sdmx, long eller parquet",
        f"unknown format {fmt!r}: use auto, tsv, sdmx, long or parquet",
    )
