"""Concentration and specialisation indices, per year, and their change across years.

* Hoover (localisation of an activity): 0.5 Σ_r |x_ra / X_a − X_r / T|, 0 when the activity is
  spread like employment as a whole, approaching 1 when it sits in one small region.
* Krugman (specialisation of a region): Σ_a |x_ra / X_r − E_a / E| against the reference's
  structure; 0 for a region shaped like the reference, at most 2.
* Herfindahl (concentration of a region's employment): Σ_a (x_ra / X_r)²; 1/A at its lowest.

Missing cells count as absent from the sums, as in the LQ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from klynge.regions.cube import Cube
from klynge.regions.lq import Reference


@dataclass(frozen=True)
class Indices:
    cube: Cube
    hoover: np.ndarray  # (Y, A)
    krugman: np.ndarray  # (Y, R)
    herfindahl: np.ndarray  # (Y, R)

    def frame(self) -> pl.DataFrame:
        recs: list[dict[str, object]] = []
        c = self.cube
        for i, y in enumerate(c.years):
            for a, act in enumerate(c.activities):
                recs.append(_rec("hoover", act, y, self.hoover[i, a]))
            for r, reg in enumerate(c.regions):
                recs.append(_rec("krugman", reg, y, self.krugman[i, r]))
                recs.append(_rec("herfindahl", reg, y, self.herfindahl[i, r]))
        return pl.DataFrame(recs)

    def change(self, first: int | None = None, last: int | None = None) -> pl.DataFrame:
        """Each index at the first and last year and the difference (last − first)."""
        c = self.cube
        i = c.year_index(first if first is not None else c.years[0])
        j = c.year_index(last if last is not None else c.years[-1])
        recs: list[dict[str, object]] = []
        for kind, arr, names in (
            ("hoover", self.hoover, c.activities),
            ("krugman", self.krugman, c.regions),
            ("herfindahl", self.herfindahl, c.regions),
        ):
            for k, name in enumerate(names):
                a, b = _num(arr[i, k]), _num(arr[j, k])
                recs.append(
                    {
                        "index": kind,
                        "subject": name,
                        "first_year": c.years[i],
                        "first": a,
                        "last_year": c.years[j],
                        "last": b,
                        "change": None if a is None or b is None else b - a,
                    }
                )
        return pl.DataFrame(recs)


def _num(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


def _rec(kind: str, subject: str, year: int, value: float) -> dict[str, object]:
    return {"index": kind, "subject": subject, "year": year, "value": _num(value)}


def compute(cube: Cube, reference: Reference | None = None) -> Indices:
    x = cube.data.astype(np.float64)
    region_tot = x.sum(axis=2)  # (Y, R)
    act_tot = x.sum(axis=1)  # (Y, A)
    total = region_tot.sum(axis=1)  # (Y,)
    with np.errstate(divide="ignore", invalid="ignore"):
        within = x / act_tot[:, None, :]  # region's share of the activity
        weight = region_tot / total[:, None]  # region's share of all employment
        hoover = 0.5 * np.abs(within - weight[:, :, None]).sum(axis=1)
        hoover[act_tot == 0] = np.nan
        structure = x / region_tot[:, :, None]
        ref = act_tot if reference is None else np.nan_to_num(reference.activity_totals)
        ref_structure = ref / ref.sum(axis=1, keepdims=True)
        krugman = np.abs(structure - ref_structure[:, None, :]).sum(axis=2)
        herfindahl = (structure**2).sum(axis=2)
    krugman[region_tot == 0] = np.nan
    herfindahl[region_tot == 0] = np.nan
    return Indices(cube, hoover, krugman, herfindahl)
