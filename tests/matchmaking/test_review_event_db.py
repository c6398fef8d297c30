"""Review findings on database events: a pair of organisations that asked again after a
decline must still be schedulable, and only the live request of a pair reaches the scheduler."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from match_helpers import ADMIN, MADE, member

from klynge.services import matchmaking as mm

pytest.importorskip("klynge.services.events")

DAY = date(2026, 11, 2)
EVENT = {
    "cluster": "made",
    "ref": "b2b",
    "name": "MADE B2B",
    "tables": 1,
    "slots": [
        {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"},
        {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
    ],
    "participants": [{"email": "anna@nebel.dk"}, {"email": "lars@aau.dk"}],
}


@pytest.mark.parametrize("final", [True, False])
def test_asking_again_after_a_decline_keeps_the_event_schedulable(world: Path, final: bool) -> None:
    mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    first = mm.request_meeting("29863997", "aau", event="b2b", principal=ADMIN, today=DAY)
    mm.answer_request(first.id, False, principal=member("aau"), today=DAY)
    again = mm.request_meeting("29863997", "aau", event="b2b", principal=ADMIN, today=DAY)
    mm.answer_request(again.id, final, principal=member("aau"), today=DAY)

    doc = mm.event_document("b2b", principal=MADE)
    pairs = [(r["from"], r["to"]) for r in doc["requests"]]
    assert len(pairs) == len(set(pairs)), "one request per pair reaches the scheduler"
    assert [r["state"] for r in doc["requests"]] == ["accepted" if final else "declined"]
    summary = mm.schedule_event("b2b", principal=MADE)
    assert summary.placed == (1 if final else 0)
