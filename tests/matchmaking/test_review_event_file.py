"""An event file whose slots mix times with and without a zone is bad input (every problem
listed), not a crash."""

from __future__ import annotations

import pytest

from klynge.errors import InvalidInput
from klynge.matchmaking.events import parse_event


@pytest.mark.parametrize(
    "second",
    [
        ("2026-11-20T10:20:00", "2026-11-20T10:40:00"),
        ("2026-11-20T10:20:00+01:00", "2026-11-20T10:40:00"),
    ],
)
def test_mixed_zones_are_reported_with_the_other_problems(second: tuple[str, str]) -> None:
    doc = {
        "slots": [
            {"start": "2026-11-20T10:00:00+01:00", "end": "2026-11-20T10:20:00+01:00"},
            {"start": second[0], "end": second[1]},
        ],
        "tables": 1,
        "participants": [{"id": "a"}],
        "requests": [{"from": "a", "to": "nobody"}],
    }
    with pytest.raises(InvalidInput) as err:
        parse_event(doc, file="event.json")
    fields = [loc.field for _, loc in err.value.details if loc is not None]
    assert "slots" in fields and "requests.0.to" in fields


def test_zones_on_every_time_are_fine_even_different_offsets() -> None:
    doc = {
        "slots": [
            {"start": "2026-11-20T10:00:00+01:00", "end": "2026-11-20T10:20:00+01:00"},
            {"start": "2026-11-20T09:20:00Z", "end": "2026-11-20T09:40:00Z"},
        ],
        "tables": 1,
        "participants": [{"id": "a"}, {"id": "b"}],
        "requests": [{"from": "a", "to": "b"}],
    }
    assert len(parse_event(doc).slots) == 2
