"""`klynge route --input`: the files people have, and the mistakes people make with them."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from klynge.cli.main import app

ON = "2021-06-01"
DANISH = "id;description\n1;Vi bygger og installerer havvindmøller\n2;Rederi med containerskibe\n"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, ["route", *args], input=stdin, env={"KLYNGE_LANG": None})


def said(r: Result) -> str:
    """Standard error with whitespace normalised: Rich wraps long lines at the console's width."""
    return " ".join(r.stderr.split())


def out_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_output_equal_to_input_is_refused_and_the_input_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "firms.csv"
    src.write_text(DANISH, encoding="utf-8")
    before = src.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    monkeypatch.chdir(tmp_path)
    for output in (
        str(src),
        "firms.csv",
        "./firms.csv",
        str(link),
        "../" + tmp_path.name + "/firms.csv",
    ):
        r = run("--input", str(src), "--output", output, "-l", "da")
        assert r.exit_code == 2, (output, r.output)
        assert "samme som inddata-filen" in said(r) and "Traceback" not in r.output
    assert src.read_bytes() == before


def test_hard_link_to_the_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "firms.csv"
    src.write_text(DANISH, encoding="utf-8")
    os.link(src, tmp_path / "same.csv")
    r = run("--input", str(src), "--output", str(tmp_path / "same.csv"))
    assert r.exit_code == 2 and "the output file is the input file" in said(r)


def test_output_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "firms.csv"
    src.write_text(DANISH, encoding="utf-8")
    r = run("--input", str(src), "--output", str(tmp_path / "nope" / "out.csv"))
    assert r.exit_code == 2
    err = said(r)
    assert "does not exist: create it first" in err and "nope" in err
    assert err.count("error:") == 1 and err.endswith("create it first")
    assert "Traceback" not in r.output


def test_every_row_failed_exits_1(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("id,description,nace\n1,,99.99\n2,,\n", encoding="utf-8")
    dst = tmp_path / "out.csv"
    r = run("--input", str(src), "--output", str(dst))
    assert r.exit_code == 1
    assert "none of the 2 rows could be routed" in said(r)
    assert [row["error"] != "" for row in out_rows(dst)] == [True, True]  # reasons are kept
    r = run("--input", str(src), "--output", str(dst), "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["errors"] == 2  # stdout stays one document


def test_some_rows_failed_warns_on_stderr(tmp_path: Path) -> None:
    src = tmp_path / "some.csv"
    src.write_text("id,description,nace\n1,We build ships,\n2,,99.99\n", encoding="utf-8")
    r = run("--input", str(src), "--output", str(tmp_path / "out.csv"), "--on", ON, "-l", "da")
    assert r.exit_code == 0
    assert "1 af 2 rækker kunne ikke rutes (række 3)" in said(r)
    assert "advarsel" not in r.stdout


def test_stdin_dash(tmp_path: Path) -> None:
    dst = tmp_path / "out.csv"
    r = run("--input", "-", "--output", str(dst), "--on", ON, stdin=DANISH.encode("cp1252"))
    assert r.exit_code == 0, r.output
    rows = out_rows(dst)
    assert rows[0]["cluster"] == "energy-cluster-denmark"
    assert "havvindmøller" in rows[0]["explanation"]


def test_danish_excel_semicolons_in_cp1252(tmp_path: Path) -> None:
    src = tmp_path / "excel.csv"
    src.write_bytes(DANISH.encode("cp1252"))
    dst = tmp_path / "out.csv"
    r = run("--input", str(src), "--output", str(dst), "--on", ON)
    assert r.exit_code == 0, r.output
    assert [row["cluster"] for row in out_rows(dst)] == ["energy-cluster-denmark", "marlog"]
    assert "Windows-1252" in said(r) and "';'" in said(r)


def test_utf16_is_read_and_named(tmp_path: Path) -> None:
    src = tmp_path / "unicode.txt"
    src.write_text(DANISH.replace(";", "\t"), encoding="utf-16")
    dst = tmp_path / "out.csv"
    r = run("--input", str(src), "--output", str(dst), "--on", ON, "--lang", "da")
    assert r.exit_code == 0, r.output
    assert out_rows(dst)[0]["cluster"] == "energy-cluster-denmark"
    assert "UTF-16" in said(r) and "tabulator" in said(r)


def test_a_stray_latin1_row_is_named(tmp_path: Path) -> None:
    src = tmp_path / "mixed.csv"
    src.write_bytes(
        "id,description\n1,Vi bygger havvindmøller\n".encode()
        + "2,Vi laver høreapparater\n".encode("cp1252")
    )
    r = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "--on", ON)
    assert r.exit_code == 0, r.output
    assert "row 3: the row is not valid UTF-8" in said(r)
    assert "danish-sound-cluster" in (tmp_path / "o.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "count", "share"), [("da", "1.200", "50,0 %"), ("en", "1,200", "50.0%")]
)
def test_summary_shows_names_and_formatted_numbers(
    tmp_path: Path, lang: str, count: str, share: str
) -> None:
    src = tmp_path / "many.csv"
    lines = ["id,description"]
    for i in range(1200):
        text = "We build offshore wind turbines" if i % 2 else "We own and operate container ships"
        lines.append(f"{i},{text}")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run(
        "--input", str(src), "--output", str(tmp_path / "o.csv"), "--on", "2023-01-01", "-l", lang
    )
    assert r.exit_code == 0, r.output
    out = r.stdout
    title = f"Opsummering: {count} rækker" if lang == "da" else f"Summary: {count} rows"
    assert title in out and share in out and "1200" not in out
    assert "no-cluster:" not in out and "Energy Cluster Denmark" in out
    assert ("ingen klynge" if lang == "da" else "no cluster") in out  # maritime in 2023


def test_batch_json_is_the_service_model(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(DANISH, encoding="utf-8")
    r = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "--on", ON, "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["rows"] == 2 and doc["routed"] == 2 and doc["errors"] == 0
    assert {c["label"]: c["name"] for c in doc["per_cluster"]}["marlog"] == "MARLOG"
    assert doc["notes"] == ["columns are separated by ';'"]


def test_a_file_without_a_date_says_which_day_it_was_routed_for(tmp_path: Path) -> None:
    """The default day is said for a file as for one description: in the JSON summary and on
    standard error, never silently (session 11: only the single answer said it)."""
    src = tmp_path / "in.csv"
    src.write_text(DANISH, encoding="utf-8")
    r = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert [c["code"] for c in doc["caveats"]] == ["default-date"]
    assert "No date given" in said(r)
    r = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "-l", "da")
    assert "Ingen dato angivet" in said(r)
    # A given day in 2025-2028 carries the unknown list's caveat; a known day carries none.
    r = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "--on", "2026-06-01")
    assert "2025-2028" in said(r)
    r = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "--on", ON, "--json")
    assert json.loads(r.stdout)["caveats"] == []
