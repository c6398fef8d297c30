"""Matchmaking pages: a profile to edit, recommended partners, meeting requests to send and
answer, and the organiser's view of an event.

Every page hands the signed-in person's principal to :mod:`klynge.services.matchmaking`, which
decides what they may see and do (a member its own organisation, staff their members and their
cluster's events). Forms that change state carry a CSRF token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from klynge.errors import InvalidInput, KlyngeError
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


@router.post("/match/requests", response_class=Response)
def send_request(
    request: Request,
    sender: Annotated[str, Form(max_length=64)],
    receiver: Annotated[str, Form(max_length=64)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    event: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        service.request_meeting(sender, receiver, event=event or None, principal=person.principal)
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


@router.get("/match/events/{ref}", response_class=Response)
def event(request: Request, ref: str) -> Response:
    """The organiser's view: slots, participants and the requests between them."""

    def view(person: Person, lang: Lang) -> Response:
        doc = service.event_document(ref, principal=person.principal)
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
            session=person,
            ref=ref,
            doc=doc,
            names=names,
            published=published,
        )

    return signed_in(request, view, roles=("staff", "admin", "analyst"))


@router.post("/match/events/{ref}/schedule", response_class=Response)
def schedule(
    request: Request, ref: str, csrf_token: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """Staff schedule their event's accepted requests and publish the result."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        service.schedule_event(ref, principal=person.principal)
        return RedirectResponse(f"/match/events/{ref}", status_code=303)

    return signed_in(request, view, roles=("staff", "admin"))


@router.get("/match/events/{ref}/agenda", response_class=Response)
def agenda(request: Request, ref: str, participant: int | None = None) -> Response:
    """A personal agenda: a member's own, or any participant's for the organisers."""

    def view(person: Person, lang: Lang) -> Response:
        ag = service.agenda(ref, principal=person.principal, participant=participant)
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
