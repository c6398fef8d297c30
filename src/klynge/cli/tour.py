"""`klynge tour`: the main job until the web application exists.

It walks through each capability on real or clearly synthetic data, and touches nothing of the
user's: the registry part runs in a temporary SQLite file that is deleted afterwards.
"""

from __future__ import annotations

from datetime import date

import typer

from klynge.cli.output import LangOption, console, table
from klynge.i18n import pick

# A day on which the whole 2021-2024 landscape is known, so that routing shows real clusters.
TOUR_DAY = date(2024, 6, 1)

# Descriptions written for the tour: one per outcome the router can give.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("da", "Vi udvikler betalingsløsninger og software til banker og forsikringsselskaber."),
    ("en", "We design and install foundations and cables for offshore wind farms."),
    ("da", "Familieejet hotel med restaurant og konferencecenter ved Vesterhavet."),
    ("en", "A law firm advising clients on employment and family law."),
    ("da", "Vi fremstiller høreapparater og software, der tilpasser lyden til den enkelte."),
)


def _section(lang: str | None, da: str, en: str) -> None:
    console.print()
    console.rule(pick(lang, da, en))


def _routing_part(lang: str | None) -> None:
    from klynge.landscape import get_landscape
    from klynge.routing import route

    ls = get_landscape()
    ls_rows = []
    for text_lang, text in EXAMPLES:
        result = route(text, on=TOUR_DAY, lang=lang)
        if result.outcome == "routed":
            answer = ", ".join(
                f"{ls.clusters[hit.slug].name} ({hit.score:.2f})"
                for hit in result.clusters
                if hit.slug
            )
        elif result.outcome == "no-cluster-for-area":
            answer = pick(lang, "intet klyngeområde med klynge", "area without a cluster")
            if result.clusters:
                answer += f": {ls.areas[result.clusters[0].area].name.get(lang)}"
        elif result.outcome == "insufficient":
            answer = pick(lang, "ikke nok at gå ud fra", "not enough to go on")
        else:
            answer = pick(lang, "ingen klynge passer", "no cluster fits")
        ls_rows.append((text_lang, text, answer))
    console.print(
        table(
            pick(
                lang,
                f"Hvilken klynge passer? (klynge route, {TOUR_DAY})",
                f"Which cluster fits? (klynge route, {TOUR_DAY})",
            ),
            [pick(lang, "Sprog", "Language"), pick(lang, "Beskrivelse", "Description"), "→"],
            ls_rows,
        )
    )


def _registry_part(lang: str | None) -> None:
    from klynge.cli.registry import print_account
    from klynge.services.registry import tour_account

    with console.status(
        pick(
            lang,
            "Bygger et lille syntetisk register i en midlertidig database ...",
            "Building a small synthetic registry in a temporary database ...",
        )
    ):
        result = tour_account(lang)
    print_account(result, lang)


def tour(lang: LangOption = None) -> None:
    """A guided tour of everything klynge does / En rundvisning i alt, hvad klynge kan."""
    from klynge.cli.landscape import landscape_tour
    from klynge.cli.regions import maturity_command

    console.rule(pick(lang, "klynge – en rundvisning", "klynge – a tour"))
    _section(lang, "1. Landskabet", "1. The landscape")
    landscape_tour(lang)
    _section(lang, "2. Find den rette klynge", "2. Find the right cluster")
    _routing_part(lang)
    _section(lang, "3. Klyngepolitikkens modenhed", "3. The maturity of cluster policy")
    maturity_command(country="DK", on=None, as_json=False, lang=lang)
    _section(lang, "4. Resultatregnskab (syntetiske data)", "4. Performance account (synthetic)")
    _registry_part(lang)
    console.print()
    console.print(
        pick(
            lang,
            "Prøv selv: klynge show 'Odense Robotic', klynge route 'vi laver robotter', "
            "klynge regions nodes FIL, klynge demo-data, klynge --help",
            "Try it yourself: klynge show 'Odense Robotic', klynge route 'we build robots', "
            "klynge regions nodes FILE, klynge demo-data, klynge --help",
        ),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("tour")(tour)
