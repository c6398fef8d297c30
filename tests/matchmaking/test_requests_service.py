"""Meeting requests: states, mutual requests, expiry after N days, reminders and the roles."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from match_helpers import ADMIN, ANALYST, CLEAN, MADE, member

from klynge.errors import Conflict, Forbidden, InvalidInput, NotFound
from klynge.services import matchmaking as mm

DAY = date(2026, 11, 2)


def test_a_request_is_answered_by_the_receiving_side_only(world: Path) -> None:
    sent = mm.request_meeting("29863997", "aau", principal=member("29863997"), today=DAY)
    assert (sent.state, sent.mutual) == ("requested", False)
    assert sent.expires_on == DAY + timedelta(days=mm.DEFAULT_REQUEST_DAYS)
    with pytest.raises(Forbidden):
        mm.answer_request(sent.id, True, principal=member("29863997"), today=DAY)  # the sender
    with pytest.raises(NotFound):
        mm.answer_request(sent.id, True, principal=member("de-1"), today=DAY)  # a stranger
    with pytest.raises(Forbidden):
        mm.answer_request(sent.id, True, principal=ANALYST, today=DAY)
    answered = mm.answer_request(sent.id, True, principal=MADE, today=DAY)
    assert (answered.state, answered.answered_on) == ("accepted", DAY)
    with pytest.raises(Conflict):
        mm.answer_request(sent.id, False, principal=member("aau"), today=DAY)


def test_both_sides_asking_is_mutual(world: Path) -> None:
    first = mm.request_meeting("29863997", "aau", principal=CLEAN, today=DAY)
    second = mm.request_meeting("aau", "29863997", principal=member("aau"), today=DAY)
    assert second.mutual
    listed = {r.id: r for r in mm.list_requests(principal=ADMIN, today=DAY).items}
    assert listed[first.id].mutual and listed[second.id].mutual
    mm.answer_request(first.id, False, principal=member("aau"), today=DAY)
    listed = {r.id: r for r in mm.list_requests(principal=ADMIN, today=DAY).items}
    assert not listed[second.id].mutual  # declined: no longer both sides


def test_bad_requests_are_refused(world: Path) -> None:
    with pytest.raises(InvalidInput):
        mm.request_meeting("29863997", "DK29863997", principal=ADMIN, today=DAY)
    with pytest.raises(NotFound):
        mm.request_meeting("29863997", "se-1", principal=ADMIN, today=DAY)  # hidden: opted out
    with pytest.raises(NotFound):
        mm.request_meeting("aau", "29863997", principal=CLEAN, today=DAY)  # not their member
    with pytest.raises(Forbidden):
        mm.request_meeting("aau", "29863997", principal=ANALYST, today=DAY)
    mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY)
    with pytest.raises(Conflict):
        mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY)


def test_unanswered_requests_expire_after_n_days_and_cannot_be_answered(world: Path) -> None:
    sent = mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY)
    n = mm.DEFAULT_REQUEST_DAYS
    before = mm.list_requests(principal=ADMIN, today=DAY + timedelta(days=n - 1)).items
    assert before[0].state == "requested"
    after = mm.list_requests(principal=ADMIN, today=DAY + timedelta(days=n)).items
    assert after[0].state == "expired" and after[0].expires_on is None
    with pytest.raises(Conflict):
        mm.answer_request(sent.id, True, principal=ADMIN, today=DAY + timedelta(days=n))
    # An expired request no longer blocks a new one.
    again = mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY + timedelta(days=n))
    assert again.state == "requested"


def test_a_reader_sees_an_overdue_request_as_expired_before_any_writer_does(world: Path) -> None:
    mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY)
    n = mm.DEFAULT_REQUEST_DAYS
    late = DAY + timedelta(days=n)
    seen = mm.list_requests(principal=ANALYST, today=late).items  # analysts cannot write
    assert [(r.state, r.expires_on) for r in seen] == [("expired", None)]
    assert mm.list_requests(principal=ANALYST, state="requested", today=late).items == []
    assert len(mm.list_requests(principal=ANALYST, state="expired", today=late).items) == 1
    early = mm.list_requests(principal=ANALYST, today=late - timedelta(days=1)).items
    assert [r.state for r in early] == ["requested"]


def test_an_unknown_state_is_refused_by_the_service(world: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        mm.list_requests(principal=ADMIN, state="open", today=DAY)  # type: ignore[arg-type]
    assert caught.value.location is not None and caught.value.location.field == "state"


def test_reminders_are_due_shortly_before_expiry_and_sent_once(world: Path) -> None:
    mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY)
    n = mm.DEFAULT_REQUEST_DAYS
    early = mm.due_reminders(principal=ADMIN, today=DAY + timedelta(days=n - 3))
    assert early.items == []
    due = mm.due_reminders(principal=ADMIN, today=DAY + timedelta(days=n - 2), lang="da")
    (item,) = due.items
    assert item.to == ["lars@aau.dk"] and "vil gerne mødes" in item.message
    # Staff of the receiver's cluster see it; another cluster's staff do not.
    assert mm.due_reminders(principal=MADE, today=DAY + timedelta(days=n - 1)).items
    mm.due_reminders(principal=ADMIN, today=DAY + timedelta(days=n - 1), mark=True)
    assert mm.due_reminders(principal=ADMIN, today=DAY + timedelta(days=n - 1)).items == []


def test_each_role_lists_its_own_requests(world: Path) -> None:
    a = mm.request_meeting("29863997", "aau", principal=ADMIN, today=DAY)
    b = mm.request_meeting("aau", "de-1", principal=ADMIN, today=DAY)

    def ids(who: object) -> set[int]:
        return {r.id for r in mm.list_requests(principal=who, today=DAY).items}  # type: ignore[arg-type]

    assert ids(ADMIN) == ids(ANALYST) == {a.id, b.id}
    assert ids(CLEAN) == {a.id}
    assert ids(MADE) == {a.id, b.id}
    assert ids(member("de-1")) == {b.id}


EVENT = {
    "cluster": "made",
    "ref": "b2b-2026",
    "name": "MADE B2B 2026",
    "tables": 2,
    "request_days": 5,
    "slots": [
        {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00", "session": "morning"},
        {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
        {"start": "2026-11-20T11:00:00", "end": "2026-11-20T11:20:00"},
    ],
    "participants": [
        {"email": "anna@nebel.dk"},
        {"email": "lars@aau.dk", "available": [0, 2]},
        {"email": "ute@rotorblatt.de", "quota": 1},
    ],
}


def test_an_event_in_the_database_becomes_the_schedulers_document(world: Path) -> None:
    made = mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    assert (made.slots, made.participants) == (3, 3)
    r = mm.request_meeting("29863997", "aau", event="b2b-2026", principal=ADMIN, today=DAY)
    back = mm.request_meeting("aau", "29863997", event="b2b-2026", principal=ADMIN, today=DAY)
    assert back.mutual and r.event == "b2b-2026"
    # The event's own number of days applies.
    assert r.expires_on == DAY + timedelta(days=5)
    doc = mm.event_document("b2b-2026", principal=MADE)
    assert doc["tables"] == 2 and len(doc["slots"]) == 3
    people = {p["organisation"]: p for p in doc["participants"]}
    assert people["aau"]["available"] == [0, 2] and people["de-1"]["quota"] == 1
    assert {(q["from"], q["to"]) for q in doc["requests"]} == {
        (people["29863997"]["id"], people["aau"]["id"]),
        (people["aau"]["id"], people["29863997"]["id"]),
    }
    assert datetime.fromisoformat(doc["slots"][0]["start"]).hour == 10
    with pytest.raises(NotFound):
        mm.event_document("b2b-2026", principal=CLEAN)  # another cluster's event
    assert [e.ref for e in mm.list_events(principal=CLEAN)] == []


def test_bad_events_are_refused_with_every_problem(world: Path) -> None:
    bad = {
        **EVENT,
        "slots": [
            {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:30:00"},
            {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
        ],
        "participants": [
            {"email": "nobody@example.com"},
            {"email": "lars@aau.dk", "available": [7]},
            {"email": "lars@aau.dk"},
        ],
    }
    with pytest.raises(InvalidInput) as exc:
        mm.create_event(mm.EventIn.model_validate(bad), principal=MADE)
    fields = sorted(loc.field for _, loc in exc.value.details if loc and loc.field)
    assert fields == ["participants.0", "participants.1", "participants.2", "slots.1"]
    with pytest.raises(Forbidden):
        mm.create_event(mm.EventIn.model_validate(EVENT), principal=CLEAN)
    with pytest.raises(Forbidden):
        mm.create_event(mm.EventIn.model_validate(EVENT), principal=member("aau"))
    mm.create_event(mm.EventIn.model_validate(EVENT), principal=ADMIN)
    with pytest.raises(Conflict):
        mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)


def test_erasing_a_person_takes_them_out_of_events(world: Path) -> None:
    from klynge.services.people import person_erase

    mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    person_erase("lars@aau.dk", principal=ADMIN)
    doc = mm.event_document("b2b-2026", principal=MADE)
    assert "aau" not in {p["organisation"] for p in doc["participants"]}
    assert "Lars" not in str(doc)
