"""API routes for matchmaking: parse, call `klynge.services.matchmaking`, render.

Every route needs a bearer token; what it may see and do is decided by the services (staff their
own members and events, analysts read, admins everything, a member organisation's contact its
own profile and requests).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from klynge.api.auth import AUTH_RESPONSES, PrincipalDep, SharedPathRoute
from klynge.api.common import LangDep
from klynge.services import matchmaking as service
from klynge.services.matchmaking import (
    Deleted,
    EventIn,
    EventOut,
    MeetingRequestOut,
    Profile,
    ProfileImportResult,
    ProfileInput,
    ProfileList,
    Recommendations,
    Reminders,
    RequestList,
)

NO_STORE = "private, no-store"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def no_store(response: Response) -> None:
    response.headers["Cache-Control"] = NO_STORE


router = APIRouter(
    prefix="/matchmaking",
    tags=["matchmaking"],
    route_class=SharedPathRoute,
    dependencies=[Depends(no_store)],
)
OrgPath = Annotated[str, Path(max_length=64, description="The organisation's key or CVR number.")]


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender: str = Field(max_length=64, description="The organisation that asks.")
    receiver: str = Field(max_length=64, description="The organisation it wants to meet.")
    event: str | None = Field(default=None, max_length=64, description="An event's ref.")
    message: str | None = Field(default=None, max_length=1000)
    priority: Literal["must", "normal"] = "normal"
    sender_participant: int | str | None = Field(
        default=None,
        description="At an event: the sender's participant who asks (id or e-mail); needed "
        "when the sender has several there.",
    )
    receiver_participant: int | str | None = Field(
        default=None,
        description="At an event: the receiver's participant who is asked (id or e-mail); "
        "needed when the receiver has several there.",
    )


class LockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    a: int | str = Field(description="A participant id or e-mail.")
    b: int | str = Field(description="The other participant's id or e-mail.")
    slot: int = Field(ge=0, le=10_000, description="The slot, from 0.")
    table: int | None = Field(default=None, ge=1, le=100_000, description="A table, from 1.")


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool


@router.get(
    "/profiles",
    response_model=ProfileList,
    responses=AUTH_RESPONSES,
    summary="The profiles you may see",
)
def list_profiles(lang: LangDep, principal: PrincipalDep) -> ProfileList:
    return service.list_profiles(principal=principal)


@router.get(
    "/profiles/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **AUTH_RESPONSES},
    summary="The profiles you may see as CSV, in the form import reads",
)
def export_profiles(lang: LangDep, principal: PrincipalDep) -> Response:
    text, _ = service.export_profiles_text(principal=principal)
    return Response(
        content=text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="profiles.csv"',
            "Cache-Control": NO_STORE,
            "X-Klynge-Personal-Data": "contact,offers,seeks",
        },
    )


@router.post(
    "/profiles/import",
    response_model=ProfileImportResult,
    responses=AUTH_RESPONSES,
    summary="Import profiles from CSV or XLSX, all or nothing",
)
def import_profiles(
    file: Annotated[UploadFile, File(description="A .csv or .xlsx file.")],
    lang: LangDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Query(description="Check and count, then undo.")] = False,
) -> ProfileImportResult:
    return service.upload_profiles(
        file.file.read(), file.filename, dry_run=dry_run, principal=principal, lang=lang
    )


@router.get(
    "/profiles/{organisation}",
    response_model=Profile,
    responses=AUTH_RESPONSES,
    summary="One organisation's profile",
)
def get_profile(organisation: OrgPath, lang: LangDep, principal: PrincipalDep) -> Profile:
    return service.get_profile(organisation, principal=principal)


@router.put(
    "/profiles/{organisation}",
    response_model=Profile,
    responses=AUTH_RESPONSES,
    summary="Create or replace an organisation's profile",
)
def put_profile(
    organisation: OrgPath, body: ProfileInput, lang: LangDep, principal: PrincipalDep
) -> Profile:
    return service.save_profile(organisation, body, principal=principal)


@router.delete(
    "/profiles/{organisation}",
    response_model=Deleted,
    responses=AUTH_RESPONSES,
    summary="Delete an organisation's profile",
)
def delete_profile(organisation: OrgPath, lang: LangDep, principal: PrincipalDep) -> Deleted:
    return service.delete_profile(organisation, principal=principal)


@router.get(
    "/profiles/{organisation}/recommendations",
    response_model=Recommendations,
    responses=AUTH_RESPONSES,
    summary="Partners worth meeting, best first, each with its reasons",
)
def recommendations(
    organisation: OrgPath,
    lang: LangDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Recommendations:
    return service.recommend(organisation, limit=limit, principal=principal, lang=lang)


@router.get(
    "/requests",
    response_model=RequestList,
    responses=AUTH_RESPONSES,
    summary="Meeting requests you may see, newest first",
)
def list_requests(
    lang: LangDep,
    principal: PrincipalDep,
    state: Literal["requested", "accepted", "declined", "expired"] | None = None,
    event: Annotated[str | None, Query(max_length=64)] = None,
) -> RequestList:
    return service.list_requests(principal=principal, state=state, event=event)


@router.post(
    "/requests",
    response_model=MeetingRequestOut,
    status_code=201,
    responses=AUTH_RESPONSES,
    summary="Ask to meet another organisation",
)
def post_request(body: RequestIn, lang: LangDep, principal: PrincipalDep) -> MeetingRequestOut:
    return service.request_meeting(
        body.sender,
        body.receiver,
        event=body.event,
        message=body.message,
        priority=body.priority,
        sender_participant=body.sender_participant,
        receiver_participant=body.receiver_participant,
        principal=principal,
    )


@router.post(
    "/requests/{request_id}/answer",
    response_model=MeetingRequestOut,
    responses=AUTH_RESPONSES,
    summary="Accept or decline a request (the receiver)",
)
def answer_request(
    request_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: AnswerIn,
    lang: LangDep,
    principal: PrincipalDep,
) -> MeetingRequestOut:
    return service.answer_request(request_id, body.accept, principal=principal)


@router.get(
    "/reminders",
    response_model=Reminders,
    responses=AUTH_RESPONSES,
    summary="Reminders due for unanswered requests",
)
def reminders(lang: LangDep, principal: PrincipalDep) -> Reminders:
    return service.due_reminders(principal=principal, lang=lang)


@router.post(
    "/reminders",
    response_model=Reminders,
    responses=AUTH_RESPONSES,
    summary="The reminders due, recorded as sent (klynge sends no e-mail itself)",
)
def mark_reminders(lang: LangDep, principal: PrincipalDep) -> Reminders:
    return service.due_reminders(principal=principal, lang=lang, mark=True)


@router.get(
    "/events", response_model=list[EventOut], responses=AUTH_RESPONSES, summary="Events you may see"
)
def list_events(lang: LangDep, principal: PrincipalDep) -> list[EventOut]:
    return service.list_events(principal=principal)


@router.post(
    "/events",
    response_model=EventOut,
    status_code=201,
    responses=AUTH_RESPONSES,
    summary="Create an event (staff: their own cluster's)",
)
def create_event(body: EventIn, lang: LangDep, principal: PrincipalDep) -> EventOut:
    return service.create_event(body, principal=principal)


@router.get(
    "/events/{ref}/document",
    responses=AUTH_RESPONSES,
    summary="The event in the scheduler's JSON form",
)
def event_document(
    ref: Annotated[str, Path(max_length=64)], lang: LangDep, principal: PrincipalDep
) -> Any:
    return service.event_document(ref, principal=principal, lang=lang)


@router.post(
    "/events/{ref}/schedule",
    response_model=service.ScheduleSummary,
    responses=AUTH_RESPONSES,
    summary="Schedule the event's accepted requests and publish",
)
def schedule_event(
    ref: Annotated[str, Path(max_length=64)],
    lang: LangDep,
    principal: PrincipalDep,
    seconds: Annotated[float, Query(gt=0, le=60)] = 2.0,
    fresh: Annotated[
        bool, Query(description="Start over instead of keeping the published meetings.")
    ] = False,
) -> service.ScheduleSummary:
    return service.schedule_event(ref, principal=principal, seconds=seconds, fresh=fresh)


@router.get(
    "/events/{ref}/schedule",
    response_model=service.ScheduleSummary,
    responses=AUTH_RESPONSES,
    summary="The published schedule (organisers)",
)
def published_schedule(
    ref: Annotated[str, Path(max_length=64)], lang: LangDep, principal: PrincipalDep
) -> service.ScheduleSummary:
    return service.published_schedule(ref, principal=principal)


class EventChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tables: int = Field(description="The number of tables (at least 1).")


@router.patch(
    "/events/{ref}",
    response_model=EventOut,
    responses=AUTH_RESPONSES,
    summary="Change the number of tables (a room lost or added)",
)
def change_event(
    ref: Annotated[str, Path(max_length=64)],
    body: EventChange,
    lang: LangDep,
    principal: PrincipalDep,
) -> EventOut:
    return service.change_tables(ref, body.tables, principal=principal)


class SlotAdd(service.SlotIn):
    everyone: bool = Field(
        default=False,
        description="Also make the new slot available to participants who listed their slots "
        "(those who listed none can meet in it anyway).",
    )


SlotPath = Annotated[int, Path(ge=0, le=10_000, description="The slot's number, from 0.")]


@router.post(
    "/events/{ref}/slots",
    response_model=service.SlotOut,
    status_code=201,
    responses=AUTH_RESPONSES,
    summary="Add a slot; it takes the next number, whatever its time",
)
def add_slot(
    ref: Annotated[str, Path(max_length=64)], body: SlotAdd, lang: LangDep, principal: PrincipalDep
) -> service.SlotOut:
    slot = service.SlotIn(start=body.start, end=body.end, session=body.session)
    return service.add_slot(ref, slot, everyone=body.everyone, principal=principal)


@router.patch(
    "/events/{ref}/slots/{slot}",
    response_model=service.SlotOut,
    responses=AUTH_RESPONSES,
    summary="Move a slot or rename its session (it keeps its number and its meetings)",
)
def change_slot(
    ref: Annotated[str, Path(max_length=64)],
    slot: SlotPath,
    body: service.SlotChange,
    lang: LangDep,
    principal: PrincipalDep,
) -> service.SlotOut:
    return service.change_slot(ref, slot, body, principal=principal)


@router.delete(
    "/events/{ref}/slots/{slot}",
    response_model=service.SlotOut,
    responses=AUTH_RESPONSES,
    summary="Cancel a slot: it keeps its number; scheduling again moves or drops its meetings",
)
def cancel_slot(
    ref: Annotated[str, Path(max_length=64)], slot: SlotPath, lang: LangDep, principal: PrincipalDep
) -> service.SlotOut:
    return service.cancel_slot(ref, slot, principal=principal)


@router.post(
    "/events/{ref}/participants",
    response_model=service.ParticipantOut,
    status_code=201,
    responses=AUTH_RESPONSES,
    summary="Add a participant after the event was made (a late registration)",
)
def add_participant(
    ref: Annotated[str, Path(max_length=64)],
    body: service.ParticipantIn,
    lang: LangDep,
    principal: PrincipalDep,
) -> service.ParticipantOut:
    return service.add_participant(ref, body, principal=principal)


@router.patch(
    "/events/{ref}/participants/{participant}",
    response_model=service.ParticipantOut,
    responses=AUTH_RESPONSES,
    summary="Change a participant's availability, quota or booth (by id or e-mail)",
)
def change_participant(
    ref: Annotated[str, Path(max_length=64)],
    participant: Annotated[str, Path(max_length=254)],
    body: service.ParticipantChange,
    lang: LangDep,
    principal: PrincipalDep,
) -> service.ParticipantOut:
    return service.change_participant(ref, participant, body, principal=principal)


@router.delete(
    "/events/{ref}/participants/{participant}",
    responses=AUTH_RESPONSES,
    summary="Take a participant out of the event (by id or e-mail)",
)
def withdraw_participant(
    ref: Annotated[str, Path(max_length=64)],
    participant: Annotated[str, Path(max_length=254)],
    lang: LangDep,
    principal: PrincipalDep,
) -> dict[str, str]:
    return {"withdrawn": service.withdraw_participant(ref, participant, principal=principal)}


@router.post(
    "/events/{ref}/locks",
    response_model=service.LockOut,
    status_code=201,
    responses=AUTH_RESPONSES,
    summary="Fix a meeting in a slot (and at a table): the scheduler keeps it there",
)
def lock_meeting(
    ref: Annotated[str, Path(max_length=64)], body: LockIn, lang: LangDep, principal: PrincipalDep
) -> service.LockOut:
    return service.lock_meeting(ref, body.a, body.b, body.slot, body.table, principal=principal)


@router.delete(
    "/events/{ref}/locks",
    responses=AUTH_RESPONSES,
    summary="Release a locked meeting",
)
def unlock_meeting(
    ref: Annotated[str, Path(max_length=64)],
    a: Annotated[str, Query(max_length=254)],
    b: Annotated[str, Query(max_length=254)],
    lang: LangDep,
    principal: PrincipalDep,
) -> dict[str, bool]:
    return {"released": service.unlock_meeting(ref, a, b, principal=principal)}


@router.get(
    "/events/{ref}/schedule.xlsx",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                }
            }
        },
        **AUTH_RESPONSES,
    },
    summary="The published schedule as a workbook, one sheet per table (organisers)",
)
def schedule_workbook(
    ref: Annotated[str, Path(max_length=64)], lang: LangDep, principal: PrincipalDep
) -> Response:
    return Response(
        content=service.schedule_workbook(ref, principal=principal, lang=lang),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{ref}-schedule.xlsx"',
            "Cache-Control": NO_STORE,
        },
    )


@router.get(
    "/events/{ref}/agenda",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/calendar": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }
        },
        **AUTH_RESPONSES,
    },
    summary="A participant's agenda as JSON, .ics or PDF (a member: its own)",
)
def agenda(
    ref: Annotated[str, Path(max_length=64)],
    lang: LangDep,
    principal: PrincipalDep,
    participant: Annotated[
        str | None,
        Query(min_length=1, max_length=254, description="The participant's id or e-mail."),
    ] = None,
    fmt: Annotated[Literal["json", "ics", "pdf"], Query(alias="format")] = "json",
) -> Any:
    if fmt == "json":
        return service.agenda(ref, principal=principal, participant=participant)
    file = service.agenda_file(ref, fmt, principal=principal, participant=participant, lang=lang)
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": NO_STORE,
        },
    )
