"""An event's slots after it is made: moved, renamed, added and cancelled. A slot keeps its
number for good (availability, locks and published meetings refer to it), the same checks as
at creation apply in both languages, and after a cancellation scheduling again moves or drops
exactly the meetings that were in that slot, locked ones included, and says so."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from match_helpers import ADMIN, ANALYST, CLEAN, MADE, member

from klynge.errors import Conflict, Forbidden, InvalidInput, NotFound
from klynge.services import matchmaking as mm
from klynge.services.auth import LOCAL

pytest.importorskip("klynge.services.events")

DAY = date(2026, 11, 2)
EVENT = {
    "cluster": "made",
    "ref": "b2b",
    "name": "MADE B2B",
    "tables": 2,
    "slots": [
        {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00", "session": "Morning"},
        {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00", "session": "Morning"},
        {"start": "2026-11-20T11:00:00", "end": "2026-11-20T11:20:00"},
        {"start": "2026-11-20T11:20:00", "end": "2026-11-20T11:40:00"},
    ],
    "participants": [
        {"email": "anna@nebel.dk"},
        {"email": "lars@aau.dk"},
        {"email": "ute@rotorblatt.de"},
        {"email": "sven@prognos.se", "available": [0, 1, 2, 3]},
    ],
}


@pytest.fixture
def event(world: Path) -> dict[str, int]:
    """The event above; its participants' ids by name."""
    mm.create_event(mm.event_input(EVENT), principal=MADE)
    doc = mm.event_document("b2b", principal=MADE)
    return {p["name"]: p["id"] for p in doc["participants"]}


def _times(doc: dict[str, object]) -> list[tuple[str, str, str | None, bool]]:
    return [
        (s["start"][11:16], s["end"][11:16], s.get("session"), bool(s.get("cancelled")))
        for s in doc["slots"]  # type: ignore[attr-defined]
    ]


def _problems(exc: InvalidInput) -> list[tuple[str, str, str | None]]:
    return [(t.da, t.en, loc.field if loc else None) for t, loc in exc.details]


def test_a_slot_is_moved_or_renamed_by_the_creation_rules_in_both_languages(
    event: dict[str, int],
) -> None:
    before = mm.event_document("b2b", principal=MADE)
    with pytest.raises(InvalidInput) as exc:
        mm.change_slot(
            "b2b", 2, mm.SlotChange(start=datetime(2026, 11, 20, 10, 30)), principal=MADE
        )
    # The slot being changed is the one named, whichever comes first in time.
    assert _problems(exc.value) == [
        ("tidsrum 2 overlapper tidsrum 1", "slot 2 overlaps slot 1", "slots.2")
    ]
    with pytest.raises(InvalidInput) as exc:
        mm.change_slot("b2b", 2, mm.SlotChange(end=datetime(2026, 11, 20, 10, 50)), principal=MADE)
    assert _problems(exc.value) == [
        ("tidsrummet slutter før det begynder", "the slot ends before it starts", "slots.2")
    ]
    assert mm.event_document("b2b", principal=MADE) == before  # nothing was saved
    # Moved later and renamed: the slot keeps its number; the others are untouched.
    out = mm.change_slot(
        "b2b",
        3,
        mm.SlotChange(
            start=datetime(2026, 11, 20, 11, 30), end=datetime(2026, 11, 20, 11, 50), session="Sen"
        ),
        principal=MADE,
    )
    assert (out.slot, out.session, out.cancelled) == (3, "Sen", False)
    assert _times(mm.event_document("b2b", principal=MADE)) == [
        ("10:00", "10:20", "Morning", False),
        ("10:20", "10:40", "Morning", False),
        ("11:00", "11:20", None, False),
        ("11:30", "11:50", "Sen", False),
    ]
    # An empty session clears it; a field left out stays.
    mm.change_slot("b2b", 0, mm.SlotChange(session=""), principal=MADE)
    assert _times(mm.event_document("b2b", principal=MADE))[0] == ("10:00", "10:20", None, False)
    with pytest.raises(NotFound):
        mm.change_slot("b2b", 9, mm.SlotChange(session="x"), principal=MADE)


