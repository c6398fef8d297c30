"""The maturity index scored from the landscape's records, and organisations per region."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from klynge.landscape import Landscape, get_landscape
from klynge.landscape.model import PolicyPeriod, Programme
from klynge.regions import maturity, organisations
from klynge.regions.errors import RegionsDataError


def _scores(m: maturity.Maturity) -> dict[str, float]:
    return {d.key: d.score for d in m.dimensions}


def _with(ls: Landscape, **changes: object) -> Landscape:
    return Landscape(dataclasses.replace(ls.raw, **changes))  # type: ignore[arg-type]


def _edit(ls: Landscape, slug: str, **update: object) -> list[Programme]:
    return [p.model_copy(update=update) if p.slug == slug else p for p in ls.programmes.values()]


def test_denmark_scores_as_the_factsheet() -> None:
    m = maturity.score("DK")
    assert _scores(m) == {"scope": 2, "consistency": 2, "evidence": 1, "instruments": 2}
    assert [d.maximum for d in m.dimensions] == [2, 2, 1, 2]
    assert m.total == m.maximum == 7
    assert all(d.reason.da and d.reason.en for d in m.dimensions)
    assert maturity.score("danmark").total == 7


def test_other_countries_are_refused() -> None:
    with pytest.raises(RegionsDataError, match="Denmark"):
        maturity.score("SE")


def test_fewer_evaluations_lower_the_evidence_score() -> None:
    ls = get_landscape()
    prog = ls.programmes["innovationskraft-2021-2024"]
    only_past = [e for e in prog.evaluations if e.kind == "past-policy"]
    changed = _with(ls, programmes=_edit(ls, prog.slug, evaluations=only_past))
    assert _scores(maturity.score("DK", ls=changed))["evidence"] == 0.5
    none = _with(ls, programmes=_edit(ls, prog.slug, evaluations=[]))
    assert _scores(maturity.score("DK", ls=none))["evidence"] == 0


def test_instruments_count_their_kinds() -> None:
    ls = get_landscape()
    prog = ls.programmes["innovationskraft-2021-2024"]
    financial = [i for i in prog.instruments if i.kind == "financial"]
    changed = _with(ls, programmes=_edit(ls, prog.slug, instruments=financial))
    assert _scores(maturity.score("DK", ls=changed))["instruments"] == 1


def test_scope_and_consistency_follow_the_records() -> None:
    ls = get_landscape()
    # Without a dedicated programme or dedicated history, scope falls to 1 and consistency to 0.
    broad = _with(
        ls,
        programmes=_edit(ls, "innovationskraft-2021-2024", kind="strategy"),
        policy_history=[
            p.model_copy(update={"dedicated_cluster_policy": False}) for p in ls.policy_history
        ],
    )
    s = _scores(maturity.score("DK", ls=broad))
    assert s["scope"] == 1 and s["consistency"] == 0
    # A gap in the history breaks the continuity: fewer than 10 unbroken years → 1.
    gap = [p for p in ls.policy_history if not (2013 <= p.start_year <= 2016)]
    assert _scores(maturity.score("DK", ls=_with(ls, policy_history=gap)))["consistency"] == 1
    # A short history alone also gives 1.
    short = [
        PolicyPeriod(
            name=ls.policy_history[-1].name,
            start_year=2018,
            end_year=2024,
            dedicated_cluster_policy=True,
            sources=["test"],
        )
    ]
    assert _scores(maturity.score("DK", ls=_with(ls, policy_history=short)))["consistency"] == 1


def test_organisations_per_region() -> None:
    ls = get_landscape()
    day = date(2022, 1, 1)
    counts = organisations.per_region(day)
    assert sum(c.count for c in counts) == len(ls.clusters_on(day))
    by = {c.region: c for c in counts}
    assert set(ls.regions) <= set(by)
    for c in counts:
        for slug in c.clusters:
            expected = ls.cluster_nuts2(slug) or organisations.UNKNOWN
            assert expected == c.region
    # Clusters without a recorded headquarters are counted as unknown, not dropped.
    unknown = [c.slug for c in ls.clusters_on(day) if ls.cluster_nuts2(c.slug) is None]
    assert by.get(organisations.UNKNOWN, organisations.RegionCount("unknown", 0)).count == len(
        unknown
    )
