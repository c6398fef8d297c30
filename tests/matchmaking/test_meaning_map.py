"""The learned map of the e5 space: shipped, loaded, applied, and fitted on one pool it ranks a
partner above a look-alike in another pool it never saw (made-up vectors, no model needed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from klynge.matchmaking import guess
from klynge.matchmaking import recommend as rec
from klynge.matchmaking.recommend import Index, MatchProfile, Weights

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training" / "matchmaking"))
from fit_meaning_map import LabelledSet, fit

DIM = 6
#: Dimensions 0-3 are four topics; 4 is a sector every text of a pool leans on (what makes a
#: competitor look like a partner to e5); 5 is noise.
SECTOR, NOISE = 4, 5


def _v(topic: int, sector: float, noise: float = 0.0) -> Any:
    x = np.zeros(DIM, dtype=np.float32)
    x[topic], x[SECTOR], x[NOISE] = 1.0, sector, noise
    return x


def _pool(
    tag: str, wanted: tuple[int, int], monkeypatch_vectors: dict[tuple[str, str], Any]
) -> LabelledSet:
    """Two seekers, each wanting one topic; for each, a partner offering that topic plainly and
    a look-alike offering another topic in the seeker's sector words (closer to e5)."""
    profiles, relevant = [], []
    for k, topic in enumerate(wanted):
        other = wanted[1 - k]
        seeker = MatchProfile(f"{tag}s{k}", f"{tag}S{k}", f"{tag}own{k}", f"{tag}want{k}")
        partner = MatchProfile(f"{tag}p{k}", f"{tag}P{k}", f"{tag}plain{k}", f"{tag}pw{k}")
        alike = MatchProfile(f"{tag}a{k}", f"{tag}A{k}", f"{tag}sector{k}", f"{tag}aw{k}")
        monkeypatch_vectors[("query", seeker.seeks)] = _v(topic, 2.0)
        own = np.zeros(DIM, dtype=np.float32)
        own[SECTOR], own[NOISE] = 2.0, 1.0 - 2 * k  # in the sector, on no topic of the pool
        monkeypatch_vectors[("passage", seeker.offers)] = own
        monkeypatch_vectors[("passage", partner.offers)] = _v(topic, 0.0, 0.3)
        monkeypatch_vectors[("query", partner.seeks)] = _v(other, 0.0, 0.2)
        monkeypatch_vectors[("passage", alike.offers)] = _v(other, 2.0, -0.4)
        monkeypatch_vectors[("query", alike.seeks)] = _v(topic, 0.0, -0.2)
        base = len(profiles)
        profiles += [seeker, partner, alike]
        relevant += [{base + 1}, set(), set()]
    return LabelledSet(tag, [{} for _ in profiles], profiles, relevant)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], Any]:
    """``guess.vectors`` answering from a table, and the model reported present."""
    table: dict[tuple[str, str], Any] = {}

    def vectors(texts: list[str], side: str) -> Any:
        m = np.stack([table[(side, t)] for t in texts]).astype(np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    monkeypatch.setattr(guess, "vectors", vectors)
    monkeypatch.setattr(guess, "embedding_available", lambda: True)
    return table


def test_the_shipped_map_loads_small_square_and_near_the_identity() -> None:
    m = rec.meaning_map()
    assert m is not None, "src/klynge/matchmaking/data/meaning_map.npz is missing"
    assert m.dtype == np.float32 and m.shape == (384, 384)
    assert np.isfinite(m).all()
    off = float(np.linalg.norm(m - np.eye(384)) / np.linalg.norm(np.eye(384)))
    assert 0.0 < off < 1.0
    assert rec.MEANING_MAP_PATH.stat().st_size < 1_000_000


def test_the_map_is_applied_to_both_sides_and_switched_off_by_learned_false(
    fake_model: dict[tuple[str, str], Any],
) -> None:
    pool = _pool("x", (0, 1), fake_model)
    index = Index.build(pool.profiles)
    plain_s, plain_o = index._centred(learned=False)
    swap = np.eye(DIM, dtype=np.float32)[[1, 0, 2, 3, 4, 5]]
    index.meaning_map = swap
    mapped_s, mapped_o = index._centred(learned=True)
    np.testing.assert_allclose(mapped_s, plain_s @ swap, atol=1e-6)
    np.testing.assert_allclose(mapped_o, plain_o @ swap, atol=1e-6)
    # The ranking uses it: recommend() with and without the map caches each separately.
    index.recommend("xs0", weights=Weights(learned=False))
    assert index._vectors[0] is False
    index.recommend("xs0")
    assert index._vectors[0] is True


def test_a_map_fitted_on_one_pool_ranks_the_partner_first_in_another(
    fake_model: dict[tuple[str, str], Any],
) -> None:
    train = _pool("t", (0, 1), fake_model)
    held = _pool("h", (2, 3), fake_model)  # other topics, other texts: never seen by the fit
    mapping = fit([train], lam=0.01, tau=0.1)
    assert mapping.shape == (DIM, DIM) and mapping.dtype == np.float32
    # The fit learns to discount the sector every text leans on.
    assert abs(mapping[SECTOR, SECTOR]) < 1.0
    # The map alone: the other terms and the learned reranker (whose features, the router's
    # areas among them, mean nothing for made-up words in a pool of six) are switched off.
    w = Weights(competitor=0.0, expand=0, neighbours=0.0, meaning_reason=-10.0, reranked=False)
    index = Index.build(held.profiles, weights=w)
    plain = Weights(**{**w.__dict__, "learned": False})
    # Without the map, e5's sector pulls the look-alikes (their offers in the seeker's sector
    # words) above the partner.
    assert index.recommend("hs0", weights=plain)[0].profile.id != "hp0"
    index.meaning_map = mapping
    assert index.recommend("hs0")[0].profile.id == "hp0"
    assert index.recommend("hs1")[0].profile.id == "hp1"
