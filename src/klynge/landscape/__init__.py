"""The Danish cluster landscape: programmes, areas, cluster organisations and regions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from klynge.landscape.landscape import AreaStatus, Landscape
from klynge.landscape.loader import DATA_DIR, LandscapeDataError, Problem, read_raw
from klynge.landscape.resolve import AmbiguousName, Match, NameNotFound


def load_landscape(root: Path | str = DATA_DIR) -> Landscape:
    """Read and validate a landscape folder (the bundled one by default)."""
    return Landscape(read_raw(Path(root)))


@lru_cache(maxsize=1)
def get_landscape() -> Landscape:
    """The bundled landscape, validated once per process."""
    return load_landscape()


__all__ = [
    "DATA_DIR",
    "AmbiguousName",
    "AreaStatus",
    "Landscape",
    "LandscapeDataError",
    "Match",
    "NameNotFound",
    "Problem",
    "get_landscape",
    "load_landscape",
]
