"""The bundled landscape says what the sources say."""

from __future__ import annotations

from datetime import date

import pytest

from klynge.landscape import get_landscape

CLUSTERS = [
    "clean",
    "energy-cluster-denmark",
    "food-bio-cluster-denmark",
    "marlog",
    "danish-life-science-cluster",
    "we-build-denmark",
    "lifestyle-design-cluster",
    "made",
    "digitallead",
    "copenhagen-fintech",
    "odense-robotics",
    "vision-denmark",
    "danish-sound-cluster",
    "censec",
]
AREAS = [
    "environmental-technology",
    "energy-technology",
    "food-bio-resources",
    "maritime-logistics",
    "life-science-welfare-technology",
    "construction",
    "design-fashion-furniture",
    "advanced-production",
    "digital-technologies",
    "finance-fintech",
    "tourism",
    "robot-drone-technology",
    "animation-games-film",
    "defence-space-security",
    "sound-technology",
]


@pytest.fixture(scope="module")
def ls():
    return get_landscape()


def test_stable_identifiers(ls) -> None:
    assert set(ls.clusters) == set(CLUSTERS)
    assert set(ls.areas) == set(AREAS)
    assert list(ls.areas) == AREAS  # listed in the strategy's order


def test_area_kinds(ls) -> None:
    cluster_areas = [a for a in ls.areas.values() if a.cluster_effort]
    strongholds = [a for a in cluster_areas if a.kind == "stronghold"]
    emerging_board = [
        a for a in cluster_areas if a.kind == "emerging" and a.designated_by == "board"
    ]
    emerging_minister = [a for a in ls.areas.values() if a.designated_by == "minister"]
    assert len(strongholds) == 10
    assert {a.slug for a in emerging_board} == {"robot-drone-technology", "animation-games-film"}
    assert {a.slug for a in emerging_minister} == {"defence-space-security", "sound-technology"}
    tourism = ls.areas["tourism"]
    assert tourism.kind == "stronghold" and not tourism.cluster_effort


def test_one_cluster_per_area_on_programme_start(ls) -> None:
    day = date(2021, 1, 1)
    active = ls.clusters_on(day)
    assert len(active) == 14
    for area in ls.areas.values():
        holders = [c for c in active if c.area == area.slug]
        assert len(holders) == (0 if area.slug == "tourism" else 1), area.slug


def test_marlog_bankruptcy_leaves_13(ls) -> None:
    assert len(ls.clusters_on(date(2023, 1, 1))) == 13
    assert "marlog" not in {c.slug for c in ls.clusters_on(date(2023, 1, 1))}
    assert ls.cluster_for_area("maritime-logistics", date(2021, 6, 1)).slug == "marlog"
    status = ls.area_status("maritime-logistics", date(2023, 1, 1))
    assert status.state == "none" and status.ended is not None and status.ended.slug == "marlog"
    assert any(e.kind == "bankrupt" and e.on.year == 2022 for e in ls.clusters["marlog"].events)


def test_programme_funders_and_budget(ls) -> None:
    p = ls.programmes["innovationskraft-2021-2024"]
    assert p.budget_dkk_million == 640
    assert p.appointed_on == date(2020, 10, 1)
    assert (p.start, p.end) == (date(2021, 1, 1), date(2024, 12, 31))
    funders = {f.name.en: f.annual_dkk_million for f in p.funders}
    assert funders == {
        "Ministry of Higher Education and Science": 80,
        "Danish Board of Business Development": 80,
    }
    # about 80 million a year from each of two funders over four years is about the total
    assert sum(funders.values()) * 4 == pytest.approx(p.budget_dkk_million)
    assert sorted(p.clusters or []) == sorted(CLUSTERS)


def test_programme_2025_records_only_what_is_known(ls) -> None:
    p = ls.programmes["klyngeprogram-2025-2028"]
    assert p.budget_dkk_million == 662 and p.organisations_funded == 11
    assert p.clusters is None  # the list is not known
    assert ls.list_unknown_on(date(2026, 1, 1))
    assert ls.area_status("advanced-production", date(2026, 1, 1)).state == "active"
    energy = ls.area_status("energy-technology", date(2026, 1, 1))
    assert energy.state == "unknown" and energy.last_known.slug == "energy-cluster-denmark"
    maritime = ls.area_status("maritime-logistics", date(2026, 1, 1))
    assert maritime.state == "unknown" and maritime.last_known is None
    assert ls.coverage_note(date(2026, 1, 1)) is not None
    assert ls.coverage_note(date(2023, 1, 1)) is None


def test_regions_and_focal_points(ls) -> None:
    assert list(ls.regions) == ["DK01", "DK02", "DK03", "DK04", "DK05"]
    assert ls.regions["DK02"].name.da == "Region Sjælland"
    assert len(ls.focal_points) == 4
    assert all(fp.criterion.da and fp.criterion.en for fp in ls.focal_points)


def test_unknown_headquarters_stay_unknown(ls) -> None:
    for slug in ("made", "vision-denmark", "censec"):
        assert ls.clusters[slug].headquarters is None
        assert ls.cluster_nuts2(slug) is None
    assert ls.cluster_nuts2("danish-sound-cluster") == "DK04"
    assert ls.cluster_nuts2("we-build-denmark") == "DK01"


def test_every_record_has_sources_and_both_languages(ls) -> None:
    for a in ls.areas.values():
        assert a.sources and a.name.da and a.name.en and a.scope.da != a.scope.en
        assert a.search_terms_da and a.search_terms_en
    for c in ls.clusters.values():
        assert c.sources and c.scope.da and c.scope.en


def test_nace_codes_exist_in_the_classification(ls, shared_data) -> None:
    import csv

    codes: set[str] = set()
    with (shared_data / "nace_rev2" / "codes-2.0.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for col in ("Section", "Division", "Group", "Class"):
                if row.get(col):
                    codes.add(row[col].strip())
    for a in ls.areas.values():
        for code in a.nace:
            assert code in codes, (a.slug, code)
