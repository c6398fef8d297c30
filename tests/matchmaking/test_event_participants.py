"""Who meets whom at a database event: a request names the participant on each side when an
organisation sends several people, never the first one silently; the organiser's re-planning
keeps published meetings; the workbook; reminders a person can see and act on; an event's
field problems in both languages."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from match_helpers import ADMIN, MADE, member

from klynge.errors import Conflict, Forbidden, InvalidInput
from klynge.services import matchmaking as mm
from klynge.services.auth import LOCAL

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
        {"start": "2026-11-20T11:00:00", "end": "2026-11-20T11:20:00"},
    ],
    "participants": [
        {"email": "anna@nebel.dk"},
        {"email": "lars@aau.dk"},
        {"email": "mette@aau.dk"},
    ],
}


@pytest.fixture
def event(world: Path) -> dict[str, int]:
    """The event above, with Aalborg Universitet sending two people; their participant ids."""
    from klynge.services.registry import import_path

    extra = world / "more-contacts.csv"
    extra.write_text(
        "organisation,name,email,matchmaking\naau,Mette Maskine,mette@aau.dk,yes\n",
        encoding="utf-8",
    )
    import_path("contacts", extra, principal=LOCAL)
    mm.create_event(mm.event_input(EVENT), principal=MADE)
    doc = mm.event_document("b2b", principal=MADE)
    return {p["name"]: p["id"] for p in doc["participants"]}


def test_several_participants_must_be_chosen_and_the_choices_are_listed(
    event: dict[str, int],
) -> None:
    with pytest.raises(InvalidInput) as exc:
        mm.request_meeting("29863997", "aau", event="b2b", principal=ADMIN, today=DAY)
    err = exc.value
    assert err.error_code == "participant-required"
    assert err.location is not None and err.location.field == "receiver_participant"
    for lang in ("da", "en"):
        text = err.message.get(lang)
        assert "Lars Forsker" in text and "Mette Maskine" in text
        assert str(event["Mette Maskine"]) in text
    assert "deltagere" in err.message.get("da") and "participants" in err.message.get("en")
    assert [t.get("en") for t, _ in err.details] == [
        f"{event['Lars Forsker']}: Lars Forsker",
        f"{event['Mette Maskine']}: Mette Maskine",
    ]
    assert mm.list_requests(principal=ADMIN, today=DAY).total == 0, "nothing was sent"

    # Chosen by e-mail (or id); the sender's only participant needs no choice.
    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="mette@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    assert (r.sender_participant, r.receiver_participant) == (
        event["Anna Nebel"],
        event["Mette Maskine"],
    )
    assert (r.sender_person, r.receiver_person) == ("Anna Nebel", "Mette Maskine")
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    doc = mm.event_document("b2b", principal=MADE)
    assert [(x["from"], x["to"]) for x in doc["requests"]] == [
        (event["Anna Nebel"], event["Mette Maskine"])
    ]
    summary = mm.schedule_event("b2b", principal=MADE)
    assert summary.placed == 1 and summary.left_out == 0
    assert "Mette Maskine" in summary.meetings[0]["a"] + summary.meetings[0]["b"]


def test_a_participant_of_another_organisation_or_without_an_event_is_refused(
    event: dict[str, int],
) -> None:
    with pytest.raises(InvalidInput) as exc:
        mm.request_meeting(
            "29863997",
            "aau",
            event="b2b",
            receiver_participant=event["Anna Nebel"],
            principal=ADMIN,
            today=DAY,
        )
    assert exc.value.error_code == "unknown-participant"
    assert exc.value.location is not None
    assert exc.value.location.field == "receiver_participant"
    with pytest.raises(InvalidInput) as exc:
        mm.request_meeting(
            "29863997", "aau", receiver_participant="lars@aau.dk", principal=ADMIN, today=DAY
        )
    assert exc.value.error_code == "participant-without-event"


def test_two_people_of_one_organisation_may_each_be_asked_once(event: dict[str, int]) -> None:
    for email in ("lars@aau.dk", "mette@aau.dk"):
        mm.request_meeting(
            "29863997",
            "aau",
            event="b2b",
            receiver_participant=email,
            principal=ADMIN,
            today=DAY,
        )
    with pytest.raises(Conflict):
        mm.request_meeting(
            "29863997",
            "aau",
            event="b2b",
            receiver_participant="lars@aau.dk",
            principal=ADMIN,
            today=DAY,
        )
    # Mette asks Anna back: mutual for that pair only, not for Lars's request.
    back = mm.request_meeting(
        "aau",
        "29863997",
        event="b2b",
        sender_participant="mette@aau.dk",
        principal=member("aau"),
        today=DAY,
    )
    assert back.mutual
    mutual = {
        r.receiver_person: r.mutual
        for r in mm.list_requests(principal=ADMIN, today=DAY).items
        if r.sender == "29863997"
    }
    assert mutual == {"Lars Forsker": False, "Mette Maskine": True}


def test_a_request_naming_nobody_where_there_are_several_is_left_out_not_guessed(
    event: dict[str, int],
) -> None:
    from klynge.storage.matchmaking import set_request

    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="lars@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    # As a request from before participants were chosen (or whose person left) looks.
    mm._run(lambda conn: set_request(conn, r.id, receiver_participant_id=None), write=True)
    doc = mm.event_document("b2b", principal=MADE)
    assert doc["requests"] == [] and doc["left_out"] == 1
    assert any("choose who meets whom" in n for n in doc["notes"])
    # The notes are read by the organiser: in Danish when asked.
    da = mm.event_document("b2b", principal=MADE, lang="da")
    assert da["left_out"] == 1 and any("vælg, hvem der mødes med hvem" in n for n in da["notes"])
    assert not any("choose" in n for n in da["notes"])
    assert mm.schedule_event("b2b", principal=MADE).left_out == 1


def test_choices_per_side_for_a_form(event: dict[str, int]) -> None:
    c = mm.request_choices("29863997", "aau", "b2b", principal=member("29863997"))
    assert [x.name for x in c.sender] == ["Anna Nebel"]
    assert [x.name for x in c.receiver] == ["Lars Forsker", "Mette Maskine"]


def test_the_command_line_lists_the_choices_and_takes_one(event: dict[str, int]) -> None:
    from typer.testing import CliRunner

    from klynge.cli.main import app

    run = CliRunner().invoke
    for lang, word in (("en", "choose one"), ("da", "vælg en")):
        out = run(app, ["match", "request", "29863997", "aau", "--event", "b2b", "--lang", lang])
        assert out.exit_code == 2, out.output
        assert word in out.output and "Mette Maskine" in out.output
    out = run(
        app,
        [
            "match",
            "request",
            "29863997",
            "aau",
            "--event",
            "b2b",
            "--receiver-participant",
            str(event["Mette Maskine"]),
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Anna Nebel (Nebel Droner ApS) → Mette Maskine (Aalborg Universitet)" in out.output


def test_the_api_names_the_field_to_choose(event: dict[str, int]) -> None:
    from fastapi.testclient import TestClient

    from klynge.api.app import create_app
    from klynge.services.auth import create_token

    client = TestClient(create_app())
    h = {"Authorization": f"Bearer {create_token('admin', principal=LOCAL).token}"}
    body = {"sender": "29863997", "receiver": "aau", "event": "b2b"}
    r = client.post("/api/v1/matchmaking/requests?lang=da", json=body, headers=h)
    assert r.status_code == 422
    err = r.json()
    assert err["code"] == "participant-required"
    assert err["location"]["field"] == "receiver_participant"
    assert "Mette Maskine" in err["detail"] and "vælg" in err["detail"]
    body["receiver_participant"] = "lars@aau.dk"
    r = client.post("/api/v1/matchmaking/requests", json=body, headers=h)
    assert r.status_code == 201 and r.json()["receiver_person"] == "Lars Forsker"


def test_scheduling_again_keeps_published_meetings_and_reports_changes(
    event: dict[str, int],
) -> None:
    first = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="lars@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(first.id, True, principal=member("aau"), today=DAY)
    before = mm.schedule_event("b2b", principal=MADE)
    assert before.changes is None and before.placed == 1
    second = mm.request_meeting(
        "aau",
        "29863997",
        event="b2b",
        sender_participant="mette@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(second.id, True, principal=member("29863997"), today=DAY)
    after = mm.schedule_event("b2b", principal=MADE)
    assert after.placed == 2
    assert after.changes is not None
    assert after.changes["kept"] == 1 and after.changes["moved"] == []
    assert after.changes["dropped"] == [] and len(after.changes["added"]) == 1
    kept = [m for m in after.meetings if "Lars" in m["a"] + m["b"]]
    assert [(m["slot"], m["table"]) for m in kept] == [
        (m["slot"], m["table"]) for m in before.meetings
    ]
    assert mm.schedule_event("b2b", principal=MADE, fresh=True).changes is None


def test_the_organisers_workbook_has_a_sheet_per_table(event: dict[str, int]) -> None:
    from openpyxl import load_workbook

    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="lars@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    mm.schedule_event("b2b", principal=MADE)
    book = load_workbook(io.BytesIO(mm.schedule_workbook("b2b", principal=MADE, lang="da")))
    assert book.sheetnames == ["Bord 1"]
    rows = list(book["Bord 1"].values)
    assert rows[0][0] == "tidsrum" and {"Anna Nebel", "Lars Forsker"} <= set(rows[1])
    with pytest.raises(Forbidden):
        mm.schedule_workbook("b2b", principal=member("aau"))


def test_an_events_field_problems_in_both_languages(world: Path) -> None:
    from typer.testing import CliRunner

    from klynge.cli.main import app

    bad = dict(EVENT, tables=0, ref="")
    with pytest.raises(InvalidInput) as exc:
        mm.event_input(bad)
    found = {loc.field: t for t, loc in exc.value.details if loc}
    assert found["tables"].get("en") == "must be at least 1"
    assert found["tables"].get("da") == "skal være mindst 1"
    assert found["ref"].get("en") == "must not be empty"
    path = world / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    out = CliRunner().invoke(app, ["match", "event", "create", str(path), "--lang", "da"])
    assert out.exit_code == 2 and "skal være mindst 1" in out.output and "tables" in out.output


def test_reminders_can_be_listed_and_marked_over_the_api(world: Path) -> None:
    from fastapi.testclient import TestClient

    from klynge.api.app import create_app
    from klynge.services.auth import create_token

    sent = date.today() - timedelta(days=mm.DEFAULT_REQUEST_DAYS - 1)
    mm.request_meeting("29863997", "aau", principal=ADMIN, today=sent)
    client = TestClient(create_app())
    h = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    due = client.get("/api/v1/matchmaking/reminders", headers=h).json()["items"]
    assert [x["to"] for x in due] == [["lars@aau.dk"]]
    marked = client.post("/api/v1/matchmaking/reminders", headers=h)
    assert marked.status_code == 200 and len(marked.json()["items"]) == 1
    assert client.get("/api/v1/matchmaking/reminders", headers=h).json()["items"] == []
    analyst = {"Authorization": f"Bearer {create_token('analyst', principal=LOCAL).token}"}
    assert client.post("/api/v1/matchmaking/reminders", headers=analyst).status_code == 403


def test_erasing_the_chosen_person_keeps_the_request_without_them(event: dict[str, int]) -> None:
    from klynge.services.people import person_erase

    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="mette@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    mm.schedule_event("b2b", principal=MADE)
    person_erase("mette@aau.dk", principal=ADMIN)
    [left] = mm.list_requests(principal=ADMIN, today=DAY).items
    assert (left.receiver_participant, left.receiver_person) == (None, None)
    assert "Mette" not in str(mm.event_document("b2b", principal=MADE))
    # Aalborg has one participant left, who now answers for the organisation's request; the
    # re-plan says the erased person's meeting was dropped.
    again = mm.schedule_event("b2b", principal=MADE)
    assert again.changes is not None
    assert [d["reason"] for d in again.changes["dropped"]] == ["participant-withdrew"]
    assert "Lars Forsker" in str(again.meetings)


def test_the_standby_list_and_unplaceable_requests_are_named(world: Path) -> None:
    from klynge.services.registry import import_path

    extra = world / "more-contacts.csv"
    extra.write_text(
        "organisation,name,email,matchmaking\naau,Mette Maskine,mette@aau.dk,yes\n",
        encoding="utf-8",
    )
    import_path("contacts", extra, principal=LOCAL)
    one_slot = dict(
        EVENT,
        ref="one",
        slots=EVENT["slots"][:2],
        participants=[
            {"email": "anna@nebel.dk", "available": [0]},
            {"email": "lars@aau.dk", "available": [0]},
            {"email": "mette@aau.dk", "available": [0]},
            {"email": "ute@rotorblatt.de", "available": [1]},
        ],
    )
    mm.create_event(mm.event_input(one_slot), principal=MADE)
    for sender, receiver, who in (
        ("aau", "29863997", "lars@aau.dk"),
        ("aau", "29863997", "mette@aau.dk"),
        ("de-1", "29863997", None),
    ):
        r = mm.request_meeting(
            sender, receiver, event="one", sender_participant=who, principal=ADMIN, today=DAY
        )
        mm.answer_request(r.id, True, principal=member(receiver), today=DAY)
    s = mm.schedule_event("one", principal=MADE)
    assert s.placed == 1 and s.standby == 1 and s.unplaceable == 1
    assert len(s.standby_list) == 1 and "Anna Nebel" in str(s.standby_list)
    assert s.unplaceable_list == [{"a": "Ute Blatt (de-1)", "b": "Anna Nebel (29863997)"}]


def test_a_locked_meeting_stays_where_the_organiser_put_it(event: dict[str, int]) -> None:
    anna, lars, mette = event["Anna Nebel"], event["Lars Forsker"], event["Mette Maskine"]
    lock = mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 2, 1, principal=MADE)
    assert (lock.a, lock.b, lock.slot, lock.table) == (anna, lars, 2, 1)
    doc = mm.event_document("b2b", principal=MADE)
    assert doc["locked"] == [{"a": anna, "b": lars, "slot": 2, "table": 0}]
    # No request is needed: the organiser fixed it; the scheduler keeps it there.
    s = mm.schedule_event("b2b", principal=MADE)
    assert [(m["slot"], m["table"], m["locked"]) for m in s.meetings] == [(2, 1, True)]
    # A clash with the lock, a table that does not exist, and other roles are refused.
    with pytest.raises(InvalidInput) as exc:
        mm.lock_meeting("b2b", mette, anna, 2, principal=MADE)
    assert "already has a locked meeting" in str([t.get("en") for t, _ in exc.value.details])
    with pytest.raises(InvalidInput) as exc:
        mm.lock_meeting("b2b", mette, anna, 0, 5, principal=MADE)
    assert any(loc and loc.field.endswith("table") for _, loc in exc.value.details)
    with pytest.raises(InvalidInput) as exc:
        mm.lock_meeting("b2b", "nobody@x.dk", anna, 0, principal=MADE)
    assert exc.value.location is not None and exc.value.location.field == "a"
    with pytest.raises(Forbidden):
        mm.lock_meeting("b2b", mette, anna, 0, principal=member("aau"))
    from match_helpers import CLEAN

    from klynge.errors import NotFound

    with pytest.raises(NotFound):
        mm.lock_meeting("b2b", mette, anna, 0, principal=CLEAN)
    # Locking the same pair again moves the lock; releasing it frees the meeting.
    mm.lock_meeting("b2b", lars, anna, 1, principal=MADE)
    assert mm.event_document("b2b", principal=MADE)["locked"] == [{"a": lars, "b": anna, "slot": 1}]
    assert mm.unlock_meeting("b2b", anna, lars, principal=MADE)
    assert mm.event_document("b2b", principal=MADE)["locked"] == []
    with pytest.raises(NotFound):
        mm.unlock_meeting("b2b", anna, lars, principal=MADE)


def test_locks_from_the_command_line_and_the_api(event: dict[str, int]) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from klynge.api.app import create_app
    from klynge.cli.main import app
    from klynge.services.auth import create_token

    args = ["match", "event", "lock", "b2b", "anna@nebel.dk", "lars@aau.dk", "--slot", "1"]
    out = CliRunner().invoke(app, [*args, "--table", "1", "--lang", "da"])
    assert out.exit_code == 0
    assert "Låst: Anna Nebel – Lars Forsker i tidsrum 1, bord 1." in out.output
    out = CliRunner().invoke(
        app, ["match", "event", "lock", "b2b", "mette@aau.dk", "anna@nebel.dk", "--slot", "1"]
    )
    assert out.exit_code == 2 and "already has a locked meeting" in out.output
    client = TestClient(create_app())
    h = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    r = client.post(
        "/api/v1/matchmaking/events/b2b/locks",
        json={"a": "mette@aau.dk", "b": "anna@nebel.dk", "slot": 0},
        headers=h,
    )
    assert r.status_code == 201 and r.json()["table"] is None
    r = client.delete(
        "/api/v1/matchmaking/events/b2b/locks",
        params={"a": "anna@nebel.dk", "b": "lars@aau.dk"},
        headers=h,
    )
    assert r.status_code == 200 and r.json() == {"released": True}
    assert len(mm.event_document("b2b", principal=MADE)["locked"]) == 1


def test_reminders_from_the_command_line_are_listed_then_marked(world: Path) -> None:
    from typer.testing import CliRunner

    from klynge.cli.main import app

    sent = date.today() - timedelta(days=mm.DEFAULT_REQUEST_DAYS - 1)
    r = mm.request_meeting("29863997", "aau", principal=ADMIN, today=sent)
    run = CliRunner().invoke
    out = run(app, ["match", "reminders", "--lang", "da"])
    assert out.exit_code == 0 and "lars@aau.dk" in out.output
    assert "klynge sender ikke e-mail" in out.output and "--mark" in out.output
    out = run(app, ["match", "reminders", "--mark", "--json"])
    assert [x["request"] for x in json.loads(out.output)["items"]] == [r.id]
    out = run(app, ["match", "reminders"])
    assert out.exit_code == 0 and "No reminders due." in out.output


def test_a_withdrawal_or_a_lost_table_then_a_re_plan(event: dict[str, int]) -> None:
    """After a withdrawal only that person's meeting is dropped; after a table is lost the
    meetings that no longer fit move or wait, and the rest stay where they were."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from klynge.api.app import create_app
    from klynge.cli.main import app
    from klynge.services.auth import create_token

    mm.change_tables("b2b", 2, principal=MADE)
    pairs = (("29863997", "aau", "lars@aau.dk"), ("de-1", "aau", "mette@aau.dk"))
    for sender, receiver, who in pairs:
        r = mm.request_meeting(
            sender, receiver, event="b2b", receiver_participant=who, principal=ADMIN, today=DAY
        )
        mm.answer_request(r.id, True, principal=member(receiver), today=DAY)
    # Ute (de-1) takes no part, so her request is left out (and counted); Anna–Mette is
    # locked into slot 0 at table 2.
    mm.lock_meeting("b2b", "anna@nebel.dk", "mette@aau.dk", 0, 2, principal=MADE)
    first = mm.schedule_event("b2b", principal=MADE)
    placed = {(m["a"], m["b"]): (m["slot"], m["table"]) for m in first.meetings}
    assert len(placed) == 2 and first.left_out == 1
    # A lock at a table that would vanish is named; the number is refused below 1.
    with pytest.raises(InvalidInput) as exc:
        mm.change_tables("b2b", 1, principal=MADE)
    assert any(loc and loc.field == "tables" for _, loc in exc.value.details)
    with pytest.raises(InvalidInput):
        mm.change_tables("b2b", 0, principal=MADE)
    out = CliRunner().invoke(app, ["match", "event", "withdraw", "b2b", "mette@aau.dk"])
    assert out.exit_code == 0 and "Mette Maskine withdrawn" in out.output
    assert mm.event_document("b2b", principal=MADE)["locked"] == []
    again = mm.schedule_event("b2b", principal=MADE)
    assert again.changes is not None
    assert [d["reason"] for d in again.changes["dropped"]] == ["participant-withdrew"]
    assert again.changes["moved"] == [] and again.changes["kept"] == 1
    kept = [(m["slot"], m["table"]) for m in again.meetings]
    assert kept == [v for k, v in placed.items() if "Mette" not in k[0] + k[1]]
    client = TestClient(create_app())
    h = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    r = client.patch("/api/v1/matchmaking/events/b2b", json={"tables": 1}, headers=h)
    assert r.status_code == 200 and r.json()["tables"] == 1
    r = client.delete("/api/v1/matchmaking/events/b2b/participants/lars@aau.dk", headers=h)
    assert r.status_code == 200 and r.json() == {"withdrawn": "Lars Forsker"}
    clean = {"Authorization": f"Bearer {create_token('staff', 'clean', principal=LOCAL).token}"}
    r = client.delete("/api/v1/matchmaking/events/b2b/participants/anna@nebel.dk", headers=clean)
    assert r.status_code == 404


