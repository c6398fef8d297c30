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
    Source,
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
        self.sources: dict[str, Source] = {s.ref: s for s in raw.sources}

    # -- what the records cover ----------------------------------------------------------------
    @cached_property
    def records_start(self) -> date | None:
        """The first day of the first cluster programme: the records say nothing before it."""
        starts = [p.start for p in self.programmes.values() if p.kind == "cluster-programme"]
        return min(starts) if starts else None

    @cached_property
    def records_end(self) -> date | None:
        """The last day of the last cluster programme: the records say nothing after it."""
        ends = [
            p.end
            for p in self.programmes.values()
            if p.kind == "cluster-programme" and p.end is not None
        ]
        return max(ends) if ends else None

    @cached_property
    def fully_known_until(self) -> date | None:
        """The last day of the last cluster programme whose list of organisations is known."""
        ends = [
            p.end
            for p in self.programmes.values()
            if p.kind == "cluster-programme" and p.clusters is not None and p.end is not None
        ]
        return max(ends) if ends else None

    def default_day(self, today: date | None = None) -> date:
        """The one default date: the last day the records cover in full, or today if earlier."""
        now = today or date.today()
        until = self.fully_known_until
        return now if until is None or now < until else until

    def before_records(self, on: date) -> bool:
        return self.records_start is not None and on < self.records_start

    def after_records(self, on: date) -> bool:
        return self.records_end is not None and on > self.records_end

    # -- by date -------------------------------------------------------------------------------
    def clusters_on(self, on: date) -> list[Cluster]:
        """The organisations the records show surely active on ``on``."""
        return [c for c in self.clusters.values() if c.active_on(on)]

    def clusters_in(self, programme: str) -> list[Cluster]:
        """The organisations the records place in ``programme`` (a term names it)."""
        return [c for c in self.clusters.values() if any(t.programme == programme for t in c.terms)]

    def clusters_maybe_on(self, on: date) -> list[Cluster]:
        """Organisations whose term may or may not cover ``on`` (a bound without a day)."""
        return [c for c in self.clusters.values() if c.status_on(on) == "maybe"]

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
        maybe = [c for c in self.clusters.values() if c.area == area and c.status_on(on) == "maybe"]
        if maybe:
            return AreaStatus(a, on, "unknown", last_known=maybe[0])
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
        """True when the records cannot say who held the areas on ``on``.

        That is a day in a cluster programme whose list of organisations the sources do not give,
        and any day before the first or after the last cluster programme the records hold.
        """
        return (
            self.before_records(on)
            or self.after_records(on)
            or any(
                p.kind == "cluster-programme" and p.clusters is None for p in self.programmes_on(on)
            )
        )

    def coverage_note(self, on: date) -> Text | None:
        """Every caveat for ``on`` (see :func:`coverage_caveats`) as one text, or ``None``."""
        notes = coverage_caveats(self, on)
        if not notes:
            return None
        return Text(da=" ".join(t.da for _, t in notes), en=" ".join(t.en for _, t in notes))

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


def _names(clusters: list[Cluster]) -> str:
    return ", ".join(c.name for c in clusters)


def coverage_caveats(ls: Landscape, on: date) -> list[tuple[str, Text]]:
    """What a reader must know about the records on ``on``, as (code, text) pairs.

    ``before-records``: the day precedes the first cluster programme (earlier innovation networks
    are not in the data). ``after-records``: the day follows the last programme the records hold.
    ``list-unknown``: a programme whose organisations the sources do not list. ``date-imprecise``:
    an organisation whose term starts or ends in the month or year of ``on`` at a day no source
    gives.
    """
    from klynge.landscape import fmt  # Babel loads only when a caveat is worded

    out: list[tuple[str, Text]] = []
    if ls.before_records(on) and ls.records_start is not None:
        start = ls.records_start
        out.append(
            (
                "before-records",
                Text(
                    da=f"De nationale klyngeorganisationer begyndte den {fmt.day(start, 'da')}. "
                    "De afløste tidligere innovationsnetværk (17 i 2019-2020), som data ikke "
                    "dækker; et tal før da tæller altså ikke klyngeindsatsen på datoen.",
                    en=f"The national cluster organisations began on {fmt.day(start, 'en')}. "
                    "They replaced earlier innovation networks (17 in 2019-2020), which the "
                    "data does not cover; a count before then does not measure the cluster "
                    "effort on the day.",
                ),
            )
        )
    if ls.after_records(on) and ls.records_end is not None:
        end = ls.records_end
        out.append(
            (
                "after-records",
                Text(
                    da=f"Data slutter den {fmt.day(end, 'da')}. Landskabet efter den dato er "
                    "ukendt, ikke tomt: ingen kilde siger, hvilke klynger der findes da.",
                    en=f"The records end on {fmt.day(end, 'en')}. The landscape after that day "
                    "is unknown, not empty: no source says which clusters exist then.",
                ),
            )
        )
    for p in ls.programmes_on(on):
        if p.kind != "cluster-programme" or p.clusters is not None:
            continue
        known = len(ls.clusters_on(on)) + len(ls.clusters_maybe_on(on))
        n = p.organisations_funded
        total_da = f"{n} organisationer" if n is not None else "et antal organisationer"
        total_en = f"{n} organisations" if n is not None else "a number of organisations"
        until = ls.fully_known_until
        tail_da = f" Landskabet er fuldt kendt til og med {fmt.day(until, 'da')}." if until else ""
        tail_en = f" The landscape is fully known up to {fmt.day(until, 'en')}." if until else ""
        out.append(
            (
                "list-unknown",
                Text(
                    da=f"{p.name.da} støtter {total_da}, men kilderne nævner kun {known} af dem."
                    + tail_da,
                    en=f"{p.name.en} funds {total_en}, but the sources name only {known} of "
                    "them." + tail_en,
                ),
            )
        )
    maybe = ls.clusters_maybe_on(on)
    if maybe:
        out.append(
            (
                "date-imprecise",
                Text(
                    da=f"Kilderne dater kun begyndelsen eller slutningen af perioden for "
                    f"{_names(maybe)} til en måned eller et år, så det er uvist, om perioden "
                    "omfatter datoen.",
                    en=f"The sources date the start or end of the term of {_names(maybe)} "
                    "only to a month or a year, so it is not known whether the term covers "
                    "the day.",
                ),
            )
        )
    return out
