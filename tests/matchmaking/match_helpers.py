"""Shared by the matchmaking tests: a small registry on SQLite and PostgreSQL.

Two clusters: CLEAN (a Danish company and a Swedish one) and MADE (a German company and a
university). Each organisation has one contact person; every organisation but the Swedish one
has a profile, and the Swedish one's is hidden.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from klynge.services.auth import LOCAL, Principal
from klynge.services.registry import dispose_engines

PG_URL = os.environ.get(
    "KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

REGISTRY = {
    "organisations": (
        "key,cvr,name,kind,employees,country\n"
        ",29863997,Nebel Droner ApS,company,12,DK\n"
        "se-1,,Svensk Prognos AB,company,30,SE\n"
        "de-1,,Deutsche Rotorblatt GmbH,company,300,DE\n"
        "aau,,Aalborg Universitet,university,,DK\n"
    ),
    "memberships": (
        "organisation,cluster,from_date,to_date\n"
        "29863997,clean,2021-03-01,\n"
        "se-1,clean,2021-03-01,\n"
        "aau,made,2021-01-01,\n"
        "de-1,made,2021-01-01,\n"
    ),
    "contacts": (
        "organisation,name,email,matchmaking\n"
        "29863997,Anna Nebel,anna@nebel.dk,yes\n"
        "se-1,Sven Svensson,sven@prognos.se,yes\n"
        "de-1,Ute Blatt,ute@rotorblatt.de,no\n"
        "aau,Lars Forsker,lars@aau.dk,yes\n"
    ),
}
PROFILES = (
    "organisation,contact,language,offers,seeks,areas,technologies,partner_kinds,countries,"
    "expires_on,hidden\n"
    "29863997,anna@nebel.dk,da,Vi udvikler droner til inspektion af havvindmøller.,"
    "Vi søger en forskningspartner inden for maskinlæring og prognoser til vindmølleparker.,"
    "energy-technology;robot-drone-technology,droner,research-partner,DK;DE,,no\n"
    "aau,lars@aau.dk,en,Our research group works on machine learning forecasts for offshore "
    "wind farms.,We look for companies that collect drone inspection data from wind turbines.,"
    "energy-technology,,supplier,DK,,no\n"
    "de-1,,en,We build rotor blades for wind turbines.,"
    "We need drone inspection of offshore wind turbines.,energy-technology,,supplier,DE,,no\n"
    "se-1,sven@prognos.se,en,AI forecasting of wind power production.,"
    "We seek drone inspection of wind farms.,energy-technology,,supplier,SE,,yes\n"
)

ADMIN = LOCAL
CLEAN = Principal(role="staff", cluster="clean")
MADE = Principal(role="staff", cluster="made")
ANALYST = Principal(role="analyst")


def member(organisation: str) -> Principal:
    """A member organisation's contact (the web's ``member`` role)."""
    return Principal(role="member", organisation=organisation)


@cache
def _postgres_problem() -> str | None:
    from sqlalchemy import create_engine, text

    try:
        with create_engine(PG_URL, connect_args={"connect_timeout": 3}).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"PostgreSQL at {PG_URL} is unreachable: {exc}"
    return None


def _urls(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'match.db'}"
        return
    problem = _postgres_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem + " (CI requires it)")
        pytest.skip(problem)
    from sqlalchemy import create_engine, text

    schema = f"klynge_match_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
