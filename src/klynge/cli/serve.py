"""`klynge serve`: run the REST API (and, later, the web pages) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from klynge.cli.output import LangOption, console
from klynge.i18n import pick


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on. / Adresse, der lyttes på.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on. / Port.")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, help="Worker processes. / Antal arbejdsprocesser."
        ),
    ] = 1,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Start on a database of SYNTHETIC demo data (its own SQLite file unless "
            "$KLYNGE_DATABASE_URL is set) and print a sign-in for each role. / "
            "Start med syntetiske demodata og vis et login for hver rolle.",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Run the REST API and web platform / Start REST-API'et og webplatformen."""
    import os

    import uvicorn

    if demo:
        _prepare_demo(lang)

    # One BLAS thread per worker: the router's matrix products are small, and OpenBLAS's own
    # threads would spin against the other workers (measured: about 60% more requests a second
    # with two workers on two cores). Workers inherit this before NumPy loads.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

    console.print(
        pick(
            lang,
            f"klynge kører på http://{host}:{port}  (API: /api/v1, beskrivelse: /openapi.json)",
            f"klynge is running at http://{host}:{port}"
            "  (API: /api/v1, description: /openapi.json)",
        ),
        soft_wrap=True,
    )
    uvicorn.run(
        "klynge.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


def _prepare_demo(lang: str | None) -> None:
    """Point this process and its workers at the demo database, fill it, print the sign-ins."""
    import os

    from klynge.services import demo as service

    if not os.environ.get("KLYNGE_DATABASE_URL"):
        path = service.demo_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["KLYNGE_DATABASE_URL"] = f"sqlite:///{path}"
    with console.status(pick(lang, "Forbereder demodata …", "Preparing the demo data …")):
        setup = service.prepare_demo()
    console.print(
        pick(
            lang,
            f"[bold]DEMO[/bold]: {setup.url} har {setup.organisations:,} SYNTETISKE "
            f"organisationer og {setup.participations:,} deltagelser (opdigtede, markeret som "
            "syntetiske).".replace(",", "."),
            f"[bold]DEMO[/bold]: {setup.url} holds {setup.organisations:,} SYNTHETIC "
            f"organisations and {setup.participations:,} participations (made up, marked as "
            "synthetic).",
        ),
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        pick(
            lang,
            "Log ind på /login med en af disse (de gælder, til demoen startes igen):",
            "Sign in at /login with one of these (valid until the demo starts again):",
        )
    )
    for user in setup.users:
        who = f"{user.role} ({user.scope})" if user.scope else user.role
        console.print(
            f"  {who:<26} {user.email:<28} {user.password}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    console.print(
        pick(
            lang,
            "API-nøgler (Authorization: Bearer …, eller under »adgangsnøgle« på /login):",
            "API tokens (Authorization: Bearer …, or under 'access token' at /login):",
        )
    )
    for login in setup.logins:
        who = f"{login.role} ({login.cluster})" if login.cluster else login.role
        console.print(f"  {who:<26} {login.token}", highlight=False, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
