"""A dense cube of employment: years × regions × activities, with missing cells marked.

The layout puts activities last so that each region's row in a year is contiguous, which is
what the per-region top-N and the per-region totals read. Missing and suppressed cells hold 0 in
``data`` *and* True in ``missing``: sums skip them, and every result for such a cell is NaN.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from klynge.i18n import Text
from klynge.regions.errors import RegionsDataError
from klynge.regions.warnings import DataWarning

if TYPE_CHECKING:
    import polars as pl

    from klynge.regions.checks import Cells

AGGREGATE_PREFIXES = ("EU", "EA", "EFTA")


def fresh(shape: int | tuple[int, ...], dtype: type | np.dtype[Any]) -> np.ndarray:
    """A zeroed array for the cube's large arrays, in memory mapped without huge pages.

    NumPy asks the kernel for transparent huge pages for every array over 4 MB; on a busy
    machine finding and zeroing 2 MB pages doubled the system time of ``regions nodes`` on a
    large Parquet file (0.35 s against 0.17 s, mean of 5 interleaved runs; the same as with
    ``NUMPY_MADVISE_HUGEPAGE=0``). An anonymous map is zeroed page by page as it is touched.
    """
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if n * dt.itemsize < 1 << 22:
        return np.zeros(shape, dtype=dt)
    m = mmap.mmap(-1, n * dt.itemsize)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        m.madvise(mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(m, dtype=dt, count=n).reshape(shape)


@dataclass(frozen=True)
class Cube:
    years: tuple[int, ...]
    regions: tuple[str, ...]
    activities: tuple[str, ...]
    data: np.ndarray  # (Y, R, A), float; 0 where missing
    missing: np.ndarray  # (Y, R, A), bool
    flags: Mapping[tuple[int, str, str], str] = field(default_factory=dict)
    incomplete: np.ndarray | None = None  # aggregated cells where some parts were missing
    warnings: list[DataWarning] = field(default_factory=list)  # shown beside every result
    suppressed_years: tuple[int, ...] = ()  # years left out: every value in them was suppressed

    def __post_init__(self) -> None:
        shape = (len(self.years), len(self.regions), len(self.activities))
        if self.data.shape != shape or self.missing.shape != shape:
            raise ValueError(f"cube arrays must have shape {shape}")

    @property
    def values(self) -> np.ndarray:
        """The data with NaN where a cell is missing (a copy, for display and tests)."""
        out = self.data.astype(np.float64, copy=True)
        out[self.missing] = np.nan
        return out

    def year_index(self, year: int) -> int:
        try:
            return self.years.index(year)
        except ValueError:
            if year in self.suppressed_years:
                raise RegionsDataError(
                    f"hver værdi i {year} er undertrykt eller mangler; intet kan beregnes for året",
                    f"every value in {year} is suppressed or missing; nothing can be computed "
                    "for that year",
                ) from None
            shown = f"{self.years[0]}–{self.years[-1]}" if self.years else "-"
            raise RegionsDataError(
                f"året {year} findes ikke i data (år: {shown})",
                f"the year {year} is not in the data (years: {shown})",
            ) from None

    def region_index(self, region: str) -> int:
        try:
            return self.regions.index(region)
        except ValueError:
            raise RegionsDataError(
                f"ukendt region {region!r} (regioner: {', '.join(self.regions[:12])})",
                f"unknown region {region!r} (regions: {', '.join(self.regions[:12])})",
            ) from None

    def select(
        self,
        regions: Sequence[str] | None = None,
        activities: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
    ) -> Cube:
        """A sub-cube; axes given in their present order and complete are not copied."""
        if regions is not None:
            rpos = {r: i for i, r in enumerate(self.regions)}
            for r in regions:
                if r not in rpos:
                    self.region_index(r)  # raises with the known regions named
            ri: list[int] | None = [rpos[r] for r in regions]
        else:
            ri = None
        if activities is not None:
            apos = {a: i for i, a in enumerate(self.activities)}
            unknown = [a for a in activities if a not in apos]
            if unknown:
                raise RegionsDataError(
                    f"ukendte aktiviteter: {', '.join(unknown)}",
                    f"unknown activities: {', '.join(unknown)}",
                )
            ai: list[int] | None = [apos[a] for a in activities]
        else:
            ai = None
        yi = [self.year_index(y) for y in years] if years is not None else None
        yi, ri, ai = (
            None if ix is None or ix == list(range(n)) else ix
            for ix, n in (
                (yi, len(self.years)),
                (ri, len(self.regions)),
                (ai, len(self.activities)),
            )
        )

        def cut(arr: np.ndarray) -> np.ndarray:
            if yi is not None:
                arr = arr[yi]
            if ri is not None:
                arr = arr[:, ri]
            if ai is not None:
                arr = arr[:, :, ai]
            return arr if arr.flags.c_contiguous else np.ascontiguousarray(arr)

        new_regions = tuple(regions) if regions is not None else self.regions
        new_acts = tuple(activities) if activities is not None else self.activities
        new_years = tuple(years) if years is not None else self.years
        flags: Mapping[tuple[int, str, str], str]
        if isinstance(self.flags, CellFlags):
            flags = self.flags.cut(new_years, new_regions, new_acts, cut(self.flags.codes))
        else:
            ys, rs, acts = set(new_years), set(new_regions), set(new_acts)
            flags = {
                k: v for k, v in self.flags.items() if k[0] in ys and k[1] in rs and k[2] in acts
            }
        return Cube(
            new_years,
            new_regions,
            new_acts,
            cut(self.data),
            cut(self.missing),
            flags,
            None if self.incomplete is None else cut(self.incomplete),
            list(self.warnings),
            self.suppressed_years,
        )

    def aggregate(
        self, mapping: Mapping[str, str | None], order: Sequence[str] | None = None
    ) -> Cube:
        """Sum activities into groups (e.g. ecosystems); unmapped activities are left out.

        A group cell sums the parts that are present. It is missing only when every part is
        missing, and ``incomplete`` marks cells where some, but not all, parts were missing.
        """
        groups = list(order) if order is not None else []
        for a in self.activities:
            g = mapping.get(a)
            if g is not None and g not in groups:
                groups.append(g)
        y, r = len(self.years), len(self.regions)
        data = np.zeros((y, r, len(groups)), dtype=self.data.dtype)
        present = np.zeros((y, r, len(groups)), dtype=np.int32)
        parts = np.zeros(len(groups), dtype=np.int32)
        for j, a in enumerate(self.activities):
            g = mapping.get(a)
            if g is None:
                continue
            k = groups.index(g)
            data[:, :, k] += self.data[:, :, j]
            present[:, :, k] += ~self.missing[:, :, j]
            parts[k] += 1
        missing = present == 0
        incomplete = (present > 0) & (present < parts[None, None, :])
        return Cube(
            self.years,
            self.regions,
            tuple(groups),
            data,
            missing,
            {},
            incomplete,
            list(self.warnings),
            self.suppressed_years,
        )

    def to_long(self) -> pl.DataFrame:
        """Back to the long table (values null where missing), mainly for round trips."""
        import polars as pl

        y, r, a = np.meshgrid(
            np.arange(len(self.years)),
            np.arange(len(self.regions)),
            np.arange(len(self.activities)),
            indexing="ij",
        )
        vals = self.values.ravel()
        regions = np.asarray(self.regions, dtype=object)[r.ravel()]
        acts = np.asarray(self.activities, dtype=object)[a.ravel()]
        years = np.asarray(self.years)[y.ravel()]
        flags = (
            [f or None for f in self.flags.text().reshape(-1).tolist()]
            if isinstance(self.flags, CellFlags)
            else [
                self.flags.get((int(yy), rr, aa))
                for yy, rr, aa in zip(years, regions, acts, strict=True)
            ]
        )
        return pl.DataFrame(
            {
                "region": regions.tolist(),
                "activity": acts.tolist(),
                "year": years.astype(np.int32),
                "value": [None if np.isnan(v) else float(v) for v in vals],
                "flag": flags,
            },
            schema={
                "region": pl.Utf8,
                "activity": pl.Utf8,
                "year": pl.Int32,
                "value": pl.Float64,
                "flag": pl.Utf8,
            },
        )


class CellFlags(Mapping[tuple[int, str, str], str]):
    """Eurostat flags per cell, kept as one small code a cell (0 = no flag) beside the cube.

    Reads like a dict keyed by (year, region, activity); a cube of millions of cells with a few
    hundred thousand flags costs one byte a cell instead of a Python tuple a flag.
    """

    def __init__(
        self,
        years: Sequence[int],
        regions: Sequence[str],
        activities: Sequence[str],
        codes: np.ndarray,
        names: Sequence[str],
    ) -> None:
        self.years, self.regions, self.activities = tuple(years), tuple(regions), tuple(activities)
        self.codes = codes  # (Y, R, A) uint8
        self.names = ("", *names)
        self._y = {y: i for i, y in enumerate(self.years)}
        self._r = {r: i for i, r in enumerate(self.regions)}
        self._a = {a: i for i, a in enumerate(self.activities)}

    def __getitem__(self, key: tuple[int, str, str]) -> str:
        y, r, a = key
        try:
            code = int(self.codes[self._y[y], self._r[r], self._a[a]])
        except KeyError:
            raise KeyError(key) from None
        if code == 0:
            raise KeyError(key)
        return self.names[code]

    def __iter__(self) -> Iterator[tuple[int, str, str]]:
        for y, r, a in zip(*np.nonzero(self.codes), strict=True):
            yield (self.years[y], self.regions[r], self.activities[a])

    def __len__(self) -> int:
        return int(np.count_nonzero(self.codes))

    def cut(
        self,
        years: Sequence[int],
        regions: Sequence[str],
        activities: Sequence[str],
        codes: np.ndarray,
    ) -> CellFlags:
        return CellFlags(years, regions, activities, codes, self.names[1:])

    def text(self) -> np.ndarray:
        """Every cell's flag as text ('' where none), shaped like the cube."""
        return np.asarray(self.names, dtype=object)[self.codes]


