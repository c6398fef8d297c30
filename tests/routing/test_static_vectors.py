"""The distilled static word vectors: known words add their row, unknown words their n-grams'."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from klynge.routing.features import ngram_buckets
from klynge.routing.model import LinearModel

CLASSES = ["a", "b", "none"]


def small_model(with_oov: bool = True) -> LinearModel:
    rng = np.random.default_rng(3)
    _, grams, _ = ngram_buckets(["vindmølle"])
    keys = np.unique(grams)
    return LinearModel(
        classes=CLASSES,
        keys=np.zeros(0, dtype=np.int64),
        rows=np.zeros((0, 3), dtype=np.float32),
        bias=np.array([0.1, 0.0, -0.1], dtype=np.float32),
        static_words=["møbler", "vindmølle"],
        static_rows=np.array([[2.0, -1.0, 0.0], [-1.0, 3.0, 0.5]], dtype=np.float32),
        oov_keys=keys if with_oov else None,
        oov_rows=rng.normal(size=(keys.shape[0], 3)).astype(np.float32) if with_oov else None,
    )


def test_a_known_word_adds_its_row_scaled_like_the_hashed_features() -> None:
    m = small_model()
    got = m.logits([["møbler"], ["møbler", "vindmølle"]])
    np.testing.assert_allclose(got[0], m.bias + np.array([2.0, -1.0, 0.0]), rtol=1e-6)
    expected = m.bias + (np.array([2.0, -1.0, 0.0]) + np.array([-1.0, 3.0, 0.5])) / np.sqrt(2)
    np.testing.assert_allclose(got[1], expected, rtol=1e-6)


def test_an_unknown_word_gets_the_contribution_of_its_ngrams() -> None:
    m = small_model()
    # "vindmøllen" shares most n-grams with "vindmølle", whose n-grams are all in the table.
    _, bi, vals = ngram_buckets(["vindmøllen"])
    hit = np.isin(bi, m.oov_keys)
    assert m.oov_keys is not None and m.oov_rows is not None
    rows = m.oov_rows[np.searchsorted(m.oov_keys, bi[hit])]
    expected = (rows * vals[hit, None]).sum(axis=0)
    np.testing.assert_allclose(m.logits([["vindmøllen"]])[0], m.bias + expected, rtol=1e-5)
    assert not np.allclose(expected, 0.0)
    # Without the table an unknown word adds nothing.
    bare = small_model(with_oov=False)
    np.testing.assert_allclose(bare.logits([["vindmøllen"]])[0], bare.bias)


def test_static_rows_survive_saving_and_loading(tmp_path: Path) -> None:
    m = small_model()
    m.save(tmp_path / "m.npz")
    back = LinearModel.load(tmp_path / "m.npz")
    assert back.static_words == m.static_words
    docs = [["møbler", "vindmøllen"], ["vindmølle"], ["ukendt"]]
    np.testing.assert_allclose(back.logits(docs), m.logits(docs), rtol=1e-2, atol=1e-2)


def test_a_word_typed_without_danish_letters_meets_the_same_static_row() -> None:
    m = LinearModel(
        classes=CLASSES,
        keys=np.zeros(0, dtype=np.int64),
        rows=np.zeros((0, 3), dtype=np.float32),
        bias=np.zeros(3, dtype=np.float32),
        meta={"ascii_danish": 1.0},
        static_words=["moebler"],
        static_rows=np.array([[2.0, -1.0, 0.0]], dtype=np.float32),
    )
    np.testing.assert_allclose(m.logits([["møbler"]]), m.logits([["moebler"]]))
    np.testing.assert_allclose(m.logits([["møbler"]])[0], [2.0, -1.0, 0.0])


def test_the_ngram_fallback_alone_does_not_make_a_word_meaningful() -> None:
    m = small_model()
    ids = m.word_ids(["møbler", "vindmøllen"])
    assert m.meaning[ids].tolist() == [True, False]
    # ...though it does move the scores.
    assert not np.allclose(m.vectors[ids[1]], 0.0)
