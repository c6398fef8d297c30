"""The brokerage event: slots, tables, participants, meeting requests and locked meetings.

An event arrives as JSON, either in the short form that ``schedule_events.py`` (the reference
generator of the benchmark) prints::

    {"slots": 16, "tables": 400,
     "participants": [{"id": 0, "available": [0, 1, 5]}, ...],
     "requests": [[0, 7], ...]}

or in the full form, where slots carry times and sessions, participants carry names,
organisations, quotas and booths, and requests carry a state and a priority. :func:`parse_event`
checks everything at once and raises one :class:`~klynge.errors.InvalidInput` listing every
problem with its field (all-or-nothing), so an organiser fixes the file in one pass.

A request between two people who share no available slot is *not* an error: it is reported as
unplaceable in the schedule (the people may still change their availability).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from klynge.errors import InvalidInput, Location, field_problem
from klynge.i18n import Text

RequestState = Literal["requested", "accepted", "declined", "expired"]
Priority = Literal["must", "normal"]
ParticipantId = int | str


def _no_bool(value: Any) -> Any:
    """JSON's ``true`` is not the number 1: a whole number where one is expected."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _participant_id(value: Any) -> Any:
    """A participant id is a whole number or text, never a list, an object or ``true``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PydanticCustomError("participant_id_type", "a participant id is a number or text")
    return value


#: A whole number in an event file (``true`` refused, rather than read as 1).
Int = Annotated[int, BeforeValidator(_no_bool)]
#: A participant id as read from a file: one error with the field's own name, not one per type.
Id = Annotated[ParticipantId, BeforeValidator(_participant_id)]

#: Tier numbers: lower is placed first and never traded for a higher number.
TIER_MUST, TIER_MUTUAL, TIER_NORMAL = 0, 1, 2
TIER_NAMES = ("must-meet", "mutual", "normal")


class Slot(BaseModel):
    """One meeting slot. Times are optional: the short form has numbered slots only."""

    model_config = ConfigDict(extra="forbid")

    start: datetime | None = None
    end: datetime | None = None
    session: str | None = None
    #: A cancelled slot keeps its index (availability, locks and published schedules refer to
    #: slots by index) but holds no meeting, and its time may be taken by another slot.
    cancelled: bool = False


class Participant(BaseModel):
    """A contact person of an organisation, with the slots they can meet in."""

    model_config = ConfigDict(extra="forbid")

    id: Id
    name: str | None = None
    organisation: str | None = None
    #: Slot indices; ``None`` means every slot.
    available: list[Int] | None = None
    #: At most this many meetings (a per-person quota); ``None`` means no limit.
    quota: Int | None = Field(default=None, ge=0)
    #: An exhibitor's fixed booth: their meetings take place there and need no shared table.
    booth: str | None = None


class Request(BaseModel):
    """A meeting request from one participant to another."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    sender: Id = Field(alias="from")
    receiver: Id = Field(alias="to")
    state: RequestState = "accepted"
    priority: Priority = "normal"
    sent: date | None = None


class LockedMeeting(BaseModel):
    """A meeting the organiser fixed by hand: the scheduler keeps it where it is."""

    model_config = ConfigDict(extra="forbid")

    a: Id
    b: Id
    slot: Int
    table: Int | None = None


class Event(BaseModel):
    """A validated event. Build one with :func:`parse_event`, which checks the cross-references."""

    name: str | None = None
    slots: list[Slot]
    tables: Int
    participants: list[Participant]
    requests: list[Request]
    locked: list[LockedMeeting] = []

    def index(self) -> dict[ParticipantId, int]:
        """Participant id → position in :attr:`participants`."""
        return {p.id: i for i, p in enumerate(self.participants)}

    def live_slots(self) -> int:
        """A bit mask of the slots that are not cancelled (bit ``s`` for slot ``s``)."""
        return sum(1 << s for s, slot in enumerate(self.slots) if not slot.cancelled)


def expire_requests(requests: list[Request], today: date, days: int) -> list[Request]:
    """Requests still unanswered ``days`` after they were sent become ``expired``.

    Accepted, declined and undated requests are left alone; a reminder is due for the others
    (see :func:`reminders_due`).
    """
    out = []
    for r in requests:
        if r.state == "requested" and r.sent is not None and today - r.sent >= timedelta(days):
            out.append(r.model_copy(update={"state": "expired"}))
        else:
            out.append(r)
    return out


