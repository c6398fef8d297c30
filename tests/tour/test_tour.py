"""The tour is the README's main job: each capability shows up, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("lang", "markers"),
    [
        (
            "en",
            [
                "1. The landscape",
                "Copenhagen FinTech",
                "Energy Cluster Denmark",
                "area without a cluster: Tourism",
                "no cluster fits",
                "Total 6.5 of 7",
                "of which",
                "synthetic",
            ],
        ),
        (
            "da",
            [
                "1. Landskabet",
                "Copenhagen FinTech",
                "intet klyngeområde med klynge: Turisme",
                "ingen klynge passer",
                "I alt 6.5 af 7",
                "heraf",
                "syntetiske",
            ],
        ),
    ],
)
def test_tour_visits_every_capability(
    lang: str, markers: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The registry part must not touch the user's database: point it somewhere that would show.
    user_db = tmp_path / "user.db"
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{user_db}")
    result = runner.invoke(app, ["tour", "--lang", lang])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    for marker in markers:
        assert marker in flat, marker
    assert not user_db.exists()
