"""Region names for tables and charts: the landscape's bilingual Danish names, GISCO's for others.

GISCO gives each NUTS 2 region one Latin-script name; only the Danish regions have names in
both languages, from the landscape.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from klynge.landscape import get_landscape


@cache
def _gisco() -> dict[str, str]:
    path = resources.files("klynge.regions").joinpath("data", "nuts2_names.csv")
    with path.open(encoding="utf-8") as fh:
        return {rec["code"]: rec["name"] for rec in csv.DictReader(fh)}


def region_names(lang: str | None) -> dict[str, str]:
    """NUTS 2 code to name for every region GISCO knows, Danish ones in the chosen language."""
    out = dict(_gisco())
    out.update({code: r.name.get(lang) for code, r in get_landscape().regions.items()})
    return out
