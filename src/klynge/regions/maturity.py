"""The ECCP cluster-policy maturity index, scored from the landscape's programme records.

The factsheet's four dimensions and their points:

* policy scope: broader policies only = 1; a dedicated cluster programme = 2;
* consistency (only with a dedicated policy): none = 0; under 10 years, or more but
  interrupted = 1; more than 10 years with clear continuity = 2;
* evidence of performance: 0.5 for evaluations of past policies or in itinere, 0.5 for ex-ante
  or ex-post evaluations;
* instruments: 1 for each kind offered (financial, technical assistance).

Every point comes from the records, so changing a record changes the score. The rule is the same
for every country whose records are entered: Denmark's come from the landscape, other countries'
from ``data/policy/<CC>.toml`` (programmes with their kind, instruments and dated evaluations,
and the policy history), see :func:`records`. An evaluation counts only from its publication
date: one without a date never counts, because it cannot be shown to exist on the day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from klynge.i18n import Text
from klynge.landscape import Landscape, get_landscape
from klynge.landscape.model import Evaluation, PolicyPeriod, Programme, as_written
from klynge.regions.errors import RegionsDataError

# The factsheet describes the policy as collected in 2020 and published in 2021, with the
# 2021-2024 programme appointed in October 2020: its day of reference.
FACTSHEET_DAY = date(2021, 6, 30)
#: Names a country is asked by → its code. Denmark's records are the landscape's; the others
#: have a file in ``data/policy``.
ALIASES = {
    "DK": "DK",
    "DENMARK": "DK",
    "DANMARK": "DK",
    "DNK": "DK",
    "NO": "NO",
    "NORWAY": "NO",
    "NORGE": "NO",
    "NOR": "NO",
}
COUNTRIES = set(ALIASES)

# How the landscape's instrument and evaluation kinds read in each language.
_KIND_NAMES: dict[str, Text] = {
    "financial": Text(da="finansiel støtte", en="financial support"),
    "technical-assistance": Text(da="teknisk bistand", en="technical assistance"),
    "ex-ante": Text(da="forhåndsevaluering", en="ex-ante evaluation"),
    "in-itinere": Text(da="løbende evaluering", en="interim evaluation"),
    "ex-post": Text(da="efterevaluering", en="ex-post evaluation"),
    "past-policy": Text(da="evaluering af tidligere politik", en="evaluation of past policy"),
}


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Text
    score: float
    maximum: float
    reason: Text


@dataclass(frozen=True)
class Maturity:
    country: str
    on: date
    dimensions: list[Dimension]
    name: Text | None = None

    @property
    def total(self) -> float:
        return sum(d.score for d in self.dimensions)

    @property
    def maximum(self) -> float:
        return sum(d.maximum for d in self.dimensions)


def _known_on(p: Programme, on: date) -> bool:
    """In force on the day, or appointed by then for a start soon after."""
    started = p.start <= on or (p.appointed_on is not None and p.appointed_on <= on)
    return started and (p.end is None or on <= p.end)


def _names(ps: list[Programme]) -> Text:
    return Text(da=", ".join(p.name.da for p in ps), en=", ".join(p.name.en for p in ps))


@dataclass(frozen=True)
class PolicyRecords:
    """What the index is scored from: a country's programmes and its policy history."""

    country: str
    name: Text
    programmes: list[Programme]
    history: list[PolicyPeriod]


def country_code(country: str) -> str:
    """The code of a country whose records klynge holds; anything else is a clear error."""
    code = ALIASES.get(country.strip().upper())
    if code is None:
        held = ", ".join(sorted(set(ALIASES.values())))
        raise RegionsDataError(
            f"ingen politikdata for {country!r}: klynge har data for {held} (Danmark og Norge)",
            f"no policy data for {country!r}: klynge holds records for {held} (Denmark and Norway)",
            code="no-policy-data",
        )
    return code


@cache
def _entered(code: str) -> PolicyRecords:
    path = resources.files("klynge.regions").joinpath("data", "policy", f"{code}.toml")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return PolicyRecords(
        country=raw["country"],
        name=Text(**raw["name"]),
        programmes=[Programme.model_validate(p) for p in raw.get("programmes", [])],
        history=[PolicyPeriod.model_validate(h) for h in raw.get("period", [])],
    )


def records(country: str, ls: Landscape | None = None) -> PolicyRecords:
    """A country's policy records: Denmark's from the landscape, others from their file."""
    code = country_code(country)
    if code == "DK":
        land = ls or get_landscape()
        return PolicyRecords(
            "DK",
            Text(da="Danmark", en="Denmark"),
            list(land.programmes.values()),
            list(land.policy_history),
        )
    return _entered(code)


def _when(e: Evaluation) -> str:
    return as_written(e.published, e.published_precision) if e.published else "?"


def _kinds(evs: list[Evaluation], lang: str) -> str:
    return ", ".join(
        f"{_KIND_NAMES.get(e.kind, Text(da=e.kind, en=e.kind)).get(lang)} ({_when(e)})" for e in evs
    )


