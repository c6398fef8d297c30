"""The linear text model: hashed word features times a weight matrix, softmax over areas.

Only the buckets that training touched are stored (sorted keys plus float16 rows), which keeps
``data/model.npz`` small and loading fast. A description's score is the sum of its words'
vectors, so each distinct word is featurised once and cached: real text repeats its vocabulary,
and a batch mostly costs a dictionary look-up per word plus one ``reduceat``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from klynge.routing.features import word_features
from klynge.routing.text import Language

DATA_DIR = Path(__file__).with_name("data")
MODEL_PATH = DATA_DIR / "model.npz"
NONE = "none"

Matrix = npt.NDArray[np.float32]


class ModelFileError(RuntimeError):
    """The shipped model file is missing or broken: a packaging fault, not the user's."""


@dataclass
class LinearModel:
    classes: list[str]
    keys: npt.NDArray[np.int64]
    rows: Matrix
    bias: Matrix
    temperature: float = 1.0
    meta: dict[str, float] = field(default_factory=dict)
    cache_size: int = 200_000

    def __post_init__(self) -> None:
        self._index: dict[str, dict[str, int]] = {}
        self._used = 0
        self._vectors = np.zeros((1024, len(self.classes)), dtype=np.float32)

    # -- persistence -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearModel:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta_keys = [str(k) for k in z["meta_keys"]]
                meta_vals = [float(v) for v in z["meta_values"]]
                return cls(
                    classes=[str(c) for c in z["classes"]],
                    keys=z["keys"].astype(np.int64),
                    rows=z["rows"].astype(np.float32),
                    bias=z["bias"].astype(np.float32),
                    temperature=float(z["temperature"]),
                    meta=dict(zip(meta_keys, meta_vals, strict=True)),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(f"cannot read the routing model {path}: {exc}") from exc

    def save(self, path: Path) -> None:
        order = np.argsort(self.keys)
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            keys=self.keys[order].astype(np.uint32),
            rows=self.rows[order].astype(np.float16),
            bias=self.bias.astype(np.float32),
            temperature=np.float32(self.temperature),
            meta_keys=np.array(list(self.meta)),
            meta_values=np.array(list(self.meta.values()), dtype=np.float32),
        )

    @classmethod
    def from_dense(
        cls,
        classes: list[str],
        weights: npt.NDArray[Any],
        bias: npt.NDArray[Any],
        temperature: float,
        meta: dict[str, float],
        tol: float = 1e-4,
    ) -> LinearModel:
        """Keep only the buckets whose weights matter (``weights`` is ``[n_buckets, K]``)."""
        used = np.flatnonzero(np.abs(weights).max(axis=1) > tol)
        return cls(
            classes=classes,
            keys=used.astype(np.int64),
            rows=weights[used].astype(np.float32),
            bias=np.asarray(bias, dtype=np.float32),
            temperature=temperature,
            meta=meta,
        )

    # -- scoring -----------------------------------------------------------------------------
    def _compute(self, words: list[str], lang: Language) -> Matrix:
        wi, bi, vals = word_features(words, lang)
        k = len(self.classes)
        out = np.zeros((len(words), k), dtype=np.float32)
        if self.keys.shape[0] == 0 or wi.shape[0] == 0:
            return out
        pos = np.searchsorted(self.keys, bi)
        pos = np.minimum(pos, self.keys.shape[0] - 1)
        hit = self.keys[pos] == bi
        wi, pos, vals = wi[hit], pos[hit], vals[hit]
        contrib = self.rows[pos] * vals[:, None]
        for c in range(k):
            out[:, c] = np.bincount(wi, weights=contrib[:, c], minlength=len(words))
        return out

    def word_ids(self, words: list[str], lang: Language, allow_reset: bool = True) -> list[int]:
        """Rows of the word-vector cache for ``words``, featurising the new ones in one go.

        When the cache is full it starts afresh (``allow_reset``), so memory stays bounded.
        """
        index = self._index.setdefault(lang, {})
        get = index.get
        ids = [get(w, -1) for w in words]
        if -1 not in ids:
            return ids
        missing = list(dict.fromkeys(w for w, i in zip(words, ids, strict=True) if i < 0))
        if allow_reset and self.cached_words() + len(missing) > self.cache_size:
            self.clear_cache()
            index = self._index.setdefault(lang, {})
            missing = list(dict.fromkeys(words))
        vecs = self._compute(missing, lang)
        start = self._used
        need = start + len(missing)
        if need > self._vectors.shape[0]:
            grown = np.zeros((max(need, 2 * self._vectors.shape[0]), len(self.classes)))
            grown[:start] = self._vectors[:start]
            self._vectors = grown.astype(np.float32)
        self._vectors[start:need] = vecs
        index.update(zip(missing, range(start, need), strict=True))
        self._used = need
        return [index[w] for w in words]

    def cached_words(self) -> int:
        return self._used

    def clear_cache(self) -> None:
        self._index.clear()
        self._used = 0

    def word_vectors(self, words: list[str], lang: Language) -> Matrix:
        """Each word's contribution to every class, before scaling by document length."""
        return self._vectors[self.word_ids(words, lang)]

    def doc_words(
        self, docs: list[list[str]], langs: list[Language]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
        """All words of all documents: (cache row, document index, the word), flattened.

        Cache rows stay valid until the next call, which may reset the cache.
        """
        rows: list[int] = []
        owner: list[int] = []
        flat: list[str] = []
        # Reset up front if this batch could overflow the cache: rows from one language group
        # must stay valid while the next group is looked up.
        if self._used + sum(len(d) for d in docs) > self.cache_size:
            self.clear_cache()
        by_lang: dict[Language, list[int]] = {}
        for i, lang in enumerate(langs):
            if docs[i]:
                by_lang.setdefault(lang, []).append(i)
        for lang, members in by_lang.items():
            words: list[str] = []
            for i in members:
                words.extend(docs[i])
                owner.extend([i] * len(docs[i]))
            flat.extend(words)
            rows.extend(self.word_ids(words, lang, allow_reset=False))
        return np.array(rows, dtype=np.int64), np.array(owner, dtype=np.int64), flat

    def logits_from(
        self, rows: npt.NDArray[np.int64], owner: npt.NDArray[np.int64], n_docs: int
    ) -> Matrix:
        """Class scores from :meth:`doc_words` output: bias + sum of word vectors, scaled."""
        out = np.tile(self.bias, (n_docs, 1))
        if rows.shape[0] == 0:
            return out
        order = np.argsort(owner, kind="stable")
        owner_sorted = owner[order]
        starts = np.flatnonzero(np.r_[True, owner_sorted[1:] != owner_sorted[:-1]])
        docs = owner_sorted[starts]
        sums = np.add.reduceat(self._vectors[rows[order]], starts, axis=0)
        counts = np.diff(np.r_[starts, owner_sorted.shape[0]])
        scale = (1.0 / np.sqrt(np.maximum(counts, 1))).astype(np.float32)
        out[docs] += sums * scale[:, None]
        return out

    def logits(self, docs: list[list[str]], langs: list[Language]) -> Matrix:
        """Raw class scores for many documents (lists of content words) at once."""
        rows, owner, _ = self.doc_words(docs, langs)
        return self.logits_from(rows, owner, len(docs))

    def probabilities(self, logits: Matrix) -> Matrix:
        z = logits / np.float32(self.temperature)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