def test_the_command_line_agenda_says_where_and_until_when(event: dict[str, int]) -> None:
    """A meeting at an exhibitor's booth showed an empty "table" cell in `klynge match event
    agenda`, so the visitor did not know where to go; the file version says "booth B7"."""
    from typer.testing import CliRunner

    from klynge.cli.main import app

    run = CliRunner().invoke
    out = run(
        app, ["match", "event", "participant", "change", "b2b", "lars@aau.dk", "--booth", "B7"]
    )
    assert out.exit_code == 0, out.output
    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="lars@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    mm.schedule_event("b2b", principal=MADE)
    anna = str(event["Anna Nebel"])
    for lang, where in (("en", "booth B7"), ("da", "stand B7")):
        out = run(app, ["match", "event", "agenda", "b2b", "--participant", anna, "--lang", lang])
        assert out.exit_code == 0, out.output
        assert where in out.output and "10:00–10:20" in out.output, out.output


def test_scheduling_again_says_why_a_meeting_was_dropped(event: dict[str, int]) -> None:
    """`klynge match event schedule` printed the reason code ("participant-withdrew")."""
    from typer.testing import CliRunner

    from klynge.cli.main import app

    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="lars@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    mm.schedule_event("b2b", principal=MADE)
    mm.withdraw_participant("b2b", "lars@aau.dk", principal=MADE)
    out = CliRunner().invoke(app, ["match", "event", "schedule", "b2b", "--lang", "da"])
    assert out.exit_code == 0, out.output
    assert "en deltager har forladt arrangementet" in out.output, out.output
    assert "participant-withdrew" not in out.output


