"""The baseline for bench_api.py: the same endpoints built the first way most people would.

Each request builds its answer from scratch: pydantic response models constructed and validated
per request, no cached bytes, no ETag; the account loads ORM objects and counts in Python. It
answers the same URLs as klynge's API so that the load generator runs unchanged against both.

Run by bench_api.py as ``uvicorn naive_api:app --app-dir benchmarks --workers 2``.
"""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from klynge.landscape import get_landscape
from klynge.routing import route as route_text
from klynge.storage import make_engine
from klynge.storage.models import Activity, Participation

app = FastAPI()


class ClusterOut(BaseModel):
    slug: str
    name: str
    area: str
    area_name: str
    town: str | None
    nuts2: str | None
    website: str | None
    scope: str


class ClusterList(BaseModel):
    on: date
    items: list[ClusterOut]
    total: int


@app.get("/api/v1/clusters", response_model=ClusterList)
def clusters(on: date | None = None, lang: str = "en") -> ClusterList:
    ls = get_landscape()
    day = on or date.today()
    items = [
        ClusterOut(
            slug=c.slug,
            name=c.name,
            area=c.area,
            area_name=ls.areas[c.area].name.get(lang),
            town=c.headquarters.town if c.headquarters else None,
            nuts2=ls.cluster_nuts2(c.slug),
            website=c.website,
            scope=c.scope.get(lang),
        )
        for c in ls.clusters_on(day)
    ]
    return ClusterList(on=day, items=items, total=len(items))


class RouteIn(BaseModel):
    text: str
    nace: str | None = None
    on: date | None = None


class HitOut(BaseModel):
    model_config = {"extra": "allow"}


class RouteOut(BaseModel):
    language: str
    outcome: str
    clusters: list[HitOut]
    explanation: str
    on: date
    nace: str | None
    note: str | None


@app.post("/api/v1/route", response_model=RouteOut)
def route(body: RouteIn, lang: str = "en") -> RouteOut:
    result = route_text(body.text, nace=body.nace, on=body.on or date.today(), lang=lang)
    return RouteOut.model_validate(result.to_json())


class AccountOut(BaseModel):
    companies: int
    smes: int
    participations: int


@app.get("/api/v1/accounts/national", response_model=AccountOut)
def account(year: int = 2023) -> AccountOut:
    start, end = date(year, 1, 1), date(year, 12, 31)
    with Session(make_engine()) as s:
        parts = (
            s.execute(
                select(Participation)
                .join(Participation.activity)
                .where(Activity.start_date <= end, Activity.end_date >= start)
                .options(joinedload(Participation.organisation))
            )
            .scalars()
            .all()
        )
        companies = {p.organisation.key: p.organisation for p in parts}
        smes = sum(1 for o in companies.values() if o.employees is not None and o.employees < 50)
        return AccountOut(companies=len(companies), smes=smes, participations=len(parts))
