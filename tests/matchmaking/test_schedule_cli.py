"""`klynge event schedule|agenda|export|reschedule` on files, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from klynge.cli.main import app

runner = CliRunner()

EVENT = {
    "name": "demo",
    "slots": [
        {"start": "2026-05-01T09:00:00", "end": "2026-05-01T09:20:00"},
        {"start": "2026-05-01T09:30:00", "end": "2026-05-01T09:50:00"},
    ],
    "tables": 1,
    "participants": [
        {"id": "ann", "name": "Ann", "organisation": "Acme"},
        {"id": "bo", "name": "Bo", "organisation": "DTU"},
        {"id": "cy", "name": "Cy", "organisation": "Expo", "booth": "7"},
        {"id": "di", "available": [1]},
    ],
    "requests": [["ann", "bo"], ["bo", "cy"], ["ann", "cy"], ["di", "ann"]],
}


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["event", *args], env={"KLYNGE_LANG": None})
    return result.exit_code, result.output


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(EVENT))
    code, out = run("schedule", str(event), "--json")
    assert code == 0, out
    sched = tmp_path / "schedule.json"
    sched.write_text(out)
    return event, sched


def test_schedule_json_shape(files: tuple[Path, Path]) -> None:
    data = json.loads(files[1].read_text())
    assert {"placed", "bound", "bound_method", "meetings"} <= set(data)
    assert data["placed"] == len(data["meetings"]) <= data["bound"]
    for m in data["meetings"]:
        assert {"a", "b", "slot", "table"} <= set(m)
        assert m["slot"] in (0, 1)
        assert m["table"] in (0, None)
    # One table per slot, and the booth meetings need none: all four fit (ann and di share 1).
    assert data["placed"] == 3 == data["bound"]


def test_generator_short_form(tmp_path: Path) -> None:
    event = tmp_path / "short.json"
    event.write_text(
        json.dumps(
            {
                "kind": "reference",
                "seed": 1,
                "slots": 2,
                "tables": 1,
                "participants": [{"id": 0, "available": [0, 1]}, {"id": 1, "available": [1]}],
                "requests": [[0, 1]],
            }
        )
    )
    code, out = run("schedule", str(event), "--json")
    assert code == 0
    data = json.loads(out)
    assert {"a": 0, "b": 1, "slot": 1, "table": 0}.items() <= data["meetings"][0].items()


def test_summary_in_both_languages(files: tuple[Path, Path]) -> None:
    code, out = run("schedule", str(files[0]))
    assert code == 0 and "within 100.00% of the best possible" in out
    code, out = run("schedule", str(files[0]), "--lang", "da")
    assert code == 0 and "af det bedst mulige" in out


def test_agenda_and_ics(files: tuple[Path, Path], tmp_path: Path) -> None:
    ics = tmp_path / "ann.ics"
    code, out = run(
        "agenda", str(files[0]), str(files[1]), "--participant", "ann", "--ics", str(ics), "--json"
    )
    assert code == 0
    agenda = json.loads(out)
    partners = {i["partner"] for i in agenda["items"]}
    assert len(agenda["items"]) == len(partners) >= 1
    cal = Calendar.from_ical(ics.read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == len(agenda["items"])
    code, out = run("agenda", str(files[0]), str(files[1]), "-p", "nobody")
    assert code != 0 and "nobody" in out


def test_export_one_sheet_per_table(files: tuple[Path, Path], tmp_path: Path) -> None:
    xlsx = tmp_path / "plan.xlsx"
    code, _ = run("export", str(files[0]), str(files[1]), "--out", str(xlsx))
    assert code == 0
    wb = load_workbook(xlsx)
    sched = json.loads(files[1].read_text())
    expected = {"Table 1"} | {f"Booth {m['booth']}" for m in sched["meetings"] if m["booth"]}
    assert set(wb.sheetnames) == expected
    rows = sum(ws.max_row - 1 for ws in wb.worksheets)
    assert rows == sched["placed"]


def test_bad_event_is_one_clear_error(tmp_path: Path) -> None:
    event = tmp_path / "bad.json"
    event.write_text(
        json.dumps({"slots": 2, "tables": 0, "participants": [{"id": 1}], "requests": [[1, 1]]})
    )
    code, out = run("schedule", str(event), "--json")
    assert code == 2
    err = json.loads(out)["error"]
    assert err["code"] == "invalid-event"
    assert {e["location"]["field"] for e in err["errors"]} == {"tables", "requests.0"}


def test_reschedule_after_withdrawal(files: tuple[Path, Path], tmp_path: Path) -> None:
    data = dict(EVENT)
    data["participants"] = [p for p in EVENT["participants"] if p["id"] != "cy"]
    data["requests"] = [r for r in EVENT["requests"] if "cy" not in r]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    code, out = run("reschedule", str(changed), str(files[1]), "--json")
    assert code == 0
    result = json.loads(out)
    assert all("cy" in (d["a"], d["b"]) for d in result["dropped"])
    assert result["moved"] == []


@pytest.mark.parametrize(
    ("lang", "dropped", "why", "added"),
    [
        ("en", "Dropped meetings", "a participant left the event", "New meetings"),
        ("da", "Aflyste møder", "en deltager har forladt arrangementet", "Nye møder"),
    ],
)
def test_reschedule_names_what_was_dropped_and_added(
    files: tuple[Path, Path], tmp_path: Path, lang: str, dropped: str, why: str, added: str
) -> None:
    """The summary said "1 dropped" without saying which meeting or why, and never listed the
    meetings added from the standby list: an organiser could not tell whom to tell."""
    data = json.loads(json.dumps(EVENT))
    data["participants"] = [p for p in data["participants"] if p["id"] != "cy"]
    data["participants"].append({"id": "ed", "name": "Ed", "available": [0, 1]})
    data["requests"] = [r for r in data["requests"] if "cy" not in r] + [["ed", "bo"]]
    data["tables"] = 2  # room for Ed and Bo where Cy's booth meeting was
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    result = runner.invoke(
        app, ["event", "reschedule", str(changed), str(files[1]), "--lang", lang], env={}
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(files[1].read_text())
    gone = [m for m in plan["meetings"] if "cy" in (m["a"], m["b"])]
    assert gone and dropped in result.output and why in result.output, result.output
    assert added in result.output and "ed" in result.output, result.output


def test_keeping_a_plan_that_no_longer_fits_names_the_plans_meeting(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    """`--keep plan.json` after Cy withdrew said "field locked.1.b: unknown participant 'cy'":
    the organiser wrote no locked meetings. The problem is the plan's meeting, named in the plan,
    with the command that re-plans instead."""
    data = json.loads(json.dumps(EVENT))
    data["participants"] = [p for p in data["participants"] if p["id"] != "cy"]
    data["requests"] = [r for r in data["requests"] if "cy" not in r]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    plan = json.loads(files[1].read_text())
    k = next(i for i, m in enumerate(plan["meetings"]) if "cy" in (m["a"], m["b"]))
    code, out = run("schedule", str(changed), "--keep", str(files[1]), "--json")
    assert code == 2, out
    err = json.loads(out)["error"]
    fields = [(e["location"].get("file"), e["location"]["field"]) for e in err["errors"]]
    assert fields and all(f == str(files[1]) for f, _ in fields), fields
    assert all(x.startswith(f"meetings.{k}") for _, x in fields), fields
    assert "reschedule" in err["detail"], err
    result = runner.invoke(
        app, ["event", "schedule", str(changed), "--keep", str(files[1]), "--lang", "da"], env={}
    )
    assert result.exit_code == 2 and "locked" not in result.output, result.output
    assert "genplanlæg" in result.output or "reschedule" in result.output, result.output


def test_unbooked_slots_only(files: tuple[Path, Path], tmp_path: Path) -> None:
    data = json.loads(json.dumps(EVENT))
    data["participants"].append({"id": "ed", "available": [0, 1]})
    data["requests"].append(["ed", "di"])
    event = tmp_path / "more.json"
    event.write_text(json.dumps(data))
    code, out = run("schedule", str(event), "--keep", str(files[1]), "--json")
    assert code == 0, out
    before = json.loads(files[1].read_text())["meetings"]
    after = {(m["a"], m["b"]): (m["slot"], m["table"]) for m in json.loads(out)["meetings"]}
    for m in before:
        assert after[m["a"], m["b"]] == (m["slot"], m["table"])


def test_a_file_that_is_not_a_plan_gets_every_problem_in_the_users_language(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    """A plan missing its fields said "Ikke en mødeplan: Field required" (English inside the
    Danish) and named only the first missing field."""
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"placed": "many", "meetings": [{"a": "ann"}]}))
    result = runner.invoke(
        app, ["event", "agenda", str(files[0]), str(bad), "-p", "ann", "--lang", "da"], env={}
    )
    assert result.exit_code == 2, result.output
    out = result.output
    assert "Field required" not in out and "Input should" not in out, out
    for field in ("placed", "bound", "meetings.0.b", "meetings.0.slot"):
        assert f"felt {field}:" in out, out
    assert "skal udfyldes" in out and "helt tal" in out, out


@pytest.mark.parametrize("verb", ["agenda", "export"])
def test_a_plan_made_for_another_version_of_the_event_is_named(
    files: tuple[Path, Path], tmp_path: Path, verb: str
) -> None:
    """After Bo withdrew, `klynge event agenda changed.json plan.json -p ann` listed a meeting
    with "bo" (no name, no organisation) as if it stood, and the workbook printed it: the plan's
    meetings that name someone not in the event, or a slot or table it lacks, are named."""
    data = json.loads(json.dumps(EVENT))
    data["participants"] = [p for p in data["participants"] if p["id"] != "bo"]
    data["requests"] = [r for r in data["requests"] if "bo" not in r]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    plan = json.loads(files[1].read_text())
    stale = [i for i, m in enumerate(plan["meetings"]) if "bo" in (m["a"], m["b"])]
    assert stale
    args = ["-p", "ann"] if verb == "agenda" else ["--out", str(tmp_path / "plan.xlsx")]
    code, out = run(verb, str(changed), str(files[1]), *args, "--json")
    assert code == 2, out
    err = json.loads(out)["error"]
    fields = {e["location"]["field"] for e in err["errors"]}
    assert fields == {
        f"meetings.{i}.{end}"
        for i in stale
        for end in ("a", "b")
        if plan["meetings"][i][end] == "bo"
    }, fields
    assert all(e["location"]["file"] == str(files[1]) for e in err["errors"])
    assert "reschedule" in err["detail"]


def test_a_database_events_ref_given_as_a_file_gets_a_hint(tmp_path: Path) -> None:
    """`klynge event schedule b2b-2026` (an event kept in the database) answered only "the file
    b2b-2026 does not exist"; the issue's faces name `klynge event schedule` for both."""
    result = runner.invoke(app, ["event", "schedule", "b2b-2026", "--lang", "da"], env={})
    assert result.exit_code == 2
    assert "klynge match event schedule b2b-2026" in result.output, result.output
    result = runner.invoke(app, ["event", "schedule", str(tmp_path / "gone.json")], env={})
    assert result.exit_code == 2 and "klynge match" not in result.output, result.output


