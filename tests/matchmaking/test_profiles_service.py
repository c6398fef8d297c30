"""Profiles in the database: tenancy, import and export all or nothing, opt-out and expiry."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from match_helpers import ADMIN, ANALYST, CLEAN, MADE, member

from klynge.errors import Forbidden, InvalidInput, NotFound
from klynge.services import matchmaking as mm
from klynge.services.matchmaking import ProfileInput


def _keys(principal: object) -> set[str]:
    return {p.organisation for p in mm.list_profiles(principal=principal).items}  # type: ignore[arg-type]


def test_each_role_sees_its_own_profiles(world: Path) -> None:
    assert _keys(ADMIN) == {"29863997", "aau", "de-1", "se-1"}
    assert _keys(ANALYST) == {"29863997", "aau", "de-1", "se-1"}
    assert _keys(CLEAN) == {"29863997", "se-1"}
    assert _keys(MADE) == {"aau", "de-1"}
    assert _keys(member("29863997")) == {"29863997"}


def test_another_clusters_profile_is_not_found_as_if_absent(world: Path) -> None:
    with pytest.raises(NotFound) as theirs:
        mm.get_profile("aau", principal=CLEAN)
    with pytest.raises(NotFound) as nobody:
        mm.get_profile("no-such-org", principal=CLEAN)
    assert theirs.value.error_code == nobody.value.error_code
    with pytest.raises(NotFound):
        mm.get_profile("aau", principal=member("29863997"))
    assert mm.get_profile("DK29863997", principal=member("29863997")).organisation == "29863997"


def test_writes_follow_the_roles(world: Path) -> None:
    body = ProfileInput(offers="Vi laver vindmøllevinger.", seeks="Vi søger droner.")
    with pytest.raises(Forbidden):
        mm.save_profile("aau", body, principal=ANALYST)
    with pytest.raises(NotFound):
        mm.save_profile("aau", body, principal=CLEAN)
    with pytest.raises(NotFound):
        mm.save_profile("se-1", body, principal=member("29863997"))
    saved = mm.save_profile("se-1", body, principal=CLEAN)
    assert saved.offers == body.offers and saved.language == "da"  # detected from the text
    own = mm.save_profile("29863997", body, principal=member("29863997"))
    assert own.seeks == "Vi søger droner." and own.contact is None


def test_a_contact_must_belong_to_the_organisation(world: Path) -> None:
    body = ProfileInput(offers="Droner.", seeks="Data.", contact="lars@aau.dk")
    with pytest.raises(InvalidInput) as exc:
        mm.save_profile("29863997", body, principal=ADMIN)
    assert "lars@aau.dk" in exc.value.details[0][0].en
    assert mm.get_profile("29863997", principal=ADMIN).contact == "anna@nebel.dk"


def test_active_follows_hidden_and_expiry(world: Path) -> None:
    today = date(2026, 6, 1)
    body = ProfileInput(offers="Drones.", seeks="Data.", expires_on=today)
    assert mm.save_profile("de-1", body, principal=MADE, today=today).active
    after = mm.get_profile("de-1", principal=MADE, today=today + timedelta(days=1))
    assert not after.active
    assert not mm.get_profile("se-1", principal=CLEAN).active  # hidden


def test_import_is_all_or_nothing_with_every_problem_named(world: Path) -> None:
    path = world / "bad.csv"
    path.write_text(
        "organisation,offers,seeks,areas,partner_kinds,countries,expires_on,hidden\n"
        "29863997,Nyt tilbud,Ny efterspørgsel,,,,,\n"
        "aau,Offer,Seek,no-such-area,,,,\n"
        "de-1,Offer,Seek,,friend,UK,02/03/2027,maybe\n"
        "nobody,Offer,Seek,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as exc:
        mm.import_profiles(path, principal=ADMIN)
    found = {(loc.row, loc.column) for _, loc in exc.value.details if loc}
    assert found == {
        (3, "areas"),
        (4, "partner_kinds"),
        (4, "countries"),
        (4, "expires_on"),
        (4, "hidden"),
        (5, "organisation"),
    }
    # Row 2 was valid, but nothing was saved.
    assert mm.get_profile("29863997", principal=ADMIN).offers.startswith("Vi udvikler droner")


def test_a_row_with_a_bad_cell_still_gets_its_organisation_and_contact_checked(
    world: Path,
) -> None:
    """An unknown organisation, a contact of another organisation and a second row for one
    organisation were named only once the row's other cells were right: the organiser fixed
    the file, imported again, and met new problems. Every problem comes in one pass."""
    path = world / "bad.csv"
    path.write_text(
        "organisation,contact,offers,seeks,hidden\n"
        "29863997,lars@aau.dk,Tilbud,Efterspørgsel,maybe\n"
        "nobody,,Offer,,\n"
        "29863997,,Offer,Seek,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as exc:
        mm.import_profiles(path, principal=ADMIN)
    found = {(loc.row, loc.column) for _, loc in exc.value.details if loc}
    assert found == {
        (2, "hidden"),
        (2, "contact"),
        (3, "seeks"),
        (3, "organisation"),
        (4, "hidden"),
        (4, "organisation"),
    }, found


def test_staff_import_only_their_members_profiles(world: Path) -> None:
    path = world / "staff.csv"
    path.write_text(
        "organisation,offers,seeks\n29863997,Droner,Data\naau,Forskning,Data\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as exc:
        mm.import_profiles(path, principal=CLEAN)
    assert [(loc.row, loc.column) for _, loc in exc.value.details if loc] == [(3, "organisation")]
    with pytest.raises(Forbidden):
        mm.import_profiles(path, principal=member("29863997"))
    path.write_text("organisation,offers,seeks\n29863997,Droner,Data\n", encoding="utf-8")
    result = mm.import_profiles(path, principal=CLEAN, dry_run=True)
    assert (result.updated, result.imported) == (1, False)
    assert mm.get_profile("29863997", principal=CLEAN).offers != "Droner"


def test_export_then_import_is_unchanged_and_exact(world: Path) -> None:
    first = world / "one.csv"
    result = mm.export_profiles(first, principal=ADMIN)
    assert result.rows == 4 and "contact" in result.possible_personal_data
    again = mm.import_profiles(first, principal=ADMIN)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    second = world / "two.csv"
    mm.export_profiles(second, principal=ADMIN)
    assert first.read_bytes() == second.read_bytes()
    staff = list(csv.DictReader(io.StringIO(mm.export_profiles_text(principal=CLEAN)[0])))
    assert {r["organisation"] for r in staff} == {"29863997", "se-1"}


def test_formula_text_is_escaped_and_comes_back(world: Path) -> None:
    body = ProfileInput(offers='=HYPERLINK("x")', seeks="+45 droner")
    mm.save_profile("de-1", body, principal=ADMIN)
    path = world / "f.csv"
    mm.export_profiles(path, principal=ADMIN)
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8")
    mm.import_profiles(path, principal=ADMIN)
    assert mm.get_profile("de-1", principal=ADMIN).offers == '=HYPERLINK("x")'


def test_erasing_the_contact_leaves_the_profile_without_them(world: Path) -> None:
    from klynge.services.people import person_erase

    person_erase("anna@nebel.dk", principal=ADMIN)
    assert mm.get_profile("29863997", principal=ADMIN).contact is None


def test_right_of_access_includes_matchmaking_and_erasure_removes_it(world: Path) -> None:
    from klynge.services.people import person_erase, person_export

    event = {
        "cluster": "clean",
        "ref": "meet",
        "name": "CLEAN meet",
        "tables": 1,
        "slots": [{"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"}],
        "participants": [{"email": "anna@nebel.dk", "available": [0]}],
    }
    mm.create_event(mm.EventIn.model_validate(event), principal=CLEAN)
    held = person_export("anna@nebel.dk", principal=ADMIN).matchmaking
    assert {"kind": "profile-contact", "organisation": "29863997"} in held
    assert any(h["kind"] == "event-participant" and h["ref"] == "meet" for h in held)
    person_erase("anna@nebel.dk", principal=ADMIN)
    assert mm.list_events(principal=CLEAN)[0].participants == 0
