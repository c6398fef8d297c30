"""The account summary: which organisations took part in each cluster, year by year.

The performance account counts distinct organisations per cluster and nationally over any
period. Counting them from 200,000 participation rows at every account took longer than doing it
in plain Python. The summary keeps, per cluster (and nationally, under the cluster ``''``),
organisation and calendar year, the first start and the last end of the activities the
organisation took part in that overlap that year (``account_presence``); and per cluster,
outcome type, organisation and year the first and last day it reported that type
(``account_outcome``). Each row also holds the previous year under the same key and that year's
last day (``prev_year``, ``prev_last_day``; NULL for the first), which PostgreSQL's account uses
to count each key once without a GROUP BY. An account then reads a few rows per organisation
instead of every participation; :mod:`klynge.storage.account_sql` says why the first and last day
make any period that spans a year boundary exact. The previous year is a property of the whole
key, so a refresh recomputes every row of an organisation (it always does).

**Keeping it true.** The summary is derived from ``participation``, ``outcome`` and ``activity``
only (no organisation attribute, no head count), by organisation. Every write to those three
tables must, in the same transaction, call :func:`refresh_account_summary` with every
organisation whose rows it touched (before and after the change), or wrap the write in
:func:`summary_kept`, which finds them itself. The import (:mod:`klynge.storage.transfer`) and
the demo data do so; erasure and retention touch none of the three tables' counted columns.
``klynge db check`` compares the summary with a full recomputation (``account-summary``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

HORIZON = 2100
"""The summary lists years up to this one; an activity that ends later is listed to it (with
its real last day). Accounts for periods that end after it are counted from the base tables."""

NATIONAL = ""
"""The summary's cluster for the national rows (each organisation once, whatever the cluster)."""

_CHUNK = 500


def year_of(dialect: str, column: str) -> str:
    """SQL for the calendar year of a date column."""
    if dialect == "sqlite":  # dates are ISO text
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


def _least(dialect: str, a: str, b: str) -> str:
    return f"MIN({a}, {b})" if dialect == "sqlite" else f"LEAST({a}, {b})"


_PRESENCE = "cluster, organisation_id, year, first_day, last_day, prev_year, prev_last_day"
_OUTCOME = "cluster, type, organisation_id, year, first_day, last_day, prev_year, prev_last_day"


def _previous(year: str, last_day: str) -> str:
    """The previous summary row's year and last day under the same key (the window ``w``)."""
    return f"LAG({year}) OVER w, LAG({last_day}) OVER w"


def _build(conn: Connection, scope: str | None) -> None:
    """Insert the summary rows of the organisations ``scope`` selects (all when ``None``)."""
    d = conn.dialect.name
    only = "" if scope is None else f" AND p.organisation_id IN ({scope})"
    only_a = (
        ""
        if scope is None
        else f" WHERE id IN (SELECT activity_id FROM participation p WHERE 1 = 1{only})"
    )
    y_start, y_end = year_of(d, "start_date"), year_of(d, "end_date")
    conn.exec_driver_sql(
        f"INSERT INTO account_presence ({_PRESENCE}) "
        "WITH RECURSIVE span (activity_id, cluster, year, last_year, first_day, last_day) AS ("
        f"SELECT id, cluster, {y_start}, {_least(d, y_end, str(HORIZON))}, start_date, end_date "
        f"FROM activity{only_a} "
        "UNION ALL SELECT activity_id, cluster, year + 1, last_year, first_day, last_day "
        "FROM span WHERE year < last_year) "
        "SELECT s.cluster, p.organisation_id, s.year, MIN(s.first_day), MAX(s.last_day), "
        f"{_previous('s.year', 'MAX(s.last_day)')} "
        f"FROM span s JOIN participation p ON p.activity_id = s.activity_id WHERE 1 = 1{only} "
        "GROUP BY s.cluster, p.organisation_id, s.year "
        "WINDOW w AS (PARTITION BY s.cluster, p.organisation_id ORDER BY s.year)"
    )
    only_n = "" if scope is None else f" AND organisation_id IN ({scope})"
    conn.exec_driver_sql(
        f"INSERT INTO account_presence ({_PRESENCE}) "
        f"SELECT '{NATIONAL}', organisation_id, year, MIN(first_day), MAX(last_day), "
        f"{_previous('year', 'MAX(last_day)')} "
        f"FROM account_presence WHERE cluster <> '{NATIONAL}'{only_n} "
        "GROUP BY organisation_id, year WINDOW w AS (PARTITION BY organisation_id ORDER BY year)"
    )
    only_o = "" if scope is None else f" AND oc.organisation_id IN ({scope})"
    y_rep = year_of(d, "oc.reported_on")
    conn.exec_driver_sql(
        f"INSERT INTO account_outcome ({_OUTCOME}) "
        f"SELECT a.cluster, oc.type, oc.organisation_id, {y_rep}, MIN(oc.reported_on), "
        f"MAX(oc.reported_on), {_previous(y_rep, 'MAX(oc.reported_on)')} "
        "FROM outcome oc JOIN activity a ON a.id = oc.activity_id "
        f"WHERE 1 = 1{only_o} GROUP BY a.cluster, oc.type, oc.organisation_id, {y_rep} "
        f"WINDOW w AS (PARTITION BY a.cluster, oc.type, oc.organisation_id ORDER BY {y_rep})"
    )
    conn.exec_driver_sql(
        f"INSERT INTO account_outcome ({_OUTCOME}) "
        f"SELECT '{NATIONAL}', type, organisation_id, year, MIN(first_day), MAX(last_day), "
        f"{_previous('year', 'MAX(last_day)')} "
        f"FROM account_outcome WHERE cluster <> '{NATIONAL}'{only_n} "
        "GROUP BY type, organisation_id, year "
        "WINDOW w AS (PARTITION BY type, organisation_id ORDER BY year)"
    )


