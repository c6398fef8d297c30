"""A long Parquet file read as arrays: text columns as codes, years and values as NumPy.

pyarrow hands over each text column as the file's own dictionary (a small integer a row, never
a string), and the numbers come straight out of Arrow's buffers, a null value becoming NaN
through the validity bitmap. Neither polars nor pandas is loaded on this path: on a file of 18
million cells the imports would otherwise cost as much as the reading. A file this path does not
take (a wide table, text in the year or value column, codes with spaces around them) gives
None, and :func:`klynge.regions.readers.read_table` reads it through polars instead; both paths
end in the same checks (:func:`klynge.regions.checks.check_long`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from klynge.regions.checks import (
    ACTIVITY_NAMES,
    FLAG_NAMES,
    REGION_NAMES,
    VALUE_NAMES,
    YEAR_NAMES,
    code_dtype,
    find_column,
    first,
)
from klynge.regions.errors import RegionsDataError, data_error

PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class LongColumns:
    """The long table of a Parquet file, one array a column, row i of each being line i + 1.

    ``r_codes``, ``a_codes`` and ``f_codes`` index the sorted ``regions``, ``activities`` and
    ``flags`` (-1: no flag); ``values`` holds NaN where the file has a null, and a null without
    a flag has the flag ':' (not available), as Eurostat writes it.
    """

    source: str
    r_codes: np.ndarray
    regions: list[str]
    a_codes: np.ndarray
    activities: list[str]
    year: np.ndarray  # int32
    values: np.ndarray  # float32 when the file stores float32, else float64
    f_codes: np.ndarray
    flags: list[str]

    def origin(self, i: int, column: str) -> tuple[int, str]:
        """Row i's line (the first row is 1, as in a frame) and the column as named."""
        return i + 1, column

    def describe(self, i: int) -> tuple[str, str, int, float]:
        return (
            self.regions[int(self.r_codes[i])],
            self.activities[int(self.a_codes[i])],
            int(self.year[i]),
            float(self.values[i]),
        )


