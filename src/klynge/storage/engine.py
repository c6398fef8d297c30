"""Engines and migrations.

SQLite is the default so that the registry works with nothing installed: a file in the user's
data directory, in WAL mode (readers do not block the importer) with foreign keys enforced.
``KLYNGE_DATABASE_URL`` selects PostgreSQL (or another SQLite file) instead.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SAWarning, SQLAlchemyError

from klynge.errors import Unavailable
from klynge.i18n import Text
from klynge.storage.light import (
    BUSY_TIMEOUT_S,
    ENV_VAR,
    MIGRATIONS,
    database_url,
    default_sqlite_path,
    head_revision,
    known_revisions,
)

__all__ = [  # re-exported: they live where the command line can read them without SQLAlchemy
    "ENV_VAR",
    "MIGRATIONS",
    "database_url",
    "default_sqlite_path",
    "head_revision",
    "known_revisions",
]


POOL_SIZE = 10
POOL_OVERFLOW = 40
"""Connections one process may hold: 10 kept open, up to 50 under load. The API runs its plain
``def`` endpoints in AnyIO's thread pool (40 threads by default), and a request holds at most one
connection at a time, so the pool never runs dry before the thread pool does. SQLAlchemy's default
(5 + 10) made the 16th of 50 concurrent requests wait and time out after 30 s."""
POOL_TIMEOUT = 30


class StorageError(Unavailable):
    """The database cannot be used as asked; ``text`` says why and what to do, in both languages."""

    code = "database-unavailable"

    def __init__(self, text: Text, *, code: str | None = None) -> None:
        super().__init__(text, code=code)
        self.reason = text


def describe_url(url: str) -> str:
    """The URL without a password, safe to print, even when it cannot be parsed."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Not a URL at all: show it, but mask anything between "://user:" and "@".
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that DDL
        # and DML in one import share one transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock at once (BEGIN IMMEDIATE), and so waits for another
        # writer up to the busy timeout; a deferred BEGIN that read first and wrote later would
        # fail with "database is locked" as soon as the other writer committed.
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


IMMEDIATE = "klynge_immediate"
WRITE_ATTEMPTS = 3
"""A SQLite writer waits up to 10 s for another writer's lock, three times, before giving up."""


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction for writing: on SQLite it holds the write lock from its first statement,
    waiting (busy timeout, then retries) while another import writes; after that it refuses in
    one line with advice. On PostgreSQL a plain transaction (rows lock as they are written)."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    for attempt in range(WRITE_ATTEMPTS):
        conn = engine.connect()
        conn.execution_options(**{IMMEDIATE: True})
        try:
            trans = conn.begin()
        except OperationalError as exc:
            conn.close()
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if attempt + 1 < WRITE_ATTEMPTS:
                time.sleep(0.2 * (attempt + 1))
                continue
            waited = WRITE_ATTEMPTS * BUSY_TIMEOUT_S
            raise StorageError(
                Text(
                    da=f"databasen {describe_url(str(engine.url))} er optaget: en anden proces "
                    f"skriver i den (ventede {waited} s); prøv igen, når den anden indlæsning er "
                    "færdig, eller brug PostgreSQL til samtidige skrivninger",
                    en=f"the database {describe_url(str(engine.url))} is busy: another process is "
                    f"writing to it (waited {waited} s); try again when the other import is "
                    "done, or use PostgreSQL for concurrent writes",
                ),
                code="database-busy",
            ) from None
        try:
            with trans:
                yield conn
        finally:
            conn.close()
        return


def _postgres_events(engine: Engine, schema: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f'SET search_path TO "{schema}"')
        cur.close()
        dbapi_conn.commit()


