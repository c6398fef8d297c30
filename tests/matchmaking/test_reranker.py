"""The learned reranker: shipped and loaded, its features computed for every candidate, and
the order it gives (the best ``top`` reordered, the rest below in their order), with made-up
vectors (no model needed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from klynge.matchmaking import guess
from klynge.matchmaking import recommend as rec
from klynge.matchmaking.recommend import RERANK_FEATURES, Index, MatchProfile, Reranker, Weights

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training" / "matchmaking"))
from fit_reranker import tree_arrays

DIM = 8


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> list[MatchProfile]:
    """A seeker wanting topic 0 and seven candidates whose offers are closer to it the lower
    their number; candidate 6 seeks what the seeker offers (topic 7)."""
    table: dict[tuple[str, str], Any] = {}
    profiles = [MatchProfile("s", "S", "own offer. Second sentence.", "want zero", language="en")]
    table[("query", "want zero")] = np.eye(DIM)[0]
    table[("passage", "own offer. Second sentence.")] = np.eye(DIM)[7]
    table[("passage", "own offer.")] = np.eye(DIM)[7]
    table[("passage", "Second sentence.")] = np.eye(DIM)[6]
    for k in range(7):
        # Candidate 0's offer ends in a space: the reranker reads only the vectors
        # ``embedded_texts`` stores (the table below has no other), never the stripped text.
        offer, seeks = f"offer {k}" + (" " if k == 0 else ""), f"seeks {k}"
        profiles.append(MatchProfile(f"c{k}", f"C{k}", offer, seeks, language="en"))
        v = np.eye(DIM)[0] * (1.0 - 0.12 * k) + np.eye(DIM)[1 + k % 5] * 0.5
        table[("passage", offer)] = v
        table[("query", seeks)] = np.eye(DIM)[7] if k == 6 else np.eye(DIM)[2 + k % 4]

    def vectors(texts: list[str], side: str) -> Any:
        m = np.stack([table[(side, t)] for t in texts]).astype(np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    monkeypatch.setattr(guess, "vectors", vectors)
    monkeypatch.setattr(guess, "embedding_available", lambda: True)
    return profiles


def test_the_reranker_needs_no_text_beyond_the_stored_ones(pool: list[MatchProfile]) -> None:
    stored = {(side, t) for p in pool for side, t in rec.embedded_texts(p)}
    assert ("passage", "offer 0 ") in stored and ("passage", "offer 0") not in stored
    index = Index.build(pool, weights=Weights(meaning_reason=-10.0))
    index.meaning_map = np.eye(DIM, dtype=np.float32)
    index._extra(True)  # would raise KeyError on a text the table (the stored ones) lacks


def _ids(index: Index, weights: Weights | None = None) -> list[str]:
    return [str(r.profile.id) for r in index.recommend("s", limit=20, weights=weights)]


def _model(top: int, **coef: float) -> Reranker:
    n = len(RERANK_FEATURES)
    direct, c = np.zeros(n), np.zeros(n)
    direct[RERANK_FEATURES.index("score")] = 1.0
    for name, value in coef.items():
        c[RERANK_FEATURES.index(name)] = value
    return Reranker(top, direct, np.zeros(n), np.ones(n), c)


def test_the_shipped_reranker_loads_and_reads_no_feature_of_the_lexicon() -> None:
    model = rec.reranker()
    assert model is not None, "src/klynge/matchmaking/data/reranker.npz is missing"
    n = len(RERANK_FEATURES)
    for a in (model.direct, model.mean, model.scale, model.coef):
        assert a.shape == (n,) and np.isfinite(a).all()
    assert model.top >= 10 and (model.scale > 0).all()
    # The score is added as it is; the regression reads meaning, not the score again.
    assert model.direct[RERANK_FEATURES.index("score")] == 1.0
    assert model.coef[RERANK_FEATURES.index("score")] == 0.0
    # Since session 8 the learned part is boosted trees over the features (never the score).
    assert model.trees is not None and len(model.trees.value) >= 10
    assert RERANK_FEATURES.index("score") not in set(model.trees.feature[~model.trees.leaf])
    x = np.random.default_rng(0).normal(size=(50, n))
    assert np.isfinite(model.score(x)).all()


def test_the_trees_as_arrays_give_what_scikit_learn_gives() -> None:
    ensemble = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, len(RERANK_FEATURES)))
    cols = [1, 3, 4, 7]
    y = (x[:, 1] + 0.5 * x[:, 4] * x[:, 7] + rng.normal(size=600) * 0.5) > 0
    fitted = ensemble.HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7).fit(
        x[:, cols], y
    )
    n = len(RERANK_FEATURES)
    arrays = {"top": 50, "direct": np.zeros(n), "mean": np.zeros(n), "scale": np.ones(n)}
    model = rec.load_reranker(arrays | {"coef": np.zeros(n)} | tree_arrays(fitted, cols, 2.0))
    np.testing.assert_allclose(model.score(x), 2.0 * fitted.decision_function(x[:, cols]))
    assert model.score(x[:0]).shape == (0,)
    # Where the lexicon reads the whole request the learned part is weighted (Weights.rerank_full).
    np.testing.assert_allclose(model.score(x, 0.0), np.zeros(len(x)))
    np.testing.assert_allclose(model.score(x, 0.5), fitted.decision_function(x[:, cols]))


def test_features_are_finite_one_row_per_candidate(pool: list[MatchProfile]) -> None:
    index = Index.build(pool, weights=Weights(meaning_reason=-10.0))
    index.meaning_map = np.eye(DIM, dtype=np.float32)
    w = index.weights
    t = index._meaning_terms(index.by_id["s"], w, rec.date.today())
    assert t is not None
    x = index._features(index.by_id["s"], t, w)
    assert x.shape == (7, len(RERANK_FEATURES)) and np.isfinite(x).all()
    np.testing.assert_allclose(x[:, RERANK_FEATURES.index("score")], t.score)
    # The requests most like this one: every candidate's, as the seeker's is alone, are
    # standardised over the candidates.
    like = x[:, RERANK_FEATURES.index("like_requests")]
    assert abs(float(like.mean())) < 1e-6
    # Interest both ways: only candidate 6 seeks what the seeker offers.
    mutual = x[:, RERANK_FEATURES.index("mutual")]
    assert int(np.argmax(mutual)) == [str(index.entries[i].profile.id) for i in t.rows].index("c6")


def test_the_reranker_reorders_the_best_and_leaves_the_rest_below(
    pool: list[MatchProfile], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seven candidates: the mechanics are tested below the pool size the reranker asks for.
    mechanics = Weights(meaning_reason=-10.0, rerank_min_pool=0)
    index = Index.build(pool, weights=mechanics)
    index.meaning_map = np.eye(DIM, dtype=np.float32)
    monkeypatch.setattr(rec, "reranker", lambda: None)
    before = _ids(index)
    assert len(before) == 7
    # A reranker that adds nothing to the score keeps the order.
    monkeypatch.setattr(rec, "reranker", lambda: _model(50))
    assert _ids(index) == before
    # One that counts interest both ways heavily lifts c6 to the top of the best four; the
    # other three stay below every one of those four, in their order.
    monkeypatch.setattr(rec, "reranker", lambda: _model(4, mutual=100.0))
    after = _ids(index)
    head = before[:4]
    if "c6" in head:
        assert after[0] == "c6"
    assert sorted(after[:4]) == sorted(head) and after[4:] == before[4:]
    # The scores shown follow the order, the three left below included.
    got = index.recommend("s", limit=20)
    assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)
    monkeypatch.setattr(rec, "reranker", lambda: _model(7, mutual=100.0))
    got = index.recommend("s", limit=20)
    assert str(got[0].profile.id) == "c6"
    assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)
    # Reasons are worded in both languages as before, and reranked=False is the order before.
    assert all(r.reasons and r.reasons[0].text.da and r.reasons[0].text.en for r in got)
    assert _ids(index, Weights(meaning_reason=-10.0, reranked=False, rerank_min_pool=0)) == before
    # Among fewer active candidates than ``rerank_min_pool`` (20 by default) the reranker
    # stands aside: the same heavy reranker leaves the score's order, c6 last.
    assert before[-1] == "c6"
    assert _ids(index, Weights(meaning_reason=-10.0)) == before
    assert _ids(index, Weights(meaning_reason=-10.0, rerank_min_pool=8)) == before
    assert _ids(index, Weights(meaning_reason=-10.0, rerank_min_pool=7))[0] == "c6"


def test_a_missing_or_stale_reranker_file_is_said(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(rec, "RERANKER_PATH", tmp_path / "absent.npz")
    rec.reranker.cache_clear()
    try:
        with caplog.at_level("WARNING", logger=rec.__name__):
            assert rec.reranker() is None
        assert "missing" in caplog.text
        stale = tmp_path / "stale.npz"
        np.savez(stale, features=np.array(["score", "other"]), top=np.int32(5))
        monkeypatch.setattr(rec, "RERANKER_PATH", stale)
        rec.reranker.cache_clear()
        caplog.clear()
        with caplog.at_level("WARNING", logger=rec.__name__):
            assert rec.reranker() is None
        assert "other features" in caplog.text
    finally:
        rec.reranker.cache_clear()


def test_like_requests_finds_the_offer_that_other_seekers_of_the_same_thing_want(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The seeker's words (topic 0) are far from the offer that fits (topic 1), but five other
    # seekers ask for nearly the same thing in words that lean towards topic 1.
    e = np.eye(DIM)
    table: dict[tuple[str, str], Any] = {("query", "want zero"): e[0], ("passage", "own"): e[7]}
    profiles = [MatchProfile("s", "S", "own", "want zero", language="en")]
    for k in range(5):
        profiles.append(MatchProfile(f"l{k}", f"L{k}", f"like offer {k}", f"like {k}"))
        table[("query", f"like {k}")] = 0.8 * e[0] + 0.6 * e[1] + 0.05 * e[2 + k % 3]
        table[("passage", f"like offer {k}")] = e[6] + 0.1 * e[k % 3]
    for name, topic in (("a", 1), ("b", 2), ("c", 3), ("d", 4), ("f", 5)):
        profiles.append(MatchProfile(name, name.upper(), f"offer {name}", f"seeks {name}"))
        table[("passage", f"offer {name}")] = e[topic] + 0.3 * e[0]
        table[("query", f"seeks {name}")] = e[7 if topic == 5 else 6]

    def vectors(texts: list[str], side: str) -> Any:
        m = np.stack([table[(side, t)] for t in texts]).astype(np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    monkeypatch.setattr(guess, "vectors", vectors)
    monkeypatch.setattr(guess, "embedding_available", lambda: True)
    index = Index.build(profiles, weights=Weights(meaning_reason=-10.0))
    index.meaning_map = np.eye(DIM, dtype=np.float32)
    me = index.by_id["s"]
    t = index._meaning_terms(me, index.weights, rec.date.today())
    assert t is not None
    like = index._features(me, t, index.weights)[:, RERANK_FEATURES.index("like_requests")]
    ids = [str(index.entries[i].profile.id) for i in t.rows]
    assert ids[int(np.argmax(like))] == "a"