def test_slots_are_added_at_the_next_number_and_a_cancelled_ones_time_is_free(
    event: dict[str, int],
) -> None:
    early = mm.SlotIn(start=datetime(2026, 11, 20, 9, 40), end=datetime(2026, 11, 20, 10, 0))
    out = mm.add_slot("b2b", early, principal=MADE)
    # Earlier in the day, but number 4: nobody's availability or lock is renumbered.
    assert out.slot == 4
    doc = mm.event_document("b2b", principal=MADE)
    sven = next(p for p in doc["participants"] if p["name"] == "Sven Svensson")
    assert sven["available"] == [0, 1, 2, 3]  # listed their slots: not assumed to come
    clash = mm.SlotIn(start=datetime(2026, 11, 20, 10, 30), end=datetime(2026, 11, 20, 10, 50))
    with pytest.raises(InvalidInput) as exc:
        mm.add_slot("b2b", clash, principal=MADE)
    assert _problems(exc.value) == [
        ("tidsrum 5 overlapper tidsrum 1", "slot 5 overlaps slot 1", "slots.5")
    ]
    cancelled = mm.cancel_slot("b2b", 1, principal=MADE)
    assert cancelled.cancelled and cancelled.slot == 1
    # The cancelled slot's time is free; the new slot takes number 5, slot 1 stays cancelled.
    again = mm.add_slot("b2b", clash, everyone=True, principal=MADE)
    assert again.slot == 5
    doc = mm.event_document("b2b", principal=MADE)
    assert [bool(s.get("cancelled")) for s in doc["slots"]] == [False, True] + [False] * 4
    sven = next(p for p in doc["participants"] if p["name"] == "Sven Svensson")
    assert sven["available"] == [0, 1, 2, 3, 5]
    listed = next(e for e in mm.list_events(principal=MADE) if e.ref == "b2b")
    assert (listed.slots, listed.cancelled_slots) == (5, 1)
    with pytest.raises(Conflict):
        mm.cancel_slot("b2b", 1, principal=MADE)
    with pytest.raises(Conflict):
        mm.change_slot("b2b", 1, mm.SlotChange(session="x"), principal=MADE)
    # Nobody can be locked into a cancelled slot.
    with pytest.raises(InvalidInput) as exc:
        mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 1, principal=MADE)
    assert ("tidsrum 1 er aflyst", "slot 1 is cancelled", "slot") in _problems(exc.value)


def test_the_last_slot_cannot_be_cancelled(world: Path) -> None:
    one = {**EVENT, "ref": "one", "slots": EVENT["slots"][:1], "participants": []}
    mm.create_event(mm.event_input(one), principal=MADE)
    with pytest.raises(InvalidInput) as exc:
        mm.cancel_slot("one", 0, principal=MADE)
    assert exc.value.message.da.startswith("det sidste tidsrum")


def _accept(sender: str, receiver: str, who: str | None = None) -> None:
    r = mm.request_meeting(
        sender, receiver, event="b2b", receiver_participant=who, principal=ADMIN, today=DAY
    )
    mm.answer_request(r.id, True, principal=member(receiver), today=DAY)


def _placed(s: mm.ScheduleSummary) -> dict[frozenset[str], tuple[int, int | None]]:
    return {frozenset((m["a"], m["b"])): (m["slot"], m["table"]) for m in s.meetings}


