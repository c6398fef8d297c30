"""The scheduler: accepted meeting requests into slots and tables, with a proven bound.

:func:`schedule` is the one entry point. It turns an :class:`~klynge.matchmaking.events.Event`
into arrays (:func:`compile_event`), places meetings tier by tier (must-meet, then mutual, then
the rest; see :mod:`.schedule_search`), proves an upper bound with the b-matching LP
(:mod:`.schedule_bound`) and, for small events, lets HiGHS' branch and bound prove the result
optimal or improve it. Every result says how close it is to the best possible.

Rules kept by every schedule (and checked by :func:`.schedule_search.check`): nobody is in two
meetings at once, everyone meets only when available, no slot uses more tables than there are
(meetings at an exhibitor's booth use none), nobody exceeds their quota, locked meetings stay.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from klynge.errors import InvalidInput, Location
from klynge.i18n import Text
from klynge.matchmaking.events import (
    TIER_MUST,
    TIER_MUTUAL,
    TIER_NAMES,
    TIER_NORMAL,
    Event,
    ParticipantId,
)
from klynge.matchmaking.schedule_search import Problem, check, greedy, improve

#: Above this many (meeting, slot) pairs the exact model is not tried.
EXACT_LIMIT = 6000


class Meeting(BaseModel):
    """One placed meeting. ``table`` is 0-based; a meeting at a booth has ``table`` null."""

    a: ParticipantId
    b: ParticipantId
    slot: int
    table: int | None
    booth: str | None = None
    tier: str = "normal"
    locked: bool = False


class Pending(BaseModel):
    """An accepted request without a slot: on the standby list, or unplaceable."""

    a: ParticipantId
    b: ParticipantId
    tier: str
    reason: str = Field(description="no-shared-slot (unplaceable) or no-room (standby)")


class TierResult(BaseModel):
    tier: str
    requests: int
    placed: int
    bound: int


class Schedule(BaseModel):
    """A schedule and how good it is: ``placed`` out of at most ``bound``."""

    placed: int
    bound: int
    bound_method: str
    percent_of_bound: float
    optimal: bool
    method: str
    seconds: float
    meetings: list[Meeting]
    standby: list[Pending] = []
    unplaceable: list[Pending] = []
    tiers: list[TierResult] = []
    greedy_placed: int | None = None


@dataclass
class Compiled:
    """An event as a :class:`Problem` plus what maps the arrays back to people and requests."""

    problem: Problem
    ids: list[ParticipantId]
    booths: list[str | None]
    #: position in ``event.locked`` → meeting, and the locked table if any
    locked_tables: dict[int, int]

    def key(self, e: int) -> tuple[ParticipantId, ParticipantId]:
        return self.ids[self.problem.ea[e]], self.ids[self.problem.eb[e]]


def _pair(a: ParticipantId, b: ParticipantId) -> tuple[str, str]:
    x, y = repr(a), repr(b)
    return (x, y) if x <= y else (y, x)


def compile_event(event: Event) -> Compiled:
    """Accepted requests become meetings: one per pair, mutual when both sides asked."""
    S = len(event.slots)
    full = (1 << S) - 1
    index = event.index()
    ids = [p.id for p in event.participants]
    avail = [
        full if p.available is None else sum(1 << s for s in set(p.available))
        for p in event.participants
    ]
    quota = [S if p.quota is None else min(p.quota, S) for p in event.participants]
    booths = [p.booth for p in event.participants]
    pairs: dict[tuple[str, str], int] = {}
    ea: list[int] = []
    eb: list[int] = []
    tier: list[int] = []
    sent: list[set[int]] = []
    for r in event.requests:
        if r.state != "accepted":
            continue
        a, b = index[r.sender], index[r.receiver]
        k = _pair(r.sender, r.receiver)
        e = pairs.get(k)
        if e is None:
            e = pairs[k] = len(ea)
            ea.append(a)
            eb.append(b)
            tier.append(TIER_NORMAL)
            sent.append(set())
        sent[e].add(a)
        if r.priority == "must":
            tier[e] = TIER_MUST
        elif len(sent[e]) == 2 and tier[e] != TIER_MUST:
            tier[e] = TIER_MUTUAL
    locked: dict[int, int] = {}
    locked_tables: dict[int, int] = {}
    for m in event.locked:
        k = _pair(m.a, m.b)
        e = pairs.get(k)
        if e is None:
            e = pairs[k] = len(ea)
            ea.append(index[m.a])
            eb.append(index[m.b])
            tier.append(TIER_MUST)
        locked[e] = m.slot
        if m.table is not None:
            locked_tables[e] = m.table
    need = [
        0 if booths[a] is not None or booths[b] is not None else 1
        for a, b in zip(ea, eb, strict=True)
    ]
    pb = Problem(
        n=len(ids),
        slots=S,
        tables=[event.tables] * S,
        avail=avail,
        quota=quota,
        ea=ea,
        eb=eb,
        tier=tier,
        need=need,
        locked=locked,
    )
    problems = [v for v in check(pb, [locked.get(e, -1) for e in range(pb.m)]) if "locked" not in v]
    if problems:
        raise InvalidInput(
            Text(
                da="De låste møder kan ikke holdes samtidig: " + "; ".join(problems),
                en="The locked meetings cannot all be kept: " + "; ".join(problems),
            ),
            code="invalid-event",
            location=Location(field="locked"),
        )
    return Compiled(pb, ids, booths, locked_tables)


def assign_tables(
    c: Compiled, slot_of: Sequence[int], previous: dict[int, int] | None = None
) -> list[int | None]:
    """A table for each placed meeting: locked tables first, then each meeting's previous table
    if it is still free, then the lowest free numbers."""
    pb = c.problem
    table: list[int | None] = [None] * pb.m
    taken: list[set[int]] = [set() for _ in range(pb.slots)]
    wanted = dict(previous or {})
    wanted.update(c.locked_tables)
    order = sorted(
        (e for e in range(pb.m) if slot_of[e] >= 0 and pb.need[e]),
        key=lambda e: (e not in c.locked_tables, e not in wanted),
    )
    rest = []
    for e in order:
        s = slot_of[e]
        t = wanted.get(e)
        if t is not None and t < pb.tables[s] and t not in taken[s]:
            table[e] = t
            taken[s].add(t)
        else:
            rest.append(e)
    nxt = [0] * pb.slots
    for e in rest:
        s = slot_of[e]
        while nxt[s] in taken[s]:
            nxt[s] += 1
        table[e] = nxt[s]
        taken[s].add(nxt[s])
    return table


def result(
    c: Compiled,
    slot_of: Sequence[int],
    *,
    bound: int,
    bound_method: str,
    method: str,
    seconds: float,
    tier_bounds: dict[int, int] | None = None,
    previous_tables: dict[int, int] | None = None,
    greedy_placed: int | None = None,
) -> Schedule:
    """Package a slot assignment as a :class:`Schedule` (tables, standby list, tiers)."""
    pb = c.problem
    tables = assign_tables(c, slot_of, previous_tables)
    meetings = []
    standby = []
    unplaceable = []
    for e in range(pb.m):
        a, b = c.key(e)
        name = TIER_NAMES[pb.tier[e]]
        s = slot_of[e]
        if s >= 0:
            booth = c.booths[pb.ea[e]] or c.booths[pb.eb[e]]
            meetings.append(
                Meeting(
                    a=a, b=b, slot=s, table=tables[e], booth=booth, tier=name, locked=e in pb.locked
                )
            )
        elif pb.common(e):
            standby.append(Pending(a=a, b=b, tier=name, reason="no-room"))
        else:
            unplaceable.append(Pending(a=a, b=b, tier=name, reason="no-shared-slot"))
    meetings.sort(key=lambda m: (m.slot, m.table if m.table is not None else -1, repr(m.a)))
    placed = len(meetings)
    tiers = []
    for t in (TIER_MUST, TIER_MUTUAL, TIER_NORMAL):
        members = [e for e in range(pb.m) if pb.tier[e] == t]
        if members:
            tiers.append(
                TierResult(
                    tier=TIER_NAMES[t],
                    requests=len(members),
                    placed=sum(1 for e in members if slot_of[e] >= 0),
                    bound=(tier_bounds or {}).get(t, len(members)),
                )
            )
    bound = max(bound, placed)  # a bound below a valid schedule would be a bug: never print it
    return Schedule(
        placed=placed,
        bound=bound,
        bound_method=bound_method,
        percent_of_bound=round(100.0 * placed / bound, 3) if bound else 100.0,
        optimal=placed == bound,
        method=method,
        seconds=round(seconds, 3),
        meetings=meetings,
        standby=standby,
        unplaceable=unplaceable,
        tiers=tiers,
        greedy_placed=greedy_placed,
    )


def solve(
    pb: Problem,
    *,
    seconds: float = 2.0,
    exact_seconds: float = 30.0,
    method: str = "auto",
    seed: int = 0,
    start: Sequence[int] | None = None,
) -> tuple[list[int], int, str, dict[int, int], str, int]:
    """Place meetings; returns (slot_of, bound, bound_method, tier bounds, method, greedy count).

    ``method``: ``greedy`` (first come, first served), ``search`` (greedy then local search),
    ``exact`` (search, then the MIP whatever the size) or ``auto`` (the MIP when small).
    """
    from klynge.matchmaking.schedule_bound import exact, lp_bound

    t0 = time.perf_counter()
    present = sorted(set(pb.tier))
    order = sorted(range(pb.m), key=lambda e: (pb.tier[e], e))
    slot_of = list(start) if start is not None else greedy(pb, order)
    greedy_count = sum(1 for s in slot_of if s >= 0)
    bound = lp_bound(pb)
    tier_bounds: dict[int, int] = {}
    targets: dict[int, int] = {}
    if len(present) > 1:
        for t in present:
            tier_bounds[t] = lp_bound(pb, [e for e in range(pb.m) if pb.tier[e] == t]).value
            targets[t] = lp_bound(pb, [e for e in range(pb.m) if pb.tier[e] <= t]).value
    else:
        tier_bounds[present[0] if present else TIER_NORMAL] = bound.value
    if present:
        targets[present[-1]] = bound.value
    small = sum(pb.common(e).bit_count() for e in range(pb.m)) <= EXACT_LIMIT
    if small and method != "greedy":
        # The integer b-matching sees parity, which the LP misses; on small events it is cheap.
        tighter = lp_bound(pb, integral=5.0)
        if tighter.value < bound.value:
            bound = tighter
            targets[present[-1]] = bound.value
    used = "greedy (first come, first served)"
    if method != "greedy":
        used = "greedy + local search (ejection chains)"
        first = 0.1 if small else seconds - (time.perf_counter() - t0)
        best = _search(pb, list(slot_of), present, targets, first, seed)
        # Small events: the search can get stuck one meeting short; restarts are cheap there.
        restart = seed
        while (
            small
            and _score(pb, best) < _score_of_targets(pb, targets, present)
            and time.perf_counter() - t0 < seconds
        ):
            restart += 1
            order = _shuffled(order, pb, restart)
            trial = _search(pb, greedy(pb, order), present, targets, 0.1, restart)
            if _score(pb, trial) > _score(pb, best):
                best = trial
        slot_of = best
    bound_value, bound_method = bound.value, bound.method
    placed = sum(1 for s in slot_of if s >= 0)
    if method == "exact" or (method == "auto" and small and placed < bound_value):
        weights = None
        if len(present) > 1:
            # Lexicographic tiers: a meeting of a tier outweighs all of the lower tiers together.
            w = {TIER_NORMAL: 1}
            w[TIER_MUTUAL] = sum(1 for t in pb.tier if t == TIER_NORMAL) + 1
            w[TIER_MUST] = w[TIER_MUTUAL] * (sum(1 for t in pb.tier if t == TIER_MUTUAL) + 1)
            weights = [w[t] for t in pb.tier]
        ex = exact(pb, slot_of, seconds=exact_seconds, weights=weights)
        slot_of = ex.slot_of
        used += " + exact MIP (HiGHS branch and bound)"
        if ex.optimal:
            used += ", proven optimal"
            if weights is None:
                bound_value = sum(1 for s in slot_of if s >= 0)
                bound_method = "exact MIP (HiGHS branch and bound): proven optimum"
        elif ex.bound is not None and ex.bound < bound_value:
            bound_value, bound_method = ex.bound, "exact MIP (HiGHS branch and bound), dual bound"
    return slot_of, bound_value, bound_method, tier_bounds, used, greedy_count


def _search(
    pb: Problem,
    slot_of: list[int],
    present: Sequence[int],
    targets: dict[int, int],
    seconds: float,
    seed: int,
) -> list[int]:
    """Local search tier by tier: each tier gets a share of the time by its size."""
    t0 = time.perf_counter()
    for i, t in enumerate(present):
        active = [e for e in range(pb.m) if pb.tier[e] <= t]
        left = seconds - (time.perf_counter() - t0)
        share = left * len(active) / max(1, pb.m) if i < len(present) - 1 else left
        improve(
            pb, slot_of, seconds=max(share, 0.02), target=targets[t], active=active, seed=seed + t
        )
    return slot_of


def _score(pb: Problem, slot_of: Sequence[int]) -> tuple[int, ...]:
    """Placed meetings of tiers up to each tier, compared lexicographically."""
    counts = [0, 0, 0]
    for e, s in enumerate(slot_of):
        if s >= 0:
            counts[pb.tier[e]] += 1
    return (counts[0], counts[0] + counts[1], sum(counts))


def _score_of_targets(
    pb: Problem, targets: dict[int, int], present: Sequence[int]
) -> tuple[int, ...]:
    """The best conceivable score: each tier prefix at its bound."""
    out = []
    last = 0
    for t in (TIER_MUST, TIER_MUTUAL, TIER_NORMAL):
        if t in targets:
            last = targets[t]
        out.append(last)
    return tuple(out)


def _shuffled(order: list[int], pb: Problem, seed: int) -> list[int]:
    import random

    rng = random.Random(seed)
    keyed = [(pb.tier[e], rng.random(), e) for e in order]
    keyed.sort()
    return [e for _, _, e in keyed]


def schedule(
    event: Event,
    *,
    seconds: float = 2.0,
    exact_seconds: float = 30.0,
    method: str = "auto",
    seed: int = 0,
) -> Schedule:
    """Schedule ``event`` in about ``seconds`` (plus up to ``exact_seconds`` for small events)."""
    t0 = time.perf_counter()
    c = compile_event(event)
    slot_of, bound, bound_method, tier_bounds, used, greedy_count = solve(
        c.problem, seconds=seconds, exact_seconds=exact_seconds, method=method, seed=seed
    )
    return result(
        c,
        slot_of,
        bound=bound,
        bound_method=bound_method,
        method=used,
        seconds=time.perf_counter() - t0,
        tier_bounds=tier_bounds,
        greedy_placed=greedy_count,
    )
