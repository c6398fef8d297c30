"""Participants after an event is made: a late registration is added by the creation rules
(in both languages, a duplicate refused by name), and a changed availability, quota or booth
makes the next re-planning move or drop exactly the meetings that became impossible, with the
reason, keeping every other published meeting where it is; a lock the change made impossible
is released and reported, never lost silently."""

from __future__ import annotations

from datetime import date
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
        {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"},
        {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
        {"start": "2026-11-20T11:00:00", "end": "2026-11-20T11:20:00"},
        {"start": "2026-11-20T11:20:00", "end": "2026-11-20T11:40:00"},
    ],
    "participants": [
        {"email": "anna@nebel.dk"},
        {"email": "lars@aau.dk"},
        {"email": "ute@rotorblatt.de"},
    ],
}
ANNA, LARS, UTE, SVEN = (
    "Anna Nebel (29863997)",
    "Lars Forsker (aau)",
    "Ute Blatt (de-1)",
    "Sven Svensson (se-1)",
)


@pytest.fixture
def event(world: Path) -> dict[str, int]:
    """The event above (Sven Svensson registers late); participant ids by name."""
    mm.create_event(mm.event_input(EVENT), principal=MADE)
    doc = mm.event_document("b2b", principal=MADE)
    return {p["name"]: p["id"] for p in doc["participants"]}


def _accept(sender: str, receiver: str) -> None:
    r = mm.request_meeting(sender, receiver, event="b2b", principal=ADMIN, today=DAY)
    mm.answer_request(r.id, True, principal=member(receiver), today=DAY)


def _placed(s: mm.ScheduleSummary) -> dict[frozenset[str], tuple[int, int | None]]:
    return {frozenset((m["a"], m["b"])): (m["slot"], m["table"]) for m in s.meetings}


def _problems(exc: InvalidInput) -> list[tuple[str, str, str | None]]:
    return [(t.da, t.en, loc.field if loc else None) for t, loc in exc.details]


def _triangle() -> dict[frozenset[str], tuple[int, int | None]]:
    """Anna, Lars and Ute all meet each other: three meetings in three different slots."""
    _accept("29863997", "aau")
    _accept("29863997", "de-1")
    _accept("aau", "de-1")
    placed = _placed(mm.schedule_event("b2b", principal=MADE))
    assert len(placed) == 3 and len({s for s, _ in placed.values()}) == 3
    return placed


def test_a_late_registration_is_scheduled_without_moving_anyone(event: dict[str, int]) -> None:
    _accept("29863997", "aau")
    first = _placed(mm.schedule_event("b2b", principal=MADE))
    out = mm.add_participant(
        "b2b", mm.ParticipantIn(email="Sven@Prognos.se", available=[2, 3], quota=3), principal=MADE
    )
    assert (out.name, out.organisation, out.available, out.quota, out.booth) == (
        "Sven Svensson",
        "se-1",
        [2, 3],
        3,
        None,
    )
    listed = next(e for e in mm.list_events(principal=MADE) if e.ref == "b2b")
    assert listed.participants == 4
    _accept("se-1", "29863997")
    again = mm.schedule_event("b2b", principal=MADE)
    assert again.changes is not None
    assert again.changes["kept"] == 1 and again.changes["moved"] == []
    assert again.changes["dropped"] == []
    [added] = again.changes["added"]
    assert {added["a"], added["b"]} == {ANNA, SVEN} and added["slot"] in (2, 3)
    now = _placed(again)
    assert {k: v for k, v in now.items() if SVEN not in k} == first


def test_someone_already_in_the_event_is_a_conflict_naming_them(event: dict[str, int]) -> None:
    with pytest.raises(Conflict) as exc:
        mm.add_participant("b2b", mm.ParticipantIn(email="anna@nebel.dk"), principal=MADE)
    assert exc.value.error_code == "duplicate-participant"
    assert exc.value.message.da == "Anna Nebel (29863997) er allerede deltager i b2b"
    assert exc.value.message.en == "Anna Nebel (29863997) is already a participant of b2b"


