"""CVR numbers and size classes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.registry.model import COUNTRIES, cvr_check_digit, cvr_problem, is_cvr, size_class


def test_real_cvr_number_passes(shared_data: Path) -> None:
    import json

    doc = json.loads((shared_data / "cvr" / "example_initial_scroll_response.json").read_text())
    number = doc["hits"]["hits"][0]["_source"]["Vrvirksomhed"]["cvrNummer"]
    assert is_cvr(str(number))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("29863996", "modulus-11"),
        ("1234567", "8 digits"),
        ("123456789", "8 digits"),
        ("0986399x", "8 digits"),
        ("09863997", "not starting with 0"),
        ("", "8 digits"),
    ],
)
def test_bad_cvr_numbers_say_why(value: str, reason: str) -> None:
    problem = cvr_problem(value)
    assert problem is not None and reason in problem


@given(st.integers(1_000_000, 9_999_999))
def test_check_digit_makes_a_valid_number(prefix: int) -> None:
    digit = cvr_check_digit(str(prefix))
    if digit is None:
        # No digit works: every completion of this prefix must fail.
        assert not any(is_cvr(f"{prefix}{d}") for d in range(10))
    else:
        assert is_cvr(f"{prefix}{digit}")


@given(st.integers(1_000_000, 9_999_999), st.integers(1, 7), st.integers(1, 9))
def test_changing_one_digit_is_always_caught(prefix: int, position: int, delta: int) -> None:
    digit = cvr_check_digit(str(prefix))
    if digit is None:
        return
    good = f"{prefix}{digit}"
    changed = list(good)
    changed[position] = str((int(changed[position]) + delta) % 10)
    assert not is_cvr("".join(changed))


@pytest.mark.parametrize(
    ("employees", "expected"),
    [(None, "unknown"), (0, "micro"), (9, "micro"), (10, "small"), (49, "small"),
     (50, "medium"), (249, "medium"), (250, "large")],
)  # fmt: skip
def test_size_classes_follow_the_eu_head_count_limits(employees: int | None, expected: str) -> None:
    assert size_class(employees) == expected


def test_negative_head_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        size_class(-1)


def test_country_codes_are_the_iso_list() -> None:
    assert len(COUNTRIES) == 250  # 249 assigned by ISO 3166-1, plus XK
    assert {"DK", "SE", "GB", "GR", "XK"} <= COUNTRIES
    assert not {"UK", "EL", "XX", "EU"} & COUNTRIES
    assert all(len(c) == 2 and c.isupper() for c in COUNTRIES)
