"""Users with passwords, sessions that end at once, and editing one row: SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klynge.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from klynge.services import rows, users
from klynge.services.auth import LOCAL, Principal, create_token, revoke_token
from klynge.services.people import audit_log
from klynge.services.registry import dispose_engines, import_upload

PG_URL = os.environ.get(
    "KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ORGANISATIONS = (
    "cvr,name,kind,employees,municipality\n"
    "31000009,Alfa ApS,company,12,Aarhus\n"
    "31000076,Beta A/S,company,300,Odense\n"
    "31000149,Gamma ApS,company,8,Esbjerg\n"
)
MEMBERSHIPS = (
    "organisation,cluster,from_date\n"
    "31000009,clean,2023-01-01\n"
    "31000076,clean,2023-01-01\n"
    "31000149,made,2023-01-01\n"
)
ACTIVITIES = (
    "cluster,ref,type,title,start_date,funding_dkk,private_cofinancing_dkk\n"
    "clean,W1,workshop,Vand og varme,2023-03-01,100000,20000\n"
    "made,P1,workshop,Robotter,2023-04-01,50000,0\n"
)
PARTICIPATIONS = "organisation,cluster,activity,role\n31000009,clean,W1,participant\n"
CONTACTS = (
    "organisation,name,email\n31000009,Anna Alfa,anna@alfa.dk\n31000149,Gert Gamma,gert@gamma.dk\n"
)
PASSWORD = "correct horse battery"


@cache
def _postgres_problem() -> str | None:
    from sqlalchemy import create_engine, text

    try:
        with create_engine(PG_URL, connect_args={"connect_timeout": 3}).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"PostgreSQL at {PG_URL} is unreachable: {exc}"
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh database holding a small registry."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'users.db'}"
        schema = None
    else:
        problem = _postgres_problem()
        if problem:
            if os.environ.get("CI"):
                pytest.fail(problem + " (CI requires it)")
            pytest.skip(problem)
        from sqlalchemy import create_engine, text

        schema = f"klynge_users_{uuid.uuid4().hex[:12]}"
        with create_engine(PG_URL).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    for table, text_ in (
        ("organisations", ORGANISATIONS),
        ("memberships", MEMBERSHIPS),
        ("activities", ACTIVITIES),
        ("participations", PARTICIPATIONS),
        ("contacts", CONTACTS),
    ):
        import_upload(table, text_.encode(), f"{table}.csv", principal=LOCAL)
    rows._FIGURES.clear()
    yield url
    dispose_engines()
    if schema:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _ids(table: str) -> dict[str, int]:
    from klynge.services.registry import list_rows

    page = list_rows(table, limit=100, principal=LOCAL)
    key = {"organisations": "key", "contacts": "email", "activities": "ref"}.get(table)
    return {str(getattr(r, key)) if key else str(r.id): r.id for r in page.items}


# -- users ----------------------------------------------------------------------------------------
def test_a_password_is_stored_only_as_an_argon2_hash(db: str) -> None:
    from klynge.services.registry import with_database
    from klynge.storage.users import find_user

    made = users.create_user("Ada@Example.dk", PASSWORD, "admin", principal=LOCAL)
    assert made.email == "ada@example.dk" and made.active
    row = with_database(lambda e: find_user(e, "ada@example.dk"))
    assert row is not None
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    # The e-mail's case does not matter at sign-in.
    assert users.authenticate("ADA@example.dk", PASSWORD).principal.role == "admin"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(db: str) -> None:
    users.create_user("ada@example.dk", PASSWORD, "analyst", principal=LOCAL)
    answers = []
    for email, password in (("ada@example.dk", "wrong password"), ("nobody@x.dk", PASSWORD)):
        with pytest.raises(Unauthorized) as caught:
            users.authenticate(email, password)
        answers.append((caught.value.error_code, caught.value.message))
    assert answers[0] == answers[1]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(other=st.text(min_size=1, max_size=40))
def test_no_other_password_signs_in(db: str, other: str) -> None:
    with contextlib.suppress(Conflict):  # made by an earlier example
        users.create_user("h@example.dk", PASSWORD, "analyst", principal=LOCAL)
    if other == PASSWORD:
        return
    with pytest.raises(Unauthorized):
        users.authenticate("h@example.dk", other)


def test_a_disabled_user_cannot_sign_in_and_their_session_ends(db: str) -> None:
    made = users.create_user("s@example.dk", PASSWORD, "staff", cluster="CLEAN", principal=LOCAL)
    signed = users.authenticate("s@example.dk", PASSWORD)
    assert signed.principal == Principal(role="staff", cluster="clean", user_id=made.id)
    assert users.session_person("user", made.id, signed.generation) is not None
    users.disable_user("s@example.dk", principal=LOCAL)
    assert users.session_person("user", made.id, signed.generation) is None
    with pytest.raises(Forbidden) as caught:
        users.authenticate("s@example.dk", PASSWORD)
    assert caught.value.error_code == "user-disabled"
    # A wrong password still says only "wrong e-mail or password".
    with pytest.raises(Unauthorized):
        users.authenticate("s@example.dk", "not the password")
    users.enable_user("s@example.dk", principal=LOCAL)
    again = users.authenticate("s@example.dk", PASSWORD)
    assert users.session_person("user", made.id, again.generation) is not None
    # The session from before the disabling stays over.
    assert users.session_person("user", made.id, signed.generation) is None


def test_a_new_role_ends_the_sessions_and_applies_at_once(db: str) -> None:
    made = users.create_user("s@example.dk", PASSWORD, "staff", cluster="clean", principal=LOCAL)
    old = users.authenticate("s@example.dk", PASSWORD)
    users.set_role(made.id, "staff", cluster="made", principal=LOCAL)
    assert users.session_person("user", made.id, old.generation) is None
    new = users.authenticate("s@example.dk", PASSWORD)
    assert new.principal.cluster == "made"


def test_a_revoked_token_ends_its_session(db: str) -> None:
    token = create_token("analyst", principal=LOCAL)
    assert users.session_person("token", token.id) is not None
    revoke_token(token.id, principal=LOCAL)
    assert users.session_person("token", token.id) is None


@pytest.mark.parametrize(
    ("role", "cluster", "organisation", "code"),
    [
        ("staff", None, None, "cluster-required"),
        ("staff", "clean", "31000009", "cluster-required"),
        ("member", None, None, "organisation-required"),
        ("member", None, "99999999", "no-such-organisation"),
        ("analyst", "clean", None, "cluster-not-allowed"),
        ("admin", None, "31000009", "cluster-not-allowed"),
        ("boss", None, None, "unknown-role"),
    ],
)
def test_the_role_rules(
    db: str, role: str, cluster: str | None, organisation: str | None, code: str
) -> None:
    with pytest.raises((InvalidInput, NotFound)) as caught:
        users.create_user(
            "x@example.dk",
            PASSWORD,
            role,
            cluster=cluster,
            organisation=organisation,
            principal=LOCAL,
        )
    assert caught.value.error_code == code
    assert users.list_users(principal=LOCAL).users == []


def test_only_an_admin_manages_users_and_emails_are_unique(db: str) -> None:
    users.create_user("a@example.dk", PASSWORD, "admin", principal=LOCAL)
    with pytest.raises(Conflict):
        users.create_user("A@example.dk", PASSWORD + "x", "analyst", principal=LOCAL)
    with pytest.raises(InvalidInput):
        users.create_user("b@example.dk", "short", "analyst", principal=LOCAL)
    staff = Principal(role="staff", cluster="clean", user_id=1)
    for call in (
        lambda: users.list_users(principal=staff),
        lambda: users.create_user("c@example.dk", PASSWORD, "admin", principal=staff),
        lambda: users.disable_user("a@example.dk", principal=staff),
    ):
        with pytest.raises(Forbidden):
            call()
    admin = users.authenticate("a@example.dk", PASSWORD).principal
    with pytest.raises(Forbidden):  # an admin cannot lock themselves out
        users.disable_user("a@example.dk", principal=admin)


def test_a_member_speaks_for_its_organisation(db: str) -> None:
    made = users.create_user(
        "m@alfa.dk", PASSWORD, "member", organisation="DK31000009", principal=LOCAL
    )
    assert made.organisation == "31000009" and made.organisation_name == "Alfa ApS"
    p = users.authenticate("m@alfa.dk", PASSWORD).principal
    assert p.role == "member" and p.organisation == "31000009"
    assert rows.my_organisation(principal=p) == _ids("organisations")["31000009"]


# -- editing rows ---------------------------------------------------------------------------------
CLEAN = Principal(role="staff", cluster="clean", token_id=1)
MADE = Principal(role="staff", cluster="made", token_id=2)


def test_staff_edit_their_own_activity_with_the_imports_checks(db: str) -> None:
    w1 = _ids("activities")["W1"]
    saved = rows.update_row(
        "activities", w1, {"title": "Vand, varme og køl", "funding_dkk": "150000"}, principal=CLEAN
    )
    assert saved.changed == ["title", "funding_dkk"] and saved.id == w1
    assert saved.row.title == "Vand, varme og køl"  # type: ignore[union-attr]
    # The same validators as an import: every bad field is named.
    with pytest.raises(InvalidInput) as caught:
        rows.update_row(
            "activities",
            w1,
            {"funding_dkk": "lots", "end_date": "2022-01-01", "type": "party"},
            principal=CLEAN,
        )
    columns = {loc.column for _, loc in caught.value.details if loc}
    assert {"funding_dkk", "type"} <= columns
    # Columns that identify the row are not changed, whatever is sent.
    same = rows.update_row("activities", w1, {"cluster": "made", "ref": "X"}, principal=CLEAN)
    assert same.changed == [] and same.row.cluster == "clean"  # type: ignore[union-attr]


def test_another_clusters_row_is_not_found_and_analysts_edit_nothing(db: str) -> None:
    p1 = _ids("activities")["P1"]
    with pytest.raises(NotFound):
        rows.update_row("activities", p1, {"title": "Taken over"}, principal=CLEAN)
    with pytest.raises(NotFound):
        rows.row_form("activities", p1, principal=CLEAN)
    with pytest.raises(Forbidden):
        rows.update_row("activities", p1, {"title": "x"}, principal=Principal(role="analyst"))
    assert rows.row_form("activities", p1, principal=MADE).row.title == "Robotter"  # type: ignore[union-attr]


def test_a_changed_key_replaces_the_row_and_a_refused_one_keeps_it(db: str) -> None:
    from klynge.services.registry import get_row

    part = _ids("participations")
    (pid,) = part.values()
    saved = rows.update_row("participations", pid, {"role": "speaker"}, principal=CLEAN)
    assert saved.row.role == "speaker"  # type: ignore[union-attr]
    assert len(_ids("participations")) == 1
    with pytest.raises(InvalidInput):
        rows.update_row("participations", saved.id, {"role": "boss"}, principal=CLEAN)
    assert get_row("participations", saved.id, principal=LOCAL).role == "speaker"  # type: ignore[union-attr]
    # A membership that would overlap another spell of the same organisation is refused.
    import_upload(
        "memberships",
        b"organisation,cluster,from_date,to_date\n31000009,clean,2020-01-01,2021-12-31\n",
        "m.csv",
        principal=LOCAL,
    )
    spells = {
        r.from_date.isoformat(): r.id  # type: ignore[union-attr]
        for r in __import__("klynge.services.registry", fromlist=["x"])
        .list_rows("memberships", principal=CLEAN)
        .items
        if r.organisation == "31000009"  # type: ignore[union-attr]
    }
    with pytest.raises(InvalidInput) as caught:
        rows.update_row(
            "memberships", spells["2020-01-01"], {"to_date": "2023-06-30"}, principal=CLEAN
        )
    assert any(loc and loc.column == "from_date" for _, loc in caught.value.details)


def test_staff_edit_their_members_and_their_contacts_only(db: str) -> None:
    orgs = _ids("organisations")
    saved = rows.update_row("organisations", orgs["31000009"], {"employees": "14"}, principal=CLEAN)
    assert saved.row.employees == 14  # type: ignore[union-attr]
    with pytest.raises(NotFound):  # Gamma is MADE's member only: CLEAN cannot even see it
        rows.update_row("organisations", orgs["31000149"], {"name": "x"}, principal=CLEAN)
    contacts = _ids("contacts")
    rows.update_row(
        "contacts", contacts["anna@alfa.dk"], {"phone": "+45 12 34 56 78"}, principal=CLEAN
    )
    with pytest.raises(NotFound):
        rows.update_row("contacts", contacts["gert@gamma.dk"], {"phone": "1234"}, principal=CLEAN)
    entries = audit_log(principal=LOCAL).entries
    assert any(
        e.action == "change" and e.subject == "anna@alfa.dk" and "phone" in (e.detail or "")
        for e in entries
    )


def test_a_member_edits_its_own_profile_only(db: str) -> None:
    users.create_user("m@alfa.dk", PASSWORD, "member", organisation="31000009", principal=LOCAL)
    member = users.authenticate("m@alfa.dk", PASSWORD).principal
    orgs = _ids("organisations")
    saved = rows.update_row(
        "organisations",
        orgs["31000009"],
        {"name": "Alfa Robotics ApS", "kind": "university", "employees": "20"},
        principal=member,
    )
    assert saved.changed == ["name", "employees"]  # kind is not the member's to change
    assert saved.row.kind == "company"  # type: ignore[union-attr]
    for other in ("31000076", "31000149"):
        with pytest.raises(NotFound):
            rows.update_row("organisations", orgs[other], {"name": "Mine now"}, principal=member)
    with pytest.raises(Forbidden):
        rows.update_row("activities", _ids("activities")["W1"], {"title": "x"}, principal=member)


def test_public_figures_say_when_there_are_none(db: str) -> None:
    figures = rows.public_figures("clean")
    assert figures.state == "figures" and not figures.synthetic
    assert figures.members_now == 2 and figures.activities == 1
    assert figures.year == 2023 and figures.companies == 1
    none = rows.public_figures("danish-sound-cluster")
    assert none.state == "no-rows" and none.members_now is None


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amount=st.one_of(
        st.integers(min_value=-5, max_value=10**16).map(str),
        st.text(alphabet="0123456789 .,-+xe", max_size=12),
    )
)
def test_an_edit_is_saved_whole_or_not_at_all(db: str, amount: str) -> None:
    """Whatever is typed as an amount: either the row then holds exactly what the import's
    validator made of it, or the edit is refused naming the field and the row is as it was."""
    from klynge.registry.tables import MAX_AMOUNT
    from klynge.services.registry import get_row

    w1 = _ids("activities")["W1"]
    before = get_row("activities", w1, principal=LOCAL)
    try:
        saved = rows.update_row(
            "activities", w1, {"private_cofinancing_dkk": amount, "title": "T"}, principal=CLEAN
        )
    except InvalidInput as exc:
        assert any(loc and loc.column == "private_cofinancing_dkk" for _, loc in exc.details)
        assert get_row("activities", w1, principal=LOCAL) == before
        return
    after = get_row("activities", w1, principal=LOCAL)
    value = after.private_cofinancing_dkk  # type: ignore[union-attr]
    assert saved.row == after and 0 <= value <= MAX_AMOUNT
    assert value == (int(amount.replace(" ", "")) if amount.strip() else 0)
