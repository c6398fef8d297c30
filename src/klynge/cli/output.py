"""Shared CLI plumbing: language and JSON options, tables, JSON output and errors.

Every command uses these so that `--lang`, `--json` and error messages behave the same everywhere.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from klynge.context import current_lang, lang_from, set_lang
from klynge.errors import KlyngeError
from klynge.i18n import Lang, Text

console = Console()
err_console = Console(stderr=True)


def _lang_callback(value: str | None) -> Lang:
    """The language the runner settled (``--lang`` anywhere, else $KLYNGE_LANG, else English).

    The runner (``cli/runner.py``) lifts ``--lang`` out of the arguments wherever it stands, so a
    value reaches this callback only when a command is invoked some other way.
    """
    if value is not None:
        set_lang(lang_from(value))
    return current_lang()


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help=(
            "Language for output: da or en. Default: $KLYNGE_LANG or en. / "
            "Sprog for uddata: da eller en."
        ),
        callback=_lang_callback,
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print JSON for programs instead of tables. / Udskriv JSON i stedet for tabeller.",
    ),
]


def _date_callback(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date in the form YYYY-MM-DD / er ikke en dato (ÅÅÅÅ-MM-DD)"
        ) from exc


OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help=(
            "Use the landscape in force on this date (YYYY-MM-DD). Default: the last day the "
            "records cover in full (2024-12-31), or today if earlier. / "
            "Brug landskabet, som det var på denne dato."
        ),
    ),
]


def parse_on(value: str | None) -> date | None:
    """The date given with ``--on``, or None: the service then uses the one default day
    (``services.landscape.default_day``) and says so in its answer."""
    return _date_callback(value)


def _default(obj: Any) -> Any:
    if isinstance(obj, date):
        return obj.isoformat()
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def emit_json(obj: Any) -> None:
    """Write JSON to stdout, untouched by Rich so that programs can parse it."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_default))
    sys.stdout.write("\n")


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str | None = None,
) -> Table:
    t = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for i, c in enumerate(columns):
        # The first column holds identifiers (slugs, codes) that must stay copyable on one line.
        t.add_column(c, overflow="fold", no_wrap=i == 0)
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    return t


class CliFailure(KlyngeError):
    """An error a command words itself in the reader's language (both fields carry it)."""

    code = "invalid-input"
    status = 422

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(Text(da=message, en=message))
        self.exit_code = exit_code  # type: ignore[misc]


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop with an error a person can act on; the runner prints it (as JSON under --json)."""
    raise CliFailure(message, code)


def print_error(exc: KlyngeError, lang: str | None, as_json: bool) -> None:
    """One line on stderr for people; the problem document on stdout for programs."""
    if as_json:
        sys.stdout.write(json.dumps({"error": exc.as_json(lang)}, ensure_ascii=False) + "\n")
        return
    prefix = "fejl" if lang == "da" else "error"
    # soft_wrap: one error is one line, whatever the terminal's width (a pipe gets 80 columns).
    err_console.print(
        f"[bold red]{prefix}:[/bold red] {escape(exc.text(lang))}", highlight=False, soft_wrap=True
    )
    for text, loc in exc.details:
        where = loc.describe(lang) if loc is not None else ""
        line = f"{where}: {text.get(lang)}" if where else text.get(lang)
        err_console.print(f"  - {escape(line)}", highlight=False, soft_wrap=True)
