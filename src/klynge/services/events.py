"""Brokerage events from files: schedule, re-schedule, personal agendas and the organiser's sheets.

Each function is one use case for the faces (``klynge event ...``). They read an event as JSON
(the format of :mod:`klynge.matchmaking.events`, including the short form the benchmark's
generator prints) and a schedule as the JSON ``klynge event schedule --json`` wrote. Database-
backed events live in another service module; both end up in the same scheduler.

The scheduler and HiGHS load inside the functions, so that the CLI starts fast.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from klynge.errors import InvalidInput, Location, NotFound, field_problem
from klynge.i18n import Text
from klynge.matchmaking.events import Event, ParticipantId

if TYPE_CHECKING:
    from klynge.matchmaking.schedule import Schedule
    from klynge.matchmaking.schedule_replan import Replan

METHODS = ("auto", "search", "greedy", "exact")


def read_json(path: Path) -> Any:
    """A JSON file, or a problem naming the file (and the line and column of a syntax error)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(
            Text(da=f"Filen {path} findes ikke", en=f"The file {path} does not exist"),
            location=Location(file=str(path)),
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = (
            f"linje {exc.lineno}, kolonne {exc.colno}",
            f"line {exc.lineno}, column {exc.colno}",
        )
        raise InvalidInput(
            Text(
                da=f"Ugyldig JSON i {where[0]}: {exc.msg}",
                en=f"Invalid JSON at {where[1]}: {exc.msg}",
            ),
            code="invalid-json",
            location=Location(file=str(path)),
        ) from None


def load_event(path: Path) -> Event:
    """Read and validate an event file (every problem reported at once)."""
    from klynge.matchmaking.events import parse_event

    return parse_event(read_json(path), file=str(path))


def load_schedule(path: Path, event: Event | None = None) -> Schedule:
    """Read a schedule written by :func:`schedule_event` (``--json``).

    With ``event``, the plan must fit it (agendas and workbooks are made from both): a meeting
    naming someone who is not in the event, or a slot or table it lacks, is named, since the plan
    was made for another version of the event and :func:`reschedule_event` is what fits it."""
    sched = _read_schedule(path)
    if event is not None:
        _check_plan(sched, event, path)
    return sched


def _check_plan(sched: Schedule, event: Event, path: Path) -> None:
    people = {p.id for p in event.participants}
    problems: list[tuple[Text, Location | None]] = []
    for k, m in enumerate(sched.meetings):
        for end, pid in (("a", m.a), ("b", m.b)):
            if pid not in people:
                problems.append(
                    (
                        Text(
                            da=f"{pid!r} er ikke med i arrangementet",
                            en=f"{pid!r} is not in the event",
                        ),
                        Location(file=str(path), field=f"meetings.{k}.{end}"),
                    )
                )
        if not 0 <= m.slot < len(event.slots):
            problems.append(
                (
                    Text(
                        da=f"arrangementet har intet tidsrum {m.slot}",
                        en=f"the event has no slot {m.slot}",
                    ),
                    Location(file=str(path), field=f"meetings.{k}.slot"),
                )
            )
        if m.table is not None and not 0 <= m.table < event.tables:
            problems.append(
                (
                    Text(
                        da=f"arrangementet har intet bord {m.table + 1}",
                        en=f"the event has no table {m.table + 1}",
                    ),
                    Location(file=str(path), field=f"meetings.{k}.table"),
                )
            )
    if problems:
        raise InvalidInput(
            Text(
                da="Mødeplanen passer ikke til arrangementet (den blev lavet til en anden "
                "udgave): genplanlæg med `klynge event reschedule ARRANGEMENT PLAN`",
                en="The schedule does not fit the event (it was made for another version of "
                "it): re-plan with `klynge event reschedule EVENT PLAN`",
            ),
            code="schedule-mismatch",
            location=Location(file=str(path)),
            details=problems,
        )


def _read_schedule(path: Path) -> Schedule:
    from klynge.matchmaking.schedule import Schedule

    data = read_json(path)
    if isinstance(data, dict) and "schedule" in data and "meetings" not in data:
        data = data["schedule"]  # a re-scheduling result
    try:
        return Schedule.model_validate(data)
    except ValidationError as exc:
        # Every problem, worded per field in both languages (not the validator's English).
        details = [
            (field_problem(e), Location(file=str(path), field=".".join(map(str, e["loc"]))))
            for e in exc.errors()
        ]
        raise InvalidInput(
            Text(
                da="Ikke en mødeplan skrevet af `klynge event schedule --json`",
                en="Not a schedule written by `klynge event schedule --json`",
            ),
            code="invalid-schedule",
            location=Location(file=str(path)),
            details=details,
        ) from None


def schedule_event(
    event: Event | Path,
    *,
    seconds: float = 2.0,
    exact_seconds: float = 30.0,
    method: str = "auto",
    seed: int = 0,
    keep: Schedule | Path | None = None,
) -> Schedule:
    """Place the accepted requests of an event; the result carries its proven upper bound.

    ``keep``: a published plan whose meetings stay put; only the unbooked slots are scheduled.
    """
    from klynge.matchmaking.schedule import schedule

    if method not in METHODS:
        raise InvalidInput(
            Text(
                da=f"Ukendt metode {method!r}: brug {', '.join(METHODS)}",
                en=f"Unknown method {method!r}: use {', '.join(METHODS)}",
            ),
            code="bad-method",
            location=Location(field="method"),
        )
    if seconds <= 0:
        raise InvalidInput(
            Text(da="Tiden skal være positiv", en="The time limit must be positive"),
            code="bad-seconds",
            location=Location(field="seconds"),
        )
    ev = load_event(event) if isinstance(event, Path) else event
    kept = (
        [] if keep is None else (load_schedule(keep) if isinstance(keep, Path) else keep).meetings
    )
    return schedule(
        ev,
        seconds=seconds,
        exact_seconds=exact_seconds,
        method=method,
        seed=seed,
        keep=kept,
        keep_file=str(keep) if isinstance(keep, Path) else None,
    )


def reschedule_event(event: Event | Path, published: Schedule | Path) -> Replan:
    """Re-plan after a change to the event, keeping the published meetings where they are."""
    from klynge.matchmaking.schedule_replan import reschedule

    ev = load_event(event) if isinstance(event, Path) else event
    old = load_schedule(published) if isinstance(published, Path) else published
    return reschedule(ev, old.meetings, waiting=[(p.a, p.b) for p in old.standby])


class AgendaItem(BaseModel):
    slot: int
    start: datetime | None
    end: datetime | None
    session: str | None
    partner: ParticipantId
    partner_name: str | None
    partner_organisation: str | None
    table: int | None
    booth: str | None


class Agenda(BaseModel):
    """One participant's meetings in time order."""

    participant: ParticipantId
    name: str | None
    organisation: str | None
    event: str | None
    items: list[AgendaItem]


def _find(event: Event, participant: str | ParticipantId) -> ParticipantId:
    for p in event.participants:
        if p.id == participant or str(p.id) == str(participant):
            return p.id
    raise NotFound(
        Text(
            da=f"Deltageren {participant!r} er ikke med i arrangementet",
            en=f"Participant {participant!r} is not in the event",
        ),
        code="unknown-participant",
        location=Location(field="participant"),
    )


def agenda(event: Event, sched: Schedule, participant: str | ParticipantId) -> Agenda:
    """The personal agenda of one participant."""
    pid = _find(event, participant)
    people = {p.id: p for p in event.participants}
    items = []
    for m in sched.meetings:
        if pid not in (m.a, m.b):
            continue
        if not 0 <= m.slot < len(event.slots):
            raise InvalidInput(
                Text(
                    da=f"Mødeplanen bruger tidsrum {m.slot}, som arrangementet ikke har",
                    en=f"The schedule uses slot {m.slot}, which the event does not have",
                ),
                code="schedule-mismatch",
            )
        other = m.b if m.a == pid else m.a
        slot = event.slots[m.slot]
        partner = people.get(other)
        items.append(
            AgendaItem(
                slot=m.slot,
                start=slot.start,
                end=slot.end,
                session=slot.session,
                partner=other,
                partner_name=partner.name if partner else None,
                partner_organisation=partner.organisation if partner else None,
                table=m.table,
                booth=m.booth,
            )
        )
    # In time order: a slot added later has a higher index but may come earlier in the day.
    items.sort(key=lambda i: (i.start is None, i.start or datetime.min, i.slot))
    me = people[pid]
    return Agenda(
        participant=pid, name=me.name, organisation=me.organisation, event=event.name, items=items
    )


def where(item: AgendaItem, lang: str | None) -> str:
    """Table or booth, for people (tables are numbered from 1 on paper)."""
    if item.booth is not None:
        return ("stand " if lang == "da" else "booth ") + item.booth
    if item.table is None:
        return ""
    return ("bord " if lang == "da" else "table ") + str(item.table + 1)


def agenda_ics(ag: Agenda, lang: str | None = None) -> bytes:
    """The agenda as an iCalendar file (one VEVENT per meeting); slots need times for it."""
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

    if any(i.start is None or i.end is None for i in ag.items):
        raise InvalidInput(
            Text(
                da="Arrangementets tidsrum har ingen klokkeslæt, så en .ics-fil kan ikke laves",
                en="The event's slots have no times, so no .ics file can be made",
            ),
            code="no-slot-times",
            location=Location(field="slots"),
        )
    stamp = datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//klynge//matchmaking//EN")
    cal.add("version", "2.0")
    for i in ag.items:
        ev = IcsEvent()
        who = i.partner_name or str(i.partner)
        if i.partner_organisation:
            who += f" ({i.partner_organisation})"
        ev.add("summary", ("Møde med " if lang == "da" else "Meeting with ") + who)
        # A time with a UTC offset but no named zone would need a VTIMEZONE to be valid
        # (RFC 5545): write it in UTC. A time without an offset stays the venue's clock.
        for key, when in (("dtstart", i.start), ("dtend", i.end)):
            assert when is not None  # checked above
            ev.add(key, when.astimezone(UTC) if when.utcoffset() is not None else when)
        ev.add("location", where(i, lang))
        ev.add("uid", f"{ag.event or 'event'}-{ag.participant}-{i.slot}@klynge")
        ev.add("dtstamp", stamp)  # RFC 5545: when the file was written, in UTC
        cal.add_component(ev)
    return bytes(cal.to_ical())


_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet title Excel accepts (31 characters, none of []:*?/\\) that no other sheet of the
    workbook has: two booths whose names differ only after 31 characters keep a sheet each."""
    base = name.translate(_SHEET_FORBIDDEN).strip("'")[:31] or "-"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _when(event: Event, slot: int) -> tuple[bool, datetime, int]:
    """A slot's place in time: slots are numbered in the order they were made, not by time."""
    start = event.slots[slot].start if 0 <= slot < len(event.slots) else None
    return (start is None, start or datetime.min, slot)


def export_xlsx(event: Event, sched: Schedule, out: Path, lang: str | None = None) -> int:
    """The organiser's schedule: one sheet per table (and one per booth). Returns the sheets."""
    from openpyxl import Workbook

    names = {p.id: (p.name or str(p.id), p.organisation or "") for p in event.participants}
    da = lang == "da"
    places: dict[str, list[Any]] = {}
    for t in range(event.tables):
        places[f"{'Bord' if da else 'Table'} {t + 1}"] = []
    for m in sched.meetings:
        key = (
            f"{'Stand' if da else 'Booth'} {m.booth}"
            if m.booth is not None
            else f"{'Bord' if da else 'Table'} {(m.table or 0) + 1}"
        )
        places.setdefault(key, []).append(m)
    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    header = (
        ["tidsrum", "start", "slut", "deltager A", "organisation A", "deltager B", "organisation B"]
        if da
        else [
            "slot",
            "start",
            "end",
            "participant A",
            "organisation A",
            "participant B",
            "organisation B",
        ]
    )
    sheets = 0
    titles: set[str] = set()
    for key, meetings in places.items():
        if not meetings:
            continue
        ws = wb.create_sheet(_sheet_title(key, titles))
        ws.append(header)
        for m in sorted(meetings, key=lambda m: _when(event, m.slot)):
            slot = event.slots[m.slot] if m.slot < len(event.slots) else None
            a, b = names.get(m.a, (str(m.a), "")), names.get(m.b, (str(m.b), ""))
            ws.append(
                [
                    m.slot,
                    slot.start.isoformat() if slot and slot.start else "",
                    slot.end.isoformat() if slot and slot.end else "",
                    a[0],
                    a[1],
                    b[0],
                    b[1],
                ]
            )
        sheets += 1
    if sheets == 0:
        ws = wb.create_sheet("Schedule")
        ws.append(header)
    wb.save(out)
    return sheets