def make_engine(url: str | None = None, *, schema: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`).

    ``schema`` (PostgreSQL only) puts every table in that schema, which lets parallel test
    workers share one database without colliding.
    """
    url = url or database_url()
    try:
        parsed = make_url(url)
    except ValueError:  # make_url reads the port as a number
        raise StorageError(
            Text(
                da=f"{describe_url(url)}: porten i database-URL'en er ikke et tal",
                en=f"{describe_url(url)}: the port in the database URL is not a number",
            ),
            code="database-url",
        ) from None
    except ArgumentError:
        raise StorageError(
            Text(
                da=f"{url!r} er ikke en database-URL: brug sqlite:///STI eller "
                "postgresql://BRUGER@VÆRT/DB",
                en=f"{url!r} is not a database URL: use sqlite:///PATH or "
                "postgresql://USER@HOST/DB",
            ),
            code="database-url",
        ) from None
    backend = parsed.get_backend_name()
    pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, "pool_timeout": POOL_TIMEOUT}
    try:
        if backend == "sqlite":
            db = parsed.database
            if db and db != ":memory:":
                Path(db).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, **pool)
            else:
                engine = create_engine(url)
            _sqlite_events(engine)
            return engine
        if backend == "postgresql":
            engine = create_engine(url, pool_pre_ping=True, **pool)
            if schema is not None:
                _postgres_events(engine, schema)
            return engine
    except (ImportError, SQLAlchemyError) as exc:
        # A driver that is not installed (postgresql+psycopg2://, sqlite+foo://).
        raise StorageError(
            Text(
                da=f"kan ikke bruge databasen {describe_url(url)}: driveren {parsed.drivername!r} "
                f"er ikke installeret ({exc}); brug sqlite:/// eller postgresql+psycopg://",
                en=f"cannot use the database {describe_url(url)}: the driver "
                f"{parsed.drivername!r} is not installed ({exc}); use sqlite:/// or "
                "postgresql+psycopg://",
            ),
            code="database-driver",
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StorageError(
            Text(
                da=f"kan ikke bruge databasen {describe_url(url)}: {reason}",
                en=f"cannot use the database {describe_url(url)}: {reason}",
            )
        ) from None
    raise StorageError(
        Text(
            da=f"{describe_url(url)} understøttes ikke: brug en sqlite:///- eller "
            "postgresql://-URL",
            en=f"unsupported database {describe_url(url)}: use a sqlite:/// or postgresql:// URL",
        )
    )


def _config() -> Any:
    # Alembic is imported only to migrate: a command on an up-to-date database never loads it.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@contextmanager
def _quiet_batch_reflection() -> Iterator[None]:
    """SQLite's batch migrations (0010, 0011) reflect the tables their foreign keys reach, and
    SQLAlchemy's reflector, which cannot read the expression index on ``lower(organisation.key)``,
    warns that it skipped it, on every new database, ``klynge serve --demo`` included. The batch
    never rebuilds ``organisation``, so the index stays (a test checks it); only that warning is
    silenced, and only while migrating."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message="Skipped unsupported reflection of expression-based index",
            category=SAWarning,
        )
        yield


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` with the migrations shipped in the package."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn, _quiet_batch_reflection():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Undo migrations down to ``revision`` (``base`` removes every registry table)."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn, _quiet_batch_reflection():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The database's revision, ``None`` before the first migration."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_known(engine: Engine, revision: str | None) -> None:
    """Refuse a database migrated by a newer klynge: its schema is one this code does not know."""
    if revision is not None and revision not in known_revisions():
        raise StorageError(
            Text(
                da=f"databasen {describe_url(engine.url.render_as_string())} er på skemaversion "
                f"{revision}, som denne klynge ikke kender (den nyeste her er {head_revision()}): "
                "den er opgraderet af en nyere klynge; opgradér klynge",
                en=f"the database {describe_url(engine.url.render_as_string())} is at schema "
                f"revision {revision}, which this klynge does not know (its newest is "
                f"{head_revision()}): a newer klynge upgraded it; upgrade klynge",
            ),
            code="database-newer",
        )


def ensure_schema(engine: Engine) -> str | None:
    """Upgrade when the database is behind, so that a first command works on a new file, and
    refuse one that is ahead. Returns the revision the database is at."""
    revision = current_revision(engine)
    head = head_revision()
    if revision != head:
        check_known(engine, revision)
        upgrade(engine)
    return head
