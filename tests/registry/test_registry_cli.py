"""The registry commands end to end, in Danish and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from registry_helpers import ORDER, REAL_CVR, write_csv
from typer.testing import CliRunner

from klynge.cli.main import app
from klynge.storage.light import head_revision

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("KLYNGE_LANG", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_db_upgrade_and_info(env: Path) -> None:
    code, out, _ = run("db", "upgrade")
    assert code == 0 and f"revision {head_revision()}." in out
    code, out, _ = run("db", "info", "--json")
    info = json.loads(out)
    assert info["revision"] == info["head"] == head_revision()
    assert info["rows"]["participations"] == 0


def test_import_account_export(
    env: Path, sample_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for t in ORDER:
        code, out, err = run("import", t, str(sample_files[t]))
        assert code == 0, err
    code, out, _ = run("import", "organisations", str(sample_files["organisations"]), "-l", "da")
    assert "0 nye, 0 ændrede, 5 uændrede" in out
    code, out, _ = run("account", "--year", "2023", "--format", "json")
    doc = json.loads(out)
    assert doc["scope"] == "national" and doc["companies"]["total"] == 4
    assert doc["by_cluster"]["clean"]["companies"] == 3
    assert doc["synthetic"] is False
    code, out, _ = run("account", "--cluster", "CLEAN", "--year", "2023", "--lang", "da")
    assert code == 0
    assert "3 virksomheder, heraf 2 med færre end 50 ansatte" in out
    assert "klynge: en organisation tælles i hver klynge" in out
    code, out, _ = run("account", "--year", "2023", "--format", "csv")
    lines = out.splitlines()
    assert (
        lines[1]
        == "notes,size-unknown,1 company with no known head count is not counted as an SME.,,,"
    )
    assert lines[2].startswith(
        'notes,headcount,"Head counts: 0 company(ies)'
    )  # two sample companies have undated counts
    assert lines[3].startswith('notes,foreign-companies,"1 of the 4 companies are foreign')
    assert lines[4].startswith("participants,companies,Participating companies,4,2,")
    xlsx = env / "account.xlsx"
    code, _, _ = run("account", "--year", "2023", "--format", "xlsx", "--output", str(xlsx))
    assert code == 0
    sheet = [
        r for r in load_workbook(xlsx, read_only=True).worksheets[0].iter_rows(values_only=True)
    ]
    assert sheet[0][0] == "Performance account for the whole country, 2023-01-01..2023-12-31"
    assert ("participants", "companies", "Participating companies", 4, 2) in [r[:5] for r in sheet]
    monkeypatch.chdir(env)
    code, out, _ = run("account", "--cluster", "made", "--year", "2023", "--format", "xlsx")
    assert code == 0 and (env / "account-made-2023-01-01-2023-12-31.xlsx").is_file()
    out_file = env / "export.xlsx"
    code, out, _ = run("export", "participations", str(out_file))
    assert code == 0 and "7 rows" in out


def test_bad_import_lists_every_problem_and_imports_nothing(env: Path) -> None:
    path = write_csv(
        env / "orgs.csv",
        [
            {"cvr": REAL_CVR, "name": "Good", "kind": "company"},
            {"cvr": "12345678", "name": "Bad", "kind": "company", "employees": "-2"},
        ],
    )
    code, out, err = run("import", "organisations", str(path))
    assert code == 2
    assert f"{path}, row 3, column 'cvr'" in err
    assert "column 'employees': the number of employees cannot be negative" in err
    assert "nothing was imported: 2 problem(s)" in err
    code, out, _ = run("db", "info", "--json")
    assert json.loads(out)["rows"]["organisations"] == 0
    code, out, _ = run("import", "organisations", str(path), "--json")
    error = json.loads(out)["error"]
    assert code == 2 and error["code"] == "import-failed"
    assert {"file": str(path), "row": 3, "column": "employees"} in [
        e["location"] for e in error["errors"]
    ]


def test_demo_data_then_account_says_synthetic(env: Path) -> None:
    code, out, _ = run(
        "demo-data", "--organisations", "100", "--activities", "20", "--participations", "400"
    )
    assert code == 0 and "SYNTHETIC" in out
    code, out, _ = run("account", "--year", "2023")
    assert code == 0 and "synthetic demo data" in out
    code, out, _ = run("account", "--year", "2023", "--lang", "da")
    assert "syntetiske demodata" in out


def test_clear_errors_for_bad_options(env: Path) -> None:
    code, _, err = run("account", "--cluster", "tourism")
    assert code == 2 and "not a cluster organisation" in err
    code, _, err = run("account", "--from", "2023-05-01", "--to", "2023-01-01")
    assert code == 2 and "ends" in err
    code, _, err = run("account", "--format", "pdf")
    assert code == 2 and "unknown format" in err
    code, _, err = run("import", "companies", "x.csv")
    assert code == 2 and "unknown table" in err


def test_problems_are_reported_in_danish(env: Path) -> None:
    path = write_csv(env / "orgs.csv", [{"cvr": "12345678", "name": "Bad", "kind": "company"}])
    code, _, err = run("import", "organisationer", str(path), "--lang", "da")
    assert code == 2
    assert f"{path}, række 2, kolonne 'cvr': '12345678' er ikke et gyldigt CVR-nummer" in err
    assert "intet blev indlæst: 1 problem(er)" in err


def test_account_warns_when_the_landscape_does_not_list_the_clusters(
    env: Path, sample_files: dict[str, Path]
) -> None:
    assert run("import", "organisations", str(sample_files["organisations"]))[0] == 0
    code, out, _ = run("account", "--year", "2026", "--json")
    doc = json.loads(out)
    # The landscape (issue 15) no longer lists the 2025-2028 programme's clusters at all.
    assert code == 0 and any("clusters, so activity dates were not" in n for n in doc["notes"])
    assert [c["code"] for c in doc["caveats"]] == ["clusters-unknown"]
    code, out, _ = run("account", "--year", "2023", "--json")
    assert json.loads(out)["notes"] == []


def test_an_empty_registry_says_so_instead_of_zeros(env: Path) -> None:
    code, out, err = run("account", "--year", "2023")
    assert code == 2 and "the registry is empty" in err and "0 companies" not in out
    code, _, err = run("account", "--lang", "da")
    assert code == 2 and "registret er tomt" in err


def test_dry_run_counts_but_saves_nothing(env: Path, sample_files: dict[str, Path]) -> None:
    code, out, _ = run("import", "organisations", str(sample_files["organisations"]), "--dry-run")
    assert code == 0 and "5 new" in out and "nothing was saved" in out
    code, out, _ = run("db", "info", "--json")
    assert json.loads(out)["rows"]["organisations"] == 0


def test_db_check_one_line_per_finding(
    env: Path, sample_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run("db", "check")
    assert code == 1 and out.startswith("schema-behind: the schema is at revision (none)")
    for t in ORDER:
        assert run("import", t, str(sample_files[t]))[0] == 0
    code, out, _ = run("db", "check", "--lang", "da")
    assert code == 0 and "er i orden" in out
    doc = json.loads(run("db", "check", "--json")[1])
    assert doc["ok"] is True and doc["findings"] == []
    monkeypatch.setenv("KLYNGE_DATABASE_URL", "postgresql://u@localhost:notaport/x")
    code, out, err = run("db", "check")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "not a number" in err