def score(
    country: str = "DK",
    on: date = FACTSHEET_DAY,
    ls: Landscape | None = None,
    policy: PolicyRecords | None = None,
) -> Maturity:
    rec = policy or records(country, ls)
    current = [p for p in rec.programmes if _known_on(p, on)]
    dedicated = [p for p in current if p.kind == "cluster-programme"]
    broader = [p for p in current if p.kind != "cluster-programme"]
    history = [h for h in rec.history if h.start_year <= on.year]
    dims: list[Dimension] = []

    in_history = [
        h
        for h in history
        if h.dedicated_cluster_policy and (h.end_year is None or on.year <= h.end_year)
    ]

    # Policy scope
    s: float
    why: Text
    if dedicated:
        s, why = (
            2.0,
            Text(
                da=f"Dedikeret klyngeprogram: {_names(dedicated).da}",
                en=f"Dedicated cluster programme: {_names(dedicated).en}",
            ),
        )
    elif in_history:
        s, why = (
            2.0,
            Text(
                da=f"Dedikeret klyngepolitik: {in_history[-1].name.da}",
                en=f"Dedicated cluster policy: {in_history[-1].name.en}",
            ),
        )
    elif broader or history:
        s, why = (
            1.0,
            Text(
                da="Kun bredere politikker rummer klyngeindsatsen",
                en="Only broader policies cover clusters",
            ),
        )
    else:
        s, why = 0.0, Text(da="Ingen politik registreret", en="No policy recorded")
    dims.append(Dimension("scope", Text(da="Politikkens omfang", en="Policy scope"), s, 2, why))

    # Consistency of cluster policies
    periods = sorted((h for h in history if h.dedicated_cluster_policy), key=lambda h: h.start_year)
    if not (dedicated or in_history) or not periods:
        s, why = (
            0.0,
            Text(
                da="Ingen dedikeret klyngepolitik at vurdere",
                en="No dedicated cluster policy to assess",
            ),
        )
    else:
        run_start = periods[-1].start_year
        for earlier, later in zip(periods[-2::-1], periods[:0:-1], strict=False):
            if earlier.end_year is not None and earlier.end_year + 1 >= later.start_year:
                run_start = earlier.start_year
            else:
                break
        years = on.year - run_start + 1
        total = sum(min(on.year, h.end_year or on.year) - h.start_year + 1 for h in periods)
        if years > 10:
            s = 2.0
            why = Text(
                da=f"{years} års sammenhængende klyngepolitik siden {run_start}",
                en=f"{years} years of continuous cluster policy since {run_start}",
            )
        else:
            s = 1.0
            why = Text(
                da=f"{total} års klyngepolitik i alt, {years} år uden afbrydelse",
                en=f"{total} years of cluster policy in all, {years} without a break",
            )
    dims.append(
        Dimension(
            "consistency",
            Text(da="Klyngepolitikkens kontinuitet", en="Consistency of cluster policies"),
            s,
            2,
            why,
        )
    )

    # Evidence of performance: evaluations of the current and of earlier programmes, each from
    # the day it was published. A later or undated one is named, not counted.
    evaluated = [p for p in rec.programmes if p.start <= on or p in current]
    evs = [e for p in evaluated for e in p.evaluations]
    counted = [e for e in evs if e.exists_on(on)]
    not_yet = [e for e in evs if e.published is not None and not e.exists_on(on)]
    undated = [e for e in evs if e.published is None]
    kinds = {e.kind for e in counted}
    past = bool(kinds & {"past-policy", "in-itinere"})
    exa = bool(kinds & {"ex-ante", "ex-post"})
    s = 0.5 * past + 0.5 * exa
    why_da = f"Evalueringer senest {on.isoformat()}: {_kinds(counted, 'da') or '-'}"
    why_en = f"Evaluations by {on.isoformat()}: {_kinds(counted, 'en') or '-'}"
    if not_yet:
        why_da += f". Ikke talt med, fordi de kom senere: {_kinds(not_yet, 'da')}"
        why_en += f". Not counted, because they came later: {_kinds(not_yet, 'en')}"
    if undated:
        why_da += f". Uden dato, ikke talt med: {_kinds(undated, 'da')}"
        why_en += f". Undated, not counted: {_kinds(undated, 'en')}"
    dims.append(
        Dimension(
            "evidence",
            Text(da="Dokumentation for resultater", en="Evidence of performance"),
            s,
            1,
            Text(da=why_da, en=why_en),
        )
    )

    # Instruments
    ikinds = sorted({i.kind for p in current for i in p.instruments})
    names = _names(current)
    note = Text(
        da=", ".join(_KIND_NAMES.get(k, Text(da=k, en=k)).da for k in ikinds)
        or f"ingen for {names.da or '-'} (ukendt i kilderne, ikke bekræftet fraværende)",
        en=", ".join(_KIND_NAMES.get(k, Text(da=k, en=k)).en for k in ikinds)
        or f"none for {names.en or '-'} (not in the sources, not confirmed absent)",
    )
    dims.append(
        Dimension(
            "instruments",
            Text(da="Instrumenter", en="Instruments"),
            float(len(ikinds)),
            2,
            Text(
                da=f"Instrumenttyper registreret: {note.da}",
                en=f"Kinds of instrument recorded: {note.en}",
            ),
        )
    )
    return Maturity(rec.country, on, dims, rec.name)