def test_a_late_participant_gets_the_creation_checks_in_both_languages(
    event: dict[str, int],
) -> None:
    with pytest.raises(InvalidInput) as exc:
        mm.add_participant(
            "b2b", mm.ParticipantIn(email="sven@prognos.se", available=[1, 7]), principal=MADE
        )
    assert _problems(exc.value) == [
        (
            "tilgængelighed uden for arrangementet: tidsrum [7]",
            "availability outside the event: slots [7]",
            "available",
        )
    ]
    with pytest.raises(InvalidInput) as exc:
        mm.add_participant("b2b", mm.ParticipantIn(email="nobody@nowhere.dk"), principal=MADE)
    assert _problems(exc.value) == [
        (
            "nobody@nowhere.dk er ikke en kontaktperson i registret",
            "nobody@nowhere.dk is not a contact person in the registry",
            "email",
        )
    ]
    # A cancelled slot is no slot to come to; "no availability" means every live slot.
    mm.cancel_slot("b2b", 1, principal=MADE)
    with pytest.raises(InvalidInput) as exc:
        mm.add_participant(
            "b2b", mm.ParticipantIn(email="sven@prognos.se", available=[1, 2]), principal=MADE
        )
    assert _problems(exc.value) == [
        (
            "tilgængelighed i aflyste tidsrum: [1]",
            "availability in cancelled slots: [1]",
            "available",
        )
    ]
    assert len(mm.event_document("b2b", principal=MADE)["participants"]) == 3  # nothing saved
    out = mm.add_participant("b2b", mm.ParticipantIn(email="sven@prognos.se"), principal=MADE)
    assert out.available is None
    _accept("se-1", "29863997")
    [meeting] = mm.schedule_event("b2b", principal=MADE).meetings
    assert meeting["slot"] != 1


def test_narrowed_availability_moves_only_the_meeting_that_became_impossible(
    event: dict[str, int],
) -> None:
    placed = _triangle()
    pair = frozenset((ANNA, LARS))
    slot = placed[pair][0]
    out = mm.change_participant(
        "b2b",
        "lars@aau.dk",
        mm.ParticipantChange(available=[s for s in range(4) if s != slot]),
        principal=MADE,
    )
    assert out.available == [s for s in range(4) if s != slot]
    assert [(frozenset((m["a"], m["b"])), m["reason"]) for m in out.affected_meetings] == [
        (pair, "unavailable")
    ]
    assert out.released_locks == []
    # The published schedule stays until the organiser schedules again.
    assert _placed(mm.published_schedule("b2b", principal=MADE)) == placed
    again = mm.schedule_event("b2b", principal=MADE)
    c = again.changes
    assert c is not None and c["kept"] == 2 and c["dropped"] == [] and c["added"] == []
    [moved] = c["moved"]
    assert frozenset((moved["a"], moved["b"])) == pair
    assert (moved["from_slot"], moved["reason"], moved["locked"]) == (slot, "unavailable", False)
    now = _placed(again)
    assert now[pair][0] not in (slot, *(s for k, (s, _) in placed.items() if k != pair))
    assert {k: v for k, v in now.items() if k != pair} == {
        k: v for k, v in placed.items() if k != pair
    }


def test_a_meeting_with_no_slot_left_is_dropped_and_the_others_stay(
    event: dict[str, int],
) -> None:
    placed = _triangle()
    keep = frozenset((LARS, UTE))
    # Lars now comes only for his meeting with Ute: the one with Anna has nowhere to go.
    mm.change_participant(
        "b2b",
        "lars@aau.dk",
        mm.ParticipantChange(available=[placed[keep][0]]),
        principal=MADE,
    )
    again = mm.schedule_event("b2b", principal=MADE)
    c = again.changes
    assert c is not None and c["kept"] == 2 and c["moved"] == [] and c["added"] == []
    assert [(frozenset((d["a"], d["b"])), d["slot"], d["reason"]) for d in c["dropped"]] == [
        (frozenset((ANNA, LARS)), placed[frozenset((ANNA, LARS))][0], "unavailable")
    ]
    assert _placed(again) == {k: v for k, v in placed.items() if k != frozenset((ANNA, LARS))}
    # Still accepted: it waits on the standby list for a place to free up.
    assert [frozenset((x["a"], x["b"])) for x in again.standby_list] == [frozenset((ANNA, LARS))]


