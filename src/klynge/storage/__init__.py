"""Storage for the registry: SQLAlchemy tables, Alembic migrations, engines, import and export.

The names below load :mod:`klynge.storage.engine` (and with it SQLAlchemy) on first use, so that
:mod:`klynge.storage.light` and the account's plain-SQL reader can be imported without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klynge.storage.engine import (
        StorageError,
        current_revision,
        database_url,
        describe_url,
        make_engine,
        upgrade,
    )

__all__ = [
    "StorageError",
    "current_revision",
    "database_url",
    "describe_url",
    "make_engine",
    "upgrade",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from klynge.storage import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'klynge.storage' has no attribute {name!r}")
