"""The router's area scores of profile texts (``klynge.matchmaking.areas``), read by the
reranker: the router's linear model alone, and mixed with its nearest-neighbour head on e5
vectors given by the caller (never embedded again here)."""

from __future__ import annotations

import numpy as np
import pytest

from klynge.matchmaking import areas
from klynge.routing import embed


def test_the_areas_are_the_routers_classes_less_none() -> None:
    names = areas.area_names()
    assert len(names) == 15 and "none" not in names
    assert "robot-drone-technology" in names and "finance-fintech" in names


def test_the_fast_reading_names_the_trade_in_either_language() -> None:
    texts = [
        "Vi udvikler droner til inspektion af havvindmøller",
        "Software for banks and payment services",
        "",
    ]
    got = areas.area_scores(texts)
    names = areas.area_names()
    assert got.shape == (3, 15) and np.isfinite(got).all()
    assert (got.sum(axis=1) <= 1.0 + 1e-6).all() and (got >= 0).all()
    assert names[int(got[0].argmax())] == "robot-drone-technology"
    assert names[int(got[1].argmax())] == "finance-fintech"
    # An empty text leans nowhere: no area stands out as for the others.
    assert got[2].max() < 0.5 < min(got[0].max(), got[1].max())


def test_no_text_no_rows() -> None:
    assert areas.area_scores([]).shape == (0, 15)


def test_vectors_of_another_size_are_not_fed_to_the_head() -> None:
    texts = ["Vi udvikler droner til inspektion af havvindmøller"]
    fast = areas.area_scores(texts)
    np.testing.assert_allclose(areas.area_scores(texts, np.ones((1, 8), np.float32)), fast)


def test_the_head_reads_the_given_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a head whose index holds two examples, a vector next to the finance example moves
    a text the words call drones towards finance: the vectors given are the ones read."""
    model = areas._model()
    assert model is not None
    dim = 4
    vectors = np.eye(dim, dtype=np.float32)[:2]
    classes = list(model.classes)
    head = embed.KnnHead(
        vectors=vectors,
        labels=np.array([classes.index("finance-fintech"), classes.index("construction")]),
        classes=classes,
        temperature=1.0,
        mix=0.2,
        k=1,
        tau=0.05,
    )
    monkeypatch.setattr(areas, "get_head", lambda: head)
    texts = ["Vi udvikler droner til inspektion af havvindmøller"]
    names = areas.area_names()
    got = areas.area_scores(texts, np.eye(dim, dtype=np.float32)[:1])
    assert names[int(got[0].argmax())] == "finance-fintech"
    got = areas.area_scores(texts, np.eye(dim, dtype=np.float32)[1:2])
    assert names[int(got[0].argmax())] == "construction"