def test_cancelling_a_slot_then_scheduling_again_moves_only_its_meetings(
    event: dict[str, int],
) -> None:
    # A triangle: every two meetings share a person, so the three are in three slots.
    _accept("29863997", "aau")
    _accept("29863997", "de-1")
    _accept("aau", "de-1")
    first = mm.schedule_event("b2b", principal=MADE)
    placed = _placed(first)
    assert len(placed) == 3 and len({s for s, _ in placed.values()}) == 3
    pair, (slot, _) = next(iter(placed.items()))
    out = mm.cancel_slot("b2b", slot, principal=MADE)
    assert [frozenset((m["a"], m["b"])) for m in out.published_meetings] == [pair]
    # The published schedule stays until the organiser schedules again.
    assert _placed(mm.published_schedule("b2b", principal=MADE)) == placed
    again = mm.schedule_event("b2b", principal=MADE)
    assert again.changes is not None
    c = again.changes
    assert c["kept"] == 2 and c["dropped"] == [] and c["added"] == []
    assert [(frozenset((m["a"], m["b"])), m["from_slot"]) for m in c["moved"]] == [(pair, slot)]
    now = _placed(again)
    assert now[pair][0] != slot
    assert {k: v for k, v in now.items() if k != pair} == {
        k: v for k, v in placed.items() if k != pair
    }
    assert all(m["slot"] != slot for m in again.meetings)


def test_a_locked_meeting_in_a_cancelled_slot_is_released_and_reported(
    event: dict[str, int],
) -> None:
    _accept("29863997", "aau")
    anna, sven = event["Anna Nebel"], event["Sven Svensson"]
    # Anna and Sven have no request: the organiser fixed their meeting in slot 2.
    mm.lock_meeting("b2b", anna, sven, 2, 2, principal=MADE)
    first = mm.schedule_event("b2b", principal=MADE)
    assert len(first.meetings) == 2
    other = next(m for m in first.meetings if not m["locked"])
    out = mm.cancel_slot("b2b", 2, principal=MADE)
    assert out.released_locks == [{"a": "Anna Nebel (29863997)", "b": "Sven Svensson (se-1)"}]
    assert mm.event_document("b2b", principal=MADE)["locked"] == []
    again = mm.schedule_event("b2b", principal=MADE)
    assert again.changes is not None
    assert again.changes["dropped"] == [
        {
            "a": "Anna Nebel (29863997)",
            "b": "Sven Svensson (se-1)",
            "slot": 2,
            "reason": "slot-cancelled",
            "locked": True,
        }
    ]
    assert again.changes["kept"] == 1 and again.changes["moved"] == []
    assert [(m["slot"], m["table"]) for m in again.meetings] == [(other["slot"], other["table"])]


def test_a_locked_meeting_with_a_request_moves_out_of_a_cancelled_slot(
    event: dict[str, int],
) -> None:
    _accept("29863997", "aau")
    mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 3, principal=MADE)
    assert [m["slot"] for m in mm.schedule_event("b2b", principal=MADE).meetings] == [3]
    mm.cancel_slot("b2b", 3, principal=MADE)
    again = mm.schedule_event("b2b", principal=MADE)
    assert again.changes is not None
    [moved] = again.changes["moved"]
    assert (moved["from_slot"], moved["locked"]) == (3, True) and moved["to_slot"] != 3
    assert again.changes["dropped"] == []


def test_only_the_events_organisers_change_its_slots(event: dict[str, int]) -> None:
    change = mm.SlotChange(session="Keynote")
    for who in (member("aau"), ANALYST):
        with pytest.raises(Forbidden):
            mm.change_slot("b2b", 0, change, principal=who)
        with pytest.raises(Forbidden):
            mm.cancel_slot("b2b", 0, principal=who)
    with pytest.raises(NotFound):  # another cluster's event is "unknown"
        mm.cancel_slot("b2b", 0, principal=CLEAN)
    assert mm.change_slot("b2b", 0, change, principal=LOCAL).session == "Keynote"


