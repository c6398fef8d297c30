"""Alembic environment: the caller hands over a connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from klynge.storage.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - only for `alembic revision --autogenerate` by hand
    url = config.get_main_option("sqlalchemy.url") or "sqlite://"
    with create_engine(url).connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
