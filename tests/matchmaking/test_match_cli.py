"""`klynge match` as a person and a program use it, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from klynge.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_recommend_prints_partners_with_reasons_in_both_languages(world: Path) -> None:
    code, out = run("match", "recommend", "29863997", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["partners"][0]["organisation"] == "aau"
    assert all(p["organisation"] not in ("29863997", "se-1") for p in doc["partners"])
    code, da = run("match", "recommend", "29863997", "--lang", "da")
    assert code == 0 and "Aalborg Universitet" in da and "på tværs af sprog" in da
    code, en = run("match", "recommend", "29863997")
    assert code == 0 and "across languages" in en


def test_unknown_organisation_is_one_line_in_both_forms(world: Path) -> None:
    result = runner.invoke(app, ["match", "recommend", "nobody"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    code, out = run("match", "recommend", "nobody", "--json")
    assert code == 2 and json.loads(out)["error"]["code"] == "unknown-organisation"


def test_profile_export_import_round_trip(world: Path) -> None:
    target = world / "out.csv"
    code, out = run("match", "profile", "export", str(target), "--lang", "da")
    assert code == 0 and "personoplysninger" in out
    code, out = run("match", "profile", "import", str(target), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 4
    bad = world / "bad.csv"
    bad.write_text("organisation,offers,seeks,areas\naau,x,y,nowhere\n", encoding="utf-8")
    code, out = run("match", "profile", "import", str(bad))
    assert code == 2


def test_requests_from_the_command_line(world: Path) -> None:
    code, out = run("match", "request", "29863997", "aau", "--json")
    assert code == 0
    rid = json.loads(out)["id"]
    code, out = run("match", "request", "aau", "29863997", "--lang", "da")
    assert code == 0 and "Gensidig" in out
    code, out = run("match", "answer", str(rid), "--accept", "--json")
    assert code == 0 and json.loads(out)["state"] == "accepted"
    code, out = run("match", "requests", "--state", "accepted", "--json")
    assert [r["id"] for r in json.loads(out)["items"]] == [rid]
