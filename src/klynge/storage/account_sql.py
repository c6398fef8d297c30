"""The performance account as a handful of aggregate queries.

The figures match :func:`klynge.accounts.compute` exactly, but the database counts them: three
GROUP BY queries with COUNT(DISTINCT ...) for one scope, three more for the per-cluster breakdown.
No ORM objects are built, which is what keeps a national account over 200,000 participations
well under a second.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from klynge.accounts.compute import (
    ActivityRow,
    Counts,
    Figures,
    OrgRow,
    OutcomeRow,
    ParticipationRow,
    Period,
)
from klynge.registry.model import KNOWLEDGE_KINDS, OUTCOME_TYPES, SME_LIMIT
from klynge.storage.models import Activity, Organisation, Outcome, Participation

o, a, p, oc = Organisation, Activity, Participation, Outcome


def _sum_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_period(period: Period) -> Any:
    return and_(a.start_date <= period.end, a.end_date >= period.start)


def _figures(
    conn: Connection, period: Period, cluster: str | None, by_cluster: bool
) -> dict[str | None, Figures]:
    """Count distinct organisations first (in a subquery), then sum their attributes.

    Summing over the few thousand distinct organisations is much cheaper than keeping seven
    COUNT(DISTINCT ...) sets over every participation row.
    """
    out: dict[str | None, Figures] = {}

    def fig(key: str | None) -> Figures:
        return out.setdefault(key, Figures())

    where = [_in_period(period)]
    if cluster is not None:
        where.append(a.cluster == cluster)
    company = o.kind == "company"
    sme = and_(company, o.employees < SME_LIMIT)

    pair_cols: list[Any] = [a.cluster] if by_cluster else []
    pairs = (
        select(*pair_cols, p.organisation_id)
        .join(a, a.id == p.activity_id)
        .where(*where)
        .distinct()
        .subquery()
    )
    group = [pairs.c.cluster] if by_cluster else []
    q = (
        select(
            *group,
            _sum_if(company),
            _sum_if(sme),
            _sum_if(and_(company, o.employees.is_(None))),
            _sum_if(o.kind.in_(sorted(KNOWLEDGE_KINDS))),
            _sum_if(o.country != "DK"),
            func.count(),
            _sum_if(o.synthetic.is_(True)),
        )
        .select_from(pairs)
        .join(o, o.id == pairs.c.organisation_id)
        .group_by(*group)
    )
    for row in conn.execute(q):
        key = row[0] if by_cluster else None
        comp, n_sme, unknown, knowledge, intl, total, synth = (int(v) for v in row[len(group) :])
        if total == 0:
            continue
        f = fig(key)
        f.companies = Counts(comp, n_sme)
        f.companies_size_unknown = unknown
        f.knowledge_institutions = knowledge
        f.international = intl
        f.organisations = total
        f.synthetic_organisations = synth

    act_group = [a.cluster] if by_cluster else []
    q = (
        select(
            *act_group,
            a.type,
            func.count(),
            func.coalesce(func.sum(a.funding_dkk), 0),
            func.coalesce(func.sum(a.private_cofinancing_dkk), 0),
            _sum_if(a.synthetic.is_(True)),
        )
        .where(*where)
        .group_by(*act_group, a.type)
    )
    for row in conn.execute(q):
        key = row[0] if by_cluster else None
        act_type, count, funding, private, synthetic = row[len(act_group) :]
        f = fig(key)
        f.activities[str(act_type)] = int(count)
        f.funding_dkk += int(funding)
        f.private_cofinancing_dkk += int(private)
        f.synthetic_activities += int(synthetic or 0)

    owhere = [oc.reported_on >= period.start, oc.reported_on <= period.end]
    if cluster is not None:
        owhere.append(a.cluster == cluster)
    gained = (
        select(*pair_cols, oc.type, oc.organisation_id)
        .join(a, a.id == oc.activity_id)
        .where(*owhere)
        .distinct()
        .subquery()
    )
    ogroup = [gained.c.cluster] if by_cluster else []
    q = (
        select(*ogroup, gained.c.type, func.count(), _sum_if(o.employees < SME_LIMIT))
        .select_from(gained)
        .join(o, o.id == gained.c.organisation_id)
        .where(company)
        .group_by(*ogroup, gained.c.type)
    )
    for row in conn.execute(q):
        key = row[0] if by_cluster else None
        out_type, out_total, out_sme = row[len(ogroup) :]
        if out_type in OUTCOME_TYPES:
            fig(key).outcomes[str(out_type)] = Counts(int(out_total), int(out_sme))
    return out


def account_figures(conn: Connection, period: Period, cluster: str | None = None) -> Figures:
    """The figures for one cluster, or nationally (each organisation once) when ``None``."""
    return _figures(conn, period, cluster, by_cluster=False).get(None) or Figures()


def figures_by_cluster(conn: Connection, period: Period) -> dict[str, Figures]:
    """Per-cluster figures, in which an organisation counts in every cluster it took part in."""
    found = _figures(conn, period, None, by_cluster=True)
    return {k: v for k, v in sorted(found.items(), key=lambda kv: str(kv[0])) if k is not None}


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
