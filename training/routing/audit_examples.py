"""Find rows that a simple classifier, trained on all the other rows, confidently puts elsewhere.

Such rows are either mislabelled, missing an `also` area, or genuinely hard. Read them and decide;
never relabel a row just because the classifier disagrees. Needs scikit-learn (a dev extra).

    python training/routing/audit_examples.py [--min-confidence 0.5]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union

EXAMPLES = Path(__file__).resolve().parent / "examples"


def load() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(EXAMPLES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-confidence", type=float, default=0.5)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    rows = load()
    texts = [row["text"] for row in rows]
    labels = [row["label"] for row in rows]
    # Character n-grams cope with Danish compounds; words catch English phrases.
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=10, max_iter=2000))
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    proba = cross_val_predict(model, texts, labels, cv=folds, method="predict_proba")
    classes = sorted(set(labels))
    predicted = [classes[i] for i in proba.argmax(axis=1)]

    def accepted(i: int) -> bool:
        return predicted[i] == labels[i] or predicted[i] in rows[i]["also"].split("|")

    strict = np.mean([p == t for p, t in zip(predicted, labels, strict=True)])
    lenient = np.mean([accepted(i) for i in range(len(rows))])
    print(f"{len(rows)} rows, {args.folds}-fold cross-validation")
    print(f"top-1 {strict:.1%}; top-1 counting `also` areas as right {lenient:.1%}")
    for lang in ("da", "en"):
        idx = [i for i, row in enumerate(rows) if row["language"] == lang]
        print(f"  {lang}: top-1 {np.mean([predicted[i] == labels[i] for i in idx]):.1%}")
    confusions = Counter((labels[i], predicted[i]) for i in range(len(rows)) if not accepted(i))
    print("most frequent confusions (label -> predicted):")
    for (label, guess), n in confusions.most_common(12):
        print(f"  {n:3d}  {label} -> {guess}")
    print(f"rows put elsewhere with confidence >= {args.min_confidence}:")
    order = np.argsort(-proba.max(axis=1))
    for i in order:
        if not accepted(int(i)) and proba[i].max() >= args.min_confidence:
            print(f"  {labels[i]} -> {predicted[i]} ({proba[i].max():.2f}): {texts[i]}")


if __name__ == "__main__":
    main()
