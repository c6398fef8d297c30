"""Regional specialisation the ECCP way: location quotients, nodes, ecosystems and indices.

Pure domain code: readers turn files into a long table, :mod:`cube` into a dense array, and
:mod:`lq`, :mod:`ecosystems`, :mod:`indices` compute on it. See docs/regions.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klynge.regions.cube import Cube, from_long
    from klynge.regions.errors import RegionsDataError
    from klynge.regions.lq import LQResult, Reference, choose, compute
    from klynge.regions.readers import from_dataframe, read_table

# Where each name lives. They load on first use, so that importing one light submodule (the
# thresholds, the errors) does not pull in NumPy and polars.
_HOME = {
    "Cube": "cube",
    "from_long": "cube",
    "RegionsDataError": "errors",
    "LQResult": "lq",
    "Reference": "lq",
    "choose": "lq",
    "compute": "lq",
    "from_dataframe": "readers",
    "read_table": "readers",
}

__all__ = [
    "Cube",
    "LQResult",
    "Reference",
    "RegionsDataError",
    "choose",
    "compute",
    "from_dataframe",
    "from_long",
    "read_table",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f"klynge.regions.{_HOME[name]}"), name)
    raise AttributeError(name)
