"""Cluster organisations per NUTS 2 region (the factsheet's Graph 2), from the landscape.

An organisation whose headquarters the sources do not give is counted as unknown, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from klynge.landscape import Landscape, get_landscape

UNKNOWN = "unknown"


@dataclass(frozen=True)
class RegionCount:
    region: str  # NUTS 2 code, or "unknown"
    count: int
    clusters: list[str] = field(default_factory=list)


def per_region(on: date, ls: Landscape | None = None) -> list[RegionCount]:
    """Every Danish NUTS 2 region (zeros included), then the unknowns if any."""
    ls = ls or get_landscape()
    found: dict[str, list[str]] = {code: [] for code in ls.regions}
    unknown: list[str] = []
    for c in ls.clusters_on(on):
        nuts2 = ls.cluster_nuts2(c.slug)
        if nuts2 is None:
            unknown.append(c.slug)
        else:
            found.setdefault(nuts2, []).append(c.slug)
    out = [RegionCount(code, len(slugs), slugs) for code, slugs in sorted(found.items())]
    if unknown:
        out.append(RegionCount(UNKNOWN, len(unknown), unknown))
    return out