def test_a_lowered_quota_drops_the_later_meeting(event: dict[str, int]) -> None:
    placed = _triangle()
    anna = sorted((s, k) for k, (s, _) in placed.items() if ANNA in k)
    out = mm.change_participant(
        "b2b", event["Anna Nebel"], mm.ParticipantChange(quota=1), principal=MADE
    )
    assert out.quota == 1
    assert [(frozenset((m["a"], m["b"])), m["reason"]) for m in out.affected_meetings] == [
        (anna[1][1], "quota")
    ]
    c = mm.schedule_event("b2b", principal=MADE).changes
    assert c is not None and c["kept"] == 2 and c["moved"] == []
    assert [(frozenset((d["a"], d["b"])), d["reason"]) for d in c["dropped"]] == [
        (anna[1][1], "quota")
    ]
    # Back to no limit: the next re-planning places the meeting again.
    out = mm.change_participant(
        "b2b", "anna@nebel.dk", mm.ParticipantChange(quota=None), principal=MADE
    )
    assert out.quota is None
    c = mm.schedule_event("b2b", principal=MADE).changes
    assert c is not None and c["kept"] == 2 and len(c["added"]) == 1


def test_a_lock_the_change_made_impossible_is_released_and_reported(
    event: dict[str, int],
) -> None:
    mm.add_participant("b2b", mm.ParticipantIn(email="sven@prognos.se"), principal=MADE)
    _accept("29863997", "aau")
    # Anna and Lars have a request; Anna and Sven none: the organiser fixed both.
    mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 3, principal=MADE)
    mm.lock_meeting("b2b", "anna@nebel.dk", "sven@prognos.se", 2, principal=MADE)
    assert {m["slot"] for m in mm.schedule_event("b2b", principal=MADE).meetings} == {2, 3}
    out = mm.change_participant(
        "b2b", "anna@nebel.dk", mm.ParticipantChange(available=[0, 1]), principal=MADE
    )
    assert sorted((x["b"], x["slot"]) for x in out.released_locks) == [(LARS, 3), (SVEN, 2)]
    assert mm.event_document("b2b", principal=MADE)["locked"] == []
    c = mm.schedule_event("b2b", principal=MADE).changes
    assert c is not None
    [moved] = c["moved"]  # the one with a request finds another slot, and says it was locked
    assert (moved["b"], moved["from_slot"], moved["locked"], moved["reason"]) == (
        LARS,
        3,
        True,
        "unavailable",
    )
    assert moved["to_slot"] in (0, 1)
    assert c["dropped"] == [
        {"a": ANNA, "b": SVEN, "slot": 2, "reason": "unavailable", "locked": True}
    ]


def test_a_booth_is_set_and_cleared(event: dict[str, int]) -> None:
    out = mm.change_participant(
        "b2b", "ute@rotorblatt.de", mm.ParticipantChange(booth="B7"), principal=MADE
    )
    assert out.booth == "B7"
    _accept("29863997", "de-1")
    [m] = mm.schedule_event("b2b", principal=MADE).meetings
    assert (m["booth"], m["table"]) == ("B7", None)
    out = mm.change_participant(
        "b2b", "ute@rotorblatt.de", mm.ParticipantChange(booth=""), principal=MADE
    )
    assert out.booth is None and out.quota is None and out.available is None
    with pytest.raises(InvalidInput) as exc:
        mm.change_participant(
            "b2b", "ute@rotorblatt.de", mm.ParticipantChange(available=[4]), principal=MADE
        )
    assert _problems(exc.value)[0][2] == "available"
    with pytest.raises(InvalidInput) as exc:
        mm.change_participant("b2b", "nobody@x.dk", mm.ParticipantChange(quota=1), principal=MADE)
    assert exc.value.error_code == "unknown-participant"


