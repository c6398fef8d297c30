"""Session 9: soft rows from neighbour votes, honest folds, the calibration study."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "training" / "routing"))

import soft_dev  # noqa: E402
import soft_oof  # noqa: E402
import train  # noqa: E402

CLASSES = ["a", "b", "none"]


def test_soft_docs_follow_the_votes_of_examples_only() -> None:
    docs = [
        train.Doc("Vi laver ventiler.", "a", 2.0, "example"),
        train.Doc("Vi laver ventiler.", "b", 0.3, "example-also"),
        train.Doc("A profile.", "a", 1.0, "profile"),
        train.Doc("Unknown text.", "b", 1.0, "example"),
    ]
    votes = {"Vi laver ventiler.": np.array([0.7, 0.29, 0.01])}
    out = train.soft_docs(docs, CLASSES, votes, 0.5)
    assert [(d.label, d.source, d.origin) for d in out] == [
        ("a", "soft", "Vi laver ventiler."),
        ("b", "soft", "Vi laver ventiler."),
    ]
    assert np.allclose([d.weight for d in out], [2.0 * 0.5 * 0.7, 2.0 * 0.5 * 0.29])
    assert train.soft_docs(docs, CLASSES, votes, 0.0) == []


def test_grouped_votes_never_come_from_the_rows_own_group() -> None:
    rng = np.random.default_rng(1)
    n = 60
    raw = rng.normal(size=(n, 8)).astype(np.float32)
    languages = np.array(["da", "en"] * (n // 2))
    labels = rng.integers(0, 2, size=n)
    groups = np.arange(n)
    # Rows 0 and 1 are twins: the same vector, the only rows of class 2, one group.
    raw[1] = raw[0]
    labels[:2] = 2
    groups[1] = 0
    votes = soft_oof.grouped_votes(raw, labels, languages, groups, CLASSES, folds=5, k=5)
    assert votes.shape == (n, 3)
    assert np.allclose(votes.sum(axis=1), 1.0, atol=1e-5)
    assert votes[:2, 2].max() == 0.0  # the twin, held out with the row, casts no vote


def test_outer_groups_keep_copies_and_twins_together() -> None:
    docs = [
        train.Doc("Skibsdesign.", "a", 1.0, "example"),
        train.Doc("Ship design.", "a", 1.0, "example"),
        train.Doc("Skibsdesign. Kvalitet.", "a", 0.3, "fluff", "Skibsdesign."),
        train.Doc("Software.", "b", 1.0, "example"),
        train.Doc("A title.", "b", 0.25, "nace"),
    ]
    twin_of = {"Skibsdesign.": 4, "Ship design.": 4, "Software.": 7}
    g = soft_oof.outer_groups(docs, twin_of)
    assert g[0] == g[1] == g[2]
    assert len({g[0], g[3], g[4]}) == 3


def test_choose_weight_prefers_top1_then_calibration() -> None:
    results = {
        0.0: {"top1": 0.870, "ece": 0.020},
        0.15: {"top1": 0.8795, "ece": 0.030},
        0.3: {"top1": 0.8800, "ece": 0.025},
        0.5: {"top1": 0.8780, "ece": 0.010},
    }
    assert soft_oof.choose_weight(results) == 0.3
    results[0.15]["ece"] = 0.025
    assert soft_oof.choose_weight(results) == 0.15


def test_none_shift_of_zero_is_a_plain_temperature_and_a_fit_recovers_it() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3.0, size=(4000, 3))
    p = soft_dev.shifted(logits, 1.5, 0.0, 2)
    z = logits / 1.5
    q = np.exp(z - z.max(axis=1, keepdims=True))
    assert np.allclose(p, q / q.sum(axis=1, keepdims=True))
    truth = soft_dev.shifted(logits, 2.0, 1.0, 2)
    y = np.array([rng.choice(3, p=row) for row in truth])
    t, b = soft_dev.fit_shift(logits, y, 2)
    assert abs(t - 2.0) < 0.3 and abs(b - 1.0) < 0.3