def test_malformed_json_names_its_line_and_column(tmp_path: Path) -> None:
    """A JSON syntax error was placed at "row 2", a spreadsheet's word, without the column."""
    bad = tmp_path / "event.json"
    bad.write_text('{"slots": 4,\n  "tables": 2,, "participants": []}\n')
    code, out = run("schedule", str(bad))
    assert code == 2
    assert "line 2, column 15" in out, out


def test_times_with_an_offset_are_written_to_the_calendar_in_utc(tmp_path: Path) -> None:
    """Slots given as 09:00+01:00 became DTSTART;TZID="+01:00" with no VTIMEZONE of that name:
    not valid iCalendar (RFC 5545 3.2.19), and read as local time or refused by calendars."""
    data = {
        "name": "tz",
        "slots": [{"start": "2027-03-10T09:00:00+01:00", "end": "2027-03-10T09:20:00+01:00"}],
        "tables": 1,
        "participants": [{"id": "a"}, {"id": "b"}],
        "requests": [["a", "b"]],
    }
    event, plan, ics = tmp_path / "e.json", tmp_path / "p.json", tmp_path / "a.ics"
    event.write_text(json.dumps(data))
    code, out = run("schedule", str(event), "--json")
    assert code == 0, out
    plan.write_text(out)
    code, out = run("agenda", str(event), str(plan), "-p", "a", "--ics", str(ics))
    assert code == 0, out
    raw = ics.read_bytes()
    assert b"TZID" not in raw or b"BEGIN:VTIMEZONE" in raw, raw
    (meeting,) = Calendar.from_ical(raw).walk("VEVENT")
    start = meeting.decoded("dtstart")
    assert start.utcoffset() is not None and start.isoformat() == "2027-03-10T08:00:00+00:00"
