"""Fixtures for the web platform's tests."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from klynge.services.registry import dispose_engines
from klynge.web import security

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


@dataclass
class Site:
    app: object
    tokens: dict[str, str]

    def browser(self, *, https: bool = False) -> TestClient:
        base = "https://testserver" if https else "http://testserver"
        c = TestClient(self.app, base_url=base)  # type: ignore[arg-type]
        c.cookies.set("klynge_lang", "en")
        return c

    def sign_in(self, who: str, *, https: bool = False) -> TestClient:
        c = self.browser(https=https)
        r = c.post(
            "/login",
            data={"token": self.tokens[who], "csrf_token": csrf(c, "/login"), "next": "/me"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        return c


def csrf(c: TestClient, path: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', c.get(path).text)
    assert m, f"no CSRF field on {path}"
    return m.group(1)


@pytest.fixture
def site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_registry: Callable[[], dict[str, str]]
) -> Iterator[Site]:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    monkeypatch.setenv(security.SECRET_ENV, "k" * 40)
    security.secret_key.cache_clear()
    security.LOGINS._failures.clear()
    from klynge.server import create_app

    yield Site(create_app(), make_registry())
    dispose_engines()
    security.secret_key.cache_clear()
