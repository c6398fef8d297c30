"""The five registry tables as files see them: columns, natural keys and row validation.

Validation here needs no database: it parses one row into typed values and says, per column,
what is wrong. Checks that need the database (does this organisation exist?) live in storage.
Rows refer to each other by natural key (organisation key, cluster slug plus activity reference)
so that files can be written by hand and re-imported without knowing database ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from klynge.i18n import Text
from klynge.landscape import Landscape
from klynge.registry.model import (
    ACTIVITY_TYPES,
    COUNTRIES,
    COUNTRY_ALIASES,
    ORGANISATION_KINDS,
    OUTCOME_TYPES,
    ROLES,
    cvr_problem,
    cvr_problem_da,
)


def T(da: str, en: str) -> Text:
    return Text(da=da, en=en)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, precise enough to find and fix it."""

    file: str
    row: int | None
    column: str | None
    text: Text

    @property
    def reason(self) -> str:
        return self.text.en

    def describe(self, lang: str | None) -> str:
        da = lang == "da"
        where = [self.file]
        if self.row is not None:
            where.append(f"{'række' if da else 'row'} {self.row}")
        if self.column is not None:
            where.append(f"{'kolonne' if da else 'column'} {self.column!r}")
        return f"{', '.join(where)}: {self.text.get(lang)}"

    def __str__(self) -> str:
        return self.describe("en")


class RowError(ValueError):
    """A cell value that cannot be used; ``column`` names the cell."""

    def __init__(self, column: str, text: Text) -> None:
        super().__init__(text.en)
        self.column = column
        self.text = text

    @property
    def reason(self) -> str:
        return self.text.en


