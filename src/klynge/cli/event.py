"""`klynge event`: schedule a brokerage event, re-schedule it, agendas and the organiser's sheets.

Each command reads files, calls one function of :mod:`klynge.services.events` and renders the
result: a summary and a table for people, the model as JSON under ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from klynge.context import current_lang
from klynge.i18n import pick

if TYPE_CHECKING:
    from klynge.services import events as service
else:
    service = lazy("klynge.services.events")

event_app = typer.Typer(
    name="event",
    help="Brokerage events: schedule meetings, agendas, the organiser's sheets / "
    "Matchmaking-arrangementer: mødeplan, personlige programmer, arrangørens ark.",
    no_args_is_help=True,
)

EventArg = Annotated[
    Path, typer.Argument(help="The event as JSON. / Arrangementet som JSON.", show_default=False)
]
ScheduleArg = Annotated[
    Path,
    typer.Argument(
        help="A schedule written by `klynge event schedule --json`. / En mødeplan som JSON.",
        show_default=False,
    ),
]


def _file_or_ref(path: Path, verb: str) -> None:
    """A name without an extension that is no file is most likely an event kept in the
    database: say which command reads those, instead of only "no such file"."""
    if path.suffix or path.exists():
        return
    lang = current_lang()
    fail(
        pick(
            lang,
            f"Filen {path} findes ikke. Et arrangement i databasen: "
            f"`klynge match event {verb} {path}`",
            f"The file {path} does not exist. For an event kept in the database: "
            f"`klynge match event {verb} {path}`",
        ),
        2,
    )


def _percent(placed: int, bound: int) -> str:
    return f"{100.0 * placed / bound:.2f}" if bound else "100.00"


@event_app.command("create")
def create(
    event: EventArg,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create an event in the database from JSON (as `klynge match event create`) / Opret et
    arrangement i databasen fra JSON."""
    from klynge.cli.match import event_create

    event_create(event, lang=lang, as_json=as_json)


@event_app.command("schedule")
def schedule(
    event: EventArg,
    seconds: Annotated[
        float,
        typer.Option("--seconds", help="Time for the search. / Tid til søgningen."),
    ] = 2.0,
    method: Annotated[
        str,
        typer.Option("--method", help="auto, search, greedy or exact. / Metode."),
    ] = "auto",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also write the JSON here. / Skriv også JSON hertil."),
    ] = None,
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            help="A published plan (JSON) to keep as it is: schedule the unbooked slots only. / "
            "En offentliggjort plan, der beholdes: planlæg kun de ledige tidsrum.",
        ),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Place the accepted meeting requests into slots and tables / Læg møder i tidsrum og borde."""
    _file_or_ref(event, "schedule")
    result = service.schedule_event(event, seconds=seconds, method=method, keep=keep)
    data = result.model_dump(mode="json")
    if out is not None:
        import json

        out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if as_json:
        emit_json(data)
        return
    lang = current_lang()
    pct = _percent(result.placed, result.bound)
    console.print(
        pick(
            lang,
            f"{result.placed} møder placeret af højst {result.bound} mulige ({pct} % af det "
            f"bedst mulige; grænsen er bevist med {result.bound_method}).",
            f"{result.placed} meetings placed out of at most {result.bound} possible (within "
            f"{pct}% of the best possible; bound proven by {result.bound_method}).",
        ),
        highlight=False,
    )
    if result.bound_given_tiers is not None:
        console.print(
            pick(
                lang,
                "Ingen plan med mindst lige så mange møder i de højere prioriteter har mere end "
                f"{result.bound_given_tiers} møder i alt.",
                "No schedule with at least as many meetings in the higher tiers has more than "
                f"{result.bound_given_tiers} meetings in all.",
            ),
            highlight=False,
        )
    rows = [(t.tier, t.requests, t.placed, t.bound) for t in result.tiers]
    header = [
        pick(lang, "prioritet", "tier"),
        pick(lang, "anmodninger", "requests"),
        pick(lang, "placeret", "placed"),
        pick(lang, "højst", "at most"),
    ]
    console.print(table(None, header, rows))
    console.print(
        pick(
            lang,
            f"Venteliste: {len(result.standby)}; kan ikke placeres (intet fælles tidsrum): "
            f"{len(result.unplaceable)}; metode: {result.method}; {result.seconds:.2f} s.",
            f"Standby list: {len(result.standby)}; unplaceable (no shared slot): "
            f"{len(result.unplaceable)}; method: {result.method}; {result.seconds:.2f} s.",
        ),
        highlight=False,
    )
    if result.unplaceable:
        err_console.print(
            pick(
                lang,
                f"advarsel: {len(result.unplaceable)} anmodning(er) mellem deltagere uden fælles "
                "tidsrum kan ikke placeres (se --json, 'unplaceable').",
                f"warning: {len(result.unplaceable)} request(s) between participants who share "
                "no available slot cannot be placed (see --json, 'unplaceable').",
            ),
            highlight=False,
        )


@event_app.command("reschedule")
def reschedule(
    event: EventArg,
    published: ScheduleArg,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Re-plan after a change, keeping published meetings / Planlæg om, og behold møderne."""
    result = service.reschedule_event(event, published)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    lang = current_lang()
    s = result.schedule
    console.print(
        pick(
            lang,
            f"{result.kept} møder uændrede, {len(result.moved)} flyttet, {len(result.dropped)} "
            f"aflyst, {len(result.added)} nye. I alt {s.placed} af højst {s.bound}.",
            f"{result.kept} meetings unchanged, {len(result.moved)} moved, "
            f"{len(result.dropped)} dropped, {len(result.added)} added. In all {s.placed} of at "
            f"most {s.bound}.",
        ),
        highlight=False,
    )
    from klynge.matchmaking.schedule_replan import reason_words

    def why(code: str | None) -> str:
        words = reason_words(code)
        return "" if words is None else pick(lang, words.da, words.en)

    if result.moved:
        header = ["a", "b", pick(lang, "fra", "from"), pick(lang, "til", "to")]
        header.append(pick(lang, "hvorfor", "why"))
        rows = [(m.a, m.b, m.from_slot, m.to_slot, why(m.reason)) for m in result.moved]
        console.print(table(pick(lang, "Flyttede møder", "Moved meetings"), header, rows))
    if result.dropped:
        header = ["a", "b", pick(lang, "tidsrum", "slot"), pick(lang, "hvorfor", "why")]
        gone = [(d.a, d.b, d.slot, why(d.reason)) for d in result.dropped]
        console.print(table(pick(lang, "Aflyste møder", "Dropped meetings"), header, gone))
    if result.added:
        header = ["a", "b", pick(lang, "tidsrum", "slot")]
        new = [(m.a, m.b, m.slot) for m in result.added]
        console.print(table(pick(lang, "Nye møder", "New meetings"), header, new))