def is_parquet(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def read_columns(path: str | Path) -> LongColumns | None:
    """The file as arrays when it is a long Parquet table with text codes, integer years and
    numeric values; None for anything else (the polars readers take it, or say what is wrong).

    A file that starts as Parquet but cannot be read is an error naming the file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file() or not is_parquet(path):
        return None
    file = str(path)
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
    except Exception as exc:
        raise _unreadable(file, exc) from None
    cols = list(schema.names)
    region, year = find_column(cols, REGION_NAMES), find_column(cols, YEAR_NAMES)
    activity, value = find_column(cols, ACTIVITY_NAMES), find_column(cols, VALUE_NAMES)
    flag = find_column(cols, FLAG_NAMES)

    def texty(t: Any) -> bool:
        return bool(
            pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
        ) or (pa.types.is_dictionary(t) and texty(t.value_type))

    if region is None or activity is None or year is None or value is None:
        return None
    vtype = schema.field(value).type
    if not (
        texty(schema.field(region).type)
        and texty(schema.field(activity).type)
        and pa.types.is_integer(schema.field(year).type)
        and (pa.types.is_floating(vtype) or pa.types.is_integer(vtype))
        and (flag is None or texty(schema.field(flag).type))
    ):
        return None
    text_cols = [c for c in (region, activity, flag) if c is not None]
    try:
        # ParquetFile, not read_table: read_table loads pyarrow.dataset (and pandas), 0.6 s.
        # One read of every column lets pyarrow decode them side by side.
        tb = pq.ParquetFile(path, read_dictionary=text_cols).read(columns=[*text_cols, year, value])
    except Exception as exc:
        raise _unreadable(file, exc) from None
    if tb.num_rows == 0:
        raise RegionsDataError(f"{file}: ingen data", f"{file}: no data")
    r_codes, r_names = _codes(tb.column(region), file, "region")
    a_codes, a_names = _codes(tb.column(activity), file, "activity")
    if any(t != t.strip() for t in (*r_names, *a_names)):
        return None  # the polars path strips them and checks again
    years = _numbers(tb.column(year), file, year, nulls=False)
    if years.dtype != np.int32:
        if years.size and (years.min() < np.iinfo(np.int32).min or years.max() > 2**31 - 1):
            i = first((years < np.iinfo(np.int32).min) | (years > 2**31 - 1))
            raise data_error(
                file,
                i + 1,
                year,
                f"{years[i]} kan ikke læses som årstal",
                f"{years[i]} cannot be read as a year",
            )
        years = years.astype(np.int32)
    vals = _numbers(tb.column(value), file, value, nulls=True)
    if vals.dtype != np.float32:
        vals = vals.astype(np.float64, copy=False)
    if flag is not None:
        f_codes, f_names = _codes(tb.column(flag), file, flag, nulls=True)
    else:
        f_codes, f_names = np.full(len(vals), -1, dtype=np.int8), []
    del tb
    gap = np.isnan(vals)
    gap &= f_codes < 0
    if gap.any():
        if ":" not in f_names:
            grown = sorted([*f_names, ":"])
            look = np.asarray([grown.index(n) for n in f_names] + [-1], dtype=np.int16)
            f_codes, f_names = look[f_codes], grown
        f_codes[gap] = f_names.index(":")
    return LongColumns(file, r_codes, r_names, a_codes, a_names, years, vals, f_codes, f_names)


def _unreadable(file: str, exc: Exception) -> RegionsDataError:
    return data_error(file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})")


def _codes(col: Any, file: str, name: str, *, nulls: bool = False) -> tuple[np.ndarray, list[str]]:
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
    dt = code_dtype(len(names))
    looks = [np.asarray([pos.get(w, -1) for w in words] + [-1], dtype=dt) for words in words_of]
    out = np.empty(len(col), dtype=dt)
    offset = 0
    for chunk, k in zip(col.chunks, which, strict=True):
        n_words = len(words_of[k])
        idx = chunk.indices
        if idx.null_count:
            idx = idx.fill_null(n_words)
        arr = _buffer(idx)
        if chunk.null_count and not nulls:
            i = offset + first(arr == n_words)
            raise data_error(file, i + 1, name, "cellen er tom", "the cell is empty")
        np.take(looks[k], arr, out=out[offset : offset + len(chunk)])
        offset += len(chunk)
    return out, names


def _dtype(t: Any) -> np.dtype[Any]:
    """The NumPy type of a fixed-width Arrow integer or float type."""
    import pyarrow as pa

    kind = "f" if pa.types.is_floating(t) else ("i" if pa.types.is_signed_integer(t) else "u")
    return np.dtype(f"<{kind}{t.bit_width // 8}")


def _buffer(arr: Any) -> np.ndarray:
    """A fixed-width Arrow array's values as NumPy, zero-copy (Arrow's own ``to_numpy`` loads
    pandas for some types, half a second). Null slots hold whatever the writer left there."""
    dt = _dtype(arr.type)
    data = arr.buffers()[1]
    return np.frombuffer(data, dtype=dt, count=len(arr), offset=arr.offset * dt.itemsize)


def _numbers(col: Any, file: str, name: str, *, nulls: bool) -> np.ndarray:
    """A numeric column as one NumPy array; a null is NaN where ``nulls`` allows it (the column
    becomes float), and an error naming its row otherwise."""
    chunks = [c for c in col.chunks if len(c)]
    if not chunks:
        return np.empty(0, dtype=np.float64 if nulls else np.int32)
    dtype = _dtype(col.type)
    if nulls and dtype.kind != "f":
        dtype = np.dtype(np.float64)
    out = np.empty(len(col), dtype=dtype)
    offset = 0
    for chunk in chunks:
        n = len(chunk)
        part = out[offset : offset + n]
        part[:] = _buffer(chunk)
        if chunk.null_count:
            valid = np.unpackbits(
                np.frombuffer(chunk.buffers()[0], dtype=np.uint8),
                bitorder="little",
                count=chunk.offset + n,
            )[chunk.offset :].view(bool)
            if not nulls:
                i = offset + first(~valid)
                raise data_error(file, i + 1, name, "cellen er tom", "the cell is empty")
            part[~valid] = np.nan
        offset += n
    return out
