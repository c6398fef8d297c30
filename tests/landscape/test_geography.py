"""Geography is computed from the data, and claims are judged against it."""

from __future__ import annotations

from datetime import date

from klynge.i18n import Text
from klynge.landscape import get_landscape
from klynge.landscape.geography import check_claim, place_clusters
from klynge.landscape.model import GeographyClaim, part_of_country

LS = get_landscape()


def test_parts_of_country() -> None:
    assert part_of_country("DK011") == "copenhagen-area"
    assert part_of_country("DK031") == "funen"
    assert part_of_country("DK032") == "jutland"
    assert part_of_country("DK022") == "zealand"


def test_counts_add_up() -> None:
    geo = place_clusters(LS, date(2021, 1, 1))
    assert len(geo.placements) == 14
    assert sum(geo.by_region.values()) + len(geo.unknown) == 14
    assert sum(geo.by_part.values()) + len(geo.unknown) == 14
    assert geo.by_region["DK02"] == 0  # no headquarters in Region Zealand at the appointment


def _claim(**counts: int) -> GeographyClaim:
    return GeographyClaim(
        on=date(2021, 1, 1), text=Text(da="x", en="x"), counts=counts, sources=["test"]
    )


def test_claim_that_exceeds_the_known_count_is_contradicted() -> None:
    check = check_claim(_claim(jutland=2, funen=1, **{"copenhagen-area": 11}), LS)
    assert check.verdict == "contradicted"


def test_claim_needing_more_than_the_unknown_is_contradicted() -> None:
    check = check_claim(_claim(jutland=10, funen=1, **{"copenhagen-area": 3}), LS)
    assert check.verdict == "contradicted"


def test_seed_claim_is_possible_but_not_confirmed() -> None:
    (check,) = place_clusters(LS, date(2021, 1, 1)).checks
    assert check.verdict == "possible"
    assert sum(check.missing.values()) == len(check.unknown) == 3
