"""The whole landscape as one plain, bilingual, versioned document for other programs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from klynge import __version__
from klynge.landscape.landscape import Landscape
from klynge.landscape.model import (
    Area,
    Cluster,
    FocalPoint,
    GeographyClaim,
    Municipality,
    PartOfCountry,
    PolicyPeriod,
    Programme,
    Region,
    Source,
)


class PlacedMunicipality(BaseModel):
    """A municipality with the NUTS 2 region and the part of the country its NUTS 3 area gives."""

    name: str
    nuts3: str
    sources: list[str]
    nuts2: str
    part: PartOfCountry

    @classmethod
    def of(cls, m: Municipality) -> PlacedMunicipality:
        return cls(name=m.name, nuts3=m.nuts3, sources=m.sources, nuts2=m.nuts2, part=m.part)


class LandscapeDocument(BaseModel):
    """Every record with both languages, keyed by kind, in a stable order."""

    klynge_version: str = Field(description="The klynge version that wrote the document.")
    regions: list[Region]
    municipalities: list[PlacedMunicipality]
    areas: list[Area]
    clusters: list[Cluster]
    programmes: list[Programme]
    policy_history: list[PolicyPeriod]
    focal_points: list[FocalPoint]
    geography_claims: list[GeographyClaim]
    sources: list[Source] = Field(
        default_factory=list,
        description="Every source the records cite: title, publisher, date, address, and the "
        "facts it supports.",
    )


def landscape_document(ls: Landscape) -> LandscapeDocument:
    """The landscape as a :class:`LandscapeDocument` (dump it with ``model_dump(mode="json")``)."""
    return LandscapeDocument(
        klynge_version=__version__,
        regions=list(ls.regions.values()),
        municipalities=[PlacedMunicipality.of(m) for m in ls.municipalities.values()],
        areas=list(ls.areas.values()),
        clusters=list(ls.clusters.values()),
        programmes=list(ls.programmes.values()),
        policy_history=ls.policy_history,
        focal_points=ls.focal_points,
        geography_claims=ls.geography_claims,
        sources=list(ls.sources.values()),
    )
