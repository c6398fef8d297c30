"""The demo platform: synthetic data only, fresh sign-ins, never beside real data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from klynge.errors import Conflict, Unauthorized
from klynge.services import registry
from klynge.services.auth import LOCAL, authenticate
from klynge.services.demo import prepare_demo


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{path}")
    yield path
    registry.dispose_engines()


SMALL = {"organisations": 60, "activities": 8, "participations": 300}


def test_the_demo_fills_an_empty_database_and_signs_in_every_role(db: Path) -> None:
    setup = prepare_demo(**SMALL)
    assert setup.generated
    assert setup.organisations == 60 and setup.participations == 300
    assert registry.db_info().synthetic_organisations == 60
    roles = {(login.role, login.cluster) for login in setup.logins}
    assert roles == {("staff", "odense-robotics"), ("analyst", None), ("admin", None)}
    for login in setup.logins:
        principal = authenticate(login.token)
        assert principal is not None and principal.role == login.role


def test_a_second_start_keeps_the_data_and_revokes_the_old_sign_ins(db: Path) -> None:
    first = prepare_demo(**SMALL)
    second = prepare_demo(**SMALL)
    assert not second.generated and second.organisations == 60
    for login in first.logins:
        with pytest.raises(Unauthorized):
            authenticate(login.token)
    assert all(authenticate(login.token) is not None for login in second.logins)


def test_the_demo_refuses_a_database_with_real_rows(db: Path, tmp_path: Path) -> None:
    registry.db_upgrade()
    real = tmp_path / "organisations.csv"
    real.write_text("cvr,name,kind,employees\n20000015,Rigtig Virksomhed ApS,company,12\n")
    registry.import_path("organisations", real, principal=LOCAL)
    with pytest.raises(Conflict) as caught:
        prepare_demo(**SMALL)
    assert caught.value.error_code == "demo-beside-real-data"
    assert registry.db_info().synthetic_organisations == 0


def test_the_demo_prints_a_working_password_login_for_every_role(db: Path) -> None:
    from klynge.services import users

    first = prepare_demo(**SMALL)
    assert [u.role for u in first.users] == ["member", "staff", "analyst", "admin"]
    for u in first.users:
        signed = users.authenticate(u.email, u.password)
        assert signed.principal.role == u.role
    member = first.users[0]
    assert member.scope is not None
    assert users.authenticate(member.email, member.password).principal.organisation == member.scope
    # A second start gives new passwords; the old ones no longer work.
    second = prepare_demo(**SMALL)
    for old, new in zip(first.users, second.users, strict=True):
        assert old.password != new.password
        with pytest.raises(Unauthorized):
            users.authenticate(old.email, old.password)
        assert users.authenticate(new.email, new.password).principal.role == new.role
