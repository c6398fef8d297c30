"""`klynge match`: profiles, recommendations, meeting requests and brokerage events in the
database. The command line acts as the local administrator.

(`klynge event schedule|agenda|export`, the scheduler working on event files, is its own group.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from klynge.cli.lazy import lazy
from klynge.cli.output import (
    JsonOption,
    LangOption,
    console,
    emit_json,
    err_console,
    fail,
    table,
)
from klynge.i18n import pick
from klynge.services.auth import LOCAL

if TYPE_CHECKING:
    from pydantic import BaseModel

    from klynge.services import matchmaking as service
else:
    service = lazy("klynge.services.matchmaking")

match_app = typer.Typer(
    name="match",
    help=(
        "Matchmaking: profiles, recommended partners, meeting requests, events / "
        "Matchmaking: profiler, anbefalede partnere, mødeanmodninger, arrangementer."
    ),
    no_args_is_help=True,
)
profile_app = typer.Typer(
    name="profile",
    help="Import, export or show profiles / Indlæs, udlæs eller vis profiler.",
    no_args_is_help=True,
)
event_app = typer.Typer(
    name="event",
    help="Brokerage events in the database / Matchmaking-arrangementer i databasen.",
    no_args_is_help=True,
)
match_app.add_typer(profile_app, name="profile")
match_app.add_typer(event_app, name="event")

M = TypeVar("M", bound="BaseModel")
OrgArg = Annotated[str, typer.Argument(help="Organisation key or CVR / Organisationens nøgle.")]


@match_app.command("recommend")
def recommend(
    organisation: OrgArg,
    limit: Annotated[int, typer.Option("--limit", help="How many / Hvor mange.")] = 10,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Partners worth meeting, best first, with reasons / Partnere, bedste først, med grunde."""
    result = service.recommend(organisation, limit=limit, principal=LOCAL, lang=lang)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    for note in result.notes:
        console.print(note, style="yellow", highlight=False, markup=False)
    rows = [
        (i + 1, p.organisation, p.organisation_name, f"{p.score:.2f}", "; ".join(p.reasons))
        for i, p in enumerate(result.partners)
    ]
    console.print(
        table(
            pick(
                lang,
                f"Anbefalede partnere for {result.organisation_name}",
                f"Recommended partners for {result.organisation_name}",
            ),
            [
                "#",
                pick(lang, "nøgle", "key"),
                pick(lang, "navn", "name"),
                "score",
                pick(lang, "hvorfor", "why"),
            ],
            rows,
        )
    )


@profile_app.command("import")
def profile_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file / CSV- eller XLSX-fil.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, then undo / Kontrollér og fortryd.")
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import profiles, all or nothing / Indlæs profiler, alt eller intet."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

    # With the embedding model the profiles' texts are embedded before they are saved (about
    # 30 ms a text): the bar shows it, and nothing appears when there is nothing to embed.
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json,
    ) as bar:
        tasks: list[TaskID] = []

        def progress(done: int, total: int) -> None:
            if not tasks:
                tasks.append(bar.add_task(pick(lang, "Indlejrer tekster", "Embedding texts")))
            bar.update(tasks[0], completed=done, total=total)

        r = service.import_profiles(
            file, dry_run=dry_run, principal=LOCAL, lang=lang, progress=progress
        )
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    for note in r.notes:
        console.print(note, style="yellow", highlight=False, markup=False)
    _say(
        lang,
        f"{'Prøvekørsel: intet gemt. ' if dry_run else ''}{r.rows} profiler læst fra "
        f"{r.file}; {r.inserted} nye, {r.updated} ændrede, {r.unchanged} uændrede.",
        f"{'Dry run: nothing saved. ' if dry_run else ''}{r.rows} profiles read from "
        f"{r.file}; {r.inserted} new, {r.updated} changed, {r.unchanged} unchanged.",
    )


