"""The organiser's workbook and the personal .ics follow their formats' rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from openpyxl import load_workbook

from klynge.services import events as svc

LONG = "Nordisk Robotteknologi og Automation"  # the same first 31 characters twice below


def _event(tmp_path: Path) -> Path:
    doc = {
        "name": "expo",
        "slots": [
            {"start": f"2026-05-01T{9 + i:02d}:00:00", "end": f"2026-05-01T{9 + i:02d}:20:00"}
            for i in range(3)
        ],
        "tables": 1,
        "participants": [
            {"id": "a", "name": "A", "organisation": "Acme"},
            {"id": "b", "name": "B", "organisation": "Bee", "booth": f"{LONG} / hal 1"},
            {"id": "c", "name": "C", "organisation": "Cee", "booth": f"{LONG} / hal 2"},
            {"id": "d", "name": "D", "organisation": "Dee", "booth": "[7]: *?"},
        ],
        "requests": [["a", "b"], ["a", "c"], ["a", "d"]],
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_every_booth_keeps_a_sheet_of_its_own(tmp_path: Path) -> None:
    event = svc.load_event(_event(tmp_path))
    sched = svc.schedule_event(event, seconds=0.5)
    assert len(sched.meetings) == 3  # each at its booth, no table needed
    out = tmp_path / "plan.xlsx"
    assert svc.export_xlsx(event, sched, out) == 3
    wb = load_workbook(out)
    assert len(wb.sheetnames) == len({n.lower() for n in wb.sheetnames}) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)
    partners = sorted(ws.cell(row=2, column=6).value for ws in wb.worksheets)
    assert partners == ["B", "C", "D"]  # every booth's meeting is on its own sheet


def test_the_ics_stamp_is_when_it_was_written_in_utc(tmp_path: Path) -> None:
    event = svc.load_event(_event(tmp_path))
    sched = svc.schedule_event(event, seconds=0.5)
    before = datetime.now(UTC).replace(microsecond=0)
    cal = Calendar.from_ical(svc.agenda_ics(svc.agenda(event, sched, "a"), "en"))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3
    for ev in events:
        stamp = ev.decoded("dtstamp")
        assert stamp.tzinfo is not None and stamp.utcoffset() == timedelta(0)
        assert before <= stamp <= datetime.now(UTC) + timedelta(seconds=1)
