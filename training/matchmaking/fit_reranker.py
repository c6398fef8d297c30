"""Fit ``src/klynge/matchmaking/data/reranker.npz``: a logistic regression that orders a
request's best candidates again, learned from several writers' labelled profiles.

Run from the repository root after ``fit_meaning_map.py`` (needs the ``embed`` extra; a few
minutes: one map per writer is fitted, without that writer):
``PYTHONPATH=src .venv/bin/python training/matchmaking/fit_reranker.py``

The recommender's score by meaning (``Index._meaning_terms``) lists each request's candidates;
the reranker reads features of the best ``TOP`` of them (``recommend.RERANK_FEATURES``: the
request against the offer before the map and against its closest sentence, interest both ways,
the offer's hubness, the terms of the score, ...) and orders them by the score plus ``BLEND``
times the regression's log-odds, where the lexicon misses the request's technology or sector
(where it reads both it is precise, and the reranker only cost). It is fitted on every request
all the same. The regression sees no feature of the lexicon (only the score,
which carries the lexicon's gate, is added as it is): the lexicon reads one writer's wordings
far better than the others', and a regression fitted on the others learns to distrust it.

So that the training features look like those of a writer never seen, each writer's features are
computed with a map fitted *without* that writer (``fit_meaning_map.fit`` on the others); at
run time the shipped map, fitted on all, is used. ``benchmarks/eval_matchmaking_rerank.py``
measures the reranker by leaving one writer out (the regression and the maps fitted without the
held-out writer). Deterministic: L-BFGS maps from the identity, lbfgs regression.
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

from fit_meaning_map import LAM, SETS, TAU, LabelledSet, fit, load_set  # noqa: E402

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
#: The inverse of the regression's L2 penalty (on standardised features).
C = 0.1
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
    train: list[dict[str, Any]], top: int = TOP, blend: float = BLEND, c: float = C
) -> dict[str, Any]:
    """The reranker's arrays (as stored) fitted on ``train`` (``requests`` of several writers)."""
    from sklearn.linear_model import LogisticRegression

    cols = [RERANK_FEATURES.index(f) for f in LEARNED]
    x = np.concatenate([r["x"][:top][:, cols] for r in train])
    y = np.concatenate([r["y"][:top] for r in train])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    n = len(RERANK_FEATURES)
    out = {
        "features": np.array(RERANK_FEATURES),
        "top": np.int32(top),
        "direct": np.zeros(n),
        "mean": np.zeros(n),
        "scale": np.ones(n),
        "coef": np.zeros(n),
    }
    out["direct"][RERANK_FEATURES.index("score")] = 1.0
    out["mean"][cols], out["scale"][cols] = mean, scale
    out["coef"][cols] = blend * lr.coef_[0]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SETS), help="development sets to fit on")
    ap.add_argument("--out", type=Path, default=RERANKER_PATH)
    ap.add_argument(
        "--cache",
        type=Path,
        help="a folder of eval_matchmaking_lowo.py --cache: its embeddings (vectors.npz) and the "
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
        file = args.cache / f"map-without-{name}-{LAM}-{TAU}.npy" if args.cache else None
        if file and file.exists():
            mapping = np.load(file)
        else:
            mapping = fit([s for n, s in sets.items() if n != name], LAM, TAU)
        train += requests(data, mapping)
        print(f"  {name}: {len(train)} requests so far", flush=True)
    arrays = fit_reranker(train)
    args.out.parent.mkdir(exist_ok=True)
    np.savez_compressed(args.out, sets=np.array(names), **arrays)
    print(
        f"reranker fitted on {', '.join(names)} (top {TOP}, blend {BLEND}, C {C}): "
        + ", ".join(
            f"{f} {c:+.2f}" for f, c in zip(RERANK_FEATURES, arrays["coef"], strict=True) if c
        )
        + f"; written to {args.out}"
    )


if __name__ == "__main__":
    main()