def rebuild_account_summary(conn: Connection) -> None:
    """Recompute the whole summary inside the caller's transaction (demo data, migrations,
    imports that touch most organisations)."""
    conn.exec_driver_sql("DELETE FROM account_presence")
    conn.exec_driver_sql("DELETE FROM account_outcome")
    _build(conn, None)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE account_presence")
        conn.exec_driver_sql("ANALYZE account_outcome")


def refresh_account_summary(conn: Connection, organisations: Iterable[int]) -> None:
    """Recompute the summary rows of ``organisations`` inside the caller's transaction.

    Call it after a write to ``participation``, ``outcome`` or ``activity`` with every
    organisation whose rows the write touched, before and after it (an update that moves a
    participation from one organisation to another touches both).
    """
    ids = sorted({int(i) for i in organisations})
    for n in range(0, len(ids), _CHUNK):
        refresh_where(conn, ", ".join(str(i) for i in ids[n : n + _CHUNK]))


def refresh_where(conn: Connection, scope: str) -> None:
    """Recompute the summary rows of the organisations whose ids the SQL ``scope`` gives (a
    subquery such as ``SELECT organisation_id FROM klynge_stage_participation``, or a list of
    integers)."""
    conn.exec_driver_sql(f"DELETE FROM account_presence WHERE organisation_id IN ({scope})")
    conn.exec_driver_sql(f"DELETE FROM account_outcome WHERE organisation_id IN ({scope})")
    _build(conn, scope)


def organisations_touching(conn: Connection, activities: Iterable[int]) -> set[int]:
    """The organisations that took part in, or reported outcomes of, ``activities``."""
    ids = sorted({int(i) for i in activities})
    found: set[int] = set()
    for n in range(0, len(ids), _CHUNK):
        listed = ", ".join(str(i) for i in ids[n : n + _CHUNK])
        for table in ("participation", "outcome"):
            rows = conn.exec_driver_sql(
                f"SELECT DISTINCT organisation_id FROM {table} WHERE activity_id IN ({listed})"
            )
            found.update(int(r[0]) for r in rows)
    return found


@contextmanager
def summary_kept(
    conn: Connection, *, organisations: Iterable[int] = (), activities: Iterable[int] = ()
) -> Iterator[None]:
    """Keep the summary true across a write to participations, outcomes or activities.

    Name the organisations and activities whose rows the block changes (a participation's or
    outcome's organisation, old and new; an activity's id). The organisations linked to the
    activities are found before and after the block, and all of them are recomputed at its end,
    in the same transaction::

        with summary_kept(conn, activities=[activity_id]):
            conn.execute(update(Activity).where(...).values(end_date=...))
    """
    acts = list(activities)
    touched = {int(i) for i in organisations} | organisations_touching(conn, acts)
    yield
    touched |= organisations_touching(conn, acts)
    refresh_account_summary(conn, touched)


def summary_rows(conn: Connection) -> int:
    """How many rows the summary holds (both tables)."""
    return sum(
        int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar_one())
        for t in ("account_presence", "account_outcome")
    )


def summary_differences(conn: Connection) -> int:
    """How many summary rows differ from a full recomputation (0 when it is true); the
    recomputation is rolled back."""
    tables = {"account_presence": _PRESENCE, "account_outcome": _OUTCOME}
    trans = conn.begin_nested()
    try:
        for table, cols in tables.items():
            conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE klynge_old_{table} AS SELECT {cols} FROM {table}"
            )
        rebuild_account_summary(conn)
        n = 0
        for table, cols in tables.items():
            for a, b in ((table, f"klynge_old_{table}"), (f"klynge_old_{table}", table)):
                sql = f"SELECT {cols} FROM {a} EXCEPT SELECT {cols} FROM {b}"
                n += int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM ({sql}) x").scalar_one())
    finally:
        trans.rollback()
    return n
