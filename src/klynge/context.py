"""The language of the current command or request, as a context variable.

A context variable, not a module global, so that concurrent API requests in one process each
keep their own language. Faces set it once (the CLI from ``--lang`` or ``$KLYNGE_LANG``, the API
from ``?lang=`` or ``Accept-Language``); services still take ``lang`` as an explicit argument
where they word text, and read this only as a default.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from klynge.errors import InvalidInput
from klynge.i18n import DEFAULT_LANG, Lang, Text, parse_lang

ENV_VAR = "KLYNGE_LANG"

_lang: ContextVar[Lang] = ContextVar("klynge_lang", default=DEFAULT_LANG)
_explicit: ContextVar[bool] = ContextVar("klynge_lang_explicit", default=False)


def current_lang() -> Lang:
    return _lang.get()


def lang_is_explicit() -> bool:
    """Whether a person chose the language (some answers otherwise follow the input's language)."""
    return _explicit.get()


def set_lang(lang: Lang, *, explicit: bool = True) -> None:
    _lang.set(lang)
    _explicit.set(explicit)


@contextmanager
def using_lang(lang: Lang) -> Iterator[None]:
    token = _lang.set(lang)
    try:
        yield
    finally:
        _lang.reset(token)


def lang_from(value: str | None, *, source: str = "--lang") -> Lang:
    """Parse a language a person gave; a bad one is an error that names where it came from."""
    try:
        return parse_lang(value)
    except ValueError:
        raise InvalidInput(
            Text(
                da=f"{source}: ukendt sprog {value!r}; brug 'da' (dansk) eller 'en' (engelsk)",
                en=f"{source}: unknown language {value!r}; use 'da' (Danish) or 'en' (English)",
            ),
            code="unknown-language",
        ) from None


def lang_from_env() -> Lang:
    """``$KLYNGE_LANG`` when set; an empty or unknown value is an error naming the variable."""
    raw = os.environ.get(ENV_VAR)
    if raw is None:
        return DEFAULT_LANG
    if not raw.strip():
        raise InvalidInput(
            Text(
                da=f"${ENV_VAR} er sat, men tom: sæt den til 'da' eller 'en', eller fjern den",
                en=f"${ENV_VAR} is set but empty: set it to 'da' or 'en', or unset it",
            ),
            code="unknown-language",
        )
    return lang_from(raw, source=f"${ENV_VAR}")
