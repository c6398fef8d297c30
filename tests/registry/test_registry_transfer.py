"""Import and export on SQLite and PostgreSQL: all-or-nothing, idempotent, round-trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from registry_helpers import ORDER, REAL_CVR, SAMPLE, Db, Loader, make_cvr, write_csv
from sqlalchemy import Engine, func, select, text

from klynge.storage import make_engine, upgrade
from klynge.storage.models import Organisation, Participation
from klynge.storage.transfer import ImportFailed, export_table, import_table


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_sample_imports_and_reimport_changes_nothing(db: Db, sample_files: dict[str, Path]) -> None:
    for t in ORDER:
        r = import_table(db.engine, t, sample_files[t])
        assert (r.rows, r.inserted, r.updated) == (len(SAMPLE[t]), len(SAMPLE[t]), 0)
    for t in ORDER:
        r = import_table(db.engine, t, sample_files[t])
        assert (r.inserted, r.updated, r.unchanged) == (0, 0, len(SAMPLE[t]))
    with db.engine.connect() as conn:
        esbjerg = conn.execute(
            select(Organisation.nuts2).where(Organisation.key == REAL_CVR)
        ).scalar_one()
    assert esbjerg == "DK03"


def test_changed_row_is_updated_in_place(db: Db, load_sample: Loader, tmp_path: Path) -> None:
    load_sample(db.engine)
    rows = [dict(r) for r in SAMPLE["organisations"]]
    rows[0]["employees"] = 60
    r = import_table(db.engine, "organisations", write_csv(tmp_path / "o.csv", rows))
    assert (r.inserted, r.updated) == (0, 1)
    with db.engine.connect() as conn:
        n = conn.execute(
            select(Organisation.employees).where(Organisation.key == REAL_CVR)
        ).scalar_one()
    assert n == 60


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_imports_back_unchanged(
    db: Db, load_sample: Loader, tmp_path: Path, suffix: str
) -> None:
    load_sample(db.engine)
    first = {t: tmp_path / f"a-{t}{suffix}" for t in ORDER}
    for t in ORDER:
        assert export_table(db.engine, t, first[t]) == len(SAMPLE[t])
    # Into an empty database of the same kind, then out again: the files must be identical.
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(fresh)
    for t in ORDER:
        r = import_table(fresh, t, first[t])
        assert r.inserted == len(SAMPLE[t])
        # and into the original: nothing changes
        again = import_table(db.engine, t, first[t])
        assert (again.inserted, again.updated) == (0, 0)
    for t in ORDER:
        second = tmp_path / f"b-{t}{suffix}"
        export_table(fresh, t, second)
        if suffix == ".csv":
            assert second.read_bytes() == first[t].read_bytes()
        else:
            assert _xlsx_values(second) == _xlsx_values(first[t])
    fresh.dispose()


def _xlsx_values(path: Path) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    values = [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return values


def test_formula_text_is_exported_inert_and_comes_back_unchanged(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)
    out = tmp_path / "orgs.csv"
    export_table(db.engine, "organisations", out)
    assert ",'=Formel ApS," in out.read_text(encoding="utf-8-sig")
    with db.engine.connect() as conn:
        names = set(conn.execute(select(Organisation.name)).scalars())
    assert "=Formel ApS" in names


def test_any_bad_row_means_nothing_is_written(db: Db, load_sample: Loader, tmp_path: Path) -> None:
    load_sample(db.engine)
    before = count(db.engine, Participation)
    rows = [
        {"organisation": "aau", "cluster": "clean", "activity": "W1"},
        {"organisation": "aau", "cluster": "clean", "activity": "C1"},
        {"organisation": "nobody", "cluster": "clean", "activity": "W1"},
        {"organisation": "aau", "cluster": "atlantis", "activity": "W1"},
        {"organisation": "aau", "cluster": "clean", "activity": "W1"},
        {"organisation": "aau", "cluster": "clean", "activity": "NOPE"},
    ]
    path = write_csv(tmp_path / "p.csv", rows)
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "participations", path)
    found = {(p.row, p.column): p.reason for p in info.value.problems}
    assert all(p.file == str(path) for p in info.value.problems)
    assert "unknown organisation 'nobody'" in found[(4, "organisation")]
    assert "unknown cluster 'atlantis'" in found[(5, "cluster")]
    assert "duplicates row 2" in found[(6, None)]
    assert "unknown activity 'NOPE'" in found[(7, "activity")]
    assert len(found) == 4
    assert count(db.engine, Participation) == before


def test_outcome_needs_a_participation_and_a_date_after_the_start(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)
    rows = [
        {"organisation": "aau", "cluster": "clean", "activity": "W1", "type": "ideas",
         "reported_on": "2023-05-01"},
        {"organisation": REAL_CVR, "cluster": "clean", "activity": "W1", "type": "ideas",
         "reported_on": "2023-02-01"},
    ]  # fmt: skip
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "outcomes", write_csv(tmp_path / "o.csv", rows))
    # Both problems in one run: the participation check does not wait for the rest to be clean.
    found = {(p.row, p.column): p.reason for p in info.value.problems}
    assert found.keys() == {(2, "organisation"), (3, "reported_on")}
    assert "before the activity started" in found[(3, "reported_on")]
    assert "did not take part" in found[(2, "organisation")]


def test_semicolon_latin1_file_imports(db: Db, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes(
        f"cvr;name;kind;employees\n{make_cvr(5)};Ålborg Øl ApS;company;7\n".encode("cp1252")
    )
    r = import_table(db.engine, "organisations", path)
    assert r.inserted == 1 and any("Windows-1252" in n.en for n in r.notes)
    with db.engine.connect() as conn:
        assert conn.execute(select(Organisation.name)).scalar_one() == "Ålborg Øl ApS"


def test_wrong_sheet_is_one_clear_problem(db: Db, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "organisations", path)
    [problem] = info.value.problems
    assert "no sheet named 'organisations'" in problem.reason and "'Sheet'" in problem.reason


def test_database_enforces_foreign_keys_too(db: Db) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO participation (organisation_id, activity_id, role) "
                "VALUES (99, 99, 'x')"
            )
        )


def test_sqlite_file_uses_wal(sqlite_db: Db) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_wrong_header_is_reported_alone(db: Db, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("organisation,klynge,activity\n" + "x,clean,W1\n" * 50)
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "participations", path)
    assert [(p.row, p.column) for p in info.value.problems] == [(1, "klynge"), (1, "cluster")]


def test_unchecked_dates_are_imported_with_a_note(db: Db, tmp_path: Path) -> None:
    rows = [
        {"cluster": "clean", "ref": f"X{i}", "type": "workshop", "title": "T",
         "start_date": "2025-02-0" + str(i)}
        for i in (1, 2)
    ]  # fmt: skip
    r = import_table(db.engine, "activities", write_csv(tmp_path / "a.csv", rows))
    assert r.inserted == 2
    [note] = r.notes
    assert note.en.startswith("2 row(s) with a warning, e.g. ") and "row 2" in note.en


def test_memberships_in_several_clusters_but_no_overlapping_spells(
    db: Db, load_sample: Loader, tmp_path: Path
) -> None:
    load_sample(db.engine)
    spells = [
        {"organisation": "aau", "cluster": "clean", "from_date": "2021-01-01",
         "to_date": "2021-12-31"},
        {"organisation": "aau", "cluster": "clean", "from_date": "2023-01-01"},
        {"organisation": "aau", "cluster": "censec", "from_date": "2021-06-01"},
    ]  # fmt: skip
    r = import_table(db.engine, "memberships", write_csv(tmp_path / "m.csv", spells))
    assert r.inserted == 3  # two spells in CLEAN, one in CenSec, beside the sample's MADE
    overlap = [*spells, {"organisation": "aau", "cluster": "clean", "from_date": "2021-12-01",
                         "to_date": "2022-02-01"}]  # fmt: skip
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "memberships", write_csv(tmp_path / "m2.csv", overlap))
    [p] = info.value.problems
    assert (p.row, p.column) == (5, "from_date") and "in row 2 (2021-01-01..2021-12-31)" in p.reason
    # Against the registry: a new spell overlapping a stored one is refused ...
    alone = [{"organisation": "aau", "cluster": "clean", "from_date": "2024-01-01"}]
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "memberships", write_csv(tmp_path / "m3.csv", alone))
    assert "registry already holds" in info.value.problems[0].reason
    # ... but a stored spell restated with a new end is judged by the file's version.
    moved = [{**spells[0], "to_date": "2022-12-31"}]
    r = import_table(db.engine, "memberships", write_csv(tmp_path / "m4.csv", moved))
    assert (r.inserted, r.updated) == (0, 1)


def test_too_long_text_is_a_row_problem_on_every_engine(db: Db, tmp_path: Path) -> None:
    rows = [{"key": "x1", "name": "n" * 301, "kind": "other", "country": "SE",
             "municipality": "m" * 100}]  # fmt: skip
    with pytest.raises(ImportFailed) as info:
        import_table(db.engine, "organisations", write_csv(tmp_path / "o.csv", rows))
    [p] = info.value.problems
    assert (p.row, p.column) == (2, "name") and "301 characters" in p.reason


def test_length_limits_match_the_database_columns() -> None:
    from klynge.registry.tables import MAX_LENGTH
    from klynge.storage.transfer import TARGETS

    for table, limits in MAX_LENGTH.items():
        columns = TARGETS[table].model.__table__.c
        for column, limit in limits.items():
            assert columns[column].type.length == limit, (table, column)
