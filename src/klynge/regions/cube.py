"""A dense cube of employment: years × regions × activities, with missing cells marked.

The layout puts activities last so that each region's row in a year is contiguous, which is
what the per-region top-N and the per-region totals read. Missing and suppressed cells hold 0 in
``data`` *and* True in ``missing``: sums skip them, and every result for such a cell is NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from klynge.regions.errors import RegionsDataError
from klynge.regions.warnings import DataWarning

AGGREGATE_PREFIXES = ("EU", "EA", "EFTA")


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
        ri = [self.region_index(r) for r in regions] if regions is not None else None
        if activities is not None:
            unknown = [a for a in activities if a not in self.activities]
            if unknown:
                raise RegionsDataError(
                    f"ukendte aktiviteter: {', '.join(unknown)}",
                    f"unknown activities: {', '.join(unknown)}",
                )
        ai = [self.activities.index(a) for a in activities] if activities is not None else None
        yi = [self.year_index(y) for y in years] if years is not None else None

        def cut(arr: np.ndarray) -> np.ndarray:
            if yi is not None:
                arr = arr[yi]
            if ri is not None:
                arr = arr[:, ri]
            if ai is not None:
                arr = arr[:, :, ai]
            return arr

        new_regions = tuple(regions) if regions is not None else self.regions
        new_acts = tuple(activities) if activities is not None else self.activities
        new_years = tuple(years) if years is not None else self.years
        keep = {
            k: v
            for k, v in self.flags.items()
            if k[0] in new_years and k[1] in new_regions and k[2] in new_acts
        }
        return Cube(
            new_years,
            new_regions,
            new_acts,
            np.ascontiguousarray(cut(self.data)),
            np.ascontiguousarray(cut(self.missing)),
            keep,
            None if self.incomplete is None else np.ascontiguousarray(cut(self.incomplete)),
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
        return Cube(self.years, self.regions, tuple(groups), data, missing, {}, incomplete)

    def to_long(self) -> pl.DataFrame:
        """Back to the long table (values null where missing), mainly for round trips."""
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
        flags = [
            self.flags.get((int(yy), rr, aa))
            for yy, rr, aa in zip(years, regions, acts, strict=True)
        ]
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


def from_long(
    df: pl.DataFrame,
    dtype: type[np.floating] = np.float64,
    activity_order: Callable[[Iterable[str]], list[str]] | None = None,
) -> Cube:
    """Build the cube; cells absent from the table are missing, like ':' cells."""
    regions = sorted(_distinct(df["region"]))
    acts_seen = _distinct(df["activity"])
    activities = activity_order(acts_seen) if activity_order else sorted(acts_seen)
    year_col = df["year"].to_numpy()
    if len(year_col) == 0:
        raise RegionsDataError("ingen data", "no data")
    low = int(year_col.min())
    years = [low + int(i) for i in np.flatnonzero(np.bincount(year_col - low))]
    shape = (len(years), len(regions), len(activities))
    data = np.zeros(shape, dtype=dtype)
    missing = np.ones(shape, dtype=bool)
    # Index columns through Enum casts: vectorised, so millions of rows take about a second.
    # The flat index is built in place in one int64 array to keep memory down.
    lookup = np.full(years[-1] - low + 1, -1, dtype=np.int64)
    lookup[np.asarray(years) - low] = np.arange(len(years))
    flat = lookup[year_col - low]
    del year_col
    flat *= len(regions)
    flat += _codes(df["region"], regions, complete=True)
    flat *= len(activities)
    a_idx = _codes(df["activity"], activities, complete=set(activities) >= set(acts_seen))
    flat += a_idx
    v = df["value"]
    vals = (v if v.dtype.is_float() else v.cast(pl.Float64)).to_numpy()  # nulls become NaN
    present = ~np.isnan(vals)
    if len(activities) < len(acts_seen):
        present &= a_idx >= 0
    del a_idx
    if present.all():
        data.reshape(-1)[flat] = vals
        missing.reshape(-1)[flat] = False
    else:
        data.reshape(-1)[flat[present]] = vals[present]
        missing.reshape(-1)[flat[present]] = False
    flags: dict[tuple[int, str, str], str] = {}
    if "flag" in df.columns and df["flag"].null_count() < df.height:
        for rec in df.filter(pl.col("flag").is_not_null()).iter_rows(named=True):
            flags[(int(rec["year"]), rec["region"], rec["activity"])] = rec["flag"]
    return Cube(tuple(years), tuple(regions), tuple(activities), data, missing, flags)


def _distinct(col: pl.Series) -> list[str]:
    """The values present in a column; for Enum columns through their integer codes (fast)."""
    if isinstance(col.dtype, pl.Enum):
        cats = list(col.dtype.categories)
        used = np.bincount(col.to_physical().drop_nulls().to_numpy(), minlength=len(cats))
        return [cats[int(i)] for i in np.flatnonzero(used)]
    return [str(v) for v in col.drop_nulls().unique(maintain_order=True).cast(pl.Utf8).to_list()]


def _codes(col: pl.Series, categories: list[str], complete: bool) -> np.ndarray:
    """Positions of a column's values in ``categories``; -1 for values left out.

    ``complete`` says every value occurs in ``categories``, which allows an Enum cast.
    """
    if complete:
        enum = pl.Enum(categories)
        s = col if col.dtype == enum else col.cast(pl.Utf8).cast(enum)
        return s.to_physical().to_numpy()
    pos = {c: i for i, c in enumerate(categories)}
    return np.fromiter((pos.get(v, -1) for v in col.cast(pl.Utf8).to_list()), np.int64, len(col))


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


def is_aggregate(code: str, all_codes: Iterable[str]) -> bool:
    """EU27_2020, EA19 and codes that prefix other codes (DK0 over DK01) are aggregates."""
    if code.upper().startswith(AGGREGATE_PREFIXES):
        return True
    return any(o != code and o.startswith(code) for o in all_codes)
