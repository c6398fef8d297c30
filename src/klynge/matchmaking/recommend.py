"""Recommendations: for one profile, the partners whose offers meet what it seeks, best first.

A profile is matched by what it **seeks** against what others **offer**, not by how alike two
whole profiles are: two companies that both seek drone inspection look alike and are
competitors, not partners. Both texts are mapped into one bilingual space of concepts
(:mod:`klynge.matchmaking.lexicon`), so a Danish request meets an English offer; a lighter
lexical term over word stems in both languages catches what the lexicon does not name. The
structured fields add smaller terms: a shared area, a partner kind that fits the other's kind
(a company seeking a research partner, a university), and interest in the other direction.

Every recommendation carries its reasons in Danish and English. An organisation is never
recommended to itself, and hidden or expired profiles are never recommended.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from klynge.i18n import Text
from klynge.matchmaking.lexicon import concept, concepts_in
from klynge.routing.text import content_words, detect_language, fold, tokens

PARTNER_KINDS: dict[str, Text] = {
    "research-partner": Text(da="forskningspartner", en="research partner"),
    "supplier": Text(da="leverandør", en="supplier"),
    "customer": Text(da="kunde", en="customer"),
    "investor": Text(da="investor", en="investor"),
    "knowledge-transfer": Text(da="videnoverførsel", en="knowledge transfer"),
    "export-partner": Text(da="eksportpartner", en="export partner"),
}
KNOWLEDGE_KINDS = frozenset({"university", "gts", "education"})
#: Partner kinds a knowledge institution answers; the others are answered by companies.
_KNOWLEDGE_WANTED = frozenset({"research-partner", "knowledge-transfer"})
_LANG = {"da": Text(da="dansk", en="Danish"), "en": Text(da="engelsk", en="English")}


@dataclass(frozen=True)
class Weights:
    """How much each term counts beside the concept match (tuned on the development profiles
    of ``evaluation/matchmaking``; see ``benchmarks/eval_matchmaking.py``)."""

    lexical: float = 0.2
    area: float = 0.05
    kind: float = 0.05
    reverse: float = 0.1


@dataclass(frozen=True)
class MatchProfile:
    """What the recommender needs of a profile and its owner."""

    id: int | str
    organisation: str
    offers: str
    seeks: str
    organisation_kind: str = "company"
    organisation_name: str = ""
    clusters: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    technologies: tuple[str, ...] = ()
    partner_kinds: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    hidden: bool = False
    expires_on: date | None = None
    language: str | None = None

    def active(self, today: date) -> bool:
        """Whether others may be shown this profile: not hidden, not expired."""
        return not self.hidden and (self.expires_on is None or self.expires_on >= today)


@dataclass(frozen=True)
class Reason:
    code: str
    text: Text


@dataclass(frozen=True)
class Recommendation:
    profile: MatchProfile
    score: float
    reasons: tuple[Reason, ...]
    concepts: tuple[str, ...] = ()


Vector = dict[str, float]


def _stems(words: list[str]) -> list[str]:
    from klynge.routing.features import stems

    # Both stemmers: a word's stems do not depend on a guess of its language.
    return sorted(set(stems(words, "da")) | set(stems(words, "en")))


@lru_cache(maxsize=200_000)
def _analyse(text: str) -> tuple[dict[str, int], list[str]]:
    """A text's concepts and content-word stems. Cached per text: a server builds the index for
    every request, and the profiles rarely change between requests (the lexicon's regular
    expressions are most of an index's cost)."""
    folded = fold(text)
    return concepts_in(folded), _stems(content_words(tokens(folded)))


@dataclass
class _Side:
    concepts: Vector
    stems: Vector


@dataclass
class _Entry:
    profile: MatchProfile
    language: str
    seeks: _Side
    offers: _Side


def _norm(v: Vector) -> Vector:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {k: x / n for k, x in v.items()} if n else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[k] for k, x in a.items() if k in b)


@dataclass
class Index:
    """Profiles prepared once for many look-ups: concepts, stems and their weights."""

    entries: list[_Entry]
    by_id: dict[int | str, _Entry] = field(default_factory=dict)

    @classmethod
    def build(cls, profiles: Iterable[MatchProfile]) -> Index:
        raw: list[tuple[MatchProfile, str, dict[str, int], list[str], dict[str, int], list[str]]]
        raw = []
        for p in profiles:
            sc, ss = _analyse(p.seeks)
            oc, os_ = _analyse(" ".join([p.offers, *p.technologies]))
            lang = p.language or detect_language(tokens(fold(p.offers + " " + p.seeks)))
            raw.append((p, lang, sc, ss, oc, os_))
        # Inverse document frequencies over offers and requests together: a concept or stem
        # that every profile names says little about who fits whom.
        n = max(len(raw), 1)
        df: dict[str, int] = {}
        for _, _, sc, ss, oc, os_ in raw:
            for key in {*(f"c:{k}" for k in (*sc, *oc)), *(f"s:{s}" for s in (*ss, *os_))}:
                df[key] = df.get(key, 0) + 1

        def idf(key: str) -> float:
            return math.log((n + 1) / (df.get(key, 0) + 1)) + 1.0

        def side(cs: dict[str, int], ss: list[str]) -> _Side:
            return _Side(
                concepts=_norm({k: (1 + math.log(c)) * idf(f"c:{k}") for k, c in cs.items()}),
                stems=_norm({s: idf(f"s:{s}") for s in ss}),
            )

        entries = [_Entry(p, lang, side(sc, ss), side(oc, os_)) for p, lang, sc, ss, oc, os_ in raw]
        return cls(entries, {e.profile.id: e for e in entries})

    def recommend(
        self,
        profile_id: int | str,
        *,
        limit: int = 10,
        today: date | None = None,
        weights: Weights | None = None,
        area_names: Mapping[str, Text] | None = None,
    ) -> list[Recommendation]:
        """The best partners for one profile, best first, each with its reasons."""
        w = weights or Weights()
        day = today or date.today()
        me = self.by_id[profile_id]
        scored: list[tuple[float, str, _Entry, float, float, float]] = []
        for other in self.entries:
            p = other.profile
            if p.organisation == me.profile.organisation or not p.active(day):
                continue
            meets = _dot(me.seeks.concepts, other.offers.concepts)
            lexical = _dot(me.seeks.stems, other.offers.stems)
            reverse = _dot(other.seeks.concepts, me.offers.concepts)
            if meets <= 0 and lexical <= 0 and reverse <= 0:
                continue
            score = meets + w.lexical * lexical + w.reverse * reverse
            score += w.area * bool(me.profile.areas & p.areas)
            score += w.kind * _kind_fit(me.profile, p)
            scored.append((score, str(p.id), other, meets, lexical, reverse))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [
            Recommendation(
                profile=o.profile,
                score=round(s, 6),
                reasons=tuple(reasons(me, o, meets, lexical, reverse, area_names)),
                concepts=tuple(sorted(set(me.seeks.concepts) & set(o.offers.concepts))),
            )
            for s, _, o, meets, lexical, reverse in scored[:limit]
        ]


