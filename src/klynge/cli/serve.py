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
    lang: LangOption = None,
) -> None:
    """Run the REST API and web platform / Start REST-API'et og webplatformen."""
    import os

    import uvicorn

    # One BLAS thread per worker: the router's matrix products are small, and OpenBLAS's own
    # threads would spin against the other workers (measured: about 60% more requests a second
    # with two workers on two cores). Workers inherit this before NumPy loads.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

    console.print(
        pick(
            lang,
            f"klynge kører på http://{host}:{port}  (API: /api/v1, beskrivelse: /api/docs)",
            f"klynge is running at http://{host}:{port}  (API: /api/v1, description: /api/docs)",
        )
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


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
