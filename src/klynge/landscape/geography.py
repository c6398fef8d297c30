"""Where the cluster organisations sit, computed from their headquarters, set beside the sources.

A claim such as "seven in Jutland, one in Odense, six in the Copenhagen area" can be confirmed,
contradicted, or left open by headquarters the sources do not give. This module says which.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from klynge.i18n import Text
from klynge.landscape.landscape import Landscape
from klynge.landscape.model import GeographyClaim, PartOfCountry

PARTS: dict[PartOfCountry, Text] = {
    "jutland": Text(da="Jylland", en="Jutland"),
    "funen": Text(da="Fyn", en="Funen"),
    "zealand": Text(da="Sjælland", en="Zealand"),
    "copenhagen-area": Text(da="Hovedstadsområdet", en="Copenhagen area"),
    "bornholm": Text(da="Bornholm", en="Bornholm"),
}

#: Each part of the country with the preposition a sentence needs ("6 i Jylland", "1 on Funen").
PARTS_IN: dict[PartOfCountry, Text] = {
    "jutland": Text(da="i Jylland", en="in Jutland"),
    "funen": Text(da="på Fyn", en="on Funen"),
    "zealand": Text(da="på Sjælland", en="on Zealand"),
    "copenhagen-area": Text(da="i hovedstadsområdet", en="in the Copenhagen area"),
    "bornholm": Text(da="på Bornholm", en="on Bornholm"),
}

Verdict = Literal["confirmed", "possible", "contradicted"]


def _counts(d: dict[PartOfCountry, int], lang: str) -> str:
    """{"jutland": 6, "funen": 1} -> "6 i Jylland og 1 på Fyn"."""
    items = [f"{n} {PARTS_IN[p].get(lang)}" for p, n in d.items() if n]
    if len(items) < 2:
        return "".join(items) or ("ingen" if lang == "da" else "none")
    return ", ".join(items[:-1]) + (" og " if lang == "da" else " and ") + items[-1]


def _join(names: list[str], lang: str) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + (" og " if lang == "da" else " and ") + names[-1]


@dataclass(frozen=True)
class Placement:
    cluster: str
    name: str
    town: str | None
    municipality: str | None
    nuts2: str | None
    part: PartOfCountry | None


@dataclass(frozen=True)
class ClaimCheck:
    claim: GeographyClaim
    verdict: Verdict
    found: dict[PartOfCountry, int]
    missing: dict[PartOfCountry, int]
    unknown: list[str]
    explanation: Text


@dataclass(frozen=True)
class Geography:
    on: date
    placements: list[Placement]
    by_region: dict[str, int]
    by_part: dict[PartOfCountry, int]
    unknown: list[str] = field(default_factory=list)
    checks: list[ClaimCheck] = field(default_factory=list)


def place_clusters(ls: Landscape, on: date) -> Geography:
    """Place the clusters active on ``on`` and check every source claim against the data."""
    geo = _placements(ls, on)
    checks = [check_claim(c, ls) for c in ls.geography_claims]
    return Geography(geo.on, geo.placements, geo.by_region, geo.by_part, geo.unknown, checks)


def check_claim(claim: GeographyClaim, ls: Landscape) -> ClaimCheck:
    """Decide whether headquarters in the data confirm, contradict or leave open a claim.

    The claim is checked against the clusters of its own date, whatever day is being shown.
    """
    own = _placements(ls, claim.on)
    found = {part: own.by_part.get(part, 0) for part in claim.counts}
    over = {p: found[p] - n for p, n in claim.counts.items() if found[p] > n}
    missing = {p: n - found[p] for p, n in claim.counts.items() if n > found[p]}
    n_unknown = len(own.unknown)
    elsewhere = sum(v for p, v in own.by_part.items() if p not in claim.counts)
    claimed_total = sum(claim.counts.values())
    known_total = len(own.placements) - n_unknown

    if (
        over
        or elsewhere
        or sum(missing.values()) > n_unknown
        or claimed_total > len(own.placements)
    ):
        verdict: Verdict = "contradicted"
        expl = Text(
            da=f"Data modsiger udsagnet: de kendte hovedsæder giver {_counts(found, 'da')}.",
            en="The data contradicts the statement: the known headquarters give "
            f"{_counts(found, 'en')}.",
        )
    elif not missing and n_unknown == 0:
        verdict = "confirmed"
        expl = Text(da="Data bekræfter udsagnet.", en="The data confirms the statement.")
    else:
        unplaced = [p.name for p in own.placements if p.cluster in own.unknown]
        verdict = "possible"
        expl = Text(
            da=(
                f"Kan ikke bekræftes: de {known_total} kendte hovedsæder giver "
                f"{_counts(found, 'da')}. Kilderne angiver ikke hovedsædet for "
                f"{_join(unplaced, 'da')}. Udsagnet holder kun, hvis de ligger sådan: "
                f"{_counts(missing, 'da')}."
            ),
            en=(
                f"Cannot be confirmed: the {known_total} known headquarters give "
                f"{_counts(found, 'en')}. The sources do not give the headquarters of "
                f"{_join(unplaced, 'en')}. The statement holds only if they sit as follows: "
                f"{_counts(missing, 'en')}."
            ),
        )
    return ClaimCheck(claim, verdict, found, missing, list(own.unknown), expl)


def _placements(ls: Landscape, on: date) -> Geography:
    placements: list[Placement] = []
    for c in ls.clusters_on(on):
        hq = c.headquarters
        m = ls.municipality(hq.municipality) if hq else None
        placements.append(
            Placement(
                cluster=c.slug,
                name=c.name,
                town=hq.town if hq else None,
                municipality=m.name if m else None,
                nuts2=m.nuts2 if m else None,
                part=m.part if m else None,
            )
        )
    by_region = Counter(p.nuts2 for p in placements if p.nuts2)
    by_part: Counter[PartOfCountry] = Counter(p.part for p in placements if p.part)
    return Geography(
        on=on,
        placements=placements,
        by_region={code: by_region.get(code, 0) for code in ls.regions},
        by_part={part: by_part.get(part, 0) for part in PARTS},
        unknown=[p.cluster for p in placements if p.part is None],
    )
