"""Static word vectors for training: PCA of the distilled word embeddings (see distil.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from distil import WORDS_PATH
from scipy import sparse

from klynge.routing.clean import strip_boilerplate
from klynge.routing.text import ascii_danish, content_words, fold, tokens


@dataclass
class StaticVectors:
    words: list[str]  # as the features see them: without æ, ø, å (ae, oe, aa)
    vectors: np.ndarray  # [V, d], centred and reduced

    @classmethod
    def load(cls, dims: int, path: Path = WORDS_PATH) -> StaticVectors:
        with np.load(path, allow_pickle=False) as z:
            raw = [str(w) for w in z["words"]]
            v = z["vectors"].astype(np.float64)
        # "møbler" and "moebler" are one word to the features: average their vectors.
        words, which = np.unique([ascii_danish(w) for w in raw], return_inverse=True)
        v = np.stack([np.bincount(which, weights=v[:, j]) for j in range(v.shape[1])], axis=1)
        v /= np.bincount(which)[:, None]
        words = [str(w) for w in words]
        v = v - v.mean(axis=0)
        _, _, vt = np.linalg.svd(v, full_matrices=False)
        reduced = v @ vt[:dims].T
        reduced /= np.sqrt((reduced**2).sum(axis=1)).mean()  # mean word norm 1
        return cls(words, reduced.astype(np.float32))

    def features(self, texts: list[str], norm: str) -> sparse.csr_matrix:
        """Per text: the sum of its content words' vectors, scaled by 1/sqrt(n) or 1/n."""
        index = {w: i for i, w in enumerate(self.words)}
        d = self.vectors.shape[1]
        out = np.zeros((len(texts), d), dtype=np.float64)
        for i, t in enumerate(texts):
            cw = content_words(tokens(fold(strip_boilerplate(t))))
            if not cw:
                continue
            keys = [ascii_danish(w) for w in cw]
            ids = [index[w] for w in keys if w in index]
            if ids:
                scale = 1.0 / (np.sqrt(len(cw)) if norm == "sqrt" else len(cw))
                out[i] = self.vectors[ids].sum(axis=0) * scale
        return sparse.csr_matrix(out)


def oov_table(
    words: list[str], rows: np.ndarray, lam: float = 1.0, min_words: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """A ridge regression from a word's character n-grams to its class contributions.

    Fitted on the vocabulary, it gives words outside it (a compound nobody wrote in the
    training text) the contribution their n-grams predict. Only n-grams shared by at least
    ``min_words`` words are used: one seen in a single word would only learn that word, which
    is known anyway. Returns (bucket keys, rows).
    """
    from sklearn.linear_model import Ridge

    from klynge.routing.features import ngram_buckets

    wi, bi, vals = ngram_buckets(words)
    pairs = np.unique(np.stack([bi, wi]), axis=1)
    keys, df = np.unique(pairs[0], return_counts=True)
    keys = keys[df >= min_words]
    keep = np.isin(bi, keys)
    wi, bi, vals = wi[keep], bi[keep], vals[keep]
    col = np.searchsorted(keys, bi)
    x = sparse.csr_matrix((vals, (wi, col)), shape=(len(words), keys.shape[0]))
    x.sum_duplicates()
    reg = Ridge(alpha=lam, fit_intercept=False, solver="sparse_cg")
    reg.fit(x, rows)
    return keys.astype(np.int64), np.asarray(reg.coef_.T, dtype=np.float32)
