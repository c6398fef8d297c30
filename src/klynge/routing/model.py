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

from klynge.routing.features import bigram_buckets, ngram_buckets, word_features, word_hashes
from klynge.routing.text import (
    CLAUSE_MARK,
    DA_WORDS,
    EN_WORDS,
    KEY_NEIGHBOURS,
    NO_MEANING_ALONE,
    SENTENCE_MARK,
    STOPWORDS,
    UNEXPLAINING_WORDS,
    ascii_danish,
)

DATA_DIR = Path(__file__).with_name("data")

#: The character that joins the descriptions of a batch; the tokeniser keeps it as a token.
SEP = "\x1e"
SEPARATOR, DA_WORD, EN_WORD, NEUTRAL_WORD, SENTENCE = 0, 1, 2, 3, 4
N_RESERVED = 5
RESERVED: dict[str, int] = {
    SEP: SEPARATOR,
    SENTENCE_MARK: SENTENCE,
    CLAUSE_MARK: NEUTRAL_WORD,
    **{w: DA_WORD for w in DA_WORDS},
    **{w: EN_WORD for w in EN_WORDS},
    **{w: NEUTRAL_WORD for w in STOPWORDS - DA_WORDS - EN_WORDS},
}
MODEL_PATH = DATA_DIR / "model.npz"
NONE = "none"
#: A word carries meaning when its vector leans this far towards one class (its largest class
#: score minus the mean over classes); letters the model never saw, such as "asdf", do not.
#: The shipped model may carry its own value (``meta["min_lean"]``).
MIN_LEAN = 0.5
#: Unknown words this long or longer are mended when one known word is a slip of the finger away
#: (``LinearModel.mend``). Shorter ones are too often real words the vocabulary lacks: at six
#: letters, "horsens" became "horses" and "slukker" (puts out) "sukker" (sugar).
MEND_MIN_LETTERS = 8

Matrix = npt.NDArray[np.float32]


