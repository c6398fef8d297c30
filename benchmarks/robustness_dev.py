"""Robustness of both routing models on the development set, not on a test set.

Run from the repository root (the best model needs the ``embed`` extra):
``.venv/bin/python benchmarks/robustness_dev.py [--model M.npz] [--index I.npz] [--no-focus]``

The rows of ``evaluation/routing_dev`` (tuning data, so the figures are development figures) are
scored as written and with the four perturbations of ``benchmarks/robustness_oof.py`` (one fluff
sentence, one line of boilerplate, keyboard typos, æ/ø/å written ae/oe/aa), with the fast model
and with the best mix, through the functions the router uses: boilerplate stripped, the
embedding model reading :func:`klynge.routing.prepare.focus` of the text, respelled by the
index's :class:`~klynge.routing.prepare.Respeller`. A perturbation's cost is the clean top-1
minus the perturbed top-1, in points. Embeddings are cached by text in
``training/routing/.cache/dev_e5.npz``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training" / "routing"))
sys.path.insert(0, str(REPO / "benchmarks"))

from build_index import embed  # noqa: E402
from calibrate import fit_t, soft  # noqa: E402
from devset import DEV, load_dev, scores  # noqa: E402
from distil import CACHE  # noqa: E402
from score_dev import probabilities  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead  # noqa: E402
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import FOCUS_RATIO, focus  # noqa: E402
from klynge.routing.text import detect_language, fold, tokens  # noqa: E402
from robustness_oof import perturbations  # noqa: E402

NAMES = ("boilerplate", "fluff", "typos", "no æøå")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--index", type=Path, default=INDEX_PATH)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--no-focus", action="store_true", help="score and embed the whole text")
    ap.add_argument("--ratio", type=float, default=FOCUS_RATIO, help="focus ratio (prepare.py)")
    ap.add_argument("--refit", action="store_true", help="fit both temperatures on clean dev")
    ap.add_argument("--no-respell", action="store_true", help="embed the text as typed")
    ap.add_argument("--no-typos", action="store_true", help="respell æøå, mend no typos")
    ap.add_argument("--cache", type=Path, default=CACHE / "dev_e5.npz")
    args = ap.parse_args()
    model = LinearModel.load(args.model)
    texts, y, _ = load_dev(model.classes, args.dev)
    none = model.classes.index(NONE)
    min_score = float(model.meta.get("min_score", 0.25))
    langs = [detect_language(tokens(fold(t))) for t in texts]
    variants = {"clean": texts, **perturbations(texts, langs)}
    head = KnnHead.load(args.index) if args.index.exists() else None
    if head is not None and args.no_respell:
        head.respeller = None
    if head is not None and head.respeller is not None and args.no_typos:
        head.respeller.typos = False
    ratio = None if args.no_focus else args.ratio
    order = [head.classes.index(c) for c in model.classes] if head is not None else []
    # Probabilities at temperature one first, so that --refit can fit on the clean rows.
    logp: dict[str, np.ndarray] = {}
    votes: dict[str, np.ndarray] = {}
    for name, vt in variants.items():
        logp[name] = np.log(probabilities(model, vt, temperature=1.0, ratio=ratio))
        if head is None:
            continue
        cleaned = [strip_boilerplate(t) for t in vt]
        read = cleaned if ratio is None else [focus(t, model, ratio) for t in cleaned]
        if head.respeller is not None:
            read = [head.respeller(t) for t in read]
        votes[name] = head.votes(head.place(embed(read, args.cache), read))[:, order]
    t_fast = fit_t(logp["clean"], y) if args.refit else model.temperature
    p_fast = {name: soft(lp, t_fast) for name, lp in logp.items()}
    results: dict[str, dict[str, dict[str, float]]] = {"fast": {}, "best": {}}
    results["fast"] = {n: scores(p, y, none, min_score) for n, p in p_fast.items()}
    if head is not None:
        if args.refit:
            head.temperature = 1.0
            head.temperature = fit_t(np.log(head.combine(p_fast["clean"], votes["clean"])), y)
        for name in variants:
            results["best"][name] = scores(
                head.combine(p_fast[name], votes[name]), y, none, min_score
            )
    if args.refit:
        t_mix = head.temperature if head is not None else float("nan")
        print(f"temperatures fitted on the clean rows: fast {t_fast:.3f}, best {t_mix:.3f}")
    print(f"development set, {len(y)} rows; cost in top-1 points")
    print("| model | clean top-1 | top-3 | ECE | " + " | ".join(NAMES) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(NAMES))
    for mode, res in results.items():
        if not res:
            continue
        c = res["clean"]
        costs = " | ".join(f"{100 * (c['top1'] - res[n]['top1']):.1f}" for n in NAMES)
        print(
            f"| {mode} | {100 * c['top1']:.1f}% | {100 * c['top3']:.1f}% | {c['ece']:.3f} "
            f"| {costs} |"
        )


if __name__ == "__main__":
    main()
