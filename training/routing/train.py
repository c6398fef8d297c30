"""Fit the routing model and write ``src/klynge/routing/data/model.npz``.

Run from the repository root: ``.venv/bin/python training/routing/train.py``.

Training text, never the evaluation set:
- ``training/routing/examples/*.csv`` (``text,language,label,also``): labelled descriptions;
- ``training/routing/profiles/*.csv`` (same columns): per-area profiles written for klynge;
- the landscape's own area texts: scope, mandate and search terms in both languages;
- NACE Rev. 2 class titles (English) and DB07 titles (Danish) from ``../shared/data``, labelled
  with the area of their code (``nace_areas.csv``), or ``none`` when no area lists the code.

The temperature of the softmax is fitted on out-of-fold scores (5-fold over the training text),
so the shipped scores behave like probabilities without looking at the evaluation set.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from klynge.landscape import get_landscape  # noqa: E402
from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.codes import code_table  # noqa: E402
from klynge.routing.features import (  # noqa: E402
    N_BITS,
    bigram_buckets,
    doc_scale,
    word_features,
    word_hashes,
)
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.text import content_words, detect_language, fold, tokens  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import augment  # noqa: E402
from distil import WORDS_PATH  # noqa: E402
from static_vectors import StaticVectors, oov_table  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
# Augmentation weights (training/routing/augment.py), chosen on out-of-fold robustness runs
# (benchmarks/robustness_oof.py); see docs/routing.md.
FLUFF_WEIGHT = 0.3
NEUTRAL_WEIGHT = 0.5
TYPO_WEIGHT = 0.3
#: A neighbour vote share below this teaches nothing (soft rows, session 8).
SOFT_MIN_SHARE = 0.02
HERE = Path(__file__).resolve().parent


@dataclass
class Doc:
    text: str
    label: str
    weight: float
    source: str
    #: The text a copy was made from (augmentation), so both stay in one cross-validation fold.
    origin: str = ""


def read_labelled(
    folder: Path, source: str, weight: float, also_weight: float, boundary_weight: float = 1.0
) -> list[Doc]:
    """Rows of ``folder/*.csv``; each area in ``also`` adds a lighter copy of the row.

    The copies teach the model that a hearing-aid maker is partly sound and partly life
    science, which is what lets the router return both. A row with an ``also`` area sits on a
    boundary between areas, where the README's rules decide: it weighs ``boundary_weight``
    times a plain row, so the few rows that draw a boundary are not outvoted by the many that
    use the same words on one side of it (hearing aids among medical devices).
    """
    docs: list[Doc] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip()
                if not text or not label:
                    print(f"skip {path.name} row {i}: empty text or label", file=sys.stderr)
                    continue
                extras = list(filter(None, (row.get("also") or "").split("|")))
                docs.append(Doc(text, label, weight * (boundary_weight if extras else 1.0), source))
                for extra in extras:
                    if also_weight > 0:
                        docs.append(Doc(text, extra.strip(), also_weight, source + "-also"))
    return docs


def landscape_docs() -> list[Doc]:
    docs: list[Doc] = []
    for a in get_landscape().areas.values():
        for lang in ("da", "en"):
            docs.append(Doc(a.scope.get(lang), a.slug, 1.0, "scope"))
            docs.append(Doc(a.name.get(lang), a.slug, 0.5, "name"))
            for m in a.mandate:
                docs.append(Doc(m.get(lang), a.slug, 0.3, "mandate"))
            for term in a.search_terms(lang):
                docs.append(Doc(term, a.slug, 0.5, "term"))
    return docs


def title_docs(weight: float) -> list[Doc]:
    """NACE (English) and DB07 (Danish) titles labelled through the shipped code table."""
    table = code_table()
    docs: list[Doc] = []

    def label_of(code: str) -> str | None:
        m = table.get(code)
        if m is None:
            return None
        area, share = max(m.areas.items(), key=lambda kv: kv[1])
        return area if share >= 0.999 else None

    with (SHARED / "nace_rev2" / "codes-2.0.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["Class"]
            label = label_of(code) if code else None
            if label is not None:
                docs.append(Doc(row["Activity"], label, weight, "nace"))
    with (SHARED / "db07" / "dksic.tsv").open(encoding="utf-8", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) > 8 and parts[1] == "4" and parts[6]:
                label = label_of(parts[6].replace(".", ""))
                if label is not None:
                    docs.append(Doc(parts[8], label, weight, "db07"))
    return docs


def balance(docs: list[Doc], classes: list[str]) -> None:
    """Give every class the same total weight: a uniform prior over the 16 outcomes.

    The mix of the training text (a third ``none``, many food and production titles) is an
    artefact of how it was written, not the mix of companies the router will see.
    """
    totals = {c: sum(d.weight for d in docs if d.label == c) for c in classes}
    mean = sum(totals.values()) / len(classes)
    for d in docs:
        d.weight *= mean / totals[d.label]


def augmented(
    docs: list[Doc],
    classes: list[str],
    fluff_weight: float,
    neutral_weight: float,
    typo_weight: float,
    seed: int = 0,
) -> list[Doc]:
    """Extra rows from ``augment``: the labelled rows with fluff or typos, and neutral fluff."""
    base = [d for d in docs if d.source.startswith(("example", "profile"))]
    rows = [augment.Row(d.text, d.label, d.weight, d.text) for d in base]
    out: list[Doc] = []
    if fluff_weight > 0:
        langs = [detect_language(tokens(fold(d.text))) for d in base]
        for r in augment.fluff_rows(rows, langs, fluff_weight, seed):
            out.append(Doc(r.text, r.label, r.weight, "fluff", r.origin))
    if typo_weight > 0:
        for r in augment.typo_rows(rows, typo_weight, seed + 1):
            out.append(Doc(r.text, r.label, r.weight, "typos", r.origin))
    if neutral_weight > 0:
        # The mean weight of a labelled row times ``neutral_weight`` per fluff sentence.
        unit = neutral_weight * sum(d.weight for d in base) / max(len(base), 1)
        for r in augment.neutral_rows(classes, unit):
            out.append(Doc(r.text, r.label, r.weight, "neutral", r.origin))
    return out


def soft_rows(docs: list[Doc], classes: list[str], path: Path, weight: float) -> list[Doc]:
    """Each example again under the classes its out-of-fold neighbours vote for.

    A distillation of the embedding model's neighbourhoods into the linear model: the row's
    balanced weight times ``weight`` times the vote share, for shares of 0.02 or more. The copy
    keeps its example as origin, so both sit in one cross-validation fold.
    """
    with np.load(path, allow_pickle=False) as z:
        order = [[str(c) for c in z["classes"]].index(c) for c in classes]
        votes = {str(t): v[order] for t, v in zip(z["texts"], z["votes"], strict=True)}
    out = soft_docs(docs, classes, votes, weight)
    print(f"{len(out)} rows from the neighbours' votes of {len(votes)} examples")
    return out


def soft_docs(
    docs: list[Doc], classes: list[str], votes: dict[str, np.ndarray], weight: float
) -> list[Doc]:
    """The soft rows of :func:`soft_rows` from votes keyed by the example's stripped text (in
    ``classes`` order); examples without votes get none, and ``weight`` 0 gives none."""
    out: list[Doc] = []
    if weight <= 0:
        return out
    for d in docs:
        v = votes.get(strip_boilerplate(d.text.strip())) if d.source == "example" else None
        if v is None:
            continue
        for c in np.flatnonzero(v >= SOFT_MIN_SHARE):
            out.append(Doc(d.text, classes[c], d.weight * weight * float(v[c]), "soft", d.text))
    return out


def featurise(texts: list[str], bigrams: bool = False, ascii: bool = True) -> sparse.csr_matrix:
    """The same features the router computes: words (and adjacent pairs), scaled by length."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for i, text in enumerate(texts):
        cw = content_words(tokens(fold(strip_boilerplate(text))))
        if not cw:
            continue
        _, bi, v = word_features(cw, ascii)
        if bigrams and len(cw) > 1:
            h = word_hashes(cw, ascii)
            pairs = bigram_buckets(h[:-1], h[1:])
            bi = np.concatenate([bi, pairs])
            v = np.concatenate([v, np.ones(pairs.shape[0], dtype=np.float32)])
        rows.append(np.full(bi.shape[0], i))
        cols.append(bi)
        vals.append(v * doc_scale(len(cw)))
    x = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(texts), 1 << N_BITS),
        dtype=np.float64,
    )
    x.sum_duplicates()
    return x


def fit(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, c: float) -> LogisticRegression:
    clf = LogisticRegression(C=c, max_iter=300, tol=1e-4)
    clf.fit(x, y, sample_weight=w)
    return clf


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def choose_min_score(logits: np.ndarray, y: np.ndarray, none: int) -> float:
    """The low-confidence threshold: below it the best area is not enough and the answer is none.

    Chosen on out-of-fold scores of the training examples: the highest threshold whose top-1 is
    within 0.001 of the best, so the router says "no cluster" when unsure wherever that is free.
    """
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    areas = p.copy()
    areas[:, none] = -1.0
    best_area = areas.argmax(axis=1)
    best_p = areas.max(axis=1)
    results = []
    for t in (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
        pred = np.where((p.argmax(axis=1) == none) | (best_p < t), none, best_area)
        results.append((float((pred == y).mean()), t))
        print(f"  min score {t:.2f}: out-of-fold top-1 {results[-1][0]:.4f}")
    best = max(acc for acc, _ in results)
    return max(t for acc, t in results if acc >= best - 0.001)


def calibration_error(logits: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top score: |accuracy - confidence| over 10 bins."""
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    edges = np.linspace(0, 1, bins + 1)
    err = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            err += inside.mean() * abs((pred[inside] == y[inside]).mean() - conf[inside].mean())
    return float(err)


def model_of(
    clf: LogisticRegression,
    used: np.ndarray,
    classes: list[str],
    temperature: float,
    meta: dict[str, float],
    sv: StaticVectors | None,
    static_weight: float = 1.0,
    oov_ridge: float = 1.0,
) -> LinearModel:
    """The shipped form of a fit over the ``used`` hash buckets (and the static vectors)."""
    weights = np.zeros((1 << N_BITS, len(classes)))
    weights[np.ix_(used, clf.classes_)] = clf.coef_[:, : used.shape[0]].T
    static: dict[str, object] = {}
    if sv is not None:
        w_static = np.zeros((sv.vectors.shape[1], len(classes)))
        w_static[:, clf.classes_] = clf.coef_[:, used.shape[0] :].T
        rows = (sv.vectors @ w_static * static_weight).astype(np.float32)
        keys, oov = oov_table(sv.words, rows, oov_ridge)
        static = {"static_words": sv.words, "static_rows": rows, "oov_keys": keys, "oov_rows": oov}
    bias = np.zeros(len(classes))
    bias[clf.classes_] = clf.intercept_
    return LinearModel.from_dense(classes, weights, bias, temperature, meta, **static)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--c", type=float, default=20.0, help="inverse L2 strength")
    ap.add_argument("--title-weight", type=float, default=0.25)
    ap.add_argument("--also-weight", type=float, default=0.3)
    ap.add_argument(
        "--balance",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="equal total weight per class",
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=1, help="processes for the folds and final fit")
    ap.add_argument(
        "--boundary-weight",
        type=float,
        default=1.0,
        help="weight of example rows that name an also area (boundary cases)",
    )
    ap.add_argument(
        "--bigrams",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="add adjacent content-word pairs as features",
    )
    ap.add_argument(
        "--static-dims",
        type=int,
        default=0,
        help="add the distilled static word vectors (distil.py), reduced to this many dimensions",
    )
    ap.add_argument("--static-weight", type=float, default=1.0, help="scale of those features")
    ap.add_argument("--words", type=Path, default=WORDS_PATH, help="distil.py's word vectors")
    ap.add_argument("--oov-ridge", type=float, default=1.0, help="ridge strength, unknown words")
    ap.add_argument(
        "--fluff-weight",
        type=float,
        default=FLUFF_WEIGHT,
        help="weight of a copy of each labelled row with a fluff sentence (0: none)",
    )
    ap.add_argument(
        "--neutral-weight",
        type=float,
        default=NEUTRAL_WEIGHT,
        help="weight of each fluff sentence alone, spread evenly over the classes (0: none)",
    )
    ap.add_argument(
        "--typo-weight",
        type=float,
        default=TYPO_WEIGHT,
        help="weight of a copy of each labelled row with typos (0: none)",
    )
    ap.add_argument(
        "--soft-votes",
        type=Path,
        default=None,
        help="out-of-fold nearest-neighbour votes of the examples (rerank_sweep.py --votes-out): "
        "each example also teaches the classes its neighbours vote for (session 8, not shipped; "
        "the out-of-fold figures printed with it are flattered, soft_oof.py measures it honestly)",
    )
    ap.add_argument(
        "--soft-weight", type=float, default=0.3, help="weight of those rows, times the votes"
    )
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument(
        "--oof-out",
        type=Path,
        default=None,
        help="also write the out-of-fold scores of the examples (for calibration studies)",
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    docs = (
        read_labelled(HERE / "examples", "example", 1.0, args.also_weight, args.boundary_weight)
        + read_labelled(HERE / "profiles", "profile", 1.0, args.also_weight, args.boundary_weight)
        + landscape_docs()
        + title_docs(args.title_weight)
    )
    classes = [*get_landscape().areas, NONE]
    known = set(classes)
    bad = sorted({d.label for d in docs} - known)
    if bad:
        raise SystemExit(f"unknown labels in training data: {bad}")
    counts = {c: sum(1 for d in docs if d.label == c) for c in classes}
    print(f"{len(docs)} training texts; per class: {counts}")
    if args.balance:
        balance(docs, classes)
    docs += augmented(docs, classes, args.fluff_weight, args.neutral_weight, args.typo_weight)
    if args.soft_votes is not None:
        docs += soft_rows(docs, classes, args.soft_votes, args.soft_weight)
    x_full = featurise([d.text for d in docs], bigrams=args.bigrams)
    used = np.unique(x_full.indices)  # fit only the buckets that occur: far fewer columns
    x = x_full[:, used].tocsr()
    sv = None
    if args.static_dims:
        sv = StaticVectors.load(args.static_dims, args.words)
        s_feat = sv.features([d.text for d in docs], "sqrt") * args.static_weight
        x = sparse.hstack([x, s_feat]).tocsr()
    y = np.array([classes.index(d.label) for d in docs])
    w = np.array([d.weight for d in docs])

    # Out-of-fold scores on the labelled descriptions calibrate the temperature.
    oof = np.zeros((len(docs), len(classes)))
    # Group by text so that a row and its "also" copies never sit on both sides of a fold.
    groups = np.unique([d.origin or d.text for d in docs], return_inverse=True)[1]
    skf = StratifiedGroupKFold(n_splits=args.folds, shuffle=True, random_state=0)
    splits = list(skf.split(x, y, groups))
    # The folds and the final fit are independent: with --jobs they run side by side.
    fits = Parallel(n_jobs=args.jobs)(
        delayed(fit)(x[tr], y[tr], w[tr], args.c)
        for tr in [tr for tr, _ in splits] + [np.arange(len(docs))]
    )
    for (_, test_idx), clf in zip(splits, fits, strict=False):
        full = np.full((len(test_idx), len(classes)), -1e9)
        full[:, clf.classes_] = clf.decision_function(x[test_idx])
        oof[test_idx] = full
    real = np.array([d.source in {"example", "profile"} for d in docs])
    mask = real if real.sum() >= 50 else np.ones(len(docs), dtype=bool)
    temperature = fit_temperature(oof[mask], y[mask])
    acc = float((oof[mask].argmax(axis=1) == y[mask]).mean())
    ece = calibration_error(oof[mask] / temperature, y[mask])
    print(
        f"out-of-fold top-1 on {int(mask.sum())} texts: {acc:.3f}; temperature {temperature:.3f}; "
        f"expected calibration error {ece:.3f}"
    )

    if args.oof_out is not None:
        idx = np.flatnonzero(mask)
        np.savez_compressed(
            args.oof_out,
            logits=oof[idx] / temperature,
            y=y[idx],
            texts=np.array([docs[i].text for i in idx]),
            classes=np.array(classes),
        )
    min_score = choose_min_score(oof[mask] / temperature, y[mask], classes.index(NONE))
    meta = {
        "oof_top1": acc,
        "min_score": min_score,
        "oof_ece": ece,
        "n_train": float(len(docs)),
        "bigrams": float(args.bigrams),
        "static_dims": float(args.static_dims),
        "ascii_danish": 1.0,
    }
    model = model_of(
        fits[-1], used, classes, temperature, meta, sv, args.static_weight, args.oov_ridge
    )
    model.save(args.out)
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size / 1e6:.2f} MB, {model.keys.shape[0]} buckets) "
        f"in {time.perf_counter() - t0:.1f} s"
    )


if __name__ == "__main__":
    main()