def test_slots_over_the_api_and_the_command_line(event: dict[str, int]) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from klynge.api.app import create_app
    from klynge.api.auth import current_principal
    from klynge.cli.main import app
    from klynge.services.auth import create_token

    api = create_app()
    client = TestClient(api)
    made = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    base = "/api/v1/matchmaking/events/b2b/slots"
    r = client.patch(f"{base}/2", json={"start": "2026-11-20T10:30:00"}, headers=made)
    assert r.status_code == 422
    [err] = r.json()["errors"]
    assert err["location"]["field"] == "slots.2" and "overlaps slot 1" in r.text
    r = client.patch(f"{base}/2?lang=da", json={"start": "2026-11-20T10:30:00"}, headers=made)
    assert "tidsrum 2 overlapper tidsrum 1" in r.text
    r = client.patch(f"{base}/2", json={"session": "Keynote"}, headers=made)
    assert r.status_code == 200 and r.json()["session"] == "Keynote"
    body = {"start": "2026-11-20T12:00:00", "end": "2026-11-20T12:20:00", "everyone": True}
    r = client.post(base, json=body, headers=made)
    assert r.status_code == 201 and r.json()["slot"] == 4
    r = client.delete(f"{base}/4", headers=made)
    assert r.status_code == 200 and r.json()["cancelled"] is True
    # Roles: an analyst reads only, another cluster's staff do not see the event, and a
    # company contact (a member organisation's principal) is refused in both languages.
    analyst = {"Authorization": f"Bearer {create_token('analyst', principal=LOCAL).token}"}
    assert client.delete(f"{base}/0", headers=analyst).status_code == 403
    clean = {"Authorization": f"Bearer {create_token('staff', 'clean', principal=LOCAL).token}"}
    assert client.delete(f"{base}/0", headers=clean).status_code == 404
    assert client.delete(f"{base}/0").status_code == 401
    api.dependency_overrides[current_principal] = lambda: member("29863997")
    for lang, words in (("en", "only the organisers"), ("da", "kun arrangørerne")):
        r = client.patch(f"{base}/0?lang={lang}", json={"session": "x"})
        assert r.status_code == 403 and words in r.text
        assert client.post(base, json=body).status_code == 403
        assert client.delete(f"{base}/0").status_code == 403
    api.dependency_overrides.clear()
    assert mm.event_document("b2b", principal=MADE)["slots"][0].get("session") == "Morning"
    # The command line, as the local administrator.
    run = CliRunner().invoke
    out = run(app, ["match", "event", "slot", "change", "b2b", "3", "--session", "Sen"])
    assert out.exit_code == 0 and "b2b: slot 3 2026-11-20 11:20–11:40 Sen." in out.output
    out = run(app, ["match", "event", "slot", "add", "b2b", "2026-11-20T13:00", "2026-11-20T12:00"])
    assert out.exit_code != 0 and "slot 5 ends before it starts" not in out.output
    assert "the slot ends before it starts" in out.output
    out = run(app, ["match", "event", "slot", "cancel", "b2b", "3", "--lang", "da"])
    assert out.exit_code == 0 and "b2b: tidsrum 3 aflyst." in out.output
    out = run(app, ["match", "event", "slot", "add", "b2b", "tomorrow", "2026-11-20T12:00"])
    assert out.exit_code == 2 and "start" in out.output