def test_a_refused_lock_names_the_field_and_the_table_as_the_organiser_counts(
    event: dict[str, int],
) -> None:
    """Locking at table 2 of a one-table event answered "table 1 does not exist" (the scheduler
    counts from 0, the organiser from 1) on the field "locked.0.table", a list the organiser
    never wrote; a person was named by their participant number only."""
    from fastapi.testclient import TestClient

    from klynge.api.app import create_app
    from klynge.services.auth import create_token

    client = TestClient(create_app())
    h = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    url = "/api/v1/matchmaking/events/b2b/locks"

    def refused(body: dict[str, object]) -> dict[str, str]:
        r = client.post(url, json=body, headers=h)
        assert r.status_code == 422, r.text
        return {e["location"]["field"]: e["message"] for e in r.json()["errors"]}

    found = refused({"a": "anna@nebel.dk", "b": "lars@aau.dk", "slot": 1, "table": 2})
    assert list(found) == ["table"] and "table 2" in found["table"], found
    assert "1 table" in found["table"], found
    ok = client.post(
        url, json={"a": "anna@nebel.dk", "b": "lars@aau.dk", "slot": 1, "table": 1}, headers=h
    )
    assert ok.status_code == 201, ok.text
    found = refused({"a": "mette@aau.dk", "b": "anna@nebel.dk", "slot": 1})
    assert list(found) == ["slot"] and "Anna Nebel" in found["slot"], found


