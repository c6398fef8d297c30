"""Fit the softmax temperatures on the development set, where the text is like real users'.

Run from the repository root after train.py and build_index.py:
``.venv/bin/python training/routing/calibrate.py [--write]``

The temperatures fitted on out-of-fold training scores make the models overconfident on text
written by others (the folds are easier than real descriptions). Here the fast model's
temperature, and then the best mix's, are fitted on ``evaluation/routing_dev`` by likelihood.
The ECE printed "cross-fitted" is honest: each half of the development set is scored with the
temperature fitted on the other half. The reliability tables (10 bins) use the temperature that
ships (fitted on all of the set). ``--write`` stores the temperatures in the data files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_index import embed  # noqa: E402
from devset import DEV, load_dev, reliability, scores  # noqa: E402
from mix_sweep import E5_CACHE  # noqa: E402
from score_dev import probabilities  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead  # noqa: E402
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import embedding_text  # noqa: E402


def fit_t(logp: np.ndarray, y: np.ndarray) -> float:
    def nll(t: float) -> float:
        z = logp / t
        z = z - z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=1))
        return float((lse - z[np.arange(len(y)), y]).mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def soft(logp: np.ndarray, t: float) -> np.ndarray:
    z = logp / t
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def report(name: str, logp: np.ndarray, y: np.ndarray, none: int, min_score: float) -> float:
    """Fit on all rows; print in-sample and cross-fitted figures and the reliability table."""
    t = fit_t(logp, y)
    rng = np.random.default_rng(0)
    half = rng.permutation(len(y)) < len(y) // 2
    cross = np.zeros_like(logp)
    for part in (half, ~half):
        cross[part] = soft(logp[part], fit_t(logp[~part], y[~part]))
    p = soft(logp, t)
    s, c = scores(p, y, none, min_score), scores(cross, y, none, min_score)
    print(
        f"{name}: temperature {t:.3f}; dev top-1 {s['top1']:.4f} top-3 {s['top3']:.4f} "
        f"ECE {s['ece']:.3f} (cross-fitted {c['ece']:.3f}, top-1 {c['top1']:.4f})"
    )
    areas = p.copy()
    areas[:, none] = -1
    is_none = (p.argmax(1) == none) | (areas.max(1) < min_score)
    pred = np.where(is_none, none, areas.argmax(1))
    conf = np.where(is_none, p[:, none], areas.max(1))
    print("  | score | rows | mean score | share right |")
    for b, n, mc, share in reliability(conf, pred == y):
        print(f"  | {b} | {n} | {mc:.2f} | {share:.2f} |")
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--index", type=Path, default=INDEX_PATH)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    model = LinearModel.load(args.model)
    texts, y, _ = load_dev(model.classes, args.dev)
    none = model.classes.index(NONE)
    min_score = float(model.meta.get("min_score", 0.15))
    # The model's logits scaled back to temperature one.
    logp = np.log(probabilities(model, texts, temperature=1.0))
    t_fast = report("fast", logp, y, none, min_score)
    # The out-of-fold temperature train.py fitted, kept for build_index.py (set once).
    model.meta.setdefault("oof_temperature", model.temperature)
    model.temperature = t_fast
    p_fast = probabilities(model, texts)
    if args.index.exists():
        head = KnnHead.load(args.index)
        order = [head.classes.index(c) for c in model.classes]
        # What the router's embedding model reads: focused sentences, æ, ø, å put back.
        read = [embedding_text(strip_boilerplate(t), model, head.respeller) for t in texts]
        # The index's own encoder (a fine-tuned one is never read from the base cache).
        if head.encoder == "base":
            vec = head.place(embed(read, E5_CACHE), read)
        else:
            vec = head.encode(read)
        votes = head.votes(vec)[:, order]
        head.temperature = 1.0
        mixed = head.combine(p_fast, votes)
        t_mix = report(f"best (mix {head.mix})", np.log(mixed), y, none, min_score)
        if args.write:
            with np.load(args.index, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            arrays["temperature"] = np.float32(t_mix)
            np.savez_compressed(args.index, **arrays)
            print(f"wrote the mix temperature to {args.index}")
    if args.write:
        model.save(args.model)
        print(f"wrote the fast temperature to {args.model}")


if __name__ == "__main__":
    main()
