"""Storage for the registry: SQLAlchemy tables, Alembic migrations, engines, import and export."""

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