def run_starts(a: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """True where a run of equal values starts (cheaper than ``np.r_`` for small arrays)."""
    out = np.empty(a.shape[0], dtype=bool)
    if a.shape[0]:
        out[0] = True
        np.not_equal(a[1:], a[:-1], out=out[1:])
    return out


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
    #: Distilled static word vectors, already multiplied into class scores: each known word's
    #: contribution (``static_rows[static_index[word]]``) is added to its hashed features'.
    static_words: list[str] = field(default_factory=list)
    static_rows: Matrix | None = None
    #: For words outside that vocabulary: their predicted contribution from character n-grams.
    oov_keys: npt.NDArray[np.int64] | None = None
    oov_rows: Matrix | None = None
    #: Read an unknown word as the known word one slip of the finger away (``mend``).
    mend_slips: bool = True

    def __post_init__(self) -> None:
        self.static_index = {w: i for i, w in enumerate(self.static_words)}
        self._index: dict[str, int] = dict(RESERVED)
        self._used = N_RESERVED
        self._vectors = np.zeros((1024, len(self.classes)), dtype=np.float32)
        self._hashes = np.zeros(1024, dtype=np.uint64)
        self._meaning = np.zeros(1024, dtype=np.bool_)
        self._explains = np.zeros(1024, dtype=np.bool_)
        self.bigrams = bool(self.meta.get("bigrams", 0.0))
        self.min_lean = float(self.meta.get("min_lean", MIN_LEAN))
        #: Features of words as written without æ, ø, å (models trained since issue 12).
        self.ascii = bool(self.meta.get("ascii_danish", 0.0))

    # -- persistence -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearModel:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta_keys = [str(k) for k in z["meta_keys"]]
                meta_vals = [float(v) for v in z["meta_values"]]
                static = "static_rows" in z.files
                oov = "oov_keys" in z.files
                return cls(
                    classes=[str(c) for c in z["classes"]],
                    keys=z["keys"].astype(np.int64),
                    rows=z["rows"].astype(np.float32),
                    bias=z["bias"].astype(np.float32),
                    temperature=float(z["temperature"]),
                    meta=dict(zip(meta_keys, meta_vals, strict=True)),
                    static_words=str(z["static_words"]).split("\n") if static else [],
                    static_rows=z["static_rows"].astype(np.float32) if static else None,
                    oov_keys=z["oov_keys"].astype(np.int64) if oov else None,
                    oov_rows=z["oov_rows"].astype(np.float32) if oov else None,
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(f"cannot read the routing model {path}: {exc}") from exc

    def save(self, path: Path) -> None:
        order = np.argsort(self.keys)
        extra: dict[str, Any] = {}
        if self.static_rows is not None:
            extra["static_words"] = np.array("\n".join(self.static_words))
            extra["static_rows"] = self.static_rows.astype(np.float16)
        if self.oov_keys is not None and self.oov_rows is not None:
            o = np.argsort(self.oov_keys)
            extra["oov_keys"] = self.oov_keys[o].astype(np.uint32)
            extra["oov_rows"] = self.oov_rows[o].astype(np.float16)
        np.savez_compressed(
            path,
            **extra,
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
        **static: Any,
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
            **static,
        )

    # -- scoring -----------------------------------------------------------------------------
    def _compute(self, words: list[str]) -> tuple[Matrix, Matrix]:
        """Each word's class scores, and the part of them that may make it "meaningful".

        The second leaves out what an unknown word gets from the n-gram fallback, so a string
        such as "asdf" still says nothing however its letters happen to lean.
        """
        wi, bi, vals = word_features(words, self.ascii)
        k = len(self.classes)
        out = np.zeros((len(words), k), dtype=np.float32)
        if self.keys.shape[0] and wi.shape[0]:
            pos = np.searchsorted(self.keys, bi)
            pos = np.minimum(pos, self.keys.shape[0] - 1)
            hit = self.keys[pos] == bi
            wi, pos, vals = wi[hit], pos[hit], vals[hit]
            contrib = self.rows[pos] * vals[:, None]
            for c in range(k):
                out[:, c] = np.bincount(wi, weights=contrib[:, c], minlength=len(words))
        if self.static_rows is None or not words:
            return out, out
        basis = out.copy()
        self._add_static(words, out, basis)
        return out, basis

    def _add_static(self, words: list[str], out: Matrix, basis: Matrix) -> None:
        """Add each word's distilled contribution; unknown words get it from their n-grams.

        The vocabulary is keyed like the features: without æ, ø and å when the model is.
        """
        assert self.static_rows is not None
        if self.ascii:
            words = [ascii_danish(w) for w in words]
        get = self.static_index.get
        ids = np.fromiter((get(w, -1) for w in words), dtype=np.int64, count=len(words))
        known = ids >= 0
        out[known] += self.static_rows[ids[known]]
        basis[known] += self.static_rows[ids[known]]
        if self.oov_keys is None or self.oov_rows is None or known.all():
            return
        unknown = np.flatnonzero(~known)
        wi, bi, vals = ngram_buckets([words[i] for i in unknown])
        if bi.shape[0] == 0:
            return
        pos = np.minimum(np.searchsorted(self.oov_keys, bi), self.oov_keys.shape[0] - 1)
        hit = self.oov_keys[pos] == bi
        wi, pos, vals = wi[hit], pos[hit], vals[hit]
        contrib = self.oov_rows[pos] * vals[:, None]
        for c in range(out.shape[1]):
            out[unknown, c] += np.bincount(wi, weights=contrib[:, c], minlength=unknown.shape[0])

    def mend(self, word: str) -> str:
        """The one known word that ``word``, unknown and of eight letters or more, is a slip of
        the finger away from; else ``word`` itself.

        A slip is a key next to the one meant, such a key pressed as well, or two letters
        swapped, inside the word (its first and last letters as typed). The character n-grams
        that score unknown words read a slipped word poorly: mended, it counts as the word meant
        (and is still shown as typed). When two known words are each one slip away, nothing is
        guessed. Done once per new word (the word cache keeps the result).
        """
        known = self.static_index
        n = len(word)
        if n < MEND_MIN_LETTERS or not word.isalpha() or self._key(word) in known:
            return word
        ascii = self.ascii  # most tries have no æ, ø or å to write out (a translate is slow)
        found: set[str] = set()
        for i in range(1, n - 1):
            head, tail = word[:i], word[i + 1 :]
            tries = [head + tail]  # a letter too many
            tries += [head + key + tail for key in KEY_NEIGHBOURS.get(word[i], "")]  # next to it
            if i < n - 2:
                tries.append(head + word[i + 1] + word[i] + word[i + 2 :])  # two swapped
            for t in tries:
                if (ascii_danish(t) if ascii and not t.isascii() else t) in known:
                    found.add(t)
        return found.pop() if len(found) == 1 else word

    def _key(self, word: str) -> str:
        """``word`` as the static vocabulary spells it."""
        return ascii_danish(word) if self.ascii else word

    def clear_cache(self) -> None:
        """Forget all cached words but the reserved rows (separator and function words)."""
        self._index = dict(RESERVED)
        self._used = N_RESERVED

    def cached_words(self) -> int:
        return len(self._index) - len(RESERVED)

    def word_ids(self, words: list[str]) -> npt.NDArray[np.int64]:
        """Rows of the word-vector cache for ``words``, featurising the new ones in one go.

        Function words and the document separator map to reserved all-zero rows
        (``SEPARATOR``, ``DA_WORD``, ``EN_WORD``, ``NEUTRAL_WORD``), so one look-up per token
        yields its features, its language vote and the document boundaries at once. When the
        cache is full it starts afresh, so memory stays bounded.
        """
        get = self._index.get
        ids = [get(w, -1) for w in words]
        if -1 not in ids:
            return np.array(ids, dtype=np.int64)
        missing = list(dict.fromkeys(w for w, i in zip(words, ids, strict=True) if i < 0))
        reset = self.cached_words() + len(missing) > self.cache_size
        if reset:
            self.clear_cache()
            missing = [w for w in dict.fromkeys(words) if w not in self._index]
        numbers = [w for w in missing if w.isdigit()]
        if numbers:  # no features, like tokens() dropping them; cached so they cost one look-up
            self._index.update(dict.fromkeys(numbers, NEUTRAL_WORD))
            missing = [w for w in missing if not w.isdigit()]
        read = [self.mend(w) for w in missing] if self.mend_slips else missing
        vecs, basis = self._compute(read)
        start = self._used
        need = start + len(missing)
        if need > self._vectors.shape[0]:
            size = max(need, 2 * self._vectors.shape[0])
            grown = np.zeros((size, len(self.classes)), dtype=np.float32)
            grown[:start] = self._vectors[:start]
            self._vectors = grown
            hashes = np.zeros(size, dtype=np.uint64)
            hashes[:start] = self._hashes[:start]
            self._hashes = hashes
            meaning = np.zeros(size, dtype=np.bool_)
            meaning[:start] = self._meaning[:start]
            self._meaning = meaning
            explains = np.zeros(size, dtype=np.bool_)
            explains[:start] = self._explains[:start]
            self._explains = explains
        self._vectors[start:need] = vecs
        lean = basis.max(axis=1) - basis.mean(axis=1) if len(missing) else np.zeros(0)
        vague = np.fromiter(
            (len(w) < 3 or w in NO_MEANING_ALONE for w in missing),
            dtype=np.bool_,
            count=len(missing),
        )
        self._meaning[start:need] = (lean >= self.min_lean) & ~vague
        self._explains[start:need] = np.fromiter(
            (w not in UNEXPLAINING_WORDS for w in missing), dtype=np.bool_, count=len(missing)
        )
        self._hashes[start:need] = word_hashes(missing, self.ascii)
        self._index.update(zip(missing, range(start, need), strict=True))
        self._used = need
        index = self._index
        if reset:  # every cached row moved: look everything up again
            return np.array([index[w] for w in words], dtype=np.int64)
        out = np.array(ids, dtype=np.int64)
        holes = np.flatnonzero(out < 0).tolist()
        out[holes] = [index[words[h]] for h in holes]
        return out

    def word_vectors(self, words: list[str]) -> Matrix:
        """Each word's contribution to every class, before scaling by document length."""
        return self._vectors[self.word_ids(words)]

    @property
    def vectors(self) -> Matrix:
        return self._vectors

    @property
    def meaning(self) -> npt.NDArray[np.bool_]:
        """Per cached row: does the word say something about what a company does?"""
        return self._meaning

    @property
    def explains(self) -> npt.NDArray[np.bool_]:
        """Per cached row: may an explanation name the word (not a place or a generic verb)?"""
        return self._explains

    def logits_from(
        self, rows: npt.NDArray[np.int64], owner: npt.NDArray[np.int64], n_docs: int
    ) -> Matrix:
        """Class scores from content-word rows grouped by document (``owner`` sorted)."""
        out = np.tile(self.bias, (n_docs, 1))
        if rows.shape[0] == 0:
            return out
        starts = np.flatnonzero(run_starts(owner))
        docs = owner[starts]
        sums = np.add.reduceat(self._vectors[rows], starts, axis=0)
        counts = np.diff(np.append(starts, owner.shape[0]))
        scale = (1.0 / np.sqrt(np.maximum(counts, 1))).astype(np.float32)
        out[docs] += sums * scale[:, None]
        if self.bigrams and rows.shape[0] > 1:
            out += self._bigram_scores(rows, owner, n_docs, scale[np.searchsorted(docs, owner)])
        return out

    def focus_mask(
        self,
        rows: npt.NDArray[np.int64],
        sentence: npt.NDArray[np.int64],
        owner: npt.NDArray[np.int64],
        ratio: float,
    ) -> npt.NDArray[np.bool_]:
        """Which content words to keep: those of sentences that lean towards some area.

        A sentence's lean is its largest class score (its words' sum over √count, no bias) minus
        its mean class score; a sentence is kept when its lean reaches ``ratio`` times the
        largest lean in its document. ``sentence`` and ``owner`` number each word's sentence and
        document (both sorted). Documents of one sentence keep everything.
        """
        keep = np.ones(rows.shape[0], dtype=np.bool_)
        if rows.shape[0] < 2:
            return keep
        s_starts = np.flatnonzero(run_starts(sentence))
        s_owner = owner[s_starts]
        d_starts = np.flatnonzero(run_starts(s_owner))
        if d_starts.shape[0] == s_starts.shape[0]:  # one sentence per document: nothing to do
            return keep
        counts = np.diff(np.append(s_starts, rows.shape[0]))
        z = np.add.reduceat(self._vectors[rows], s_starts, axis=0)
        z *= (1.0 / np.sqrt(counts)).astype(np.float32)[:, None]
        lean = z.max(axis=1) - z.mean(axis=1)
        top = np.maximum.reduceat(lean, d_starts)
        top_each = np.repeat(top, np.diff(np.append(d_starts, s_starts.shape[0])))
        kept = (lean >= ratio * top_each) | (top_each <= 0)
        return np.repeat(kept, counts)

    def _bigram_scores(
        self,
        rows: npt.NDArray[np.int64],
        owner: npt.NDArray[np.int64],
        n_docs: int,
        word_scale: Matrix,
    ) -> Matrix:
        """Scores of adjacent content-word pairs within each document."""
        k = len(self.classes)
        out = np.zeros((n_docs, k), dtype=np.float32)
        same = owner[1:] == owner[:-1]
        if not same.any() or self.keys.shape[0] == 0:
            return out
        left, right = rows[:-1][same], rows[1:][same]
        pair_owner = owner[1:][same]
        buckets = bigram_buckets(self._hashes[left], self._hashes[right])
        pos = np.minimum(np.searchsorted(self.keys, buckets), self.keys.shape[0] - 1)
        hit = self.keys[pos] == buckets
        if not hit.any():
            return out
        contrib = self.rows[pos[hit]] * word_scale[1:][same][hit][:, None]
        hit_owner = pair_owner[hit]
        starts = np.flatnonzero(run_starts(hit_owner))
        out[hit_owner[starts]] = np.add.reduceat(contrib, starts, axis=0)
        return out

    def logits(self, docs: list[list[str]]) -> Matrix:
        """Raw class scores for documents given as lists of content words."""
        flat = [w for d in docs for w in d]
        owner = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
        return self.logits_from(self.word_ids(flat), owner, len(docs))

    def probabilities(self, logits: Matrix) -> Matrix:
        z = logits / np.float32(self.temperature)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
