"""The typed results of the landscape's use cases: what the CLI prints and the API returns.

Text a person reads is already in the requested language (a plain ``str``); the full records
under ``record`` and the export document keep both languages.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from klynge.landscape.landscape import AreaState
from klynge.landscape.model import (
    Area,
    AreaKind,
    Cluster,
    Designator,
    PartOfCountry,
    Precision,
    Programme,
    ProgrammeKind,
)
from klynge.services.common import Caveat, Page


class Dated(BaseModel):
    """The day an answer is for, and what the reader must know to read it right."""

    on: date = Field(description="The date the landscape was taken on.")
    on_default: bool = Field(
        default=False,
        description="True when no date was given and `on` is the default: the last day the "
        "records cover in full, or today if that is earlier.",
    )
    caveats: list[Caveat] = Field(
        default_factory=list,
        description="Limits of the data behind this answer: the default date, days before or "
        "after the records, an unknown list of organisations, imprecise dates, unknown places.",
    )


class ClusterRef(BaseModel):
    slug: str
    name: str
    active_to: date | None = Field(
        default=None, description="The latest day the organisation's last term can have ended."
    )
    active_to_precision: Precision = Field(
        default="day", description="How exactly the source dates that end: day, month or year."
    )


class SourceRef(BaseModel):
    """A source as a reader can look it up."""

    ref: str = Field(description="The reference the records use (a seed file or an address).")
    title: str
    publisher: str
    date: str | None = Field(description="Publication date with the source's own precision.")
    url: str | None
    read: bool = Field(
        default=True,
        description="False when the page is cited as the project's facts file gives it and was "
        "not read for klynge.",
    )


class RegionRef(BaseModel):
    code: str = Field(description="NUTS 2 code, DK01..DK05.")
    name: str


# -- areas --------------------------------------------------------------------------------------
class AreaItem(BaseModel):
    slug: str
    kind: AreaKind
    designated_by: Designator
    cluster_effort: bool
    name: str
    scope: str
    cluster: str | None = Field(description="Slug of the area's cluster organisation on the day.")
    cluster_name: str | None = None
    cluster_state: AreaState = Field(
        description="active, none, unknown (the records cannot say: an unknown list, a day "
        "outside the records or an imprecise date) or no-cluster-effort."
    )
    nace: list[str] = Field(
        description="klynge's own routing mapping from NACE Rev. 2 codes to the area; not a fact "
        "from the sources."
    )
    search_terms: list[str]


class AreaList(Page[AreaItem], Dated):
    kind: AreaKind | None = Field(default=None, description="The kind filter, if one was given.")


class AreaDetail(AreaItem, Dated):
    type: Literal["area"] = "area"
    last_known: ClusterRef | None = Field(
        default=None,
        description="When the state is unknown: the organisation that held the area before.",
    )
    ended: ClusterRef | None = Field(
        default=None, description="When no one holds the area: the organisation whose term ended."
    )
    record: Area = Field(description="The full, bilingual record.")
    sources: list[SourceRef] = Field(default_factory=list, description="The record's sources.")


# -- clusters -----------------------------------------------------------------------------------
class Headquarters(BaseModel):
    town: str
    municipality: str | None
    nuts2: str | None
    region_name: str | None = None
    note: str | None = None


class ClusterItem(BaseModel):
    slug: str
    name: str
    aliases: list[str]
    area: str
    area_name: str
    kind: AreaKind
    active_from: date
    active_to: date | None
    active_to_precision: Precision = "day"
    status: Literal["active", "uncertain"] = Field(
        default="active",
        description="uncertain: the day falls in a month or year in which the sources date the "
        "start or end of the term, without a day.",
    )
    headquarters: Headquarters | None = Field(
        description="None when the sources do not give the headquarters."
    )
    website: str | None
    scope: str


class ClusterList(Page[ClusterItem], Dated):
    kind: AreaKind | None = None
    region: RegionRef | None = Field(default=None, description="The region filter, resolved.")


class ClusterDetail(ClusterItem, Dated):
    type: Literal["cluster"] = "cluster"
    active: bool = Field(description="Whether the organisation surely held its area on the day.")
    record: Cluster = Field(description="The full, bilingual record.")
    sources: list[SourceRef] = Field(default_factory=list, description="The record's sources.")


# -- programmes ---------------------------------------------------------------------------------
class ProgrammeItem(BaseModel):
    slug: str
    kind: ProgrammeKind
    name: str
    start: date
    end: date | None
    in_force: bool = Field(description="Whether the programme was in force on the day.")
    budget_dkk_million: float | None
    organisations_funded: int | None
    clusters: list[str] | None = Field(
        description="Slugs of the funded organisations; None when the sources do not give them."
    )


class ProgrammeList(Page[ProgrammeItem], Dated):
    pass


class ProgrammeDetail(ProgrammeItem, Dated):
    type: Literal["programme"] = "programme"
    record: Programme = Field(description="The full, bilingual record.")
    sources: list[SourceRef] = Field(default_factory=list, description="The record's sources.")


Record = Annotated[AreaDetail | ClusterDetail | ProgrammeDetail, Field(discriminator="type")]


# -- regions and geography -------------------------------------------------------------------
class RegionItem(RegionRef):
    clusters: list[ClusterRef] = Field(
        description="The cluster organisations with headquarters in the region on the day."
    )


class RegionList(Page[RegionItem], Dated):
    pass


class Placement(BaseModel):
    cluster: str
    name: str
    town: str | None
    municipality: str | None
    nuts2: str | None
    part: PartOfCountry | None


class ClaimCheck(BaseModel):
    on: date = Field(description="The date the source's statement is about.")
    text: str
    claimed: dict[PartOfCountry, int]
    found: dict[PartOfCountry, int]
    missing: dict[PartOfCountry, int]
    verdict: Literal["confirmed", "possible", "contradicted"]
    explanation: str
    sources: list[str]


class Geography(Dated):
    placements: list[Placement]
    by_region: dict[str, int] = Field(description="Headquarters per NUTS 2 region.")
    by_part: dict[PartOfCountry, int] = Field(description="Headquarters per part of the country.")
    unknown: list[str] = Field(description="Clusters whose headquarters the sources do not give.")
    region_names: dict[str, str]
    part_names: dict[PartOfCountry, str]
    claims: list[ClaimCheck]


# -- focal points -------------------------------------------------------------------------------
class FocalPointItem(BaseModel):
    slug: str
    text: str
    criterion: str
    sources: list[str]


class FocalPointList(Page[FocalPointItem]):
    pass


class FocalPointCheck(BaseModel):
    focal_point: str
    text: str
    outcome: Literal["met", "not-met", "not-decidable"]
    reason: str


class FocalPointChecks(Dated):
    cluster: str
    cluster_name: str
    checks: list[FocalPointCheck]