def test_the_events_page_edits_slots_in_danish_and_refuses_a_member(
    event: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from fastapi.testclient import TestClient

    from klynge.server import create_app
    from klynge.services.auth import create_token
    from klynge.services.users import create_user
    from klynge.web import security

    monkeypatch.setenv(security.SECRET_ENV, "s" * 40)
    security.secret_key.cache_clear()
    security.LOGINS._failures.clear()
    password = "correct horse battery staple 7"
    create_user("anna@nebel.dk", password, "member", organisation="29863997", principal=LOCAL)
    app = create_app()

    def signed_in(data: dict[str, str]) -> TestClient:
        c = TestClient(app)
        c.cookies.set("klynge_lang", "da")
        r = c.post("/login", data={**data, "csrf_token": csrf(c, "/login")}, follow_redirects=False)
        assert r.status_code == 303
        return c

    def csrf(c: TestClient, path: str) -> str:
        m = re.search(r'name="csrf_token" value="([^"]+)"', c.get(path).text)
        assert m, path
        return m.group(1)

    staff = signed_in({"token": create_token("staff", "made", principal=LOCAL).token})
    token = csrf(staff, "/match/events/b2b")
    page = staff.get("/match/events/b2b").text
    assert 'value="2026-11-20 10:20-10:40 Morning"' in page and "Aflys tidsrummet" in page
    r = staff.post(
        "/match/events/b2b/slots/1",
        data={"line": "2026-11-20 10:10-10:30", "csrf_token": token},
    )
    assert r.status_code == 422
    assert 'id="se-1" class="field-error">tidsrum 1 overlapper tidsrum 0<' in r.text
    assert 'value="2026-11-20 10:10-10:30"' in r.text  # what was typed stays
    r = staff.post("/match/events/b2b/slots/1/cancel", data={"csrf_token": token})
    assert r.status_code == 200 and "Tidsrum 1 er aflyst." in r.text
    r = staff.post("/match/events/b2b/slots", data={"line": "i morgen", "csrf_token": token})
    assert r.status_code == 422
    assert 'id="se-new" class="field-error">skriv dato, start-slut' in r.text
    line = "2026-11-20 10:20-10:40 Erstatning"
    r = staff.post("/match/events/b2b/slots", data={"line": line, "csrf_token": token})
    assert r.status_code == 200 and "Tidsrum 4 er gemt." in r.text
    anna = signed_in({"email": "anna@nebel.dk", "password": password})
    r = anna.post(
        "/match/events/b2b/slots/0/cancel",
        data={"csrf_token": csrf(anna, "/match/profiles/29863997")},
    )
    assert r.status_code == 403
    slots = mm.event_document("b2b", principal=MADE)["slots"]
    assert [bool(s.get("cancelled")) for s in slots] == [False, True, False, False, False]


def test_the_scheduler_keeps_a_cancelled_slots_number_and_places_nothing_there() -> None:
    """In the scheduler's JSON a cancelled slot keeps its index: it takes up no time, holds no
    meeting and no lock, and the bound counts only the live slots."""
    from klynge.matchmaking.events import parse_event
    from klynge.matchmaking.schedule import schedule

    doc = {
        "slots": [
            {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00", "cancelled": True},
            {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"},
            {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
        ],
        "tables": 5,
        "participants": [{"id": i} for i in range(4)],
        "requests": [[0, 1], [0, 2], [0, 3], [1, 2]],
    }
    event = parse_event(doc)  # slot 1 takes slot 0's time: no overlap
    result = schedule(event, seconds=0.5)
    assert all(m.slot != 0 for m in result.meetings)
    # Participant 0 asked three people but has two live slots left.
    assert result.bound == result.placed == 3
    with pytest.raises(InvalidInput) as exc:
        parse_event({**doc, "locked": [{"a": 0, "b": 1, "slot": 0}]})
    assert ("tidsrum 0 er aflyst", "slot 0 is cancelled", "locked.0.slot") in _problems(exc.value)


def test_a_slot_added_before_the_others_comes_first_in_the_schedule_and_agenda(
    event: dict[str, int],
) -> None:
    early = mm.SlotIn(start=datetime(2026, 11, 20, 9, 40), end=datetime(2026, 11, 20, 10, 0))
    assert mm.add_slot("b2b", early, principal=MADE).slot == 4
    mm.lock_meeting("b2b", "anna@nebel.dk", "ute@rotorblatt.de", 0, principal=MADE)
    mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 4, principal=MADE)
    s = mm.schedule_event("b2b", principal=MADE)
    assert [m["slot"] for m in s.meetings] == [4, 0]
    agenda = mm.agenda("b2b", principal=MADE, participant=event["Anna Nebel"])
    assert [i.slot for i in agenda.items] == [4, 0]
