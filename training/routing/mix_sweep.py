"""Choose the best model's mix (linear weight, k, tau, optional logistic head) on OOF and dev.

``mix_sweep.py --linear-oof oof.npz --model model.npz [--dev DEV.csv]``: the linear model's
out-of-fold scores (train.py --oof-out) and its shipped file (for the development set), the
examples' embeddings (cached in .cache/e5.npz), the development set's embeddings. Vectors are
centred by language as the shipped head reads them (``--raw``: as before session 7), and the
folds keep translation twins and near copies together (``build_index.twin_groups``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_index import centres_of, embed, examples, twin_groups  # noqa: E402
from devset import DEV, load_dev, scores  # noqa: E402
from distil import CACHE  # noqa: E402
from score_dev import probabilities  # noqa: E402
from train import fit_temperature  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead, centre, language_of  # noqa: E402
from klynge.routing.model import NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import embedding_text  # noqa: E402

E5_CACHE = CACHE / "e5.npz"


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def show(o: dict[str, float], d: dict[str, float]) -> str:
    """OOF and dev top-1/top-3/ECE."""
    return (
        f"OOF {o['top1']:.4f}/{o['top3']:.4f}/{o['ece']:.3f}  "
        f"dev {d['top1']:.4f}/{d['top3']:.4f}/{d['ece']:.3f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--linear-oof", type=Path, required=True)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--index", type=Path, default=INDEX_PATH, help="for its respelling vocabulary")
    ap.add_argument("--logreg", action="store_true", help="also a logistic head on the vectors")
    ap.add_argument("--raw", action="store_true", help="vectors not centred by language")
    args = ap.parse_args()
    lin = np.load(args.linear_oof, allow_pickle=False)
    classes = [str(c) for c in lin["classes"]]
    none = classes.index(NONE)
    texts, labels = examples()
    raw = embed(texts, E5_CACHE)
    languages = np.array([language_of(t) for t in texts])
    centres = centres_of(raw, languages)
    vectors = raw if args.raw else centre(raw, centres, list(languages))
    y = np.array([classes.index(label) for label in labels])
    pos = {strip_boilerplate(str(t).strip()): i for i, t in enumerate(lin["texts"])}
    have = np.array([t in pos for t in texts])
    model = LinearModel.load(args.model)
    # The OOF logits were divided by the out-of-fold temperature; use the shipped one.
    rescale = float(model.meta.get("oof_temperature", model.temperature)) / model.temperature
    p_lin = softmax(lin["logits"][[pos[t] for t in texts if t in pos]] * rescale)
    dtexts, dy, _ = load_dev(classes, args.dev)
    respeller = KnnHead.load(args.index).respeller if args.index.exists() else None
    read = [embedding_text(strip_boilerplate(t), model, respeller) for t in dtexts]
    dvec = embed(read, E5_CACHE)
    if not args.raw:
        dvec = centre(dvec, centres, [language_of(t) for t in read])
    dp_lin = probabilities(model, dtexts)
    min_score = float(model.meta.get("min_score", 0.15))
    skf = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    folds = list(skf.split(vectors, y, twin_groups(raw, languages)))

    def lin_only() -> None:
        o = scores(p_lin, y[have], none, min_score)
        d = scores(dp_lin, dy, none, min_score)
        print(f"linear alone: {show(o, d)}")

    lin_only()
    heads: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for k in (10, 20, 40):
        for tau in (0.03, 0.05, 0.08):
            oof = np.zeros((len(texts), len(classes)))
            for tr, te in folds:
                oof[te] = KnnHead(vectors[tr], y[tr], classes, 1.0, k=k, tau=tau).votes(vectors[te])
            full = KnnHead(vectors, y, classes, 1.0, k=k, tau=tau).votes(dvec)
            heads[f"knn k={k} tau={tau}"] = (oof[have], full)
    for c in (1.0, 10.0) if args.logreg else ():
        oof = np.zeros((len(texts), len(classes)))
        for tr, te in folds:
            clf = LogisticRegression(C=c, max_iter=500).fit(vectors[tr], y[tr])
            part = np.zeros((len(te), len(classes)))
            part[:, clf.classes_] = clf.predict_proba(vectors[te])
            oof[te] = part
        clf = LogisticRegression(C=c, max_iter=500).fit(vectors, y)
        full = np.zeros((len(dtexts), len(classes)))
        full[:, clf.classes_] = clf.predict_proba(dvec)
        heads[f"logreg C={c}"] = (oof[have], full)
    yk = y[have]
    for name, (oof, dev) in heads.items():
        for mix in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
            m_oof = mix * p_lin + (1 - mix) * oof
            m_dev = mix * dp_lin + (1 - mix) * dev
            t = fit_temperature(np.log(np.maximum(m_oof, 1e-12)), yk)
            po = softmax(np.log(np.maximum(m_oof, 1e-12)) / t)
            pd = softmax(np.log(np.maximum(m_dev, 1e-12)) / t)
            o = scores(po, yk, none, min_score)
            d = scores(pd, dy, none, min_score)
            print(f"{name:<22} mix {mix:.1f}: {show(o, d)}  T {t:.2f}", flush=True)
    if not args.logreg:
        return
    # Three-way: linear + kNN (k=20, tau=0.05) + logistic head.
    k_oof, k_dev = heads["knn k=20 tau=0.05"]
    l_oof, l_dev = heads["logreg C=10.0"]
    for a, b in ((0.3, 0.35), (0.3, 0.2), (0.4, 0.3), (0.2, 0.4)):
        m_oof = a * p_lin + b * k_oof + (1 - a - b) * l_oof
        m_dev = a * dp_lin + b * k_dev + (1 - a - b) * l_dev
        t = fit_temperature(np.log(np.maximum(m_oof, 1e-12)), yk)
        o = scores(softmax(np.log(np.maximum(m_oof, 1e-12)) / t), yk, none, min_score)
        d = scores(softmax(np.log(np.maximum(m_dev, 1e-12)) / t), dy, none, min_score)
        print(f"lin {a} knn {b} logreg {1 - a - b:.2f}: {show(o, d)}  T {t:.2f}", flush=True)


if __name__ == "__main__":
    main()
