"""Broken landscape files give errors that name the file, the record, the field and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klynge.landscape import DATA_DIR, LandscapeDataError, load_landscape


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return root


def _problems(root: Path) -> list[str]:
    with pytest.raises(LandscapeDataError) as info:
        load_landscape(root)
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copy_of_bundled_data_is_valid(data: Path) -> None:
    assert len(load_landscape(data).clusters) == 14


def test_unknown_area_in_cluster(data: Path) -> None:
    _edit(
        data / "clusters" / "censec.toml",
        'area = "defence-space-security"',
        'area = "space-lasers"',
    )
    problems = _problems(data)
    assert problems == [
        "clusters/censec.toml, record censec, field area: unknown area 'space-lasers'"
    ]


def test_missing_required_field(data: Path) -> None:
    _edit(data / "areas" / "construction.toml", 'kind = "stronghold"\n', "")
    (p,) = _problems(data)
    assert (
        p == "areas/construction.toml, record construction, field kind: required field is missing"
    )


def test_bad_value_and_unknown_field_reported_together(data: Path) -> None:
    _edit(data / "areas" / "tourism.toml", 'nace = ["55"', 'nace = ["5X"')
    _edit(data / "clusters" / "made.toml", 'website = "https://www.made.dk"', 'webside = "x"')
    problems = _problems(data)
    assert len(problems) == 2
    assert any(
        p.startswith("areas/tourism.toml, record tourism, field nace[0]:") and "5X" in p
        for p in problems
    )
    assert (
        "clusters/made.toml, record made, field webside: unknown field (check the spelling)"
        in problems
    )


def test_invalid_toml_names_the_file(data: Path) -> None:
    (data / "clusters" / "clean.toml").write_text("slug = \n", encoding="utf-8")
    (p,) = _problems(data)
    assert p.startswith("clusters/clean.toml: not valid TOML")


def test_two_active_clusters_in_one_area(data: Path) -> None:
    text = (data / "clusters" / "digitallead.toml").read_text(encoding="utf-8")
    twin = text.replace('slug = "digitallead"', 'slug = "digital-twin"').replace(
        'name = "DigitalLead"', 'name = "Digital Twin"'
    )
    (data / "clusters" / "digital-twin.toml").write_text(twin, encoding="utf-8")
    problems = _problems(data)
    assert any(
        "area 'digital-technologies' would have two active clusters" in p for p in problems
    ), problems


def test_cluster_in_tourism_is_refused(data: Path) -> None:
    _edit(data / "clusters" / "censec.toml", 'area = "defence-space-security"', 'area = "tourism"')
    assert _problems(data) == [
        "clusters/censec.toml, record censec, field area: area 'tourism' has no cluster effort"
    ]


def test_dates_the_wrong_way_round(data: Path) -> None:
    _edit(data / "clusters" / "marlog.toml", 'end = "2022-04"', 'end = "2020-04"')
    (p,) = _problems(data)
    assert p.startswith("clusters/marlog.toml, record marlog, field terms[0]:")
    assert "before start" in p


def test_unknown_municipality_and_programme(data: Path) -> None:
    _edit(
        data / "clusters" / "clean.toml",
        'municipality = "Sønderborg" }',
        'municipality = "Atlantis" }',
    )
    _edit(
        data / "programmes" / "innovationskraft-2021-2024.toml",
        '"censec",\n]',
        '"censec", "skynet",\n]',
    )
    problems = _problems(data)
    assert any(
        "field headquarters.municipality: unknown municipality 'Atlantis'" in p for p in problems
    )
    assert any("field clusters[14]: unknown cluster 'skynet'" in p for p in problems)


def test_slug_must_match_file_name(data: Path) -> None:
    shutil.move(data / "clusters" / "censec.toml", data / "clusters" / "censek.toml")
    assert _problems(data) == [
        "clusters/censek.toml, record censec, field slug: must match the file name 'censek'"
    ]


def test_missing_language_in_a_text(data: Path) -> None:
    _edit(
        data / "regions.toml",
        'name = { da = "Region Sjælland", en = "Region Zealand" }',
        'name = { da = "Region Sjælland" }',
    )
    assert _problems(data) == [
        "regions.toml, record DK02, field name.en: required field is missing"
    ]
