"""Scores on the development set (``evaluation/routing_dev``), for choosing settings.

The development set is for choosing; the two evaluation sets are test sets and are never read
here. Scores are computed from class probabilities so that mixes can be compared without
routing: top-1 with the router's none rule, top-3, and the calibration error of the first
answer's score.
"""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path

import numpy as np

from klynge.landscape import get_landscape

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "evaluation" / "routing_dev" / "companies.csv"
#: Both development sets, by the names the sweeps print.
DEV_SETS = {"dev": DEV, "dev2": REPO / "evaluation" / "routing_dev2" / "companies.csv"}
ON = date(2021, 6, 1)


def load_dev(classes: list[str], path: Path = DEV) -> tuple[list[str], np.ndarray, list[str]]:
    """Descriptions, gold class indices and languages of the development set."""
    land = get_landscape()
    to_class: dict[str, int] = {}
    for i, c in enumerate(classes):
        to_class[c] = i
        if c in land.areas:
            held = land.cluster_for_area(c, ON)
            if held is not None:
                to_class[held.slug] = i
    texts, gold, langs = [], [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("description") or "").strip()
            if not text:
                continue
            texts.append(text)
            gold.append(to_class[row["expected"].strip()])
            langs.append(row.get("language") or "")
    return texts, np.array(gold), langs


def scores(p: np.ndarray, y: np.ndarray, none: int, min_score: float) -> dict[str, float]:
    """Top-1 (none rule applied), top-3 and ECE of probabilities ``p`` against ``y``."""
    areas = p.copy()
    areas[:, none] = -1.0
    best_area = areas.argmax(axis=1)
    best_p = areas.max(axis=1)
    is_none = (p.argmax(axis=1) == none) | (best_p < min_score)
    pred = np.where(is_none, none, best_area)
    conf = np.where(is_none, p[:, none], best_p)
    # Ranked as the router answers: the first answer, then the areas by score (three in all).
    order = np.argsort(-areas, axis=1)[:, :3]
    order[:, 2] = np.where(is_none, order[:, 1], order[:, 2])
    order[:, 1] = np.where(is_none, order[:, 0], order[:, 1])
    order[:, 0] = pred
    top3 = (order == y[:, None]).any(axis=1)
    return {
        "top1": float((pred == y).mean()),
        "top3": float(top3.mean()),
        "ece": ece(conf, pred == y),
    }


def ece(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    err = 0.0
    for lo, hi in itertools.pairwise(np.linspace(0, 1, bins + 1)):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            err += inside.mean() * abs(right[inside].mean() - conf[inside].mean())
    return float(err)


def reliability(
    conf: np.ndarray, right: np.ndarray, bins: int = 10
) -> list[tuple[str, int, float, float]]:
    out = []
    for lo, hi in itertools.pairwise(np.linspace(0, 1, bins + 1)):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            out.append(
                (
                    f"{lo:.1f}-{hi:.1f}",
                    int(inside.sum()),
                    float(conf[inside].mean()),
                    float(right[inside].mean()),
                )
            )
    return out
