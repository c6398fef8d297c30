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

import threading
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
from klynge.regions.cube import fresh
from klynge.regions.errors import RegionsDataError, data_error

PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class LongColumns:
    """The long table of a Parquet file, one array a column, row i of each being line i + 1.

    ``r_codes``, ``a_codes`` and ``f_codes`` index the sorted ``regions``, ``activities`` and
    ``flags`` (-1: no flag); ``values`` holds NaN where the file has a null, and a null without
    a flag has the flag ':' (not available), as Eurostat writes it. ``in_order`` (the years)
    when the rows are every cell once in the cube's order: row i is then cell i, and the codes
    and years of the rows, which follow from i, are not kept (None).
    """

    source: str
    r_codes: np.ndarray | None
    regions: list[str]
    a_codes: np.ndarray | None
    activities: list[str]
    year: np.ndarray | None  # int16 or int32
    values: np.ndarray  # float32 when the file stores float32, else float64
    f_codes: np.ndarray
    flags: list[str]
    in_order: list[int] | None = None

    def origin(self, i: int, column: str) -> tuple[int, str]:
        """Row i's line (the first row is 1, as in a frame) and the column as named."""
        return i + 1, column

    def cell(self, i: int) -> tuple[int, int, int]:
        """Row i's (year, region code, activity code)."""
        if self.in_order is not None:
            n_r, n_a = len(self.regions), len(self.activities)
            return self.in_order[i // (n_r * n_a)], (i // n_a) % n_r, i % n_a
        assert self.year is not None and self.r_codes is not None and self.a_codes is not None
        return int(self.year[i]), int(self.r_codes[i]), int(self.a_codes[i])

    def describe(self, i: int) -> tuple[str, str, int, float]:
        year, r, a = self.cell(i)
        return self.regions[r], self.activities[a], year, float(self.values[i])

    def codes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every row's region and activity code and year (built when not kept)."""
        if self.in_order is None:
            assert self.year is not None and self.r_codes is not None and self.a_codes is not None
            return self.r_codes, self.a_codes, self.year
        n_y, n_r, n_a = len(self.in_order), len(self.regions), len(self.activities)
        r = np.tile(np.repeat(np.arange(n_r, dtype=code_dtype(n_r)), n_a), n_y)
        a = np.tile(np.arange(n_a, dtype=code_dtype(n_a)), n_y * n_r)
        y = np.repeat(np.asarray(self.in_order, dtype=np.int32), n_r * n_a)
        return r, a, y


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
        pf = pq.ParquetFile(path, read_dictionary=text_cols)
        n = pf.metadata.num_rows
        if n == 0:
            raise RegionsDataError(f"{file}: ingen data", f"{file}: no data")
        names = (region, activity, year, value, flag)
        columns = [*text_cols, year, value]
        # Batch by batch: each column is decoded into a small buffer that the next batch
        # reuses, and copied once into the arrays below. Touching fresh memory is what costs
        # most here (the kernel must zero every new page), so the whole file never exists as
        # Arrow columns beside its arrays. First on the guess that the rows are every cell
        # once in the cube's order (as Eurostat and klynge write long files): then no code of
        # any row needs keeping, only the check that each row follows the one before.
        # The batches' buffers from the C library's allocator, which hands the freed ones
        # back for the next batch; Arrow's default (mimalloc) returned them to the system and
        # faulted in fresh pages each time (0.95 s against 1.33 s of CPU for the whole
        # command, measured). Any pool will do for correctness: a buffer knows its own.
        with _SYSTEM_POOL:
            stream = _Stream(file, n, names, vtype, keep=False)
            try:
                for batch in pf.iter_batches(batch_size=_BATCH, columns=columns):
                    stream.add(batch)
                out = stream.finish()
            except _NotInOrder:
                # The general path: every row's codes and year are kept, for the positions.
                stream = _Stream(file, n, names, vtype, keep=True, values=stream.values)
                for batch in pf.iter_batches(batch_size=_BATCH, columns=columns):
                    stream.add(batch)
                out = stream.finish()
    except RegionsDataError:
        raise
    except Exception as exc:
        raise _unreadable(file, exc) from None
    if any(t != t.strip() for t in (*out.regions, *out.activities)):
        return None  # the polars path strips them and checks again
    return out


_BATCH = 1 << 17


class _SystemPool:
    """Arrow's default memory pool set to the system allocator while any file is being read.

    pyarrow has no pool argument for reading Parquet, so the process default is switched; a
    count of the readers in progress (threads of a server) makes the last one out restore it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readers = 0
        self._before: Any = None

    def __enter__(self) -> None:
        import pyarrow as pa

        with self._lock:
            if self._readers == 0:
                self._before = pa.default_memory_pool()
                pa.set_memory_pool(pa.system_memory_pool())
            self._readers += 1

    def __exit__(self, *exc: object) -> None:
        import pyarrow as pa

        with self._lock:
            self._readers -= 1
            if self._readers == 0:
                pa.set_memory_pool(self._before)


_SYSTEM_POOL = _SystemPool()


class _NotInOrder(Exception):
    """The rows are not every cell once in the cube's order: read again, keeping the codes."""


class _Codes:
    """A text column as codes: each batch's dictionary is mapped to ids in the order the
    strings are first seen, and at the end the ids are renumbered in sorted order (no work
    when the file lists them sorted, as a long file in the cube's order does). ``keep``: the
    ids of every row are kept; else only those of the last batch."""

    def __init__(
        self, n: int, file: str, name: str, *, nulls: bool, keep: bool, small: bool = False
    ) -> None:
        self.ids: dict[str, int] = {}
        # int16 (int8 where few codes are expected, as flags); widening copies the column.
        dt = np.int8 if small else np.int16
        self.out = fresh(n, dt) if keep else np.empty(min(n, _BATCH), dtype=dt)
        self.keep = keep
        self.file, self.name, self.nulls = file, name, nulls
        self._dictionary: Any = None
        self._look = np.empty(0, dtype=dt)

    def add(self, col: Any, start: int) -> np.ndarray:
        """The batch's ids (a view that the next batch may overwrite)."""
        d = col.dictionary
        if self._dictionary is None or not self._dictionary.equals(d):
            ids = [
                -1 if w is None else self.ids.setdefault(w, len(self.ids)) for w in d.to_pylist()
            ]
            dt = code_dtype(len(self.ids))
            if np.dtype(dt).itemsize > self.out.itemsize:
                self.out = self.out.astype(dt)
            # One slot more for a null, which the indices are filled with.
            self._look = np.asarray([*ids, -1], dtype=self.out.dtype)
            self._dictionary = d
        idx = col.indices
        if idx.null_count:
            if not self.nulls:
                valid = _valid(idx)
                i = start + first(~valid)
                raise data_error(self.file, i + 1, self.name, "cellen er tom", "the cell is empty")
            idx = idx.fill_null(len(d))
        at = start if self.keep else 0
        part = self.out[at : at + len(col)]
        np.take(self._look, _buffer(idx), out=part)
        return part

    def in_order(self) -> bool:
        """Whether the strings were first seen in sorted order (ids are then the sorted codes)."""
        words = list(self.ids)
        return words == sorted(words)

    def finish(self) -> tuple[np.ndarray, list[str]]:
        """The codes into the sorted names, and the names."""
        words = list(self.ids)
        names = sorted(words)
        if names != words:
            rank = {w: i for i, w in enumerate(names)}
            look = np.asarray([rank[w] for w in words] + [-1], dtype=self.out.dtype)
            for s in range(0, len(self.out), _BATCH):
                part = self.out[s : s + _BATCH]
                part[:] = look[part]
        return self.out, names


class _Stream:
    """The arrays of :class:`LongColumns`, filled batch by batch.

    Unless ``keep``, the rows must be every cell once in the cube's order, and only that is
    checked: each row's (year, region, activity) must come after the one before, with regions
    and activities first seen in sorted order, and there must be as many rows as years ×
    regions × activities. Strictly rising, no cell can come twice; as many as the cube has
    cells, every cell is there, in order. Anything else raises :class:`_NotInOrder`.
    """

    def __init__(
        self,
        file: str,
        n: int,
        names: tuple[str, str, str, str, str | None],
        vtype: Any,
        *,
        keep: bool,
        values: np.ndarray | None = None,
    ) -> None:
        import pyarrow as pa

        self.file, self.n, self.start, self.keep = file, n, 0, keep
        self.names = names
        region, activity, _, _, flag = names
        self.regions = _Codes(n, file, region, nulls=False, keep=keep)
        self.activities = _Codes(n, file, activity, nulls=False, keep=keep)
        self.flags = (
            _Codes(n, file, flag, nulls=True, keep=True, small=True) if flag is not None else None
        )
        # Years as int16 while they fit (every real year does), else int32.
        self.year = fresh(n if keep else 0, np.int16)
        # The file's precision when it is float32, else float64.
        dt = np.float32 if vtype == pa.float32() else np.float64
        self.values = values if values is not None else fresh(n, dt)
        self.years: list[int] = []  # unless keep: the years, as the rows rise through them
        self.last: int | None = None  # unless keep: the last row's key

    def add(self, batch: Any) -> None:
        region, activity, year, value, flag = self.names
        start, k = self.start, batch.num_rows
        if k == 0:
            return
        rp = self.regions.add(batch.column(region), start)
        ap = self.activities.add(batch.column(activity), start)
        if self.flags is not None:
            self.flags.add(batch.column(flag), start)
        y = batch.column(year)
        if y.null_count:
            i = start + first(~_valid(y))
            raise data_error(self.file, i + 1, year, "cellen er tom", "the cell is empty")
        ys = _buffer(y)
        low, high = int(ys.min()), int(ys.max())
        if low < -(2**31) or high >= 2**31:
            i = start + first((ys < -(2**31)) | (ys >= 2**31))
            raise data_error(
                self.file,
                i + 1,
                year,
                f"{ys[i - start]} kan ikke læses som årstal",
                f"{ys[i - start]} cannot be read as a year",
            )
        if self.keep:
            if self.year.dtype == np.int16 and (low < -(2**15) or high >= 2**15):
                self.year = self.year.astype(np.int32)
            self.year[start : start + k] = ys
        else:
            self._follows(ys, rp, ap, low, high)
        v = batch.column(value)
        part = self.values[start : start + k]
        part[:] = _buffer(v)
        if v.null_count:
            part[~_valid(v)] = np.nan
        self.start += k

    def _follows(self, ys: np.ndarray, rp: np.ndarray, ap: np.ndarray, low: int, high: int) -> None:
        """Each row's (year, region, activity) after the previous row's, as one rising key."""
        if low < -(2**15) or high >= 2**15 or rp.dtype != np.int16 or ap.dtype != np.int16:
            raise _NotInOrder
        key = ys.astype(np.int64)
        key <<= 16
        key += rp
        key <<= 16
        key += ap
        if self.last is not None and not key[0] > self.last:
            raise _NotInOrder
        if len(key) > 1 and not bool((key[1:] > key[:-1]).all()):
            raise _NotInOrder
        self.last = int(key[-1])
        # Years rise with the rows: a new one starts where the year changes.
        if not self.years or self.years[-1] != int(ys[0]):
            self.years.append(int(ys[0]))
        if int(ys[-1]) != self.years[-1]:
            change = np.flatnonzero(ys[1:] != ys[:-1]) + 1
            self.years.extend(int(ys[c]) for c in change)

    def finish(self) -> LongColumns:
        if not self.keep:
            n_y, n_r, n_a = len(self.years), len(self.regions.ids), len(self.activities.ids)
            if not (
                self.n == n_y * n_r * n_a and self.regions.in_order() and self.activities.in_order()
            ):
                raise _NotInOrder
        r_codes, r_names = self.regions.finish()
        a_codes, a_names = self.activities.finish()
        if self.flags is not None:
            f_codes, f_names = self.flags.finish()
        else:
            f_codes, f_names = fresh(self.n, np.int8), []
            f_codes.fill(-1)
        # A null value without a flag is ':' (not available), as Eurostat writes it.
        used = ":" in f_names  # the file's own ':' flag stays a name
        colon = f_names.index(":") if used else len(f_names)
        if colon == len(f_names):
            f_names = [*f_names, ":"]
        dt = code_dtype(len(f_names))
        if np.dtype(dt).itemsize > f_codes.itemsize:
            f_codes = f_codes.astype(dt)
        for s in range(0, self.n, _BATCH):
            f = f_codes[s : s + _BATCH]
            gap = np.isnan(self.values[s : s + _BATCH])
            gap &= f < 0
            if gap.any():
                f[gap] = colon
                used = True
        if f_names[-1] == ":" and not used:
            f_names = f_names[:-1]
        elif sorted(f_names) != f_names:
            # ':' sorts before letters; keep the codes indexing the sorted names.
            names = sorted(f_names)
            look = np.asarray([names.index(w) for w in f_names] + [-1], dtype=f_codes.dtype)
            for s in range(0, self.n, _BATCH):
                part = f_codes[s : s + _BATCH]
                part[:] = look[part]
            f_names = names
        return LongColumns(
            self.file,
            r_codes if self.keep else None,
            r_names,
            a_codes if self.keep else None,
            a_names,
            self.year if self.keep else None,
            self.values,
            f_codes,
            f_names,
            None if self.keep else list(self.years),
        )


def _unreadable(file: str, exc: Exception) -> RegionsDataError:
    return data_error(file, None, None, f"kan ikke læses ({exc})", f"cannot be read ({exc})")


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


def _valid(arr: Any) -> np.ndarray:
    """An Arrow array's validity bitmap as booleans (True: a value, False: a null)."""
    n = len(arr)
    bits = np.unpackbits(
        np.frombuffer(arr.buffers()[0], dtype=np.uint8), bitorder="little", count=arr.offset + n
    )
    return bits[arr.offset :].view(bool)
