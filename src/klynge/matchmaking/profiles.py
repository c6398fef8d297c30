"""Matchmaking profiles as files and forms see them: columns, checks and bilingual problems.

A profile says what an organisation offers and seeks, in Danish or English free text, with the
areas it works in (the landscape's area slugs), technologies (free tags), the kinds of partner it
wants, the countries it is interested in, an expiry date and a hidden flag (opting out of being
recommended). One profile per organisation: the organisation is the profile's key in files.

Checking is pure: :func:`check_profile` returns the cleaned fields or every problem at once, so
an import can list all bad cells of a file before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from klynge.i18n import Text
from klynge.matchmaking.recommend import PARTNER_KINDS
from klynge.registry.model import COUNTRIES, COUNTRY_ALIASES
from klynge.routing.text import detect_language, fold, tokens

COLUMNS = (
    "organisation",
    "contact",
    "language",
    "offers",
    "seeks",
    "areas",
    "technologies",
    "partner_kinds",
    "countries",
    "expires_on",
    "hidden",
)
REQUIRED = ("organisation", "offers", "seeks")
MAX_TEXT = 5000
MAX_TAGS = 20
MAX_TAG = 60
#: Danish names of the partner kinds, accepted in files and forms beside the codes.
_KIND_BY_NAME = {
    **{k: k for k in PARTNER_KINDS},
    **{t.da.lower(): k for k, t in PARTNER_KINDS.items()},
    **{t.en.lower(): k for k, t in PARTNER_KINDS.items()},
}
_SPLIT = re.compile(r"\s*[;,]\s*")
_TRUE = {"true", "1", "yes", "ja", "y", "j", "x"}
_FALSE = {"false", "0", "no", "nej", "n", ""}


@dataclass
class ProfileFields:
    """A checked profile, before it is tied to database rows."""

    organisation: str
    offers: str
    seeks: str
    language: str
    contact: str | None = None
    areas: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    partner_kinds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    expires_on: date | None = None
    hidden: bool = False


@dataclass(frozen=True)
class FieldProblem:
    column: str
    text: Text


def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in _SPLIT.split(str(value).strip()) if v]


def join_list(values: list[str]) -> str:
    return ";".join(values)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def row_keys(raw: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """A row's organisation and contact as :func:`check_profile` reads them, also when another
    cell of the row is bad: the import checks them against the registry in the same pass."""
    contact = _text(raw.get("contact"))
    return _text(raw.get("organisation")), contact.lower() if contact else None


def check_profile(
    raw: Mapping[str, Any], *, areas: frozenset[str], today: date | None = None
) -> tuple[ProfileFields | None, list[FieldProblem]]:
    """The cleaned profile, or every problem of ``raw`` (a file row or a form).

    ``areas`` is the set of known area slugs (from the landscape). An expiry date in the past
    is allowed (an expired profile is simply not recommended) but not before 2000, which is a
    typo.
    """
    problems: list[FieldProblem] = []

    def bad(column: str, da: str, en: str) -> None:
        problems.append(FieldProblem(column, Text(da=da, en=en)))

    values = {k: _text(raw.get(k)) for k in ("organisation", "offers", "seeks")}
    for column in REQUIRED:
        if values[column] is None:
            bad(column, "mangler", "is missing")
    for column in ("offers", "seeks"):
        v = values[column]
        if v is not None and len(v) > MAX_TEXT:
            bad(column, f"er længere end {MAX_TEXT} tegn", f"is longer than {MAX_TEXT} characters")
        elif v is not None and not tokens(fold(v)):
            bad(column, "indeholder ingen ord", "contains no words")
    language = (_text(raw.get("language")) or "").lower()
    if language and language not in ("da", "en"):
        bad("language", f"{language!r}: brug da eller en", f"{language!r}: use da or en")
    if not language:
        language = detect_language(
            tokens(fold(f"{values['offers'] or ''} {values['seeks'] or ''}"))
        )
    area_list = []
    for a in split_list(raw.get("areas")):
        slug = a.lower()
        if slug not in areas:
            bad("areas", f"ukendt område {a!r}", f"unknown area {a!r}")
        else:
            area_list.append(slug)
    kinds = []
    for k in split_list(raw.get("partner_kinds")):
        code = _KIND_BY_NAME.get(k.lower())
        if code is None:
            bad(
                "partner_kinds",
                f"ukendt partnertype {k!r}: brug {', '.join(PARTNER_KINDS)}",
                f"unknown kind of partner {k!r}: use {', '.join(PARTNER_KINDS)}",
            )
        else:
            kinds.append(code)
    countries = []
    for c in split_list(raw.get("countries")):
        code = c.upper()
        if code in COUNTRY_ALIASES:
            bad(
                "countries",
                f"{c!r} er EU's kode: brug ISO-koden {COUNTRY_ALIASES[code]}",
                f"{c!r} is the EU's code: use the ISO code {COUNTRY_ALIASES[code]}",
            )
        elif code not in COUNTRIES:
            bad("countries", f"ukendt landekode {c!r}", f"unknown country code {c!r}")
        else:
            countries.append(code)
    tech = split_list(raw.get("technologies"))
    if len(tech) > MAX_TAGS or any(len(t) > MAX_TAG for t in tech):
        bad(
            "technologies",
            f"højst {MAX_TAGS} teknologier på hver højst {MAX_TAG} tegn",
            f"at most {MAX_TAGS} technologies of at most {MAX_TAG} characters each",
        )
    try:
        expires = _date(raw.get("expires_on"))
        if expires is not None and expires.year < 2000:
            bad("expires_on", "datoen ligger før år 2000", "the date is before the year 2000")
    except ValueError:
        expires = None
        bad(
            "expires_on",
            f"{raw.get('expires_on')!r} er ikke en dato (ÅÅÅÅ-MM-DD)",
            f"{raw.get('expires_on')!r} is not a date (YYYY-MM-DD)",
        )
    hidden_raw = raw.get("hidden")
    hidden = False
    if isinstance(hidden_raw, bool):
        hidden = hidden_raw
    elif hidden_raw is not None:
        h = str(hidden_raw).strip().lower()
        if h in _TRUE:
            hidden = True
        elif h not in _FALSE:
            bad("hidden", f"{hidden_raw!r}: brug ja eller nej", f"{hidden_raw!r}: use yes or no")
    contact = _text(raw.get("contact"))
    if problems:
        return None, problems
    assert values["organisation"] and values["offers"] and values["seeks"]
    return (
        ProfileFields(
            organisation=values["organisation"],
            offers=values["offers"],
            seeks=values["seeks"],
            language=language,
            contact=contact.lower() if contact else None,
            areas=sorted(set(area_list)),
            technologies=sorted(set(tech), key=str.lower),
            partner_kinds=sorted(set(kinds)),
            countries=sorted(set(countries)),
            expires_on=expires,
            hidden=hidden,
        ),
        [],
    )
