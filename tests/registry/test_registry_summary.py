"""The account summary stays true under every write path, and head counts travel as a table.

The summary (revision 0006) is derived data: these tests hold the account read through it to the
reference computation over the base rows after random sequences of imports, row updates and
deletes, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registry_helpers import ORDER, REAL_CVR, Db, Loader, make_cvr, write_csv

from klynge.accounts import Period, compute
from klynge.storage import make_engine, upgrade
from klynge.storage.account_sql import (
    account_figures,
    figures_by_cluster,
    headcount_rows,
    registry_rows,
)
from klynge.storage.account_summary import summary_differences, summary_kept
from klynge.storage.transfer import export_table, import_table

ORGS = [
    {"cvr": REAL_CVR, "name": "Nebel", "kind": "company", "employees": 12},
    {"cvr": make_cvr(1), "name": "Stålværk", "kind": "company", "employees": 120,
     "employees_on": "2023-12-31"},
    {"cvr": make_cvr(2), "name": "Formel", "kind": "company", "employees": ""},
    {"key": "aau", "name": "Aalborg Universitet", "kind": "university"},
    {"key": "se-1", "name": "Svensk Robot AB", "kind": "company", "employees": 30,
     "country": "SE"},
]  # fmt: skip
KEYS = [REAL_CVR, make_cvr(1), make_cvr(2), "aau", "se-1"]
ACTS = [("clean", "A"), ("clean", "B"), ("made", "C"), ("made", "D")]
DAY0 = date(2022, 1, 1)
PERIODS = [
    Period.year(2023),
    Period(date(2022, 3, 15), date(2024, 2, 10)),  # partial years at both ends
    Period(date(2023, 1, 1), date(2023, 5, 31)),  # one year, from its first day
    Period(date(2023, 4, 2), date(2023, 9, 30)),  # inside one year: the base tables
    Period(date(2023, 6, 1), date(2023, 6, 1)),
]


def _reset(db: Db) -> None:
    with db.engine.begin() as conn:
        for table in ("account_outcome", "account_presence", "outcome", "participation",
                      "activity", "headcount", "organisation"):  # fmt: skip
            conn.exec_driver_sql(f"DELETE FROM {table}")


def _assert_true(db: Db) -> None:
    with db.engine.connect() as conn:
        assert summary_differences(conn) == 0
        rows, history = registry_rows(conn), headcount_rows(conn)
        for period in PERIODS:
            assert account_figures(conn, period) == compute(*rows, period, headcounts=history)
            by = figures_by_cluster(conn, period)
            for slug in ("clean", "made"):
                want = compute(*rows, period, slug, headcounts=history)
                assert by.get(slug, want) == want, (period, slug)
                assert account_figures(conn, period, slug) == want, (period, slug)


def _day(n: int) -> str:
    return (DAY0 + timedelta(days=n)).isoformat()


activities_step = st.tuples(
    st.just("activities"),
    st.lists(
        st.tuples(st.sampled_from(ACTS), st.integers(0, 1000), st.integers(0, 500)),
        min_size=1,
        max_size=4,
    ),
)
participations_step = st.tuples(
    st.just("participations"),
    st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(ACTS)), min_size=1, max_size=10),
)
outcomes_step = st.tuples(
    st.just("outcomes"),
    st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(["ideas", "products"]), st.integers(0, 700)),
        min_size=1,
        max_size=4,
    ),
)
step = st.one_of(
    st.tuples(
        st.just("activities"),
        st.lists(
            st.tuples(st.sampled_from(ACTS), st.integers(0, 1000), st.integers(0, 500)),
            min_size=1,
            max_size=4,
        ),
    ),
    st.tuples(
        st.just("participations"),
        st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(ACTS)), max_size=8),
    ),
    st.tuples(
        st.just("outcomes"),
        st.lists(
            st.tuples(
                st.integers(0, 30), st.sampled_from(["ideas", "products"]), st.integers(0, 700)
            ),
            max_size=4,
        ),
    ),
    st.tuples(st.just("delete-participation"), st.integers(0, 30)),
    st.tuples(st.just("edit-participation"), st.integers(0, 30), st.sampled_from(KEYS)),
    st.tuples(st.just("move-activity"), st.sampled_from(ACTS), st.integers(0, 1000)),
)


def _apply(db: Db, tmp_path: Path, n: int, s: tuple[Any, ...]) -> None:
    kind = s[0]
    if kind == "activities":
        rows = {
            (c, r): {"cluster": c, "ref": r, "type": "workshop", "title": r,
                     "start_date": _day(start), "end_date": _day(start + length)}
            for (c, r), start, length in s[1]
        }  # fmt: skip
        import_table(
            db.engine, "activities", write_csv(tmp_path / f"a{n}.csv", list(rows.values()))
        )
        return
    with db.engine.connect() as conn:
        acts = {
            (c, r): (i, sd)
            for i, c, r, sd in conn.exec_driver_sql(
                "SELECT id, cluster, ref, start_date FROM activity"
            )
        }
        parts = list(
            conn.exec_driver_sql(
                "SELECT p.id, p.organisation_id, o.key, a.cluster, a.ref, a.start_date FROM "
                "participation p JOIN organisation o ON o.id = p.organisation_id "
                "JOIN activity a ON a.id = p.activity_id ORDER BY p.id"
            )
        )
    if kind == "participations":
        rows = {
            (k, a): {"organisation": k, "cluster": a[0], "activity": a[1]}
            for k, a in s[1]
            if a in acts
        }
        if rows:
            path = write_csv(tmp_path / f"p{n}.csv", list(rows.values()))
            import_table(db.engine, "participations", path)
    elif kind == "outcomes" and parts:
        rows = {}
        for i, typ, days in s[1]:
            _, _, key, cluster, ref, start = parts[i % len(parts)]
            start = start if isinstance(start, date) else date.fromisoformat(start)
            day = min(start + timedelta(days=days), date(2025, 6, 30))
            rows[(key, cluster, ref, typ, day)] = {
                "organisation": key, "cluster": cluster, "activity": ref, "type": typ,
                "reported_on": day.isoformat(),
            }  # fmt: skip
        if rows:
            path = write_csv(tmp_path / f"o{n}.csv", list(rows.values()))
            import_table(db.engine, "outcomes", path)
    elif kind == "delete-participation" and parts:
        # A row delete, as the browser's row editing does: through summary_kept.
        pid, org, *_ = parts[s[1] % len(parts)]
        with db.engine.begin() as conn, summary_kept(conn, organisations=[org]):
            conn.exec_driver_sql(
                f"DELETE FROM outcome WHERE organisation_id = {org} AND activity_id = "
                f"(SELECT activity_id FROM participation WHERE id = {pid})"
            )
            conn.exec_driver_sql(f"DELETE FROM participation WHERE id = {pid}")
    elif kind == "edit-participation" and parts:
        # The browser's row edit: a one-row import replacing the row (here: another organisation).
        pid, _, key, cluster, ref, _ = parts[s[1] % len(parts)]
        if key != s[2] and not any(p[2] == s[2] and p[3:5] == (cluster, ref) for p in parts):
            row = [{"organisation": s[2], "cluster": cluster, "activity": ref}]
            path = write_csv(tmp_path / f"e{n}.csv", row)
            import_table(db.engine, "participations", path, replacing=pid)
    elif kind == "move-activity" and s[1] in acts:
        # A row update of an activity's dates: the organisations linked to it are found.
        aid = acts[s[1]][0]
        start = DAY0 + timedelta(days=s[2])
        with db.engine.begin() as conn, summary_kept(conn, activities=[aid]):
            sql = "UPDATE activity SET start_date = {s}, end_date = {e} WHERE id = {i}"
            if db.backend == "sqlite":
                s_, e_ = f"'{start}'", f"'{start + timedelta(days=30)}'"
            else:
                s_, e_ = f"DATE '{start}'", f"DATE '{start + timedelta(days=30)}'"
            conn.exec_driver_sql(sql.format(s=s_, e=e_, i=aid))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.tuples(activities_step, participations_step, outcomes_step),
    steps=st.lists(step, max_size=6),
)
def test_random_writes_give_the_same_account_through_the_summary(
    db: Db, tmp_path: Path, first: tuple[Any, ...], steps: list[tuple[Any, ...]]
) -> None:
    _reset(db)
    import_table(db.engine, "organisations", write_csv(tmp_path / "orgs.csv", ORGS))
    for n, s in enumerate([*first, *steps]):
        _apply(db, tmp_path, n, s)
    _assert_true(db)


def test_summary_differences_finds_a_stale_summary(db: Db, load_sample: Loader) -> None:
    load_sample(db.engine)
    with db.engine.begin() as conn:
        assert summary_differences(conn) == 0
        # A write that bypasses the summary (what a new write path must not do).
        conn.exec_driver_sql("DELETE FROM outcome")
        conn.exec_driver_sql("DELETE FROM participation")
        assert summary_differences(conn) > 0


def test_head_counts_export_and_import_back(db: Db, load_sample: Loader, tmp_path: Path) -> None:
    load_sample(db.engine)
    older = [{"cvr": make_cvr(1), "name": "Stålværk A/S", "kind": "company",
              "employees": 40, "employees_on": "2020-06-30"}]  # fmt: skip
    import_table(db.engine, "organisations", write_csv(tmp_path / "old.csv", older))
    out = {t: tmp_path / f"a-{t}.csv" for t in ("organisations", "headcounts")}
    for t, path in out.items():
        export_table(db.engine, t, path)
    lines = out["headcounts"].read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "organisation,employees,counted_on"
    assert f"{make_cvr(1)},40,2020-06-30" in lines and f"{make_cvr(1)},120,2023-12-31" in lines
    assert f"{REAL_CVR},12," in lines  # an undated count
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(fresh)
    try:
        import_table(fresh, "organisations", out["organisations"])
        r = import_table(fresh, "headcounts", out["headcounts"])
        assert r.inserted == 1 and r.unchanged == 3  # only the 2020 count was not there yet
        again = import_table(fresh, "headcounts", out["headcounts"])
        assert (again.inserted, again.updated) == (0, 0)
        second = tmp_path / "b-headcounts.csv"
        export_table(fresh, "headcounts", second)
        assert second.read_bytes() == out["headcounts"].read_bytes()
        with fresh.connect() as a, db.engine.connect() as b:
            assert {(r.employees, r.counted_on) for r in headcount_rows(a)} == {
                (r.employees, r.counted_on) for r in headcount_rows(b)
            }
    finally:
        fresh.dispose()


def test_head_count_file_rules(db: Db, load_sample: Loader, tmp_path: Path) -> None:
    from klynge.storage.transfer import ImportFailed

    load_sample(db.engine)
    bad = [
        {"organisation": make_cvr(1), "employees": "-3", "counted_on": "2022-01-01"},
        {"organisation": "nobody", "employees": "3", "counted_on": "2022-01-01"},
        {"organisation": REAL_CVR, "employees": "5", "counted_on": ""},
        {"organisation": REAL_CVR, "employees": "6", "counted_on": ""},
    ]
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "headcounts", write_csv(tmp_path / "bad.csv", bad))
    where = {(p.row, p.column) for p in info.value.problems}
    assert (2, "employees") in where and (3, "organisation") in where
    assert any(p.row == 5 for p in info.value.problems)  # two undated counts of one company
    newer = [{"organisation": f"DK{make_cvr(1)}", "employees": "60", "counted_on": "2024-06-30"}]
    r = import_table(db.engine, "headcounts", write_csv(tmp_path / "new.csv", newer))
    assert r.inserted == 1
    with db.engine.connect() as conn:
        shown = conn.exec_driver_sql(
            f"SELECT employees FROM organisation WHERE key = '{make_cvr(1)}'"
        ).scalar_one()
        assert shown == 60  # the organisation shows its newest count
        assert account_figures(conn, Period.year(2023), "made").companies.sme == 1
        assert account_figures(conn, Period.year(2024)).companies_size_unknown >= 0


def test_every_registry_table_round_trips_through_its_order() -> None:
    assert set(ORDER) < {"organisations", "memberships", "activities", "participations",
                         "outcomes", "contacts", "headcounts"}  # fmt: skip


def test_db_check_finds_a_stale_summary_and_rebuild_mends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_files: dict[str, Path]
) -> None:
    import json

    from typer.testing import CliRunner

    from klynge.cli.main import app

    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{tmp_path / 'check.db'}")
    runner = CliRunner()
    for t in ORDER:
        assert runner.invoke(app, ["import", t, str(sample_files[t])]).exit_code == 0
    assert runner.invoke(app, ["db", "check"]).exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'check.db'}")
    with engine.begin() as conn:  # a tool that writes behind klynge's back
        conn.exec_driver_sql("DELETE FROM account_presence WHERE cluster = 'made'")
    engine.dispose()
    found = runner.invoke(app, ["db", "check", "--json"])
    assert found.exit_code == 1
    codes = {f["code"] for f in json.loads(found.stdout)["findings"]}
    assert "account-summary" in codes
    done = runner.invoke(app, ["db", "rebuild-summary", "--lang", "da"])
    assert done.exit_code == 0 and "genberegnet" in done.stdout
    assert runner.invoke(app, ["db", "check"]).exit_code == 0


def test_any_period_counts_each_organisation_once(db: Db, tmp_path: Path) -> None:
    """Organisations that take part in some years and not others, with activities that end
    early or start late in a year: every period's account through the summary (on PostgreSQL
    each pair is counted on its first qualifying summary row) equals the reference."""
    import random

    rnd = random.Random(14)
    _reset(db)
    import_table(db.engine, "organisations", write_csv(tmp_path / "orgs.csv", ORGS))
    acts = []
    for n in range(24):
        start = DAY0 - timedelta(days=400) + timedelta(days=rnd.randrange(0, 1700))
        end = start + timedelta(days=rnd.choice([0, 20, 90, 400]))
        acts.append({"cluster": ("clean", "made")[n % 2], "ref": f"R{n}", "type": "workshop",
                     "title": f"R{n}", "start_date": start.isoformat(),
                     "end_date": end.isoformat()})  # fmt: skip
    import_table(db.engine, "activities", write_csv(tmp_path / "a.csv", acts))
    parts = {(k, a["cluster"], a["ref"]) for a in acts for k in KEYS if rnd.random() < 0.35}
    rows = [{"organisation": k, "cluster": c, "activity": r} for k, c, r in sorted(parts)]
    import_table(db.engine, "participations", write_csv(tmp_path / "p.csv", rows))
    outs = {}
    for k, c, r in sorted(parts):
        if rnd.random() < 0.5:
            began = date.fromisoformat(next(a for a in acts if a["ref"] == r)["start_date"])
            day = min(began + timedelta(days=rnd.randrange(0, 700)), date(2025, 6, 30))
            typ = rnd.choice(["ideas", "products"])
            outs[(k, c, r, typ, day)] = {"organisation": k, "cluster": c, "activity": r,
                                         "type": typ, "reported_on": day.isoformat()}  # fmt: skip
    import_table(db.engine, "outcomes", write_csv(tmp_path / "o.csv", list(outs.values())))
    with db.engine.connect() as conn:
        assert summary_differences(conn) == 0
        base, history = registry_rows(conn), headcount_rows(conn)

        @settings(max_examples=60, deadline=None)
        @given(start=st.integers(0, 1800), length=st.integers(0, 1500))
        def check(start: int, length: int) -> None:
            first = DAY0 - timedelta(days=450) + timedelta(days=start)
            period = Period(first, first + timedelta(days=length))
            assert account_figures(conn, period) == compute(*base, period, headcounts=history)
            by = figures_by_cluster(conn, period)
            for slug in ("clean", "made"):
                want = compute(*base, period, slug, headcounts=history)
                assert by.get(slug, want) == want, (period, slug)

        check()
