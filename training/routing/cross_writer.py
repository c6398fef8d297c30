"""Does one development writer's rows, put into the kNN index, help on another writer's set?

Both development sets (``evaluation/routing_dev``, ``evaluation/routing_dev2``) describe real
organisations, each by its own writer. This adds one set's rows to the shipped index (embedded
as ``build_index.py`` embeds examples, centred by language), one, three or ten times over, and
scores the best model on the other set as the router does; then it lists the best model's errors
on both sets, gold -> predicted. Development data only: ``python training/routing/cross_writer.py``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

from build_index import embed  # noqa: E402
from devset import DEV_SETS, load_dev, scores  # noqa: E402
from score_dev import probabilities  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead, centre, language_of  # noqa: E402
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import embedding_text  # noqa: E402

SETS = DEV_SETS
CACHE = HERE / ".cache"


def main() -> None:
    model = LinearModel.load(MODEL_PATH)
    head = KnnHead.load(INDEX_PATH)
    order = [head.classes.index(c) for c in model.classes]
    none = model.classes.index(NONE)
    min_score = float(model.meta.get("min_score", 0.25))
    data = {}
    for name, path in SETS.items():
        texts, y, _ = load_dev(model.classes, path)
        read = [embedding_text(strip_boilerplate(t), model, head.respeller) for t in texts]
        queries = head.place(embed(read, CACHE / f"cross_{name}_queries.npz"), read)
        rows = [strip_boilerplate(t) for t in texts]
        raw = embed(rows, CACHE / f"cross_{name}_rows.npz")
        as_rows = centre(raw, head.centres, [language_of(t) for t in rows])
        labels = np.array([head.classes.index(model.classes[i]) for i in y])
        data[name] = (texts, y, probabilities(model, texts), queries, as_rows, labels)

    def judge(target: str, extra: str | None, copies: int = 1) -> tuple[dict[str, float], Any]:
        _, y, p_fast, queries, _, _ = data[target]
        vectors, labels = head.vectors, head.labels
        if extra is not None:
            _, _, _, _, as_rows, extra_labels = data[extra]
            vectors = np.vstack([vectors] + [as_rows] * copies)
            labels = np.concatenate([labels] + [extra_labels] * copies)
        grown = KnnHead(vectors, labels, head.classes, head.temperature, head.mix, head.k, head.tau)
        p = grown.combine(p_fast, grown.votes(queries)[:, order])
        return scores(p, y, none, min_score), p

    for target, extra in (("dev", "dev2"), ("dev2", "dev")):
        for what, copies in ((None, 1), (extra, 1), (extra, 3), (extra, 10)):
            s, _ = judge(target, what, copies)
            added = f"+ {what} x{copies}" if what else "as shipped"
            print(
                f"{target} judged, index {added}: top-1 {100 * s['top1']:.1f}%, "
                f"top-3 {100 * s['top3']:.1f}%, ECE {s['ece']:.3f}"
            )
    for target in SETS:
        _, p = judge(target, None)
        areas = p.copy()
        areas[:, none] = -1.0
        is_none = (p.argmax(axis=1) == none) | (areas.max(axis=1) < min_score)
        pred = np.where(is_none, none, areas.argmax(axis=1))
        y = data[target][1]
        pairs = zip(y, pred, strict=True)
        wrong = Counter((model.classes[a], model.classes[b]) for a, b in pairs if a != b)
        print(f"{target}: {sum(wrong.values())} errors, gold -> predicted: {wrong.most_common(8)}")


if __name__ == "__main__":
    main()