def _kind_fit(me: MatchProfile, other: MatchProfile) -> float:
    """1 when the other's kind answers a kind of partner ``me`` wants, else 0."""
    if not me.partner_kinds:
        return 0.0
    knowledge = other.organisation_kind in KNOWLEDGE_KINDS
    if knowledge:
        return 1.0 if me.partner_kinds & _KNOWLEDGE_WANTED else 0.0
    return 1.0 if me.partner_kinds - _KNOWLEDGE_WANTED else 0.0


def _labels(keys: Sequence[str]) -> Text:
    labels = [concept(k).label for k in keys]
    return Text(da=", ".join(t.da for t in labels), en=", ".join(t.en for t in labels))


def reasons(
    me: _Entry,
    other: _Entry,
    meets: float,
    lexical: float,
    reverse: float,
    area_names: Mapping[str, Text] | None = None,
) -> list[Reason]:
    """Why ``other`` is worth meeting for ``me``, in words, strongest reason first."""
    out: list[Reason] = []
    shared = sorted(set(me.seeks.concepts) & set(other.offers.concepts))
    if meets > 0 and shared:
        t = _labels(shared)
        out.append(
            Reason(
                "request-meets-offer",
                Text(
                    da=f"jeres efterspørgsel møder deres tilbud: {t.da}",
                    en=f"your request meets their offer: {t.en}",
                ),
            )
        )
    elif lexical > 0:
        out.append(
            Reason(
                "request-meets-offer",
                Text(
                    da="ord fra jeres efterspørgsel står i deres tilbud",
                    en="words of your request appear in their offer",
                ),
            )
        )
    if reverse > 0:
        back = sorted(set(other.seeks.concepts) & set(me.offers.concepts))
        t = _labels(back) if back else Text(da="", en="")
        out.append(
            Reason(
                "mutual",
                Text(
                    da="de efterspørger det, I tilbyder" + (f": {t.da}" if back else ""),
                    en="they seek what you offer" + (f": {t.en}" if back else ""),
                ),
            )
        )
    areas = sorted(me.profile.areas & other.profile.areas)
    if areas:
        names = [
            area_names[a] if area_names and a in area_names else Text(da=a, en=a) for a in areas
        ]
        out.append(
            Reason(
                "shared-area",
                Text(
                    da="fælles område: " + ", ".join(n.da for n in names),
                    en="shared area: " + ", ".join(n.en for n in names),
                ),
            )
        )
    mine = me.profile.organisation_kind in KNOWLEDGE_KINDS
    theirs = other.profile.organisation_kind in KNOWLEDGE_KINDS
    if mine != theirs:
        out.append(
            Reason(
                "complementary-kinds",
                Text(
                    da="en virksomhed og en videninstitution supplerer hinanden",
                    en="a company and a knowledge institution complement each other",
                ),
            )
        )
    a, b = me.profile.clusters, other.profile.clusters
    if a and b and not a & b:
        out.append(
            Reason(
                "across-clusters",
                Text(
                    da="på tværs af klynger: " + ", ".join(sorted(b)),
                    en="across clusters: " + ", ".join(sorted(b)),
                ),
            )
        )
    if me.language != other.language:
        mine_l, theirs_l = _LANG[me.language], _LANG[other.language]
        out.append(
            Reason(
                "across-languages",
                Text(
                    da=f"på tværs af sprog: en {mine_l.da} efterspørgsel møder et "
                    f"{theirs_l.da} tilbud",
                    en=f"across languages: a {mine_l.en} request meets an {theirs_l.en} offer",
                ),
            )
        )
    return out


def recommend(
    profiles: Sequence[MatchProfile],
    profile_id: int | str,
    *,
    limit: int = 10,
    today: date | None = None,
    weights: Weights | None = None,
    area_names: Mapping[str, Text] | None = None,
) -> list[Recommendation]:
    """One look-up without keeping an index (the services build one per request)."""
    return Index.build(profiles).recommend(
        profile_id, limit=limit, today=today, weights=weights, area_names=area_names
    )
