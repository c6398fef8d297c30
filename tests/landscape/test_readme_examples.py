"""The landscape's README examples, exactly as given to the README, run and say what they claim.

Each line below is a line of the README's command-line tour (docs/landscape.md lists them too);
the test runs it as written and checks the claim in its comment.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app

runner = CliRunner()

README_BLOCK = """\
klynge areas                              # the 15 business and technology areas and their clusters
klynge areas --kind emerging --lang da    # de fire spirende områder
klynge clusters --on 2021-01-01           # the 14 appointed cluster organisations
klynge clusters --on 2023-01-01           # 13, after MARLOG's bankruptcy
klynge clusters --on 2026-01-01           # 2025-2028: the sources name only MADE, and it says so
klynge clusters --region DK04 --json      # clusters with headquarters in Central Denmark
klynge show "Odense Robotic"              # names forgive typos, case and accents
klynge show "life science klyngen" --lang da
klynge show marlog                        # dated as the sources date it: May 2020, April 2022
klynge show innovationskraft              # a programme: funders, budget, instruments, sources
klynge geography --on 2021-01-01          # where the 14 sat, checked against the sources
"""
EXAMPLES = README_BLOCK.splitlines()
README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_carries_this_block_as_written() -> None:
    assert README_BLOCK in README.read_text(encoding="utf-8")


def _run(line: str) -> str:
    args = shlex.split(line, comments=True)
    assert args[0] == "klynge"
    result = runner.invoke(app, args[1:], env={"COLUMNS": "200"})
    assert result.exit_code == 0, (line, result.output)
    return result.output


def _json(line: str) -> dict:
    return json.loads(_run(line.split("#")[0] + " --json"))


@pytest.mark.parametrize("line", EXAMPLES)
def test_every_example_runs_as_written(line: str) -> None:
    assert _run(line)


def test_the_examples_say_what_their_comments_claim() -> None:
    areas = _json(EXAMPLES[0])
    assert areas["total"] == 15 and areas["on_default"] is True
    emerging = _run(EXAMPLES[1])
    assert "spirende område" in emerging and _json(EXAMPLES[1])["total"] == 4
    assert _json(EXAMPLES[2])["total"] == 14
    assert _json(EXAMPLES[3])["total"] == 13
    later = _json(EXAMPLES[4])
    assert [c["slug"] for c in later["items"]] == ["made"]
    assert "list-unknown" in [c["code"] for c in later["caveats"]]
    central = json.loads(_run(EXAMPLES[5]))
    assert central["region"]["code"] == "DK04" and central["total"] == 4
    assert "Odense Robotics (odense-robotics)" in _run(EXAMPLES[6])
    assert "Danish Life Science Cluster" in _run(EXAMPLES[7])
    marlog = _run(EXAMPLES[8])
    assert "May 2020" in marlog and "April 2022" in marlog
    programme = _run(EXAMPLES[9])
    assert "DKK 640 million" in programme and "Sources:" in programme
    geography = _json(EXAMPLES[10])
    assert len(geography["placements"]) == 14 and geography["claims"][0]["verdict"] == "possible"
