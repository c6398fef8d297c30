"""klynge: the Danish cluster system as working software."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("klynge")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

__all__ = ["__version__"]
