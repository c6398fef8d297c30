"""The maturity index scored from the landscape's records, and organisations per region."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_denmark_in_2021_counts_only_the_evaluations_that_existed() -> None:
    # The published factsheet gave evidence 1 for an ex-post evaluation it listed as available;
    # the report it rests on (DFiR) appeared in December 2024, so in 2021 only the past-policy
    # evaluation (2018) counts.
    m = maturity.score("DK")
    assert _scores(m) == {"scope": 2, "consistency": 2, "evidence": 0.5, "instruments": 2}
    assert [d.maximum for d in m.dimensions] == [2, 2, 1, 2]
    assert (m.total, m.maximum) == (6.5, 7)
    evidence = m.dimensions[2].reason.en
    assert "came later: ex-post evaluation (2024-12)" in evidence
    assert all(d.reason.da and d.reason.en for d in m.dimensions)
    assert maturity.score("danmark").total == 6.5


def test_an_evaluation_counts_from_its_date_and_never_without_one() -> None:
    ls = get_landscape()
    prog = ls.programmes["innovationskraft-2021-2024"]
    ex_post = next(e for e in prog.evaluations if e.kind == "ex-post")
    assert ex_post.published is not None
    # The month it appeared in counts only once the month is over.
    for day, score in ((date(2024, 12, 30), 0.5), (date(2024, 12, 31), 1.0)):
        assert _scores(maturity.score("DK", day, ls=ls))["evidence"] == score, day
    # The same evaluation without a date never counts, on any day.
    undated = [e.model_copy(update={"published": None}) for e in prog.evaluations]
    changed = _with(ls, programmes=_edit(ls, prog.slug, evaluations=undated))
    late = maturity.score("DK", date(2030, 1, 1), ls=changed)
    assert _scores(late)["evidence"] == 0
    assert "Undated, not counted" in late.dimensions[2].reason.en


def test_norway_is_scored_by_the_same_rule_from_its_own_records() -> None:
    recs = maturity.records("NO")
    assert recs.country == "NO" and recs.programmes and recs.history
    assert all(p.sources for p in recs.programmes)
    m = maturity.score("norway", date(2021, 6, 30))
    assert m.country == "NO"
    assert _scores(m) == {"scope": 2, "consistency": 2, "evidence": 1, "instruments": 2}
    # Before the first dated evaluation (8 December 2017) evidence is 0, and the undated one
    # (Menon) never counts.
    early = maturity.score("NO", date(2016, 6, 30))
    assert _scores(early)["evidence"] == 0
    assert "Undated, not counted" in early.dimensions[2].reason.en
    # Before the programme (June 2014) and before Arena (2002) the scope follows the records.
    assert _scores(maturity.score("NO", date(2010, 6, 30)))["scope"] == 2
    assert _scores(maturity.score("NO", date(2001, 6, 30)))["scope"] == 0


def test_any_entered_records_are_scored() -> None:
    recs = maturity.records("NO")
    without = dataclasses.replace(
        recs,
        programmes=[p.model_copy(update={"instruments": []}) for p in recs.programmes],
    )
    m = maturity.score("NO", date(2021, 6, 30), policy=without)
    assert _scores(m)["instruments"] == 0


def test_other_countries_are_refused() -> None:
    with pytest.raises(RegionsDataError, match="Denmark and Norway"):
        maturity.score("SE")


def test_fewer_evaluations_lower_the_evidence_score() -> None:
    ls = get_landscape()
    prog = ls.programmes["innovationskraft-2021-2024"]
    only_past = [e for e in prog.evaluations if e.kind == "past-policy"]
    changed = _with(ls, programmes=_edit(ls, prog.slug, evaluations=only_past))
    assert _scores(maturity.score("DK", ls=changed))["evidence"] == 0.5
    none = _with(ls, programmes=_edit(ls, prog.slug, evaluations=[]))
    assert _scores(maturity.score("DK", ls=none))["evidence"] == 0
    # With the ex-post report published (2025), both halves count.
    assert _scores(maturity.score("DK", date(2025, 6, 30), ls=ls))["evidence"] == 1


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


@given(
    published=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    precision=st.sampled_from(["day", "month", "year"]),
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2031, 12, 31)),
    later=st.integers(min_value=0, max_value=4000),
)
def test_an_evaluation_once_published_stays_published(
    published: date, precision: str, first: date, later: int
) -> None:
    from datetime import timedelta

    from klynge.i18n import Text
    from klynge.landscape.model import Evaluation

    ev = Evaluation(
        kind="ex-post",
        text=Text(da="x", en="x"),
        published=published,
        published_precision=precision,  # type: ignore[arg-type]
        sources=["s"],
    )
    second = first + timedelta(days=later)
    # Never before the day it can first be said to exist; from then on, always.
    assert not ev.exists_on(published - timedelta(days=1))
    if ev.exists_on(first):
        assert ev.exists_on(second)
    undated = ev.model_copy(update={"published": None})
    assert not undated.exists_on(second)
