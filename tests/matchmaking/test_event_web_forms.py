"""The web faces of database events: staff create an event with a form (problems beside the
fields, in both languages), a member chooses who meets whom when the other side sends several
people, and requests about to expire are shown to those who must answer them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_match_web import _csrf, _log_in, _token

from klynge.services import matchmaking as mm
from klynge.services.auth import LOCAL
from klynge.web import security

PASSWORD = "correct horse battery staple 7"
SLOTS = "2026-11-20 10:00-10:20 Morning\n2026-11-20 10:20-10:40 Morning\n2026-11-20 11:00-11:20\n"


@pytest.fixture
def site(world: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    from klynge.server import create_app
    from klynge.services.registry import import_path
    from klynge.services.users import create_user

    monkeypatch.setenv(security.SECRET_ENV, "m" * 40)
    security.secret_key.cache_clear()
    security.LOGINS._failures.clear()
    security.ACCOUNTS._failures.clear()
    extra = world / "more-contacts.csv"
    extra.write_text(
        "organisation,name,email,matchmaking\naau,Mette Maskine,mette@aau.dk,yes\n",
        encoding="utf-8",
    )
    import_path("contacts", extra, principal=LOCAL)
    create_user("anna@nebel.dk", PASSWORD, "member", organisation="29863997", principal=LOCAL)
    create_user("lars@aau.dk", PASSWORD, "member", organisation="aau", principal=LOCAL)
    return create_app()


def _errors(html: str) -> dict[str, str]:
    return {
        m.group(1): re.sub(r"<[^>]+>", " ", m.group(2))
        for m in re.finditer(r'<span id="e-(\w+)" class="field-error">(.*?)</span>', html, re.S)
    }


def test_staff_create_an_event_with_the_form(site: object) -> None:
    staff = _token(site, "staff", "made")
    form = staff.get("/match/events/new")
    assert form.status_code == 200 and "Slots, one a line" in form.text
    assert "MADE B2B" not in staff.get("/match").text
    bad = {
        "csrf_token": _csrf(staff, "/match/events/new"),
        "ref": "day",
        "name": "MADE Day",
        "tables": "0",
        "slots": SLOTS + "2026-11-20 11:10-11:30\nsoon\n",
        "participants": "anna@nebel.dk; 0-2\nnobody@example.com\nlars@aau.dk; 1, 7",
    }
    r = staff.post("/match/events/new", data=bad)
    assert r.status_code == 422
    errors = _errors(r.text)
    assert "line 5" in errors["slots"]  # the unreadable line, found by the form
    assert "must be at least 1" in errors["tables"]
    fixed = dict(bad, tables="2", slots=SLOTS + "2026-11-20 11:10-11:30\n")
    r = staff.post("/match/events/new", data=fixed)
    assert r.status_code == 422
    errors = _errors(r.text)
    assert "line 4: slot 3 overlaps slot 2" in errors["slots"]
    assert "line 2: nobody@example.com is not a contact person" in errors["participants"]
    assert "line 3: availability outside the event: slots [7]" in errors["participants"]
    assert mm.list_events(principal=LOCAL) == [], "nothing saved"

    staff.cookies.set("klynge_lang", "da")
    r = staff.post("/match/events/new", data=fixed)
    assert "linje 4: tidsrum 3 overlapper tidsrum 2" in _errors(r.text)["slots"]

    good = dict(
        fixed,
        csrf_token=_csrf(staff, "/match/events/new"),
        slots=SLOTS,
        participants="anna@nebel.dk; 0-2\nlars@aau.dk; 1, 2; 2\nmette@aau.dk;;;Stand 4",
    )
    r = staff.post("/match/events/new", data=good, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/match/events/day"
    made = mm.list_events(principal=LOCAL)
    assert [(e.cluster, e.ref, e.slots, e.tables, e.participants) for e in made] == [
        ("made", "day", 3, 2, 3)
    ]
    doc = mm.event_document("day", principal=LOCAL)
    assert [s.get("session") for s in doc["slots"]] == ["Morning", "Morning", None]
    people = {p["name"]: p for p in doc["participants"]}
    assert people["Anna Nebel"]["available"] == [0, 1, 2]
    assert people["Lars Forsker"]["available"] == [1, 2] and people["Lars Forsker"]["quota"] == 2
    assert people["Mette Maskine"]["booth"] == "Stand 4"
    again = staff.post("/match/events/new", data=good)
    assert again.status_code == 422 and "day" in _errors(again.text)["ref"]


def test_only_staff_and_admins_create_events_and_the_form_needs_its_token(site: object) -> None:
    anna = _log_in(site, "anna@nebel.dk")
    assert anna.get("/match/events/new").status_code == 403
    staff = _token(site, "staff", "made")
    r = staff.post("/match/events/new", data={"csrf_token": "x", "ref": "day"})
    assert r.status_code == 403 and mm.list_events(principal=LOCAL) == []
    # Staff cannot create another cluster's event by posting its name.
    r = staff.post(
        "/match/events/new",
        data={
            "csrf_token": _csrf(staff, "/match/events/new"),
            "cluster": "clean",
            "ref": "x",
            "name": "X",
            "tables": "1",
            "slots": SLOTS,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert [e.cluster for e in mm.list_events(principal=LOCAL)] == ["made"]


def test_a_member_chooses_whom_to_meet_when_the_other_side_sends_several(site: object) -> None:
    event = {
        "cluster": "made",
        "ref": "b2b",
        "name": "MADE B2B",
        "tables": 1,
        "slots": [{"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"}],
        "participants": [
            {"email": "anna@nebel.dk"},
            {"email": "lars@aau.dk"},
            {"email": "mette@aau.dk"},
        ],
    }
    mm.create_event(mm.event_input(event), principal=LOCAL)
    anna = _log_in(site, "anna@nebel.dk")
    data = {
        "csrf_token": _csrf(anna, "/match/profiles/29863997"),
        "sender": "29863997",
        "receiver": "aau",
        "event": "b2b",
    }
    r = anna.post("/match/requests", data=data)
    assert r.status_code == 422
    assert "Mette Maskine" in _errors(r.text)["receiver_participant"]
    options = re.findall(
        r'<option value="(\d+)">([^<]+)</option>',
        r.text.split('name="receiver_participant"')[1].split("</select>")[0],
    )
    assert [name for _, name in options] == [
        "Lars Forsker (aau)",
        "Mette Maskine (aau)",
    ]
    assert mm.list_requests(principal=LOCAL).total == 0
    mette = dict(options)
    chosen = next(i for i, n in mette.items() if n.startswith("Mette"))
    r = anna.post(
        "/match/requests", data=dict(data, receiver_participant=chosen), follow_redirects=False
    )
    assert r.status_code == 303
    [sent] = mm.list_requests(principal=LOCAL).items
    assert sent.receiver_person == "Mette Maskine"
    assert "Aalborg Universitet: Mette Maskine" in anna.get("/match").text


def test_requests_about_to_expire_are_shown_to_whoever_answers(site: object) -> None:
    sent = date.today() - timedelta(days=mm.DEFAULT_REQUEST_DAYS - 1)
    mm.request_meeting("29863997", "aau", principal=LOCAL, today=sent)
    lars = _log_in(site, "lars@aau.dk")
    page = lars.get("/match").text
    answer_by = date.today().isoformat()
    assert f"Expires soon: answer by {answer_by}." in page
    staff = _token(site, "staff", "made")
    page = staff.get("/match").text
    assert "Reminders due" in page and "lars@aau.dk" in page
    assert "klynge does not send e-mail" in page
    anna = _log_in(site, "anna@nebel.dk")
    assert "Reminders due" not in anna.get("/match").text


def test_staff_lock_a_meeting_on_the_events_page(site: object) -> None:
    event = {
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
            {"email": "lars@aau.dk", "available": [1]},
        ],
    }
    mm.create_event(mm.event_input(event), principal=LOCAL)
    people = {p["name"]: p["id"] for p in mm.event_document("b2b", principal=LOCAL)["participants"]}
    staff = _token(site, "staff", "made")
    form = {
        "csrf_token": _csrf(staff, "/match/events/b2b"),
        "a": str(people["Anna Nebel"]),
        "b": str(people["Lars Forsker"]),
        "slot": "0",
        "table": "",
    }
    r = staff.post("/match/events/b2b/locks", data=form)
    assert r.status_code == 422
    assert "is not available in slot 0" in _errors(r.text.replace('id="le-', 'id="e-'))["slot"]
    r = staff.post("/match/events/b2b/locks", data=dict(form, slot="1"), follow_redirects=False)
    assert r.status_code == 303
    assert "Anna Nebel (29863997) – Lars Forsker (aau)" in staff.get("/match/events/b2b").text
    assert len(mm.event_document("b2b", principal=LOCAL)["locked"]) == 1
    r = staff.post(
        "/match/events/b2b/locks/release",
        data={"csrf_token": form["csrf_token"], "a": form["a"], "b": form["b"]},
        follow_redirects=False,
    )
    assert r.status_code == 303 and mm.event_document("b2b", principal=LOCAL)["locked"] == []
    lars = _log_in(site, "lars@aau.dk")
    assert lars.post("/match/events/b2b/locks", data=form).status_code == 403
    withdraw = f"/match/events/b2b/participants/{people['Lars Forsker']}/withdraw"
    assert lars.post(withdraw, data={"csrf_token": form["csrf_token"]}).status_code == 403
    r = staff.post(withdraw, data={"csrf_token": form["csrf_token"]}, follow_redirects=False)
    assert r.status_code == 303
    left = mm.event_document("b2b", principal=LOCAL)["participants"]
    assert [p["name"] for p in left] == ["Anna Nebel"]


def test_a_member_with_several_people_at_an_event_sees_the_right_agenda(site: object) -> None:
    from match_helpers import member

    from klynge.errors import InvalidInput
    from klynge.services.users import create_user

    event = {
        "cluster": "made",
        "ref": "b2b",
        "name": "MADE B2B",
        "tables": 1,
        "slots": [{"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"}],
        "participants": [
            {"email": "anna@nebel.dk"},
            {"email": "lars@aau.dk"},
            {"email": "mette@aau.dk"},
        ],
    }
    mm.create_event(mm.event_input(event), principal=LOCAL)
    r = mm.request_meeting(
        "29863997", "aau", event="b2b", receiver_participant="mette@aau.dk", principal=LOCAL
    )
    mm.answer_request(r.id, True, principal=LOCAL)
    mm.schedule_event("b2b", principal=LOCAL)
    with pytest.raises(InvalidInput) as exc:
        mm.agenda("b2b", principal=member("aau"))
    assert exc.value.error_code == "participant-required"
    assert "Lars Forsker" in exc.value.message.get("en")

    # Lars signs in: his own agenda (no meeting), not Mette's, is shown.
    lars = _log_in(site, "lars@aau.dk")
    page = lars.get("/match/events/b2b/agenda").text
    assert "Personal agenda of Lars Forsker" in page and "No meetings." in page
    # Someone of Aalborg who is not at the event chooses whose agenda to see.
    create_user("dean@aau.dk", PASSWORD, "member", organisation="aau", principal=LOCAL)
    dean = _log_in(site, "dean@aau.dk")
    page = dean.get("/match/events/b2b/agenda").text
    assert "Whose agenda?" in page and "Mette Maskine" in page and "Lars Forsker" in page
    link = re.search(r'href="(/match/events/b2b/agenda\?participant=\d+)">Mette Maskine', page)
    assert link
    assert "Anna Nebel" in dean.get(link.group(1)).text


def test_scheduling_again_on_the_web_says_what_changed(site: object) -> None:
    from klynge.services.people import person_erase

    event = {
        "cluster": "made",
        "ref": "b2b",
        "name": "MADE B2B",
        "tables": 2,
        "slots": [{"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"}],
        "participants": [
            {"email": "anna@nebel.dk"},
            {"email": "lars@aau.dk"},
            {"email": "ute@rotorblatt.de"},
            {"email": "sven@prognos.se"},
        ],
    }
    mm.create_event(mm.event_input(event), principal=LOCAL)
    for sender, receiver in (("29863997", "aau"), ("de-1", "aau")):
        r = mm.request_meeting(sender, receiver, event="b2b", principal=LOCAL)
        mm.answer_request(r.id, True, principal=LOCAL)
    staff = _token(site, "staff", "made")
    token = _csrf(staff, "/match/events/b2b")
    first = staff.post("/match/events/b2b/schedule", data={"csrf_token": token})
    assert "Scheduled again" not in first.text and "1 meetings placed" in first.text
    person_erase("anna@nebel.dk", principal=LOCAL)
    again = staff.post("/match/events/b2b/schedule", data={"csrf_token": token})
    assert again.status_code == 200 and "Scheduled again" in again.text
    assert "0 meetings kept where they were, 0 moved, 1 dropped, 1 added." in again.text
    assert "a participant left the event" in again.text
