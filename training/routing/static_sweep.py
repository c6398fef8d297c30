"""Does the distilled static vector pay? Out-of-fold top-1 with and without it, same folds.

Run from the repository root after distil.py: ``.venv/bin/python training/routing/static_sweep.py``.
Uses train.py's folds (5-fold, grouped by text) and settings; writes each variant's out-of-fold
scores to ``training/routing/.cache/oof-<name>.npz``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.model_selection import StratifiedGroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train as T
from distil import CACHE
from static_vectors import StaticVectors

from klynge.landscape import get_landscape
from klynge.routing.model import NONE


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", nargs="*", default=["base", "sqrt-128-1", "mean-128-1"])
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    classes = [*get_landscape().areas, NONE]
    docs = (
        T.read_labelled(T.HERE / "examples", "example", 1.0, 0.3, 2.5)
        + T.read_labelled(T.HERE / "profiles", "profile", 1.0, 0.3, 2.5)
        + T.landscape_docs()
        + T.title_docs(0.25)
    )
    T.balance(docs, classes)
    texts = [d.text for d in docs]
    x_full = T.featurise(texts)
    used = np.unique(x_full.indices)
    xh = x_full[:, used].tocsr()
    y = np.array([classes.index(d.label) for d in docs])
    w = np.array([d.weight for d in docs])
    groups = np.unique(texts, return_inverse=True)[1]
    real = np.array([d.source in {"example", "profile"} for d in docs])
    folds = list(
        StratifiedGroupKFold(n_splits=args.folds, shuffle=True, random_state=0).split(xh, y, groups)
    )
    loaded: dict[int, StaticVectors] = {}
    for name in args.variants:
        t0 = time.perf_counter()
        if name == "base":
            x = xh
        else:
            norm, dims, alpha = name.split("-")
            sv = loaded.setdefault(int(dims), StaticVectors.load(int(dims)))
            s = sv.features(texts, norm) * float(alpha)
            x = sparse.hstack([xh, s]).tocsr()
        oof = np.zeros((len(docs), len(classes)))
        for tr, te in folds:
            clf = T.fit(x[tr], y[tr], w[tr], 20.0)
            full = np.full((len(te), len(classes)), -1e9)
            full[:, clf.classes_] = clf.decision_function(x[te])
            oof[te] = full
        temp = T.fit_temperature(oof[real], y[real])
        lo = oof[real] / temp
        yr = y[real]
        top1 = float((lo.argmax(1) == yr).mean())
        top3 = float((np.argsort(-lo, axis=1)[:, :3] == yr[:, None]).any(axis=1).mean())
        ece = T.calibration_error(lo, yr)
        print(
            f"{name:<14} OOF top-1 {top1:.4f} top-3 {top3:.4f} ECE {ece:.3f} T {temp:.3f} "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        np.savez_compressed(
            CACHE / f"oof-{name}.npz",
            logits=lo,
            y=yr,
            texts=np.array([texts[i] for i in np.flatnonzero(real)]),
            classes=np.array(classes),
        )


if __name__ == "__main__":
    main()
