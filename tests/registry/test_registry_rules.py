"""The data rules under the published figures (issue 14): partial files, dated head counts, the
default period, foreign companies, mixed encodings, concurrent imports, CVR references,
ambiguous dates, `db check` and the empty registry."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from registry_helpers import REAL_CVR, SAMPLE, Db, Loader, make_cvr, write_csv
from sqlalchemy import select

from klynge.accounts import Period
from klynge.registry.tables import Checks, parse_row, table_spec
from klynge.storage.account_sql import account_figures, national_account
from klynge.storage.check import check_database
from klynge.storage.models import Headcount, Organisation
from klynge.storage.transfer import ImportFailed, import_table

CHECKS = Checks(today=date(2026, 1, 1), terms={"clean": [(date(2020, 1, 1), None)]})


def _org(db: Db, key: str) -> Any:
    table = Organisation.__table__
    with db.engine.connect() as conn:
        return conn.execute(select(table).where(table.c.key == key)).one()


def test_a_file_with_fewer_columns_keeps_the_others(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)
    before = _org(db, make_cvr(1))
    path = write_csv(
        tmp_path / "names.csv",
        [{"cvr": make_cvr(1), "name": "Stålværk Holding A/S", "kind": "company"}],
    )
    report = import_table(db.engine, "organisations", path)
    assert (report.inserted, report.updated) == (0, 1)
    after = _org(db, make_cvr(1))
    assert after.name == "Stålværk Holding A/S"
    assert (after.employees, after.employees_on, after.municipality, after.nuts2, after.nace) == (
        before.employees,
        before.employees_on,
        before.municipality,
        before.nuts2,
        before.nace,
    )
    assert "employees" in report.untouched and "municipality" in report.untouched
    assert "key" not in report.untouched  # a company's key is its CVR number, which it has
    assert any("the file lacks the columns employees, employees_on" in n.en for n in report.notes)


def test_an_older_count_joins_the_history_and_the_account_uses_the_count_of_its_period(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)  # Stålværk: 120 employees on 2023-12-31
    cvr = make_cvr(1)
    with db.engine.connect() as conn:
        # No count on or before 2022's end: the earliest after it (120) is used, and said.
        early = account_figures(conn, Period.year(2022), "made")
    assert early.headcount_after == 1 and early.companies.sme == 1
    old = write_csv(
        tmp_path / "old.csv",
        [{"cvr": cvr, "name": "Stålværk A/S", "kind": "company", "employees": 40,
          "employees_on": "2020-06-30"}],
    )  # fmt: skip
    report = import_table(db.engine, "organisations", old)
    assert report.updated == 0  # the organisation still shows its newest count
    assert any("1 dated head count(s) added" in n.en for n in report.notes)
    assert _org(db, cvr).employees == 120
    with db.engine.connect() as conn:
        history = sorted(
            (d, e)
            for d, e in conn.execute(select(Headcount.counted_on, Headcount.employees))
            if d is not None
        )
        assert history == [(date(2020, 6, 30), 40), (date(2023, 12, 31), 120)]
        # 2022 (P1 runs 2022-01..2023-06): the latest count on or before 2022-12-31 is 40.
        f2022 = account_figures(conn, Period.year(2022), "made")
        f2023 = account_figures(conn, Period.year(2023), "made")
    assert f2022.companies.sme == 2  # Nebel (12) and Stålværk (40)
    assert f2023.companies.sme == 1  # Stålværk has 120 by the end of 2023
    assert f2022.headcount_after == 0
    # Importing the 2023 count again changes nothing; a newer count moves the organisation.
    newer = write_csv(
        tmp_path / "new.csv",
        [{"cvr": cvr, "name": "Stålværk A/S", "kind": "company", "employees": 60,
          "employees_on": "2024-06-30"}],
    )  # fmt: skip
    assert import_table(db.engine, "organisations", newer).updated == 1
    assert _org(db, cvr).employees == 60
    with db.engine.connect() as conn:
        assert account_figures(conn, Period.year(2022), "made").companies.sme == 2


def test_default_period_keeps_late_outcomes_in_view(db: Db, load_sample: Loader) -> None:
    from klynge.services.registry import _period

    load_sample(db.engine)  # last activity ends 2024-05-01; outcomes up to 2023-09-15
    period = _period(db.engine, None, date(2023, 1, 1), None)
    assert period.end == date(2024, 5, 1)
    from klynge.storage.summary import outcomes_after

    with db.engine.connect() as conn:
        # P1 ends 2023-06-30; two of its outcomes were reported later.
        assert outcomes_after(conn, date(2023, 1, 1), date(2023, 6, 30), "made") == 2


def test_foreign_companies_are_counted_apart_and_keys_are_case_insensitive(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)
    with db.engine.connect() as conn:
        national, _ = national_account(conn, Period.year(2023))
    assert national.companies.total == 4 and national.companies_foreign == 1
    # "SE-1" is the organisation "se-1": updated, not added, and referable in any case.
    path = write_csv(
        tmp_path / "o.csv",
        [{"key": "SE-1", "name": "Svensk Robot AB", "kind": "company", "country": "SE",
          "employees": 31, "employees_on": "2023-01-01"}],
    )  # fmt: skip
    report = import_table(db.engine, "organisations", path)
    assert (report.inserted, report.updated) == (0, 1)
    assert _org(db, "se-1").employees == 31
    both = write_csv(
        tmp_path / "dup.csv",
        [{"key": "xy-9", "name": "A", "kind": "other", "country": "SE"},
         {"key": "XY-9", "name": "B", "kind": "other", "country": "SE"}],
    )  # fmt: skip
    with pytest.raises(ImportFailed) as err:
        import_table(db.engine, "organisations", both)
    assert "duplicates row 2" in str(err.value.problems[0])
    members = write_csv(
        tmp_path / "m.csv",
        [{"organisation": "SE-1", "cluster": "clean", "from_date": "2023-01-01"}],
    )
    assert import_table(db.engine, "memberships", members).inserted == 1


def test_reference_columns_accept_every_cvr_form(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)
    spaced = " ".join(make_cvr(1)[i : i + 2] for i in range(0, 8, 2))
    path = write_csv(
        tmp_path / "m.csv",
        [{"organisation": f"DK{REAL_CVR}", "cluster": "made", "from_date": "2022-01-01"},
         {"organisation": spaced, "cluster": "made", "from_date": "2022-01-01"},
         {"organisation": f"dk-{make_cvr(2)}", "cluster": "made", "from_date": "2022-01-01"}],
    )  # fmt: skip
    assert import_table(db.engine, "memberships", path).inserted == 3


@pytest.mark.parametrize("text", ["02/03/2023", "2/3/2023", "2023/03/02", "02.03-2023"])
def test_ambiguous_or_undocumented_dates_are_refused(text: str) -> None:
    raw = {"organisation": "x", "cluster": "clean", "from_date": text}
    values, errors, _ = parse_row(table_spec("memberships"), raw, CHECKS)
    assert values is None and errors[0].column == "from_date"
    if "/" in text:
        assert "ambiguous" in errors[0].text.en and "tvetydig" in errors[0].text.da


@pytest.mark.parametrize("text", ["2023-03-02", "02-03-2023", "02.03.2023", "2.3.2023"])
def test_documented_dates_are_read_day_first(text: str) -> None:
    raw = {"organisation": "x", "cluster": "clean", "from_date": text}
    values, errors, _ = parse_row(table_spec("memberships"), raw, CHECKS)
    assert not errors and values is not None and values["from_date"] == date(2023, 3, 2)


def test_mixed_encodings_are_named_by_row_through_the_import(sqlite_db: Db, tmp_path: Path) -> None:
    rows = [
        f"{make_cvr(10)},Ærø Æbler ApS,company".encode(),
        f"{make_cvr(11)},Søby Værft A/S,company".encode("cp1252"),  # one Latin-1 row
        f"{make_cvr(12)},Åbenrå Øl I/S,company".encode(),
    ]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"cvr,name,kind\n" + b"\n".join(rows) + b"\n")
    report = import_table(sqlite_db.engine, "organisations", path)
    assert report.inserted == 3
    assert any("1 row(s) are not (3)" in n.en for n in report.notes)
    assert _org(sqlite_db, make_cvr(10)).name == "Ærø Æbler ApS"  # no mojibake
    assert _org(sqlite_db, make_cvr(11)).name == "Søby Værft A/S"
    assert _org(sqlite_db, make_cvr(12)).name == "Åbenrå Øl I/S"


_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from klynge.storage import make_engine
    from klynge.storage.transfer import import_table
    engine = make_engine(sys.argv[1])
    Path(sys.argv[3]).touch()
    while not Path(sys.argv[4]).exists():
        time.sleep(0.01)
    report = import_table(engine, "organisations", sys.argv[2])
    print(report.inserted)
    """
)


