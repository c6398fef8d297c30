"""Dev-set top-1, top-3 and ECE of linear model files: ``score_dev.py MODEL.npz ...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from devset import DEV, load_dev, scores  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.model import NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import FOCUS_RATIO, focus  # noqa: E402
from klynge.routing.text import content_words, fold, tokens  # noqa: E402


def probabilities(
    model: LinearModel,
    texts: list[str],
    temperature: float | None = None,
    ratio: float | None = FOCUS_RATIO,
) -> np.ndarray:
    """Class probabilities as the router computes them: boilerplate out, vague sentences aside.

    ``ratio=None`` scores the whole text (as the router did before session 6).
    """
    cleaned = [strip_boilerplate(t) for t in texts]
    if ratio is not None:
        cleaned = [focus(t, model, ratio) for t in cleaned]
    docs = [content_words(tokens(fold(t))) for t in cleaned]
    z = model.logits(docs) / (temperature or model.temperature)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--dev", type=Path, default=DEV)
    args = ap.parse_args()
    for path in args.models:
        m = LinearModel.load(path)
        texts, y, langs = load_dev(m.classes, args.dev)
        p = probabilities(m, texts)
        s = scores(p, y, m.classes.index(NONE), float(m.meta.get("min_score", 0.15)))
        lang = np.array(langs)
        by = {
            g: scores(
                p[lang == g], y[lang == g], m.classes.index(NONE), m.meta.get("min_score", 0.15)
            )["top1"]
            for g in ("da", "en")
        }
        print(
            f"{path.name:<28} n={len(y)} top-1 {s['top1']:.4f} top-3 {s['top3']:.4f} "
            f"ECE {s['ece']:.3f}  da {by['da']:.3f} en {by['en']:.3f}  T {m.temperature:.3f}"
        )


if __name__ == "__main__":
    main()
