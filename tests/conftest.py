"""Shared test fixtures: the reference data beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Rich sizes its console when the CLI module is imported: a wide one keeps table cells on one line.
os.environ.setdefault("COLUMNS", "200")
# Cheap argon2 parameters for the tests' passwords (never set outside tests).
os.environ.setdefault("KLYNGE_ARGON2_CHEAP", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA
