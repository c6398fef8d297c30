"""How every `klynge` command runs: the language, errors, and no tracebacks.

``KlyngeGroup`` is the Click group behind the Typer app, so the same rules hold whether the
command comes from a shell (``klynge ...``) or from a test's ``CliRunner``:

- ``--lang``/``-l`` may stand anywhere on the line; it is lifted out before Click parses, and
  set as the context language (else ``$KLYNGE_LANG``, else English). A bad value is an error
  that names where it came from.
- A :class:`~klynge.errors.KlyngeError` prints as one line (as JSON under ``--json`` or
  ``--format json``) and exits with its class's exit code.
- Anything else is a bug: it prints one line saying so, unless ``KLYNGE_DEBUG`` is set, which
  shows the traceback.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Sequence
from typing import Any

import click
from typer.core import TyperGroup

from klynge.context import ENV_VAR, current_lang, lang_from, lang_from_env, set_lang
from klynge.errors import InternalError, KlyngeError
from klynge.i18n import Lang

LANG_FLAGS = ("--lang", "-l")


def split_lang(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """Take ``--lang X``, ``--lang=X`` and ``-l X`` out of ``args``; the last one given wins.

    Everything after ``--`` is left alone, so a text argument that happens to read "--lang" can
    still be passed.
    """
    value: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        if a in LANG_FLAGS and i + 1 < len(args):
            value = args[i + 1]
            i += 2
            continue
        if a.startswith("--lang="):
            value = a.split("=", 1)[1]
            i += 1
            continue
        rest.append(a)
        i += 1
    return value, rest


def wants_json(args: Sequence[str]) -> bool:
    if "--json" in args or "--format=json" in args:
        return True
    return any(a == "--format" and b == "json" for a, b in itertools.pairwise(args))


class KlyngeGroup(TyperGroup):
    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        raw = list(sys.argv[1:] if args is None else args)
        as_json = wants_json(raw)
        lang: Lang = "en"
        settled = False
        try:
            given, rest = split_lang(raw)
            lang = lang_from(given) if given is not None else lang_from_env()
            set_lang(lang, explicit=given is not None or ENV_VAR in os.environ)
            settled = True
            return super().main(
                args=rest,
                prog_name=prog_name or "klynge",
                complete_var=complete_var,
                standalone_mode=standalone_mode,
                **extra,
            )
        except KlyngeError as exc:
            # The command may have settled the language since (a description's own language
            # when none was chosen: `klynge route` answers and refuses in it).
            _report(exc, current_lang() if settled else lang, as_json)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("KLYNGE_DEBUG"):
                raise
            wrapped = InternalError.wrap(exc)
            _report(wrapped, lang, as_json)
            sys.exit(wrapped.exit_code)


def _report(exc: KlyngeError, lang: Lang, as_json: bool) -> None:
    # Imported here so that the runner stays importable before Rich is needed.
    from klynge.cli.output import print_error

    print_error(exc, lang, as_json)
