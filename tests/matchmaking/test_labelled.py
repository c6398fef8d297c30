"""The one reader of the writers' labelled folders (benchmark, fitting scripts, recall floors)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from klynge.matchmaking.labelled import read_labelled

REPO = Path(__file__).resolve().parents[2]
HEADER = (
    "id,organisation,organisation_kind,language,offers,seeks,areas,partner_kinds,countries,"
    "offer_capability,seek_capability,split\n"
)


def _folder(tmp_path: Path, pairs: str) -> Path:
    (tmp_path / "profiles.csv").write_text(
        HEADER
        + 'A1,ORG-1,company,da,"Vi flyver droner","Vi søger vindmølleparker",'
        + "robot-drone-technology;energy-technology,supplier,DK;SE,drones,wind,dev\n"
        + "B1,ORG-2,university,en,Wind farm operations,Drone pilots,energy-technology,,,"
        + "wind,drones,dev\n",
        encoding="utf-8",
    )
    (tmp_path / "pairs.csv").write_text("seeker,partner\n" + pairs, encoding="utf-8")
    return tmp_path


def test_reads_profiles_and_partners_as_written(tmp_path: Path) -> None:
    data = read_labelled(_folder(tmp_path, "A1,B1\nB1,A1\n"))
    a, b = data.profiles
    assert (a.id, a.organisation, a.organisation_kind) == ("A1", "ORG-1", "company")
    assert a.areas == {"robot-drone-technology", "energy-technology"}
    assert a.countries == {"DK", "SE"} and a.partner_kinds == {"supplier"}
    # Empty list cells are empty sets, not a set holding "".
    assert b.partner_kinds == frozenset() and b.countries == frozenset()
    assert data.partners == {"A1": {"B1"}, "B1": {"A1"}}
    # The label columns stay in the rows, out of the profile.
    assert data.rows[0]["seek_capability"] == "wind"
    assert not hasattr(a, "seek_capability")


def test_a_pair_naming_an_unknown_profile_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"pairs\.csv, row 3, partner: no profile 'C9'"):
        read_labelled(_folder(tmp_path, "A1,B1\nB1,C9\n"))


def test_a_real_development_set_reads_whole() -> None:
    folder = REPO / "evaluation" / "matchmaking_dev4"
    data = read_labelled(folder)
    with (folder / "pairs.csv").open(encoding="utf-8", newline="") as fh:
        pairs = list(csv.DictReader(fh))
    assert len(data.profiles) == len(data.rows) >= 300
    assert sum(len(v) for v in data.partners.values()) == len(pairs)
    assert [p.id for p in data.profiles] == [r["id"] for r in data.rows]
