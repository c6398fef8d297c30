"""The vectorised feature hashing against a plain reference, and the model's batch invariance."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.routing.features import _MIX, _P, _SEEDS, _SHIFT, NGRAMS, ngram_buckets
from klynge.routing.model import LinearModel
from klynge.routing.router import get_router

WORD = st.text(alphabet="abcdeføæåxyz0", min_size=1, max_size=14)


def reference(words: list[str]) -> list[tuple[int, int, float]]:
    """One n-gram at a time in plain Python: what ``ngram_buckets`` must equal."""
    out = []
    mask = (1 << 64) - 1
    for i, w in enumerate(words):
        framed = f"<{w}>"
        grams = [framed[s : s + n] for n in NGRAMS for s in range(len(framed) - n + 1)]
        value = 1.0 / np.sqrt(max(len(grams), 1))
        for g in grams:
            h = int(_SEEDS[len(g)])
            for ch in g:
                h = (h * int(_P) + ord(ch)) & mask
            out.append((i, ((h * int(_MIX)) & mask) >> int(_SHIFT), float(np.float32(value))))
    return sorted(out)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=8))
def test_ngram_hashing_matches_the_reference(words: list[str]) -> None:
    wi, bi, vals = ngram_buckets(words)
    got = sorted(zip(wi.tolist(), bi.tolist(), vals.tolist(), strict=True))
    assert got == reference(words)


def test_compound_shares_ngrams_with_its_parts() -> None:
    _, compound, _ = ngram_buckets(["havvindmøller"])
    _, part, _ = ngram_buckets(["vindmølle"])
    assert len(set(compound.tolist()) & set(part.tolist())) >= 8


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["møbler", "ships", "software", "bank", "vind", "hotel"]), max_size=6
        ),
        min_size=1,
        max_size=6,
    )
)
def test_scores_do_not_depend_on_the_batch(docs: list[list[str]]) -> None:
    model: LinearModel = get_router().model
    together = model.logits(docs)
    alone = np.vstack([model.logits([d]) for d in docs])
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-5)
