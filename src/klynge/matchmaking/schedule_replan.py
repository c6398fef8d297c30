"""Re-scheduling a published schedule after a withdrawal, a new request or a lost table.

People plan around a published agenda, so the rules are, in order:

1. every published meeting that is still possible stays in its slot and at its table;
2. a meeting that must change (its table or slot is gone, one of its people can no longer come
   then, a locked meeting took its place) moves to another slot if one is free for both
   people, else it goes back to the standby list; a lowered quota drops the later meetings;
3. the slots that came free are filled from the standby list **optimally without moving anyone**:
   a small integer programme over the free (person, slot) positions, solved by HiGHS, places as
   many waiting meetings as possible (tiers first);
4. a new request that still has no slot may move at most two published meetings, each to a slot
   where both its people are free, if that makes room (``allow_moves``).

The result lists what was kept, moved, dropped and added, so the organiser can tell the people
whose agenda changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel

from klynge.i18n import Text
from klynge.matchmaking.events import TIER_NAMES, TIER_NORMAL, Event, ParticipantId
from klynge.matchmaking.schedule import (
    Meeting,
    Schedule,
    _pair,
    compile_event,
    result,
)
from klynge.matchmaking.schedule_search import Problem, bits

#: Why a published meeting moved or was dropped, in words for the people who must be told.
REASONS: dict[str, Text] = {
    "participant-withdrew": Text(
        da="en deltager har forladt arrangementet", en="a participant left the event"
    ),
    "request-withdrawn": Text(
        da="anmodningen står ikke længere", en="the request no longer stands"
    ),
    "slot-cancelled": Text(da="tidsrummet er aflyst", en="the slot was cancelled"),
    "unavailable": Text(da="ikke længere til stede da", en="no longer available then"),
    "quota": Text(da="ud over kvoten", en="beyond the quota"),
    "no-room": Text(da="ikke plads i det tidsrum", en="no room left in that slot"),
}


def reason_words(code: str | None) -> Text | None:
    """A reason code of :class:`Move` or :class:`Dropped` in both languages (unknown: as is)."""
    if code is None:
        return None
    return REASONS.get(code, Text(da=code, en=code))


class Move(BaseModel):
    a: ParticipantId
    b: ParticipantId
    from_slot: int
    to_slot: int
    from_table: int | None
    to_table: int | None
    #: The published meeting was locked (its slot was cancelled, which released the lock).
    locked: bool = False
    #: Why it had to move, when the event changed under it: slot-cancelled or unavailable (one
    #: of its people can no longer come then); ``None`` when it made room for another meeting.
    reason: str | None = None


class Dropped(BaseModel):
    a: ParticipantId
    b: ParticipantId
    slot: int
    table: int | None
    #: participant-withdrew, request-withdrawn, slot-cancelled, unavailable, quota or no-room
    reason: str
    #: The published meeting was locked (its slot was cancelled or a person's availability
    #: changed, which released the lock).
    locked: bool = False


class Replan(BaseModel):
    """The new schedule and every change to the published one."""

    schedule: Schedule
    kept: int
    moved: list[Move]
    dropped: list[Dropped]
    added: list[Meeting]
    fill_optimal: bool


def reschedule(
    event: Event,
    published: Sequence[Meeting],
    *,
    waiting: Iterable[tuple[ParticipantId, ParticipantId]] = (),
    allow_moves: bool = True,
    fill_seconds: float = 5.0,
) -> Replan:
    """Re-plan ``event`` (already changed) starting from the ``published`` meetings.

    ``waiting`` names the pairs that were on the standby list before; other unplaced requests
    count as new and may move published meetings to find a slot (``allow_moves``).
    """
    from klynge.matchmaking.schedule_bound import exact, lp_bound

    t0 = time.perf_counter()
    c = compile_event(event)
    pb = c.problem
    S = pb.slots
    index = {_pair(*c.key(e)): e for e in range(pb.m)}
    present = set(c.ids)
    slot_of = [-1] * pb.m
    busy = [0] * pb.n
    load = [0] * pb.n
    cnt = [0] * S
    prev_table: dict[int, int] = {}
    was: dict[int, Meeting] = {}
    dropped: list[Dropped] = []

    def put(e: int, s: int) -> None:
        slot_of[e] = s
        for p in (pb.ea[e], pb.eb[e]):
            busy[p] |= 1 << s
            load[p] += 1
        cnt[s] += pb.need[e]

    def take(e: int) -> None:
        s = slot_of[e]
        slot_of[e] = -1
        for p in (pb.ea[e], pb.eb[e]):
            busy[p] &= ~(1 << s)
            load[p] -= 1
        cnt[s] -= pb.need[e]

    def drop(m: Meeting, reason: str) -> None:
        dropped.append(
            Dropped(a=m.a, b=m.b, slot=m.slot, table=m.table, reason=reason, locked=m.locked)
        )

    def cancelled(s: int) -> bool:
        return 0 <= s < S and event.slots[s].cancelled

    def nearest(choices: list[int], origin: int) -> int:
        """The free slot closest to where the meeting was: by clock time when both slots have
        one (a slot added later has a high number but may sit next to it), else by number;
        the earlier one on a tie. People planned their day around the published time."""
        here = event.slots[origin].start if 0 <= origin < S else None

        def distance(s: int) -> tuple[float, int]:
            there = event.slots[s].start
            if here is not None and there is not None:
                return (abs((there - here).total_seconds()), s)
            return (float(abs(s - origin)), s)

        return min(choices, key=distance)

    available = {p.id: p.available for p in event.participants}

    def attends(pid: ParticipantId, s: int) -> bool:
        slots = available.get(pid)
        return slots is None or s in slots

    for e, s in pb.locked.items():
        put(e, s)
    relocate: list[int] = []
    why: dict[int, str] = {}
    for m in published:
        found = index.get(_pair(m.a, m.b))
        if found is None:
            gone = m.a not in present or m.b not in present
            if gone:
                drop(m, "participant-withdrew")
            elif cancelled(m.slot):
                # A meeting locked without a request went with its slot's lock.
                drop(m, "slot-cancelled")
            elif not (attends(m.a, m.slot) and attends(m.b, m.slot)):
                # ... or with a lock released because one of the two no longer comes then.
                drop(m, "unavailable")
            else:
                drop(m, "request-withdrawn")
            continue
        e = found
        was[e] = m
        if e in pb.locked:
            continue
        if cancelled(m.slot):
            # Its slot is gone: move it to a slot free for both, or else drop it (and say why).
            relocate.append(e)
            why[e] = "slot-cancelled"
            continue
        if not 0 <= m.slot < S or not pb.common(e) >> m.slot & 1:
            # One of the two can no longer come then: move it to a slot free for both.
            relocate.append(e)
            why[e] = "unavailable"
            continue
        a, b = pb.ea[e], pb.eb[e]
        if load[a] >= pb.quota[a] or load[b] >= pb.quota[b]:
            # A quota lowered below the published meetings: the later ones go.
            drop(m, "quota")
            continue
        if (busy[a] | busy[b]) >> m.slot & 1:
            relocate.append(e)
            continue
        put(e, m.slot)
        if m.table is not None:
            prev_table[e] = m.table
    # Slots with more meetings than tables: those at a table that no longer exists move first.
    for s in range(S):
        excess = cnt[s] - pb.tables[s]
        if excess <= 0:
            continue
        here = [e for e in range(pb.m) if slot_of[e] == s and pb.need[e] and e not in pb.locked]
        here.sort(
            key=lambda e: (
                -(prev_table.get(e, -1) >= pb.tables[s]),
                -pb.tier[e],
                -prev_table.get(e, -1),
            )
        )
        for e in here[:excess]:
            take(e)
            relocate.append(e)
    moved_to: dict[int, int] = {}
    for e in relocate:
        a, b = pb.ea[e], pb.eb[e]
        free = pb.common(e) & ~(busy[a] | busy[b])
        if pb.need[e]:
            free &= sum(1 << s for s in range(S) if cnt[s] < pb.tables[s])
        if free and load[a] < pb.quota[a] and load[b] < pb.quota[b]:
            s = nearest(bits(free), was[e].slot)
            put(e, s)
            moved_to[e] = s
        else:
            drop(was[e], why.get(e, "no-room"))

    # Fill the free positions from the standby list, optimally, moving nobody.
    cand = []
    for e in range(pb.m):
        if slot_of[e] < 0:
            a, b = pb.ea[e], pb.eb[e]
            if (
                pb.common(e) & ~(busy[a] | busy[b])
                and load[a] < pb.quota[a]
                and load[b] < pb.quota[b]
            ):
                cand.append(e)
    fill_optimal = True
    if cand:
        sub = Problem(
            n=pb.n,
            slots=S,
            tables=[pb.tables[s] - cnt[s] for s in range(S)],
            avail=[pb.avail[p] & ~busy[p] for p in range(pb.n)],
            quota=[pb.quota[p] - load[p] for p in range(pb.n)],
            ea=[pb.ea[e] for e in cand],
            eb=[pb.eb[e] for e in cand],
            tier=[pb.tier[e] for e in cand],
            need=[pb.need[e] for e in cand],
        )
        weights = None
        if len(set(sub.tier)) > 1:
            scale = len(cand) + 1
            weights = [scale ** (TIER_NORMAL - t) for t in sub.tier]
        ex = exact(sub, [-1] * len(cand), seconds=fill_seconds, weights=weights)
        fill_optimal = ex.optimal
        for j, s in enumerate(ex.slot_of):
            if s >= 0:
                put(cand[j], s)

    # New requests still without a slot may move up to two published meetings.
    old = {_pair(a, b) for a, b in waiting}
    if allow_moves:
        fresh = [
            e
            for e in range(pb.m)
            if slot_of[e] < 0 and e not in was and _pair(*c.key(e)) not in old and pb.common(e)
        ]
        fresh.sort(key=lambda e: pb.tier[e])
        for e in fresh:
            _place_moving(pb, e, slot_of, busy, load, cnt, put, take, moved_to)

    bound = lp_bound(pb)
    sched = result(
        c,
        slot_of,
        bound=bound.value,
        bound_method=bound.method,
        method="re-scheduled: published meetings kept, free slots filled by HiGHS",
        seconds=time.perf_counter() - t0,
        previous_tables=prev_table,
    )
    by_pair = {_pair(m.a, m.b): m for m in sched.meetings}
    moved = []
    added = []
    kept = 0
    for e in range(pb.m):
        if slot_of[e] < 0:
            continue
        now = by_pair[_pair(*c.key(e))]
        before = was.get(e)
        if before is None:
            added.append(now)
        elif before.slot != now.slot or before.table != now.table:
            moved.append(
                Move(
                    a=now.a,
                    b=now.b,
                    from_slot=before.slot,
                    to_slot=now.slot,
                    from_table=before.table,
                    to_table=now.table,
                    locked=before.locked and not now.locked,
                    reason=why.get(e),
                )
            )
        else:
            kept += 1
    return Replan(
        schedule=sched,
        kept=kept,
        moved=moved,
        dropped=dropped,
        added=added,
        fill_optimal=fill_optimal,
    )


def _place_moving(
    pb: Problem,
    e: int,
    slot_of: list[int],
    busy: list[int],
    load: list[int],
    cnt: list[int],
    put: Callable[[int, int], None],
    take: Callable[[int], None],
    moved_to: dict[int, int],
) -> bool:
    """Place meeting ``e`` by moving the (at most two) meetings that block one of its slots."""
    a, b = pb.ea[e], pb.eb[e]
    if load[a] >= pb.quota[a] or load[b] >= pb.quota[b]:
        return False
    at = {}
    for f, s in enumerate(slot_of):
        if s >= 0 and (pb.ea[f] in (a, b) or pb.eb[f] in (a, b)):
            for p in (pb.ea[f], pb.eb[f]):
                if p in (a, b):
                    at[p, s] = f
    S = pb.slots
    for s in bits(pb.common(e)):
        blockers = [at[p, s] for p in (a, b) if (p, s) in at]
        if any(f in pb.locked for f in blockers):
            continue
        room = cnt[s] - sum(pb.need[f] for f in blockers) + pb.need[e] <= pb.tables[s]
        if not room:
            continue
        for f in blockers:
            take(f)
        targets = []
        for f in blockers:
            u, v = pb.ea[f], pb.eb[f]
            free = pb.common(f) & ~(busy[u] | busy[v]) & ~(1 << s)
            if pb.need[f]:
                free &= sum(1 << t for t in range(S) if cnt[t] < pb.tables[t])
            if not free:
                break
            t = bits(free)[0]
            put(f, t)
            targets.append((f, t))
        if len(targets) == len(blockers):
            put(e, s)
            for f, t in targets:
                moved_to[f] = t
            return True
        for f, _ in targets:
            take(f)
        for f in blockers:
            put(f, s)
    return False


__all__ = ["TIER_NAMES", "Dropped", "Move", "Replan", "reschedule"]