def test_two_processes_import_into_one_sqlite_file(sqlite_db: Db, tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    go = tmp_path / "go"
    children = []
    for n in range(2):
        rows = [
            {"cvr": make_cvr(1000 + n * 3000 + i), "name": f"Firma {n}-{i}", "kind": "company"}
            for i in range(3000)
        ]
        path = write_csv(tmp_path / f"orgs{n}.csv", rows)
        ready = tmp_path / f"ready{n}"
        cmd = [sys.executable, str(script), sqlite_db.url, str(path), str(ready), str(go)]
        children.append(
            (subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE), ready)
        )
    for _, ready in children:
        for _ in range(3000):
            if ready.exists():
                break
            __import__("time").sleep(0.01)
    go.touch()  # both start at once
    results = [child.communicate(timeout=120) for child, _ in children]
    for (child, _), (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err.decode()
        assert out.decode().strip() == "3000"
    with sqlite_db.engine.connect() as conn:
        assert len(conn.execute(select(Organisation.id)).all()) == 6000


def test_db_check_finds_rule_breaches_one_line_each(sqlite_db: Db, load_sample: Loader) -> None:
    load_sample(sqlite_db.engine)
    assert check_database(sqlite_db.engine) == []
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM participation WHERE role = 'lead'")
        conn.exec_driver_sql(
            "UPDATE organisation SET key = 'x' || key WHERE key = :k".replace(
                ":k", f"'{make_cvr(2)}'"
            )
        )
    codes = [code for code, _, _ in check_database(sqlite_db.engine)]
    # Rows deleted behind the account summary's back also leave the summary untrue.
    assert codes == ["outcome-without-participation", "cvr-key-mismatch", "account-summary"]


def test_sample_has_a_foreign_company() -> None:
    assert any(o.get("country") == "SE" for o in SAMPLE["organisations"])


def test_erasure_takes_out_whole_names_only() -> None:
    from klynge.storage.people import ERASED, _pattern

    pattern = _pattern(["Ole Olsen", "ole@aau.dk"])
    text = "Ole Olsen (OLE@AAU.DK) og Ole Olsensen mødtes; kole@aau.dk.org svarede"
    assert pattern.sub(ERASED, text) == (
        f"{ERASED} ({ERASED}) og Ole Olsensen mødtes; kole@aau.dk.org svarede"
    )
