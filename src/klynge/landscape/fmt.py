"""Numbers, amounts and dates as a Dane or an English reader writes them (Babel's CLDR data).

Danish gets decimal commas, thousands points and "mio. kr."; English gets "DKK ... million".
Dates with a source's own precision read "maj 2020" / "May 2020" or "2025".
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from klynge.landscape.model import Precision

_LOCALE = {"da": "da_DK", "en": "en_GB"}


def _loc(lang: str | None) -> str:
    return _LOCALE["da" if lang == "da" else "en"]


def number(value: float, lang: str | None, decimals: int | None = None) -> str:
    """1234.5 -> "1.234,5" (da) or "1,234.5" (en); ``decimals`` fixes the number of decimals."""
    if decimals is None:
        return format_decimal(value, locale=_loc(lang))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_loc(lang))


def percent(share: float, lang: str | None, decimals: int = 1) -> str:
    """0.23 -> "23,0 %" (da) or "23.0%" (en)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    if lang != "da":
        pattern = pattern.replace(" %", "%")
    return format_percent(share, format=pattern, locale=_loc(lang))


def dkk_million(value: float, lang: str | None) -> str:
    """640 -> "640 mio. kr." (da) or "DKK 640 million" (en)."""
    amount = number(value, lang)
    return f"{amount} mio. kr." if lang == "da" else f"DKK {amount} million"


def day(value: date, lang: str | None) -> str:
    """2024-12-31 -> "31. december 2024" (da) or "31 December 2024" (en)."""
    return format_date(value, format="long", locale=_loc(lang))


def when(value: date, precision: Precision, lang: str | None) -> str:
    """A date as precisely as its source gives it: a day, "april 2022" or "2025"."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return format_date(value, format="LLLL y", locale=_loc(lang))
    return day(value, lang)


def written(value: str | None, lang: str | None) -> str:
    """A date string with its own precision ("2020", "2020-05", "2020-05-04"), for reading."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return when(date(parts[0], parts[1], 1), "month", lang)
    return day(date(parts[0], parts[1], parts[2]), lang)
