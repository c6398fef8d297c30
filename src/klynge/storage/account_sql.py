"""The performance account in plain SQL through the database driver, from the account summary.

The figures match :func:`klynge.accounts.compute` exactly (tests hold them to it on both engines).
Which organisations took part in a cluster in a period comes from the summary
(:mod:`klynge.storage.account_summary`): per cluster, organisation and calendar year the first
start and last end of the activities it took part in that overlap the year. For a period from
``S`` (in year ``y0``) to ``E`` (in ``y1``) an organisation took part exactly when it has a
summary row with ``y0 <= year <= y1`` that is

- a year strictly inside the period (every activity overlapping that year overlaps the period),
- the first year, ``y0 < y1``, with ``last_day >= S`` (an activity in ``y0`` ends on or after
  ``S`` and starts by 31 December, before ``E``),
- the last year, ``y0 < y1``, with ``first_day <= E`` (the mirror image), or
- the only year, ``y0 = y1``, when the period starts on 1 January (``first_day <= E``) or ends on
  31 December (``last_day >= S``).

A period inside one year that touches neither end of it (``first_day <= E`` and ``last_day >= S``
may come from two different activities, neither in the period) and a period ending after
:data:`~klynge.storage.account_summary.HORIZON` are counted from the base tables instead. Outcomes
use the same rule with their report days.

No SQLAlchemy on this path: the statements run on the driver's connection (``sqlite3`` or
psycopg), so that ``klynge account`` on a SQLite file need not import SQLAlchemy at all (see
:mod:`klynge.storage.light`). Each organisation's size class in the period is computed once into
a temporary table; on SQLite every cluster is then one index range of the summary (no sort). On
PostgreSQL one scan of each summary table covers every cluster and the nation: each summary row
also holds the previous year under its key (and that year's last day), so the first qualifying
row of each (cluster, organisation) is found by a filter on the row itself, and the rows are
counted per class code (every flag in one integer) instead of summing eleven flags per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from klynge.accounts.compute import (
    AFTER,
    UNDATED,
    ActivityRow,
    Counts,
    Figures,
    HeadcountRow,
    OrgRow,
    OutcomeRow,
    ParticipationRow,
    Period,
)
from klynge.registry.model import KNOWLEDGE_KINDS, OUTCOME_TYPES, SME_LIMIT
from klynge.storage.account_summary import HORIZON, NATIONAL

if TYPE_CHECKING:
    from sqlalchemy import Connection

_PARAM = re.compile(r"(?<!:):(\w+)")


class Reader:
    """Plain SQL on a DB-API connection of either engine: named ``:parameters`` (rewritten for
    psycopg), dates passed and read back as :class:`datetime.date`."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect

    @classmethod
    def of(cls, conn: Connection) -> Reader:
        """The reader under a SQLAlchemy connection (its driver connection)."""
        raw = conn.connection.driver_connection
        return cls(raw, conn.dialect.name)

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else _PARAM.sub(r"%(\1)s", sql)

    def _params(self, params: dict[str, Any] | None) -> dict[str, Any]:
        if not params or self.dialect != "sqlite":
            return params or {}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        cur = self.raw.cursor()
        try:
            cur.execute(self._sql(sql), self._params(params))
            return list(cur.fetchall())
        finally:
            cur.close()

    def run(self, sql: str, params: dict[str, Any] | None = None) -> None:
        cur = self.raw.cursor()
        try:
            cur.execute(self._sql(sql), self._params(params))
        finally:
            cur.close()

    def one(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return self.rows(sql, params)[0][0]

    @contextmanager
    def snapshot(self) -> Iterator[Reader]:
        """One read transaction (SQLite: begun here unless the caller's is open; PostgreSQL:
        the driver's own), and nothing left behind: temporary tables are dropped."""
        began = self.dialect == "sqlite" and not self.raw.in_transaction
        if began:
            self.run("BEGIN")
        try:
            yield self
        except BaseException:
            # Leave the error as it is: a failed PostgreSQL transaction refuses every statement
            # until its owner rolls it back, and a SQLite rollback drops the table with it.
            if began:
                self.run("ROLLBACK")
            raise
        self.run(f"DROP TABLE IF EXISTS {_CLASSES}")
        if began:
            self.run("ROLLBACK")


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# -- what a period's account reads besides the figures ----------------------------------------
def is_empty(r: Reader) -> bool:
    """Whether the registry holds no organisation and no activity at all."""
    return not r.rows("SELECT 1 FROM organisation LIMIT 1") and not r.rows(
        "SELECT 1 FROM activity LIMIT 1"
    )


def spans(r: Reader) -> tuple[date | None, date | None, date | None]:
    """The first start and last end of any activity, and the last outcome report: what the
    default period is made of."""
    first, last = r.rows("SELECT MIN(start_date), MAX(end_date) FROM activity")[0]
    reported = r.one("SELECT MAX(reported_on) FROM outcome")
    return _day(first), _day(last), _day(reported)


def outcomes_after(r: Reader, period: Period, cluster: str | None) -> int:
    """Outcome reports of activities in ``period`` (of ``cluster``) made after its end: the
    account does not count them, since outcomes count in the period they were reported in."""
    sql = (
        "SELECT COUNT(*) FROM outcome oc JOIN activity a ON a.id = oc.activity_id "
        "WHERE oc.reported_on > :e AND a.start_date <= :e AND a.end_date >= :s"
    )
    params: dict[str, Any] = {"s": period.start, "e": period.end}
    if cluster is not None:
        sql += " AND a.cluster = :c"
        params["c"] = cluster
    return int(r.one(sql, params))


# -- the figures --------------------------------------------------------------------------------
_CLASSES = "klynge_org_class"
_FLAGS = (
    "is_company",
    "is_sme",
    "size_unknown",
    "is_micro",
    "is_medium",
    "is_knowledge",
    "is_international",
    "is_synthetic",
    "is_foreign_company",
    "headcount_after",
    "headcount_undated",
)


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def _valid_headcounts(dialect: str) -> str:
    """Each organisation's count valid in the period ending ``:e`` (see :func:`klynge.accounts.
    compute.employees_in`) as ``organisation_id, employees, rule`` (0 on or before the end,
    1 after it, 2 undated)."""
    rule = "CASE WHEN counted_on IS NULL THEN 2 WHEN counted_on <= :e THEN 0 ELSE 1 END"
    if dialect == "postgresql":
        return (
            f"SELECT DISTINCT ON (organisation_id) organisation_id, employees, {rule} AS rule "
            f"FROM headcount ORDER BY organisation_id, {rule}, "
            "CASE WHEN counted_on <= :e THEN counted_on END DESC, counted_on"
        )
    # SQLite returns the other columns of the row that holds MAX(): one pass, no window. The
    # score orders the latest count on or before the end first, then the earliest after it,
    # then the undated one.
    score = (
        "CASE WHEN counted_on IS NULL THEN 0 WHEN counted_on <= :e "
        "THEN 5000000 + julianday(counted_on) ELSE 4000000 - julianday(counted_on) END"
    )
    return (
        "SELECT organisation_id, employees, CASE WHEN best >= 5000000 THEN 0 "
        "WHEN best > 0 THEN 1 ELSE 2 END AS rule FROM (SELECT organisation_id, employees, "
        f"MAX({score}) AS best FROM headcount GROUP BY organisation_id) ranked"
    )


def _classify(r: Reader, period: Period) -> None:
    """One row per organisation with 0/1 flags for everything the account counts, by the head
    count valid in ``period``."""
    company = "kind = 'company'"
    knowledge = ", ".join(f"'{k}'" for k in sorted(KNOWLEDGE_KINDS))
    flags = [
        _flag(company),
        _flag(f"{company} AND e < {SME_LIMIT}"),
        _flag(f"{company} AND e IS NULL"),
        _flag(f"{company} AND e < 10"),
        _flag(f"{company} AND e >= {SME_LIMIT} AND e < 250"),
        _flag(f"kind IN ({knowledge})"),
        _flag("country <> 'DK'"),
        _flag("synthetic"),
        _flag(f"{company} AND country <> 'DK'"),
        _flag(f"{company} AND rule = {AFTER}"),
        _flag(f"{company} AND rule = {UNDATED}"),
    ]
    r.run(f"DROP TABLE IF EXISTS {_CLASSES}")
    names, values = list(_FLAGS), flags
    if r.dialect == "postgresql":  # also every flag in one integer, bit i for _FLAGS[i]
        names.append("code")
        values = [*flags, " + ".join(f"{f} * {1 << i}" for i, f in enumerate(flags))]
    columns = ", ".join(f"{f} INTEGER NOT NULL" for f in names)
    r.run(f"CREATE TEMPORARY TABLE {_CLASSES} (id INTEGER PRIMARY KEY, {columns})")
    r.run(
        f"INSERT INTO {_CLASSES} (id, {', '.join(names)}) SELECT id, {', '.join(values)} "
        "FROM (SELECT o.id, o.kind, o.country, o.synthetic, COALESCE(hc.employees, o.employees) "
        f"AS e, hc.rule FROM organisation o LEFT JOIN ({_valid_headcounts(r.dialect)}) hc "
        "ON hc.organisation_id = o.id) x",
        {"e": period.end},
    )


def _summary_fits(period: Period) -> bool:
    """Whether the summary answers ``period`` exactly (see the module's docstring)."""
    s, e = period.start, period.end
    if e.year > HORIZON:
        return False
    return s.year < e.year or (s.month, s.day) == (1, 1) or (e.month, e.day) == (12, 31)


_IN_YEARS = (
    "year BETWEEN :y0 AND :y1 AND (year > :y0 OR last_day >= :s) "
    "AND (year < :y1 OR first_day <= :e)"
)


def _participants(summary: bool, scope: str | None) -> str:
    """The distinct organisations of the period as a subquery: of the cluster ``scope``, or
    nationally for ``''``; with ``scope=None`` (cluster, organisation) pairs of every cluster."""
    if summary:
        if scope is None:
            return (
                "SELECT cluster, organisation_id FROM account_presence WHERE cluster <> "
                f"'{NATIONAL}' AND {_IN_YEARS} GROUP BY cluster, organisation_id"
            )
        return (
            f"SELECT organisation_id FROM account_presence WHERE cluster = :c AND {_IN_YEARS} "
            "GROUP BY organisation_id"
        )
    base = (
        "FROM activity a JOIN participation p ON p.activity_id = a.id "
        "WHERE a.start_date <= :e AND a.end_date >= :s"
    )
    if scope is None:
        return f"SELECT DISTINCT a.cluster, p.organisation_id {base}"
    mine = "" if scope == NATIONAL else " AND a.cluster = :c"
    return f"SELECT DISTINCT p.organisation_id {base}{mine}"


def _gained(summary: bool, scope: str | None) -> str:
    """The distinct (outcome type, organisation) reported in the period, as :func:`_participants`
    does for participants (with the cluster first when ``scope`` is ``None``)."""
    if summary:
        if scope is None:
            return (
                "SELECT cluster, type, organisation_id FROM account_outcome WHERE cluster <> "
                f"'{NATIONAL}' AND {_IN_YEARS} GROUP BY cluster, type, organisation_id"
            )
        return (
            f"SELECT type, organisation_id FROM account_outcome WHERE cluster = :c AND "
            f"{_IN_YEARS} GROUP BY type, organisation_id"
        )
    within = "oc.reported_on >= :s AND oc.reported_on <= :e"
    if scope is None:
        return (
            "SELECT DISTINCT a.cluster, oc.type, oc.organisation_id FROM outcome oc "
            f"JOIN activity a ON a.id = oc.activity_id WHERE {within}"
        )
    if scope == NATIONAL:
        return f"SELECT DISTINCT oc.type, oc.organisation_id FROM outcome oc WHERE {within}"
    return (
        "SELECT DISTINCT oc.type, oc.organisation_id FROM outcome oc JOIN activity a "
        f"ON a.id = oc.activity_id WHERE {within} AND a.cluster = :c"
    )


def _sums() -> str:
    return ", ".join(f"COALESCE(SUM(k.{f}), 0)" for f in _FLAGS)


def _count_participants(summary: bool, scope: str | None) -> str:
    """Every participant figure of ``scope`` (see :func:`_participants`); with ``None`` one row
    per cluster, the cluster first."""
    join = f"JOIN {_CLASSES} k ON k.id = pr.organisation_id"
    if scope is None:
        return (
            f"SELECT pr.cluster, {_sums()}, COUNT(*) FROM ({_participants(summary, None)}) pr "
            f"{join} GROUP BY pr.cluster"
        )
    return f"SELECT {_sums()}, COUNT(*) FROM ({_participants(summary, scope)}) pr {join}"


def _count_gained(summary: bool, scope: str | None) -> str:
    """Companies that reported each outcome type, and how many are SMEs."""
    join = f"JOIN {_CLASSES} k ON k.id = g.organisation_id WHERE k.is_company = 1"
    if scope is None:
        return (
            "SELECT g.cluster, g.type, COUNT(*), COALESCE(SUM(k.is_sme), 0) FROM "
            f"({_gained(summary, None)}) g {join} GROUP BY g.cluster, g.type"
        )
    return (
        f"SELECT g.type, COUNT(*), COALESCE(SUM(k.is_sme), 0) FROM ({_gained(summary, scope)}) g "
        f"{join} GROUP BY g.type"
    )


_FIRST_IN_PERIOD = (
    "(prev_year IS NULL OR prev_year < :y0 OR (prev_year = :y0 AND prev_last_day < :s))"
)


def _coded(scope: str | None) -> tuple[str, str]:
    """PostgreSQL, summary periods: the participant and the outcome figures as counts per class
    code (see :func:`_decode`), every cluster and the national rows at once (``scope=None``) or
    one cluster.

    Each (cluster, organisation) counts once, on the first of its summary rows in the period
    that qualifies (:data:`_IN_YEARS`): a qualifying row is the first when the row before it
    under the same key is before the period, or is the period's first year and fails there
    (only the first year's row can fail with a later row in the period). So no GROUP BY of the
    pairs is needed, only a filter on the row itself.
    """
    where = f"{_IN_YEARS} AND {_FIRST_IN_PERIOD}"
    if scope is not None:
        where += " AND cluster = :c"
    join = f"JOIN {_CLASSES} k ON k.id = s.organisation_id WHERE {where}"
    return (
        f"SELECT s.cluster, k.code, COUNT(*) FROM account_presence s {join} "
        "GROUP BY s.cluster, k.code",
        f"SELECT s.cluster, s.type, k.code & 3, COUNT(*) FROM account_outcome s {join} "
        "GROUP BY s.cluster, s.type, k.code & 3",
    )


def _decode(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Counts per (cluster, class code) as the rows :func:`_count_participants` gives: the
    cluster, each flag's sum in the order of ``_FLAGS``, and the total."""
    sums: dict[str, list[int]] = {}
    for key, code, n in rows:
        row = sums.setdefault(str(key), [0] * (len(_FLAGS) + 1))
        for i in range(len(_FLAGS)):
            if int(code) >> i & 1:
                row[i] += int(n)
        row[-1] += int(n)
    return [(key, *row) for key, row in sums.items()]


def _decode_gained(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Counts per (cluster, type, company and SME bits) as :func:`_count_gained` gives them."""
    sums: dict[tuple[str, str], list[int]] = {}
    for key, out_type, code, n in rows:
        if not int(code) & 1:  # not a company
            continue
        row = sums.setdefault((str(key), str(out_type)), [0, 0])
        row[0] += int(n)
        row[1] += int(n) if int(code) & 2 else 0
    return [(key, out_type, *row) for (key, out_type), row in sums.items()]


def _clusters(r: Reader) -> list[str]:
    return [str(c) for (c,) in r.rows("SELECT DISTINCT cluster FROM activity ORDER BY cluster")]


def _figures(r: Reader, period: Period, cluster: str | None) -> dict[str | None, Figures]:
    """Figures keyed by cluster slug, plus the national figures under ``None``; with ``cluster``
    only that cluster is counted."""
    out: dict[str | None, Figures] = {}

    def fig(key: str) -> Figures:
        return out.setdefault(None if key == NATIONAL else key, Figures())

    params: dict[str, Any] = {
        "s": period.start,
        "e": period.end,
        "y0": period.start.year,
        "y1": period.end.year,
    }
    summary = _summary_fits(period)
    _classify(r, period)
    who: list[tuple[Any, ...]] = []
    gained: list[tuple[Any, ...]] = []
    if r.dialect == "sqlite":
        # One index range of the summary per cluster, in organisation order: no sort.
        scopes = [cluster] if cluster is not None else [*_clusters(r), NATIONAL]
        for c in scopes:
            p = {**params, "c": c}
            who += [(c, *row) for row in r.rows(_count_participants(summary, c), p)]
            gained += [(c, *row) for row in r.rows(_count_gained(summary, c), p)]
    elif summary:
        # PostgreSQL: one pass over each summary table for every cluster and the nation.
        p = {**params, "c": cluster}
        part_sql, gained_sql = _coded(cluster)
        who += _decode(r.rows(part_sql, p))
        gained += _decode_gained(r.rows(gained_sql, p))
    else:
        # PostgreSQL hashes: every cluster in one GROUP BY, then the national figures.
        if cluster is None:
            who += r.rows(_count_participants(summary, None), params)
            gained += r.rows(_count_gained(summary, None), params)
        for c in [cluster] if cluster is not None else [NATIONAL]:
            p = {**params, "c": c}
            who += [(c, *row) for row in r.rows(_count_participants(summary, c), p)]
            gained += [(c, *row) for row in r.rows(_count_gained(summary, c), p)]
    for row in who:
        key = str(row[0])
        (comp, sme, unknown, micro, medium, knowledge, intl, synth, foreign, after, undated) = (
            int(v) for v in row[1:12]
        )
        total = int(row[12])
        if total == 0:
            continue
        f = fig(key)
        f.companies = Counts(comp, sme)
        f.companies_size_unknown = unknown
        f.companies_micro = micro
        f.companies_medium = medium
        f.knowledge_institutions = knowledge
        f.international = intl
        f.organisations = total
        f.synthetic_organisations = synth
        f.companies_foreign = foreign
        f.headcount_after = after
        f.headcount_undated = undated

    # Each activity belongs to one cluster, so national activity figures are plain sums.
    sql = (
        "SELECT cluster, type, COUNT(*), COALESCE(SUM(funding_dkk), 0), "
        f"COALESCE(SUM(private_cofinancing_dkk), 0), COALESCE(SUM({_flag('synthetic')}), 0) "
        "FROM activity WHERE start_date <= :e AND end_date >= :s"
    )
    if cluster is not None:
        sql += " AND cluster = :c"
        params["c"] = cluster
    for slug, act_type, count, funding, private, synthetic in r.rows(
        sql + " GROUP BY cluster, type", params
    ):
        for f in (fig(slug), fig(NATIONAL)):
            f.activities[str(act_type)] = f.activities.get(str(act_type), 0) + int(count)
            f.funding_dkk += int(funding)
            f.private_cofinancing_dkk += int(private)
            f.synthetic_activities += int(synthetic)

    for key, out_type, out_total, out_sme in gained:
        if out_type in OUTCOME_TYPES:
            fig(str(key)).outcomes[str(out_type)] = Counts(int(out_total), int(out_sme))
    return out


def account_of(
    r: Reader, period: Period, cluster: str | None
) -> tuple[Figures, dict[str, Figures]]:
    """The figures for ``cluster`` (and no breakdown), or nationally with every cluster's."""
    with r.snapshot():
        found = _figures(r, period, cluster)
    if cluster is not None:
        return found.get(cluster) or Figures(), {}
    national = found.pop(None, None) or Figures()
    by = {k: v for k, v in sorted(found.items(), key=lambda kv: str(kv[0])) if k is not None}
    return national, by


# -- the same through a SQLAlchemy connection (services on PostgreSQL, tests, benchmarks) -------
def account_figures(conn: Connection, period: Period, cluster: str | None = None) -> Figures:
    """The figures for one cluster, or nationally (each organisation once) when ``None``."""
    return account_of(Reader.of(conn), period, cluster)[0]


def figures_by_cluster(conn: Connection, period: Period) -> dict[str, Figures]:
    """Per-cluster figures, in which an organisation counts in every cluster it took part in."""
    return national_account(conn, period)[1]


def national_account(conn: Connection, period: Period) -> tuple[Figures, dict[str, Figures]]:
    """National figures and the per-cluster breakdown."""
    return account_of(Reader.of(conn), period, None)


def registry_rows(
    conn: Connection,
) -> tuple[list[OrgRow], list[ActivityRow], list[ParticipationRow], list[OutcomeRow]]:
    """Every row in the plain form :func:`klynge.accounts.compute` takes (for checks and tests)."""
    from sqlalchemy import select

    from klynge.storage.models import Activity, Organisation, Outcome, Participation

    o, a, p, oc = Organisation, Activity, Participation, Outcome
    orgs = [
        OrgRow(i, k, e, c, bool(s))
        for i, k, e, c, s in conn.execute(select(o.id, o.kind, o.employees, o.country, o.synthetic))
    ]
    acts = [
        ActivityRow(i, c, t, s, e, int(f), int(pr), bool(sy))
        for i, c, t, s, e, f, pr, sy in conn.execute(
            select(
                a.id,
                a.cluster,
                a.type,
                a.start_date,
                a.end_date,
                a.funding_dkk,
                a.private_cofinancing_dkk,
                a.synthetic,
            )
        )
    ]
    parts = [
        ParticipationRow(org, act)
        for org, act in conn.execute(select(p.organisation_id, p.activity_id))
    ]
    outs = [
        OutcomeRow(org, act, t, d)
        for org, act, t, d in conn.execute(
            select(oc.organisation_id, oc.activity_id, oc.type, oc.reported_on)
        )
    ]
    return orgs, acts, parts, outs


def headcount_rows(conn: Connection) -> list[HeadcountRow]:
    """The whole head-count history in the plain form :func:`klynge.accounts.compute` takes."""
    from sqlalchemy import select

    from klynge.storage.models import Headcount

    q = select(Headcount.organisation_id, Headcount.employees, Headcount.counted_on)
    return [HeadcountRow(i, e, d) for i, e, d in conn.execute(q)]


__all__: Sequence[str] = (
    "Reader",
    "account_figures",
    "account_of",
    "figures_by_cluster",
    "headcount_rows",
    "is_empty",
    "national_account",
    "outcomes_after",
    "registry_rows",
    "spans",
)
