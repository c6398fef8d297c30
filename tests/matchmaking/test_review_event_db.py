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


@pytest.mark.parametrize("offset", ["+01:00", "+02:00", "Z", "-05:00"])
def test_slot_times_with_an_offset_keep_the_organisers_clock_on_every_database(
    world: Path, offset: str
) -> None:
    """Slots are stored without a zone: PostgreSQL used to shift them to UTC while SQLite
    kept the wall time, so the same event printed different hours in agendas and .ics."""
    from datetime import datetime

    given = [("2026-11-20T10:00:00", "2026-11-20T10:20:00")]
    given.append(("2026-11-20T10:20:00", "2026-11-20T10:40:00"))
    ev = dict(
        EVENT,
        ref="tz",
        slots=[{"start": a + offset, "end": b + offset} for a, b in given],
    )
    mm.create_event(mm.EventIn.model_validate(ev), principal=MADE)
    doc = mm.event_document("tz", principal=MADE)
    got = [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])) for s in doc["slots"]
    ]
    want = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in given]
    assert got == want


def test_slots_mixing_zones_are_refused_as_input_not_a_crash(world: Path) -> None:
    from klynge.errors import InvalidInput

    ev = dict(
        EVENT,
        ref="mix",
        slots=[
            {"start": "2026-11-20T10:00:00+01:00", "end": "2026-11-20T10:20:00+01:00"},
            {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
        ],
    )
    with pytest.raises(InvalidInput) as err:
        mm.create_event(mm.EventIn.model_validate(ev), principal=MADE)
    assert any(
        loc is not None and (loc.field or "").startswith("slots") for _, loc in err.value.details
    )
    assert mm.list_events(principal=MADE) == []  # nothing saved


def test_requests_with_a_side_not_taking_part_are_counted_not_dropped(world: Path) -> None:
    """Ute's organisation has no participant: its accepted request cannot be placed, and the
    organiser is told how many such requests there are (not just standby and unplaceable)."""
    mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    pairs = (("29863997", "aau"), ("aau", "de-1"), ("de-1", "29863997"))
    for sender, receiver in pairs:
        r = mm.request_meeting(sender, receiver, event="b2b", principal=ADMIN, today=DAY)
        mm.answer_request(r.id, True, principal=member(receiver), today=DAY)
    summary = mm.schedule_event("b2b", principal=MADE)
    assert summary.placed == 1
    assert summary.left_out == 2
    assert mm.published_schedule("b2b", principal=MADE).left_out == 2


def test_the_command_line_warns_about_left_out_requests(world: Path) -> None:
    from typer.testing import CliRunner

    from klynge.cli.main import app

    mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    r = mm.request_meeting("aau", "de-1", event="b2b", principal=ADMIN, today=DAY)
    mm.answer_request(r.id, True, principal=member("de-1"), today=DAY)
    for lang, word in (("en", "warning: 1 request(s)"), ("da", "advarsel: 1 anmodning(er)")):
        out = CliRunner().invoke(app, ["match", "event", "schedule", "b2b", "--lang", lang])
        assert out.exit_code == 0, out.output
        assert word in out.output


def test_only_accepted_requests_count_as_left_out(world: Path) -> None:
    """A request still waiting for an answer, or declined, from an organisation without a
    participant was counted in "N request(s) ... are not scheduled": no request of that kind
    is ever scheduled, so the organiser chased requests that were not theirs to place."""
    mm.create_event(mm.EventIn.model_validate(EVENT), principal=MADE)
    waiting = mm.request_meeting("aau", "de-1", event="b2b", principal=ADMIN, today=DAY)
    declined = mm.request_meeting("de-1", "29863997", event="b2b", principal=ADMIN, today=DAY)
    mm.answer_request(declined.id, False, principal=member("29863997"), today=DAY)
    assert waiting.state == "requested"
    assert mm.event_document("b2b", principal=MADE)["left_out"] == 0
    assert mm.schedule_event("b2b", principal=MADE).left_out == 0
    mm.answer_request(waiting.id, True, principal=member("de-1"), today=DAY)
    assert mm.schedule_event("b2b", principal=MADE).left_out == 1
