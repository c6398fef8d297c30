"""Fine-tune the top layers of multilingual-e5-small so that the nearest-neighbour head's
neighbours share the query's label.

``nice -n 5 python training/routing/e5tune/train.py --layers 2 --epochs 3 --out run.pt``

The embeddings and lower layers stay frozen: their output (the hidden states at the first
trainable layer) is computed once for every training row and cached. The top layers are
trained with a supervised contrastive loss on the rows of rounds 1-7 ("passage: " side, as
the router reads), their weights fake-quantised to q4_0 so that what is trained is what the
engine will run. After each epoch the development set is scored as the best model scores it
(kNN votes over the re-embedded rows, mixed with the linear model, temperature fitted on the
set), in the twin's float arithmetic; ``judge.py`` then scores the engine on the written file.
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
sys.path.insert(0, str(HERE.parents[2] / "src"))

from calibrate import fit_t, soft  # noqa: E402
from data import ROUNDS_1_7, Dev, training_rows  # noqa: E402
from devset import scores  # noqa: E402
from layers import embed_all, frozen, save_top_layers, upper  # noqa: E402
from q4file import ModelFile  # noqa: E402
from tok import BASE_MODEL, tokenizer  # noqa: E402
from twin import E5Twin  # noqa: E402

CACHE = HERE.parent / ".cache"
#: Hidden states are cached entering this layer (up to four top layers can be trained).
CACHED_AT = 8


def supcon(z: torch.Tensor, y: torch.Tensor, tau: float) -> torch.Tensor:
    """Supervised contrastive loss (Khosla et al. 2020, the "out" form) on unit vectors."""
    sim = z @ z.T / tau
    eye = torch.eye(len(y), dtype=torch.bool)
    sim = sim.masked_fill(eye, float("-inf"))
    logp = sim - torch.logsumexp(sim, dim=1, keepdim=True)
    pos = (y[:, None] == y[None, :]) & ~eye
    n = pos.sum(1)
    keep = n > 0
    per = -(logp.masked_fill(~pos, 0.0).sum(1)[keep] / n[keep])
    return per.mean()


def dev_score(dev: Dev, vecs: np.ndarray, labels: list[str], dvec: np.ndarray) -> dict[str, float]:
    votes = dev.votes(vecs, labels, dvec)
    mixed = 0.2 * dev.p_lin + 0.8 * votes
    logp = np.log(np.maximum(mixed, 1e-12))
    t = fit_t(logp, dev.y)
    s = scores(soft(logp, t), dev.y, dev.none, dev.min_score)
    s["T"] = t
    s["knn"] = float((votes.argmax(1) == dev.y).mean())
    return s


def show(s: dict[str, float]) -> str:
    return (
        f"dev top-1 {s['top1']:.4f} top-3 {s['top3']:.4f} ECE {s['ece']:.3f} "
        f"(kNN alone {s['knn']:.4f}, T {s['T']:.3f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--layers", type=int, default=2, help="top layers trained")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--tau", type=float, default=0.05, help="contrastive temperature")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--only-norms", action="store_true", help="train biases and LayerNorms only")
    ap.add_argument("--no-fake-quant", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--rows", default=ROUNDS_1_7, help="commit whose examples are trained on (HEAD: rounds 1-8)"
    )
    ap.add_argument("--out", type=Path, required=True, help="trained layers (torch state)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    texts, labels, _ = training_rows(args.rows)
    classes = sorted(set(labels))
    y = torch.tensor([classes.index(c) for c in labels])
    dev = Dev()
    twin = E5Twin(ModelFile.read(BASE_MODEL))
    nl = len(twin.layers)
    start = nl - args.layers
    tk = tokenizer()
    CACHE.mkdir(exist_ok=True)
    if start < CACHED_AT:
        raise SystemExit(f"at most {nl - CACHED_AT} layers")
    tag = "" if args.rows == ROUNDS_1_7 else f"_{args.rows}"
    cache = CACHE / f"e5tune_lower{CACHED_AT}{tag}.pt"
    t0 = time.time()
    if cache.exists():
        hs, dhs = torch.load(cache)
    else:
        hs = frozen(twin, [tk.ids(t) for t in texts], 0, CACHED_AT, ids=True)
        dhs = frozen(twin, [tk.ids(t) for t in dev.read], 0, CACHED_AT, ids=True)
        torch.save((hs, dhs), cache)
    hs, dhs = frozen(twin, hs, CACHED_AT, start), frozen(twin, dhs, CACHED_AT, start)
    print(f"{len(hs)} rows, {len(dhs)} dev texts; lower layers cached ({time.time() - t0:.0f} s)")

    base = dev_score(dev, embed_all(twin, hs, start), labels, embed_all(twin, dhs, start))
    print(f"base (twin):   {show(base)}", flush=True)

    params = []
    for layer in twin.layers[start:]:
        layer.fake_quant = not args.no_fake_quant
        for name, p in layer.named_parameters():
            trainable = not args.only_norms or name.endswith("_b") or "ln" in name
            p.requires_grad_(trainable)
            if trainable:
                params.append(p)
    for layer in twin.layers[:start]:
        layer.requires_grad_(False)
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    steps = args.epochs * (len(hs) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, total_steps=steps, pct_start=0.1
    )
    step = 0
    for epoch in range(args.epochs):
        t0 = time.time()
        perm = rng.permutation(len(hs))
        total = 0.0
        for b in range(len(hs) // args.batch):
            part = perm[b * args.batch : (b + 1) * args.batch]
            twin.train()
            z = upper(twin, [hs[j] for j in part], start, grad=True)
            loss = supcon(z, y[part], args.tau)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += float(loss)
        twin.eval()
        s = dev_score(dev, embed_all(twin, hs, start), labels, embed_all(twin, dhs, start))
        print(
            f"epoch {epoch + 1}: loss {total / (len(hs) // args.batch):.3f} "
            f"({time.time() - t0:.0f} s)  {show(s)}",
            flush=True,
        )
    save_top_layers(twin, start, args, args.out)


if __name__ == "__main__":
    main()
