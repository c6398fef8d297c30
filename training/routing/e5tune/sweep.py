"""The best model's settings (k, tau, linear weight) swept for each encoder, on both dev sets.

``python training/routing/e5tune/sweep.py --dev2 companies.csv tuned.bin [more.bin ...]``

Reads the engine vectors that ``judge.py`` cached (or embeds them). Settings are ranked by the
first development set; the second is printed beside it as a judge of the choice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[2] / "src"))

from calibrate import fit_t, soft  # noqa: E402
from data import Dev, training_rows  # noqa: E402
from devset import scores  # noqa: E402
from judge import engine_embed  # noqa: E402
from tok import BASE_MODEL  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--dev2", type=Path, required=True)
    args = ap.parse_args()
    texts, labels, _ = training_rows()
    devs = [Dev(), Dev(args.dev2)]
    for model in [BASE_MODEL, *args.models]:
        vecs = engine_embed(model, texts)
        res = []
        for k in (10, 20, 40):
            for tau in (0.03, 0.05, 0.08):
                for mix in (0.1, 0.2, 0.3, 0.4):
                    row = []
                    for dev in devs:
                        votes = dev.votes(vecs, labels, engine_embed(model, dev.read), k=k, tau=tau)
                        logp = np.log(np.maximum(mix * dev.p_lin + (1 - mix) * votes, 1e-12))
                        p = soft(logp, fit_t(logp, dev.y))
                        row.append(scores(p, dev.y, dev.none, dev.min_score)["top1"])
                    res.append((row[0], row[1], k, tau, mix))
        res.sort(reverse=True)
        print(model.name)
        for a, b, k, tau, mix in res[:3]:
            print(f"  dev {a:.4f} dev2 {b:.4f}  k={k} tau={tau} mix={mix}")
        mean = np.mean([r[:2] for r in res], axis=0)
        print(f"  mean over the {len(res)} settings: dev {mean[0]:.4f} dev2 {mean[1]:.4f}")


if __name__ == "__main__":
    main()
