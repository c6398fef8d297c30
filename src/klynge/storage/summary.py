"""Small read-only questions about a registry database, so that the CLI needs no SQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, func, select

from klynge.storage.engine import current_revision
from klynge.storage.models import (
    Activity,
    Contact,
    Headcount,
    Membership,
    Organisation,
    Outcome,
    Participation,
)

# The order in which `klynge db info` lists the tables, as the import table names.
_MODELS = {
    "organisations": Organisation,
    "memberships": Membership,
    "activities": Activity,
    "participations": Participation,
    "outcomes": Outcome,
    "contacts": Contact,
    "headcounts": Headcount,
}


def row_counts(engine: Engine) -> tuple[dict[str, int | None], int]:
    """Rows per table and synthetic organisations; ``None`` counts before the first migration."""
    if not current_revision(engine):
        return {name: None for name in _MODELS}, 0
    with engine.connect() as conn:
        counts: dict[str, int | None] = {
            name: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in _MODELS.items()
        }
        synthetic = conn.execute(
            select(func.count()).select_from(Organisation).where(Organisation.synthetic.is_(True))
        ).scalar_one()
    return counts, int(synthetic)


def activity_span(engine: Engine) -> tuple[date | None, date | None]:
    """The first start and the last end of any activity: the default account period."""
    with engine.connect() as conn:
        first, last = conn.execute(
            select(func.min(Activity.start_date), func.max(Activity.end_date))
        ).one()
    return first, last


def outcome_span_end(engine: Engine) -> date | None:
    """The last day any outcome was reported."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(Outcome.reported_on))).scalar_one()


def is_empty(conn: Connection) -> bool:
    """Whether the registry holds no organisation and no activity at all."""
    org = conn.execute(select(Organisation.id).limit(1)).first()
    return org is None and conn.execute(select(Activity.id).limit(1)).first() is None


def outcomes_after(conn: Connection, start: date, end: date, cluster: str | None) -> int:
    """Outcome reports of activities in ``start..end`` (of ``cluster``) made after ``end``: the
    account does not count them, since outcomes count in the period they were reported in."""
    q = (
        select(func.count())
        .select_from(Outcome)
        .join(Activity, Activity.id == Outcome.activity_id)
        .where(Outcome.reported_on > end, Activity.start_date <= end, Activity.end_date >= start)
    )
    if cluster is not None:
        q = q.where(Activity.cluster == cluster)
    return int(conn.execute(q).scalar_one())
