"""Matchmaking pages: a profile to edit, recommended partners, meeting requests to send and
answer, and the organiser's view of an event.

Every page hands the signed-in person's principal to :mod:`klynge.services.matchmaking`, which
decides what they may see and do (a member its own organisation, staff their members and their
cluster's events). Forms that change state carry a CSRF token.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from klynge.errors import Ambiguous, Conflict, InvalidInput, KlyngeError, NotFound
from klynge.i18n import Lang, Text
from klynge.services import matchmaking as service
from klynge.services.matchmaking import ProfileInput
from klynge.web.people import Person, check_csrf, csrf_refused, page, signed_in

router = APIRouter(include_in_schema=False)

PARTNER_KINDS = (
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
)


@router.get("/match", response_class=Response)
def overview(request: Request) -> Response:
    """The person's matchmaking: the profiles they keep, their requests, their events."""

    def view(person: Person, lang: Lang) -> Response:
        profiles = service.list_profiles(principal=person.principal).items
        requests = service.list_requests(principal=person.principal).items
        events = service.list_events(principal=person.principal)
        mine = {p.organisation for p in profiles}
        today = date.today()
        soon = today + timedelta(days=service.REMIND_BEFORE_DAYS)
        reminders = (
            service.due_reminders(principal=person.principal, lang=lang).items
            if person.principal.role in ("staff", "admin")
            else []
        )
        return page(
            request,
            lang,
            "match.html",
            session=person,
            profiles=profiles,
            incoming=[r for r in requests if r.receiver in mine and r.state == "requested"],
            requests=requests,
            events=events,
            own=person.organisation,
            soon=soon,
            one_day=timedelta(days=1),
            reminders=reminders,
        )

    return signed_in(request, view)


def _form_values(profile: service.Profile | None) -> dict[str, str]:
    if profile is None:
        return {
            k: ""
            for k in (
                "offers",
                "seeks",
                "areas",
                "technologies",
                "countries",
                "expires_on",
                "language",
                "contact",
            )
        }
    return {
        "offers": profile.offers,
        "seeks": profile.seeks,
        "areas": "; ".join(profile.areas),
        "technologies": "; ".join(profile.technologies),
        "countries": "; ".join(profile.countries),
        "expires_on": profile.expires_on.isoformat() if profile.expires_on else "",
        "language": profile.language,
        "contact": profile.contact or "",
    }


@router.get("/match/profiles/{organisation}", response_class=Response)
def profile_form(request: Request, organisation: str) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        try:
            found: service.Profile | None = service.get_profile(
                organisation, principal=person.principal
            )
        except KlyngeError as exc:
            if exc.error_code != "no-such-profile":
                raise
            found = None
        return page(
            request,
            lang,
            "match_profile.html",
            session=person,
            organisation=organisation,
            profile=found,
            values=_form_values(found),
            kinds=set(found.partner_kinds) if found else set(),
            hidden=found.hidden if found else False,
            partner_kinds=PARTNER_KINDS,
            problems=[],
            saved=False,
        )

    return signed_in(request, view)


def _too_much(error: Any, lang: Lang) -> str:
    field = ".".join(str(x) for x in error["loc"])
    most = (error.get("ctx") or {}).get("max_length")
    if most is None:
        return f"{field}: {error['msg']}"
    return Text(
        da=f"{field}: højst {most} (tegn eller punkter); intet er gemt",
        en=f"{field}: at most {most} (characters or entries); nothing was saved",
    ).get(lang)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


@router.post("/match/profiles/{organisation}", response_class=Response)
async def profile_save(request: Request, organisation: str) -> Response:
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, text("csrf_token")):
            return csrf_refused(request, lang)
        values = {k: text(k) for k in _form_values(None)}
        kinds = {str(v) for v in form.getlist("partner_kinds")}
        problems: list[str] = []
        saved = None
        try:
            body = ProfileInput(
                offers=values["offers"],
                seeks=values["seeks"],
                language="da"
                if values["language"] == "da"
                else "en"
                if values["language"] == "en"
                else None,
                contact=values["contact"] or None,
                areas=_split(values["areas"]),
                technologies=_split(values["technologies"]),
                partner_kinds=sorted(kinds),
                countries=_split(values["countries"]),
                expires_on=date.fromisoformat(values["expires_on"])
                if values["expires_on"]
                else None,
                hidden=text("hidden") == "true",
            )
            saved = service.save_profile(organisation, body, principal=person.principal)
        except ValidationError as exc:
            # Too long a text or too many entries: say so, never cut and save the rest.
            problems += [_too_much(e, lang) for e in exc.errors()]
        except ValueError as exc:
            problems.append(str(exc).splitlines()[0])
        except InvalidInput as exc:
            problems += [
                f"{loc.field}: {t.get(lang)}" if loc and loc.field else t.get(lang)
                for t, loc in exc.details
            ] or [exc.text(lang)]
        return page(
            request,
            lang,
            "match_profile.html",
            status=200 if saved else 422,
            session=person,
            organisation=organisation,
            profile=saved,
            values=_form_values(saved) if saved else values,
            kinds=kinds,
            hidden=text("hidden") == "true",
            partner_kinds=PARTNER_KINDS,
            problems=problems,
            saved=saved is not None,
        )

    return signed_in(request, view)


