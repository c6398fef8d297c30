"""The texts the fine-tuning reads: training rows of rounds 1-7, and the development set.

Training rows are read from commit ``9b6f986`` (the files the shipped models were trained on;
round 8 was appended later and did not pay). Development texts are prepared as the router
prepares a query for the embedding model (boilerplate out, focused, æ, ø, å put back).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE.parent))

from devset import DEV, load_dev  # noqa: E402
from score_dev import probabilities  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead  # noqa: E402
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import embedding_text  # noqa: E402

ROUNDS_1_7 = "9b6f986"


def training_rows(commit: str = ROUNDS_1_7) -> tuple[list[str], list[str], list[str]]:
    """Texts (boilerplate stripped, as build_index.py embeds them), labels and languages."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{commit}:training/routing/examples"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    texts, labels, langs = [], [], []
    for name in sorted(n for n in names if n.endswith(".csv")):
        raw = subprocess.run(
            ["git", "show", f"{commit}:training/routing/examples/{name}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for row in csv.DictReader(io.StringIO(raw)):
            texts.append(strip_boilerplate(row["text"].strip()))
            labels.append(row["label"].strip())
            langs.append(row["language"].strip())
    return texts, labels, langs


class Dev:
    """A development set as the best model reads it, with the linear model's probabilities."""

    def __init__(self, path: Path = DEV, model_path: Path = MODEL_PATH) -> None:
        self.model = LinearModel.load(model_path)
        self.classes = self.model.classes
        self.none = self.classes.index(NONE)
        self.min_score = float(self.model.meta.get("min_score", 0.15))
        texts, self.y, self.langs = load_dev(self.classes, path)
        respeller = KnnHead.load(INDEX_PATH).respeller
        self.read = [embedding_text(strip_boilerplate(t), self.model, respeller) for t in texts]
        self.p_lin = probabilities(self.model, texts)

    def votes(
        self,
        vectors: np.ndarray,
        labels: list[str],
        queries: np.ndarray,
        k: int = 10,
        tau: float = 0.03,
    ) -> np.ndarray:
        y = np.array([self.classes.index(c) for c in labels])
        return KnnHead(vectors, y, self.classes, 1.0, k=k, tau=tau).votes(queries)
