"""Performance accounts: hand-checked figures, SQL against the reference, and the counting rules."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from registry_helpers import Db, Loader, write_csv

from klynge.accounts import (
    ActivityRow,
    Counts,
    OrgRow,
    OutcomeRow,
    ParticipationRow,
    Period,
    compute,
)
from klynge.accounts.report import Account, of_which, outcome_sentence
from klynge.storage.account_sql import (
    account_figures,
    figures_by_cluster,
    headcount_rows,
    registry_rows,
)
from klynge.storage.demo import generate
from klynge.storage.transfer import import_table

Y2023 = Period.year(2023)


def test_national_account_of_the_sample_by_hand(db: Db, load_sample: Loader) -> None:
    load_sample(db.engine)
    with db.engine.connect() as conn:
        f = account_figures(conn, Y2023)
    # Participants in W1 (clean) and P1 (made): four companies, of which two with < 50 employees
    # (12 and the Swedish 30); one company has no head count; C1 (2024) is outside the year.
    assert f.companies == Counts(4, 2)
    assert f.companies_size_unknown == 1
    assert f.size_classes == {"micro": 0, "small": 2, "medium": 1, "large": 0, "unknown": 1}
    assert (f.knowledge_institutions, f.international, f.organisations) == (1, 1, 5)
    # The CVR 29863997 company reported competences twice (two clusters): it counts once.
    assert f.outcomes == {
        "competences": Counts(1, 1),
        "ideas": Counts(1, 1),
        "products": Counts(1, 0),
        "partner": Counts(0, 0),
    }
    assert f.activities == {"workshop": 1, "rd-project": 1}
    assert (f.funding_dkk, f.private_cofinancing_dkk) == (1_100_000, 520_000)
    assert f.private_share == pytest.approx(520_000 / 1_620_000)
    assert not f.synthetic


def test_company_in_two_clusters_counts_in_each_but_once_nationally(
    db: Db, load_sample: Loader
) -> None:
    load_sample(db.engine)
    with db.engine.connect() as conn:
        national = account_figures(conn, Y2023)
        clean = account_figures(conn, Y2023, "clean")
        made = account_figures(conn, Y2023, "made")
        by = figures_by_cluster(conn, Y2023)
    assert clean.companies == Counts(3, 2)
    assert made.companies == Counts(2, 1)
    assert clean.companies.total + made.companies.total == national.companies.total + 1
    assert by["clean"].companies == clean.companies and by["made"].companies == made.companies
    assert clean.outcomes["competences"] == made.outcomes["competences"] == Counts(1, 1)
    assert set(by) == {"clean", "made"}


def test_period_boundaries(db: Db, load_sample: Loader) -> None:
    load_sample(db.engine)
    with db.engine.connect() as conn:
        y2024 = account_figures(conn, Period.year(2024))
        last_day = account_figures(conn, Period(date(2023, 6, 30), date(2023, 6, 30)))
        empty = account_figures(conn, Period.year(2019))
    assert y2024.companies == Counts(1, 1) and y2024.international == 1
    assert y2024.activities == {"conference": 1}
    assert last_day.companies == Counts(2, 1)  # only P1 runs on its last day: 2 companies, AAU
    assert empty.companies == Counts(0, 0) and empty.private_share is None


@pytest.mark.parametrize("seed", [3, 11])
def test_sql_matches_the_reference_computation(db: Db, seed: int) -> None:
    generate(db.engine, organisations=300, activities=60, participations=2500, seed=seed)
    with db.engine.connect() as conn:
        rows = registry_rows(conn)
        history = headcount_rows(conn)
        periods = [Period(date(2021, 1, 1), date(2024, 12, 31)), Period.year(2022)]
        periods.append(Period(date(2023, 3, 1), date(2023, 3, 1) + timedelta(days=40)))
        for period in periods:
            assert account_figures(conn, period) == compute(*rows, period, headcounts=history)
            by = figures_by_cluster(conn, period)
            for slug, fig in by.items():
                assert fig == compute(*rows, period, slug, headcounts=history)
    sample = by[next(iter(by))]
    assert sample.synthetic and sample.companies.total > 0


def test_ced_form_in_both_languages() -> None:
    c = Counts(6868, 4843)
    assert of_which(c, "en") == "6,868 companies, of which 4,843 have fewer than 50 employees"
    assert of_which(c, "da") == "6.868 virksomheder, heraf 4.843 med færre end 50 ansatte"
    assert outcome_sentence("competences", c, "en").endswith(", gained new competences or tools.")


def test_account_json_says_its_rule_and_synthetic_flag() -> None:
    orgs = [OrgRow(1, "company", 10, "DK", synthetic=True)]
    acts = [ActivityRow(1, "made", "workshop", date(2023, 1, 1), date(2023, 1, 1), synthetic=True)]
    fig = compute(orgs, acts, [ParticipationRow(1, 1)], [], Y2023)
    national = Account(Y2023, fig).to_json("en")
    assert national["rule"].startswith("national") and national["synthetic"] is True
    assert "synthetic" in national["notes"][0]
    cluster = Account(Y2023, fig, "made", "MADE").to_json("da")
    assert cluster["rule"].startswith("klynge")
    assert "syntetiske" in cluster["notes"][0]


# -- properties of the reference computation --------------------------------------------------
Registry = tuple[list[OrgRow], list[ActivityRow], list[ParticipationRow], list[OutcomeRow]]
CLUSTERS = ("clean", "made", "digitallead")
DAY0 = date(2023, 1, 1)


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    n_org = draw(st.integers(1, 12))
    orgs = [
        OrgRow(
            i,
            draw(st.sampled_from(["company", "company", "university", "public"])),
            draw(st.one_of(st.none(), st.integers(0, 400))),
            draw(st.sampled_from(["DK", "DK", "SE"])),
        )
        for i in range(n_org)
    ]
    n_act = draw(st.integers(1, 8))
    acts = []
    for j in range(n_act):
        start = DAY0 + timedelta(days=draw(st.integers(0, 700)))
        acts.append(
            ActivityRow(
                j,
                draw(st.sampled_from(CLUSTERS)),
                "workshop",
                start,
                start + timedelta(days=draw(st.integers(0, 200))),
            )
        )
    parts = draw(
        st.lists(
            st.builds(ParticipationRow, st.integers(0, n_org - 1), st.integers(0, n_act - 1)),
            max_size=40,
        )
    )
    outs = [
        OutcomeRow(p.organisation_id, p.activity_id, draw(st.sampled_from(["ideas", "products"])),
                   acts[p.activity_id].end)
        for p in parts
        if draw(st.booleans())
    ]  # fmt: skip
    return orgs, acts, parts, outs


@given(registries(), st.integers(0, 700), st.integers(0, 400))
def test_national_figures_lie_between_the_largest_cluster_and_the_sum(
    reg: Registry,
    offset: int,
    length: int,
) -> None:
    start = DAY0 + timedelta(days=offset)
    period = Period(start, start + timedelta(days=length))
    national = compute(*reg, period)
    per = [compute(*reg, period, c) for c in CLUSTERS]
    for get in (
        lambda f: f.companies.total,
        lambda f: f.companies.sme,
        lambda f: f.organisations,
        lambda f: f.outcomes["ideas"].total,
    ):
        values = [get(f) for f in per]
        assert max(values) <= get(national) <= sum(values)
    assert national.companies.sme + national.companies_size_unknown <= national.companies.total
    assert sum(national.size_classes.values()) == national.companies.total
    assert min(national.size_classes.values()) >= 0
    assert sum(f.funding_dkk for f in per) == national.funding_dkk
    assert sum(sum(f.activities.values()) for f in per) == sum(national.activities.values())


def test_every_kind_of_participant_is_counted_where_it_belongs(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    """GTS institutes and educational institutions are knowledge institutions as universities
    are; public actors, investors and others are not, nor are they companies; any organisation
    outside Denmark is international, whatever its kind."""
    load_sample(db.engine)
    kinds = {"dti": ("gts", "DK"), "ucl": ("education", "DK"), "lu": ("university", "SE"),
             "kom": ("public", "DK"), "vf": ("investor", "DK"), "brf": ("other", "NO")}  # fmt: skip
    orgs = [{"key": k, "name": k.upper(), "kind": kind, "country": c}
            for k, (kind, c) in kinds.items()]  # fmt: skip
    import_table(db.engine, "organisations", write_csv(tmp_path / "o.csv", orgs))
    parts = [{"organisation": k, "cluster": "made", "activity": "P1"} for k in kinds]
    import_table(db.engine, "participations", write_csv(tmp_path / "p.csv", parts))
    with db.engine.connect() as conn:
        f = account_figures(conn, Y2023)
        made = account_figures(conn, Y2023, "made")
    # The sample alone: 4 companies, 1 knowledge institution (aau), 1 international (se-1).
    assert f.companies == Counts(4, 2)
    assert f.knowledge_institutions == 1 + 3
    assert f.international == 1 + 2
    assert f.organisations == 5 + 6
    assert made.knowledge_institutions == 1 + 3 and made.international == 2


def test_all_nine_activity_types_are_counted_by_type(db: Db, tmp_path: Path) -> None:
    from klynge.registry.model import ACTIVITY_TYPES

    acts = [{"cluster": "clean", "ref": f"T{i}", "type": code, "title": code,
             "start_date": f"2023-0{1 + i % 9}-01"}
            for i, code in enumerate(ACTIVITY_TYPES)]  # fmt: skip
    acts.append({**acts[0], "ref": "again"})
    import_table(db.engine, "activities", write_csv(tmp_path / "a.csv", acts))
    with db.engine.connect() as conn:
        f = account_figures(conn, Y2023)
    assert len(ACTIVITY_TYPES) == 9
    assert f.activities == {code: 1 for code in ACTIVITY_TYPES} | {acts[0]["type"]: 2}
