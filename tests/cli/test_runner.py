"""How every command runs: --lang anywhere, one-line errors, JSON errors, no tracebacks."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from klynge.cli.main import app
from klynge.cli.runner import KlyngeGroup, split_lang, wants_json
from klynge.context import current_lang

runner = CliRunner()


def test_lang_is_lifted_from_any_position() -> None:
    assert split_lang(["--lang", "da", "areas"]) == ("da", ["areas"])
    assert split_lang(["areas", "-l", "en", "--json"]) == ("en", ["areas", "--json"])
    assert split_lang(["route", "--lang=da", "text"]) == ("da", ["route", "text"])
    assert split_lang(["route", "--", "--lang", "da"]) == (None, ["route", "--", "--lang", "da"])


@pytest.mark.parametrize("args", [["--lang", "da", "areas"], ["areas", "--lang", "da"]])
def test_danish_before_or_after_the_command(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--on", "2021-06-01"], env={"KLYNGE_LANG": None})
    assert result.exit_code == 0, result.output
    assert "Erhvervs- og teknologiområder" in result.output


def test_an_empty_klynge_lang_names_the_variable() -> None:
    result = runner.invoke(app, ["areas"], env={"KLYNGE_LANG": ""})
    assert result.exit_code == 2
    assert "$KLYNGE_LANG" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_lang_option_is_one_line() -> None:
    result = runner.invoke(app, ["areas", "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang" in result.output and "'fr'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_errors_under_json_are_json() -> None:
    result = runner.invoke(app, ["show", "zzzz-nothing-like-it", "--json"])
    assert result.exit_code != 0
    doc = json.loads(result.stdout)
    assert doc["error"]["status"] in (404, 422)
    assert doc["error"]["code"]


def test_wants_json_sees_both_spellings() -> None:
    assert wants_json(["regions", "nodes", "f.csv", "--format", "json"])
    assert wants_json(["areas", "--json"])
    assert not wants_json(["areas", "--format", "csv"])


def _boom_app() -> typer.Typer:
    boom = typer.Typer(cls=KlyngeGroup)

    @boom.command()
    def explode() -> None:
        raise RuntimeError("kaput")

    @boom.command()
    def lang() -> None:
        typer.echo(current_lang())

    return boom


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KLYNGE_DEBUG", raising=False)
    result = runner.invoke(_boom_app(), ["explode"])
    assert result.exit_code == 70
    assert "RuntimeError: kaput" in result.output
    assert "KLYNGE_DEBUG" in result.output
    assert "Traceback" not in result.output


def test_the_context_language_reaches_a_command() -> None:
    result = runner.invoke(_boom_app(), ["lang", "--lang", "da"])
    assert result.exit_code == 0
    assert result.output.strip() == "da"


def test_klynge_debug_shows_the_real_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLYNGE_DEBUG", "1")
    result = runner.invoke(_boom_app(), ["explode"])
    assert isinstance(result.exception, RuntimeError)


def test_a_long_error_stays_on_one_line_in_a_narrow_terminal() -> None:
    kind = "x" * 300  # wider than any console this test runs in
    result = runner.invoke(app, ["areas", "--kind", kind], env={"COLUMNS": "80"})
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and kind in lines[0]