def test_only_the_events_organisers_add_and_change_participants(event: dict[str, int]) -> None:
    late = mm.ParticipantIn(email="sven@prognos.se")
    change = mm.ParticipantChange(quota=2)
    for who in (member("aau"), ANALYST):
        with pytest.raises(Forbidden):
            mm.add_participant("b2b", late, principal=who)
        with pytest.raises(Forbidden):
            mm.change_participant("b2b", "lars@aau.dk", change, principal=who)
    with pytest.raises(Forbidden) as exc:
        mm.add_participant("b2b", late, principal=member("aau"))
    assert (
        exc.value.message.da
        and exc.value.message.en
        and exc.value.message.da != exc.value.message.en
    )
    with pytest.raises(NotFound):  # another cluster's event is "unknown"
        mm.add_participant("b2b", late, principal=CLEAN)
    with pytest.raises(NotFound):
        mm.change_participant("b2b", "lars@aau.dk", change, principal=CLEAN)
    assert mm.add_participant("b2b", late, principal=LOCAL).name == "Sven Svensson"
    assert mm.change_participant("b2b", "lars@aau.dk", change, principal=LOCAL).quota == 2


def test_participants_over_the_api_and_the_command_line(event: dict[str, int]) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from klynge.api.app import create_app
    from klynge.api.auth import current_principal
    from klynge.cli.main import app
    from klynge.services.auth import create_token

    api = create_app()
    client = TestClient(api)
    made = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    base = "/api/v1/matchmaking/events/b2b/participants"
    r = client.post(base, json={"email": "sven@prognos.se", "available": [9]}, headers=made)
    assert r.status_code == 422
    [err] = r.json()["errors"]
    assert err["location"]["field"] == "available" and "outside the event" in r.text
    r = client.post(
        f"{base}?lang=da", json={"email": "sven@prognos.se", "available": [9]}, headers=made
    )
    assert "tilgængelighed uden for arrangementet" in r.text
    r = client.post(base, json={"email": "sven@prognos.se", "available": [2, 3]}, headers=made)
    assert r.status_code == 201 and r.json()["available"] == [2, 3]
    r = client.post(base, json={"email": "sven@prognos.se"}, headers=made)
    assert r.status_code == 409 and "Sven Svensson (se-1) is already a participant" in r.text
    r = client.patch(f"{base}/sven@prognos.se", json={"quota": 1, "booth": "B7"}, headers=made)
    assert r.status_code == 200
    assert (r.json()["available"], r.json()["quota"], r.json()["booth"]) == ([2, 3], 1, "B7")
    r = client.patch(f"{base}/sven@prognos.se", json={"available": None}, headers=made)
    assert r.status_code == 200 and r.json()["available"] is None and r.json()["quota"] == 1
    r = client.patch(f"{base}/sven@prognos.se", json={"colour": "blue"}, headers=made)
    assert r.status_code == 422
    # Roles: an analyst reads only, another cluster's staff do not see the event, and a
    # company contact is refused in both languages.
    analyst = {"Authorization": f"Bearer {create_token('analyst', principal=LOCAL).token}"}
    assert (
        client.patch(f"{base}/lars@aau.dk", json={"quota": 1}, headers=analyst).status_code == 403
    )
    assert client.post(base, json={"email": "x@y.dk"}, headers=analyst).status_code == 403
    clean = {"Authorization": f"Bearer {create_token('staff', 'clean', principal=LOCAL).token}"}
    assert client.patch(f"{base}/lars@aau.dk", json={"quota": 1}, headers=clean).status_code == 404
    assert client.post(base, json={"email": "x@y.dk"}, headers=clean).status_code == 404
    assert client.post(base, json={"email": "x@y.dk"}).status_code == 401
    api.dependency_overrides[current_principal] = lambda: member("29863997")
    for lang, words in (("en", "only the organisers"), ("da", "kun arrangørerne")):
        r = client.patch(f"{base}/lars@aau.dk?lang={lang}", json={"quota": 1})
        assert r.status_code == 403 and words in r.text
        r = client.post(f"{base}?lang={lang}", json={"email": "x@y.dk"})
        assert r.status_code == 403 and words in r.text
    api.dependency_overrides.clear()
    lars = next(
        p
        for p in mm.event_document("b2b", principal=MADE)["participants"]
        if p["id"] == event["Lars Forsker"]
    )
    assert "quota" not in lars
    spec = client.get("/openapi.json").json()["paths"]
    assert spec["/api/v1/matchmaking/events/{ref}/participants"]["post"]["summary"]
    assert spec["/api/v1/matchmaking/events/{ref}/participants/{participant}"]["patch"]["summary"]

    # The command line, as the local administrator.
    run = CliRunner().invoke
    mm.withdraw_participant("b2b", "sven@prognos.se", principal=MADE)
    out = run(
        app,
        [
            "match",
            "event",
            "participant",
            "add",
            "b2b",
            "sven@prognos.se",
            "--available",
            "0,2",
            "--quota",
            "2",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Sven Svensson (se-1)" in out.output and "slots 0, 2; quota 2." in out.output
    out = run(
        app, ["match", "event", "participant", "add", "b2b", "sven@prognos.se", "--lang", "da"]
    )
    assert out.exit_code != 0 and "er allerede deltager i b2b" in out.output
    out = run(app, ["match", "event", "participant", "add", "b2b", "x@y.dk", "--available", "to"])
    assert out.exit_code == 2 and "--available" in out.output
    out = run(
        app,
        [
            "match",
            "event",
            "participant",
            "change",
            "b2b",
            "sven@prognos.se",
            "--available",
            "7",
            "--lang",
            "da",
        ],
    )
    assert out.exit_code != 0 and "tilgængelighed uden for arrangementet: tidsrum [7]" in out.output
    out = run(
        app,
        [
            "match",
            "event",
            "participant",
            "change",
            "b2b",
            "sven@prognos.se",
            "--available",
            "all",
            "--quota",
            "none",
            "--booth",
            "C3",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    import json

    data = json.loads(out.output)
    assert (data["available"], data["quota"], data["booth"]) == (None, None, "C3")


def test_the_events_page_adds_and_changes_participants_in_danish(
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

    placed = _triangle()
    slot = placed[frozenset((ANNA, LARS))][0]
    staff = signed_in({"token": create_token("staff", "made", principal=LOCAL).token})
    token = csrf(staff, "/match/events/b2b")
    page = staff.get("/match/events/b2b").text
    assert "Tilføj deltageren" in page and "Kvote" in page
    r = staff.post(
        "/match/events/b2b/participants",
        data={"line": "sven@prognos.se; 1, 9", "csrf_token": token},
    )
    assert r.status_code == 422
    assert (
        'id="pe-new" class="field-error">tilgængelighed uden for arrangementet: tidsrum [9]<'
        in r.text
    )
    assert 'value="sven@prognos.se; 1, 9"' in r.text  # what was typed stays
    r = staff.post(
        "/match/events/b2b/participants", data={"line": "anna@nebel.dk", "csrf_token": token}
    )
    assert r.status_code == 422 and "Anna Nebel (29863997) er allerede deltager i b2b" in r.text
    r = staff.post(
        "/match/events/b2b/participants",
        data={"line": "sven@prognos.se; 2-3; 2", "csrf_token": token},
    )
    assert r.status_code == 200 and "Sven Svensson (se-1) er gemt: tidsrum 2, 3." in r.text
    lars = event["Lars Forsker"]
    keep = ", ".join(str(s) for s in range(4) if s != slot)
    r = staff.post(
        f"/match/events/b2b/participants/{lars}", data={"line": "0-x", "csrf_token": token}
    )
    assert r.status_code == 422 and f'id="pe-{lars}" class="field-error">' in r.text
    r = staff.post(
        f"/match/events/b2b/participants/{lars}", data={"line": keep, "csrf_token": token}
    )
    assert r.status_code == 200 and "kan ikke længere holdes" in r.text
    said = f"(tidsrum {slot}): ikke længere til stede på det tidspunkt"
    assert f"{ANNA} – {LARS} {said}" in r.text or f"{LARS} – {ANNA} {said}" in r.text
    assert f'value="{keep}"' in r.text
    anna = signed_in({"email": "anna@nebel.dk", "password": password})
    token = csrf(anna, "/match/profiles/29863997")
    r = anna.post("/match/events/b2b/participants/1", data={"line": "0", "csrf_token": token})
    assert r.status_code == 403
    r = anna.post("/match/events/b2b/participants", data={"line": "x@y.dk", "csrf_token": token})
    assert r.status_code == 403
    assert len(mm.event_document("b2b", principal=MADE)["participants"]) == 4


def test_narrowing_availability_on_random_events_changes_only_the_impossible_meetings() -> None:
    """The scheduler alone, on random small events (hypothesis): one person stops attending a
    slot where they have a published meeting. Re-planning moves that meeting to another slot
    or drops it, both with the reason ``unavailable``, and keeps every other published meeting
    at its slot and table; a lock there is released first, as the service does."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_schedule_properties import events, violations

    from klynge.matchmaking.events import parse_event
    from klynge.matchmaking.schedule import schedule
    from klynge.matchmaking.schedule_replan import reschedule

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(events(), st.integers(0, 1000))
    def check(data: dict, pick: int) -> None:
        first = schedule(parse_event(data), seconds=0.05)
        if not first.meetings:
            return
        hit = first.meetings[pick % len(first.meetings)]
        who, slot = (hit.a, hit.b)[pick % 2], hit.slot
        changed = {
            **data,
            "participants": [
                {**p, "available": [s for s in p["available"] if s != slot]}
                if p["id"] == who
                else p
                for p in data["participants"]
            ],
            "locked": [
                lk
                for lk in data["locked"]
                if not (who in (lk["a"], lk["b"]) and lk["slot"] == slot)
            ],
        }
        waiting = [(p.a, p.b) for p in first.standby]
        rp = reschedule(parse_event(changed), first.meetings, waiting=waiting)
        assert violations(changed, rp.schedule) == []
        now = {frozenset((m.a, m.b)): (m.slot, m.table) for m in rp.schedule.meetings}
        impossible = {
            frozenset((m.a, m.b)) for m in first.meetings if who in (m.a, m.b) and m.slot == slot
        }
        assert impossible == {frozenset((hit.a, hit.b))}
        for m in first.meetings:
            key = frozenset((m.a, m.b))
            if key not in impossible:
                assert now[key] == (m.slot, m.table), "a possible meeting changed"
        assert {frozenset((m.a, m.b)) for m in rp.moved} <= impossible
        assert all(m.reason == "unavailable" and m.to_slot != slot for m in rp.moved)
        assert [(frozenset((d.a, d.b)), d.reason) for d in rp.dropped] in (
            [],
            [(frozenset((hit.a, hit.b)), "unavailable")],
        )
        assert len(rp.moved) + len(rp.dropped) == 1
        assert rp.kept == len(first.meetings) - 1

    check()


def test_a_contact_of_several_organisations_is_added_with_the_organisation(
    event: dict[str, int], world: Path
) -> None:
    from klynge.services.registry import import_path

    extra = world / "two-hats.csv"
    extra.write_text(
        "organisation,name,email,matchmaking\n"
        "aau,Mette Maskine,mette@hats.dk,yes\n"
        "de-1,Mette Maskine,mette@hats.dk,yes\n",
        encoding="utf-8",
    )
    import_path("contacts", extra, principal=LOCAL)
    with pytest.raises(InvalidInput) as exc:
        mm.add_participant("b2b", mm.ParticipantIn(email="mette@hats.dk"), principal=MADE)
    assert _problems(exc.value) == [
        (
            "mette@hats.dk er kontakt for flere organisationer: angiv organisation",
            "mette@hats.dk is a contact of several organisations: give organisation",
            "email",
        )
    ]
    out = mm.add_participant(
        "b2b", mm.ParticipantIn(email="mette@hats.dk", organisation="de-1"), principal=MADE
    )
    assert (out.name, out.organisation) == ("Mette Maskine", "de-1")
    # The same person for the other organisation is another participant.
    out = mm.add_participant(
        "b2b", mm.ParticipantIn(email="mette@hats.dk", organisation="aau"), principal=MADE
    )
    assert out.organisation == "aau"


def test_a_quota_below_the_locks_releases_the_latest_lock(event: dict[str, int]) -> None:
    mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 0, principal=MADE)
    mm.lock_meeting("b2b", "anna@nebel.dk", "ute@rotorblatt.de", 3, principal=MADE)
    out = mm.change_participant(
        "b2b", "anna@nebel.dk", mm.ParticipantChange(quota=1), principal=MADE
    )
    assert out.released_locks == [{"a": ANNA, "b": UTE, "slot": 3}]
    locked = mm.event_document("b2b", principal=MADE)["locked"]
    assert [(m["a"], m["b"], m["slot"]) for m in locked] == [
        (event["Anna Nebel"], event["Lars Forsker"], 0)
    ]