@profile_app.command("export")
def profile_export(
    file: Annotated[Path, typer.Argument(help="A .csv file / En .csv-fil.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export profiles in the form import reads / Udlæs profiler."""
    r = service.export_profiles(file, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _say(
        lang,
        f"{r.rows} profiler skrevet til {r.file}. Kolonnerne "
        f"{', '.join(r.possible_personal_data)} kan indeholde personoplysninger.",
        f"{r.rows} profiles written to {r.file}. The columns "
        f"{', '.join(r.possible_personal_data)} may hold personal data.",
    )


@profile_app.command("show")
def profile_show(
    organisation: OrgArg, lang: LangOption = None, as_json: JsonOption = False
) -> None:
    """One organisation's profile / Én organisations profil."""
    p = service.get_profile(organisation, principal=LOCAL)
    if as_json:
        emit_json(p.model_dump(mode="json"))
        return
    rows = [
        (pick(lang, "tilbyder", "offers"), p.offers),
        (pick(lang, "søger", "seeks"), p.seeks),
        (pick(lang, "områder", "areas"), ", ".join(p.areas)),
        (pick(lang, "partnertyper", "partner kinds"), ", ".join(p.partner_kinds)),
        (pick(lang, "udløber", "expires"), p.expires_on or ""),
        (
            pick(lang, "aktiv", "active"),
            pick(lang, "ja", "yes") if p.active else pick(lang, "nej", "no"),
        ),
    ]
    console.print(table(f"{p.organisation_name} ({p.organisation})", ["", ""], rows))


@match_app.command("request")
def request(
    sender: Annotated[str, typer.Argument(help="Who asks / Hvem spørger.")],
    receiver: Annotated[str, typer.Argument(help="Whom to meet / Hvem de vil møde.")],
    event: Annotated[str | None, typer.Option("--event", help="Event ref / Arrangement.")] = None,
    message: Annotated[str | None, typer.Option("--message", help="A note / En besked.")] = None,
    must: Annotated[bool, typer.Option("--must", help="Must meet / Skal mødes.")] = False,
    sender_participant: Annotated[
        str | None,
        typer.Option(
            "--sender-participant",
            help="At an event: who asks (participant id or e-mail) / Hvem der spørger.",
        ),
    ] = None,
    receiver_participant: Annotated[
        str | None,
        typer.Option(
            "--receiver-participant",
            help="At an event: who is asked (participant id or e-mail) / Hvem der spørges.",
        ),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask to meet another organisation / Bed om et møde.

    At an event where an organisation has several participants, name who meets whom.
    """
    r = service.request_meeting(
        sender,
        receiver,
        event=event,
        message=message,
        priority="must" if must else "normal",
        sender_participant=sender_participant,
        receiver_participant=receiver_participant,
        principal=LOCAL,
    )
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    console.print(
        pick(
            lang,
            f"Anmodning {r.id}: {who(r.sender_name, r.sender_person)} → "
            f"{who(r.receiver_name, r.receiver_person)}, udløber {r.expires_on}."
            + (" Gensidig: begge vil mødes." if r.mutual else ""),
            f"Request {r.id}: {who(r.sender_name, r.sender_person)} → "
            f"{who(r.receiver_name, r.receiver_person)}, expires {r.expires_on}."
            + (" Mutual: both want to meet." if r.mutual else ""),
        ),
        highlight=False,
        markup=False,
    )


def _say(lang: str | None, da: str, en: str) -> None:
    """One line to the user in their language, printed as written (no Rich markup)."""
    console.print(pick(lang, da, en), highlight=False, markup=False)


def who(organisation: str, person: str | None) -> str:
    return f"{person} ({organisation})" if person else organisation


@match_app.command("answer")
def answer(
    request_id: Annotated[int, typer.Argument(help="The request's number / Anmodningens nr.")],
    accept: Annotated[
        bool, typer.Option("--accept/--decline", help="Accept or decline / Accepter eller afvis.")
    ],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Accept or decline a meeting request / Accepter eller afvis en anmodning."""
    r = service.answer_request(request_id, accept, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    state = {"accepted": ("accepteret", "accepted"), "declined": ("afvist", "declined")}[r.state]
    console.print(pick(lang, f"Anmodning {r.id} er {state[0]}.", f"Request {r.id} {state[1]}."))


@match_app.command("requests")
def requests(
    state: Annotated[
        str | None, typer.Option("--state", help="requested, accepted, declined, expired")
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Meeting requests, newest first / Mødeanmodninger, nyeste først."""
    r = service.list_requests(principal=LOCAL, state=state)  # type: ignore[arg-type]
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    rows = [
        (x.id, x.sender, x.receiver, x.state, x.sent_on, "✓" if x.mutual else "") for x in r.items
    ]
    console.print(
        table(
            pick(lang, "Mødeanmodninger", "Meeting requests"),
            [
                "#",
                pick(lang, "fra", "from"),
                pick(lang, "til", "to"),
                pick(lang, "tilstand", "state"),
                pick(lang, "sendt", "sent"),
                pick(lang, "gensidig", "mutual"),
            ],
            rows,
        )
    )


@match_app.command("reminders")
def reminders(
    mark: Annotated[
        bool, typer.Option("--mark", help="Record them as sent / Markér dem som sendt.")
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reminders due for unanswered requests / Påmindelser om ubesvarede anmodninger."""
    r = service.due_reminders(principal=LOCAL, mark=mark, lang=lang)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    if not r.items:
        console.print(pick(lang, "Ingen påmindelser.", "No reminders due."), highlight=False)
        return
    rows = [(x.request, ", ".join(x.to), x.expires_on, x.message) for x in r.items]
    console.print(
        table(
            pick(lang, "Påmindelser", "Reminders"),
            [
                "#",
                pick(lang, "til", "to"),
                pick(lang, "udløber", "expires"),
                pick(lang, "besked", "message"),
            ],
            rows,
        )
    )
    console.print(
        pick(
            lang,
            "klynge sender ikke e-mail: send dem selv"
            + ("; de er nu noteret som sendt." if mark else ", og kør med --mark bagefter."),
            "klynge sends no e-mail: send them yourself"
            + ("; they are now recorded as sent." if mark else ", then run with --mark."),
        ),
        highlight=False,
        markup=False,
    )


@event_app.command("create")
def event_create(
    file: Annotated[Path, typer.Argument(help="The event as JSON / Arrangementet som JSON.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create an event from JSON: cluster, ref, name, tables, slots, participants (e-mails)."""
    from klynge.services.events import read_json

    try:
        data = read_json(file)
    except OSError as exc:
        fail(pick(lang, f"kan ikke læse {file}: {exc}", f"cannot read {file}: {exc}"), 2)
    r = service.create_event(service.event_input(data), principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _say(
        lang,
        f"Arrangement {r.ref} ({r.cluster}) oprettet: {r.slots} tidsrum, {r.tables} borde, "
        f"{r.participants} deltagere.",
        f"Event {r.ref} ({r.cluster}) created: {r.slots} slots, {r.tables} tables, "
        f"{r.participants} participants.",
    )


@event_app.command("show")
def event_show(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """The event in the scheduler's JSON form / Arrangementet i planlæggerens JSON-form."""
    del as_json  # the document is the answer
    emit_json(service.event_document(ref, principal=LOCAL, lang=lang))


@event_app.command("schedule")
def event_schedule(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    seconds: Annotated[float, typer.Option("--seconds", help="Time limit / Tidsgrænse.")] = 2.0,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Start over instead of keeping the published meetings / Start forfra i stedet "
            "for at beholde de offentliggjorte møder.",
        ),
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Schedule the accepted requests and publish the result / Planlæg og offentliggør.

    Once published, scheduling again keeps every meeting that is still possible where it is
    and reports what moved (unless --fresh).
    """
    r = service.schedule_event(ref, principal=LOCAL, seconds=seconds, fresh=fresh)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    if r.changes is not None:
        from klynge.matchmaking.schedule_replan import reason_words

        def why(code: str | None, lang: str | None = lang) -> str:
            words = reason_words(code)
            return "" if words is None else ": " + pick(lang, words.da, words.en)

        c = r.changes
        _say(
            lang,
            f"Genplanlagt: {c['kept']} møder bevaret, {len(c['moved'])} flyttet, "
            f"{len(c['dropped'])} faldet bort, {len(c['added'])} tilføjet.",
            f"Re-planned: {c['kept']} meetings kept, {len(c['moved'])} moved, "
            f"{len(c['dropped'])} dropped, {len(c['added'])} added.",
        )
        for m in c["moved"]:
            console.print(
                pick(
                    lang,
                    f"  flyttet: {m['a']} – {m['b']}: tidsrum {m['from_slot']} → {m['to_slot']}"
                    + why(m.get("reason")),
                    f"  moved: {m['a']} – {m['b']}: slot {m['from_slot']} → {m['to_slot']}"
                    + why(m.get("reason")),
                ),
                highlight=False,
                markup=False,
            )
        for d in c["dropped"]:
            _say(
                lang,
                f"  faldet bort: {d['a']} – {d['b']} (tidsrum {d['slot']})" + why(d["reason"]),
                f"  dropped: {d['a']} – {d['b']} (slot {d['slot']})" + why(d["reason"]),
            )
        for m in c["added"]:
            _say(
                lang,
                f"  tilføjet: {m['a']} – {m['b']} (tidsrum {m['slot']})",
                f"  added: {m['a']} – {m['b']} (slot {m['slot']})",
            )
    _say(
        lang,
        f"{r.placed} møder placeret; højst {r.bound} kan placeres ({r.bound_method}): "
        f"{r.percent_of_bound:.1f} %. {r.standby} på venteliste.",
        f"{r.placed} meetings placed; at most {r.bound} can be ({r.bound_method}): "
        f"{r.percent_of_bound:.1f}%. {r.standby} on the standby list.",
    )
    if r.unplaceable:
        err_console.print(
            pick(
                lang,
                f"advarsel: {r.unplaceable} anmodning(er) mellem deltagere uden fælles "
                "tidsrum kan ikke placeres.",
                f"warning: {r.unplaceable} request(s) between participants who share no "
                "available slot cannot be placed.",
            ),
            highlight=False,
            markup=False,
        )
    if r.left_out:
        err_console.print(
            pick(
                lang,
                f"advarsel: {r.left_out} anmodning(er) til eller fra en organisation uden "
                "deltager i arrangementet, eller med flere og ingen valgt, er ikke planlagt.",
                f"warning: {r.left_out} request(s) to or from an organisation without a "
                "participant in the event, or with several and none chosen, are not scheduled.",
            ),
            highlight=False,
            markup=False,
        )


PersonArg = Annotated[
    str, typer.Argument(help="Participant id or e-mail / Deltager-id eller e-mail.")
]


@event_app.command("lock")
def event_lock(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    a: PersonArg,
    b: PersonArg,
    slot: Annotated[int, typer.Option("--slot", help="Slot, from 0 / Tidsrum, fra 0.")],
    table_no: Annotated[
        int | None, typer.Option("--table", help="Table, from 1 / Bord, fra 1.")
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fix a meeting in a slot (and at a table) / Lås et møde i et tidsrum (og ved et bord)."""
    r = service.lock_meeting(ref, a, b, slot, table_no, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    at = "" if r.table is None else pick(lang, f", bord {r.table}", f", table {r.table}")
    _say(
        lang,
        f"Låst: {r.a_name} – {r.b_name} i tidsrum {r.slot}{at}.",
        f"Locked: {r.a_name} – {r.b_name} in slot {r.slot}{at}.",
    )


@event_app.command("unlock")
def event_unlock(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    a: PersonArg,
    b: PersonArg,
    lang: LangOption = None,
) -> None:
    """Release a locked meeting / Frigiv et låst møde."""
    service.unlock_meeting(ref, a, b, principal=LOCAL)
    _say(lang, "Frigivet.", "Released.")


@event_app.command("withdraw")
def event_withdraw(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    who: PersonArg,
    lang: LangOption = None,
) -> None:
    """Take a participant out of the event / Tag en deltager ud af arrangementet."""
    name = service.withdraw_participant(ref, who, principal=LOCAL)
    _say(
        lang,
        f"{name} er taget ud. Planlæg igen: kun deres møder falder bort.",
        f"{name} withdrawn. Schedule again: only their meetings are dropped.",
    )


@event_app.command("tables")
def event_tables(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    tables: Annotated[int, typer.Argument(help="How many tables / Hvor mange borde.")],
    lang: LangOption = None,
) -> None:
    """Change the number of tables / Ændr antallet af borde."""
    r = service.change_tables(ref, tables, principal=LOCAL)
    _say(lang, f"{r.ref}: {r.tables} borde.", f"{r.ref}: {r.tables} tables.")


slot_app = typer.Typer(
    name="slot",
    help="Add, move or cancel an event's slots / Tilføj, flyt eller aflys tidsrum.",
    no_args_is_help=True,
)
event_app.add_typer(slot_app, name="slot")
RefArg = Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")]
SlotArg = Annotated[int, typer.Argument(help="The slot, from 0 / Tidsrummet, fra 0.")]


def _slot_said(r: service.SlotOut, lang: str | None) -> None:
    when = f"{r.start:%Y-%m-%d %H:%M}–{r.end:%H:%M}" + (f" {r.session}" if r.session else "")
    console.print(
        pick(
            lang,
            f"{r.event}: tidsrum {r.slot} " + ("aflyst" if r.cancelled else when) + ".",
            f"{r.event}: slot {r.slot} " + ("cancelled" if r.cancelled else when) + ".",
        ),
        highlight=False,
        markup=False,
    )
    for lk in r.released_locks:
        _say(
            lang,
            f"  låsen frigivet: {lk['a']} – {lk['b']}",
            f"  lock released: {lk['a']} – {lk['b']}",
        )
    if r.published_meetings:
        console.print(
            pick(
                lang,
                f"{len(r.published_meetings)} offentliggjorte møder ligger i tidsrummet"
                + (": planlæg igen for at flytte dem." if r.cancelled else "."),
                f"{len(r.published_meetings)} published meetings are in the slot"
                + (": schedule again to move them." if r.cancelled else "."),
            ),
            highlight=False,
            markup=False,
        )


def _checked(model: type[M], values: dict[str, object], lang: str | None) -> M:
    """The options as the service's input, or each problem in the chosen language."""
    from pydantic import ValidationError

    from klynge.errors import field_problem

    try:
        return model.model_validate(values)
    except ValidationError as exc:
        fail("; ".join(f"{e['loc'][0]}: {field_problem(e).get(lang)}" for e in exc.errors()), 2)


@slot_app.command("add")
def slot_add(
    ref: RefArg,
    start: Annotated[str, typer.Argument(help="2026-11-20T14:00")],
    end: Annotated[str, typer.Argument(help="2026-11-20T14:20")],
    session: Annotated[str | None, typer.Option("--session", help="Session / Session.")] = None,
    everyone: Annotated[
        bool,
        typer.Option(
            "--everyone",
            help="Available to everyone, also those who listed their slots / Alle kan.",
        ),
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a slot; it takes the next number / Tilføj et tidsrum; det får næste nummer."""
    data = _checked(service.SlotIn, {"start": start, "end": end, "session": session}, lang)
    r = service.add_slot(ref, data, everyone=everyone, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _slot_said(r, lang)


@slot_app.command("change")
def slot_change(
    ref: RefArg,
    slot: SlotArg,
    start: Annotated[str | None, typer.Option("--start", help="2026-11-20T14:00")] = None,
    end: Annotated[str | None, typer.Option("--end", help="2026-11-20T14:20")] = None,
    session: Annotated[
        str | None, typer.Option("--session", help='Session ("" clears it) / Session.')
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move a slot or rename its session / Flyt et tidsrum eller omdøb dets session."""
    given = {"start": start, "end": end, "session": session}
    change = _checked(service.SlotChange, {k: v for k, v in given.items() if v is not None}, lang)
    r = service.change_slot(ref, slot, change, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _slot_said(r, lang)


@slot_app.command("cancel")
def slot_cancel(
    ref: RefArg, slot: SlotArg, lang: LangOption = None, as_json: JsonOption = False
) -> None:
    """Cancel a slot; it keeps its number / Aflys et tidsrum; det beholder sit nummer."""
    r = service.cancel_slot(ref, slot, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _slot_said(r, lang)


participant_app = typer.Typer(
    name="participant",
    help="Add a late participant or change one / Tilføj en sen deltager eller ret en.",
    no_args_is_help=True,
)
event_app.add_typer(participant_app, name="participant")
AvailableOption = Annotated[
    str | None,
    typer.Option(
        "--available",
        help='Slot numbers, e.g. "0,1,4"; "all" for every live slot / Tidsrum; "all" for alle.',
    ),
]


def _slot_numbers(text: str | None, lang: str | None) -> list[int] | None:
    """``--available`` as slot numbers; "all" (or nothing) is every live slot."""
    if text is None or text.strip().lower() in ("all", "alle", ""):
        return None
    try:
        return [int(x) for x in text.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        fail(
            pick(
                lang,
                f"--available: skriv tidsrummenes numre adskilt af komma, ikke {text!r}",
                f"--available: give slot numbers separated by commas, not {text!r}",
            ),
            2,
        )


def _participant_said(r: service.ParticipantOut, lang: str | None) -> None:
    da = "alle" if r.available is None else ", ".join(map(str, r.available))
    en = "all" if r.available is None else da
    console.print(
        pick(
            lang,
            f"{r.event}: {r.name} ({r.organisation}), deltager {r.id}: tidsrum {da}"
            + ("" if r.quota is None else f"; kvote {r.quota}")
            + ("" if r.booth is None else f"; stand {r.booth}")
            + ".",
            f"{r.event}: {r.name} ({r.organisation}), participant {r.id}: slots {en}"
            + ("" if r.quota is None else f"; quota {r.quota}")
            + ("" if r.booth is None else f"; booth {r.booth}")
            + ".",
        ),
        highlight=False,
        markup=False,
    )
    for lk in r.released_locks:
        _say(
            lang,
            f"  låsen frigivet: {lk['a']} – {lk['b']} (tidsrum {lk['slot']})",
            f"  lock released: {lk['a']} – {lk['b']} (slot {lk['slot']})",
        )
    for m in r.affected_meetings:
        _say(
            lang,
            f"  kan ikke længere holdes: {m['a']} – {m['b']} (tidsrum {m['slot']}): {m['reason']}",
            f"  no longer possible: {m['a']} – {m['b']} (slot {m['slot']}): {m['reason']}",
        )
    if r.affected_meetings or r.released_locks:
        _say(
            lang,
            "Planlæg igen: kun disse møder flyttes eller falder bort.",
            "Schedule again: only these meetings move or are dropped.",
        )


@participant_app.command("add")
def participant_add(
    ref: RefArg,
    email: Annotated[str, typer.Argument(help="The contact's e-mail / Kontaktens e-mail.")],
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", help="When a contact of several / Ved flere."),
    ] = None,
    available: AvailableOption = None,
    quota: Annotated[int | None, typer.Option("--quota", help="Most meetings / Højst.")] = None,
    booth: Annotated[str | None, typer.Option("--booth", help="A fixed booth / Stand.")] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a late participant / Tilføj en sen deltager."""
    values: dict[str, object] = {
        "email": email,
        "organisation": organisation,
        "available": _slot_numbers(available, lang),
        "quota": quota,
        "booth": booth,
    }
    data = _checked(service.ParticipantIn, values, lang)
    r = service.add_participant(ref, data, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _participant_said(r, lang)


@participant_app.command("change")
def participant_change(
    ref: RefArg,
    who: PersonArg,
    available: AvailableOption = None,
    quota: Annotated[
        str | None, typer.Option("--quota", help='Most meetings; "none" / Højst; "none".')
    ] = None,
    booth: Annotated[
        str | None, typer.Option("--booth", help='A booth ("" clears it) / Stand.')
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change availability, quota or booth / Ret tilgængelighed, kvote eller stand."""
    values: dict[str, object] = {}
    if available is not None:
        values["available"] = _slot_numbers(available, lang)
    if quota is not None:
        values["quota"] = None if quota.strip().lower() in ("none", "ingen", "") else quota
    if booth is not None:
        values["booth"] = booth
    change = _checked(service.ParticipantChange, values, lang)
    r = service.change_participant(ref, who, change, principal=LOCAL)
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    _participant_said(r, lang)


@event_app.command("export")
def event_export(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    output: Annotated[Path, typer.Option("--output", help="An .xlsx file / En .xlsx-fil.")],
    lang: LangOption = None,
) -> None:
    """The published schedule, one sheet per table / Mødeplanen, et ark pr. bord."""
    if output.suffix.lower() != ".xlsx":
        fail(pick(lang, "brug en .xlsx-fil", "use an .xlsx file"), 2)
    data = service.schedule_workbook(ref, principal=LOCAL, lang=lang)
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"{output}: {exc.strerror or exc}", 2)
    console.print(str(output), highlight=False, markup=False)


@event_app.command("agenda")
def event_agenda(
    ref: Annotated[str, typer.Argument(help="The event's ref / Arrangementets ref.")],
    participant: Annotated[
        str,
        typer.Option(
            "--participant", help="Participant id or e-mail / Deltagerens id eller e-mail."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", help="An .ics or .pdf file / En .ics- eller .pdf-fil."),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """A participant's agenda, or its .ics or PDF file / En deltagers mødeplan."""
    if output is not None:
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in ("ics", "pdf"):
            fail(pick(lang, "brug .ics eller .pdf", "use .ics or .pdf"), 2)
        f = service.agenda_file(ref, fmt, principal=LOCAL, participant=participant, lang=lang)  # type: ignore[arg-type]
        try:
            output.write_bytes(f.content)
        except OSError as exc:
            fail(f"{output}: {exc.strerror or exc}", 2)
        console.print(str(output), highlight=False, markup=False)
        return
    ag = service.agenda(ref, principal=LOCAL, participant=participant)
    if as_json:
        emit_json(ag.model_dump(mode="json"))
        return
    from klynge.context import current_lang
    from klynge.services.events import where

    # As `klynge event agenda`: the time until the end, and the table or the exhibitor's booth.
    shown = current_lang()
    rows = [
        (
            i.slot,
            f"{i.start:%Y-%m-%d %H:%M}–{i.end:%H:%M}" if i.start and i.end else (i.start or ""),
            f"{i.partner_name or i.partner} ({i.partner_organisation or ''})",
            where(i, shown),
        )
        for i in ag.items
    ]
    console.print(
        table(
            f"{ag.event}: {ag.name}",
            [
                pick(lang, "tidsrum", "slot"),
                pick(lang, "tid", "time"),
                pick(lang, "møde med", "meeting with"),
                pick(lang, "hvor", "where"),
            ],
            rows,
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(match_app, name="match")
