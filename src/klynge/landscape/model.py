"""The landscape's records: programmes, areas, cluster organisations, regions and focal points.

Pydantic models validate the bundled TOML files. Unknown facts are ``None``, never a guess, and
every record names its sources so that a reader can check it.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

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
    nace: list[NaceCode] = Field(default_factory=list)
    note: Text | None = None
    sources: list[str] = Field(min_length=1)

    _slug = field_validator("slug")(classmethod(lambda cls, v: _check_slug(v)))

    def search_terms(self, lang: str | None) -> list[str]:
        return self.search_terms_da if lang == "da" else self.search_terms_en


EventKind = Literal[
    "founded", "appointed", "merged", "bankrupt", "closed", "reappointed", "renamed"
]


class Event(Record):
    """Something that happened to a cluster organisation, with the day it took effect."""

    on: date
    kind: EventKind
    text: Text
    sources: list[str] = Field(min_length=1)


class Term(Record):
    """A period in which the organisation was the area's national, publicly funded cluster."""

    start: date
    end: date | None = None
    programme: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Term:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


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

    def active_on(self, on: date) -> bool:
        return any(t.covers(on) for t in self.terms)

    @property
    def active_from(self) -> date:
        return min(t.start for t in self.terms)

    @property
    def active_to(self) -> date | None:
        ends = [t.end for t in self.terms]
        return None if any(e is None for e in ends) else max(e for e in ends if e is not None)

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
    kind: EvaluationKind
    text: Text
    sources: list[str] = Field(min_length=1)


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
