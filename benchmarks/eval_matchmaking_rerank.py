"""Leave one writer out for the learned reranker (``training/matchmaking/fit_reranker.py``).

For each development writer H in turn: the map of the e5 space is fitted without H, and the
reranker is fitted on the other writers' requests, each of those writers' features computed
with a map fitted without H *and* without that writer (so its training features are as unseen
as H's are, as ``fit_reranker.py`` does for the shipped one). H is then ranked in its own pool by
the score alone (the recommender before the reranker) and by the reranker at each ``--blend``,
in the same run, where the lexicon misses part of the request (as shipped) and, for comparison,
everywhere. Prints recall@10 / MRR / recall@10 on the pairs sharing no word per held-out
writer, their mean and the worst. Development figures: every set was read while the method was
built. Maps and features are kept in ``--cache`` (a folder under /tmp).

    PYTHONPATH=src .venv/bin/python benchmarks/eval_matchmaking_rerank.py --cache /tmp/lowo

Since session 8 maps and features are cached under the names of the writers they were fitted
on, and ``--pools`` compares training pools (e.g. session 7's five writers against every
writer): for each held-out writer H and pool P, everything is fitted on P less H. ``--models``
compares session 7's regression and the trees; ``--full`` the reranker's weight where the
lexicon reads the whole request (docs/matchmaking.md, "Session 8"). Since session 9 a model
spec's suffix names a feature list (``VARIANTS``: "trees-session8" is what shipped before the
router's area scores), and ``--top`` compares how many candidates are reordered.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training" / "matchmaking"))
sys.path.insert(0, str(REPO / "benchmarks"))

from fit_meaning_map import LAM, SETS, TAU, LabelledSet, fit, load_set  # noqa: E402
from fit_reranker import BLEND, KIND, LEARNED, TOP, fit_reranker, requests  # noqa: E402

from eval_matchmaking_lowo import _warm, _words  # noqa: E402
from klynge.matchmaking.recommend import RERANK_FEATURES, Reranker, load_reranker  # noqa: E402

K = 10
#: The features session 8's reranker read (besides the score): what shipped before session 9.
SESSION8 = tuple(f for f in RERANK_FEATURES if f not in ("score", "area_meets", "area_alike"))
#: The features session 7's reranker read (besides the score).
SESSION7 = tuple(f for f in SESSION8 if f not in ("like_requests",))
#: Feature lists a model spec may name after a dash ("trees-session8"); no suffix: ``LEARNED``
#: (since session 9 with the router's area scores, ``area_meets`` and ``area_alike``). The
#: session-9 run compared three more lists (the router's embedding head, the candidate's request
#: against the seeker's offer): commit d7c39c3 has them.
VARIANTS = {"session7": SESSION7, "session8": SESSION8}


def _map(on: tuple[str, ...], sets: dict[str, LabelledSet], cache: Path) -> Any:
    """The map fitted on the sets ``on`` (kept in ``cache``, named by them)."""
    name = "-".join(sorted(on))
    file = cache / f"map-on-{name}-{LAM}-{TAU}.npy"
    if file.exists():
        return np.load(file)
    mapping = fit([sets[n] for n in sorted(on)], LAM, TAU)
    np.save(file, mapping)
    print(f"  fitted the map on {name}", flush=True)
    return mapping


def metrics(
    data: LabelledSet, got: list[dict[str, Any]], orders: list[Any]
) -> tuple[float, float, float]:
    """Recall@10, MRR and recall@10 on the pairs sharing no word, over ``got``'s requests."""
    bags = [_words(r["offers"] + " " + r["seeks"]) for r in data.rows]
    rec, rr, rec_ns = [], [], []
    for r, order in zip(got, orders, strict=True):
        ranked = r["cands"][order]
        top = set(ranked[:K].tolist())
        rec.append(len(r["rel"] & top) / len(r["rel"]))
        hit = np.flatnonzero(np.isin(ranked, list(r["rel"])))
        rr.append(1.0 / (hit[0] + 1) if hit.size else 0.0)
        ns = {b for b in r["rel"] if not bags[r["q"]] & bags[b]}
        if ns:
            rec_ns.append(len(ns & top) / len(ns))
    return float(np.mean(rec)), float(np.mean(rr)), float(np.mean(rec_ns))


def reranked(
    got: list[dict[str, Any]], model: Reranker, everywhere: bool = False, full: float = 0.0
) -> list[Any]:
    """Each request's order: the best ``model.top`` by the reranker, the rest as they were;
    where the lexicon reads the whole request, the learned part counts ``full`` (1 if
    ``everywhere``; 0, as shipped until session 8, leaves those requests' order)."""
    full = 1.0 if everywhere else full
    orders = []
    for r in got:
        n = len(r["cands"])
        weight = 1.0 if r["partial"] else full
        m = min(model.top, n) if weight > 0 else 0
        head = np.argsort(-model.score(r["x"][:m], weight), kind="stable")
        orders.append(np.concatenate([head, np.arange(m, n)]))
    return orders


