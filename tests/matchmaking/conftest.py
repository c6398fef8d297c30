"""Fixtures of the matchmaking tests (the data is in ``match_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from match_helpers import PROFILES, REGISTRY, _urls

from klynge.services.auth import LOCAL
from klynge.services.registry import dispose_engines, import_path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A database holding the registry above and the profiles; yields a scratch folder."""
    from klynge.services.matchmaking import import_profiles

    for url in _urls(request.param, tmp_path):
        monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
        monkeypatch.delenv("KLYNGE_LANG", raising=False)
        for table, text in REGISTRY.items():
            path = tmp_path / f"{table}.csv"
            path.write_text(text, encoding="utf-8")
            import_path(table, path, principal=LOCAL)
        path = tmp_path / "profiles.csv"
        path.write_text(PROFILES, encoding="utf-8")
        import_profiles(path, principal=LOCAL)
        yield tmp_path
        dispose_engines()
