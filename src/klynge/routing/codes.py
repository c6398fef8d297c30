"""Industry codes to areas: NACE Rev. 2 (section, 2, 3, 4 digits) and Danish DB07 (6 digits).

The table ``data/nace_areas.csv`` is built by ``training/routing/build_codes.py`` from the area
NACE lists in the landscape plus documented additions; a broad code (a section, a division)
carries the share of its classes that each area holds, so ``C`` (manufacturing) points mostly to
advanced production but not only there.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from klynge.i18n import Text
from klynge.routing.model import DATA_DIR, NONE
from klynge.routing.text import RoutingInputError

CODES_PATH = DATA_DIR / "nace_areas.csv"

LEVEL_NAMES = {
    "section": Text(da="NACE-hovedafdeling", en="NACE section"),
    "division": Text(da="NACE-hovedgruppe", en="NACE division"),
    "group": Text(da="NACE-gruppe", en="NACE group"),
    "class": Text(da="NACE-undergruppe", en="NACE class"),
    "db07": Text(da="DB07-branchekode", en="DB07 industry code"),
}

_SHAPE = re.compile(r"^(?:[A-Ua-u]|\d{2}(?:\.?\d{1,2})?|\d{2}\.?\d{2}\.?\d{2})$")


@dataclass(frozen=True)
class CodeMatch:
    """A recognised code and how its weight spreads over areas (``none`` included)."""

    code: str
    level: str
    areas: dict[str, float]
    source: str

    def label(self, lang: str | None) -> str:
        return f"{LEVEL_NAMES[self.level].get(lang)} {self.code}"


@lru_cache(maxsize=1)
def code_table() -> dict[str, CodeMatch]:
    table: dict[str, CodeMatch] = {}
    with CODES_PATH.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            areas = {}
            for part in row["areas"].split("|"):
                slug, _, weight = part.partition(":")
                areas[slug] = float(weight)
            table[row["code"]] = CodeMatch(row["code"], row["level"], areas, row["source"])
    return table


def canonical(code: str) -> str:
    """Write a code the way the table does: ``C``, ``26``, ``26.6``, ``26.60`` or ``266000``."""
    # A Danish spreadsheet or keyboard writes the point as a comma: "26,51" is 26.51.
    c = code.strip().replace(" ", "").replace(",", ".")
    if not _SHAPE.match(c):
        raise RoutingInputError(
            "nace",
            Text(
                da=(
                    f"{code!r} er ikke en branchekode: brug en NACE-hovedafdeling (A-U), "
                    "2, 3 eller 4 cifre (fx 26.60) eller en 6-cifret DB07-kode (fx 266000)"
                ),
                en=(
                    f"{code!r} is not an industry code: use a NACE section (A-U), 2, 3 or 4 "
                    "digits (e.g. 26.60) or a 6-digit DB07 code (e.g. 266000)"
                ),
            ),
        )
    if c[0].isalpha():
        return c.upper()
    digits = c.replace(".", "")
    if len(digits) == 2:
        return digits
    if len(digits) in (3, 4):
        return f"{digits[:2]}.{digits[2:]}"
    return digits


def lookup(code: str) -> CodeMatch:
    """The areas behind ``code``; an unknown code such as ``99.99`` is an error, not a guess."""
    key = canonical(code)
    match = code_table().get(key)
    if match is None:
        raise RoutingInputError(
            "nace",
            Text(
                da=f"branchekoden {code.strip()!r} findes ikke i NACE Rev. 2 eller DB07",
                en=f"the industry code {code.strip()!r} does not exist in NACE Rev. 2 or DB07",
            ),
        )
    return match


def code_prior(match: CodeMatch, classes: list[str], strength: float = 0.85) -> list[float]:
    """A distribution over ``classes``: ``strength`` on the code's areas, the rest spread evenly.

    The rest keeps a code from overruling a clear description outright: a bank's IT arm coded
    64.19 whose text is all software still reaches the digital cluster.
    """
    floor = (1.0 - strength) / len(classes)
    total = sum(match.areas.get(c, 0.0) for c in classes) or 1.0
    return [floor + strength * match.areas.get(c, 0.0) / total for c in classes]


#: How much likelier a code makes its own areas than the rest when it joins a description.
CODE_LIFT = 6.0


def code_evidence(match: CodeMatch, classes: list[str], lift: float = CODE_LIFT) -> list[float]:
    """The factor a code multiplies a description's probabilities by (a product of experts).

    The code's areas get up to ``lift`` times the weight of the others, not the ninety-fold of
    :func:`code_prior`: a code narrows the text's answer but does not erase a genuine second
    area that the description names (a machine builder coded 28.99 whose text is about robots
    keeps both, issue 12). A description that points clearly elsewhere still wins.
    """
    top = max((match.areas.get(c, 0.0) for c in classes), default=0.0) or 1.0
    return [1.0 + (lift - 1.0) * match.areas.get(c, 0.0) / top for c in classes]


__all__ = [
    "NONE",
    "CodeMatch",
    "canonical",
    "code_evidence",
    "code_prior",
    "code_table",
    "lookup",
]
