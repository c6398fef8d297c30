"""Names resolve from slugs, names and aliases, in either language, despite typos and accents."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.landscape import AmbiguousName, NameNotFound, get_landscape
from klynge.landscape.resolve import normalise

LS = get_landscape()


@pytest.mark.parametrize(
    ("query", "kind", "slug"),
    [
        ("odense-robotics", "cluster", "odense-robotics"),
        ("Odense Robotic", "cluster", "odense-robotics"),
        ("life science klyngen", "cluster", "danish-life-science-cluster"),
        ("Life Science Cluster Denmark", "cluster", "danish-life-science-cluster"),
        ("Danish Life Science Cluster", "cluster", "danish-life-science-cluster"),
        ("The Cluster for Construction", "cluster", "we-build-denmark"),
        ("WE BUILD DENMARK", "cluster", "we-build-denmark"),
        ("The Cluster for Advanced Production", "cluster", "made"),
        ("made", "cluster", "made"),
        ("CENSEC", "cluster", "censec"),
        ("Maritime & Logistics Innovation Denmark", "cluster", "marlog"),
        ("Miljøteknologi", "area", "environmental-technology"),
        ("miljoteknologi", "area", "environmental-technology"),
        ("MILJOETEKNOLOGI", "area", "environmental-technology"),
        ("Design, mode og møbler", "area", "design-fashion-furniture"),
        ("Robot- og droneteknologi", "area", "robot-drone-technology"),
        ("Forsvar, rum og sikkerhed", "area", "defence-space-security"),
        ("lydteknologi området", "area", "sound-technology"),
        ("Innovationskraft", "programme", "innovationskraft-2021-2024"),
        ("Erhvervsfremme i Danmark", "programme", "erhvervsfremme-2020-2023"),
    ],
)
def test_resolves(query: str, kind: str, slug: str) -> None:
    m = LS.resolve(query)
    assert (m.kind, m.slug) == (kind, slug)


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(AmbiguousName) as info:
        LS.resolve("sound")
    assert {m.slug for m in info.value.candidates} == {"danish-sound-cluster", "sound-technology"}
    assert "did you mean" in str(info.value)


def test_unknown_name() -> None:
    with pytest.raises(NameNotFound):
        LS.resolve("hairdressers of Hellerup")
    with pytest.raises(NameNotFound):
        LS.resolve("   ")


def test_normalise_folds_danish_letters_and_accents() -> None:
    assert normalise("Fødevarer & Bio-ressourcer") == "foedevarer and bio ressourcer"
    assert normalise("Ærø Åbenrå café") == "aeroe aabenraa cafe"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(LS.clusters)), st.sampled_from(["upper", "lower", "title"]))
def test_every_cluster_name_resolves_to_itself_in_any_case(slug: str, case: str) -> None:
    name = getattr(LS.clusters[slug].name, case)()
    assert LS.resolve(name).slug == slug


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(LS.clusters)), st.data())
def test_one_dropped_letter_still_resolves(slug: str, data: st.DataObject) -> None:
    name = LS.clusters[slug].name
    if len(name) < 8:  # short names (MADE, CLEAN) cannot lose a letter and stay unique
        return
    i = data.draw(st.integers(min_value=1, max_value=len(name) - 1))
    typo = name[:i] + name[i + 1 :]
    assert LS.resolve(typo).slug == slug
