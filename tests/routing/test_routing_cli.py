"""`klynge route` for one company and for a file, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["route", *args], env={"KLYNGE_LANG": None})
    return result.exit_code, result.output


def test_route_json_shape() -> None:
    code, out = run("Vi laver høreapparater og hovedtelefoner", "--on", "2021-06-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["language"] == "da"
    assert data["outcome"] == "routed"
    assert data["clusters"][0]["slug"] == "danish-sound-cluster"
    assert set(data["clusters"][0]) >= {"slug", "area", "score", "explanation"}


@pytest.mark.parametrize(
    ("day", "outcome"),
    [("2021-06-01", "routed"), ("2023-01-01", "no-cluster-for-area")],
)
def test_maritime_by_date(day: str, outcome: str) -> None:
    code, out = run("We own and operate container ships", "--on", day, "--json")
    assert code == 0
    assert json.loads(out)["outcome"] == outcome


def test_the_landscapes_default_day_is_the_default_and_says_so() -> None:
    from klynge.services.landscape import default_day

    code, out = run("We own and operate container ships", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["on"] == default_day().isoformat()
    assert "default-date" in [c["code"] for c in doc["caveats"]]
    code, out = run("We own and operate container ships", "--json", "--on", "2021-06-01")
    assert "default-date" not in [c["code"] for c in json.loads(out)["caveats"]]


def test_tables_in_both_languages() -> None:
    code, out = run("A hotel by the sea", "--on", "2021-06-01", "--lang", "da")
    assert code == 0
    assert "Resultat" in out and "turisme" in out.lower()
    code, out = run("Frisørsalon", "--on", "2021-06-01", "--lang", "en")
    assert code == 0
    assert "No cluster fits" in out


def test_nace_option() -> None:
    code, out = run("--nace", "64.19", "--on", "2021-06-01", "--json")
    assert code == 0
    assert json.loads(out)["clusters"][0]["slug"] == "copenhagen-fintech"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--nace", "99.99"], "99.99"),
        ([""], "empty"),
        (["x" * 20_000], "10,000"),
        (["--on", "yesterday", "ships"], "YYYY-MM-DD"),
        (["--lang", "fr", "ships"], "unknown language"),
        (["--input", "a.csv"], "together"),
    ],
)
def test_errors_exit_non_zero(args: list[str], needle: str) -> None:
    code, out = run(*args)
    assert code != 0
    assert needle in out


def test_danish_error() -> None:
    code, out = run("--nace", "99.99", "--lang", "da")
    assert code != 0 and "findes ikke" in out


def test_batch_with_summary(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "id,description,nace\n1,Vi bygger havvindmøller,\n2,Frisørsalon,\n3,,99.99\n",
        encoding="utf-8",
    )
    dst = tmp_path / "out.csv"
    code, out = run("--input", str(src), "--output", str(dst), "--on", "2021-06-01")
    assert code == 0, out
    assert "Summary: 3 rows" in out and "Energy Cluster Denmark" in out
    assert len(dst.read_text(encoding="utf-8").splitlines()) == 4
    result = runner.invoke(app, ["route", "--input", str(src), "--output", str(dst), "--json"])
    summary = json.loads(result.stdout)  # the warning about the failed row is on stderr
    assert summary["rows"] == 3 and summary["errors"] == 1


def test_batch_missing_column(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,x\n", encoding="utf-8")
    code, out = run("--input", str(src), "--output", str(tmp_path / "o.csv"), "--lang", "da")
    assert code != 0 and "description" in out and "mangler" in out


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_caveat_is_printed_once(lang: str) -> None:
    """On a day of the unknown 2025-2028 list the note and the caveat say the same thing: the
    table prints it once (it was printed twice, one line under the other)."""
    code, out = run("We make hearing aids", "--on", "2026-06-01", "--lang", lang)
    assert code == 0
    text = " ".join(out.split())
    assert text.count("2025-2028") == 1


def test_an_error_about_a_danish_description_is_in_danish() -> None:
    """Without --lang the answer follows the description's language; so does a refusal (a
    Danish description with a code that does not exist was refused in English)."""
    code, out = run("Vi laver høreapparater til børn", "--nace", "99.99")
    assert code != 0 and "findes ikke" in out
    code, out = run("We make hearing aids", "--nace", "99.99")
    assert code != 0 and "does not exist" in out
