"""Bad events: each problem is named with its field, in Danish and English; all at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from klynge.errors import InvalidInput
from klynge.matchmaking.events import Request, expire_requests, parse_event, reminders_due
from klynge.matchmaking.schedule import schedule


def base() -> dict[str, Any]:
    return {
        "slots": 3,
        "tables": 2,
        "participants": [
            {"id": "a", "available": [0, 1]},
            {"id": "b", "available": [1, 2]},
            {"id": "c", "available": [2]},
        ],
        "requests": [["a", "b"]],
    }


def problems(data: dict[str, Any]) -> list[tuple[str | None, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_event(data, file="event.json")
    err = caught.value
    assert err.error_code == "invalid-event"
    out = []
    for text, loc in err.details:
        assert loc is not None and loc.file == "event.json"
        assert text.da != text.en
        out.append((loc.field, text.en, text.da))
    return out


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["requests"].append(["a", "zz"]), "requests.1.to", "unknown participant"),
        (lambda d: d["requests"].append(["a", "a"]), "requests.1", "themselves"),
        (lambda d: d["requests"].append(["a", "b"]), "requests.1", "duplicate"),
        (lambda d: d.update(tables=0), "tables", "at least 1"),
        (
            lambda d: d["participants"][0].update(available=[0, 7]),
            "participants.0.available",
            "outside",
        ),
        (lambda d: d["participants"].append({"id": "a"}), "participants.3.id", "twice"),
        (
            lambda d: d.update(
                slots=[
                    {"start": "2026-05-01T09:00", "end": "2026-05-01T09:30"},
                    {"start": "2026-05-01T09:20", "end": "2026-05-01T09:50"},
                ]
            ),
            "slots.1",
            "overlaps",
        ),
        (lambda d: d.update(locked=[{"a": "a", "b": "c", "slot": 0}]), "locked.0", "not available"),
    ],
)
def test_each_bad_input_is_named(change: Any, field: str, words: str) -> None:
    data = base()
    change(data)
    found = problems(data)
    assert any(f == field and words in en for f, en, _ in found), found


def test_all_problems_are_reported_at_once() -> None:
    data = base()
    data["tables"] = 0
    data["requests"] += [["a", "a"], ["x", "b"]]
    assert len(problems(data)) == 3


def test_breaks_between_slots_are_fine() -> None:
    data = base()
    data["slots"] = [
        {"start": "2026-05-01T09:00", "end": "2026-05-01T09:20", "session": "morning"},
        {"start": "2026-05-01T09:30", "end": "2026-05-01T09:50", "session": "morning"},
        {"start": "2026-05-01T13:00", "end": "2026-05-01T13:20", "session": "afternoon"},
    ]
    assert len(parse_event(data).slots) == 3


def test_no_shared_slot_is_unplaceable_not_an_error() -> None:
    data = base()
    data["requests"] = [["a", "c"], ["b", "c"]]
    result = schedule(parse_event(data), seconds=0.05)
    assert [(p.a, p.b, p.reason) for p in result.unplaceable] == [("a", "c", "no-shared-slot")]
    assert result.placed == 1
    assert result.bound == 1


def test_only_accepted_requests_are_scheduled_and_expiry() -> None:
    data = base()
    data["requests"] = [
        {"from": "a", "to": "b", "state": "declined"},
        {"from": "b", "to": "c", "state": "requested", "sent": "2026-04-01"},
    ]
    event = parse_event(data)
    assert schedule(event, seconds=0.05).placed == 0
    later = expire_requests(event.requests, date(2026, 4, 15), days=14)
    assert [r.state for r in later] == ["declined", "expired"]
    assert reminders_due(event.requests, date(2026, 4, 13), days=14) == [1]
    assert reminders_due(event.requests, date(2026, 4, 2), days=14) == []
    assert isinstance(later[1], Request)


def test_mutual_requests_form_one_meeting_placed_first() -> None:
    data = {
        "slots": 1,
        "tables": 1,
        "participants": [{"id": i} for i in range(4)],
        "requests": [[0, 1], [2, 3], [3, 2]],
    }
    result = schedule(parse_event(data), seconds=0.05, method="greedy")
    assert [(m.a, m.b, m.tier) for m in result.meetings] == [(2, 3, "mutual")]
    assert [(p.a, p.b) for p in result.standby] == [(0, 1)]


def test_locked_meetings_that_clash_are_refused() -> None:
    data = base()
    data["locked"] = [{"a": "a", "b": "b", "slot": 1}, {"a": "b", "b": "c", "slot": 1}]
    assert any("already has a locked meeting" in en for _, en, _ in problems(data))


@pytest.mark.parametrize(
    ("change", "field", "en", "da"),
    [
        (lambda d: d.update(tables=True), "tables", "whole number", "helt tal"),
        (lambda d: d.update(tables="two"), "tables", "whole number", "helt tal"),
        (lambda d: d.update(slots="four"), "slots", "number of slots or a list", "antal"),
        (
            lambda d: d["participants"][0].update(available="0,1"),
            "participants.0.available",
            "list",
            "liste",
        ),
        (
            lambda d: d["participants"][0].update(available=[True]),
            "participants.0.available.0",
            "whole number",
            "helt tal",
        ),
        (
            lambda d: d["participants"][0].update(id=["a"]),
            "participants.0.id",
            "number or text",
            "tal eller tekst",
        ),
        (lambda d: d["requests"].append(["a", "b", "c"]), "requests.1", "[from, to]", "[fra, til]"),
        (lambda d: d["requests"].append("a-b"), "requests.1", "[from, to]", "[fra, til]"),
        (lambda d: d["requests"].append({"from": "a"}), "requests.1.to", "required", "udfyldes"),
        (
            lambda d: d["requests"].append({"from": "a", "to": "c", "state": "yes"}),
            "requests.1.state",
            "one of",
            "en af",
        ),
    ],
)
def test_wrong_types_are_named_in_both_languages(change: Any, field: str, en: str, da: str) -> None:
    """A value of the wrong type gets the field a person can find in the file (no validator
    internals such as ``id.int`` or "instance of Request") and words in Danish and English; a
    JSON ``true`` is not silently read as the number 1."""
    data = base()
    change(data)
    found = problems(data)
    assert [f for f, _, _ in found] == [field], found
    _, text_en, text_da = found[0]
    assert en in text_en and da in text_da, found
    assert "Input should" not in text_en + text_da and "instance of" not in text_en, found
