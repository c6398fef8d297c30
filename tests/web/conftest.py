"""Fixtures for the web platform's tests."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from .registry_data import ACTIVITIES, ORGANISATIONS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def load_tool() -> Callable[[str], ModuleType]:
    """Import a script from ``tools/`` by name (they are scripts, not a package)."""

    def load(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture(scope="session")
def make_registry() -> Callable[[], dict[str, str]]:
    """Fill the database ``$KLYNGE_DATABASE_URL`` names; returns a token for each role."""

    def make() -> dict[str, str]:
        from klynge.services.auth import LOCAL, create_token
        from klynge.services.registry import import_upload

        tokens = {
            "admin": create_token("admin", principal=LOCAL).token,
            "analyst": create_token("analyst", principal=LOCAL).token,
            "clean": create_token("staff", "CLEAN", principal=LOCAL).token,
            "made": create_token("staff", "made", principal=LOCAL).token,
        }
        import_upload("organisations", ORGANISATIONS.encode(), "o.csv", principal=LOCAL)
        import_upload("activities", ACTIVITIES.encode(), "a.csv", principal=LOCAL)
        return tokens

    return make
