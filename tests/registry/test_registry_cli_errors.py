"""What a person sees when something is wrong or mixed: clear, bilingual, never a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from registry_helpers import ORDER, REAL_CVR, Db, Loader, write_csv
from typer.testing import CliRunner

from klynge.accounts import Counts
from klynge.accounts.report import of_which
from klynge.cli.main import app
from klynge.storage.demo import DemoRefused, generate
from klynge.storage.transfer import MIXED_NOTE, ImportFailed, export_table, import_table

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("KLYNGE_LANG", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    # A clean failure is typer.Exit (SystemExit); anything else is a traceback for the user.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_a_huge_cell_names_the_row_instead_of_crashing(env: Path) -> None:
    path = env / "orgs.csv"
    path.write_text(f"key,name,kind,country\nx1,ok,other,SE\nx2,{'a' * 200_000},other,SE\n")
    code, _, err = run("import", "organisations", str(path), "--lang", "da")
    assert code == 2
    assert f"{path}, række 3: en celle er længere end 131.072 tegn" in err
    code, _, err = run("import", "organisations", str(path))
    assert "row 3: a cell is longer than 131,072 characters" in err


def test_a_folder_is_not_a_missing_file(env: Path) -> None:
    folder = env / "data.csv"
    folder.mkdir()
    code, _, err = run("import", "organisations", str(folder))
    assert code == 2 and "is a folder, not a file" in err
    code, _, err = run("export", "organisations", str(folder), "-l", "da")
    assert code == 2 and "er en mappe, ikke en fil" in err


def test_export_and_account_refuse_unwritable_targets_in_danish(env: Path) -> None:
    missing = env / "nowhere" / "out.xlsx"
    code, _, err = run("export", "organisations", str(missing), "-l", "da")
    assert code == 2 and f"mappen {missing.parent} findes ikke" in err
    code, _, err = run("account", "--format", "xlsx", "--output", str(missing), "-l", "da")
    assert code == 2 and "findes ikke" in err
    assert not missing.parent.exists()
    code, _, err = run("export", "organisations", str(env / "out.txt"), "-l", "da")
    assert code == 2 and "ukendt filtype '.txt'" in err
    code, _, err = run("account", "--format", "csv", "--output", str(env / "a.xlsx"))
    assert code == 2 and "use .csv" in err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nonsense", "'nonsense' er ikke en database-URL"),
        ("mysql://u:secret@h/d", "understøttes ikke"),
        ("sqlite://", "er en database i hukommelsen"),
        ("sqlite:///:memory:", "er en database i hukommelsen"),
    ],
)
def test_an_unusable_database_url_is_explained(
    env: Path, monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    code, _, err = run("account", "--lang", "da")
    assert code == 1 and expected in err
    assert "secret" not in err


def test_unknown_cluster_is_said_in_danish(env: Path) -> None:
    code, _, err = run("account", "--cluster", "nonsense", "--lang", "da")
    assert code == 2 and "ingen klynge og intet program hedder 'nonsense'" in err
    code, _, err = run("account", "--cluster", "tourism", "--lang", "da")
    assert code == 2 and "er ikke en klyngeorganisation (det er et område: tourism)" in err


@pytest.mark.parametrize(("word", "name"), [("fintech", "Copenhagen FinTech"), ("sound", "Sound")])
def test_a_word_shared_by_a_cluster_and_its_area_means_the_cluster(
    env: Path, word: str, name: str
) -> None:
    # `klynge show sound` must ask (area or cluster?); an account can only be for the cluster.
    assert run("demo-data", "--organisations", "50", "--participations", "100")[0] == 0
    code, out, err = run("account", "--cluster", word, "--lang", "en")
    assert code == 0, err
    assert "Performance account for " in out and name in out


@pytest.mark.parametrize("year", ["0", "-5", "99999"])
def test_a_year_out_of_range_is_an_error_not_a_crash(env: Path, year: str) -> None:
    code, _, err = run("account", "--year", year, "--lang", "da")
    assert code == 2 and f"år {year} er ikke et årstal mellem 1 og 9999" in err


def test_danish_output_names_tables_and_clusters_not_keys(
    env: Path, sample_files: dict[str, Path]
) -> None:
    for t in ORDER:
        assert run("import", t, str(sample_files[t]))[0] == 0
    _, out, _ = run("import", "organisations", str(sample_files["organisations"]), "-l", "da")
    assert out.startswith("organisationer: 5 rækker")
    _, out, _ = run("db", "info", "-l", "da")
    assert "deltagelser" in out and "participations" not in out
    _, out, _ = run("account", "--year", "2023", "-l", "da")
    assert "│ CLEAN " in out and "│ clean " not in out
    doc = json.loads(run("account", "--year", "2023", "--json")[1])
    assert doc["by_cluster"]["made"]["name"] == "MADE"
    csv_rows = run("account", "--year", "2023", "--format", "csv")[1].splitlines()
    assert any(r.startswith("by-cluster,clean,CLEAN,3,2,") for r in csv_rows)


def test_every_table_of_the_account_states_its_rule(
    env: Path, sample_files: dict[str, Path]
) -> None:
    for t in ORDER:
        assert run("import", t, str(sample_files[t]))[0] == 0
    out = " ".join(run("account", "--year", "2023")[1].split())
    rule = "national: each organisation counts once"
    assert out.count(rule) == 2  # the figures and the size classes
    assert "per cluster: an organisation counts in every cluster" in out
    assert "activities that fall wholly or partly in the period" in out
    assert "(private co-financing as a share of all funding of the period's activities)" in out


def test_of_which_agrees_in_number() -> None:
    assert of_which(Counts(1, 1), "en") == "1 company, of which 1 has fewer than 50 employees"
    assert of_which(Counts(2, 1), "en") == "2 companies, of which 1 has fewer than 50 employees"
    assert of_which(Counts(1, 0), "da") == "1 virksomhed, heraf 0 med færre end 50 ansatte"


def test_csv_account_of_demo_data_says_synthetic_first(env: Path) -> None:
    assert run("demo-data", "--organisations", "60", "--activities", "8", "--participations",
               "200")[0] == 0  # fmt: skip
    lines = run("account", "--format", "csv", "--lang", "da")[1].splitlines()
    assert lines[1].startswith('notes,synthetic,"OBS: omfatter syntetiske demodata')


def test_demo_refusal_is_bilingual(env: Path, sample_files: dict[str, Path]) -> None:
    assert run("import", "organisations", str(sample_files["organisations"]))[0] == 0
    code, _, err = run("demo-data", "--organisations", "20", "--lang", "da")
    assert code == 1 and "databasen har 5 rigtige organisationer" in err


def test_real_rows_imported_beside_demo_data_are_flagged(db: Db, tmp_path: Path) -> None:
    generate(db.engine, organisations=30, activities=5, participations=60)
    demo_only = write_csv(tmp_path / "demo.csv", [
        {"key": "SYN-x", "name": "Demo", "kind": "other", "country": "SE", "synthetic": "true"},
    ])  # fmt: skip
    assert MIXED_NOTE not in import_table(db.engine, "organisations", demo_only).notes
    real = write_csv(tmp_path / "real.csv", [
        {"cvr": REAL_CVR, "name": "Nr. Nebel Salonskytteforening", "kind": "company"},
    ])  # fmt: skip
    report = import_table(db.engine, "organisations", real)
    assert report.inserted == 1 and MIXED_NOTE in report.notes
    # A link is real when it touches a real row; one between demo rows is demo data too.
    demo_link = tmp_path / "demo_parts.csv"
    export_table(db.engine, "participations", demo_link)
    assert MIXED_NOTE not in import_table(db.engine, "participations", demo_link).notes
    acts = tmp_path / "acts.csv"
    export_table(db.engine, "activities", acts)
    activity = next(csv.DictReader(acts.open(encoding="utf-8-sig")))
    real_link = write_csv(tmp_path / "real_parts.csv", [
        {"organisation": REAL_CVR, "cluster": activity["cluster"], "activity": activity["ref"]},
    ])  # fmt: skip
    assert MIXED_NOTE in import_table(db.engine, "participations", real_link).notes


def test_real_import_into_a_real_registry_has_no_mixing_note(
    sqlite_db: Db, load_sample: Loader, sample_files: dict[str, Path]
) -> None:
    load_sample(sqlite_db.engine)
    report = import_table(sqlite_db.engine, "participations", sample_files["participations"])
    assert MIXED_NOTE not in report.notes


def test_demo_refused_carries_danish(sqlite_db: Db, load_sample: Loader) -> None:
    load_sample(sqlite_db.engine)
    with pytest.raises(DemoRefused) as info:
        generate(sqlite_db.engine, organisations=20, activities=5, participations=50)
    assert "rigtige organisationer" in info.value.message.da


def test_a_broken_csv_row_rolls_back_the_whole_file(sqlite_db: Db, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    good = "".join(f"x{i},Org {i},other,SE\n" for i in range(20))
    path.write_text(f"key,name,kind,country\n{good}y,{'b' * 140_000},other,SE\n")
    with pytest.raises(ImportFailed) as info:
        import_table(sqlite_db.engine, "organisations", path, chunk_size=5)
    assert [(p.row, p.column) for p in info.value.problems] == [(22, None)]
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM organisation").scalar_one() == 0


def test_demo_data_says_when_it_makes_fewer_participations_than_asked(env: Path) -> None:
    code, out, _ = run("demo-data", "--organisations", "1", "--activities", "1",
                       "--participations", "100", "-l", "da")  # fmt: skip
    assert code == 0 and "Kun 5 af de ønskede 100 deltagelser er mulige" in " ".join(out.split())


def test_json_account_states_the_rule_of_every_figure(env: Path) -> None:
    assert run("demo-data", "--organisations", "50", "--participations", "100")[0] == 0
    doc = json.loads(run("account", "--year", "2023", "--json", "-l", "da")[1])
    rules = doc["rules"]
    assert rules["participants"].startswith("national: hver organisation tælles én gang")
    assert rules["outcomes"].endswith("; resultater indberettet i perioden")
    assert rules["activities_by_type"] == "aktiviteter, der helt eller delvis ligger i perioden"
    assert rules["private_cofinancing_share"].startswith("privat medfinansiering i forhold til")
    assert rules["headcount"].startswith("antal ansatte: for hver virksomhed det seneste antal")
    assert rules["foreign_companies"].startswith("udenlandske virksomheder (land ikke DK)")


def test_an_unreadable_file_is_refused_with_the_reason(
    env: Path, sample_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, where chmod 000 does not stop reading: make the open fail instead.
    import klynge.tables as tables

    def denied(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(tables, "_open_path", denied)
    code, _, err = run("import", "organisations", str(sample_files["organisations"]), "-l", "da")
    assert code == 2 and "filen kan ikke læses: Permission denied" in err


def test_xlsx_export_longer_than_excel_allows_is_refused(
    env: Path, sample_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import klynge.registry.files as files

    for t in ORDER:
        assert run("import", t, str(sample_files[t]))[0] == 0
    monkeypatch.setattr(files, "XLSX_MAX_ROWS", 7)  # a header and six rows fit, seven do not
    target = env / "p.xlsx"
    code, _, err = run("export", "participations", str(target), "-l", "da")
    assert code == 2 and "deltagelser har over 6 rækker" in err and "eksportér som CSV" in err
    assert not target.exists()
    assert run("export", "organisations", str(target))[0] == 0  # five rows fit
