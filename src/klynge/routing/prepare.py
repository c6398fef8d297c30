"""What the sentence-embedding model reads: the description made easier for it to read right.

The linear model is robust by construction (its features fold æ, ø, å and its training taught
it that praise says nothing), but the embedding model reads text as written, and measured on the
development set it paid for that (docs/routing.md):

- **No æ, ø, å.** "moebler" is another word to it than "møbler" (2.3 points of top-1 lost when
  the letters were written ae, oe, aa). :class:`Respeller` puts the letters back in a text that
  has none, word by word from a vocabulary of the training text: a word it knows ("moebler"),
  a compound of two known parts ("moebelproducent"), or a known word with an inflection
  ("proeverne"). A word that is also a real word as written ("does", "aerospace", "Aarhus") is
  left alone.
- **Fluff.** It reads a sentence of praise ("Tilfredse kunder er vores bedste reklame") as
  meaning. :func:`focus` keeps the sentences whose words lean towards some area, judged by the
  linear model (whose training pulled praise words towards no lean), and sets the others aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from klynge.routing.model import LinearModel
from klynge.routing.text import SENTENCE_END, ascii_danish, content_words, fold, tokens

#: A sentence is kept when its lean is at least this share of the text's strongest sentence's.
#: Chosen on the development set: 0.3–0.8 tried for the embedding model's text, 0.5–0.7 for
#: both models (docs/routing.md).
FOCUS_RATIO = 0.7

_HAS_DANISH = re.compile(r"[æøåÆØÅ]")
_ASCII_FORMS = re.compile(r"ae|oe|aa")
_WORD = re.compile(r"[^\W\d_]+")
#: Danish inflections and derivations that may follow a known stem ("prøv|erne").
_ENDINGS = frozenset(
    {"e", "en", "er", "et", "ene", "erne", "ens", "ers", "es", "s", "r", "n", "t", "ne", "nes"}
    | {"ns", "rs", "rne", "rnes", "de", "te", "ede", "ende", "ning", "ninger", "ningen", "lig"}
    | {"lige", "hed", "heden", "heder"}
)


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in SENTENCE_END.split(text)) if s]


def focus(text: str, model: LinearModel, ratio: float = FOCUS_RATIO) -> str:
    """``text`` without the sentences that say little next to its most telling one.

    A sentence's lean is how far its largest class score (the linear model, without the bias)
    stands above its mean class score. A text of one sentence, or whose sentences are all
    equally vague, comes back whole.
    """
    parts = _sentences(text)
    if len(parts) < 2:
        return text
    docs = [content_words(tokens(fold(p))) for p in parts]
    z = model.logits(docs) - model.bias
    lean = z.max(axis=1) - z.mean(axis=1)
    top = float(lean.max())
    if top <= 0:
        return text
    kept = [p for p, g in zip(parts, lean.tolist(), strict=True) if g >= ratio * top]
    return " ".join(kept)


def embedding_text(text: str, model: LinearModel, respeller: Respeller | None) -> str:
    """What the embedding model reads of a description whose boilerplate is already stripped."""
    text = focus(text, model)
    return respeller(text) if respeller is not None else text


@dataclass
class Respeller:
    """Puts æ, ø and å back into words typed without them, from a vocabulary.

    ``danish`` are words with æ, ø or å; ``plain`` are words without them (both lower-case).
    A form such as "moebler" maps to "møbler" only when no plain word is spelt that way.
    """

    danish: list[str]
    plain: frozenset[str]
    #: Also mend words one slip from a known word (``fix_typo``).
    typos: bool = True
    _map: dict[str, str] = field(init=False, repr=False)
    _known: frozenset[str] = field(init=False, repr=False)
    _deleted: dict[str, str] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self._known = self.plain | frozenset(self.danish)
        self._map = {}
        for w in self.danish:  # given most frequent first: the first spelling wins
            key = ascii_danish(w)
            if key != w and key not in self.plain:
                self._map.setdefault(key, w)

    def _piece(self, part: str) -> str | None:
        found = self._map.get(part)
        if found is not None:
            return found
        return part if len(part) >= 3 and part in self.plain else None

    def word(self, low: str) -> str | None:
        """The spelling with æ, ø, å of the lower-case word ``low``, or None."""
        found = self._map.get(low)
        if found is not None or low in self.plain or not _ASCII_FORMS.search(low):
            return found
        for i in range(len(low) - 1, 2, -1):  # the longest known first part wins
            head, tail = low[:i], low[i:]
            first = self._piece(head)
            if first is None and head.endswith("s"):  # a linking s: "virksomheds|..."
                stem = self._piece(head[:-1])
                first = stem + "s" if stem is not None else None
            if first is None:
                continue
            if tail in _ENDINGS and first != head:
                return first + tail
            second = self._piece(tail)
            if second is not None and (first != head or second != tail):
                return first + second
        return None

    def _deletions(self) -> dict[str, str]:
        """Each known word of five letters or more, under each of its one-letter deletions.

        A key that two words share maps to ``""`` (ambiguous). Built on first use (about
        150,000 keys), only in processes that run the embedding model.
        """
        if self._deleted is None:
            index: dict[str, str] = {}
            for w in self._known:
                if len(w) >= 5:
                    for i in range(len(w)):
                        key = w[:i] + w[i + 1 :]
                        index[key] = w if index.get(key, w) == w else ""
            self._deleted = index
        return self._deleted

    def fix_typo(self, low: str) -> str | None:
        """The one known word that ``low`` is a slip away from, or None.

        Only the slips that rarely turn one real word into another are mended: a doubled
        letter ("maskinner"), a letter dropped inside the word ("laboratorim") and two letters
        swapped inside it ("softwrae"); not a wrong letter or a change at either end, which
        mostly makes another real word or inflection ("berries", "gruppe", "holdings").
        """
        if len(low) < 6 or low in self._known:
            return None
        found: set[str] = set()
        for i in range(len(low) - 1):
            if low[i] == low[i + 1] and low[:i] + low[i + 1 :] in self._known:
                found.add(low[:i] + low[i + 1 :])
        # A dropped letter, only in long words: short ones are often other words ("sowing").
        w = self._deletions().get(low) if len(low) >= 8 else None
        if w and any(w[:i] + w[i + 1 :] == low for i in range(1, len(w) - 1)):
            found.add(w)
        for i in range(1, len(low) - 2):
            swapped = low[:i] + low[i + 1] + low[i] + low[i + 2 :]
            if swapped in self._known:
                found.add(swapped)
        return found.pop() if len(found) == 1 else None

    def __call__(self, text: str) -> str:
        """``text`` with æ, ø, å put back when it has none, and slips of the finger mended."""
        respell = not _HAS_DANISH.search(text) and _ASCII_FORMS.search(text.lower()) is not None
        if not respell and not self.typos:
            return text

        def one(m: re.Match[str]) -> str:
            w = m.group(0)
            low = w.lower()
            found = self.word(low) if respell else None
            if found is None and self.typos and w.islower():  # names are left alone
                found = self.fix_typo(low)
            if found is None:
                return w
            if w.isupper() and len(w) > 1:
                return found.upper()
            return found[0].upper() + found[1:] if w[0].isupper() else found

        return _WORD.sub(one, text)


def vocabulary_arrays(counts: dict[str, int]) -> dict[str, np.ndarray]:
    """The vocabulary as stored in the index file: Danish-letter words by frequency, plain words."""
    danish = sorted((w for w in counts if _HAS_DANISH.search(w)), key=lambda w: (-counts[w], w))
    plain = sorted(w for w in counts if not _HAS_DANISH.search(w) and w.isalpha())
    return {
        "respell_danish": np.array("\n".join(danish)),
        "respell_plain": np.array("\n".join(plain)),
    }