def from_long(
    df: pl.DataFrame,
    dtype: type[np.floating] | None = None,
    activity_order: Callable[[Iterable[str]], list[str]] | None = None,
) -> Cube:
    """Build the cube; cells absent from the table are missing, like ':' cells.

    ``dtype`` defaults to the table's own precision: float32 when the value column is Float32
    (a Parquet file written as float32), else float64. A year in which every value is missing or
    suppressed is left out, with a warning, so that no result can show "0 nodes" for it; asking
    for it by name says why it is not there.
    """
    import polars as pl

    from klynge.regions.readers import _categories as flag_codes
    from klynge.regions.readers import cells_of, forget_values, reader_warnings

    if df.height == 0:
        raise RegionsDataError("ingen data", "no data")
    order = None
    if activity_order is not None:
        seen = cells_of(df).activities
        order = activity_order(seen)
    cells = cells_of(df, order)
    v = df["value"]
    if dtype is None:
        dtype = np.float32 if v.dtype == pl.Float32 else np.float64
    vals = (
        cells.values
        if cells.values is not None
        else (v if v.dtype.is_float() else v.cast(pl.Float64)).to_numpy()  # nulls become NaN
    )
    # The reader's copy of the values may become the cube (no second copy); the table keeps
    # its own column, from which a second cube would be read.
    own = cells.values is not None and vals.dtype == dtype and vals.flags.writeable
    flags = cells.flags
    if flags is None and "flag" in df.columns and df["flag"].null_count() < df.height:
        flags = flag_codes(df["flag"])
    cube, taken = assemble(cells, vals, dtype, flags, reader_warnings(df), own=own)
    if taken:
        forget_values(df)
    return cube


