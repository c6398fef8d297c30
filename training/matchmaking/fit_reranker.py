"""Fit ``src/klynge/matchmaking/data/reranker.npz``: boosted trees (a logistic regression until
session 7) that order a request's best candidates again, learned from several writers' labelled
profiles.

Run from the repository root after ``fit_meaning_map.py`` (needs the ``embed`` extra; a few
minutes: one map per writer is fitted, without that writer):
``PYTHONPATH=src .venv/bin/python training/matchmaking/fit_reranker.py``

The recommender's score by meaning (``Index._meaning_terms``) lists each request's candidates;
the reranker reads features of the best ``TOP`` of them (``recommend.RERANK_FEATURES``: the
request against the offer before the map and against its closest sentence, interest both ways,
the offer's hubness, the requests most like this one, the terms of the score, ...) and orders
them by the score plus ``BLEND`` times the learned log-odds, where the lexicon misses the
request's technology or sector (where it reads both it is precise, and the reranker only cost).
It is fitted on every request all the same. The learned model sees no feature of the lexicon
(only the score, which carries the lexicon's gate, is added as it is): the lexicon reads one
writer's wordings far better than the others', and a model fitted on the others learns to
distrust it.

So that the training features look like those of a writer never seen, each writer's features are
computed with a map fitted *without* that writer (``fit_meaning_map.fit`` on the others); at
run time the shipped map, fitted on all, is used. ``benchmarks/eval_matchmaking_rerank.py``
measures the reranker by leaving one writer out (the regression and the maps fitted without the
held-out writer). Deterministic: L-BFGS maps from the identity, trees with a fixed seed
(``random_state=0``: it draws the early-stopping split). The trees are stored as arrays
(``tree_arrays``) and evaluated with numpy: scikit-learn is needed only here.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_meaning_map import LAM, SHIPPED, TAU, LabelledSet, fit, load_set  # noqa: E402

from klynge.matchmaking.recommend import (  # noqa: E402
    RERANK_FEATURES,
    RERANKER_PATH,
    Index,
    Weights,
)

#: How many of a request's best candidates are ordered again.
TOP = 50
#: The regression's weight beside the score (chosen by leaving one writer out; see the docs).
BLEND = 1.0
#: The inverse of the regression's L2 penalty (on standardised features), for ``kind`` "lr".
C = 0.1
#: The learned model: boosted trees (session 8) or "lr", the logistic regression of session 7.
KIND = "trees"
#: The trees' settings (scikit-learn's ``HistGradientBoostingClassifier``): small, shrunk,
#: leaves of at least 50 candidates; early stopping on a tenth of the candidates held aside.
TREES = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 50,
    "l2_regularization": 1.0,
    "early_stopping": True,
}
#: The features the regression reads; the score is added as it is.
LEARNED = tuple(f for f in RERANK_FEATURES if f != "score")


def requests(data: LabelledSet, mapping: Any, day: date | None = None) -> list[dict[str, Any]]:
    """Per request with partners: its listed candidates in the order of the score (indices into
    ``data.profiles``), their features, which of them are true partners and whether the lexicon
    misses part of the request (where the reranker is used)."""
    w = Weights(reranked=False)
    index = Index.build(data.profiles, weights=w)
    index.meaning_map = mapping
    day = day or date.today()
    out = []
    for q, rel in enumerate(data.relevant):
        if not rel:
            continue
        me = index.entries[q]
        t = index._meaning_terms(me, w, day)
        if t is None:
            continue
        x = index._features(me, t, w)
        least = w.meaning_reason
        keep = [
            k for k in range(len(t.rows)) if t.lex[k] > 0 or max(t.close[k], t.expanded[k]) >= least
        ]
        keep.sort(key=lambda k: (-t.score[k], str(index.entries[t.rows[k]].profile.id)))
        cands = np.array([t.rows[k] for k in keep], int)
        out.append(
            {
                "q": q,
                "cands": cands,
                "x": x[keep],
                "y": np.isin(cands, list(rel)),
                "rel": rel,
                "partial": bool(me.seeks.analysis.missing),
            }
        )
    return out


def fit_reranker(
    train: list[dict[str, Any]],
    top: int = TOP,
    blend: float = BLEND,
    c: float = C,
    kind: str = KIND,
    learned: tuple[str, ...] = LEARNED,
) -> dict[str, Any]:
    """The reranker's arrays (as stored) fitted on ``train`` (``requests`` of several writers):
    boosted trees (``kind`` "trees", shipped since session 8) or a logistic regression ("lr",
    session 7) over the ``LEARNED`` features, beside the score."""
    cols = [RERANK_FEATURES.index(f) for f in learned]
    x = np.concatenate([r["x"][:top][:, cols] for r in train])
    y = np.concatenate([r["y"][:top] for r in train])
    n = len(RERANK_FEATURES)
    out: dict[str, Any] = {
        "features": np.array(RERANK_FEATURES),
        "top": np.int32(top),
        "direct": np.zeros(n),
        "mean": np.zeros(n),
        "scale": np.ones(n),
        "coef": np.zeros(n),
    }
    out["direct"][RERANK_FEATURES.index("score")] = 1.0
    if kind == "trees":
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(**TREES, random_state=0).fit(x, y)
        out |= tree_arrays(model, cols, blend)
        return out
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    out["mean"][cols], out["scale"][cols] = mean, scale
    out["coef"][cols] = blend * lr.coef_[0]
    return out


def tree_arrays(model: Any, cols: list[int], blend: float = 1.0) -> dict[str, Any]:
    """A fitted ``HistGradientBoostingClassifier``'s trees as the arrays ``recommend.Trees``
    reads (``tree_*``; node features as columns of ``RERANK_FEATURES``), times ``blend``."""
    nodes = [p[0].nodes for p in model._predictors]
    width = max(len(t) for t in nodes)
    arrays = {
        "feature": np.zeros((len(nodes), width), np.int16),
        "threshold": np.zeros((len(nodes), width), np.float64),
        "left": np.zeros((len(nodes), width), np.int16),
        "right": np.zeros((len(nodes), width), np.int16),
        "leaf": np.ones((len(nodes), width), bool),
        "value": np.zeros((len(nodes), width), np.float64),
    }
    for i, t in enumerate(nodes):
        m = len(t)
        arrays["feature"][i, :m] = np.array(cols)[t["feature_idx"]]
        arrays["threshold"][i, :m] = t["num_threshold"]
        arrays["left"][i, :m] = t["left"]
        arrays["right"][i, :m] = t["right"]
        arrays["leaf"][i, :m] = t["is_leaf"]
        arrays["value"][i, :m] = blend * t["value"]
    out = {f"tree_{k}": v for k, v in arrays.items()}
    out["tree_base"] = np.float64(blend * float(np.ravel(model._baseline_prediction)[0]))
    out["tree_depth"] = np.int32(max(int(t["depth"].max()) for t in nodes))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SHIPPED), help="development sets to fit on")
    ap.add_argument("--out", type=Path, default=RERANKER_PATH)
    ap.add_argument(
        "--cache",
        type=Path,
        help="a folder of eval_matchmaking_rerank.py --cache: its embeddings (vectors.npz) and the "
        "maps it fitted without each writer are used instead of computing them again",
    )
    args = ap.parse_args()
    if args.cache and (args.cache / "vectors.npz").exists():
        from klynge.matchmaking import guess

        with np.load(args.cache / "vectors.npz", allow_pickle=False) as z:
            for side in ("query", "passage"):
                guess.seed(side, list(z[f"{side}_texts"]), z[f"{side}_vectors"])
    names = [s for s in args.sets.split(",") if s]
    sets = {n: load_set(n) for n in names}
    train = []
    for name, data in sets.items():
        others = sorted(n for n in sets if n != name)
        file = args.cache / f"map-on-{'-'.join(others)}-{LAM}-{TAU}.npy" if args.cache else None
        if file and file.exists():
            mapping = np.load(file)
        else:
            mapping = fit([s for n, s in sets.items() if n != name], LAM, TAU)
        train += requests(data, mapping)
        print(f"  {name}: {len(train)} requests so far", flush=True)
    arrays = fit_reranker(train)
    args.out.parent.mkdir(exist_ok=True)
    np.savez_compressed(args.out, sets=np.array(names), **arrays)
    what = (
        f"{len(arrays['tree_value'])} trees"
        if "tree_value" in arrays
        else ", ".join(
            f"{f} {c:+.2f}" for f, c in zip(RERANK_FEATURES, arrays["coef"], strict=True) if c
        )
    )
    print(
        f"reranker fitted on {', '.join(names)} (top {TOP}, blend {BLEND}, {KIND}): {what}; "
        f"written to {args.out} ({args.out.stat().st_size / 1024:.0f} KB)"
    )


if __name__ == "__main__":
    main()
