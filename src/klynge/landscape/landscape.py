"""The landscape as one queryable object: what was in force on a given day, and names to slugs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal

from klynge.i18n import Text
from klynge.landscape.loader import RawLandscape
from klynge.landscape.model import (
    Area,
    Cluster,
    FocalPoint,
    GeographyClaim,
    Municipality,
    PolicyPeriod,
    Programme,
    Region,
)
from klynge.landscape.resolve import Kind, Match, NameIndex

AreaState = Literal["active", "none", "unknown", "no-cluster-effort"]


@dataclass(frozen=True)
class AreaStatus:
    """Who holds an area on a day, and how sure the data is.

    ``unknown`` means the day falls in a programme whose list of organisations the sources do not
    give; ``last_known`` then names the organisation that held the area before, if its term ended
    normally rather than in bankruptcy or closure.
    """

    area: Area
    on: date
    state: AreaState
    cluster: Cluster | None = None
    last_known: Cluster | None = None
    ended: Cluster | None = None


class Landscape:
    """Read-only view over the validated records. Build it with :func:`get_landscape`."""

    def __init__(self, raw: RawLandscape) -> None:
        self.raw = raw
        self.areas: dict[str, Area] = {
            a.slug: a for a in sorted(raw.areas, key=lambda a: a.position)
        }
        order = {slug: i for i, slug in enumerate(self.areas)}
        self.clusters: dict[str, Cluster] = {
            c.slug: c for c in sorted(raw.clusters, key=lambda c: (order[c.area], c.slug))
        }
        self.regions: dict[str, Region] = {
            r.code: r for r in sorted(raw.regions, key=lambda r: r.code)
        }
        self.municipalities: dict[str, Municipality] = {m.name: m for m in raw.municipalities}
        self.programmes: dict[str, Programme] = {
            p.slug: p for p in sorted(raw.programmes, key=lambda p: p.start)
        }
        self.policy_history: list[PolicyPeriod] = sorted(
            raw.policy_history, key=lambda p: p.start_year
        )
        self.focal_points: list[FocalPoint] = list(raw.focal_points)
        self.geography_claims: list[GeographyClaim] = list(raw.geography_claims)

    # -- by date -------------------------------------------------------------------------------
    def clusters_on(self, on: date) -> list[Cluster]:
        return [c for c in self.clusters.values() if c.active_on(on)]

    def programmes_on(self, on: date) -> list[Programme]:
        return [p for p in self.programmes.values() if p.in_force_on(on)]

    def cluster_for_area(self, area: str, on: date) -> Cluster | None:
        """The organisation that held ``area`` on ``on`` according to the records, if any."""
        self._area(area)
        for c in self.clusters.values():
            if c.area == area and c.active_on(on):
                return c
        return None

    def area_status(self, area: str, on: date) -> AreaStatus:
        a = self._area(area)
        if not a.cluster_effort:
            return AreaStatus(a, on, "no-cluster-effort")
        held = self.cluster_for_area(area, on)
        if held is not None:
            return AreaStatus(a, on, "active", cluster=held)
        before = [
            (t.end, c)
            for c in self.clusters.values()
            if c.area == area
            for t in c.terms
            if t.end is not None and t.end < on
        ]
        latest = max(before, key=lambda x: x[0])[1] if before else None
        ended = latest if latest is not None and self._ended_early(latest) else None
        if self.list_unknown_on(on):
            return AreaStatus(a, on, "unknown", last_known=None if ended else latest, ended=ended)
        return AreaStatus(a, on, "none", ended=ended or latest)

    def _ended_early(self, cluster: Cluster) -> bool:
        return any(e.kind in {"bankrupt", "closed", "merged"} for e in cluster.events)

    def list_unknown_on(self, on: date) -> bool:
        """True when a cluster programme was in force but its list of organisations is unknown."""
        return any(
            p.kind == "cluster-programme" and p.clusters is None for p in self.programmes_on(on)
        )

    def coverage_note(self, on: date) -> Text | None:
        """A caveat to show beside anything computed for a day the data only partly covers."""
        for p in self.programmes_on(on):
            if p.kind == "cluster-programme" and p.clusters is None:
                known = len(self.clusters_on(on))
                n = p.organisations_funded
                total_da = (
                    f"{n} organisationer" if n is not None else "et ukendt antal organisationer"
                )
                total_en = (
                    f"{n} organisations" if n is not None else "an unknown number of organisations"
                )
                return Text(
                    da=(
                        f"{p.name.da} støtter {total_da}, men kilderne nævner kun {known} af dem. "
                        "Brug --on 2024-12-31 for at se det fuldt kendte landskab 2021-2024."
                    ),
                    en=(
                        f"{p.name.en} funds {total_en}, but the sources name only {known} of them. "
                        "Use --on 2024-12-31 to see the fully known 2021-2024 landscape."
                    ),
                )
        return None

    # -- places ---------------------------------------------------------------------------------
    def municipality(self, name: str | None) -> Municipality | None:
        return None if name is None else self.municipalities.get(name)

    def cluster_nuts2(self, slug: str) -> str | None:
        """The NUTS 2 region of a cluster's headquarters, or ``None`` when the sources lack it."""
        c = self.clusters[slug]
        m = self.municipality(c.headquarters.municipality) if c.headquarters else None
        return m.nuts2 if m else None

    # -- names ----------------------------------------------------------------------------------
    @cached_property
    def _names(self) -> NameIndex:
        entries: list[tuple[Kind, str, str, list[str]]] = []
        for a in self.areas.values():
            entries.append(("area", a.slug, a.name.en, [a.name.da, a.name.en]))
        for c in self.clusters.values():
            entries.append(("cluster", c.slug, c.name, c.names))
        for p in self.programmes.values():
            entries.append(("programme", p.slug, p.name.en, [p.name.da, p.name.en]))
        return NameIndex(entries)

    def resolve(self, name: str) -> Match:
        """Resolve a slug, name or alias; raises NameNotFound or AmbiguousName."""
        return self._names.lookup(name)

    def _area(self, slug: str) -> Area:
        try:
            return self.areas[slug]
        except KeyError:
            raise KeyError(f"unknown area {slug!r}") from None
