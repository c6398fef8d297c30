"""klynge: the Danish cluster system as working software."""

# The one place the version is written: pyproject.toml reads it from here (setuptools' dynamic
# version), so no command pays for an importlib.metadata look-up at start-up.
__version__ = "0.1.0"

__all__ = ["__version__"]