@event_app.command("agenda")
def agenda(
    event: EventArg,
    published: ScheduleArg,
    participant: Annotated[
        str, typer.Option("--participant", "-p", help="Participant id. / Deltagerens id.")
    ],
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Write an .ics calendar file. / Skriv en .ics-kalenderfil."),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """One participant's personal agenda / Én deltagers personlige program."""
    _file_or_ref(event, "agenda")
    ev = service.load_event(event)
    result = service.agenda(ev, service.load_schedule(published, ev), participant)
    lang = current_lang()
    if ics is not None:
        ics.write_bytes(service.agenda_ics(result, lang))
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    title = pick(lang, "Program for ", "Agenda for ") + (result.name or str(result.participant))
    header = [
        pick(lang, "tidsrum", "slot"),
        pick(lang, "tid", "time"),
        pick(lang, "med", "with"),
        pick(lang, "organisation", "organisation"),
        pick(lang, "hvor", "where"),
    ]
    rows = [
        (
            i.slot,
            f"{i.start:%H:%M}–{i.end:%H:%M}" if i.start and i.end else "",
            i.partner_name or i.partner,
            i.partner_organisation or "",
            service.where(i, lang),
        )
        for i in result.items
    ]
    console.print(table(title, header, rows))
    if not result.items:
        console.print(pick(lang, "Ingen møder.", "No meetings."), highlight=False)


@event_app.command("export")
def export(
    event: EventArg,
    published: ScheduleArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The .xlsx file to write. / Filen, der skrives.")
    ] = Path("schedule.xlsx"),
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """The organiser's schedule as XLSX, one sheet per table / Arrangørens plan, ét ark pr. bord."""
    _file_or_ref(event, "export")
    ev = service.load_event(event)
    sheets = service.export_xlsx(ev, service.load_schedule(published, ev), out, current_lang())
    if as_json:
        emit_json({"file": str(out), "sheets": sheets})
        return
    console.print(
        pick(current_lang(), f"{out}: {sheets} ark.", f"{out}: {sheets} sheets."), highlight=False
    )


def register(app: typer.Typer) -> None:
    app.add_typer(event_app, name="event")
