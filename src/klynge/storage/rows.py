"""Small questions about single rows for the pages that edit them, and a cluster's public counts.

Editing a row itself goes through :func:`klynge.storage.transfer.import_table` (a one-row file),
so that an edit meets exactly the checks an import does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, or_, select

from klynge.registry.tables import table_spec
from klynge.storage.models import Activity, Membership, Organisation
from klynge.storage.transfer import _export_query


def row_id_by_key(engine: Engine, table: str, key: dict[str, Any]) -> int | None:
    """The id of the row of ``table`` whose natural key (in file form) is ``key``."""
    spec = table_spec(table)
    sub = _export_query(spec.name, None, with_id=True).subquery()
    cols = list(sub.c)
    q = select(cols[0])
    for name, value in key.items():
        col = cols[1 + spec.columns.index(name)]
        q = q.where(func.lower(col) == value.lower() if name == "organisation" else col == value)
    with engine.connect() as conn:
        found = conn.execute(q.limit(1)).scalar()
    return None if found is None else int(found)


def is_member(engine: Engine, organisation_key: str, cluster: str) -> bool:
    """Whether the organisation has (or had) a membership of ``cluster``."""
    q = (
        select(Membership.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Organisation.key == organisation_key, Membership.cluster == cluster)
        .limit(1)
    )
    with engine.connect() as conn:
        return conn.execute(q).first() is not None


def organisation_id(engine: Engine, key: str) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(Organisation.id).where(func.lower(Organisation.key) == key.lower())
        ).scalar()
    return None if found is None else int(found)


@dataclass(frozen=True)
class ClusterCounts:
    registry_empty: bool
    members_now: int
    activities: int
    last_activity_year: int | None
    synthetic: bool
    """Whether any of the counted rows is synthetic demo data."""


def cluster_counts(engine: Engine, cluster: str, today: date) -> ClusterCounts:
    """A cluster's members today, its activities, and the year its latest activity started."""
    with engine.connect() as conn:
        empty = conn.execute(select(Organisation.id).limit(1)).first() is None
        members, synthetic_members = conn.execute(
            select(
                func.count(func.distinct(Membership.organisation_id)),
                func.count(func.distinct(Organisation.id)).filter(Organisation.synthetic),
            )
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(
                Membership.cluster == cluster,
                Membership.from_date <= today,
                or_(Membership.to_date.is_(None), Membership.to_date >= today),
            )
        ).one()
        activities, synthetic_activities, last_start = conn.execute(
            select(
                func.count(Activity.id),
                func.count(Activity.id).filter(Activity.synthetic),
                func.max(Activity.start_date),
            ).where(Activity.cluster == cluster)
        ).one()
    return ClusterCounts(
        registry_empty=empty,
        members_now=int(members),
        activities=int(activities),
        last_activity_year=None
        if last_start is None
        else last_start.year
        if isinstance(last_start, date)
        else date.fromisoformat(str(last_start)).year,
        synthetic=bool(synthetic_members or synthetic_activities),
    )
