"""Small shapes every service shares: pages of a list, and caveats that travel with results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from klynge.errors import InvalidInput
from klynge.i18n import Text

T = TypeVar("T")

MAX_LIMIT = 1000


class Page(BaseModel, Generic[T]):
    """A slice of a longer list. ``total`` counts the whole list, so a client can page on."""

    items: list[T]
    total: int
    offset: int = 0
    limit: int | None = None


def paginate(items: Sequence[T], offset: int = 0, limit: int | None = None) -> Page[T]:
    if offset < 0:
        raise InvalidInput(
            Text(da="offset må ikke være negativ", en="offset must not be negative"),
            code="bad-offset",
        )
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            Text(
                da=f"limit skal være mellem 1 og {MAX_LIMIT}",
                en=f"limit must be between 1 and {MAX_LIMIT}",
            ),
            code="bad-limit",
        )
    end = None if limit is None else offset + limit
    return Page(items=list(items[offset:end]), total=len(items), offset=offset, limit=limit)


class Caveat(BaseModel):
    """Something the reader must know to read a result right (an unknown list, a guess)."""

    code: str = Field(description="Stable identifier of the caveat, for programs.")
    message: str = Field(description="The caveat in the requested language.")
