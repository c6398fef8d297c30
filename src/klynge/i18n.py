"""Bilingual text: every string a person reads exists in Danish and English.

The core keeps both languages side by side so that no layer has to translate;
a layer only picks one with :func:`pick` or :meth:`Text.get`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")
DEFAULT_LANG: Lang = "en"


class Text(BaseModel):
    """A string in Danish and English. Both are required: a half-translated record is a bug."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    da: str
    en: str

    def get(self, lang: str | None) -> str:
        return self.da if lang == "da" else self.en

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return self.en


def pick(lang: str | None, da: str, en: str) -> str:
    """Choose between an inline Danish and English string."""
    return da if lang == "da" else en


def parse_lang(value: str | None) -> Lang:
    """Accept 'da'/'en' (and common spellings); anything else is an error a person can fix."""
    if value is None:
        return DEFAULT_LANG
    v = value.strip().lower()
    if v in {"da", "dk", "dansk", "danish", "da-dk", "da_dk"}:
        return "da"
    if v in {"en", "english", "engelsk", "en-gb", "en-us", "en_gb", "en_us"}:
        return "en"
    raise ValueError(f"unknown language {value!r}: use 'da' (dansk) or 'en' (English)")
