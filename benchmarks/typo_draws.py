"""Typo cost of both routing models averaged over several draws, with and without the fast
model's mending of slipped words (``LinearModel.mend``), in one run.

One draw of keyboard typos over a few hundred descriptions moves top-1 by a point or more, so
``eval_routing.py``'s single draw cannot tell a 1-point target met from missed; this averages
``--draws`` draws (seeds 0, 1, ...; ``robustness_oof.keyboard_typos``, one generator per draw
over the whole set). Clean answers are compared row by row between the two variants.

    .venv/bin/python benchmarks/typo_draws.py routing_dev routing_dev2 --draws 10
    .venv/bin/python benchmarks/typo_draws.py routing_test6 --draws 10 --best-draws 3

A set is a folder under ``evaluation/`` with a ``companies.csv`` (description, expected). The
development sets are for choosing; a test set is read when a model is final (docs/routing.md).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "training" / "routing"), str(REPO / "benchmarks")]

from devset import ON, load_dev  # noqa: E402

from klynge.routing.model import LinearModel  # noqa: E402
from klynge.routing.router import Router  # noqa: E402
from robustness_oof import keyboard_typos  # noqa: E402


def router(mend: bool) -> Router:
    model = LinearModel.load()
    model.mend_slips = mend
    return Router(model=model)


def right(r: Router, texts: list[str], gold: np.ndarray, best: bool) -> np.ndarray:
    """Per row: is the first answer the expected class (``none`` rule applied)?"""
    pos = {label: k for k, label in enumerate(r._row_labels(ON, "en"))}
    if not best:
        return (
            np.array([pos.get(row[1], -1) for row in r.route_rows(list(texts), None, on=ON)])
            == gold
        )
    got = []
    for i in range(0, len(texts), 32):
        for res in r.route_many(list(texts[i : i + 32]), None, on=ON, best=True):
            hit = res.clusters[0] if res.clusters else None
            label = "none" if hit is None else hit.slug or f"no-cluster:{hit.area}"
            got.append(pos.get(label, -1))
    return np.array(got) == gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sets", nargs="+", help="folders under evaluation/, e.g. routing_dev")
    ap.add_argument("--draws", type=int, default=10, help="draws for the fast model")
    ap.add_argument("--best-draws", type=int, default=0, help="draws for the best model (slow)")
    args = ap.parse_args()
    routers = {False: router(False), True: router(True)}
    from klynge.routing.embed import get_head

    modes = [(False, args.draws)] + ([(True, args.best_draws)] if get_head() is not None else [])
    for name in args.sets:
        texts, gold, _ = load_dev(
            routers[False].classes, REPO / "evaluation" / name / "companies.csv"
        )
        for best, draws in modes:
            clean = {}
            for mend in (False, True):
                r = routers[mend]
                r.model.clear_cache()
                clean[mend] = right(r, texts, gold, best)
                costs = []
                for seed in range(draws):
                    rng = random.Random(seed)
                    slipped = [keyboard_typos(t, rng) for t in texts]
                    costs.append(100 * (clean[mend].mean() - right(r, slipped, gold, best).mean()))
                cost = (
                    f"{np.mean(costs):.2f} [{min(costs):.1f}, {max(costs):.1f}]" if costs else "-"
                )
                print(
                    f"{name} {'best' if best else 'fast'} mending {'on ' if mend else 'off'} "
                    f"clean {int(clean[mend].sum())}/{len(texts)}  typo cost over {draws} draws "
                    f"{cost}",
                    flush=True,
                )
            won = int((clean[True] & ~clean[False]).sum())
            lost = int((clean[False] & ~clean[True]).sum())
            print(f"  clean rows, mending on against off: {won} won, {lost} lost", flush=True)


if __name__ == "__main__":
    main()
