"""NACE Rev. 2 codes: titles in both languages, the hierarchy, and codes that overlap.

Eurostat writes divisions as ``C21`` and classes as ``C2110``; national files write ``21`` and
``21.10``. Everything here is normalised to the dotted form (``21``, ``21.1``, ``21.10``) with
section letters and ranges (``B-E``) kept as they are, so that files of either kind compare.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from klynge.i18n import Text

TOTAL_CODES = frozenset({"TOTAL", "_T", "T", "A-U", "A-S"})
_EUROSTAT = re.compile(r"^([A-U])(\d{2})(\d)?(\d)?$")
_DOTTED = re.compile(r"^(\d{2})(?:\.(\d)(\d)?)?$")
_RANGE = re.compile(r"^([A-U])-([A-U])$")


# Eurostat's A10 aggregates of sections, as national-accounts tables use them.
AGGREGATE_TITLES: dict[str, Text] = {
    "B-E": Text(da="Industri, råstofindvinding og forsyning", en="Industry (except construction)"),
    "G-I": Text(
        da="Handel, transport, hoteller og restauranter",
        en="Wholesale and retail trade, transport, accommodation and food services",
    ),
    "G-J": Text(
        da="Handel, transport, hoteller, restauranter, information og kommunikation",
        en="Trade, transport, accommodation, food services, information and communication",
    ),
    "K-N": Text(
        da="Finansiering, fast ejendom og erhvervsservice",
        en="Financial, real estate, professional and administrative services",
    ),
    "M-N": Text(
        da="Videnservice, rejsebureauer, rengøring og anden operationel service",
        en="Professional, scientific, technical, administrative and support services",
    ),
    "O-Q": Text(
        da="Offentlig administration, forsvar, undervisning, sundhed og socialvæsen",
        en="Public administration, defence, education, human health and social work",
    ),
    "O-U": Text(
        da="Offentlig administration, undervisning, sundhed, kultur og anden service",
        en="Public administration, education, health, arts and other services",
    ),
    "R-U": Text(
        da="Kultur, forlystelser, fritid og anden service",
        en="Arts, entertainment and recreation; other services",
    ),
}


@dataclass(frozen=True)
class NaceEntry:
    code: str
    level: str
    parent: str | None
    title: Text


@cache
def entries() -> dict[str, NaceEntry]:
    """Every section, division, group and class, keyed by normalised code."""
    out: dict[str, NaceEntry] = {}
    path = resources.files("klynge.regions").joinpath("data", "nace_titles.csv")
    with path.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            out[rec["code"]] = NaceEntry(
                code=rec["code"],
                level=rec["level"],
                parent=rec["parent"] or None,
                title=Text(en=rec["title_en"], da=rec["title_da"] or rec["title_en"]),
            )
    return out


def normalise(code: str) -> str:
    """Bring a code to the dotted form; unknown codes come back stripped and upper-cased."""
    c = code.strip().upper().replace(" ", "")
    m = _EUROSTAT.match(c)
    if m:
        div, g, k = m.group(2), m.group(3), m.group(4)
        if g is None:
            return div
        return f"{div}.{g}{k or ''}"
    return c


def section_of(code: str) -> str | None:
    """The section letter a normalised division, group or class belongs to."""
    e = entries().get(code)
    while e is not None and e.level != "section":
        e = entries().get(e.parent) if e.parent else None
    return e.code if e is not None else None


@cache
def _classes_by_section() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for e in entries().values():
        if e.level == "class":
            out.setdefault(section_of(e.code) or "?", set()).add(e.code)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def classes_of(code: str) -> frozenset[str] | None:
    """The NACE classes a code covers, or None for a code this module does not know."""
    c = normalise(code)
    if c in TOTAL_CODES:
        return frozenset().union(*_classes_by_section().values())
    if "_" in c:
        # Eurostat composites: 'B-N_S95_X_K' is B to N plus S95, except K.
        include, _, exclude = c.partition("_X_")
        parts = [classes_of(t) for t in include.split("_") if t]
        minus = [classes_of(t) for t in exclude.split("_") if t]
        if not parts or any(p is None for p in parts + minus):
            return None
        covered = frozenset().union(*[p for p in parts if p is not None])
        return covered - frozenset().union(*[m for m in minus if m is not None])
    m = _RANGE.match(c)
    if m:
        lo, hi = m.group(1), m.group(2)
        if lo > hi:
            return None
        sections = [
            _classes_by_section().get(chr(x), frozenset()) for x in range(ord(lo), ord(hi) + 1)
        ]
        return frozenset().union(*sections)
    if c in _classes_by_section():
        return _classes_by_section()[c]
    e = entries().get(c)
    if e is None:
        return None
    if e.level == "class":
        return frozenset({c})
    prefix = c + "." if e.level == "division" else c
    return frozenset(k for k, v in entries().items() if v.level == "class" and k.startswith(prefix))


def division_of(code: str) -> str | None:
    """The division a division, group or class lies in; None for sections and ranges."""
    c = normalise(code)
    m = _DOTTED.match(c)
    return m.group(1) if m and m.group(1) in entries() else None


def label(code: str, lang: str | None) -> str:
    """``C21 - Manufacture of ...`` as in the factsheet's tables; unknown codes stand alone."""
    c = normalise(code)
    e = entries().get(c)
    if e is None:
        agg = AGGREGATE_TITLES.get(c)
        return f"{c} - {agg.get(lang)}" if agg is not None else code
    shown = c
    if e.level != "section":
        sec = section_of(c) or ""
        shown = sec + c.replace(".", "")
    return f"{shown} - {e.title.get(lang)}"


