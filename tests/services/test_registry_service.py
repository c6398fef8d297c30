"""The registry's services: the database policy, the rules of roles, and tokens at rest."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app
from klynge.errors import Forbidden, KlyngeError, NotFound, Unauthorized, Unavailable
from klynge.services import auth
from klynge.services import registry as service
from klynge.services.auth import LOCAL, Principal
from klynge.storage.light import head_revision

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    db = tmp_path / "klynge.db"
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("KLYNGE_LANG", raising=False)
    yield db
    service.dispose_engines()


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("sqlite://", "database-in-memory", "in-memory database"),
        ("postgresql+psycopg://u@localhost:abc/d", "database-url", "port in the database URL"),
        ("postgresql+psycopg2://u:secret@localhost/d", "database-driver", "is not installed"),
        ("postgresql+psycopg://u:secret@127.0.0.1:1/d", "database-error", "database error"),
        ("mysql://u:secret@h/d", "database-unavailable", "unsupported database"),
    ],
)
def test_an_unusable_database_is_one_line(
    env: Path, monkeypatch: pytest.MonkeyPatch, url: str, code: str, words: str
) -> None:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    with pytest.raises(Unavailable) as info:
        service.db_info() if code != "database-error" else service.account(principal=LOCAL)
    assert info.value.error_code == code and words in info.value.text("en")
    assert "secret" not in info.value.text("en")
    result = runner.invoke(app, ["account", "--json"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert json.loads(result.stdout)["error"]["code"] == code
    assert len(result.stdout.strip().splitlines()) == 1


def test_a_database_from_a_newer_klynge_is_refused(env: Path) -> None:
    assert service.db_upgrade().revision == head_revision()
    service.dispose_engines()
    with sqlite3.connect(env) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    for call in (service.db_info, service.db_upgrade, lambda: service.list_rows(
            "activities", principal=LOCAL)):  # fmt: skip
        with pytest.raises(Unavailable, match="0099") as info:
            call()
        assert info.value.error_code == "database-newer"
        service.dispose_engines()
    result = runner.invoke(app, ["db", "upgrade", "-l", "da"])
    assert result.exit_code == 1 and "som denne klynge ikke kender" in result.stderr
    assert "Traceback" not in result.output


def test_json_on_every_registry_command(env: Path, tmp_path: Path) -> None:
    upgraded = json.loads(runner.invoke(app, ["db", "upgrade", "--json"]).stdout)
    assert upgraded["revision"] == head_revision() and upgraded["previous"] is None
    demo = runner.invoke(app, ["demo-data", "--organisations", "50", "--activities", "5",
                               "--participations", "100", "--json"])  # fmt: skip
    assert json.loads(demo.stdout)["participations_asked"] == 100
    out = tmp_path / "orgs.csv"
    exported = json.loads(
        runner.invoke(app, ["export", "organisations", str(out), "--json"]).stdout
    )
    assert exported == {
        "table": "organisations",
        "file": str(out),
        "rows": 50,
        "possible_personal_data": [],
    }
    info = json.loads(runner.invoke(app, ["db", "info", "--json"]).stdout)
    assert info["rows"]["organisations"] == info["synthetic_organisations"] == 50


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\x\\medlemmer.xlsx", "medlemmer.xlsx"),
        ("ok\x00\x1b[31m.csv", "ok[31m.csv"),
        ("", "upload"),
        (None, "upload"),
    ],
)
def test_upload_names_are_names_not_paths(given: str | None, shown: str) -> None:
    assert service.upload_name(given) == shown


STAFF = Principal(role="staff", cluster="made")
ANALYST = Principal(role="analyst")
ADMIN = Principal(role="admin")


def test_the_rules_of_the_roles() -> None:
    with pytest.raises(Unauthorized):
        auth.registry_scope(None)
    assert auth.registry_scope(ADMIN) is None
    assert auth.registry_scope(STAFF) == "made"
    with pytest.raises(Forbidden):
        auth.registry_scope(ANALYST)
    assert auth.write_scope(STAFF, "activities") == "made"
    for who, table in ((STAFF, "organisations"), (ANALYST, "activities")):
        with pytest.raises(Forbidden):
            auth.write_scope(who, table)
    auth.check_account(STAFF, "made")
    auth.check_account(ANALYST, None)
    auth.check_account(ANALYST, "clean")
    for cluster in ("clean", None):
        with pytest.raises(Forbidden):
            auth.check_account(STAFF, cluster)
    for who in (STAFF, ANALYST, None):
        with pytest.raises(KlyngeError):
            auth.require_admin(who)


def test_tokens_are_stored_hashed_shown_once_and_revocable(env: Path) -> None:
    made = auth.create_token("staff", "Odense Robotics", " robot ", principal=LOCAL)
    assert (made.cluster, made.label, made.active) == ("odense-robotics", "robot", True)
    with sqlite3.connect(env) as conn:
        stored = conn.execute("SELECT token_hash FROM api_token").fetchall()
    assert stored == [(auth.hash_token(made.token),)] and made.token not in str(stored)
    assert auth.authenticate(made.token) == Principal(
        role="staff", cluster="odense-robotics", token_id=made.id
    )
    assert auth.authenticate(None) is None
    listed = auth.list_tokens(principal=LOCAL).tokens
    assert [t.id for t in listed] == [made.id] and not hasattr(listed[0], "token")
    first = auth.revoke_token(made.id, principal=LOCAL).revoked_at
    assert auth.revoke_token(made.id, principal=LOCAL).revoked_at == first
    for bad in (made.token, "klynge_x", " "):
        with pytest.raises(Unauthorized):
            auth.authenticate(bad)
    with pytest.raises(NotFound):
        auth.revoke_token(999, principal=LOCAL)
    with pytest.raises(Forbidden):
        auth.create_token("admin", principal=STAFF)
    with pytest.raises(KlyngeError, match="give no cluster"):
        auth.create_token("analyst", "made", principal=LOCAL)
