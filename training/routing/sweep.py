"""Choose training settings by cross-validation on the training text (never the evaluation set).

Run from the repository root: ``.venv/bin/python training/routing/sweep.py``. Prints the
out-of-fold top-1 on the labelled examples for each setting; train.py's defaults follow it.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train as T

from klynge.landscape import get_landscape
from klynge.routing.model import NONE


def main() -> None:
    classes = [*get_landscape().areas, NONE]
    grid = {"c": [5.0, 20.0, 60.0], "title": [0.25], "also": [0.3]}
    for c, title, also in itertools.product(grid["c"], grid["title"], grid["also"]):
        t0 = time.perf_counter()
        docs = (
            T.read_labelled(T.HERE / "examples", "example", 1.0, also)
            + T.read_labelled(T.HERE / "profiles", "profile", 1.0, also)
            + T.landscape_docs()
            + T.title_docs(title)
        )
        x_full = T.featurise([d.text for d in docs])
        used = np.unique(x_full.indices)
        x = x_full[:, used].tocsr()
        y = np.array([classes.index(d.label) for d in docs])
        w = np.array([d.weight for d in docs])
        groups = np.unique([d.text for d in docs], return_inverse=True)[1]
        real = np.array([d.source == "example" for d in docs])
        hits = total = 0
        skf = StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=1)
        for tr, te in skf.split(x, y, groups):
            clf = T.fit(x[tr], y[tr], w[tr], c)
            te = te[real[te]]
            pred = clf.classes_[clf.decision_function(x[te]).argmax(axis=1)]
            hits += int((pred == y[te]).sum())
            total += len(te)
        print(
            f"C={c:<5} title={title:<5} also={also:<4} out-of-fold top-1 {hits / total:.3f} "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