# -- formula injection ------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def escape_cell(value: str) -> str:
    """Make a text cell inert in spreadsheets: a leading apostrophe before = + - @ tab or CR.

    Text that already starts with apostrophes before such a character gets one more, so that
    :func:`unescape_cell` always returns the original.
    """
    if value.startswith(_FORMULA_START) or _ESCAPED.match(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if value.startswith("'") and (value[1:].startswith(_FORMULA_START) or _ESCAPED.match(value)):
        return value[1:]
    return value


# -- cell parsers -----------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if type(value) is str:  # the common case, kept short: it runs for every cell
        text = value.strip()
        if text[:1] == "'":
            text = unescape_cell(text).strip()
        if "\r" in text:  # one line-break convention, since XLSX (XML) cannot keep a lone CR
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unescape_cell(str(value)).strip()
    return text or None


_INT_RE = re.compile(r"^[+-]?\d+$")


def _int(column: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError(
            column, T(f"{value!r} er ikke et helt tal", f"{value!r} is not a whole number")
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise RowError(
            column, T(f"{value!r} er ikke et helt tal", f"{value!r} is not a whole number")
        )
    text = unescape_cell(str(value)).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if not _INT_RE.match(text):
        raise RowError(
            column,
            T(
                f"{value!r} er ikke et helt tal (skriv kun cifre, fx 1500)",
                f"{value!r} is not a whole number (write digits only, e.g. 1500)",
            ),
        )
    return int(text)


_DMY_RE = re.compile(r"^(\d{1,2})([-.])(\d{1,2})\2(\d{4})$")
_SLASHED_RE = re.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}$")


def _date(column: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    m = _DMY_RE.match(text)
    if m:
        try:
            return date(int(m[4]), int(m[3]), int(m[1]))
        except ValueError:
            pass
    if _SLASHED_RE.match(text):
        # 02/03/2023 is 2 March in Denmark and 3 February in the United States: refuse it.
        raise RowError(
            column,
            T(
                f"{text!r} er tvetydig (dag/måned eller måned/dag?): skriv ÅÅÅÅ-MM-DD, "
                "DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ",
                f"{text!r} is ambiguous (day/month or month/day?): write YYYY-MM-DD, "
                "DD-MM-YYYY or DD.MM.YYYY",
            ),
        )
    raise RowError(
        column,
        T(
            f"{text!r} er ikke en dato: skriv ÅÅÅÅ-MM-DD (eller DD-MM-ÅÅÅÅ)",
            f"{text!r} is not a date: write YYYY-MM-DD (or DD-MM-YYYY)",
        ),
    )


_TRUE = {"true", "1", "yes", "ja", "y", "j", "x"}
_FALSE = {"false", "0", "no", "nej", "n"}


def _bool(column: str, value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(
        column, T(f"{value!r} er hverken ja eller nej", f"{value!r} is not true/false (ja/nej)")
    )


# -- checks -----------------------------------------------------------------------------------
NACE_OR_DB07_RE = re.compile(r"^(?:[A-U]|\d{2}|\d{2}\.\d{1,2}|\d{4}|\d{6})$")
NUTS2_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2}$")
DK_NUTS2_RE = re.compile(r"^DK0[1-5]$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""C0 control characters other than tab, LF and CR: XLSX cannot hold them, PostgreSQL not NUL."""


@dataclass
class Checks:
    """What validation needs from outside the row: today's date and the landscape."""

    today: date
    terms: dict[str, list[tuple[date, date | None]]]
    municipalities: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Lower-cased municipality name -> (name as spelled in the landscape, NUTS 2 code)."""
    unknown_lists: list[tuple[date, date | None]] = field(default_factory=list)
    """Programme periods whose list of cluster organisations the landscape does not know."""

    @classmethod
    def from_landscape(cls, ls: Landscape, today: date | None = None) -> Checks:
        return cls(
            today=today or date.today(),
            terms={c.slug: [(t.start, t.end) for t in c.terms] for c in ls.clusters.values()},
            municipalities={m.lower(): (m, v.nuts2) for m, v in ls.municipalities.items()},
            unknown_lists=[
                (p.start, p.end)
                for p in ls.programmes.values()
                if p.kind == "cluster-programme" and p.clusters is None
            ],
        )

    def list_unknown_on(self, day: date) -> bool:
        return any(s <= day and (e is None or day <= e) for s, e in self.unknown_lists)


def _require(row: Mapping[str, Any], column: str) -> str:
    value = _text(row.get(column))
    if value is None:
        raise RowError(column, T("skal udfyldes, men er tom", "is required but empty"))
    return value


def _required_date(column: str, row: Mapping[str, Any]) -> date:
    _require(row, column)
    day = _date(column, row.get(column))
    assert day is not None  # _require refused empty cells
    return day


def _choice(column: str, value: str, choices: Mapping[str, Any]) -> str:
    code = value.strip().lower()
    if code not in choices:
        raise RowError(
            column,
            T(
                f"ukendt værdi {value!r}: brug en af {', '.join(choices)}",
                f"unknown value {value!r}: use one of {', '.join(choices)}",
            ),
        )
    return code


def _not_future(column: str, day: date, checks: Checks) -> date:
    if day > checks.today:
        raise RowError(
            column,
            T(
                f"{day} ligger i fremtiden (i dag er {checks.today})",
                f"{day} is in the future (today is {checks.today})",
            ),
        )
    return day


def _cluster(column: str, row: Mapping[str, Any], checks: Checks) -> str:
    slug = _require(row, column).lower()
    if slug not in checks.terms:
        examples = ", ".join(sorted(checks.terms)[:3])
        raise RowError(
            column,
            T(
                f"ukendt klynge {slug!r}: brug en klynge-slug fra `klynge clusters`, fx {examples}",
                f"unknown cluster {slug!r}: use a cluster slug from `klynge clusters`, "
                f"e.g. {examples}",
            ),
        )
    return slug


class _Row:
    """Collects per-column errors so one bad row reports every bad cell, not just the first."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    def take(self, column: str, parse: Callable[[], Any]) -> Any:
        try:
            value = parse()
        except RowError as exc:
            self.errors.append(exc)
            value = None
        self.values[column] = value
        return value

    def fail(self, column: str, da: str, en: str) -> None:
        self.errors.append(RowError(column, T(da, en)))

    def warn(self, column: str, da: str, en: str) -> None:
        self.warnings.append(RowError(column, T(da, en)))


_CVR_WRITTEN = re.compile(r"^(?:DK[\s-]?)?(\d{2})\s?(\d{2})\s?(\d{2})\s?(\d{2})$", re.IGNORECASE)


def _cvr_text(value: Any) -> str | None:
    """The CVR number as 8 digits, also when written as on Danish invoices ("29 86 39 97") or as
    the EU VAT number ("DK29863997"); anything else is left for the CVR check to explain."""
    text = _text(value)
    if text is None:
        return None
    m = _CVR_WRITTEN.match(text)
    return "".join(m.groups()) if m else text


def organisation_ref(value: str) -> str:
    """The form an ``organisation`` reference is looked up by: a CVR number in any form it is
    written (``DK20000015``, ``20 00 00 15``) as its 8 digits, any other key lower-cased (keys
    of organisations without a CVR number are case-insensitive)."""
    return (_cvr_text(value) or value).lower()


def _organisation(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    r.take("name", lambda: _require(raw, "name"))
    r.take("kind", lambda: _choice("kind", _require(raw, "kind"), ORGANISATION_KINDS))
    country = r.take("country", lambda: (_text(raw.get("country")) or "DK").upper())
    if country in COUNTRY_ALIASES:
        iso = COUNTRY_ALIASES[country]
        r.fail(
            "country",
            f"{country!r} er EU's kode; ISO-koden, som bruges her, er {iso}",
            f"{country!r} is the EU's code; the ISO code used here is {iso}",
        )
    elif country is not None and country not in COUNTRIES:
        r.fail(
            "country",
            f"{country!r} er ikke en landekode efter ISO 3166 (DK, SE, DE, ...)",
            f"{country!r} is not an ISO 3166 two-letter country code (DK, SE, DE, ...)",
        )
    cvr = r.take("cvr", lambda: _cvr_text(raw.get("cvr")))
    if cvr is not None:
        problem = cvr_problem(cvr)
        if problem:
            r.fail("cvr", cvr_problem_da(cvr) or problem, problem)
        elif country not in (None, "DK"):
            r.fail(
                "cvr",
                f"et CVR-nummer hører til en dansk organisation, ikke en i {country}",
                f"a CVR number belongs to a Danish organisation, not one in {country}",
            )
    elif r.values["kind"] == "company" and country == "DK":
        r.fail(
            "cvr",
            "en dansk virksomhed skal have sit CVR-nummer",
            "a Danish company needs its CVR number",
        )
    key = _text(raw.get("key"))
    if cvr is not None:
        if key is not None and key != cvr:
            r.fail(
                "key",
                f"nøglen {key!r} er ikke CVR-nummeret {cvr}: lad den være tom",
                f"key {key!r} differs from the CVR number {cvr}: leave it empty",
            )
        key = cvr
    elif key is None:
        r.fail(
            "key",
            "en organisation uden CVR-nummer skal have en nøgle (en fast reference)",
            "an organisation without a CVR number needs a key (any stable reference)",
        )
    elif re.fullmatch(r"\d{8}", key):
        r.fail(
            "key",
            f"{key!r} ligner et CVR-nummer: skriv det i kolonnen cvr",
            f"{key!r} looks like a CVR number: put it in the cvr column",
        )
    elif len(key) > 64:
        r.fail("key", "er længere end 64 tegn", "is longer than 64 characters")
    r.values["key"] = key
    employees = r.take("employees", lambda: _int("employees", raw.get("employees")))
    if employees is not None and employees < 0:
        r.fail(
            "employees",
            f"antallet af ansatte kan ikke være negativt ({employees})",
            f"the number of employees cannot be negative ({employees})",
        )
    elif employees is not None and employees > MAX_EMPLOYEES:
        r.fail(
            "employees",
            f"{employees} ansatte er flere end nogen organisation har (højst "
            f"{MAX_EMPLOYEES:_})".replace("_", "."),
            f"{employees} employees is more than any organisation has (at most {MAX_EMPLOYEES:,})",
        )
    on = r.take("employees_on", lambda: _date("employees_on", raw.get("employees_on")))
    if on is not None:
        r.take("employees_on", lambda: _not_future("employees_on", on, checks))
    municipality = r.take("municipality", lambda: _text(raw.get("municipality")))
    nuts2 = r.take("nuts2", lambda: _text(raw.get("nuts2")))
    if nuts2 is not None:
        nuts2 = nuts2.upper()
        r.values["nuts2"] = nuts2
        if not NUTS2_RE.match(nuts2) or (country == "DK" and not DK_NUTS2_RE.match(nuts2)):
            r.fail(
                "nuts2",
                f"{nuts2!r} er ikke en NUTS 2-kode (de danske er DK01..DK05)",
                f"{nuts2!r} is not a NUTS 2 code (Danish ones are DK01..DK05)",
            )
    if municipality is not None and country == "DK" and checks.municipalities:
        # The landscape knows only the municipalities its offices name: others pass as given.
        known = checks.municipalities.get(municipality.lower())
        if known is not None:
            r.values["municipality"] = known[0]
            if nuts2 is None:
                r.values["nuts2"] = known[1]
            elif nuts2 != known[1]:
                r.fail(
                    "nuts2",
                    f"{known[0]} ligger i {known[1]}, ikke {nuts2}",
                    f"{known[0]} lies in {known[1]}, not {nuts2}",
                )
    nace = r.take("nace", lambda: _text(raw.get("nace")))
    if nace is not None and not NACE_OR_DB07_RE.match(nace):
        r.fail(
            "nace",
            f"{nace!r} er hverken en NACE-kode (28.11) eller en DB07-kode (282900)",
            f"{nace!r} is not a NACE code (28.11) or DB07 code (282900)",
        )
    r.take("synthetic", lambda: bool(_bool("synthetic", raw.get("synthetic"))))
    return r


def _amount(column: str, raw: Mapping[str, Any]) -> int:
    return _int(column, raw.get(column)) or 0


def _activity(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    cluster = r.take("cluster", lambda: _cluster("cluster", raw, checks))
    ref = r.take("ref", lambda: _require(raw, "ref"))
    if ref is not None and len(ref) > 64:
        r.fail("ref", "er længere end 64 tegn", "is longer than 64 characters")
    r.take("type", lambda: _choice("type", _require(raw, "type"), ACTIVITY_TYPES))
    r.take("title", lambda: _require(raw, "title"))
    start = r.take("start_date", lambda: _required_date("start_date", raw))
    end = r.take("end_date", lambda: _date("end_date", raw.get("end_date")))
    if start is not None:
        r.take("start_date", lambda: _not_future("start_date", start, checks))
        if end is None and "end_date" not in {e.column for e in r.errors}:
            end = start
            r.values["end_date"] = start
    if start is not None and end is not None:
        if end < start:
            r.fail(
                "end_date",
                f"aktiviteten slutter ({end}) før den begynder ({start})",
                f"the activity ends ({end}) before it starts ({start})",
            )
        elif cluster is not None:
            terms = checks.terms[cluster]
            if not any(s <= start and (e is None or end <= e) for s, e in terms):
                spans = ", ".join(f"{s}..{e or 'open'}" for s, e in terms)
                if checks.list_unknown_on(start) or checks.list_unknown_on(end):
                    # The landscape does not know who holds the area then: accept, but say so.
                    r.warn(
                        "start_date",
                        f"{start}..{end} kunne ikke kontrolleres: landskabet kender ikke "
                        f"programmets klynger på de datoer ({cluster}: {spans})",
                        f"{start}..{end} could not be checked: the landscape does not list the "
                        f"programme's clusters on those dates ({cluster}: {spans})",
                    )
                else:
                    r.fail(
                        "start_date",
                        f"{start}..{end} ligger uden for {cluster}s perioder som områdets "
                        f"nationale klynge ({spans})",
                        f"{start}..{end} lies outside {cluster}'s terms as the area's national "
                        f"cluster ({spans})",
                    )
    nuts2 = r.take("nuts2", lambda: _text(raw.get("nuts2")))
    if nuts2 is not None:
        r.values["nuts2"] = nuts2.upper()
        if not NUTS2_RE.match(nuts2.upper()):
            r.fail(
                "nuts2",
                f"{nuts2!r} er ikke en NUTS 2-kode (fx DK04)",
                f"{nuts2!r} is not a NUTS 2 code (e.g. DK04)",
            )
    r.take("funding_source", lambda: _text(raw.get("funding_source")))
    for col in ("funding_dkk", "private_cofinancing_dkk"):
        amount = r.take(col, partial(_amount, col, raw))
        if amount is not None and amount < 0:
            r.fail(
                col,
                f"et beløb kan ikke være negativt ({amount})",
                f"an amount cannot be negative ({amount})",
            )
        elif amount is not None and amount > MAX_AMOUNT:
            r.fail(
                col,
                f"{amount} kr. er urimeligt stort (højst {MAX_AMOUNT:_} kr.)".replace("_", "."),
                f"{amount} DKK is implausibly large (at most {MAX_AMOUNT:,} DKK)",
            )
    r.take("synthetic", lambda: bool(_bool("synthetic", raw.get("synthetic"))))
    return r


def _membership(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    r.take("organisation", lambda: _require(raw, "organisation"))
    r.take("cluster", lambda: _cluster("cluster", raw, checks))
    start = r.take("from_date", lambda: _required_date("from_date", raw))
    if start is not None:
        r.take("from_date", lambda: _not_future("from_date", start, checks))
    end = r.take("to_date", lambda: _date("to_date", raw.get("to_date")))
    if start is not None and end is not None and end < start:
        r.fail(
            "to_date",
            f"medlemskabet slutter ({end}) før det begynder ({start})",
            f"the membership ends ({end}) before it starts ({start})",
        )
    return r


def _participation(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    r.take("organisation", lambda: _require(raw, "organisation"))
    r.take("cluster", lambda: _cluster("cluster", raw, checks))
    r.take("activity", lambda: _require(raw, "activity"))
    r.take("role", lambda: _choice("role", _text(raw.get("role")) or "participant", ROLES))
    return r


def _outcome(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    r.take("organisation", lambda: _require(raw, "organisation"))
    r.take("cluster", lambda: _cluster("cluster", raw, checks))
    r.take("activity", lambda: _require(raw, "activity"))
    r.take("type", lambda: _choice("type", _require(raw, "type"), OUTCOME_TYPES))
    day = r.take("reported_on", lambda: _required_date("reported_on", raw))
    if day is not None:
        r.take("reported_on", lambda: _not_future("reported_on", day, checks))
    r.take("text", lambda: _text(raw.get("text")))
    return r


EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{4,30}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")


def email_problem(email: str) -> Text | None:
    """Why ``email`` is not an e-mail address (syntax only), or ``None``."""
    if len(email) > 254 or not EMAIL_RE.match(email) or ".." in email:
        return T(
            f"{email!r} er ikke en e-mailadresse (navn@domæne.dk)",
            f"{email!r} is not an e-mail address (name@domain.com)",
        )
    return None


def _contact(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    r.take("organisation", lambda: _require(raw, "organisation"))
    r.take("name", lambda: _require(raw, "name"))
    email = r.take("email", lambda: _require(raw, "email"))
    if email is not None:
        problem = email_problem(email)
        if problem is not None:
            r.errors.append(RowError("email", problem))
        r.values["email"] = email.lower()  # unique within an organisation whatever its case
    phone = r.take("phone", lambda: _text(raw.get("phone")))
    if phone is not None and not PHONE_RE.match(phone):
        r.fail(
            "phone",
            f"{phone!r} er ikke et telefonnummer (cifre, mellemrum, +, - og parenteser)",
            f"{phone!r} is not a phone number (digits, spaces, +, - and brackets)",
        )
    r.take("role", lambda: _text(raw.get("role")))
    language = r.take("language", lambda: _text(raw.get("language")))
    if language is not None:
        r.values["language"] = language = language.lower()
        if not LANGUAGE_RE.match(language):
            r.fail(
                "language",
                f"{language!r} er ikke en sprogkode efter ISO 639-1 (da, en, de, ...)",
                f"{language!r} is not an ISO 639-1 language code (da, en, de, ...)",
            )
    for consent in ("newsletter", "matchmaking"):
        r.take(consent, partial(lambda c: bool(_bool(c, raw.get(c))), consent))
    day = r.take("last_active_on", lambda: _date("last_active_on", raw.get("last_active_on")))
    if day is not None:
        r.take("last_active_on", lambda: _not_future("last_active_on", day, checks))
    return r


def _headcount(raw: Mapping[str, Any], checks: Checks) -> _Row:
    r = _Row(raw)
    r.take("organisation", lambda: _require(raw, "organisation"))
    if r.take("employees", lambda: _require(raw, "employees")) is not None:
        employees = r.take("employees", lambda: _int("employees", raw.get("employees")))
        if employees is not None and not 0 <= employees <= MAX_EMPLOYEES:
            r.fail(
                "employees",
                f"{employees} ansatte er ikke mellem 0 og {MAX_EMPLOYEES:_}".replace("_", "."),
                f"{employees} employees is not between 0 and {MAX_EMPLOYEES:,}",
            )
    day = r.take("counted_on", lambda: _date("counted_on", raw.get("counted_on")))
    if day is not None:
        r.take("counted_on", lambda: _not_future("counted_on", day, checks))
    return r


@dataclass(frozen=True)
class TableSpec:
    name: str
    label: Text
    sheet_da: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...]
    parse: Callable[[Mapping[str, Any], Checks], _Row]
    depends_on: tuple[str, ...] = ()


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "organisations",
            Text(da="organisationer", en="organisations"),
            "organisationer",
            (
                "key",
                "cvr",
                "name",
                "kind",
                "employees",
                "employees_on",
                "municipality",
                "nuts2",
                "nace",
                "country",
                "synthetic",
            ),
            ("name", "kind"),
            ("key",),
            _organisation,
        ),
        TableSpec(
            "memberships",
            Text(da="medlemskaber", en="memberships"),
            "medlemskaber",
            ("organisation", "cluster", "from_date", "to_date"),
            ("organisation", "cluster", "from_date"),
            ("organisation", "cluster", "from_date"),
            _membership,
            ("organisations",),
        ),
        TableSpec(
            "activities",
            Text(da="aktiviteter", en="activities"),
            "aktiviteter",
            (
                "cluster",
                "ref",
                "type",
                "title",
                "start_date",
                "end_date",
                "nuts2",
                "funding_source",
                "funding_dkk",
                "private_cofinancing_dkk",
                "synthetic",
            ),
            ("cluster", "ref", "type", "title", "start_date"),
            ("cluster", "ref"),
            _activity,
        ),
        TableSpec(
            "participations",
            Text(da="deltagelser", en="participations"),
            "deltagelser",
            ("organisation", "cluster", "activity", "role"),
            ("organisation", "cluster", "activity"),
            ("organisation", "cluster", "activity", "role"),
            _participation,
            ("organisations", "activities"),
        ),
        TableSpec(
            "outcomes",
            Text(da="resultater", en="outcomes"),
            "resultater",
            ("organisation", "cluster", "activity", "type", "reported_on", "text"),
            ("organisation", "cluster", "activity", "type", "reported_on"),
            ("organisation", "cluster", "activity", "type", "reported_on"),
            _outcome,
            ("organisations", "activities", "participations"),
        ),
        TableSpec(
            "contacts",
            Text(da="kontaktpersoner", en="contacts"),
            "kontaktpersoner",
            (
                "organisation",
                "name",
                "email",
                "phone",
                "role",
                "language",
                "newsletter",
                "matchmaking",
                "last_active_on",
            ),
            ("organisation", "name", "email"),
            ("organisation", "email"),
            _contact,
            ("organisations",),
        ),
        TableSpec(
            "headcounts",
            Text(da="ansattetal", en="head counts"),
            "ansattetal",
            ("organisation", "employees", "counted_on"),
            ("organisation", "employees"),
            ("organisation", "counted_on"),
            _headcount,
            ("organisations",),
        ),
    )
}
PERSONAL_DATA: dict[str, tuple[str, ...]] = {
    "contacts": ("name", "email", "phone", "role", "language", "newsletter", "matchmaking"),
    "outcomes": ("text",),
}
"""Columns that hold, or may hold (free text), personal data: exports flag them."""


def table_spec(name: str) -> TableSpec:
    """Look a table up by its English or Danish name."""
    n = name.strip().lower()
    for spec in TABLES.values():
        if n in (spec.name, spec.sheet_da, spec.name.rstrip("s")):
            return spec
    raise KeyError(f"unknown table {name!r}: use one of {', '.join(TABLES)}")


MAX_EMPLOYEES = 10_000_000
"""Above the largest employer on earth, and within PostgreSQL's 32-bit integer column."""
MAX_AMOUNT = 10**15
"""A thousand billion kroner: far above any cluster budget, and within a 64-bit integer (a larger
number would crash SQLite's driver rather than fail as a row)."""

MAX_LENGTH: dict[str, dict[str, int]] = {
    "organisations": {"name": 300, "municipality": 100},
    "activities": {"title": 300, "funding_source": 200},
    "contacts": {"name": 300, "role": 100},
}
"""Longest text the database keeps in these free-text columns (the others are codes, checked
against their lists). Checked here so that a long cell is a row problem on every engine, not a
PostgreSQL error without a row number, and not accepted by SQLite only to fail elsewhere."""


def parse_row(
    spec: TableSpec, raw: Mapping[str, Any], checks: Checks
) -> tuple[dict[str, Any] | None, list[RowError], list[RowError]]:
    """Typed values for one row (or ``None``), every reason it was refused, and warnings."""
    r = spec.parse(raw, checks)
    for column, limit in MAX_LENGTH.get(spec.name, {}).items():
        value = r.values.get(column)
        if isinstance(value, str) and len(value) > limit:
            r.fail(
                column,
                f"er {len(value)} tegn lang; højst {limit} tegn",
                f"is {len(value)} characters long; at most {limit} are kept",
            )
    for column, value in raw.items():
        if isinstance(value, str) and CONTROL_RE.search(value):
            r.fail(
                column,
                "cellen indeholder kontroltegn, som regneark og databaser ikke kan gemme",
                "the cell holds control characters that spreadsheets and databases cannot store",
            )
    if r.errors:
        return None, r.errors, r.warnings
    return r.values, [], r.warnings
