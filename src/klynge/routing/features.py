"""Hashed word features: the word, its stem and its character n-grams.

Danish glues words together (havvindmøller, møbeldesign, softwareudvikling), so a word the model
never saw still shares n-grams such as ``vind``, ``møbel`` or ``softw`` with words it did see.
Stems catch inflections (møbler, møbel). Features are hashed into ``2**N_BITS`` buckets so the
model needs no vocabulary; the n-gram hashes are computed for a whole list of words at once in
NumPy, which is what makes a cold batch fast.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from klynge.routing.text import Language, ascii_danish

N_BITS = 20
NGRAMS = (3, 4, 5)
_P = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - N_BITS)
_SEEDS = {n: np.uint64(0xCBF29CE484222325 + 7919 * n) for n in NGRAMS}

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


@lru_cache(maxsize=2)
def _stemmer(lang: Language) -> Any:
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer("danish" if lang == "da" else "english")


def stems(words: list[str], lang: Language) -> list[str]:
    return list(_stemmer(lang).stemWords(words))


def _bucket(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) & ((1 << N_BITS) - 1)


def word_bucket(word: str) -> int:
    return _bucket("w\x00" + word)


def stem_bucket(stem: str) -> int:
    return _bucket("s\x00" + stem)


def ngram_buckets(words: list[str]) -> tuple[IntArray, IntArray, FloatArray]:
    """Character n-grams of ``<word>`` for every word: (word index, bucket, value).

    Each word's n-grams share a weight of one in the L2 sense (value 1/sqrt(count)), so a long
    compound does not outvote a short word by sheer length.
    """
    if not words:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    framed = "<" + "><".join(words) + ">"
    codes = np.frombuffer(framed.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(w) + 2 for w in words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths)
    word_of = np.repeat(np.arange(len(words), dtype=np.int64), lengths)
    total = codes.shape[0]
    per_word = np.zeros(len(words), dtype=np.int64)
    for n in NGRAMS:
        per_word += np.maximum(lengths - n + 1, 0)
    out_w: list[IntArray] = []
    out_b: list[IntArray] = []
    for n in NGRAMS:
        m = total - n + 1
        if m <= 0:
            continue
        starts = np.arange(m, dtype=np.int64)
        ok = starts + n <= ends[word_of[:m]]
        h = np.full(m, _SEEDS[n], dtype=np.uint64)
        for k in range(n):
            h = h * _P + codes[k : k + m]
        b = ((h * _MIX) >> _SHIFT).astype(np.int64)
        out_w.append(word_of[:m][ok])
        out_b.append(b[ok])
    wi = np.concatenate(out_w)
    bi = np.concatenate(out_b)
    vals = (1.0 / np.sqrt(np.maximum(per_word, 1)))[wi].astype(np.float32)
    return wi, bi, vals


def word_features(words: list[str], ascii: bool = True) -> tuple[IntArray, IntArray, FloatArray]:
    """All features of each word in ``words``: (word index, bucket, value), unsorted.

    Both the Danish and the English stem are used, so a word's features do not depend on the
    language guessed for its description (one cache entry per word, and mixed-language text
    still meets its stems); when the two stems agree the feature appears once. With ``ascii``
    every feature is computed on the word as written without æ, ø and å
    (:func:`~klynge.routing.text.ascii_danish`), so a description typed on a keyboard without
    them gets the same scores; models trained before that (no ``ascii_danish`` in their meta)
    read the words as written.
    """
    if ascii:
        words = [ascii_danish(w) for w in words]
    wi, bi, vals = ngram_buckets(words)
    n = len(words)
    idx = np.arange(n, dtype=np.int64)
    wb = np.fromiter((word_bucket(w) for w in words), dtype=np.int64, count=n)
    da = stems(words, "da")
    en = stems(words, "en")
    sda = np.fromiter((stem_bucket(s) for s in da), dtype=np.int64, count=n)
    sen = np.fromiter((stem_bucket(s) for s in en), dtype=np.int64, count=n)
    differ = sen != sda
    ones = np.ones(n, dtype=np.float32)
    return (
        np.concatenate([idx, idx, idx[differ], wi]),
        np.concatenate([wb, sda, sen[differ], bi]),
        np.concatenate([ones, ones, ones[differ], vals]),
    )


def word_hashes(words: list[str], ascii: bool = True) -> npt.NDArray[np.uint64]:
    """A stable 32-bit hash per word (as written without æ, ø, å), for :func:`bigram_buckets`."""
    return np.fromiter(
        (zlib.crc32(("w\x00" + (ascii_danish(w) if ascii else w)).encode("utf-8")) for w in words),
        dtype=np.uint64,
        count=len(words),
    )


_BIGRAM_SALT = np.uint64(0x5851F42D4C957F2D)
_SHIFT32 = np.uint64(32)


def bigram_buckets(left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64]) -> IntArray:
    """Buckets of adjacent content-word pairs ("offshore wind", "hearing aids")."""
    h = ((left << _SHIFT32) | right) ^ _BIGRAM_SALT
    return ((h * _MIX) >> _SHIFT).astype(np.int64)


def doc_scale(n_words: int) -> float:
    """Documents are the sum of their words' features divided by sqrt(word count)."""
    return 1.0 / float(np.sqrt(max(n_words, 1)))