@router.get("/match/recommendations/{organisation}", response_class=Response)
def recommendations(request: Request, organisation: str) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        result = service.recommend(organisation, principal=person.principal, lang=lang)
        events = service.list_events(principal=person.principal)
        return page(
            request, lang, "match_recommend.html", session=person, result=result, events=events
        )

    return signed_in(request, view)


_CHOICE_CODES = ("participant-required", "unknown-participant")


@router.post("/match/requests", response_class=Response)
def send_request(
    request: Request,
    sender: Annotated[str, Form(max_length=64)],
    receiver: Annotated[str, Form(max_length=64)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    event: Annotated[str, Form(max_length=64)] = "",
    sender_participant: Annotated[str, Form(max_length=20)] = "",
    receiver_participant: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Send a request. At an event where a side has several participants and none was chosen,
    the form comes back with a choice of participant for that side (never a silent pick)."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        try:
            service.request_meeting(
                sender,
                receiver,
                event=event or None,
                sender_participant=sender_participant or None,
                receiver_participant=receiver_participant or None,
                principal=person.principal,
            )
        except InvalidInput as exc:
            if exc.error_code not in _CHOICE_CODES or not event:
                raise
            field = exc.location.field if exc.location else None
            choices = service.request_choices(sender, receiver, event, principal=person.principal)
            return page(
                request,
                lang,
                "match_request.html",
                status=422,
                session=person,
                sender=sender,
                receiver=receiver,
                event=event,
                choices=choices,
                chosen={"sender": sender_participant, "receiver": receiver_participant},
                problems={field: exc.message.get(lang)},
            )
        return RedirectResponse("/match", status_code=303)

    return signed_in(request, view)


@router.post("/match/requests/{request_id}/answer", response_class=Response)
def answer(
    request: Request,
    request_id: int,
    accept: Annotated[str, Form(max_length=5)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        service.answer_request(request_id, accept == "yes", principal=person.principal)
        return RedirectResponse("/match", status_code=303)

    return signed_in(request, view)


# -- creating an event (staff of the cluster, admins) -------------------------------------------
_EVENT_FIELDS = ("cluster", "ref", "name", "tables", "request_days", "slots", "participants")
_SLOT_HELP = "2026-11-20 10:00-10:20 Morning"
_SLOT_FORMAT = Text(
    da=f"skriv dato, start-slut og evt. session, fx {_SLOT_HELP}",
    en=f"write date, start-end and optionally a session, e.g. {_SLOT_HELP}",
)


def _slot_lines(text: str) -> tuple[list[dict[str, Any]], list[Text]]:
    """Slots, one a line: ``DATE START-END [session]``; a gap between two slots is a break."""
    slots: list[dict[str, Any]] = []
    problems: list[Text] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for n, line in enumerate(lines, start=1):
        parts = line.split(maxsplit=2)
        times = parts[1].replace("–", "-").split("-") if len(parts) > 1 else []
        try:
            if len(times) != 2:
                raise ValueError(line)
            day = date.fromisoformat(parts[0])
            start, end = (datetime.fromisoformat(f"{day}T{t.strip()}") for t in times)
        except ValueError:
            problems.append(
                Text(da=f"linje {n}: {_SLOT_FORMAT.da}", en=f"line {n}: {_SLOT_FORMAT.en}")
            )
            continue
        slot: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat()}
        if len(parts) > 2:
            slot["session"] = parts[2]
        slots.append(slot)
    return slots, problems


def _numbers(text: str) -> list[int]:
    """``0-3, 5`` → [0, 1, 2, 3, 5]."""
    out: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out += range(int(a), int(b) + 1)
        else:
            out.append(int(part))
    return out


def _participant_lines(text: str) -> tuple[list[dict[str, Any]], list[Text]]:
    """Participants, one a line: ``e-mail; available slots; quota; booth; organisation``
    (all but the e-mail optional; no slots means every slot)."""
    people: list[dict[str, Any]] = []
    problems: list[Text] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for n, line in enumerate(lines, start=1):
        cells = [c.strip() for c in line.split(";")] + [""] * 5
        email, available, quota, booth, organisation = cells[:5]
        person: dict[str, Any] = {"email": email}
        try:
            if available:
                person["available"] = _numbers(available)
        except ValueError:
            problems.append(
                Text(
                    da=f"linje {n}: tidsrum skrives som tal og intervaller, fx 0-3, 5",
                    en=f"line {n}: write slots as numbers and ranges, e.g. 0-3, 5",
                )
            )
            continue
        if quota:
            if not quota.isdigit():
                problems.append(
                    Text(
                        da=f"linje {n}: kvoten skal være et helt tal",
                        en=f"line {n}: the quota must be a whole number",
                    )
                )
                continue
            person["quota"] = int(quota)
        if booth:
            person["booth"] = booth
        if organisation:
            person["organisation"] = organisation
        people.append(person)
    return people, problems


def _event_problems(exc: InvalidInput, lang: Lang) -> dict[str, list[str]]:
    """The service's problems, beside the form's fields (a slot or participant by its line)."""
    out: dict[str, list[str]] = {}
    for text, loc in exc.details or [(exc.message, exc.location)]:
        field = (loc.field if loc else None) or ""
        head, _, rest = field.partition(".")
        if head not in _EVENT_FIELDS:
            head = ""
        message = text.get(lang)
        index = rest.split(".")[0]
        if head in ("slots", "participants") and index.isdigit():
            line = int(index) + 1
            message = Text(da=f"linje {line}: ", en=f"line {line}: ").get(lang) + message
        out.setdefault(head, []).append(message)
    return out


def _new_event_page(
    request: Request,
    person: Person,
    lang: Lang,
    values: dict[str, str],
    problems: dict[str, list[str]],
    status: int = 200,
) -> Response:
    return page(
        request,
        lang,
        "match_event_new.html",
        status=status,
        session=person,
        values=values,
        problems=problems,
        slot_help=_SLOT_HELP,
    )


@router.get("/match/events/new", response_class=Response)
def new_event(request: Request) -> Response:
    """The form for a new brokerage event."""

    def view(person: Person, lang: Lang) -> Response:
        values = dict.fromkeys(_EVENT_FIELDS, "")
        values.update(cluster=person.principal.cluster or "", tables="", request_days="14")
        return _new_event_page(request, person, lang, values, {})

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/new", response_class=Response)
async def create_event(request: Request) -> Response:
    """Create the event through the service's checks; problems come back beside each field,
    and nothing is saved unless all is valid."""
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, text("csrf_token")):
            return csrf_refused(request, lang)
        values = {k: text(k) for k in _EVENT_FIELDS}
        if person.principal.cluster:  # staff create events of their own cluster only
            values["cluster"] = person.principal.cluster
        slots, slot_problems = _slot_lines(values["slots"])
        people, people_problems = _participant_lines(values["participants"])
        problems: dict[str, list[str]] = {}
        if slot_problems:
            problems["slots"] = [t.get(lang) for t in slot_problems]
        if people_problems:
            problems["participants"] = [t.get(lang) for t in people_problems]
        data: dict[str, Any] = {
            "cluster": values["cluster"],
            "ref": values["ref"],
            "name": values["name"],
            "tables": values["tables"] or None,
            "request_days": values["request_days"] or 14,
            "slots": slots,
            "participants": people,
        }
        try:
            body = service.event_input(data)
            if problems:
                if body.pending:  # zero tables, found by the service, beside the form's own
                    pending = InvalidInput(Text(da="", en=""), details=body.pending)
                    for field, found in _event_problems(pending, lang).items():
                        problems.setdefault(field, []).extend(found)
                return _new_event_page(request, person, lang, values, problems, 422)
            made = service.create_event(body, principal=person.principal)
        except InvalidInput as exc:
            for field, found in _event_problems(exc, lang).items():
                problems.setdefault(field, []).extend(found)
            return _new_event_page(request, person, lang, values, problems, 422)
        except (Ambiguous, Conflict, NotFound) as exc:
            # A ref the cluster already uses; a cluster that does not exist (admins type it).
            field = "ref" if exc.error_code == "duplicate-event" else "cluster"
            problems.setdefault(field, []).append(exc.message.get(lang))
            return _new_event_page(request, person, lang, values, problems, 422)
        return RedirectResponse(f"/match/events/{made.ref}", status_code=303)

    return signed_in(request, view, roles=("staff", "admin"))


@router.get("/match/events/{ref}", response_class=Response)
def event(request: Request, ref: str) -> Response:
    """The organiser's view: slots, participants and the requests between them."""

    def view(person: Person, lang: Lang) -> Response:
        return _event_page(request, person, lang, ref)

    return signed_in(request, view, roles=("staff", "admin", "analyst"))


def _event_page(
    request: Request,
    person: Person,
    lang: Lang,
    ref: str,
    *,
    lock_problems: dict[str, str] | None = None,
    lock_values: dict[str, str] | None = None,
    changes: dict[str, Any] | None = None,
    slot_problems: dict[str, str] | None = None,
    slot_values: dict[str, str] | None = None,
    slot_done: service.SlotOut | None = None,
    person_problems: dict[str, str] | None = None,
    person_values: dict[str, str] | None = None,
    person_done: service.ParticipantOut | None = None,
) -> Response:
    doc = service.event_document(ref, principal=person.principal)
    people = {str(p["id"]): _person_line(p) for p in doc["participants"]}
    lines = {str(i): _slot_line(sl) for i, sl in enumerate(doc["slots"])}
    names = {p["id"]: f"{p['name']} ({p['organisation']})" for p in doc["participants"]}
    published = None
    try:
        published = service.published_schedule(ref, principal=person.principal)
    except KlyngeError as exc:
        if exc.error_code not in ("not-scheduled", "no-scheduler"):
            raise
    return page(
        request,
        lang,
        "match_event.html",
        status=422 if lock_problems or slot_problems or person_problems else 200,
        session=person,
        ref=ref,
        doc=doc,
        names=names,
        published=published,
        lock_problems=lock_problems or {},
        lock=lock_values or {},
        changes=changes,
        slot_problems=slot_problems or {},
        slot_lines={**lines, **(slot_values or {})},
        slot_done=slot_done,
        slot_help=_SLOT_HELP,
        person_problems=person_problems or {},
        person_lines={**people, **(person_values or {})},
        person_done=person_done,
        person_help=_PERSON_HELP,
        add_help=_ADD_HELP,
    )


_PERSON_HELP = "0-3, 5; 4; B7"
_ADD_HELP = "anna@firma.dk; 0-3, 5; 4; B7"


def _person_line(p: dict[str, Any]) -> str:
    """A participant's availability, quota and booth as the change form writes them (the
    new-event form's participant line without the e-mail): ``0-3, 5; 4; B7``."""
    available = "" if p.get("available") is None else ", ".join(map(str, p["available"]))
    quota = p.get("quota")
    cells = [available, "" if quota is None else str(quota), p.get("booth") or ""]
    while cells and not cells[-1]:
        cells.pop()
    return "; ".join(cells)


def _one_person(line: str, lang: Lang) -> tuple[dict[str, Any] | None, str | None]:
    """One participant line read as the new-event form reads it, or the problem with it
    (without the form's "line 1:")."""
    people, problems = _participant_lines(line)
    if problems:
        return None, problems[0].get(lang).split(": ", 1)[-1]
    if len(people) != 1 or not people[0]["email"]:
        return None, Text(
            da="skriv e-mail; tidsrum; kvote; stand; organisation",
            en="write e-mail; slots; quota; booth; organisation",
        ).get(lang)
    return people[0], None


def _slot_line(slot: dict[str, Any]) -> str:
    """A slot as the form writes it: ``2026-11-20 10:00-10:20 Morning``."""
    start, end = str(slot["start"]), str(slot["end"])
    line = f"{start[:10]} {start[11:16]}-{end[11:16]}"
    return f"{line} {slot['session']}" if slot.get("session") else line


def _one_slot(line: str, lang: Lang) -> tuple[dict[str, Any] | None, str | None]:
    """One slot line read as the new-event form reads it, or the problem with it."""
    slots, problems = _slot_lines(line)
    if problems or len(slots) != 1:
        return None, _SLOT_FORMAT.get(lang)
    return slots[0], None


def _slot_refused(exc: KlyngeError, lang: Lang) -> str:
    return " ".join(t.get(lang) for t, _ in exc.details) if exc.details else exc.message.get(lang)


@router.post("/match/events/{ref}/slots", response_class=Response)
def slot_add(
    request: Request,
    ref: str,
    line: Annotated[str, Form(max_length=200)] = "",
    everyone: Annotated[str, Form(max_length=5)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff add a slot; it takes the next number (problems come back beside the field)."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        slot, problem = _one_slot(line, lang)
        if slot is not None:
            try:
                done = service.add_slot(
                    ref,
                    service.SlotIn.model_validate(slot),
                    everyone=bool(everyone),
                    principal=person.principal,
                )
                return _event_page(request, person, lang, ref, slot_done=done)
            except (InvalidInput, ValidationError) as exc:
                problem = (
                    _slot_refused(exc, lang)
                    if isinstance(exc, InvalidInput)
                    else Text(da="ugyldigt tidsrum", en="invalid slot").get(lang)
                )
        return _event_page(
            request,
            person,
            lang,
            ref,
            slot_problems={"new": problem or ""},
            slot_values={"new": line},
        )

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/slots/{slot}", response_class=Response)
def slot_change(
    request: Request,
    ref: str,
    slot: int,
    line: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff move a slot or rename its session; it keeps its number and its meetings."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        new, problem = _one_slot(line, lang)
        if new is not None:
            change = service.SlotChange.model_validate({"session": "", **new})
            try:
                done = service.change_slot(ref, slot, change, principal=person.principal)
                return _event_page(request, person, lang, ref, slot_done=done)
            except (InvalidInput, Conflict) as exc:
                problem = _slot_refused(exc, lang)
        return _event_page(
            request,
            person,
            lang,
            ref,
            slot_problems={str(slot): problem or ""},
            slot_values={str(slot): line},
        )

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/slots/{slot}/cancel", response_class=Response)
def slot_cancel(
    request: Request,
    ref: str,
    slot: int,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff cancel a slot: the page says which locks were released and which published
    meetings were in it (scheduling again moves or drops them)."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        try:
            done = service.cancel_slot(ref, slot, principal=person.principal)
        except (InvalidInput, Conflict) as exc:
            return _event_page(
                request, person, lang, ref, slot_problems={str(slot): _slot_refused(exc, lang)}
            )
        return _event_page(request, person, lang, ref, slot_done=done)

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/locks", response_class=Response)
def lock(
    request: Request,
    ref: str,
    a: Annotated[str, Form(max_length=20)] = "",
    b: Annotated[str, Form(max_length=20)] = "",
    slot: Annotated[str, Form(max_length=6)] = "",
    table: Annotated[str, Form(max_length=6)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff fix a meeting in a slot (and at a table); problems come back beside the fields."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        values = {"a": a, "b": b, "slot": slot, "table": table}
        problems: dict[str, str] = {}
        for field, value in (("slot", slot), ("table", table)):
            if value.strip() and not value.strip().isdigit():
                problems[field] = Text(da="skal være et helt tal", en="must be a whole number").get(
                    lang
                )
        for field, value in (("a", a), ("b", b)):
            if not value:
                problems[field] = Text(da="vælg en deltager", en="choose a participant").get(lang)
        if not problems:
            try:
                service.lock_meeting(
                    ref,
                    a,
                    b,
                    int(slot or 0),
                    int(table) if table.strip() else None,
                    principal=person.principal,
                )
                return RedirectResponse(f"/match/events/{ref}", status_code=303)
            except InvalidInput as exc:
                for text_, loc in exc.details or [(exc.message, exc.location)]:
                    field = (loc.field if loc else "") or ""
                    head = field if field in ("a", "b", "slot", "table") else "slot"
                    if field.startswith("locked.") and field.endswith(".table"):
                        head = "table"
                    problems[head] = " ".join(x for x in (problems.get(head), text_.get(lang)) if x)
        return _event_page(request, person, lang, ref, lock_problems=problems, lock_values=values)

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/participants", response_class=Response)
def participant_add(
    request: Request,
    ref: str,
    line: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff add a late participant: one line as in the new-event form (problems come back
    beside the field, what was typed stays)."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        data, problem = _one_person(line, lang)
        if data is not None:
            try:
                done = service.add_participant(
                    ref, service.ParticipantIn.model_validate(data), principal=person.principal
                )
                return _event_page(request, person, lang, ref, person_done=done)
            except (InvalidInput, Conflict) as exc:
                problem = _slot_refused(exc, lang)
            except ValidationError:
                problem = Text(da="ugyldig deltager", en="invalid participant").get(lang)
        return _event_page(
            request,
            person,
            lang,
            ref,
            person_problems={"new": problem or ""},
            person_values={"new": line},
        )

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/participants/{participant}", response_class=Response)
def participant_change(
    request: Request,
    ref: str,
    participant: int,
    line: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff change a participant's availability, quota and booth (the whole line: an empty
    cell means every slot, no limit, no booth)."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        data, problem = _one_person(f"x; {line}", lang)
        if data is not None:
            try:
                change = service.ParticipantChange(
                    available=data.get("available"),
                    quota=data.get("quota"),
                    booth=data.get("booth", ""),
                )
                done = service.change_participant(
                    ref, participant, change, principal=person.principal
                )
                return _event_page(request, person, lang, ref, person_done=done)
            except (InvalidInput, Conflict) as exc:
                problem = _slot_refused(exc, lang)
            except ValidationError:
                problem = Text(da="ugyldig ændring", en="invalid change").get(lang)
        return _event_page(
            request,
            person,
            lang,
            ref,
            person_problems={str(participant): problem or ""},
            person_values={str(participant): line},
        )

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/participants/{participant}/withdraw", response_class=Response)
def withdraw(
    request: Request,
    ref: str,
    participant: int,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Staff take a participant out of the event (scheduling again drops only their meetings)."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        service.withdraw_participant(ref, participant, principal=person.principal)
        return RedirectResponse(f"/match/events/{ref}", status_code=303)

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/locks/release", response_class=Response)
def unlock(
    request: Request,
    ref: str,
    a: Annotated[str, Form(max_length=20)],
    b: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        service.unlock_meeting(ref, a, b, principal=person.principal)
        return RedirectResponse(f"/match/events/{ref}", status_code=303)

    return signed_in(request, view, roles=("staff", "admin"))


@router.post("/match/events/{ref}/schedule", response_class=Response)
def schedule(
    request: Request, ref: str, csrf_token: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """Staff schedule their event's accepted requests and publish the result."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        done = service.schedule_event(ref, principal=person.principal)
        if done.changes is None:
            return RedirectResponse(f"/match/events/{ref}", status_code=303)
        # A re-plan: say what was kept, moved, dropped and added, once, on the event's page.
        return _event_page(request, person, lang, ref, changes=done.changes)

    return signed_in(request, view, roles=("staff", "admin"))


@router.get("/match/events/{ref}/schedule.xlsx", response_class=Response)
def schedule_download(request: Request, ref: str) -> Response:
    """The organiser's workbook: one sheet per table and per booth."""

    def view(person: Person, lang: Lang) -> Response:
        data = service.schedule_workbook(ref, principal=person.principal, lang=lang)
        return Response(
            content=data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="{ref}-schedule.xlsx"',
                "Cache-Control": "private, no-store",
            },
        )

    return signed_in(request, view, roles=("staff", "admin", "analyst"))


@router.get("/match/events/{ref}/agenda", response_class=Response)
def agenda(request: Request, ref: str, participant: int | None = None) -> Response:
    """A personal agenda: a member's own, or any participant's for the organisers."""

    def view(person: Person, lang: Lang) -> Response:
        chosen = participant
        if chosen is None and person.role == "member":
            # A member's organisation may send several people: show the signed-in person's
            # own agenda, else let them choose (never the first one silently).
            own = service.own_participants(ref, principal=person.principal)
            me = (person.email or "").lower()
            mine = [p for p in own if me and (p.email or "").lower() == me]
            if len(own) == 1 or len(mine) == 1:
                chosen = (mine or own)[0].id
            elif own:
                return page(
                    request, lang, "match_agenda_choose.html", session=person, ref=ref, own=own
                )
        ag = service.agenda(ref, principal=person.principal, participant=chosen)
        return page(request, lang, "match_agenda.html", session=person, ref=ref, ag=ag)

    return signed_in(request, view)


@router.get("/match/events/{ref}/agenda.{fmt}", response_class=Response)
def agenda_download(
    request: Request, ref: str, fmt: str, participant: int | None = None
) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        if fmt not in ("ics", "pdf"):
            raise InvalidInput(
                Text(da="brug .ics eller .pdf", en="use .ics or .pdf"), code="unknown-format"
            )
        f = service.agenda_file(
            ref,
            "ics" if fmt == "ics" else "pdf",
            principal=person.principal,
            participant=participant,
            lang=lang,
        )
        return Response(
            content=f.content,
            media_type=f.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{f.filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    return signed_in(request, view)