def test_fewer_tables_than_a_lock_needs_names_the_lock_and_its_table(
    event: dict[str, int],
) -> None:
    """Going from two tables to one with a meeting locked at table 2 answered "table 1 does
    not exist" on "locked.0.table": table 1 does exist, and the organiser counts from 1."""
    mm.change_tables("b2b", 2, principal=MADE)
    mm.lock_meeting("b2b", "anna@nebel.dk", "lars@aau.dk", 0, 2, principal=MADE)
    with pytest.raises(InvalidInput) as exc:
        mm.change_tables("b2b", 1, principal=MADE)
    found = [(t.get("en"), t.get("da"), loc.field if loc else None) for t, loc in exc.value.details]
    assert len(found) == 1, found
    en, da, field = found[0]
    assert field == "tables", found
    assert "Anna Nebel" in en and "Lars Forsker" in en and "table 2" in en, found
    assert "bord 2" in da, found
    assert "table 1 does not exist" not in en


def test_an_agenda_is_found_by_e_mail_as_elsewhere(event: dict[str, int]) -> None:
    """Withdraw, lock and change take a participant's id or e-mail; the agenda took only the
    number ("must be a whole number" for lars@aau.dk), so the organiser had to look it up."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from klynge.api.app import create_app
    from klynge.cli.main import app
    from klynge.errors import NotFound
    from klynge.services.auth import create_token

    r = mm.request_meeting(
        "29863997",
        "aau",
        event="b2b",
        receiver_participant="lars@aau.dk",
        principal=ADMIN,
        today=DAY,
    )
    mm.answer_request(r.id, True, principal=member("aau"), today=DAY)
    mm.schedule_event("b2b", principal=MADE)
    lars = event["Lars Forsker"]
    assert mm.agenda("b2b", principal=MADE, participant="Lars@AAU.dk").participant == lars
    assert mm.agenda("b2b", principal=member("aau"), participant="lars@aau.dk").participant == lars
    for who in ("anna@nebel.dk", "nobody@aau.dk"):  # another organisation's, or nobody's
        with pytest.raises(NotFound):
            mm.agenda("b2b", principal=member("aau"), participant=who)
    client = TestClient(create_app())
    h = {"Authorization": f"Bearer {create_token('staff', 'made', principal=LOCAL).token}"}
    got = client.get("/api/v1/matchmaking/events/b2b/agenda?participant=lars@aau.dk", headers=h)
    assert got.status_code == 200 and got.json()["name"] == "Lars Forsker", got.text
    miss = client.get("/api/v1/matchmaking/events/b2b/agenda?participant=x@y.dk", headers=h)
    assert miss.status_code == 404 and miss.json()["code"] == "unknown-participant", miss.text
    out = CliRunner().invoke(
        app, ["match", "event", "agenda", "b2b", "--participant", "lars@aau.dk"]
    )
    assert out.exit_code == 0 and "Anna Nebel" in out.output, out.output


def test_zero_tables_is_reported_with_the_events_other_problems(world: Path) -> None:
    """`klynge match event create` with zero tables named only "tables": the overlapping slots,
    the unknown person and the one listed twice came after it was fixed."""
    from typer.testing import CliRunner

    from klynge.cli.main import app

    bad = dict(
        EVENT,
        tables=0,
        slots=[
            {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"},
            {"start": "2026-11-20T10:10:00", "end": "2026-11-20T10:30:00"},
        ],
        participants=[
            {"email": "nobody@x.dk"},
            {"email": "anna@nebel.dk"},
            {"email": "anna@nebel.dk"},
        ],
    )
    path = world / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    out = CliRunner().invoke(app, ["match", "event", "create", str(path), "--json"])
    assert out.exit_code == 2, out.output
    fields = [e["location"]["field"] for e in json.loads(out.output)["error"]["errors"]]
    assert sorted(fields) == sorted(["tables", "slots.1", "participants.0", "participants.2"]), (
        fields
    )
    assert mm.list_events(principal=ADMIN) == []