def resolve_overlaps(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """Keep a set of codes that do not overlap, so that region totals count no one twice.

    A code that its finer codes cover exactly is dropped in favour of them (``G-J`` when ``G-I``
    and ``J`` are present); a code inside a kept coarser code is then dropped (``C`` inside
    ``B-E``). Totals are always dropped. Codes that overlap only in part cannot both stay: the
    Eurostat composite (``B-N_S95_X_K``) or else the larger one goes. Codes this module does not
    know are kept as they are.
    Returns (kept, dropped), each in the input order.
    """
    given = list(dict.fromkeys(codes))
    sets = {c: classes_of(c) for c in given if normalise(c) not in TOTAL_CODES}
    known = {c: s for c, s in sets.items() if s}
    dropped: set[str] = {c for c in given if normalise(c) in TOTAL_CODES}
    # The common case, a file at one level (615 classes, 88 divisions): nothing overlaps, which
    # one pass over the classes shows; the pairwise search below is for mixed levels.
    if sum(len(s) for s in known.values()) == len(frozenset().union(*known.values())):
        return [c for c in given if c not in dropped], [c for c in given if c in dropped]
    for c, s in sorted(known.items(), key=lambda kv: -len(kv[1])):
        inner = [t for d, t in known.items() if d != c and d not in dropped and t < s]
        if inner and frozenset().union(*inner) == s:
            dropped.add(c)
    for c, s in known.items():
        if c in dropped:
            continue
        if any(d != c and d not in dropped and s < t for d, t in known.items()):
            dropped.add(c)
    # What still overlaps does so partly (O-U beside B-N_S95_X_K share S95): no clean split
    # exists, so drop Eurostat composites first, then the larger code, until nothing overlaps.
    while True:
        live = [(c, s) for c, s in known.items() if c not in dropped]
        clash = next(
            ((a, b) for i, (a, sa) in enumerate(live) for b, sb in live[i + 1 :] if sa & sb),
            None,
        )
        if clash is None:
            break
        later = clash[1]
        dropped.add(max(clash, key=lambda c: ("_" in normalise(c), len(known[c]), c == later)))
    kept = [c for c in given if c not in dropped]
    return kept, [c for c in given if c in dropped]
