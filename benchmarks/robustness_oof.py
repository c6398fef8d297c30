"""Robustness of the fast routing model, measured out of fold on the training examples.

Run from the repository root: ``.venv/bin/python benchmarks/robustness_oof.py [--folds 5]``.

The evaluation sets are test sets, so this measures on the labelled training rows instead: the
rows are split into grouped folds (a row and every copy made from it share a fold, as in
``training/routing/train.py``), a model is fitted on the other folds, and each held-out row is
classified as written and perturbed four ways. A perturbation's cost is the clean top-1 minus
the perturbed top-1, in points. Two pipelines run on the same folds:

- ``old``: features on the words as written (``møbler`` and ``moebler`` differ), no augmentation;
- ``ascii``: features on the words without æ, ø and å (``ascii_danish``), no augmentation;
- ``new``: ``ascii`` and the augmentation of ``training/routing/augment.py`` at the weights
  ``train.py`` uses.

The perturbations are written for this script and differ from both the training bank
(``augment.FLUFF``) and ``benchmarks/eval_routing.py``: one fluff sentence appended, one line of
website boilerplate appended, typos made by neighbouring keys (substituted, inserted) and swaps,
and æ, ø, å written ae, oe, aa. ``--focus 0.7`` sets weak sentences aside before scoring, as the
router does (``klynge.routing.prepare.focus``), judged by each fold's own classifier.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training" / "routing"))

import train  # noqa: E402

from klynge.landscape import get_landscape  # noqa: E402
from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.model import NONE  # noqa: E402
from klynge.routing.text import (  # noqa: E402
    KEY_NEIGHBOURS,
    SENTENCE_END,
    detect_language,
    fold,
    tokens,
)

# Measurement banks: not used in training, not the sentences of eval_routing.py.
FLUFF = {
    "da": [
        "Hos os får du altid en personlig og professionel behandling.",
        "Vi leverer løsninger af højeste kvalitet til konkurrencedygtige priser.",
        "Vores succes bygger på tillid, kompetencer og et godt samarbejde.",
        "Vi er certificeret og arbejder hele tiden på at blive endnu bedre.",
        "Tilfredse kunder er vores bedste reklame.",
        "Vi tænker bæredygtighed ind i alle vores beslutninger.",
        "Med engagement og nysgerrighed finder vi altid den rette vej frem.",
        "Vi er en dynamisk arbejdsplads med plads til både faglighed og humor.",
        "Vores ambition er at være den foretrukne samarbejdspartner i branchen.",
        "Vi går aldrig på kompromis med sikkerhed, kvalitet og miljø.",
    ],
    "en": [
        "At our company you always get personal and professional treatment.",
        "We deliver top quality solutions at competitive prices.",
        "Our success is built on trust, expertise and good cooperation.",
        "We are certified and always working to get even better.",
        "Happy customers are our best advertisement.",
        "We build sustainability into every decision we make.",
        "With commitment and curiosity we always find the right way forward.",
        "We are a dynamic workplace with room for both expertise and humour.",
        "Our ambition is to be the preferred partner in the industry.",
        "We never compromise on safety, quality or the environment.",
    ],
}
BOILERPLATE = {
    "da": [
        "Ring på 33 12 45 67 eller skriv til salg@eksempel.dk. Strandvejen 100, 2900 Hellerup.",
        "CVR 87654321 | Fabriksvej 9 | 7400 Herning | Privatlivspolitik",
        "Vi anvender cookies til statistik og markedsføring på hjemmesiden.",
        "Tilmeld dig vores nyhedsbrev og følg os på Facebook.",
    ],
    "en": [
        "Call us on +45 33 12 45 67 or write to sales@example.com, Main Road 7, 8200 Aarhus N.",
        "Company reg. no. DK87654321 · Copyright 2025 · All rights reserved",
        "We use cookies to analyse traffic on our site.",
        "Sign up for our newsletter and follow us on Instagram.",
    ],
}
#: The keys next to each letter key: the router's own map, which its mending undoes.
NEAR = KEY_NEIGHBOURS


def keyboard_typos(text: str, rng: random.Random, rate: float = 0.125) -> str:
    """About ``rate`` of the words of five letters or more get a slip of the finger."""
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) < 5 or not w.isalpha() or rng.random() >= rate:
            continue
        k = rng.randrange(1, len(w) - 1)
        near = NEAR.get(w[k].lower(), "") or w[k]
        kind = rng.randrange(3)
        if kind == 0:  # a neighbouring key instead
            words[i] = w[:k] + rng.choice(near) + w[k + 1 :]
        elif kind == 1:  # a neighbouring key as well
            words[i] = w[:k] + rng.choice(near) + w[k:]
        else:  # two letters swapped
            words[i] = w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :]
    return " ".join(words)


def without_danish_letters(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
    return text.translate(table)


def perturbations(texts: list[str], langs: list[str]) -> dict[str, list[str]]:
    rng = random.Random(2026)
    fluff = [f"{t} {rng.choice(FLUFF[lg])}" for t, lg in zip(texts, langs, strict=True)]
    boiler = [f"{t} {rng.choice(BOILERPLATE[lg])}" for t, lg in zip(texts, langs, strict=True)]
    return {
        "boilerplate": boiler,
        "fluff": fluff,
        "typos": [keyboard_typos(t, rng) for t in texts],
        "no æøå": [without_danish_letters(t) for t in texts],
    }


def focused(text: str, clf: Any, used: np.ndarray, ascii: bool, ratio: float) -> str:
    """``klynge.routing.prepare.focus`` with a fold's classifier instead of the shipped model."""
    parts = [p for p in (q.strip() for q in SENTENCE_END.split(strip_boilerplate(text))) if p]
    if len(parts) < 2:
        return text
    z = clf.decision_function(train.featurise(parts, ascii=ascii)[:, used]) - clf.intercept_
    lean = z.max(axis=1) - z.mean(axis=1)
    if lean.max() <= 0:
        return text
    return " ".join(p for p, g in zip(parts, lean, strict=True) if g >= ratio * lean.max())