def read(path: str | Path, filters: Mapping[str, str] | None = None) -> Cube:
    """Any supported file as a cube: the readers' checks, then :func:`from_long`.

    A long Parquet file goes from its columns to the cube without a data frame in between
    (:mod:`klynge.regions.parquet`, the same checks), which is the path a large file takes.
    """
    from klynge.regions.checks import check_long
    from klynge.regions.parquet import read_columns

    cols = read_columns(path)
    if cols is None:
        from klynge.regions.readers import read_table

        return from_long(read_table(path, filters=filters))
    cells = check_long(
        cols.source,
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
    flags = (cols.f_codes, cols.flags)
    dtype = cols.values.dtype.type
    return assemble(cells, cols.values, dtype, flags, [], own=True, own_flags=True)[0]


def assemble(
    cells: Cells,
    vals: np.ndarray,
    dtype: type[np.floating],
    flags: tuple[np.ndarray, list[str]] | None,
    warnings: list[DataWarning],
    *,
    own: bool = False,
    own_flags: bool = False,
) -> tuple[Cube, bool]:
    """The cube from checked rows: their places, values (NaN where null) and flag codes.

    ``own``: ``vals`` may become the cube's data when the rows are the cube in order (the
    second value says whether it did; the caller must then not use ``vals`` again);
    ``own_flags``: the flag codes may become the cube's flags the same way.
    """
    years, regions, activities = cells.years, cells.regions, cells.activities
    shape = (len(years), len(regions), len(activities))
    flat = cells.flat
    size = shape[0] * shape[1] * shape[2]
    taken = False
    if flat is None or (cells.ordered and len(flat) == size):
        # Every cell given once, in the cube's own order: the values are the cube as they are.
        taken = own and vals.dtype == dtype
        data = (vals if taken else vals.astype(dtype, copy=True)).reshape(shape)
    else:
        # One scatter into NaN; NaN then marks both the cells absent and the cells null.
        data = fresh(shape, dtype)
        data.fill(np.nan)
        if (flat < 0).any():
            keep = flat >= 0
            data.reshape(-1)[flat[keep]] = vals[keep]
            del keep
        else:
            data.reshape(-1)[flat] = vals
    missing = fresh(shape, np.bool_)
    np.isnan(data, out=missing)
    np.copyto(data, 0, where=missing)
    cell_flags: Mapping[tuple[int, str, str], str] = {}
    if flags is not None:
        f_codes, names = flags
        if flat is None and own_flags and f_codes.dtype == np.int8:
            # Row i is cell i, and the codes are ours: code + 1 (0 for none) in place.
            np.add(f_codes, 1, out=f_codes)
            codes = f_codes.view(np.uint8).reshape(shape)
        elif flat is None:  # row i is cell i
            codes = fresh(shape, np.uint8)
            has = f_codes >= 0
            codes.reshape(-1)[has] = f_codes[has].astype(np.uint8) + 1
        else:
            codes = fresh(shape, np.uint8)
            has = (f_codes >= 0) & (flat >= 0)
            codes.reshape(-1)[flat[has]] = f_codes[has].astype(np.uint8) + 1
        cell_flags = CellFlags(years, regions, activities, codes, names)
    warnings = list(warnings)
    empty: np.ndarray = np.asarray(missing.reshape(len(years), -1).all(axis=1))
    if empty.any() and not empty.all():
        gone = [y for y, e in zip(years, empty, strict=True) if e]
        warnings.append(
            DataWarning(
                "year-all-suppressed",
                Text(
                    da=f"hver værdi er undertrykt eller mangler i {_years(gone)}; året er udeladt",
                    en=f"every value is suppressed or missing in {_years(gone)}; the year is "
                    "left out",
                ),
            )
        )
        kept_years = [y for y, e in zip(years, empty, strict=True) if not e]
        cube = Cube(
            tuple(years), tuple(regions), tuple(activities), data, missing, cell_flags
        ).select(years=kept_years)
        return replace(cube, warnings=warnings, suppressed_years=tuple(gone)), taken
    if empty.all():
        raise RegionsDataError(
            f"hver værdi er undertrykt eller mangler ({_years(years)}): intet at beregne",
            f"every value is suppressed or missing ({_years(years)}): nothing to compute",
        )
    cube = Cube(
        tuple(years),
        tuple(regions),
        tuple(activities),
        data,
        missing,
        cell_flags,
        warnings=warnings,
    )
    return cube, taken


def _years(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in years)


def align(other: Cube, like: Cube) -> np.ndarray:
    """``other``'s values laid out as ``like`` (NaN where ``other`` lacks a cell)."""
    out = np.full(like.data.shape, np.nan)
    yi = [(i, other.years.index(y)) for i, y in enumerate(like.years) if y in other.years]
    ri = [(i, other.regions.index(r)) for i, r in enumerate(like.regions) if r in other.regions]
    ai = [
        (i, other.activities.index(a))
        for i, a in enumerate(like.activities)
        if a in other.activities
    ]
    if not (yi and ri and ai):
        return out
    vals = other.values
    ly, oy = zip(*yi, strict=True)
    lr, orr = zip(*ri, strict=True)
    la, oa = zip(*ai, strict=True)
    out[np.ix_(ly, lr, la)] = vals[np.ix_(oy, orr, oa)]
    return out


def aggregates(codes: Iterable[str]) -> set[str]:
    """The codes among ``codes`` that are aggregates: EU27_2020, EA19, EFTA, and every code that
    is the start of another (DK0 over DK01). One pass over the codes' prefixes."""
    given = set(codes)
    prefixes = {c[:k] for c in given for k in range(1, len(c))}
    return {c for c in given if c.upper().startswith(AGGREGATE_PREFIXES) or c in prefixes}
