"""API tokens as rows: only their SHA-256 is stored; the service layer makes and checks them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from klynge.storage.models import ApiToken


@dataclass(frozen=True)
class TokenRow:
    id: int
    role: str
    cluster: str | None
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


_COLUMNS = (
    ApiToken.id,
    ApiToken.role,
    ApiToken.cluster,
    ApiToken.label,
    ApiToken.created_at,
    ApiToken.revoked_at,
)


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every stored time is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _row(values: tuple[object, ...]) -> TokenRow:
    i, role, cluster, label, created, revoked = values
    return TokenRow(
        int(i),  # type: ignore[call-overload]
        str(role),
        None if cluster is None else str(cluster),
        None if label is None else str(label),
        _utc(created),  # type: ignore[arg-type]
        _utc(revoked),  # type: ignore[arg-type]
    )


def add_token(
    engine: Engine, token_hash: str, role: str, cluster: str | None, label: str | None
) -> TokenRow:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(ApiToken)
            .values(token_hash=token_hash, role=role, cluster=cluster, label=label, created_at=now)
            .returning(ApiToken.id)
        ).scalar_one()
    return TokenRow(int(new_id), role, cluster, label, now, None)


def all_tokens(engine: Engine) -> list[TokenRow]:
    with engine.connect() as conn:
        return [_row(tuple(r)) for r in conn.execute(select(*_COLUMNS).order_by(ApiToken.id))]


def revoke_token(engine: Engine, token_id: int) -> TokenRow | None:
    """Revoke a token (a second revocation keeps the first time); ``None`` if there is none."""
    with engine.begin() as conn:
        conn.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        row = conn.execute(select(*_COLUMNS).where(ApiToken.id == token_id)).first()
    return None if row is None else _row(tuple(row))


def find_token(engine: Engine, token_hash: str) -> TokenRow | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(ApiToken.token_hash == token_hash)).first()
    return None if row is None else _row(tuple(row))


def get_token(engine: Engine, token_id: int) -> TokenRow | None:
    """A token by id: how a web session made with a token checks it is still valid."""
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(ApiToken.id == token_id)).first()
    return None if row is None else _row(tuple(row))
