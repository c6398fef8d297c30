"""Fast model files on both development sets, and the best model built on each (session 9).

``soft_dev.py MODEL.npz ...`` scores the shipped fast model and each file as the router does
(boilerplate stripped, weak sentences set aside), with the temperature fitted on
``evaluation/routing_dev`` by likelihood as ``calibrate.py`` fits it (dev2 is scored with
dev's), and prints top-1 (rows), top-3, ECE, the rows won and lost against the shipped model,
and the same for the best model on top of it (the shipped index's votes, the text the
embedding model reads as the router computes it with that linear model, mix 0.2, the mix's
temperature fitted on dev).

``--calibration`` adds, for each fast model, the calibration study: one temperature fitted on
dev, on dev2 or on both pooled, and a temperature with a shift of the ``none`` logit; each
fitted on one set and measured on the other (cross-fitted), with the reliability tables.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

from build_index import embed  # noqa: E402
from calibrate import fit_t, soft  # noqa: E402
from devset import DEV_SETS, load_dev, reliability, scores  # noqa: E402
from mix_sweep import E5_CACHE  # noqa: E402
from score_dev import probabilities  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead  # noqa: E402
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import embedding_text  # noqa: E402


def shifted(logp: np.ndarray, t: float, b: float, none: int) -> np.ndarray:
    """Probabilities at temperature ``t`` with ``b`` added to the ``none`` logit."""
    z = logp / t
    z[:, none] += b
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_shift(logp: np.ndarray, y: np.ndarray, none: int) -> tuple[float, float]:
    """Temperature and ``none`` shift by likelihood."""

    def nll(th: np.ndarray) -> float:
        p = shifted(logp, float(np.exp(th[0])), float(th[1]), none)
        return float(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)).mean())

    th = minimize(nll, np.array([0.0, 0.0]), method="Nelder-Mead").x
    return float(np.exp(th[0])), float(th[1])


def first_answer(p: np.ndarray, none: int, min_score: float) -> tuple[np.ndarray, np.ndarray]:
    """The router's first answer and its score (none rule applied)."""
    areas = p.copy()
    areas[:, none] = -1.0
    is_none = (p.argmax(1) == none) | (areas.max(1) < min_score)
    return np.where(is_none, none, areas.argmax(1)), np.where(is_none, p[:, none], areas.max(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("models", nargs="*", type=Path)
    ap.add_argument("--calibration", action="store_true")
    ap.add_argument("--tables", action="store_true", help="print the reliability tables")
    args = ap.parse_args()
    head = KnnHead.load(INDEX_PATH)
    sets = {}
    base: dict[str, dict[str, np.ndarray]] = {}
    for path in [MODEL_PATH, *args.models]:
        model = LinearModel.load(path)
        classes, none = model.classes, model.classes.index(NONE)
        order = [head.classes.index(c) for c in classes]
        min_score = float(model.meta.get("min_score", 0.25))
        logp, knn = {}, {}
        for name, dev in DEV_SETS.items():
            if name not in sets:
                sets[name] = load_dev(classes, dev)
            texts = sets[name][0]
            logp[name] = np.log(probabilities(model, texts, temperature=1.0))
            read = [embedding_text(strip_boilerplate(t), model, head.respeller) for t in texts]
            knn[name] = head.votes(head.place(embed(read, E5_CACHE), read))[:, order]
        ys = {n: sets[n][1] for n in sets}
        t = fit_t(logp["dev"], ys["dev"])
        p_fast = {n: soft(logp[n], t) for n in sets}
        mix = {n: np.log(np.clip(0.2 * p_fast[n] + 0.8 * knn[n], 1e-12, 1)) for n in sets}
        t_mix = fit_t(mix["dev"], ys["dev"])
        p_best = {n: soft(mix[n], t_mix) for n in sets}
        label = "shipped" if path == MODEL_PATH else path.name
        for kind, probs, temp in (("fast", p_fast, t), ("best", p_best, t_mix)):
            cells = []
            for n in sets:
                s = scores(probs[n], ys[n], none, min_score)
                pred, _ = first_answer(probs[n], none, min_score)
                right = pred == ys[n]
                cells.append(
                    f"{n} {100 * s['top1']:.2f}% ({int(right.sum())}) t3 {100 * s['top3']:.1f} "
                    f"ECE {s['ece']:.3f}"
                )
                key = f"{kind} {n}"
                if key in base:
                    b = base[key]
                    cells.append(f"+{int((right & ~b).sum())}-{int((b & ~right).sum())}")
                else:
                    base[key] = right
            print(f"{label:<22} {kind} T {temp:.3f} | " + " | ".join(cells), flush=True)
        if args.calibration:
            study(label, logp, ys, none, min_score, args.tables)


def study(label, logp, ys, none, min_score, tables: bool) -> None:
    """Temperatures and a ``none`` shift fitted on dev, dev2 or both; ECE on each set."""
    pooled_lp = np.vstack([logp["dev"], logp["dev2"]])
    pooled_y = np.concatenate([ys["dev"], ys["dev2"]])
    fits = {
        "T on dev": (fit_t(logp["dev"], ys["dev"]), 0.0),
        "T on dev2": (fit_t(logp["dev2"], ys["dev2"]), 0.0),
        "T on both": (fit_t(pooled_lp, pooled_y), 0.0),
        "T+none on dev": fit_shift(logp["dev"], ys["dev"], none),
        "T+none on dev2": fit_shift(logp["dev2"], ys["dev2"], none),
        "T+none on both": fit_shift(pooled_lp, pooled_y, none),
    }
    for name, (t, b) in fits.items():
        cells = []
        for n in ys:
            p = shifted(logp[n], t, b, none)
            s = scores(p, ys[n], none, min_score)
            cells.append(f"{n} top-1 {100 * s['top1']:.2f}% ECE {s['ece']:.3f}")
        print(f"  {label} calibration {name:<15} T {t:.3f} none {b:+.2f} | " + " | ".join(cells))
        if tables:
            for n in ys:
                pred, conf = first_answer(shifted(logp[n], t, b, none), none, min_score)
                rows = reliability(conf, pred == ys[n])
                print(
                    f"    {n}: " + "; ".join(f"{r[0]} {r[1]} {r[2]:.2f}/{r[3]:.2f}" for r in rows)
                )


if __name__ == "__main__":
    main()
