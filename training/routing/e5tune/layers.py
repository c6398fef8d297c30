"""The torch twin's layers over batches of texts of uneven length, shared by the fine-tuning
scripts of the router (``train.py``) and of matchmaking (``training/matchmaking/e5tune_mm``):
frozen lower layers run once and cached, the trained top layers with or without gradient, and
the trained layers saved for ``export.py``. Training only (needs torch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from twin import E5Twin


def pad(hs: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Hidden states of several texts as one zero-padded batch and its mask."""
    x = torch.zeros(len(hs), max(h.shape[0] for h in hs), hs[0].shape[1])
    mask = torch.zeros(x.shape[:2], dtype=torch.bool)
    for i, h in enumerate(hs):
        x[i, : h.shape[0]] = h
        mask[i, : h.shape[0]] = True
    return x, mask


def frozen(
    twin: E5Twin, hs: list[Any], a: int, b: int | None, ids: bool = False
) -> list[torch.Tensor]:
    """Layers ``a``..``b`` without gradient over each text (token ids if ``ids``, else hidden
    states entering layer ``a``), batched by length so that little is padding; each text's
    hidden states come out unpadded."""
    if a == b and not ids:
        return hs
    order = np.argsort([len(h) for h in hs])
    out: list[torch.Tensor] = [torch.empty(0)] * len(hs)
    with torch.no_grad():
        for i in range(0, len(order), 64):
            part = order[i : i + 64]
            if ids:
                tok, mask = twin.batch([hs[j] for j in part])
                h = twin.hidden(tok, mask, 0, b)
            else:
                x, mask = pad([hs[j] for j in part])
                h = twin.hidden(None, mask, a, b, x=x)
            for r, j in enumerate(part):
                out[j] = h[r, : len(hs[j])].clone()
    return out


def upper(twin: E5Twin, hs: list[torch.Tensor], start: int, grad: bool = False) -> torch.Tensor:
    """Unit vectors of the texts through the layers from ``start`` (with gradient if ``grad``)."""
    x, mask = pad(hs)
    with torch.set_grad_enabled(grad):
        return twin.pool(twin.hidden(None, mask, start, None, x=x), mask)


def embed_all(twin: E5Twin, hs: list[torch.Tensor], start: int) -> Any:
    """``upper`` over every text, in batches by length, as a float32 array."""
    order = np.argsort([h.shape[0] for h in hs])
    out = np.zeros((len(hs), twin.H), dtype=np.float32)
    for i in range(0, len(order), 128):
        part = order[i : i + 128]
        out[part] = upper(twin, [hs[j] for j in part], start).numpy()
    return out


def save_top_layers(twin: E5Twin, start: int, args: Any, out: Path) -> None:
    """The layers from ``start`` and the run's settings, as ``export.py`` reads them."""
    state = {k: v for k, v in twin.state_dict().items() if k.startswith("layers.")}
    state = {k: v for k, v in state.items() if int(k.split(".")[1]) >= start}
    kept = {k: str(v) for k, v in vars(args).items()}
    torch.save({"start": start, "state": state, "args": kept}, out)
    print(f"wrote {out}")
