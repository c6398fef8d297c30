"""The baseline the routing benchmarks print beside the router: BM25 over the area texts.

One document per area: its names, scope, mandate and search terms in both languages, straight
from the landscape. Words are folded and stemmed with the same helpers the router uses, so the
comparison measures the model, not the tokeniser. It answers ``none`` only when no word matches.
"""

from __future__ import annotations

import math
from collections import Counter

from klynge.landscape import get_landscape
from klynge.routing.features import stems
from klynge.routing.text import content_words, detect_language, fold, tokens

K1 = 1.2
B = 0.75


def _terms(text: str) -> list[str]:
    words = content_words(tokens(fold(text)))
    lang = detect_language(words)
    return stems(words, lang) + words


class BM25Router:
    def __init__(self) -> None:
        ls = get_landscape()
        self.areas = list(ls.areas)
        docs: list[list[str]] = []
        for a in ls.areas.values():
            parts = [a.name.da, a.name.en, a.scope.da, a.scope.en]
            parts += [m.da for m in a.mandate] + [m.en for m in a.mandate]
            parts += a.search_terms("da") + a.search_terms("en")
            docs.append([t for p in parts for t in _terms(p)])
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = sum(self.len) / len(self.len)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, text: str) -> list[float]:
        q = _terms(text)
        out = []
        for tf, dl in zip(self.tf, self.len, strict=True):
            s = 0.0
            for t in q:
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * (K1 + 1) / (f + K1 * (1 - B + B * dl / self.avg))
            out.append(s)
        return out

    def rank(self, text: str) -> list[str]:
        """Area slugs best first; ``none`` first when nothing matched."""
        s = self.scores(text)
        if max(s) <= 0:
            return ["none", *self.areas]
        order = sorted(range(len(s)), key=lambda i: -s[i])
        return [self.areas[i] for i in order]
