"""Accuracy of `klynge route` on the held-out evaluation set, beside a BM25 baseline.

Run from the repository root: ``.venv/bin/python benchmarks/eval_routing.py [--errors]``.

Routes every row of ``evaluation/routing/companies.csv`` on 2021-06-01 (the date its labels
assume), once from the description alone and once with the NACE code where the row has one, and
prints strict top-1, top-3, lenient top-1 (``expected_also`` accepted), macro-F1 and the
per-language figures. The set is for measuring only: nothing here feeds back into training.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bm25_baseline import BM25Router  # noqa: E402
from klynge.landscape import get_landscape  # noqa: E402
from klynge.routing.router import RoutingResult, get_router  # noqa: E402

EVAL = REPO / "evaluation" / "routing" / "companies.csv"
ON = date(2021, 6, 1)


def label_of_area(area: str | None) -> str:
    """The evaluation label for an area on the evaluation date: its cluster, or the area."""
    if area is None or area == "none":
        return "none"
    held = get_landscape().cluster_for_area(area, ON)
    return held.slug if held is not None else area


def labels(result: RoutingResult) -> list[str]:
    """Top-1 first (after the router's none rule), then the rest of its ranking."""
    first = "none" if result.outcome == "none" else label_of_area(result.clusters[0].area)
    ranked = [first] + [label_of_area(c.area) for c in result.candidates]
    return list(dict.fromkeys(ranked))


def macro_f1(gold: list[str], pred: list[str]) -> float:
    classes = sorted(set(gold))
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s)


def report(name: str, rows: list[dict[str, str]], ranked: list[list[str]]) -> dict[str, float]:
    gold = [r["expected"] for r in rows]
    top1 = [r[0] for r in ranked]
    also = [{r["expected"], *filter(None, r["expected_also"].split("|"))} for r in rows]
    n = len(rows)
    res = {
        "top1": sum(g == p for g, p in zip(gold, top1, strict=True)) / n,
        "top3": sum(g in r[:3] for g, r in zip(gold, ranked, strict=True)) / n,
        "lenient": sum(p in a for p, a in zip(top1, also, strict=True)) / n,
        "f1": macro_f1(gold, top1),
    }
    per_lang = {}
    for lang in ("da", "en"):
        idx = [i for i, r in enumerate(rows) if r["language"] == lang]
        per_lang[lang] = sum(gold[i] == top1[i] for i in idx) / max(len(idx), 1)
        per_lang[lang + "3"] = sum(gold[i] in ranked[i][:3] for i in idx) / max(len(idx), 1)
    print(
        f"{name:<34} top-1 {res['top1']:6.1%}  top-3 {res['top3']:6.1%}  "
        f"lenient {res['lenient']:6.1%}  macro-F1 {res['f1']:.3f}  "
        f"da {per_lang['da']:6.1%}/{per_lang['da3']:6.1%}  "
        f"en {per_lang['en']:6.1%}/{per_lang['en3']:6.1%}"
    )
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list the rows the router gets wrong")
    args = ap.parse_args()
    rows = list(csv.DictReader(EVAL.open(encoding="utf-8")))
    print(f"{len(rows)} rows from {EVAL.relative_to(REPO)}, date {ON.isoformat()}")
    print("targets: top-1 >= 90%, top-3 >= 98%   (da/en columns: top-1/top-3)")
    router = get_router()
    texts: list[str | None] = [r["description"] for r in rows]
    t0 = time.perf_counter()
    plain = router.route_many(texts, None, on=ON)
    with_code = router.route_many(texts, [r["nace"] or None for r in rows], on=ON)
    elapsed = time.perf_counter() - t0
    ranked_plain = [labels(r) for r in plain if isinstance(r, RoutingResult)]
    ranked_code = [labels(r) for r in with_code if isinstance(r, RoutingResult)]
    if len(ranked_plain) != len(rows) or len(ranked_code) != len(rows):
        raise SystemExit("the router refused some evaluation rows")
    report("router, description only", rows, ranked_plain)
    report("router, description + NACE", rows, ranked_code)
    coded = [i for i, r in enumerate(rows) if r["nace"]]
    report(
        f"router, NACE rows only ({len(coded)}), with code",
        [rows[i] for i in coded],
        [ranked_code[i] for i in coded],
    )
    bm = BM25Router()
    ranked_bm = [[label_of_area(a) for a in bm.rank(r["description"])] for r in rows]
    report("BM25 baseline over area texts", rows, ranked_bm)
    print(f"(router time for {2 * len(rows)} routings: {elapsed:.2f} s)")
    # The same maritime rows after MARLOG's bankruptcy must say "no cluster", never route.
    marlog = [r for r in rows if r["expected"] == "marlog"]
    later = router.route_many([r["description"] for r in marlog], None, on=date(2023, 1, 1))
    said = sum(
        1
        for r in later
        if isinstance(r, RoutingResult)
        and r.outcome == "no-cluster-for-area"
        and r.clusters[0].area == "maritime-logistics"
    )
    routed_elsewhere = sum(
        1 for r in later if isinstance(r, RoutingResult) and r.outcome == "routed"
    )
    print(
        f"maritime rows on 2023-01-01: {said}/{len(marlog)} answered 'no cluster for the area', "
        f"{routed_elsewhere} routed to another area's cluster"
    )
    if args.errors:
        wrong: dict[str, list[str]] = defaultdict(list)
        for r, rk in zip(rows, ranked_plain, strict=True):
            if rk[0] != r["expected"]:
                wrong[r["expected"]].append(f"  {r['id']} -> {rk[:3]}: {r['description'][:90]}")
        for k, v in sorted(wrong.items()):
            print(k)
            print("\n".join(v))


if __name__ == "__main__":
    main()
