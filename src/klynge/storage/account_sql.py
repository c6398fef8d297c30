"""The performance account as a handful of aggregate queries.

The figures match :func:`klynge.accounts.compute` exactly, but the database counts them: three
GROUP BY queries with COUNT(DISTINCT ...) for one scope, three more for the per-cluster breakdown.
No ORM objects are built, which is what keeps a national account over 200,000 participations
well under a second.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, case, distinct, func, select

from klynge.accounts.compute import Counts, Figures, Period
from klynge.registry.model import KNOWLEDGE_KINDS, OUTCOME_TYPES, SME_LIMIT
from klynge.storage.models import Activity, Organisation, Outcome, Participation

o, a, p, oc = Organisation, Activity, Participation, Outcome


def _count_if(condition: Any) -> Any:
    return func.count(distinct(case((condition, o.id))))


def _in_period(period: Period) -> Any:
    return and_(a.start_date <= period.end, a.end_date >= period.start)


def _figures(
    conn: Connection, period: Period, cluster: str | None, by_cluster: bool
) -> dict[str | None, Figures]:
    out: dict[str | None, Figures] = {}

    def fig(key: str | None) -> Figures:
        return out.setdefault(key, Figures())

    group = [a.cluster] if by_cluster else []
    where = [_in_period(period)]
    if cluster is not None:
        where.append(a.cluster == cluster)
    company = o.kind == "company"
    q = (
        select(
            *group,
            _count_if(company),
            _count_if(and_(company, o.employees < SME_LIMIT)),
            _count_if(and_(company, o.employees.is_(None))),
            _count_if(o.kind.in_(sorted(KNOWLEDGE_KINDS))),
            _count_if(o.country != "DK"),
            func.count(distinct(o.id)),
            _count_if(o.synthetic.is_(True)),
        )
        .select_from(p)
        .join(a, a.id == p.activity_id)
        .join(o, o.id == p.organisation_id)
        .where(*where)
        .group_by(*group)
    )
    for row in conn.execute(q):
        key = row[0] if by_cluster else None
        comp, sme, unknown, knowledge, intl, total, synth = (int(v) for v in row[len(group) :])
        f = fig(key)
        f.companies = Counts(comp, sme)
        f.companies_size_unknown = unknown
        f.knowledge_institutions = knowledge
        f.international = intl
        f.organisations = total
        f.synthetic_organisations = synth

    q = (
        select(
            *group,
            a.type,
            func.count(),
            func.coalesce(func.sum(a.funding_dkk), 0),
            func.coalesce(func.sum(a.private_cofinancing_dkk), 0),
            func.sum(case((a.synthetic.is_(True), 1), else_=0)),
        )
        .where(*where)
        .group_by(*group, a.type)
    )
    for row in conn.execute(q):
        key = row[0] if by_cluster else None
        act_type, count, funding, private, synthetic = row[len(group) :]
        f = fig(key)
        f.activities[str(act_type)] = int(count)
        f.funding_dkk += int(funding)
        f.private_cofinancing_dkk += int(private)
        f.synthetic_activities += int(synthetic or 0)

    owhere = [company, oc.reported_on >= period.start, oc.reported_on <= period.end]
    if cluster is not None:
        owhere.append(a.cluster == cluster)
    q = (
        select(
            *group,
            oc.type,
            func.count(distinct(o.id)),
            _count_if(o.employees < SME_LIMIT),
        )
        .select_from(oc)
        .join(a, a.id == oc.activity_id)
        .join(o, o.id == oc.organisation_id)
        .where(*owhere)
        .group_by(*group, oc.type)
    )
    for row in conn.execute(q):
        key = row[0] if by_cluster else None
        out_type, out_total, out_sme = row[len(group) :]
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