def get_factory(
    sets: dict[str, LabelledSet], cache: Path
) -> Callable[[str, tuple[str, ...]], list[dict[str, Any]]]:
    """``get(name, on)``: ``name``'s requests and features with the map fitted on the sets
    ``on``, kept in ``cache`` under the features' names (a new feature list recomputes them)."""
    tag = hashlib.sha1(" ".join(RERANK_FEATURES).encode()).hexdigest()[:8]
    feats: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}

    def get(name: str, on: tuple[str, ...]) -> list[dict[str, Any]]:
        key = (name, tuple(sorted(on)))
        file = cache / f"requests-{tag}-{name}-on-{'-'.join(key[1])}.pkl"
        if key not in feats:
            if file.exists():
                feats[key] = pickle.loads(file.read_bytes())
            else:
                feats[key] = requests(sets[name], _map(key[1], sets, cache))
                file.write_bytes(pickle.dumps(feats[key]))
        return feats[key]

    return get


def _pool(spec: str, names: list[str]) -> tuple[str, ...]:
    return tuple(names) if spec == "all" else tuple(x for x in spec.split(",") if x)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--sets", default=",".join(SETS), help="the writers held out in turn")
    ap.add_argument(
        "--pools",
        default="all",
        help="';'-separated training pools (comma lists of writers, or 'all'): each held-out "
        "writer is measured with maps and reranker fitted on each pool less that writer",
    )
    ap.add_argument("--blend", default=f"{BLEND:g}", help="the learned model's weights tried")
    ap.add_argument(
        "--models",
        default=f"lr-session7,lr,{KIND}",
        help="learned models compared: 'lr' (logistic regression), 'trees' (boosted trees); "
        "a suffix names a feature list of VARIANTS ('-session7', '-session8', '-best', ...)",
    )
    ap.add_argument(
        "--full",
        default="",
        help="also each model on the requests the lexicon reads whole, its learned part "
        "weighted by each of these (e.g. 0.25,1)",
    )
    ap.add_argument(
        "--top", default=str(TOP), help="how many candidates are reordered (a comma list)"
    )
    args = ap.parse_args()
    names = [s for s in args.sets.split(",") if s]
    pools = [_pool(p, names) for p in args.pools.split(";") if p]
    sets = {n: load_set(n) for n in dict.fromkeys([*names, *(x for p in pools for x in p)])}
    args.cache.mkdir(parents=True, exist_ok=True)
    _warm(sets, args.cache)
    get = get_factory(sets, args.cache)

    blends = [float(b) for b in args.blend.split(",")]
    fulls = [float(b) for b in args.full.split(",") if b]
    tops = [int(t) for t in args.top.split(",") if t]
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    for pool in pools:
        label = "all" if pool == tuple(names) else ",".join(pool)
        for h in names:
            train_on = tuple(t for t in pool if t != h)
            held = get(h, train_on)
            table.setdefault(f"[{label}] score alone", {})[h] = metrics(
                sets[h], held, [np.arange(len(r["cands"])) for r in held]
            )
            train = [r for t in train_on for r in get(t, tuple(x for x in train_on if x != t))]
            for blend, spec, top in (
                (b, m, t) for b in blends for m in args.models.split(",") for t in tops
            ):
                kind, _, only = spec.partition("-")
                learned = tuple(f for f in VARIANTS.get(only, LEARNED) if f in LEARNED)
                model = load_reranker(fit_reranker(train, top, blend, kind=kind, learned=learned))
                name = spec if top == TOP else f"{spec} top {top}"
                row = f"[{label}] + {name} where the lexicon misses part, blend {blend:g}"
                table.setdefault(row, {})[h] = metrics(sets[h], held, reranked(held, model))
                for full in fulls:
                    row = f"[{label}] + {name}, blend {blend:g}, where it reads all {full:g}"
                    got = reranked(held, model, full=full)
                    table.setdefault(row, {})[h] = metrics(sets[h], held, got)
            print(f"  [{label}] {h}: done", flush=True)
    print(
        f"\n{'held-out writer (recall@10 / MRR / no-shared-word recall@10)':<62}"
        + "".join(f"{n:>23}" for n in names)
        + f"{'mean':>23}{'worst':>23}"
    )
    for label, got in table.items():
        cells = [got[n] for n in names]
        mean = tuple(float(np.mean([c[i] for c in cells])) for i in range(3))
        worst = tuple(float(min(c[i] for c in cells)) for i in range(3))
        print(
            f"{label:<62}"
            + "".join(f"{'/'.join(f'{v:.4f}' for v in c):>23}" for c in cells)
            + f"{'/'.join(f'{v:.4f}' for v in mean):>23}"
            + f"{'/'.join(f'{v:.4f}' for v in worst):>23}"
        )


if __name__ == "__main__":
    main()
