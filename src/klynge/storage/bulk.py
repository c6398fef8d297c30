"""Fast bulk writes: COPY on PostgreSQL, one prepared executemany on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection


def bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Append ``rows`` to ``table`` inside the caller's transaction."""
    if not rows:
        return
    cols = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    # SQLAlchemy stores SQLite dates as ISO text; write them the same way.
    conn.exec_driver_sql(
        f"INSERT INTO {table} ({cols}) VALUES ({marks})",
        [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in rows],
    )


def refresh_statistics(conn: Connection, tables: Sequence[str]) -> None:
    """Give the query planner fresh row counts after a bulk load.

    PostgreSQL's autovacuum would get there eventually, but an account run straight after a big
    load would otherwise be planned for empty tables.
    """
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")
    else:
        conn.exec_driver_sql("PRAGMA optimize")
