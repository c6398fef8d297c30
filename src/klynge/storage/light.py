"""What a read-only command needs from storage without loading SQLAlchemy.

SQLAlchemy takes a third of a second to import, more than the account's query. ``klynge account``
on a SQLite file therefore reads through the ``sqlite3`` module directly: this module finds the
database URL, reads the schema revision, and opens the file as :mod:`klynge.storage.engine`
would (foreign keys on, the same busy timeout). Anything that writes, migrates or talks to
PostgreSQL goes through the engine.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import unquote

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "KLYNGE_DATABASE_URL"
BUSY_TIMEOUT_S = 10


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("klynge", appauthor=False)) / "klynge.db"


def database_url() -> str:
    """``$KLYNGE_DATABASE_URL`` if set, else the SQLite file in the user's data directory."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        if url.startswith("postgresql://"):
            # SQLAlchemy would pick psycopg2, which is not a dependency: use psycopg 3.
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{default_sqlite_path()}"


_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def known_revisions() -> set[str]:
    """The revisions shipped, read from the migration files' names (``0003_headcounts.py``
    holds revision ``0003``; a test holds this to Alembic's own reading), without loading
    Alembic."""
    return {
        m[1] for f in (MIGRATIONS / "versions").iterdir() if (m := _REVISION_FILE.match(f.name))
    }


def head_revision() -> str | None:
    """The newest revision (the revisions form one line, numbered in order)."""
    return max(known_revisions(), default=None)


_SQLITE_FILE = re.compile(r"^sqlite(?:\+pysqlite)?:///([^?]+)$")


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL that exists, else ``None`` (any other URL,
    options in the URL, an in-memory database, a file not made yet: the engine handles those)."""
    m = _SQLITE_FILE.match(url)
    if m is None or m[1] in ("", ":memory:"):
        return None
    path = Path(unquote(m[1]))
    return path if path.is_file() else None


def open_current_sqlite(url: str) -> sqlite3.Connection | None:
    """A ``sqlite3`` connection to the file of ``url`` when its schema is at the newest
    revision, else ``None`` (the caller then takes the engine's way, which migrates or
    explains). The connection is in autocommit mode: readers begin their own transaction."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        found = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        revision = found and conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if not revision or revision[0] != head_revision():
            conn.close()
            return None
    except sqlite3.Error:
        conn.close()
        return None
    return conn
