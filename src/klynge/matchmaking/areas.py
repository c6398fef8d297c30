"""What the router reads of a profile's texts: each text's probabilities over the cluster areas,
for the recommender's reranker (docs/matchmaking.md, "Session 9").

Two offers that look alike to e5 can belong to different trades (a robot for hospital wards and
one for pig stables); the router has learned, from thousands of company descriptions, which
trade a text's words and meaning belong to. Its scores of the request, the seeker's own offer
and each candidate's offer say whether they name the same trade.

The router's linear model reads each text's words (microseconds a text). Its nearest-neighbour
head, fed the e5 vectors the recommender already has, gained nothing more when left one writer
out and is not used (commit d7c39c3 has that variant; docs/matchmaking.md, "Session 9").

The router's "none" class is dropped: the rows are the areas' probabilities and sum to at most 1.
Matchmaking imports only routing's model files and text functions, domain to domain, as it
imports ``klynge.routing.text``.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

import numpy as np

from klynge.routing.clean import strip_many
from klynge.routing.model import N_RESERVED, NONE, SEPARATOR, LinearModel, ModelFileError
from klynge.routing.text import batch_tokens

_log = logging.getLogger(__name__)
#: The linear model keeps a cache of word rows: one caller at a time (its own copy, so the
#: router's lock is not needed).
_LOCK = threading.Lock()
#: The linear model's reading of each text, kept for the life of the process (the index of a
#: few hundred profiles is rebuilt for every request, as ``guess.vectors`` keeps their vectors).
_CACHE: dict[str, Any] = {}
_CACHE_MAX = 100_000


@lru_cache(maxsize=1)
def _model() -> LinearModel | None:
    try:
        return LinearModel.load()
    except ModelFileError as exc:
        # The reranker then reads 0 for both area features: said once, not passed off silently.
        _log.warning("matchmaking: the router's model is unreadable (%s); area scores are 0", exc)
        return None


def available() -> bool:
    """Is the router's model file there (it ships with klynge)?"""
    return _model() is not None


def area_names() -> list[str]:
    """The areas of a row of :func:`area_scores`, in order (the router's classes less none)."""
    model = _model()
    return [c for c in model.classes if c != NONE] if model is not None else []


def area_scores(texts: list[str]) -> Any:
    """Each text's probabilities over the cluster areas by the router's linear model
    (``area_names`` order; the router's "none" left out). Zeros (``len(texts) x 0``) when the
    router's model is missing."""
    model = _model()
    if model is None or not texts:
        return np.zeros((len(texts), len(area_names())))
    with _LOCK:
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        todo = list(dict.fromkeys(t for t in texts if t not in _CACHE))
        if todo:
            toks = batch_tokens(strip_many(todo))
            ids = model.word_ids(toks)
            ends = ids == SEPARATOR
            owner = np.cumsum(ends) - ends  # the separator belongs to the text it ends
            content = ids >= N_RESERVED
            got = model.probabilities(model.logits_from(ids[content], owner[content], len(todo)))
            _CACHE.update(zip(todo, got.astype(np.float64), strict=True))
        probs = np.stack([_CACHE[t] for t in texts])
    keep = [i for i, c in enumerate(model.classes) if c != NONE]
    return probs[:, keep]
