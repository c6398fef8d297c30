"""Industry codes at every level, and the shipped code table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.landscape import get_landscape
from klynge.routing.codes import canonical, code_prior, code_table, lookup
from klynge.routing.model import NONE
from klynge.routing.text import RoutingInputError


@pytest.mark.parametrize(
    ("raw", "code", "level"),
    [
        ("c", "C", "section"),
        ("62", "62", "division"),
        ("26.6", "26.6", "group"),
        ("266", "26.6", "group"),
        ("26.60", "26.60", "class"),
        ("2660", "26.60", "class"),
        ("266090", "266090", "db07"),
        ("26.60.10", "266010", "db07"),
        ("011100", "011100", "db07"),
        (" 35.11 ", "35.11", "class"),
        # A Danish spreadsheet writes the point as a comma (session 11: "not an industry code").
        ("26,51", "26.51", "class"),
        ("01,11", "01.11", "class"),
        ("26,6", "26.6", "group"),
    ],
)
def test_codes_at_every_level(raw: str, code: str, level: str) -> None:
    m = lookup(raw)
    assert (m.code, m.level) == (code, level)
    assert canonical(raw) == code


@pytest.mark.parametrize(
    ("code", "area"),
    [
        ("26.60", "life-science-welfare-technology"),
        ("266090", "life-science-welfare-technology"),
        ("266010", "sound-technology"),
        ("62.01", "digital-technologies"),
        ("64.19", "finance-fintech"),
        ("35.11", "energy-technology"),
        ("50.20", "maritime-logistics"),
        ("55.10", "tourism"),
        ("69.10", NONE),
        ("96.02", NONE),
        ("28.99", "advanced-production"),
        ("F", "construction"),
        ("K", "finance-fintech"),
    ],
)
def test_code_areas(code: str, area: str) -> None:
    m = lookup(code)
    assert max(m.areas, key=lambda a: m.areas[a]) == area


def test_every_area_nace_code_of_the_landscape_maps_to_its_area() -> None:
    for a in get_landscape().areas.values():
        for code in a.nace:
            m = lookup(code)
            # A wide class shared between areas (28.99, 26.51) keeps a real share for its area.
            floor = 0.3 if m.source.startswith("split:") else 0.5
            assert m.areas.get(a.slug, 0) >= floor, (a.slug, code, m.areas)


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(RoutingInputError) as err:
        lookup("99.99")
    assert "does not exist" in err.value.message.en
    assert "findes ikke" in err.value.message.da


@pytest.mark.parametrize("bad", ["", "abc", "1", "12345", "1234567", "Z", "26..60"])
def test_malformed_code_is_an_error(bad: str) -> None:
    with pytest.raises(RoutingInputError) as err:
        lookup(bad)
    assert err.value.field == "nace"


def test_table_covers_all_levels() -> None:
    levels = {m.level for m in code_table().values()}
    assert levels == {"section", "division", "group", "class", "db07"}
    for m in code_table().values():
        assert abs(sum(m.areas.values()) - 1) < 0.01, m


CLASSES = [*get_landscape().areas, NONE]


@given(st.sampled_from(sorted(code_table())))
def test_code_prior_is_a_distribution(code: str) -> None:
    prior = code_prior(lookup(code), CLASSES)
    assert abs(sum(prior) - 1) < 1e-9
    assert all(p > 0 for p in prior)


@pytest.mark.parametrize(
    ("code", "areas"),
    [
        ("28.99", {"advanced-production", "robot-drone-technology"}),
        ("289900", {"advanced-production", "robot-drone-technology"}),
        ("26.51", {"advanced-production", "defence-space-security", "maritime-logistics"}),
    ],
)
def test_wide_classes_are_shared_not_given_to_one_area(code: str, areas: set[str]) -> None:
    """Special-purpose machinery is not all robots, measuring instruments not all defence."""
    m = lookup(code)
    assert set(m.areas) == areas
    assert max(m.areas.values()) < 0.75
