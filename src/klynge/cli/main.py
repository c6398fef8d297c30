"""The `klynge` command. Each capability registers its commands from its own module."""

from __future__ import annotations

import gc
from typing import Annotated

import typer

from klynge import __version__
from klynge.cli import (
    auth,
    event,
    factsheet,
    landscape,
    match,
    people,
    regions,
    registry,
    routing,
    serve,
    tour,
    users,
)
from klynge.cli.runner import KlyngeGroup

app = typer.Typer(
    cls=KlyngeGroup,
    name="klynge",
    help=(
        "klynge: the Danish cluster landscape as working software. "
        "Det danske klyngelandskab som software. Use --lang da for Danish output."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"klynge {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and exit. / Vis versionen.",
        ),
    ] = False,
) -> None:
    """klynge: the Danish cluster landscape as working software."""


for module in (
    tour,
    landscape,
    routing,
    registry,
    auth,
    people,
    users,
    match,
    event,
    regions,
    factsheet,
    serve,
):
    module.register(app)


def run() -> None:
    # What the imports above created lives as long as the process: frozen, the collector does
    # not walk it again each time it runs (a full collection during a large command's own
    # imports cost a tenth of a second).
    gc.freeze()
    app()
