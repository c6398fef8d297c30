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
from klynge.routing.codes import CodeMatch, code_prior, lookup
from klynge.routing.model import (
    DA_WORD,
    EN_WORD,
    N_RESERVED,
    NONE,
    SEPARATOR,
    LinearModel,
    run_starts,
)
from klynge.routing.text import (
    Language,
    RoutingInputError,
    batch_tokens,
    check_text,
    content_words,
    detect_language,
)

Outcome = Literal["routed", "none", "no-cluster-for-area"]
#: A batch output row: (outcome, label, score, two runners-up as (label, score), explanation).
RowAnswer = tuple[Outcome, str, float, list[tuple[str, float]], str]

#: An area must reach this score to count at all; below it the answer is "no cluster fits".
#: The shipped model carries its own value, chosen on out-of-fold training scores (train.py).
MIN_SCORE = 0.25
#: Further areas are returned when their score reaches this: with calibrated scores, a one in
#: seven chance is a real contender (a hearing-aid maker is sound and life science).
ALSO_SCORE = 0.15
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
        }


class NothingToRoute(RoutingInputError):
    pass


def _quote(words: list[str], lang: str) -> str:
    if not words:
        return ""
    if lang == "da":
        if len(words) == 1:
            return f"»{words[0]}«"
        return "»" + "«, »".join(words[:-1]) + f"« og »{words[-1]}«"
    if len(words) == 1:
        return f'"{words[0]}"'
    return '"' + '", "'.join(words[:-1]) + f'" and "{words[-1]}"'


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
                da="Kontakt det lokale destinationsselskab eller de nationale "
                "turismeorganisationer.",
                en="Contact the local destination company or the national tourism organisations.",
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
            .replace("..", "."),
        )

    # -- routing -----------------------------------------------------------------------------
    def route_many(
        self,
        texts: list[str | None],
        codes: list[str | None] | None = None,
        on: date | None = None,
        lang: str | None = None,
    ) -> list[RoutingResult | RoutingInputError]:
        """Route many companies in one pass; a bad row gives its error, not an exception."""
        return self._route(texts, codes, on, lang, lean=False)  # type: ignore[return-value]

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
        return self._route(texts, codes, on, lang, lean=True)  # type: ignore[return-value]

    def _route(
        self,
        texts: list[str | None],
        codes: list[str | None] | None,
        on: date | None,
        lang: str | None,
        lean: bool,
    ) -> list[RoutingResult | RowAnswer | RoutingInputError]:
        # The word cache is shared state: rows handed out by one call must not be reset by a
        # call in another thread (a web server's worker threads) before they are used.
        with self._lock:
            return self._route_locked(texts, codes, on, lang, lean)

    def _route_locked(
        self,
        texts: list[str | None],
        codes: list[str | None] | None,
        on: date | None,
        lang: str | None,
        lean: bool,
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
        toks = batch_tokens([(texts[i] or "") if has_text[i] else "" for i in ok])
        ids = self.model.word_ids(toks)
        is_sep = ids == SEPARATOR
        owner = np.cumsum(is_sep) - is_sep  # the separator belongs to the text it ends
        da_votes = np.bincount(owner[ids == DA_WORD], minlength=m)
        en_votes = np.bincount(owner[ids == EN_WORD], minlength=m)
        content = np.flatnonzero(ids >= N_RESERVED)
        rows, c_owner = ids[content], owner[content]
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
        for j, i in enumerate(ok):
            match = matches[i]
            if match is not None:
                prior = np.array(code_prior(match, self.classes))
                p = probs[j] * prior if has_text[i] else prior
                probs[j] = p / p.sum()
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
                out[i] = self._row(
                    probs_l[j], order_l[j], is_none_l[j], top[j], matches[i], day, lang or langs[j]
                )
            return [r for r in out if r is not None]
        # The runner-up area's deciding words, for the rows where it fits too.
        non_none = order != self.none_index
        first_two = np.argsort(~non_none, axis=1, kind="stable")[:, :2]
        second = order[np.arange(m), first_two[:, 1]]
        p2 = probs[np.arange(m), second]
        need2 = ~is_none & (p2 >= ALSO_SCORE)
        sub = need2[c_owner]
        top2 = self._top_words(rows[sub], c_owner[sub], content[sub], toks, second, m)
        starts_l, ends_l = starts.tolist(), ends.tolist()
        for j, i in enumerate(ok):
            out[i] = self._result(
                probs_l[j],
                order_l[j],
                bool(is_none[j]),
                top[j],
                top2[j],
                (toks, starts_l[j], ends_l[j]),
                langs[j],
                matches[i],
                day,
                lang or langs[j],
            )
        return [r for r in out if r is not None]

    def _top_words(
        self,
        rows: np.ndarray,
        owner: np.ndarray,
        positions: np.ndarray,
        toks: list[str],
        target: np.ndarray,
        n_docs: int,
    ) -> list[list[str]]:
        """For each document, up to three words that pushed its ``target`` class up the most.

        Done for the whole batch at once: one sort by (document, push), duplicates dropped.
        """
        result: list[list[str]] = [[] for _ in range(n_docs)]
        if rows.shape[0] == 0:
            return result
        v = self.model.vectors[rows]
        push = v[np.arange(rows.shape[0]), target[owner]] - v.mean(axis=1)
        # One sort key: document first, then the strongest push (pushes are far below 1e6).
        o = np.argsort(owner * 1e6 - push.astype(np.float64))
        ow, rw, pu = owner[o], rows[o], push[o]
        dup = ~(run_starts(ow) | run_starts(rw))
        keep = ~dup & (pu > 0)
        o, ow = o[keep], ow[keep]
        if o.shape[0] == 0:
            return result
        first = run_starts(ow)
        idx = np.arange(ow.shape[0])
        rank = idx - np.maximum.accumulate(np.where(first, idx, 0))
        sel = rank < 3
        for pos, d in zip(positions[o[sel]].tolist(), ow[sel].tolist(), strict=True):
            result[d].append(toks[pos])
        return result

    def _words_for(self, span: tuple[list[str], int, int], k: int) -> list[str]:
        """The words of one description that pushed class ``k`` up the most (at most three)."""
        toks, start, end = span
        uniq = list(dict.fromkeys(content_words(toks[start:end])))
        if not uniq:
            return []
        v = self.model.word_vectors(uniq)
        push = v[:, k] - v.mean(axis=1)
        order = np.argsort(-push, kind="stable")
        return [uniq[o] for o in order[:3] if push[o] > 0]

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
        top: list[str],
        top2: list[str],
        span: tuple[list[str], int, int],
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
                self._none_explanation(p, top, match, areas[0], lang),
                on,
                candidates,
                None,
                code,
                p[none],
            )
        hits = []
        for n, k in enumerate(areas[:MAX_FITTING]):
            if n and p[k] < ALSO_SCORE:
                break
            area = self.classes[k]
            slug, certain, status_text = self.holder(area, on, lang)
            deciding = top if n == 0 else top2 if n == 1 else self._words_for(span, k)
            why = self._why(area, deciding, match, lang)
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
                    f"{name}, afgjort af ordene "
                    if lang == "da"
                    else f"{name}, decided by the words "
                )
            return f"{prefix}{_quote(top, lang)}."
        name = self.area_name(area, lang)
        da = lang == "da"
        parts: list[str] = []
        if top:
            parts.append(f"ordene {_quote(top, lang)}" if da else f"the words {_quote(top, lang)}")
        if match is not None and match.areas.get(area, 0.0) > 0:
            parts.append(match.label(lang))
        if not parts:
            if da:
                return f"{name}: bedste bud, men uden tydelige ord."
            return f"{name}: best guess, with no clear deciding words."
        joined = (" og " if da else " and ").join(parts)
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
        score = f"{p[best_area]:.2f}"
        if lang == "da":
            parts = ["Ingen klynge passer: virksomheden ligger uden for alle klyngernes områder."]
            if top:
                parts.append(f"Ordene {_quote(top, lang)} peger væk fra klyngeområderne.")
            if match is not None and match.areas.get(NONE, 0.0) > 0.5:
                parts.append(f"{match.label(lang)} hører ikke til noget område.")
            parts.append(f"Nærmeste område: {closest} (score {score}).")
        else:
            parts = ["No cluster fits: the company lies outside every cluster's area."]
            if top:
                parts.append(f"The words {_quote(top, lang)} point away from the cluster areas.")
            if match is not None and match.areas.get(NONE, 0.0) > 0.5:
                parts.append(f"{match.label(lang)} belongs to no area.")
            parts.append(f"Closest area: {closest} (score {score}).")
        return " ".join(parts)


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
