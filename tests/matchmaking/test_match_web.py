"""The matchmaking pages: a member edits its profile, sees partners, asks for a meeting; the
receiving side answers; staff see their cluster's event. Both languages, CSRF, tenancy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from klynge.services.auth import LOCAL, create_token
from klynge.web import security

PASSWORD = "correct horse battery staple 7"


def _csrf(c: TestClient, path: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', c.get(path).text)
    assert m, path
    return m.group(1)


@pytest.fixture
def site(world: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    from klynge.server import create_app
    from klynge.services.users import create_user

    monkeypatch.setenv(security.SECRET_ENV, "m" * 40)
    security.secret_key.cache_clear()
    security.LOGINS._failures.clear()
    security.ACCOUNTS._failures.clear()
    create_user("anna@nebel.dk", PASSWORD, "member", organisation="29863997", principal=LOCAL)
    create_user("lars@aau.dk", PASSWORD, "member", organisation="aau", principal=LOCAL)
    return create_app()


def _log_in(app: object, email: str, lang: str = "en") -> TestClient:
    c = TestClient(app)  # type: ignore[arg-type]
    c.cookies.set("klynge_lang", lang)
    r = c.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": _csrf(c, "/login")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return c


def _token(app: object, role: str, cluster: str | None = None) -> TestClient:
    c = TestClient(app)  # type: ignore[arg-type]
    c.cookies.set("klynge_lang", "en")
    token = create_token(role, cluster, principal=LOCAL).token
    r = c.post(
        "/login",
        data={"token": token, "csrf_token": _csrf(c, "/login")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return c


def test_a_member_edits_finds_asks_and_the_other_side_answers(site: object) -> None:
    anna = _log_in(site, "anna@nebel.dk")
    form = anna.get("/match/profiles/29863997")
    assert form.status_code == 200 and "What you seek" in form.text
    saved = anna.post(
        "/match/profiles/29863997",
        data={
            "csrf_token": _csrf(anna, "/match/profiles/29863997"),
            "offers": "Vi udvikler droner til inspektion af havvindmøller.",
            "seeks": "Vi søger forskning i maskinlæring og prognoser til vindmølleparker.",
            "areas": "energy-technology",
            "partner_kinds": ["research-partner"],
        },
    )
    assert saved.status_code == 200 and "Saved" in saved.text
    bad = anna.post(
        "/match/profiles/29863997",
        data={
            "csrf_token": _csrf(anna, "/match/profiles/29863997"),
            "offers": "x",
            "seeks": "y",
            "areas": "nowhere",
        },
    )
    assert bad.status_code == 422 and "nowhere" in bad.text
    # Another organisation's profile is not found, as if absent.
    assert anna.get("/match/profiles/aau").status_code == 404
    partners = anna.get("/match/recommendations/29863997")
    assert "Aalborg Universitet" in partners.text and "across languages" in partners.text
    sent = anna.post(
        "/match/requests",
        data={
            "csrf_token": _csrf(anna, "/match/profiles/29863997"),
            "sender": "29863997",
            "receiver": "aau",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    forged = anna.post(
        "/match/requests", data={"csrf_token": "x", "sender": "29863997", "receiver": "de-1"}
    )
    assert forged.status_code == 403
    lars = _log_in(site, "lars@aau.dk", lang="da")
    waiting = lars.get("/match")
    assert "Nebel Droner ApS vil gerne mødes med Aalborg Universitet" in waiting.text
    rid = re.search(r"/match/requests/(\d+)/answer", waiting.text)
    assert rid
    answered = lars.post(
        f"/match/requests/{rid.group(1)}/answer",
        data={"csrf_token": _csrf(lars, "/match/profiles/aau"), "accept": "yes"},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    assert "accepteret" in lars.get("/match").text
    # The sender cannot answer its own request.
    again = anna.post(
        f"/match/requests/{rid.group(1)}/answer",
        data={"csrf_token": _csrf(anna, "/match/profiles/29863997"), "accept": "no"},
    )
    assert again.status_code == 403


def test_staff_see_their_own_clusters_event_only(site: object) -> None:
    from klynge.services import matchmaking as mm

    event = {
        "cluster": "made",
        "ref": "b2b",
        "name": "MADE B2B",
        "tables": 2,
        "slots": [{"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"}],
        "participants": [{"email": "anna@nebel.dk"}, {"email": "lars@aau.dk"}],
    }
    mm.create_event(mm.EventIn.model_validate(event), principal=LOCAL)
    made = _token(site, "staff", "made")
    page = made.get("/match/events/b2b")
    assert page.status_code == 200 and "Lars Forsker (aau)" in page.text
    assert "MADE B2B" in made.get("/match").text
    clean = _token(site, "staff", "clean")
    assert clean.get("/match/events/b2b").status_code == 404
    member = _log_in(site, "anna@nebel.dk")
    assert member.get("/match/events/b2b").status_code == 403


def test_the_agenda_says_table_and_booth_in_danish_as_a_meeting_place(site: object) -> None:
    """The Danish agenda headed the meeting place "Tabel" (a data table; a meeting table is a
    "bord"), and a meeting at an exhibitor's booth showed only "B7", like a table's number."""
    from klynge.services import matchmaking as mm

    event = {
        "cluster": "made",
        "ref": "b2b",
        "name": "MADE B2B",
        "tables": 2,
        "slots": [
            {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"},
            {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
        ],
        "participants": [
            {"email": "anna@nebel.dk", "available": [0]},
            {"email": "lars@aau.dk"},
            {"email": "ute@rotorblatt.de", "booth": "B7", "available": [1]},
        ],
    }
    mm.create_event(mm.EventIn.model_validate(event), principal=LOCAL)
    for sender, receiver in (("29863997", "aau"), ("de-1", "aau")):
        r = mm.request_meeting(sender, receiver, event="b2b", principal=LOCAL)
        mm.answer_request(r.id, True, principal=LOCAL)
    mm.schedule_event("b2b", principal=LOCAL)
    lars = _log_in(site, "lars@aau.dk", "da")
    page = lars.get("/match/events/b2b/agenda").text
    assert "Tabel" not in page and ">Hvor<" in page, page
    assert "bord 1" in page and "stand B7" in page, page
    english = _log_in(site, "lars@aau.dk", "en").get("/match/events/b2b/agenda").text
    assert ">Where<" in english and "table 1" in english and "booth B7" in english
    staff = _token(site, "staff", "made")
    staff.cookies.set("klynge_lang", "da")
    sheet = staff.get("/match/events/b2b").text
    assert "Tabel" not in sheet and "stand B7" in sheet and "bord 1" in sheet, sheet
