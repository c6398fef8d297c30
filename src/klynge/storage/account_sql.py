"""The performance account as a handful of aggregate queries.

The figures match :func:`klynge.accounts.compute` exactly, but the database counts them: three
GROUP BY queries give the national figures and the per-cluster breakdown together. No ORM
objects are built, which is what keeps a national account over 200,000 participations under a
second.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    null,
    select,
    union_all,
)

from klynge.accounts.compute import (
    AFTER,
    BEFORE,
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
from klynge.storage.models import Activity, Headcount, Organisation, Outcome, Participation

o, a, p, oc, h = Organisation, Activity, Participation, Outcome, Headcount


def _sum_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_period(period: Period) -> Any:
    return and_(a.start_date <= period.end, a.end_date >= period.start)


def valid_headcounts(period: Period) -> Any:
    """Each organisation's count valid in ``period`` (see :func:`klynge.accounts.compute.
    employees_in`): columns ``organisation_id``, ``employees`` and ``rule`` (0 on or before the
    period's end, 1 after it, 2 undated)."""
    rule = case(
        (h.counted_on.is_(None), UNDATED), (h.counted_on <= period.end, BEFORE), else_=AFTER
    )
    ranked = select(
        h.organisation_id,
        h.employees,
        rule.label("rule"),
        func.row_number()
        .over(
            partition_by=h.organisation_id,
            order_by=[rule, case((h.counted_on <= period.end, h.counted_on)).desc(), h.counted_on],
        )
        .label("rn"),
    ).subquery("ranked")
    return (
        select(ranked.c.organisation_id, ranked.c.employees, ranked.c.rule)
        .where(ranked.c.rn == 1)
        .cte("valid_headcount")
    )


_VALID = Table(
    "klynge_valid_headcount",
    MetaData(),
    Column("organisation_id", Integer, primary_key=True),
    Column("employees", Integer),
    Column("rule", Integer),
    prefixes=["TEMPORARY"],
)


def _valid_headcount_table(conn: Connection, period: Period) -> Any:
    """The valid counts as something to join: on SQLite a temporary table keyed by organisation
    (filled once, faster to join four times than a CTE with a window function, which SQLite
    evaluates and indexes for each use); elsewhere the CTE, which PostgreSQL materialises once.
    """
    if conn.dialect.name != "sqlite":
        return valid_headcounts(period)
    _VALID.drop(conn, checkfirst=True)
    _VALID.create(conn)
    cte = valid_headcounts(period)
    conn.execute(_VALID.insert().from_select(["organisation_id", "employees", "rule"], select(cte)))
    return _VALID


def _participants(company: Any, hc: Any) -> list[Any]:
    employees = func.coalesce(hc.c.employees, o.employees)
    return [
        _sum_if(company),
        _sum_if(and_(company, employees < SME_LIMIT)),
        _sum_if(and_(company, employees.is_(None))),
        _sum_if(and_(company, employees < 10)),
        _sum_if(and_(company, employees >= SME_LIMIT, employees < 250)),
        _sum_if(o.kind.in_(sorted(KNOWLEDGE_KINDS))),
        _sum_if(o.country != "DK"),
        func.count(),
        _sum_if(o.synthetic.is_(True)),
        _sum_if(and_(company, o.country != "DK")),
        _sum_if(and_(company, hc.c.rule == AFTER)),
        _sum_if(and_(company, hc.c.rule == UNDATED)),
    ]


def _both_levels(pairs: Any, hc: Any, *columns: Any) -> Any:
    """Per-cluster rows plus national rows (cluster NULL) from one scan of ``pairs``.

    ``pairs`` holds distinct (cluster, ..., organisation) rows. The national rows count each
    organisation once by taking the distinct organisations across clusters.
    """
    keys = [pairs.c[c] for c in columns]
    per = (
        select(pairs.c.cluster, *keys, *_participants_or_outcomes(columns, hc))
        .select_from(
            pairs.join(o, o.id == pairs.c.organisation_id).outerjoin(
                hc, hc.c.organisation_id == pairs.c.organisation_id
            )
        )
        .where(*_outcome_filter(columns))
        .group_by(pairs.c.cluster, *keys)
    )
    once = select(*keys, pairs.c.organisation_id).distinct().subquery()
    national = (
        select(
            cast(null(), String).label("cluster"),
            *(once.c[c] for c in columns),
            *_participants_or_outcomes(columns, hc),
        )
        .select_from(
            once.join(o, o.id == once.c.organisation_id).outerjoin(
                hc, hc.c.organisation_id == once.c.organisation_id
            )
        )
        .where(*_outcome_filter(columns))
        .group_by(*(once.c[c] for c in columns))
    )
    return union_all(per, national)


def _participants_or_outcomes(columns: tuple[str, ...], hc: Any) -> list[Any]:
    if columns:  # outcomes: companies that gained something, and how many are SMEs
        return [func.count(), _sum_if(func.coalesce(hc.c.employees, o.employees) < SME_LIMIT)]
    return _participants(o.kind == "company", hc)


def _outcome_filter(columns: tuple[str, ...]) -> list[Any]:
    return [o.kind == "company"] if columns else []


def _figures(conn: Connection, period: Period, cluster: str | None) -> dict[str | None, Figures]:
    """Figures keyed by cluster slug, plus the national figures under ``None``.

    Distinct organisations are found first and their attributes summed afterwards: summing over a
    few thousand organisations is much cheaper than keeping COUNT(DISTINCT ...) sets over every
    participation row. With ``cluster`` given only that cluster is counted.
    """
    out: dict[str | None, Figures] = {}

    def fig(key: str | None) -> Figures:
        return out.setdefault(key, Figures())

    where = [_in_period(period)]
    if cluster is not None:
        where.append(a.cluster == cluster)

    pairs = (
        select(a.cluster, p.organisation_id)
        .join(a, a.id == p.activity_id)
        .where(*where)
        .distinct()
        .cte("pairs")
    )
    hc = _valid_headcount_table(conn, period)
    for row in conn.execute(_both_levels(pairs, hc)):
        key = row[0]
        (
            comp,
            n_sme,
            unknown,
            micro,
            medium,
            knowledge,
            intl,
            total,
            synth,
            foreign,
            after,
            undated,
        ) = (int(v) for v in row[1:])
        if total == 0:
            continue
        f = fig(key)
        f.companies = Counts(comp, n_sme)
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
    q = (
        select(
            a.cluster,
            a.type,
            func.count(),
            func.coalesce(func.sum(a.funding_dkk), 0),
            func.coalesce(func.sum(a.private_cofinancing_dkk), 0),
            _sum_if(a.synthetic.is_(True)),
        )
        .where(*where)
        .group_by(a.cluster, a.type)
    )
    for row in conn.execute(q):
        slug, act_type, count, funding, private, synthetic = row
        for f in (fig(slug), fig(None)):
            f.activities[str(act_type)] = f.activities.get(str(act_type), 0) + int(count)
            f.funding_dkk += int(funding)
            f.private_cofinancing_dkk += int(private)
            f.synthetic_activities += int(synthetic or 0)

    owhere = [oc.reported_on >= period.start, oc.reported_on <= period.end]
    if cluster is not None:
        owhere.append(a.cluster == cluster)
    gained = (
        select(a.cluster, oc.type, oc.organisation_id)
        .join(a, a.id == oc.activity_id)
        .where(*owhere)
        .distinct()
        .cte("gained")
    )
    for row in conn.execute(_both_levels(gained, hc, "type")):
        key, out_type, out_total, out_sme = row
        if out_type in OUTCOME_TYPES:
            fig(key).outcomes[str(out_type)] = Counts(int(out_total), int(out_sme))
    return out


def account_figures(conn: Connection, period: Period, cluster: str | None = None) -> Figures:
    """The figures for one cluster, or nationally (each organisation once) when ``None``."""
    return national_account(conn, period)[0] if cluster is None else _one(conn, period, cluster)


def _one(conn: Connection, period: Period, cluster: str) -> Figures:
    return _figures(conn, period, cluster).get(cluster) or Figures()


def figures_by_cluster(conn: Connection, period: Period) -> dict[str, Figures]:
    """Per-cluster figures, in which an organisation counts in every cluster it took part in."""
    return national_account(conn, period)[1]


def national_account(conn: Connection, period: Period) -> tuple[Figures, dict[str, Figures]]:
    """National figures and the per-cluster breakdown, from one pass over the participations."""
    found = _figures(conn, period, None)
    national = found.pop(None, None) or Figures()
    by = {k: v for k, v in sorted(found.items(), key=lambda kv: str(kv[0])) if k is not None}
    return national, by


def registry_rows(
    conn: Connection,
) -> tuple[list[OrgRow], list[ActivityRow], list[ParticipationRow], list[OutcomeRow]]:
    """Every row in the plain form :func:`klynge.accounts.compute` takes (for checks and tests)."""
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
    q = select(h.organisation_id, h.employees, h.counted_on)
    return [HeadcountRow(i, e, d) for i, e, d in conn.execute(q)]