def reminders_due(requests: list[Request], today: date, days: int, before: int = 2) -> list[int]:
    """Indices of unanswered requests that expire within ``before`` days: remind the receiver."""
    due = []
    for i, r in enumerate(requests):
        if r.state == "requested" and r.sent is not None:
            left = days - (today - r.sent).days
            if 0 < left <= before:
                due.append(i)
    return due


def _t(da: str, en: str) -> Text:
    return Text(da=da, en=en)


def _type_problem(err: Any) -> Text:
    """A value of the wrong type in an event file, in words a person can act on."""
    kind, loc = str(err.get("type", "")), tuple(err.get("loc", ()))
    if kind == "participant_id_type":
        return _t(
            "et deltager-id skal være et tal eller tekst",
            "a participant id must be a number or text",
        )
    if loc == ("slots",) and kind == "list_type":
        return _t(
            "angiv antallet af tidsrum (et helt tal) eller en liste af tidsrum",
            "give the number of slots or a list of slots",
        )
    if len(loc) == 2 and loc[0] == "requests" and kind in ("model_type", "dict_type"):
        return _t(
            'en anmodning er [fra, til] eller et objekt med "from" og "to"',
            'a request is [from, to] or an object with "from" and "to"',
        )
    return field_problem(err)


def _short_form(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the generator's short form into the full form (numbered slots, pair requests)."""
    out = dict(data)
    out.pop("kind", None)
    out.pop("seed", None)
    if isinstance(out.get("slots"), int) and not isinstance(out.get("slots"), bool):
        out["slots"] = [{} for _ in range(out["slots"])]
    requests = out.get("requests")
    if isinstance(requests, list):
        out["requests"] = [
            {"from": r[0], "to": r[1]} if isinstance(r, list | tuple) and len(r) == 2 else r
            for r in requests
        ]
    return out


def parse_event(data: Any, file: str | None = None) -> Event:
    """Validate an event given as parsed JSON; every problem is reported at once.

    Raises :class:`InvalidInput` (code ``invalid-event``) with one detail per problem: unknown
    participants, requests with oneself, duplicate requests, overlapping slots, zero tables,
    availability outside the event, locked meetings that clash.
    """
    problems: list[tuple[Text, Location | None]] = []

    def bad(field: str, da: str, en: str) -> None:
        problems.append((_t(da, en), Location(file=file, field=field)))

    if not isinstance(data, dict):
        raise InvalidInput(
            _t("Arrangementet skal være et JSON-objekt", "The event must be a JSON object"),
            code="invalid-event",
            location=Location(file=file),
        )
    try:
        event = Event.model_validate(_short_form(data))
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            text = _type_problem(err)
            bad(field, text.da, text.en)
        raise InvalidInput(
            _t("Arrangementet kan ikke læses", "The event cannot be read"),
            code="invalid-event",
            location=Location(file=file),
            details=problems,
        ) from None

    n_slots = len(event.slots)
    if event.tables < 1:
        bad(
            "tables",
            f"antallet af borde skal være mindst 1, ikke {event.tables}",
            f"the number of tables must be at least 1, not {event.tables}",
        )
    if n_slots == 0:
        bad("slots", "arrangementet har ingen tidsrum", "the event has no slots")
    timed = [(i, s) for i, s in enumerate(event.slots) if s.start is not None]
    aware = {t.utcoffset() is not None for _, s in timed for t in (s.start, s.end) if t is not None}
    if len(aware) > 1:
        # Times with and without a zone cannot be ordered against each other.
        bad(
            "slots",
            "nogle tidspunkter har en tidszone og andre ikke; angiv den for alle eller ingen",
            "some slot times have a time zone and others not; give it for all or none",
        )
        timed = []
    for i, s in timed:
        if s.end is not None and s.start is not None and s.end <= s.start:
            bad(
                f"slots.{i}",
                "tidsrummet slutter før det begynder",
                "the slot ends before it starts",
            )
    if timed and len(timed) != n_slots:
        bad(
            "slots",
            "enten har alle tidsrum et tidspunkt eller ingen",
            "give times for all slots or none",
        )
    # A cancelled slot no longer takes up its time: another slot may be moved there.
    ordered = sorted(
        ((i, s) for i, s in timed if not s.cancelled), key=lambda t: t[1].start or datetime.min
    )
    for (i, prev), (j, nxt) in itertools.pairwise(ordered):
        if prev.end is not None and nxt.start is not None and nxt.start < prev.end:
            bad(
                f"slots.{j}",
                f"tidsrum {j} overlapper tidsrum {i}",
                f"slot {j} overlaps slot {i}",
            )

    ids: dict[ParticipantId, int] = {}
    for i, p in enumerate(event.participants):
        if p.id in ids:
            bad(
                f"participants.{i}.id",
                f"deltager {p.id!r} findes to gange",
                f"participant {p.id!r} appears twice",
            )
        ids[p.id] = i
        for k in p.available or []:
            if not 0 <= k < n_slots:
                bad(
                    f"participants.{i}.available",
                    f"tidsrum {k} ligger uden for arrangementet (0–{n_slots - 1})",
                    f"slot {k} is outside the event (0–{n_slots - 1})",
                )

    seen: dict[tuple[ParticipantId, ParticipantId], int] = {}
    for i, r in enumerate(event.requests):
        for end, pid in (("from", r.sender), ("to", r.receiver)):
            if pid not in ids:
                bad(
                    f"requests.{i}.{end}",
                    f"ukendt deltager {pid!r}",
                    f"unknown participant {pid!r}",
                )
        if r.sender == r.receiver:
            bad(
                f"requests.{i}",
                "en deltager kan ikke bede om et møde med sig selv",
                "a participant cannot request a meeting with themselves",
            )
        key = (r.sender, r.receiver)
        if key in seen:
            bad(
                f"requests.{i}",
                f"dobbelt anmodning: samme som anmodning {seen[key]}",
                f"duplicate request: same as request {seen[key]}",
            )
        else:
            seen[key] = i

    def label(pid: ParticipantId) -> str:
        """A person as the organiser knows them: by name where the event gives one."""
        who = event.participants[ids[pid]] if pid in ids else None
        return f"{who.name} ({pid})" if who is not None and who.name else repr(pid)

    busy: dict[tuple[ParticipantId, int], int] = {}
    tables_used: dict[tuple[int, int], int] = {}
    for i, m in enumerate(event.locked):
        for end, pid in (("a", m.a), ("b", m.b)):
            if pid not in ids:
                bad(f"locked.{i}.{end}", f"ukendt deltager {pid!r}", f"unknown participant {pid!r}")
        if m.a == m.b:
            bad(f"locked.{i}", "et møde kræver to deltagere", "a meeting needs two participants")
        if not 0 <= m.slot < n_slots:
            bad(
                f"locked.{i}.slot", f"tidsrum {m.slot} findes ikke", f"slot {m.slot} does not exist"
            )
            continue
        if event.slots[m.slot].cancelled:
            bad(
                f"locked.{i}.slot",
                f"tidsrum {m.slot} er aflyst",
                f"slot {m.slot} is cancelled",
            )
        for pid in (m.a, m.b):
            if (pid, m.slot) in busy:
                bad(
                    f"locked.{i}",
                    f"{label(pid)} har allerede et låst møde i tidsrum {m.slot} "
                    f"(locked.{busy[pid, m.slot]})",
                    f"{label(pid)} already has a locked meeting in slot {m.slot} "
                    f"(locked.{busy[pid, m.slot]})",
                )
            busy[pid, m.slot] = i
            who = event.participants[ids[pid]] if pid in ids else None
            if who is not None and who.available is not None and m.slot not in who.available:
                bad(
                    f"locked.{i}",
                    f"{label(pid)} er ikke til stede i tidsrum {m.slot}",
                    f"{label(pid)} is not available in slot {m.slot}",
                )
        if m.table is not None:
            if not 0 <= m.table < max(event.tables, 1):
                bad(
                    f"locked.{i}.table",
                    f"bord {m.table} findes ikke",
                    f"table {m.table} does not exist",
                )
            elif (m.slot, m.table) in tables_used:
                bad(
                    f"locked.{i}.table",
                    f"bord {m.table} er allerede optaget i tidsrum {m.slot}",
                    f"table {m.table} is already taken in slot {m.slot}",
                )
            tables_used[m.slot, m.table] = i

    if problems:
        raise InvalidInput(
            _t(
                f"Arrangementet har {len(problems)} fejl",
                f"The event has {len(problems)} problem{'s' if len(problems) != 1 else ''}",
            ),
            code="invalid-event",
            location=Location(file=file),
            details=problems,
        )
    return event


def withdraw(event: Event, participant: ParticipantId) -> Event:
    """The event without ``participant``: their requests and locked meetings go with them."""
    return event.model_copy(
        update={
            "participants": [p for p in event.participants if p.id != participant],
            "requests": [r for r in event.requests if participant not in (r.sender, r.receiver)],
            "locked": [m for m in event.locked if participant not in (m.a, m.b)],
        }
    )
