"""Route a company to its cluster: the Python API that the CLI and the web layer call.

The model scores areas, not organisations; the landscape then says who held each area on the
given day. That keeps dates right without a second list of clusters: maritime after MARLOG's
bankruptcy has no cluster, tourism never had one, and in 2025-2028 the last known organisation is
named with an explicit caveat.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from klynge.i18n import Text
from klynge.landscape import AreaStatus, Landscape, fmt, get_landscape
from klynge.routing.clean import strip_many
from klynge.routing.codes import CodeMatch, code_evidence, code_prior, lookup
from klynge.routing.embed import KnnHead, get_head
from klynge.routing.model import (
    DA_WORD,
    EN_WORD,
    N_RESERVED,
    NONE,
    SENTENCE,
    SEPARATOR,
    LinearModel,
    run_starts,
)
from klynge.routing.prepare import FOCUS_RATIO, embedding_text
from klynge.routing.text import (
    CLAUSE_MARK,
    SENTENCE_MARK,
    Language,
    RoutingInputError,
    batch_tokens,
    check_text,
    detect_language,
)

Outcome = Literal["routed", "none", "no-cluster-for-area", "insufficient"]
#: The batch label of a description that says too little to route.
INSUFFICIENT = "insufficient"
#: A batch output row: (outcome, label, score, two runners-up as (label, score), explanation).
RowAnswer = tuple[Outcome, str, float, list[tuple[str, float]], str]

#: An area must reach this score to count at all; below it the answer is "no cluster fits".
#: The shipped model carries its own value, chosen on out-of-fold training scores (train.py).
MIN_SCORE = 0.25
#: Further areas are returned when their score reaches this: with calibrated scores, a one in
#: ten chance is a real contender (a hearing-aid maker is sound and life science). Measured on
#: out-of-fold scores of the training examples: 0.10 shows both areas for a third of the rows
#: that name two, against a quarter at 0.15, and the second area shown is acceptable 44% of the
#: time (docs/routing.md).
ALSO_SCORE = 0.10
#: ... or when it comes this close to the first area (at least this share of its score): a
#: genuine tie is shown even when both scores are modest.
CLOSE_RATIO = 0.5
#: Words that join two items of a list: a phrase does not grow across one ("betalingsterminaler
#: og online kortbetaling" names "betalingsterminaler" and "online kortbetaling", not
#: "betalingsterminaler og online"), while "software til banker" grows across its preposition.
COORDINATORS = frozenset({"og", "eller", "samt", "and", "or", "&", "plus"})
#: Nor across the end of a sentence: the batch's sentence mark is a token between two words
#: (it was quoted inside phrases, "site \x1f software til banker", until session 10).
_NO_BRIDGE = COORDINATORS | {SENTENCE_MARK, CLAUSE_MARK}
#: A "none" answer names the nearest area as worth describing only from this score on.
NEAR_SCORE = 0.1
#: What a company that fits no cluster can do instead.
NEXT_STEP = Text(
    da="Næste skridt: kontakt dit regionale erhvervshus; det rådgiver gratis virksomheder i alle "
    "brancher og kender de lokale netværk.",
    en="Next step: contact your regional business hub (Erhvervshus); it advises companies in "
    "every industry for free and knows the local networks.",
)
#: What a company whose area has no cluster organisation on the day can do instead.
AREA_NEXT_STEP = Text(
    da="Næste skridt: kontakt dit regionale erhvervshus; det kan vise vej til de netværk, der "
    "betjener området.",
    en="Next step: contact your regional business hub (Erhvervshus); it can point you to the "
    "networks that serve the area.",
)
#: The answer to a description with no word that says what the company does.
INSUFFICIENT_TEXT = Text(
    da="Ikke nok at gå ud fra: beskrivelsen siger ikke, hvad virksomheden laver, sælger eller "
    "tilbyder. Skriv en sætning eller to om dens produkter, ydelser eller kunder, eller angiv "
    "dens branchekode.",
    en="Not enough to go on: the description does not say what the company makes, sells or "
    "offers. Write a sentence or two about its products, services or customers, or give its "
    "industry code.",
)
#: At most this many areas are returned as fitting.
MAX_FITTING = 3
#: How many ranked candidates a result keeps for the batch columns and top-3 measurements.
N_CANDIDATES = 3


@lru_cache(maxsize=1)
def get_model() -> LinearModel:
    """The shipped model, loaded once per process."""
    return LinearModel.load()


@dataclass(slots=True)
class ClusterHit:
    """One fitting area and who holds it on the day; ``slug`` is None when nobody does."""

    slug: str | None
    area: str
    score: float
    explanation: str
    certain: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "area": self.area,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "certain": self.certain,
        }


@dataclass(slots=True)
class Candidate:
    """A ranked label: an area (with its cluster on the day, if any) or ``none``."""

    label: str
    area: str | None
    slug: str | None
    score: float


@dataclass(slots=True)
class RoutingResult:
    language: Language
    outcome: Outcome
    clusters: list[ClusterHit]
    explanation: str
    on: date
    candidates: list[Candidate] = field(default_factory=list)
    note: str | None = None
    code: str | None = None
    none_score: float = 0.0
    #: Which text model answered: "fast" (the linear model) or "best" (linear and embeddings).
    model: str = "fast"

    def to_json(self) -> dict[str, Any]:
        """The shape the issue fixes, best first, plus ``on``, ``explanation`` and ``note``."""
        return {
            "language": self.language,
            "outcome": self.outcome,
            "clusters": [c.to_json() for c in self.clusters],
            "explanation": self.explanation,
            "on": self.on.isoformat(),
            "nace": self.code,
            "note": self.note,
            "model": self.model,
        }


class NothingToRoute(RoutingInputError):
    pass


def _quote(words: list[str], lang: str, then: str | None = None) -> str:
    """The phrases quoted as one list, and ``then`` (a code's label) as its last item."""
    if not words:
        return then or ""
    items = [f"»{w}«" for w in words] if lang == "da" else [f'"{w}"' for w in words]
    if then:
        items.append(then)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + (" og " if lang == "da" else " and ") + items[-1]


class Router:
    """Holds the model and the landscape; one instance serves any number of requests."""

    def __init__(self, model: LinearModel | None = None, landscape: Landscape | None = None):
        self.model = model or get_model()
        self.landscape = landscape or get_landscape()
        self.classes = self.model.classes
        self.none_index = self.classes.index(NONE)
        self.min_score = float(self.model.meta.get("min_score", MIN_SCORE))
        unknown = set(self.classes) - set(self.landscape.areas) - {NONE}
        if unknown:
            raise ValueError(f"the model knows areas the landscape lacks: {sorted(unknown)}")
        self._lock = threading.Lock()
        self._status: dict[tuple[str, date], AreaStatus] = {}
        self._holders: dict[tuple[str, date, str], tuple[str | None, bool, str]] = {}
        self._notes: dict[tuple[date, str], str | None] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._info: dict[tuple[date, str], list[tuple[str, str | None, str | None]]] = {}
        self._labels: dict[tuple[date, str], list[str]] = {}
        self._why_prefix: dict[tuple[str, str], str] = {}
        self._head_order: list[int] = []

    # -- pieces ------------------------------------------------------------------------------
    def status(self, area: str, on: date) -> AreaStatus:
        key = (area, on)
        s = self._status.get(key)
        if s is None:
            s = self._status[key] = self.landscape.area_status(area, on)
        return s

    def area_name(self, area: str, lang: str) -> str:
        key = (area, lang)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self.landscape.areas[area].name.get(lang)
        return name

    def note(self, on: date, lang: str) -> str | None:
        """The landscape's coverage caveat for the day, if any (cached: it is per day)."""
        key = (on, lang)
        if key not in self._notes:
            text = self.landscape.coverage_note(on)
            self._notes[key] = text.get(lang) if text is not None else None
        return self._notes[key]

    def holder(self, area: str, on: date, lang: str) -> tuple[str | None, bool, str]:
        """Who holds ``area`` on ``on``: (slug or None, certain, sentence for the person)."""
        key = (area, on, lang)
        found = self._holders.get(key)
        if found is None:
            found = self._holders[key] = self._holder(area, on, lang)
        return found

    def _holder(self, area: str, on: date, lang: str) -> tuple[str | None, bool, str]:
        s = self.status(area, on)
        name = self.area_name(area, lang)
        if s.state == "active" and s.cluster is not None:
            return s.cluster.slug, True, ""
        if s.state == "unknown" and s.last_known is not None:
            c = s.last_known
            if c.status_on(on) == "maybe":
                # The list is known; the organisation's start or end is dated only to a month
                # or a year (MARLOG's bankruptcy in April 2022).
                return (
                    c.slug,
                    False,
                    Text(
                        da=(
                            f"Forbehold: kilderne daterer starten eller slutningen af {c.name}s "
                            f"periode kun til en måned eller et år, så det er uvist, om {c.name} "
                            f"var klynge for {name} den {on.isoformat()}."
                        ),
                        en=(
                            f"Caveat: the sources date the start or end of {c.name}'s term only "
                            f"to a month or a year, so it is not known whether {c.name} was the "
                            f"cluster for {name} on {on.isoformat()}."
                        ),
                    ).get(lang),
                )
            return (
                c.slug,
                False,
                Text(
                    da=(
                        f"Forbehold: listen over klyngeorganisationer for {on.isoformat()} er ikke "
                        f"kendt; {c.name} var den sidst kendte klynge for {name}."
                    ),
                    en=(
                        f"Caveat: the list of cluster organisations for {on.isoformat()} is not "
                        f"known; {c.name} was the last known cluster for {name}."
                    ),
                ).get(lang),
            )
        if s.state == "no-cluster-effort":
            # The area's own note (tourism: who takes the cluster's place) says it best; without
            # one, say the plain fact.
            fact = s.area.note or Text(
                da=f"{name} har ingen klyngeorganisation.",
                en=f"{name} has no cluster organisation.",
            )
            advice = Text(
                da="Næste skridt: kontakt det lokale destinationsselskab, de nationale "
                "turismeorganisationer eller dit regionale erhvervshus.",
                en="Next step: contact the local destination company, the national tourism "
                "organisations or your regional business hub (Erhvervshus).",
            )
            return (None, True, f"{fact.get(lang)} {advice.get(lang)}")
        ended = s.ended
        if ended is not None:
            ends = [t for t in ended.terms if t.end is not None]
            last = max(ends, key=lambda t: t.end or date.min) if ends else None
            when = fmt.when(last.end, last.end_precision, lang) if last and last.end else "?"
            why = Text(da=f"{ended.name} ophørte {when}", en=f"{ended.name} ended in {when}").get(
                lang
            )
        else:
            why = ""
        return (
            None,
            True,
            Text(
                da=f"Området {name} har ingen klyngeorganisation den {on.isoformat()}. {why}.",
                en=f"The area {name} has no cluster organisation on {on.isoformat()}. {why}.",
            )
            .get(lang)
            .replace(" .", "")
            .replace("..", ".")
            + " "
            + AREA_NEXT_STEP.get(lang),
        )

    # -- routing -----------------------------------------------------------------------------
    def route_many(
        self,
        texts: list[str | None],
        codes: list[str | None] | None = None,
        on: date | None = None,
        lang: str | None = None,
        *,
        best: bool = False,
    ) -> list[RoutingResult | RoutingInputError]:
        """Route many companies in one pass; a bad row gives its error, not an exception.

        ``best`` adds the sentence-embedding model when it is installed (``embed`` extra): more
        accurate, but about 20 ms of CPU a description, so for single queries, not files.
        """
        return self._route(texts, codes, on, lang, lean=False, best=best)  # type: ignore[return-value]

    def route_rows(
        self,
        texts: list[str | None],
        codes: list[str | None] | None = None,
        on: date | None = None,
        lang: str | None = None,
    ) -> list[RowAnswer | RoutingInputError]:
        """Like :meth:`route_many`, but only what a batch output row needs, as plain tuples.

        ``(outcome, label, score, [(label, score), (label, score)], explanation)`` where a label
        is a cluster slug, ``none`` or ``no-cluster:<area>``; the explanation is that of the
        first answer. Skipping the result objects makes file routing markedly faster.
        """
        return self._route(texts, codes, on, lang, lean=True, best=False)  # type: ignore[return-value]

    def _route(
        self,
        texts: list[str | None],
        codes: list[str | None] | None,
        on: date | None,
        lang: str | None,
        lean: bool,
        best: bool,
    ) -> list[RoutingResult | RowAnswer | RoutingInputError]:
        # The word cache is shared state: rows handed out by one call must not be reset by a
        # call in another thread (a web server's worker threads) before they are used.
        with self._lock:
            return self._route_locked(texts, codes, on, lang, lean, best)

    def _route_locked(
        self,
        texts: list[str | None],
        codes: list[str | None] | None,
        on: date | None,
        lang: str | None,
        lean: bool,
        best: bool = False,
    ) -> list[RoutingResult | RowAnswer | RoutingInputError]:
        day = on or date.today()
        n = len(texts)
        codes = codes if codes is not None else [None] * n
        if len(codes) != n:
            raise ValueError("texts and codes must have the same length")
        out: list[RoutingResult | RowAnswer | RoutingInputError | None] = [None] * n
        has_text = [False] * n
        matches: list[CodeMatch | None] = [None] * n
        for i in range(n):
            text, code = texts[i], codes[i]
            try:
                if text is None and (code is None or code.strip() == ""):
                    raise NothingToRoute(
                        "text",
                        Text(
                            da="giv en beskrivelse, en branchekode eller begge",
                            en="give a description, an industry code or both",
                        ),
                    )
                if text is not None:
                    check_text(text)
                    has_text[i] = True
                if code is not None and code.strip():
                    matches[i] = lookup(code)
            except RoutingInputError as exc:
                out[i] = exc
        ok = [i for i in range(n) if out[i] is None]
        if not ok:
            return [r for r in out if r is not None]
        m = len(ok)

        # One tokenisation and one dictionary look-up per token for the whole batch. Every
        # description (an empty one for code-only rows) ends in a separator token.
        cleaned = strip_many([(texts[i] or "") if has_text[i] else "" for i in ok])
        toks = batch_tokens(cleaned, sentences=True)
        ids = self.model.word_ids(toks)
        is_sep = ids == SEPARATOR
        owner = np.cumsum(is_sep) - is_sep  # the separator belongs to the text it ends
        da_votes = np.bincount(owner[ids == DA_WORD], minlength=m)
        en_votes = np.bincount(owner[ids == EN_WORD], minlength=m)
        content = np.flatnonzero(ids >= N_RESERVED)
        rows, c_owner = ids[content], owner[content]
        # A description "says something" when one of its words leans towards a class and is not
        # a vague word (holding, trade, test, welcome), a generic verb or a place; boilerplate
        # was stripped before this. All of its sentences count, not only those kept below:
        # "Gyllevogne og udstyr til udbringning af husdyrgødning. Produceret i Viborg" says
        # something, though its second sentence is the one that leans furthest.
        said = np.bincount(c_owner[self.model.meaning[rows]], minlength=m) > 0
        # Sentences that say nothing about the trade next to the description's most telling
        # one (praise, values, history) are set aside before scoring (docs/routing.md).
        breaks = is_sep | (ids == SENTENCE)
        sentence = (np.cumsum(breaks) - breaks)[content]
        keep = self.model.focus_mask(rows, sentence, c_owner, FOCUS_RATIO)
        if not keep.all():
            content, rows, c_owner = content[keep], rows[keep], c_owner[keep]
        ends = np.flatnonzero(is_sep)
        starts = np.concatenate(([0], ends[:-1] + 1))
        langs: list[Language] = []
        for j, (dv, ev) in enumerate(zip(da_votes.tolist(), en_votes.tolist(), strict=True)):
            if dv != ev:
                langs.append("da" if dv > ev else "en")
            elif has_text[ok[j]]:
                langs.append(detect_language(toks[starts[j] : ends[j]]))
            else:
                langs.append("da" if lang == "da" else "en")

        probs = self.model.probabilities(self.model.logits_from(rows, c_owner, m))
        probs = probs.astype(np.float64)
        head = self._head() if best else None
        if head is not None:
            with_text = [j for j in range(m) if has_text[ok[j]] and said[j]]
            if with_text:
                # The embedding model reads the sentences that say what the company does.
                read = [embedding_text(cleaned[j], self.model, head.respeller) for j in with_text]
                votes = head.votes(head.encode(read))
                probs[with_text] = head.combine(probs[with_text], votes[:, self._head_order])
        empty = [False] * m
        for j, i in enumerate(ok):
            match = matches[i]
            text_counts = has_text[i] and bool(said[j])
            if match is not None:
                if text_counts:
                    p = probs[j] * np.array(code_evidence(match, self.classes))
                else:
                    p = np.array(code_prior(match, self.classes))
                probs[j] = p / p.sum()
            elif not text_counts:
                empty[j] = True
        order = np.argsort(-probs, axis=1, kind="stable")[:, : N_CANDIDATES + 1]
        best_area = np.where(order[:, 0] == self.none_index, order[:, 1], order[:, 0])
        best_p = probs[np.arange(m), best_area]
        is_none = (order[:, 0] == self.none_index) | (best_p < self.min_score)
        target = np.where(is_none, self.none_index, best_area)
        top = self._top_words(rows, c_owner, content, toks, target, m)
        order_l = order.tolist()
        probs_l = probs.tolist()  # plain floats: indexing NumPy scalars per row is slow
        if lean:
            is_none_l = is_none.tolist()
            for j, i in enumerate(ok):
                if empty[j]:
                    out[i] = self._insufficient_row(lang or langs[j])
                    continue
                out[i] = self._row(
                    probs_l[j], order_l[j], is_none_l[j], top[j], matches[i], day, lang or langs[j]
                )
            return [r for r in out if r is not None]
        # The second and third areas' deciding phrases, for the rows where each fits too (the
        # third in one row of twelve of the benchmark's), found as the first's, batch-wide.
        ranked = np.argsort(order == self.none_index, axis=1, kind="stable")  # areas first
        fits = ~is_none
        deciding = [top]
        for rank in (1, 2):
            area_k = order[np.arange(m), ranked[:, rank]]
            p_k = probs[np.arange(m), area_k]
            fits = fits & ((p_k >= ALSO_SCORE) | (p_k >= CLOSE_RATIO * best_p))
            sub = fits[c_owner]
            deciding.append(self._top_words(rows[sub], c_owner[sub], content[sub], toks, area_k, m))
        for j, i in enumerate(ok):
            if empty[j]:
                out[i] = self._insufficient(langs[j], day, lang or langs[j])
                continue
            result = self._result(
                probs_l[j],
                order_l[j],
                bool(is_none[j]),
                (deciding[0][j], deciding[1][j], deciding[2][j]),
                langs[j],
                matches[i],
                day,
                lang or langs[j],
            )
            if head is not None and has_text[i] and said[j]:
                result.model = "best"
            out[i] = result
        return [r for r in out if r is not None]

    def _head(self) -> KnnHead | None:
        """The embedding model's head, if installed, with its classes put in the model's order."""
        head = get_head()
        if head is not None and not self._head_order:
            if sorted(head.classes) != sorted(self.classes):
                raise ValueError("the embedding index and the linear model know other classes")
            self._head_order = [head.classes.index(c) for c in self.classes]
        return head

    def _top_words(
        self,
        rows: np.ndarray,
        owner: np.ndarray,
        positions: np.ndarray,
        toks: list[str],
        target: np.ndarray,
        n_docs: int,
    ) -> list[list[str]]:
        """For each document, up to three phrases that pushed its ``target`` class up the most.

        A phrase is a deciding word grown by its neighbours (at most one function word or
        number apart, never "og" / "and" or a sentence end) when they push the same class up
        too: "software til banker", "hearing aids", not "software". Place names and generic
        verbs are never named. Done for the whole batch at once: one sort by (document, push),
        duplicates dropped.
        """
        result: list[list[str]] = [[] for _ in range(n_docs)]
        n = rows.shape[0]
        if n == 0:
            return result
        v = self.model.vectors[rows]
        push = v[np.arange(n), target[owner]] - v.mean(axis=1)
        good = (push > 0) & self.model.explains[rows]
        # One sort key: document first, then the strongest push (pushes are far below 1e6).
        o = np.argsort(owner * 1e6 - push.astype(np.float64))
        ow, rw = owner[o], rows[o]
        dup = ~(run_starts(ow) | run_starts(rw))
        keep = ~dup & good[o]
        o, ow = o[keep], ow[keep]
        if o.shape[0] == 0:
            return result
        first = run_starts(ow)
        idx = np.arange(ow.shape[0])
        rank = idx - np.maximum.accumulate(np.where(first, idx, 0))
        ci = o[rank < 3]
        # Neighbours in the content-word arrays: same document, close in the text, pushing too.
        left = np.maximum(ci - 1, 0)
        right = np.minimum(ci + 1, n - 1)
        grow_l = (ci > 0) & (owner[left] == owner[ci]) & good[left]
        grow_l &= positions[ci] - positions[left] <= 2
        grow_r = (ci < n - 1) & (owner[right] == owner[ci]) & good[right]
        grow_r &= positions[right] - positions[ci] <= 2
        # Not across "og" / "and" or a sentence end: the token between two content words one
        # apart (a handful per document, so a look-up each).
        gap_l = np.flatnonzero(grow_l & (positions[ci] - positions[left] == 2))
        grow_l[gap_l] = [toks[q - 1] not in _NO_BRIDGE for q in positions[ci[gap_l]].tolist()]
        gap_r = np.flatnonzero(grow_r & (positions[right] - positions[ci] == 2))
        grow_r[gap_r] = [toks[q + 1] not in _NO_BRIDGE for q in positions[ci[gap_r]].tolist()]
        lo = np.where(grow_l, positions[left], positions[ci]).tolist()
        hi = np.where(grow_r, positions[right], positions[ci]).tolist()
        at = positions[ci].tolist()
        spans: dict[int, list[tuple[int, int]]] = {}
        for d, a, b, p in zip(owner[ci].tolist(), lo, hi, at, strict=True):
            taken = spans.get(d)
            if taken is None:
                spans[d] = [(a, b)]
                result[d].append(" ".join(toks[a : b + 1]) if b > a else toks[p])
                continue
            inside = False
            for x, y in taken:
                if x <= p <= y:
                    inside = True  # this word is already inside a phrase named for the document
                    break
                if x <= b and a <= y:
                    a = b = p  # the phrase would overlap one already named: the word alone
            if inside:
                continue
            taken.append((a, b))
            result[d].append(" ".join(toks[a : b + 1]) if b > a else toks[p])
        return result

    def _row(
        self,
        p: list[float],
        order: list[int],
        is_none: bool,
        top: list[str],
        match: CodeMatch | None,
        on: date,
        lang: str,
    ) -> RowAnswer:
        labels = self._row_labels(on, lang)
        none = self.none_index
        k = order[1] if order[0] == none else order[0]
        if is_none:
            first = (NONE, p[none])
            outcome: Outcome = "none"
            explanation = self._none_explanation(p, top, match, k, lang)
        else:
            area = self.classes[k]
            slug, _, status_text = self.holder(area, on, lang)
            first = (labels[k], p[k])
            outcome = "routed" if slug is not None else "no-cluster-for-area"
            why = self._why(area, top, match, lang)
            explanation = f"{why} {status_text}" if status_text else why
        rest = [(labels[k], p[k]) for k in order if labels[k] != first[0]][:2]
        return outcome, first[0], first[1], rest, explanation

    def _row_labels(self, on: date, lang: str) -> list[str]:
        """Per class, its batch label on the day: slug, ``none`` or ``no-cluster:<area>``."""
        key = (on, lang)
        labels = self._labels.get(key)
        if labels is None:
            labels = []
            for _, area, slug in self._class_info(on, lang):
                labels.append(NONE if area is None else slug or f"no-cluster:{area}")
            self._labels[key] = labels
        return labels

    def _class_info(self, on: date, lang: str) -> list[tuple[str, str | None, str | None]]:
        """Per class: (label, area or None, cluster slug or None) on the day, cached."""
        key = (on, lang)
        info = self._info.get(key)
        if info is None:
            info = []
            for k, label in enumerate(self.classes):
                if k == self.none_index:
                    info.append((NONE, None, None))
                else:
                    info.append((label, label, self.holder(label, on, lang)[0]))
            self._info[key] = info
        return info

    def _result(
        self,
        p: list[float],
        order: list[int],
        is_none: bool,
        deciding: tuple[list[str], list[str], list[str]],
        text_lang: Language,
        match: CodeMatch | None,
        on: date,
        lang: str,
    ) -> RoutingResult:
        info = self._class_info(on, lang)
        none = self.none_index
        candidates = [Candidate(*info[k], p[k]) for k in order[:N_CANDIDATES]]
        code = match.code if match is not None else None
        areas = [k for k in order if k != none]
        if is_none:
            return RoutingResult(
                text_lang,
                "none",
                [],
                self._none_explanation(p, deciding[0], match, areas[0], lang),
                on,
                candidates,
                None,
                code,
                p[none],
            )
        hits = []
        first = p[areas[0]]
        for n, k in enumerate(areas[:MAX_FITTING]):
            if n and p[k] < ALSO_SCORE and p[k] < CLOSE_RATIO * first:
                break
            area = self.classes[k]
            # A runner-up that nothing in the text or the code speaks for, and that is not close
            # to the first, is not shown: it would read "best guess, with no clear deciding
            # words" beside a clear answer (the best model's neighbours can give one).
            if (
                n
                and not deciding[n]
                and p[k] < CLOSE_RATIO * first
                and (match is None or match.areas.get(area, 0.0) <= 0)
            ):
                continue
            slug, certain, status_text = self.holder(area, on, lang)
            why = self._why(area, deciding[n], match, lang)
            hits.append(
                ClusterHit(
                    slug, area, p[k], f"{why} {status_text}" if status_text else why, certain
                )
            )
        return RoutingResult(
            text_lang,
            "routed" if hits[0].slug is not None else "no-cluster-for-area",
            hits,
            hits[0].explanation,
            on,
            candidates,
            self.note(on, lang),
            code,
            p[none],
        )

    # Explanations are built in the one language asked for: they run once per routed row, so
    # they use plain f-strings rather than building both languages and picking one.
    def _why(self, area: str, top: list[str], match: CodeMatch | None, lang: str) -> str:
        if match is None and top:  # the common case, one string join
            key = (area, lang)
            prefix = self._why_prefix.get(key)
            if prefix is None:
                name = self.area_name(area, lang)
                prefix = self._why_prefix[key] = (
                    f"{name}, afgjort af " if lang == "da" else f"{name}, decided by "
                )
            return f"{prefix}{_quote(top, lang)}."
        name = self.area_name(area, lang)
        da = lang == "da"
        code = match.label(lang) if match is not None and match.areas.get(area, 0.0) > 0 else None
        if not top and code is None:
            if da:
                return f"{name}: bedste bud, men uden tydelige ord."
            return f"{name}: best guess, with no clear deciding words."
        # One list: "»a«, »b« og NACE-undergruppe 28.99", not "»a« og »b« og NACE-...".
        joined = _quote(top, lang, code)
        return f"{name}, afgjort af {joined}." if da else f"{name}, decided by {joined}."

    def _none_explanation(
        self,
        p: list[float],
        top: list[str],
        match: CodeMatch | None,
        best_area: int,
        lang: str,
    ) -> str:
        closest = self.area_name(self.classes[best_area], lang)
        # Only name the nearest area when it is a real possibility, never as "score 0.00".
        near = p[best_area] >= NEAR_SCORE
        if lang == "da":
            parts = ["Ingen klynge passer: virksomheden ligger uden for alle klyngernes områder."]
            if top:
                parts.append(f"Ordene {_quote(top, lang)} peger væk fra klyngeområderne.")
            if match is not None and match.areas.get(NONE, 0.0) > 0.5:
                parts.append(f"{match.label(lang)} hører ikke til noget område.")
            if near:
                parts.append(
                    f"Arbejder virksomheden også med {closest.lower()}, så beskriv den del: "
                    "så kan områdets klynge passe."
                )
            parts.append(NEXT_STEP.da)
        else:
            parts = ["No cluster fits: the company lies outside every cluster's area."]
            if top:
                parts.append(f"The words {_quote(top, lang)} point away from the cluster areas.")
            if match is not None and match.areas.get(NONE, 0.0) > 0.5:
                parts.append(f"{match.label(lang)} belongs to no area.")
            if near:
                parts.append(
                    f"If the company also works in {closest}, describe that part: that area's "
                    "cluster may fit."
                )
            parts.append(NEXT_STEP.en)
        return " ".join(parts)

    def _insufficient(self, text_lang: Language, on: date, lang: str) -> RoutingResult:
        return RoutingResult(
            text_lang, "insufficient", [], INSUFFICIENT_TEXT.get(lang), on, [], None, None, 0.0
        )

    def _insufficient_row(self, lang: str) -> RowAnswer:
        return "insufficient", INSUFFICIENT, 0.0, [], INSUFFICIENT_TEXT.get(lang)


@lru_cache(maxsize=1)
def get_router() -> Router:
    return Router()


def route(
    text: str | None = None,
    nace: str | None = None,
    on: date | None = None,
    lang: str | None = None,
) -> RoutingResult:
    """Route one company from a description, an industry code or both.

    ``lang`` is the language of the explanation (default: the description's own language).
    Raises :class:`RoutingInputError` with a bilingual reason for input it cannot read.
    """
    result = get_router().route_many([text], [nace], on=on, lang=lang)[0]
    if isinstance(result, RoutingInputError):
        raise result
    return result
