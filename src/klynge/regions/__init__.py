"""Regional specialisation the ECCP way: location quotients, nodes, ecosystems and indices.

Pure domain code: readers turn files into a long table, :mod:`cube` into a dense array, and
:mod:`lq`, :mod:`ecosystems`, :mod:`indices` compute on it. See docs/regions.md.
"""

from klynge.regions.cube import Cube, from_long
from klynge.regions.errors import RegionsDataError
from klynge.regions.lq import LQResult, Reference, choose, compute
from klynge.regions.readers import from_dataframe, read_table

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
