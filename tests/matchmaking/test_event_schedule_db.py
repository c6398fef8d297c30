"""A database event scheduled and published: the organiser's view, each side's agenda as a
page model, an .ics file and a PDF, and who may see what. Needs the scheduler core."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from match_helpers import ADMIN, ANALYST, CLEAN, MADE, member

from klynge.errors import Forbidden, NotFound
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
    "participants": [
        {"email": "anna@nebel.dk"},
        {"email": "lars@aau.dk"},
        {"email": "ute@rotorblatt.de", "available": [1]},
    ],
}


def _event_with_two_accepted_meetings() -> None:
    mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    a = mm.request_meeting("29863997", "aau", event="b2b", principal=ADMIN, today=DAY)
    b = mm.request_meeting("aau", "29863997", event="b2b", principal=ADMIN, today=DAY)
    c = mm.request_meeting("aau", "de-1", event="b2b", principal=ADMIN, today=DAY)
    for r, side in ((a, "aau"), (b, "29863997"), (c, "de-1")):
        mm.answer_request(r.id, True, principal=member(side), today=DAY)


def test_staff_schedule_and_both_sides_get_their_agenda(world: Path) -> None:
    _event_with_two_accepted_meetings()
    with pytest.raises(NotFound):
        mm.agenda("b2b", principal=member("29863997"))  # not scheduled yet
    summary = mm.schedule_event("b2b", principal=MADE)
    # Anna and Lars meet once (the mutual pair), Lars and Ute once: one table, two slots.
    assert summary.placed == summary.bound == 2
    assert {(m["a"], m["b"]) for m in summary.meetings} | {
        (m["b"], m["a"]) for m in summary.meetings
    } >= {("Anna Nebel (29863997)", "Lars Forsker (aau)")}
    assert mm.published_schedule("b2b", principal=ANALYST).placed == 2
    anna = mm.agenda("b2b", principal=member("29863997"))
    lars = mm.agenda("b2b", principal=member("aau"))
    assert [i.partner_name for i in anna.items] == ["Lars Forsker"]
    assert sorted(i.partner_name for i in lars.items) == ["Anna Nebel", "Ute Blatt"]
    # Ute is available only in slot 1, so her meeting is there and Anna's in slot 0.
    assert [i.slot for i in lars.items] == [0, 1]
    ics = mm.agenda_file("b2b", "ics", principal=member("29863997"), lang="da")
    assert ics.content.startswith(b"BEGIN:VCALENDAR") and b"Lars Forsker" in ics.content
    pdf = mm.agenda_file("b2b", "pdf", principal=member("aau"), lang="en")
    assert pdf.content.startswith(b"%PDF") and pdf.media_type == "application/pdf"


def test_who_may_schedule_and_read(world: Path) -> None:
    _event_with_two_accepted_meetings()
    with pytest.raises(NotFound):
        mm.schedule_event("b2b", principal=CLEAN)  # another cluster's event
    with pytest.raises(Forbidden):
        mm.schedule_event("b2b", principal=member("aau"))
    with pytest.raises(Forbidden):
        mm.schedule_event("b2b", principal=ANALYST)
    mm.schedule_event("b2b", principal=ADMIN)
    with pytest.raises(Forbidden):
        mm.published_schedule("b2b", principal=member("aau"))
    with pytest.raises(NotFound):
        mm.agenda("b2b", principal=member("se-1"))  # not taking part: as if no such event
    lars_id = next(
        p["id"]
        for p in mm.event_document("b2b", principal=MADE)["participants"]
        if p["organisation"] == "aau"
    )
    with pytest.raises(NotFound):
        mm.agenda("b2b", principal=member("29863997"), participant=lars_id)  # someone else's
    assert mm.agenda("b2b", principal=MADE, participant=lars_id).items


def test_schedule_and_agenda_over_http(world: Path) -> None:
    from fastapi.testclient import TestClient

    from klynge.api.app import create_app
    from klynge.services.auth import LOCAL, create_token

    _event_with_two_accepted_meetings()
    made = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    clean = {"Authorization": f"Bearer {create_token('staff', 'clean', principal=LOCAL).token}"}
    client = TestClient(create_app())
    assert client.post("/api/v1/matchmaking/events/b2b/schedule", headers=clean).status_code == 404
    done = client.post("/api/v1/matchmaking/events/b2b/schedule", headers=made)
    assert done.status_code == 200 and done.json()["placed"] == 2
    lars = next(
        p["id"]
        for p in mm.event_document("b2b", principal=MADE)["participants"]
        if p["organisation"] == "aau"
    )
    ics = client.get(
        f"/api/v1/matchmaking/events/b2b/agenda?participant={lars}&format=ics&lang=da",
        headers=made,
    )
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"M\xc3\xb8de med" in ics.content  # "Møde med", in Danish
