"""Re-scheduling keeps published meetings, reports every change, and fills freed slots."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klynge.matchmaking.events import Request, parse_event, withdraw
from klynge.matchmaking.schedule import schedule
from klynge.matchmaking.schedule_replan import reschedule


def random_event(
    seed: int, people: int = 30, requests: int = 120, slots: int = 6
) -> dict[str, Any]:
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        a, b = rng.randrange(people), rng.randrange(people)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return {
        "slots": slots,
        "tables": 10,
        "participants": [
            {"id": i, "available": [s for s in range(slots) if rng.random() < 0.75]}
            for i in range(people)
        ],
        "requests": [list(p) for p in sorted(pairs)],
    }


def free_positions_unused(event: Any, result: Any) -> list[tuple[Any, Any, int]]:
    """Standby meetings that would fit where both people are free: none after an optimal fill."""
    people = {p.id: set(p.available or range(len(event.slots))) for p in event.participants}
    busy = {(x, m.slot) for m in result.meetings for x in (m.a, m.b)}
    used = {}
    for m in result.meetings:
        used[m.slot] = used.get(m.slot, 0) + 1
    out = []
    for p in result.standby:
        for s in people[p.a] & people[p.b]:
            if (p.a, s) not in busy and (p.b, s) not in busy and used.get(s, 0) < event.tables:
                out.append((p.a, p.b, s))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(0, 29))
def test_withdrawal_moves_nobody_else(seed: int, who: int) -> None:
    event = parse_event(random_event(seed))
    before = schedule(event, seconds=0.1, exact_seconds=5)
    changed = withdraw(event, who)
    rp = reschedule(changed, before.meetings, waiting=[(p.a, p.b) for p in before.standby])
    assert all(who in (d.a, d.b) for d in rp.dropped)
    assert len(rp.dropped) == sum(1 for m in before.meetings if who in (m.a, m.b))
    assert rp.moved == []
    after = {(m.a, m.b): (m.slot, m.table) for m in rp.schedule.meetings}
    for m in before.meetings:
        if who not in (m.a, m.b):
            assert after[m.a, m.b] == (m.slot, m.table)
    assert rp.fill_optimal
    assert free_positions_unused(changed, rp.schedule) == []
    assert rp.kept + len(rp.added) == rp.schedule.placed
    assert rp.schedule.placed <= rp.schedule.bound


def test_a_lost_table_moves_as_few_as_possible() -> None:
    data = random_event(3)
    event = parse_event(data)
    before = schedule(event, seconds=0.1, exact_seconds=5)
    per_slot = {}
    for m in before.meetings:
        per_slot[m.slot] = per_slot.get(m.slot, 0) + 1
    tables = max(per_slot.values()) - 1
    changed = event.model_copy(update={"tables": tables})
    rp = reschedule(changed, before.meetings)
    excess = sum(max(0, k - tables) for k in per_slot.values())
    assert excess > 0
    # Exactly the meetings that no longer fit change slot or go back to standby: no more.
    slot_changes = [m for m in rp.moved if m.from_slot != m.to_slot]
    assert len(slot_changes) + len(rp.dropped) == excess
    # The others keep their slot; those at a table that still exists keep the table too.
    after = {(m.a, m.b): (m.slot, m.table) for m in rp.schedule.meetings}
    for m in before.meetings:
        if per_slot[m.slot] <= tables:
            assert after[m.a, m.b] == (m.slot, m.table)
    for m in rp.schedule.meetings:
        assert m.table is not None and m.table < tables


def test_a_new_request_gets_a_free_slot_without_moving_anyone() -> None:
    data = {
        "slots": 3,
        "tables": 5,
        "participants": [{"id": i} for i in range(4)],
        "requests": [[0, 1], [2, 3]],
    }
    event = parse_event(data)
    before = schedule(event, seconds=0.05)
    changed = event.model_copy(
        update={"requests": [*event.requests, Request.model_validate({"from": 0, "to": 2})]}
    )
    rp = reschedule(changed, before.meetings)
    assert [(m.a, m.b) for m in rp.added] == [(0, 2)]
    assert rp.moved == [] and rp.dropped == []


def test_a_new_request_may_move_one_meeting() -> None:
    # One slot each for 0 and 1: the new meeting 0-1 fits only in slot 0, where 1 meets 2; 1-2
    # can move to slot 1.
    data = {
        "slots": 2,
        "tables": 5,
        "participants": [
            {"id": 0, "available": [0]},
            {"id": 1, "available": [0, 1]},
            {"id": 2, "available": [0, 1]},
        ],
        "requests": [[1, 2]],
        "locked": [],
    }
    event = parse_event(data)
    before = schedule(event, seconds=0.05, method="greedy")
    assert [(m.a, m.b, m.slot) for m in before.meetings] == [(1, 2, 0)]
    changed = event.model_copy(
        update={"requests": [*event.requests, Request.model_validate({"from": 0, "to": 1})]}
    )
    rp = reschedule(changed, before.meetings)
    assert [(m.a, m.b, m.from_slot, m.to_slot) for m in rp.moved] == [(1, 2, 0, 1)]
    assert [(m.a, m.b, m.slot) for m in rp.added] == [(0, 1, 0)]
    still = reschedule(changed, before.meetings, allow_moves=False)
    assert still.moved == [] and still.added == []


def test_a_meeting_from_a_cancelled_slot_moves_to_the_nearest_time() -> None:
    """Slot 2 was added later for the afternoon: numbered after the morning slot, nearer in
    time to the cancelled one. The meeting goes there, not to the lowest free number."""
    from klynge.matchmaking.schedule import Meeting

    slots = [
        {"start": "2026-11-20T09:00", "end": "2026-11-20T09:20"},
        {"start": "2026-11-20T13:00", "end": "2026-11-20T13:20", "cancelled": True},
        {"start": "2026-11-20T13:20", "end": "2026-11-20T13:40"},
    ]
    event = parse_event(
        {
            "slots": slots,
            "tables": 2,
            "participants": [{"id": 1}, {"id": 2}],
            "requests": [[1, 2]],
        }
    )
    rp = reschedule(event, [Meeting(a=1, b=2, slot=1, table=0)])
    assert [(m.from_slot, m.to_slot) for m in rp.moved] == [(1, 2)]
    assert [(m.a, m.b, m.slot) for m in rp.schedule.meetings] == [(1, 2, 2)]
    # Without clock times the nearest number decides, the earlier one on a tie.
    numbered = parse_event(
        {"slots": 4, "tables": 2, "participants": [{"id": 1}, {"id": 2}], "requests": [[1, 2]]}
    )
    gone = numbered.model_copy(
        update={
            "slots": [
                s.model_copy(update={"cancelled": i == 2}) for i, s in enumerate(numbered.slots)
            ]
        }
    )
    rp = reschedule(gone, [Meeting(a=1, b=2, slot=2, table=0)])
    assert [(m.from_slot, m.to_slot) for m in rp.moved] == [(2, 1)]
