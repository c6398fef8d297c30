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
    Programme,
    ProgrammeKind,
)
from klynge.services.common import Caveat, Page


class Dated(BaseModel):
    """The day an answer is for, and what the reader must know to read it right."""

    on: date = Field(description="The date the landscape was taken on.")
    caveats: list[Caveat] = Field(
        default_factory=list,
        description="Limits of the data behind this answer (an unknown list, unknown places).",
    )


class ClusterRef(BaseModel):
    slug: str
    name: str
    active_to: date | None = None


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
        description="active, none, unknown (the list for the day is not known) or "
        "no-cluster-effort."
    )
    nace: list[str]
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
    active: bool = Field(description="Whether the organisation held its area on the day.")
    record: Cluster = Field(description="The full, bilingual record.")


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
