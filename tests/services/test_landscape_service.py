"""The landscape's use cases: typed results, filters, caveats, pagination and one error family."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from klynge.errors import Ambiguous, InvalidInput, KlyngeError, Location, NotFound, Unavailable
from klynge.landscape import DATA_DIR, LandscapeDataError, load_landscape
from klynge.landscape.model import Area, Cluster
from klynge.services import landscape as svc
from klynge.services.landscape_models import AreaDetail, ClusterDetail, ProgrammeDetail

D2021 = date(2021, 1, 1)
D2026 = date(2026, 1, 1)


def _codes(caveats: list) -> list[str]:
    return [c.code for c in caveats]


# -- areas --------------------------------------------------------------------------------------
def test_areas_on_a_known_day() -> None:
    result = svc.list_areas(date(2021, 6, 1), "da")
    assert result.total == 15 and len(result.items) == 15 and result.on == date(2021, 6, 1)
    assert result.caveats == []
    first = result.items[0]
    assert (first.slug, first.name, first.cluster, first.cluster_name) == (
        "environmental-technology",
        "Miljøteknologi",
        "clean",
        "CLEAN",
    )
    tourism = next(a for a in result.items if a.slug == "tourism")
    assert tourism.cluster is None and tourism.cluster_state == "no-cluster-effort"


@pytest.mark.parametrize("kind", ["emerging", "Spirende", "budding"])
def test_area_kind_filter_accepts_danish(kind: str) -> None:
    result = svc.list_areas(D2021, "en", kind)
    assert result.kind == "emerging" and result.total == 4


def test_unknown_kind_is_invalid_input_in_both_languages() -> None:
    with pytest.raises(InvalidInput) as info:
        svc.list_areas(D2021, "en", "sleepy")
    assert info.value.error_code == "unknown-kind"
    assert "sleepy" in info.value.message.da and "sleepy" in info.value.message.en


def test_unknown_list_is_a_caveat() -> None:
    result = svc.list_areas(D2026, "en")
    (caveat,) = result.caveats
    assert caveat.code == "list-unknown"
    assert "funds 11 organisations, but the sources name only 1 of them" in caveat.message
    assert "31 December 2024" in caveat.message
    digital = next(a for a in result.items if a.slug == "digital-technologies")
    assert digital.cluster_state == "unknown"
    da = svc.list_areas(D2026, "da").caveats[0].message
    assert "støtter 11 organisationer" in da and "31. december 2024" in da


def test_show_area_names_the_last_and_the_ended_organisation() -> None:
    unknown = svc.show_area("digital-technologies", D2026, "en")
    assert unknown.cluster_state == "unknown" and unknown.last_known is not None
    assert unknown.last_known.slug == "digitallead"
    ended = svc.show_area("maritime-logistics", date(2023, 1, 1), "en")
    assert ended.cluster_state == "none" and ended.ended is not None
    assert ended.ended.slug == "marlog" and isinstance(ended.record, Area)


# -- clusters -----------------------------------------------------------------------------------
def test_clusters_on_dates_with_headquarters_caveat() -> None:
    result = svc.list_clusters(D2021, "en")
    assert result.total == 14 and len(result.items) == 14
    assert _codes(result.caveats) == ["headquarters-unknown"]
    assert all(name in result.caveats[0].message for name in ("MADE", "Vision Denmark", "CenSec"))
    after = svc.list_clusters(date(2023, 1, 1), "en")
    assert after.total == 13 and "marlog" not in {c.slug for c in after.items}


def test_clusters_in_2026_carry_both_caveats() -> None:
    result = svc.list_clusters(D2026, "en")
    assert _codes(result.caveats) == ["list-unknown", "headquarters-unknown"]
    assert [c.slug for c in result.items] == ["made"] and result.items[0].headquarters is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("DK04", "DK04"),
        ("dk04", "DK04"),
        ("Midtjylland", "DK04"),
        ("MIDTJYLLAND", "DK04"),
        ("Region Midtjylland", "DK04"),
        ("Central Denmark", "DK04"),
        ("central denmark region", "DK04"),
        ("Midtjyland", "DK04"),
        ("Hovedstaden", "DK01"),
        ("Capital Region of Denmark", "DK01"),
        ("Sjælland", "DK02"),
        ("sjaelland", "DK02"),
        ("Region Zealand", "DK02"),
        ("Syddanmark", "DK03"),
        ("Southern Denmark", "DK03"),
        ("Nordjylland", "DK05"),
        ("North Denmark", "DK05"),
    ],
)
def test_region_by_code_or_name(text: str, code: str) -> None:
    assert svc.resolve_region(text).code == code


def test_region_filter_by_name_equals_by_code() -> None:
    by_name = svc.list_clusters(date(2021, 6, 1), "da", region="Midtjylland")
    by_code = svc.list_clusters(date(2021, 6, 1), "da", region="DK04")
    assert by_name == by_code
    assert by_name.region is not None and by_name.region.name == "Region Midtjylland"
    assert {c.slug for c in by_name.items} == {
        "food-bio-cluster-denmark",
        "lifestyle-design-cluster",
        "digitallead",
        "danish-sound-cluster",
    }
    assert all(c.headquarters and c.headquarters.nuts2 == "DK04" for c in by_name.items)


@pytest.mark.parametrize("text", ["DK09", "Jylland", "Atlantis", "x"])
def test_unknown_region_is_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        svc.list_clusters(D2021, "en", region=text)
    assert info.value.error_code == "unknown-region"
    assert "DK04 (Central Denmark Region)" in info.value.message.en
    assert "DK04 (Region Midtjylland)" in info.value.message.da


def test_pagination() -> None:
    page = svc.list_clusters(D2021, "en", offset=10, limit=5)
    assert (page.total, page.offset, page.limit, len(page.items)) == (14, 10, 5, 4)
    whole = svc.list_clusters(D2021, "en")
    assert [c.slug for c in page.items] == [c.slug for c in whole.items[10:]]
    with pytest.raises(InvalidInput):
        svc.list_clusters(D2021, "en", offset=-1)
    with pytest.raises(InvalidInput):
        svc.list_areas(D2021, "en", limit=0)


def test_show_cluster() -> None:
    d = svc.show_cluster("Odense Robotic", date(2021, 6, 1), "en")
    assert d.slug == "odense-robotics" and d.active and isinstance(d.record, Cluster)
    assert d.headquarters is not None and d.headquarters.region_name is not None
    made = svc.show_cluster("made", D2021, "en")
    assert _codes(made.caveats) == ["headquarters-unknown"]
    assert not svc.show_cluster("marlog", date(2023, 1, 1), "en").active


# -- names: one resolver -----------------------------------------------------------------------
def test_lookup_returns_the_kind_it_found() -> None:
    assert isinstance(svc.lookup("energiteknologi området", D2021, "da"), AreaDetail)
    assert isinstance(svc.lookup("life science klyngen", D2021, "da"), ClusterDetail)
    prog = svc.lookup("innovationskraft", D2021, "en")
    assert isinstance(prog, ProgrammeDetail) and prog.in_force
    assert prog.record.budget_dkk_million == 640


def test_ambiguous_name_lists_candidates_as_details() -> None:
    with pytest.raises(Ambiguous) as info:
        svc.lookup("sound", D2021, "en")
    listed = " ".join(t.en for t, _ in info.value.details)
    assert "danish-sound-cluster" in listed and "sound-technology" in listed
    assert info.value.status == 409


def test_unknown_name_is_not_found_with_suggestions() -> None:
    with pytest.raises(NotFound) as info:
        svc.lookup("robotic odense cluster center", D2021, "en")
    assert info.value.details and "odense-robotics" in info.value.details[0][0].en
    assert "Did you mean: odense-robotics" in info.value.message.en
    assert "Mente du: odense-robotics" in info.value.message.da


def test_cluster_resolver_settles_a_tie_with_the_area() -> None:
    assert svc.resolve_cluster("sound").slug == "danish-sound-cluster"
    with pytest.raises(Ambiguous):
        svc.resolve_cluster("digital")  # two cluster organisations fit


def test_a_name_of_another_kind_is_not_found() -> None:
    with pytest.raises(NotFound) as info:
        svc.resolve_cluster("Miljøteknologi")
    assert info.value.error_code == "not-a-cluster"
    assert "environmental-technology" in info.value.message.en
    assert "er ikke en klyngeorganisation" in info.value.message.da
    with pytest.raises(NotFound, match="is not an area"):
        svc.show_area("marlog")


# -- programmes, regions, geography, focal points, export ------------------------------------
def test_programmes() -> None:
    result = svc.list_programmes(D2026, "en")
    assert [p.slug for p in result.items] == [
        "erhvervsfremme-2020-2023",
        "innovationskraft-2021-2024",
        "klyngeprogram-2025-2028",
    ]
    assert [p.in_force for p in result.items] == [False, False, True]
    assert result.items[2].clusters is None
    assert _codes(result.caveats) == ["list-unknown", "programme-list-unknown"]


def test_regions_with_their_clusters() -> None:
    result = svc.list_regions(D2021, "da")
    assert [r.code for r in result.items] == ["DK01", "DK02", "DK03", "DK04", "DK05"]
    dk04 = result.items[3]
    assert dk04.name == "Region Midtjylland" and len(dk04.clusters) == 4
    placed = sum(len(r.clusters) for r in result.items)
    assert placed == 14 - 3 and _codes(result.caveats) == ["headquarters-unknown"]


def test_geography_checks_the_claim() -> None:
    geo = svc.geography(D2021, "en")
    assert geo.on == D2021 and not geo.on_default
    assert geo.by_part["jutland"] == 6 and geo.by_part["funen"] == 1
    assert sorted(geo.unknown) == ["censec", "made", "vision-denmark"]
    (claim,) = geo.claims
    assert claim.verdict == "possible" and claim.missing == {"jutland": 1, "copenhagen-area": 2}
    assert svc.geography(None, "da").part_names["jutland"] == "Jylland"


def test_focal_points_listed_and_checked() -> None:
    listed = svc.list_focal_points("da")
    assert listed.total == 4 and listed.items[0].slug == "one-national-organisation"
    before = svc.check_focal_points("marlog", date(2021, 6, 1), "en")
    after = svc.check_focal_points("MARLOG", date(2023, 1, 1), "da")
    assert before.checks[0].outcome == "met" and after.checks[0].outcome == "not-met"
    assert {c.outcome for c in after.checks[1:]} == {"not-decidable"}
    with pytest.raises(NotFound, match="not a cluster organisation"):
        svc.check_focal_points("Miljøteknologi", D2021, "en")


def test_export_document_round_trips() -> None:
    doc = svc.export_landscape()
    again = type(doc).model_validate(doc.model_dump(mode="json"))
    assert again == doc
    assert len(doc.clusters) == 14 and len(doc.areas) == 15 and len(doc.programmes) == 3
    assert {m.part for m in doc.municipalities} >= {"jutland", "funen", "copenhagen-area"}


# -- broken data --------------------------------------------------------------------------------
def _broken(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    f = root / "clusters" / "censec.toml"
    f.write_text(
        f.read_text(encoding="utf-8").replace(
            'area = "defence-space-security"', 'area = "space-lasers"'
        ),
        encoding="utf-8",
    )
    return root


def test_broken_data_is_an_unavailable_error_with_located_details(tmp_path: Path) -> None:
    with pytest.raises(LandscapeDataError) as info:
        load_landscape(_broken(tmp_path))
    exc = info.value
    assert isinstance(exc, Unavailable) and isinstance(exc, KlyngeError)
    assert exc.status == 503 and exc.error_code == "landscape-data"
    ((text, loc),) = exc.details
    assert loc == Location(file="clusters/censec.toml", field="area")
    assert "censec" in text.en and "space-lasers" in text.da
    body = exc.as_json("da")
    assert body["errors"][0]["location"] == {"file": "clusters/censec.toml", "field": "area"}
    # The plain text keeps its one-problem-a-line form for people editing the files.
    assert "clusters/censec.toml, record censec, field area" in str(exc)


def test_services_pass_broken_data_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _broken(tmp_path)
    monkeypatch.setattr(svc, "get_landscape", lambda: load_landscape(root))
    with pytest.raises(LandscapeDataError):
        svc.list_clusters(D2021, "en")