def run(pipeline: str, base: list[train.Doc], fold_of: dict[str, int], args: argparse.Namespace):
    """Out-of-fold top-1 of the real rows, clean and perturbed, for one pipeline."""
    classes = [*get_landscape().areas, NONE]
    ascii = pipeline != "old"
    docs = list(base)
    if pipeline == "new":
        docs += train.augmented(
            base, classes, args.fluff_weight, args.neutral_weight, args.typo_weight
        )
    x_full = train.featurise([d.text for d in docs], ascii=ascii)
    used = np.unique(x_full.indices)
    x = x_full[:, used].tocsr()
    y = np.array([classes.index(d.label) for d in docs])
    w = np.array([d.weight for d in docs])
    fold_id = np.array([fold_of.get(d.origin or d.text, -1) for d in docs])
    real = np.array([d.source in {"example", "profile"} for d in docs])
    texts = [d.text for d in docs]
    correct: dict[str, list[bool]] = {}
    for k in range(args.folds):
        test = np.flatnonzero((fold_id == k) & real)
        fit_rows = fold_id != k
        clf = train.fit(x[fit_rows], y[fit_rows], w[fit_rows], args.c)
        tt = [texts[i] for i in test]
        langs = [detect_language(tokens(fold(t))) for t in tt]
        variants = {"clean": tt, **perturbations(tt, langs)}
        for name, vt in variants.items():
            if args.focus:
                vt = [focused(t, clf, used, ascii, args.focus) for t in vt]
            xv = train.featurise(vt, ascii=ascii)[:, used]
            pred = clf.classes_[clf.decision_function(xv).argmax(axis=1)]
            correct.setdefault(name, []).extend((pred == y[test]).tolist())
    return {name: float(np.mean(v)) for name, v in correct.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=20.0)
    ap.add_argument("--fluff-weight", type=float, default=train.FLUFF_WEIGHT)
    ap.add_argument("--neutral-weight", type=float, default=train.NEUTRAL_WEIGHT)
    ap.add_argument("--typo-weight", type=float, default=train.TYPO_WEIGHT)
    ap.add_argument("--pipelines", default="old,new")
    ap.add_argument(
        "--focus", type=float, default=0.0, help="set weak sentences aside (prepare.FOCUS_RATIO)"
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    here = REPO / "training" / "routing"
    base = (
        train.read_labelled(here / "examples", "example", 1.0, 0.3)
        + train.read_labelled(here / "profiles", "profile", 1.0, 0.3)
        + train.landscape_docs()
        + train.title_docs(0.25)
    )
    classes = [*get_landscape().areas, NONE]
    train.balance(base, classes)
    keys = sorted({d.text for d in base})
    key_index = {t: i for i, t in enumerate(keys)}
    groups = np.array([key_index[d.text] for d in base])
    y = np.array([classes.index(d.label) for d in base])
    fold_of: dict[str, int] = {}
    skf = StratifiedGroupKFold(n_splits=args.folds, shuffle=True, random_state=0)
    for k, (_, test_idx) in enumerate(skf.split(np.zeros(len(base)), y, groups)):
        for i in test_idx:
            fold_of[base[i].text] = k
    n_real = sum(d.source in {"example", "profile"} for d in base)
    print(
        f"{n_real} labelled rows out of fold ({args.folds} grouped folds); weights fluff "
        f"{args.fluff_weight}, neutral {args.neutral_weight}, typos {args.typo_weight}"
    )
    print("| pipeline | clean top-1 | boilerplate | fluff | typos | no æøå |")
    print("|---|---:|---:|---:|---:|---:|")
    for pipeline in args.pipelines.split(","):
        acc = run(pipeline, base, fold_of, args)
        costs = " | ".join(
            f"{100 * (acc['clean'] - acc[n]):.1f}"
            for n in ("boilerplate", "fluff", "typos", "no æøå")
        )
        print(f"| {pipeline} | {100 * acc['clean']:.1f}% | {costs} |", flush=True)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
