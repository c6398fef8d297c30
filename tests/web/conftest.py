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


@pytest.fixture(scope="session", autouse=True)
def _a_database_of_the_tests_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Public cluster pages read the registry's figures: never from the user's own database."""
    import os

    before = os.environ.get("KLYNGE_DATABASE_URL")
    if before is None:
        path = tmp_path_factory.mktemp("web-db") / "public.db"
        os.environ["KLYNGE_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    if before is None:
        os.environ.pop("KLYNGE_DATABASE_URL", None)


@pytest.fixture(autouse=True)
def _fresh_figures() -> None:
    """Each test counts a cluster's public figures from its own database."""
    from klynge.services import rows

    rows._FIGURES.clear()


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


PASSWORD = "a long enough password"
#: A user per role, signing in with e-mail and PASSWORD: (e-mail, role, cluster, organisation).
USERS = {
    "admin": ("admin@example.dk", "admin", None, None),
    "analyst": ("analyst@example.dk", "analyst", None, None),
    "clean": ("staff@clean.example.dk", "staff", "clean", None),
    "made": ("staff@made.example.dk", "staff", "made", None),
    "alfa": ("kontakt@alfa.example.dk", "member", None, "31000009"),
}


def make_users() -> None:
    from klynge.services.auth import LOCAL
    from klynge.services.users import create_user

    for email, role, cluster, organisation in USERS.values():
        create_user(
            email, PASSWORD, role, cluster=cluster, organisation=organisation, principal=LOCAL
        )


@dataclass
class Site:
    app: object
    tokens: dict[str, str]

    def log_in(self, who: str, *, https: bool = False) -> TestClient:
        """Sign in with the e-mail and password of USERS[who]."""
        c = self.browser(https=https)
        r = c.post(
            "/login",
            data={
                "email": USERS[who][0],
                "password": PASSWORD,
                "csrf_token": csrf(c, "/login"),
                "next": "/me",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        return c

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
    security.ACCOUNTS._failures.clear()
    from klynge.server import create_app

    tokens = make_registry()
    make_users()
    yield Site(create_app(), tokens)
    dispose_engines()
    security.secret_key.cache_clear()
