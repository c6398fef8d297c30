"""The router's area scores of profile texts (``klynge.matchmaking.areas``), read by the
reranker: the router's linear model over each text's words."""

from __future__ import annotations

import numpy as np
import pytest

from klynge.matchmaking import areas


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


def test_the_reranker_reads_the_trade_of_the_request_and_of_the_seekers_offer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``area_meets``: the candidate's offer in the request's trade; ``area_alike``: in the
    seeker's own trade (a competitor). Made-up vectors: only the words decide here."""
    from klynge.matchmaking import guess
    from klynge.matchmaking import recommend as rec

    rng = np.random.default_rng(0)
    table: dict[tuple[str, str], object] = {}

    def vectors(texts: list[str], side: str) -> object:
        for t in texts:
            table.setdefault((side, t), rng.normal(size=8))
        m = np.stack([table[(side, t)] for t in texts]).astype(np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    monkeypatch.setattr(guess, "vectors", vectors)
    monkeypatch.setattr(guess, "embedding_available", lambda: True)
    offers = {
        "drone": "We build drones and UAV systems for inspection of wind turbines.",
        "bank": "We develop payment software and banking platforms for financial institutions.",
        "dairy": "We process milk into cheese and dairy products for retail.",
    }
    profiles = [
        rec.MatchProfile(
            "s",
            "S",
            "We make software for banks and insurers.",
            "We seek drones to inspect our wind turbines.",
            language="en",
        )
    ] + [
        rec.MatchProfile(k, k.upper(), text, "We seek new customers.", language="en")
        for k, text in offers.items()
    ]
    index = rec.Index.build(profiles, weights=rec.Weights(meaning_reason=-10.0))
    index.meaning_map = np.eye(8, dtype=np.float32)
    w = index.weights
    t = index._meaning_terms(index.by_id["s"], w, rec.date.today())
    assert t is not None
    x = index._features(index.by_id["s"], t, w)
    ids = [str(index.entries[i].profile.id) for i in t.rows]
    meets = x[:, rec.RERANK_FEATURES.index("area_meets")]
    alike = x[:, rec.RERANK_FEATURES.index("area_alike")]
    assert ids[int(np.argmax(meets))] == "drone"
    assert ids[int(np.argmax(alike))] == "bank"
    assert ((meets >= 0) & (meets <= 1) & (alike >= 0) & (alike <= 1)).all()


def test_an_unreadable_router_model_is_said_and_gives_no_area(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from klynge.routing.model import LinearModel, ModelFileError

    def broken() -> LinearModel:
        raise ModelFileError("model.npz is missing")

    monkeypatch.setattr(LinearModel, "load", staticmethod(broken))
    areas._model.cache_clear()
    try:
        with caplog.at_level("WARNING", logger=areas.__name__):
            got = areas.area_scores(["Vi udvikler droner"])
        assert got.shape == (1, 0) and areas.area_names() == []
        assert "model.npz is missing" in caplog.text and "area scores are 0" in caplog.text
    finally:
        areas._model.cache_clear()
