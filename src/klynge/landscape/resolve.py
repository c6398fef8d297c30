"""Find an area, cluster or programme from what a person types.

Matching ignores case and accents (æ, ø and å fold to ae, oe and aa), drops words that every name
shares ("cluster", "klyngen", "Denmark"), and forgives typos with rapidfuzz. A word such as
"klyngen" or "area" narrows the search to clusters or areas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from klynge.errors import Ambiguous, Location, NotFound
from klynge.i18n import Text

Kind = Literal["area", "cluster", "programme"]

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "&": " and ", "-": " ", "_": " "})
_GENERIC = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "for",
        "and",
        "og",
        "i",
        "in",
        "the",
        "cluster",
        "clusters",
        "klynge",
        "klyngen",
        "klynger",
        "klyngeorganisation",
        "klyngeorganisationen",
        "denmark",
        "danish",
        "danmark",
        "dansk",
        "danske",
        "danmarks",
        "denmarks",
        "s",
    ]
)
_HINTS: dict[str, Kind] = {
    "cluster": "cluster",
    "klynge": "cluster",
    "klyngen": "cluster",
    "klyngeorganisation": "cluster",
    "klyngeorganisationen": "cluster",
    "area": "area",
    "omraade": "area",
    "omraadet": "area",
    "styrkeposition": "area",
    "styrkepositionen": "area",
    "programme": "programme",
    "program": "programme",
    "programmet": "programme",
    "strategy": "programme",
    "strategien": "programme",
}
ACCEPT = 80.0
MARGIN = 8.0


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def core(normalised: str) -> str:
    return " ".join(w for w in normalised.split() if w not in _GENERIC)


@dataclass(frozen=True)
class Match:
    kind: Kind
    slug: str
    label: str
    score: float


KIND_NAMES: dict[Kind, Text] = {
    "area": Text(da="område", en="area"),
    "cluster": Text(da="klyngeorganisation", en="cluster organisation"),
    "programme": Text(da="program", en="programme"),
}


def _choices(matches: list[Match]) -> list[tuple[Text, Location | None]]:
    """One detail per candidate, slug first so that a person can copy it."""
    return [
        (
            Text(
                da=f"{m.slug} ({m.label}, {KIND_NAMES[m.kind].da})",
                en=f"{m.slug} ({m.label}, {KIND_NAMES[m.kind].en})",
            ),
            None,
        )
        for m in matches
    ]


class NameNotFound(NotFound, LookupError):
    """No record is close enough; ``suggestions`` holds the nearest ones, best first."""

    code = "name-not-found"

    def __init__(self, query: str, suggestions: list[Match]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = ", ".join(m.slug for m in suggestions)
        super().__init__(
            Text(
                da=f"intet område, ingen klynge og intet program hedder {query!r}"
                + (f". Mente du: {hint}?" if hint else ""),
                en=f"no area, cluster or programme is called {query!r}"
                + (f". Did you mean: {hint}?" if hint else ""),
            ),
            details=_choices(suggestions),
        )


class AmbiguousName(Ambiguous, LookupError):
    """Several records fit about equally well; the caller should ask which one was meant."""

    code = "ambiguous-name"

    def __init__(self, query: str, candidates: list[Match]) -> None:
        self.query = query
        self.candidates = candidates
        super().__init__(
            Text(
                da=f"{query!r} er tvetydigt; mente du en af disse?",
                en=f"{query!r} is ambiguous; did you mean one of these?",
            ),
            details=_choices(candidates),
        )


@dataclass(frozen=True)
class _Entry:
    kind: Kind
    slug: str
    label: str
    full: str
    core: str


class NameIndex:
    """An index over every name of every record, built once per landscape."""

    def __init__(self, names: Iterable[tuple[Kind, str, str, Iterable[str]]]) -> None:
        self._entries: list[_Entry] = []
        for kind, slug, label, variants in names:
            for v in {slug, *variants}:
                full = normalise(v)
                if full:
                    self._entries.append(_Entry(kind, slug, label, full, core(full)))

    def _score(self, q_full: str, q_core: str, e: _Entry) -> float:
        scores = [fuzz.ratio(q_full, e.full)]
        if q_core and e.core:
            scores.append(fuzz.ratio(q_core, e.core))
            # A query that is a whole-word part of a name ("sound") is a strong, not a sure, hit.
            if len(q_core) >= 3:
                scores.append(0.97 * fuzz.token_set_ratio(q_core, e.core))
        return max(scores)

    def lookup(self, query: str) -> Match:
        q_full = normalise(query)
        if not q_full:
            raise NameNotFound(query, [])
        hints = {_HINTS[w] for w in q_full.split() if w in _HINTS}
        q_core = " ".join(w for w in core(q_full).split() if w not in _HINTS)
        pool = [e for e in self._entries if not hints or e.kind in hints] or self._entries

        best: dict[tuple[Kind, str], Match] = {}
        for e in pool:
            s = 100.0 if q_full == e.full else self._score(q_full, q_core, e)
            key = (e.kind, e.slug)
            if key not in best or s > best[key].score:
                best[key] = Match(e.kind, e.slug, e.label, round(s, 1))
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.kind, m.slug))
        top = ranked[0]
        if top.score < ACCEPT:
            raise NameNotFound(query, [m for m in ranked[:3] if m.score >= 60])
        close = [m for m in ranked if m.score >= ACCEPT and top.score - m.score < MARGIN]
        exact = [m for m in close if m.score == 100.0]
        if len(close) == 1 or (
            len(exact) == 1 and exact[0] == top and _exact_name(q_full, top, pool)
        ):
            return top
        raise AmbiguousName(query, close)


def _exact_name(q_full: str, m: Match, pool: list[_Entry]) -> bool:
    """True when the query is literally one of the record's names, not just a part of one."""
    return any(e.full == q_full for e in pool if (e.kind, e.slug) == (m.kind, m.slug))
