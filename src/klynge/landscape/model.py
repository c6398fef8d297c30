"""The landscape's records: programmes, areas, cluster organisations, regions and focal points.

Pydantic models validate the bundled TOML files. Unknown facts are ``None``, never a guess, and
every record names its sources so that a reader can check it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from klynge.i18n import Text

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NACE_RE = re.compile(r"^(?:[A-U]|\d{2}|\d{2}\.\d|\d{2}\.\d{2})$")
NUTS2_RE = re.compile(r"^DK0[1-5]$")


def _check_nace(code: str) -> str:
    if not NACE_RE.match(code):
        raise ValueError(
            f"{code!r} is not a NACE Rev. 2 code (a section letter, or 2, 3 or 4 digits "
            "written 28, 28.1 or 28.11)"
        )
    return code


NaceCode = Annotated[str, AfterValidator(_check_nace)]

# -- dates with the precision of their source ------------------------------------------------------
Precision = Literal["year", "month", "day"]
Certainty = Literal["yes", "no", "maybe"]
_PARTIAL_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_partial(value: Any, *, last: bool = False) -> tuple[Any, Precision | None]:
    """A TOML date, or a string "YYYY" or "YYYY-MM", as (day, precision).

    An imprecise date stands for its first day, or for its last day with ``last=True`` (the end
    of a term). Anything else is passed on unchanged for pydantic to reject.
    """
    if isinstance(value, str) and (m := _PARTIAL_RE.match(value.strip())):
        year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{value!r}: month {month} does not exist")
        if month is None:
            return (date(year, 12, 31) if last else date(year, 1, 1)), "year"
        end = calendar.monthrange(year, month)[1]
        return date(year, month, end if last else 1), "month"
    return value, None


def period_of(day: date, precision: Precision) -> tuple[date, date]:
    """The first and last day that a date of this precision can mean."""
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, 1), date(
            day.year, day.month, calendar.monthrange(day.year, day.month)[1]
        )
    return day, day


def as_written(day: date, precision: Precision) -> str:
    """A date as precisely as its source gives it: "2025", "2022-04" or "2020-10-01"."""
    return {"year": f"{day.year}", "month": f"{day.year}-{day.month:02d}"}.get(
        precision, day.isoformat()
    )


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and single hyphens)")
    return value


class Region(Record):
    """A NUTS 2 region of Denmark."""

    code: str
    name: Text
    sources: list[str] = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not NUTS2_RE.match(v):
            raise ValueError(f"{v!r} is not a Danish NUTS 2 code (DK01..DK05)")
        return v


PartOfCountry = Literal["jutland", "funen", "zealand", "copenhagen-area", "bornholm"]


class Municipality(Record):
    """A municipality (kommune) with its NUTS 3 area, from which the part of the country follows."""

    name: str
    nuts3: str
    sources: list[str] = Field(min_length=1)

    @field_validator("nuts3")
    @classmethod
    def _nuts3(cls, v: str) -> str:
        if not re.match(r"^DK0[1-5][0-9]$", v):
            raise ValueError(f"{v!r} is not a Danish NUTS 3 code (for example DK042)")
        return v

    @property
    def nuts2(self) -> str:
        return self.nuts3[:4]

    @property
    def part(self) -> PartOfCountry:
        return part_of_country(self.nuts3)


def part_of_country(nuts3: str) -> PartOfCountry:
    """Map a NUTS 3 area to the part of Denmark it lies in.

    The Capital Region's NUTS 3 areas split into the Copenhagen area (city, suburbs, North
    Zealand) and Bornholm; Region Zealand is Zealand; South Denmark splits into Funen (DK031)
    and South Jutland (DK032); Central and North Jutland are Jutland.
    """
    table: dict[str, PartOfCountry] = {
        "DK011": "copenhagen-area",
        "DK012": "copenhagen-area",
        "DK013": "copenhagen-area",
        "DK014": "bornholm",
        "DK021": "zealand",
        "DK022": "zealand",
        "DK031": "funen",
        "DK032": "jutland",
        "DK041": "jutland",
        "DK042": "jutland",
        "DK050": "jutland",
    }
    try:
        return table[nuts3]
    except KeyError:
        raise ValueError(f"unknown Danish NUTS 3 code {nuts3!r}") from None


class Office(Record):
    """A place where a cluster organisation works. ``municipality`` names a record in the data."""

    town: str
    municipality: str | None = None
    note: Text | None = None


AreaKind = Literal["stronghold", "emerging"]
Designator = Literal["board", "minister"]


class Area(Record):
    """A business and technology area (erhvervs- og teknologiområde)."""

    slug: str
    position: int = Field(ge=1, description="Order in listings (the strategy's order).")
    kind: AreaKind
    designated_by: Designator
    cluster_effort: bool = True
    name: Text
    scope: Text
    mandate: list[Text] = Field(default_factory=list)
    search_terms_da: list[str] = Field(min_length=1)
    search_terms_en: list[str] = Field(min_length=1)
    nace: list[NaceCode] = Field(
        default_factory=list,
        description="klynge's own routing mapping from NACE Rev. 2 codes to the area; "
        "not a fact from the sources.",
    )
    note: Text | None = None
    sources: list[str] = Field(min_length=1)

    _slug = field_validator("slug")(classmethod(lambda cls, v: _check_slug(v)))

    def search_terms(self, lang: str | None) -> list[str]:
        return self.search_terms_da if lang == "da" else self.search_terms_en


EventKind = Literal[
    "founded", "appointed", "merged", "bankrupt", "closed", "reappointed", "renamed"
]


class Event(Record):
    """Something that happened to a cluster organisation, dated as exactly as its source dates it.

    In the data ``on`` is a day (2020-10-01), a month ("2020-05") or a year ("2025"); the model
    keeps the first day it can mean and the precision.
    """

    on: date
    precision: Precision = "day"
    kind: EventKind
    text: Text
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _partial_on(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            data["on"], found = parse_partial(data.get("on"))
            if found is not None:
                data["precision"] = found
        return data

    @property
    def when(self) -> str:
        """The date as precisely as the source gives it."""
        return as_written(self.on, self.precision)


class Term(Record):
    """A period in which the organisation was the area's national, publicly funded cluster.

    In the data ``start`` and ``end`` are days, months ("2022-04") or years ("2025"), with the
    precision their sources give. The model keeps the earliest possible start and the latest
    possible end, with their precisions; a day inside an imprecise bound (any day of April 2022
    for an end written "2022-04") is neither surely in nor surely out: :meth:`certainty` says
    "maybe" for it, and :meth:`covers` is true only for days surely in the term.
    """

    start: date
    end: date | None = None
    start_precision: Precision = "day"
    end_precision: Precision = "day"
    programme: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _partial_bounds(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for key, last in (("start", False), ("end", True)):
                if key in data:
                    data[key], found = parse_partial(data[key], last=last)
                    if found is not None:
                        data[f"{key}_precision"] = found
        return data

    @model_validator(mode="after")
    def _order(self) -> Term:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def start_text(self) -> str:
        return as_written(self.start, self.start_precision)

    @property
    def end_text(self) -> str | None:
        return None if self.end is None else as_written(self.end, self.end_precision)

    def certainty(self, on: date) -> Certainty:
        """Whether the term covers ``on``: "yes", "no", or "maybe" inside an imprecise bound."""
        if on < self.start or (self.end is not None and on > self.end):
            return "no"
        started = on >= period_of(self.start, self.start_precision)[1]
        # A term covers its last day, so the first day an imprecise end can mean is still in it.
        running = self.end is None or on <= period_of(self.end, self.end_precision)[0]
        return "yes" if started and running else "maybe"

    def covers(self, on: date) -> bool:
        """True only for a day the term surely covers."""
        return self.certainty(on) == "yes"


class Cluster(Record):
    """A publicly funded, nationwide cluster organisation (klyngeorganisation)."""

    slug: str
    name: str
    full_name: Text | None = None
    aliases: list[str] = Field(default_factory=list)
    area: str
    terms: list[Term] = Field(min_length=1)
    headquarters: Office | None = None
    offices: list[Office] = Field(default_factory=list)
    website: str | None = None
    scope: Text
    events: list[Event] = Field(default_factory=list)
    note: Text | None = None
    sources: list[str] = Field(min_length=1)

    _slug = field_validator("slug", "area")(classmethod(lambda cls, v: _check_slug(v)))

    @model_validator(mode="after")
    def _terms_disjoint(self) -> Cluster:
        ordered = sorted(self.terms, key=lambda t: t.start)
        for a, b in pairwise(ordered):
            if a.end is None or a.end >= b.start:
                raise ValueError(
                    f"terms overlap: one starting {a.start} and one starting {b.start}"
                )
        return self

    def status_on(self, on: date) -> Certainty:
        """Whether the organisation held its area on ``on``: "yes", "no" or "maybe"."""
        found = {t.certainty(on) for t in self.terms}
        return "yes" if "yes" in found else "maybe" if "maybe" in found else "no"

    def active_on(self, on: date) -> bool:
        """True only when the records show the organisation surely held its area on ``on``."""
        return self.status_on(on) == "yes"

    @property
    def active_from(self) -> date:
        return min(t.start for t in self.terms)

    @property
    def active_to(self) -> date | None:
        """The latest day the last term can have ended (``None``: open-ended)."""
        ends = [t.end for t in self.terms]
        return None if any(e is None for e in ends) else max(e for e in ends if e is not None)

    @property
    def last_term(self) -> Term:
        return max(self.terms, key=lambda t: t.start)

    @property
    def names(self) -> list[str]:
        """Every name the organisation goes by, for resolution."""
        out = [self.name, *self.aliases]
        if self.full_name is not None:
            out += [self.full_name.da, self.full_name.en]
        return out


class Funder(Record):
    name: Text
    annual_dkk_million: float | None = None
    sources: list[str] = Field(min_length=1)


InstrumentKind = Literal["financial", "technical-assistance"]


class Instrument(Record):
    kind: InstrumentKind
    text: Text


EvaluationKind = Literal["ex-ante", "in-itinere", "ex-post", "past-policy"]


class Evaluation(Record):
    """An evaluation of a programme. It counts (in the maturity index) only from ``published``:
    an evaluation without a date cannot be shown to exist on any day, so it does not count."""

    kind: EvaluationKind
    text: Text
    published: date | None = Field(
        default=None, description="When the evaluation appeared, as precisely as the source says."
    )
    published_precision: Precision = "day"
    sources: list[str] = Field(min_length=1)

    def exists_on(self, on: date) -> bool:
        """Published by ``on``; a date known only to the month or year counts from its end."""
        if self.published is None:
            return False
        return period_of(self.published, self.published_precision)[1] <= on


ProgrammeKind = Literal["strategy", "cluster-programme"]


class Programme(Record):
    """A strategy or a cluster programme. Figures are DKK million; unknown stays ``None``."""

    slug: str
    kind: ProgrammeKind
    name: Text
    start: date
    end: date | None = None
    funders: list[Funder] = Field(default_factory=list)
    budget_dkk_million: float | None = None
    organisations_funded: int | None = None
    appointed_on: date | None = None
    clusters: list[str] | None = None
    areas: list[str] | None = None
    objectives: list[Text] = Field(default_factory=list)
    policy_focus: Text | None = None
    beneficiaries: list[Text] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    evaluations: list[Evaluation] = Field(default_factory=list)
    note: Text | None = None
    sources: list[str] = Field(min_length=1)

    _slug = field_validator("slug")(classmethod(lambda cls, v: _check_slug(v)))

    def in_force_on(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


class PolicyPeriod(Record):
    """One step in the history of Danish cluster policy, for the maturity index."""

    name: Text
    start_year: int
    end_year: int | None = None
    dedicated_cluster_policy: bool
    sources: list[str] = Field(min_length=1)


class FocalPoint(Record):
    """One of the four focal points (sigtelinjer) a cluster organisation is checked against."""

    slug: str
    text: Text
    criterion: Text
    sources: list[str] = Field(min_length=1)


class GeographyClaim(Record):
    """A source's statement of how many clusters sit in each part of the country."""

    on: date
    text: Text
    counts: dict[PartOfCountry, int]
    sources: list[str] = Field(min_length=1)


SourceKind = Literal["document", "classification"]


class Source(Record):
    """One source the landscape cites: what it is, who published it, when and where.

    ``supports`` lists the facts the source states, as keys derived from the records (see
    ``docs/landscape.md``); a test checks every record's facts against its own sources.
    """

    ref: str = Field(description="The string records put in their `sources` lists.")
    title: str
    publisher: str
    date: str | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="Publication date with the source's own precision: 2024, 2020-05 or "
        "2020-10-02.",
    )
    url: str | None = None
    kind: SourceKind = "document"
    read: bool = Field(
        default=True,
        description="False for a source cited as the shared facts file gives it, not read here.",
    )
    supports: list[str] = Field(default_factory=list)
