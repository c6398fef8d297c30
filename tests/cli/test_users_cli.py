"""`klynge user`: make the first admin, list, change a role, disable; in Danish and English."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app
from klynge.errors import Forbidden
from klynge.services import users
from klynge.services.registry import dispose_engines

runner = CliRunner()
PASSWORD = "first admin's password"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("KLYNGE_LANG", raising=False)
    yield tmp_path
    dispose_engines()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_make_the_first_admin_and_sign_in(env: Path) -> None:
    code, out, _ = run(
        "user", "create", "Boss@Example.dk", "--role", "admin", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, out
    assert "boss@example.dk" in out and "/login" in out
    assert users.authenticate("boss@example.dk", PASSWORD).principal.role == "admin"
    # Asked for, the password is typed twice.
    code, out, _ = run(
        "user", "create", "a@example.dk", "--role", "analyst", "--lang", "da",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert code == 0 and "kan nu logge ind" in out
    code, out, _ = run("user", "list", "--json")
    listed = json.loads(out)["users"]
    assert [u["email"] for u in listed] == ["boss@example.dk", "a@example.dk"]
    assert all("password" not in json.dumps(u) for u in listed)


def test_role_rules_are_one_line_errors(env: Path) -> None:
    code, _, err = run(
        "user", "create", "s@example.dk", "--role", "staff", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code != 0 and "cluster" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("user", "create", "s@example.dk", "--role", "admin", "--password-stdin",
                       stdin="short\n")  # fmt: skip
    assert code != 0 and "10" in err


def test_set_role_and_disable(env: Path) -> None:
    run("user", "create", "s@example.dk", "--role", "staff", "--cluster", "CLEAN",
        "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    code, out, _ = run("user", "set-role", "s@example.dk", "--role", "staff", "--cluster", "made")
    assert code == 0 and "made" in out
    assert users.authenticate("s@example.dk", PASSWORD).principal.cluster == "made"
    code, out, _ = run("user", "disable", "s@example.dk")
    assert code == 0 and "disabled" in out
    with pytest.raises(Forbidden):
        users.authenticate("s@example.dk", PASSWORD)
