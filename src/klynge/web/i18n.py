"""The pages' language: which one a request gets, the Babel catalogues, and number formats.

The words of the pages live in gettext catalogues under ``web/locale/<lang>/LC_MESSAGES``
(``messages.po`` in git, ``messages.mo`` compiled and shipped in the wheel). Message ids are the
English text; the English catalogue exists so that both languages are catalogued the same way.
Text that comes from the landscape records is already bilingual and is picked, not translated.

A request's language: a switch link (``/lang/da``) sets a cookie that every later page reads;
without one, ``Accept-Language`` picks; else English.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from klynge.i18n import LANGS, Lang

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
COOKIE = "klynge_lang"

#: Babel locales for formatting. British English writes dates as "5 December 2026".
FORMAT_LOCALES: dict[Lang, str] = {"da": "da_DK", "en": "en_GB"}


def negotiate(cookie: str | None, accept_language: str | None) -> Lang:
    """The cookie a person set with the switch; else the first supported Accept-Language."""
    if cookie in LANGS:
        return "da" if cookie == "da" else "en"
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for i, part in enumerate(accept_language.split(",")):
            tag, _, params = part.strip().partition(";")
            q = 1.0
            for p in params.split(";"):
                p = p.strip()
                if p.startswith("q="):
                    try:
                        q = float(p[2:])
                    except ValueError:
                        q = 0.0
            if q > 0:
                ranked.append((-q, i, tag.strip().lower().split("-")[0]))
        for _, _, primary in sorted(ranked):
            if primary == "da":
                return "da"
            if primary == "en":
                return "en"
    return "en"


@cache
def translations(lang: Lang) -> NullTranslations:
    """The compiled catalogue for ``lang`` (loaded once per process)."""
    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    return found


@cache
def _locale(lang: Lang) -> Locale:
    return Locale.parse(FORMAT_LOCALES[lang])


def number(value: float | int, lang: Lang, *, decimals: int = 1) -> str:
    """``1234.5`` → ``1.234,5`` (da) or ``1,234.5`` (en); trailing zero decimals are dropped."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def percent(value: float | None, lang: Lang) -> str | None:
    """A share as a percentage: ``0.1985`` → ``19,9 %`` (da) or ``19.9%`` (en)."""
    if value is None:
        return None
    return format_percent(
        value, format="#,##0.#\u00a0%" if lang == "da" else "#,##0.#%", locale=_locale(lang)
    )


def dkk_million(value: float | None, lang: Lang) -> str | None:
    """An amount in DKK million: ``1.234,5 mio. kr.`` (da) or ``DKK 1,234.5 million`` (en)."""
    if value is None:
        return None
    n = number(value, lang)
    return f"{n} mio. kr." if lang == "da" else f"DKK {n} million"


def long_date(value: date | None, lang: Lang) -> str | None:
    """``5. december 2026`` (da) or ``5 December 2026`` (en)."""
    if value is None:
        return None
    return format_date(value, format="long", locale=_locale(lang))


def short_date(value: date | None, lang: Lang) -> str | None:
    """``05.12.2026`` (da) or ``05/12/2026`` (en): for the cells of a table."""
    if value is None:
        return None
    return format_date(
        value, format="dd.MM.yyyy" if lang == "da" else "dd/MM/yyyy", locale=_locale(lang)
    )
