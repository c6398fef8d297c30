"""The nearest-neighbour head of the best model: language centring and votes (no encoder run)."""

from __future__ import annotations

import numpy as np
import pytest

from klynge.routing.embed import INDEX_PATH, LANGUAGES, KnnHead, centre, language_of

CLASSES = ["a", "b", "none"]


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_language_of_follows_the_words() -> None:
    assert language_of("Vi udvikler software til banker og forsikringsselskaber.") == "da"
    assert language_of("We build software for banks and insurers.") == "en"


def test_centre_takes_the_language_mean_away_and_keeps_unit_length() -> None:
    rng = np.random.default_rng(0)
    means = rng.normal(size=(2, 8)).astype(np.float32)
    raw = rng.normal(size=(6, 8)).astype(np.float32)
    langs = ["da", "en", "da", "en", "da", "en"]
    out = centre(raw, means, langs)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    for i, lang in enumerate(langs):
        want = raw[i] - means[LANGUAGES.index(lang)]
        assert np.allclose(out[i], want / np.linalg.norm(want), atol=1e-5)


def test_centre_refuses_a_language_it_has_no_mean_for() -> None:
    means = np.zeros((2, 4), dtype=np.float32)
    with pytest.raises(ValueError):
        centre(np.ones((1, 4), dtype=np.float32), means, ["de"])


def test_a_shared_language_direction_no_longer_decides_the_neighbours() -> None:
    """Two trades, each written once in Danish and once in English: raw vectors carry a strong
    language direction, so a Danish query about trade b meets the Danish example of trade a;
    centred, it meets the examples of its trade."""
    trade = np.eye(4, dtype=np.float32)[:2] * 0.5  # trade a, trade b
    tongue = np.array([[0, 0, 1, 0], [0, 0, 0, 1]], dtype=np.float32) * 2.0  # da, en
    examples = np.stack([trade[0] + tongue[0], trade[1] + tongue[1]])  # a in da, b in en
    langs = ["da", "en"]
    means = np.stack([tongue[0] + trade[0] * 0.5, tongue[1] + trade[1] * 0.5])
    query = trade[1:2] + tongue[0:1]  # trade b, in Danish
    raw_head = KnnHead(unit(examples), np.array([0, 1]), CLASSES, 1.0, k=1, tau=0.05)
    assert raw_head.votes(unit(query)).argmax() == 0  # the Danish example wins
    head = KnnHead(centre(examples, means, langs), np.array([0, 1]), CLASSES, 1.0, k=1, tau=0.05)
    head.centres = means
    assert head.votes(centre(query, means, ["da"])).argmax() == 1


def test_place_is_the_identity_without_centres() -> None:
    raw = unit(np.random.default_rng(1).normal(size=(2, 8)))
    head = KnnHead(raw, np.array([0, 1]), CLASSES, 1.0)
    assert head.place(raw, ["Vi laver møbler.", "We make furniture."]) is raw


def test_shipped_index_is_centred() -> None:
    if not INDEX_PATH.exists():
        pytest.skip("no index")
    head = KnnHead.load()
    assert head.centres is not None and head.centres.shape == (2, head.vectors.shape[1])
    # The stored examples are centred unit vectors (int8, so only about unit).
    norms = np.linalg.norm(head.vectors, axis=1)
    assert np.all(np.abs(norms - 1.0) < 0.02)
    # Their mean is near zero once centred: no language direction left.
    assert np.linalg.norm(head.vectors.mean(axis=0)) < 0.1
