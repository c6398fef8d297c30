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

from klynge.errors import InternalError, InvalidInput, Location
from klynge.i18n import Text
from klynge.matchmaking.events import (
    TIER_MUST,
    TIER_MUTUAL,
    TIER_NAMES,
    TIER_NORMAL,
    Event,
    ParticipantId,
    parse_event,
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
    bound_given_tiers: int | None = Field(
        default=None,
        description="With priority tiers: no schedule that places at least as many meetings of "
        "each higher tier as this one places more than this many in all.",
    )


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
    # Cancelled slots keep their index but nobody is available in them and they have no tables.
    full = event.live_slots()
    live = full.bit_count()
    index = event.index()
    ids = [p.id for p in event.participants]
    avail = [
        full if p.available is None else full & sum(1 << s for s in set(p.available))
        for p in event.participants
    ]
    quota = [live if p.quota is None else min(p.quota, live) for p in event.participants]
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
        tables=[0 if slot.cancelled else event.tables for slot in event.slots],
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
    bound_given_tiers: int | None = None,
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
            # The values come from a validated event: construct without validating again.
            meetings.append(
                Meeting.model_construct(
                    a=a, b=b, slot=s, table=tables[e], booth=booth, tier=name, locked=e in pb.locked
                )
            )
        elif pb.common(e):
            standby.append(Pending.model_construct(a=a, b=b, tier=name, reason="no-room"))
        else:
            unplaceable.append(
                Pending.model_construct(a=a, b=b, tier=name, reason="no-shared-slot")
            )
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
    if bound < placed or (bound_given_tiers is not None and bound_given_tiers < placed):
        # A "bound" below a schedule that exists would be a false claim of optimality: a bug.
        raise InternalError(
            Text(
                da=f"Intern fejl: grænsen {bound} er under de {placed} placerede møder",
                en=f"Internal error: the bound {bound} is below the {placed} meetings placed",
            ),
            code="bad-bound",
        )
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
        bound_given_tiers=bound_given_tiers,
    )


@dataclass
class Solved:
    slot_of: list[int]
    bound: int
    bound_method: str
    tier_bounds: dict[int, int]
    method: str
    greedy_placed: int
    #: bound on all meetings for schedules placing at least as many of each higher tier
    bound_given_tiers: int | None = None


def solve(
    pb: Problem,
    *,
    seconds: float = 2.0,
    exact_seconds: float = 30.0,
    method: str = "auto",
    seed: int = 0,
) -> Solved:
    """Place meetings, prove a bound, and say how (see :class:`Solved`).

    ``method``: ``greedy`` (first come, first served), ``search`` (greedy then local search),
    ``exact`` (search, then the MIP whatever the size) or ``auto`` (the MIP when small).
    """
    from klynge.matchmaking.schedule_bound import exact, lp_bound

    t0 = time.perf_counter()
    present = sorted(set(pb.tier))
    order = sorted(range(pb.m), key=lambda e: (pb.tier[e], e))
    slot_of = greedy(pb, order)
    greedy_count = sum(1 for s in slot_of if s >= 0)
    bound = lp_bound(pb)
    lp_seconds = time.perf_counter() - t0
    tier_bounds: dict[int, int] = {}
    targets: dict[int, int] = {}
    if len(present) > 1:
        # One LP per distinct set of tiers: a tier alone (its own bound) and the tiers up to it
        # (the target of its phase); the first tier's two sets coincide, the last is the whole.
        cache: dict[tuple[int, ...], int] = {tuple(present): bound.value}

        def tiers_bound(ts: tuple[int, ...]) -> int:
            if ts not in cache:
                cache[ts] = lp_bound(pb, [e for e in range(pb.m) if pb.tier[e] in ts]).value
            return cache[ts]

        for i, t in enumerate(present):
            tier_bounds[t] = tiers_bound((t,))
            targets[t] = tiers_bound(tuple(present[: i + 1]))
    else:
        tier_bounds[present[0] if present else TIER_NORMAL] = bound.value
    if present:
        targets[present[-1]] = bound.value
    # With tiers, one more LP follows the search (the bound given the higher tiers' counts).
    reserve = lp_seconds if len(present) > 1 and method != "greedy" else 0.0
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
        first = 0.1 if small else seconds - reserve - (time.perf_counter() - t0)
        best = _search(pb, order, present, targets, first, seed)
        # Small events: the search can get stuck one meeting short; restarts are cheap there.
        restart = seed
        while (
            small
            and _score(pb, best) < _score_of_targets(pb, targets, present)
            and time.perf_counter() - t0 < seconds
        ):
            restart += 1
            order = _shuffled(order, pb, restart)
            trial = _search(pb, order, present, targets, 0.1, restart)
            if _score(pb, trial) > _score(pb, best):
                best = trial
        slot_of = best
    bound_value, bound_method = bound.value, bound.method
    placed = sum(1 for s in slot_of if s >= 0)
    lexicographic_optimum = False
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
            else:
                # The weights make the optimum lexicographic (integer weights, absolute gap
                # below one): no schedule as good in the higher tiers places more in all.
                lexicographic_optimum = True
        elif ex.bound is not None and ex.bound < bound_value:
            bound_value, bound_method = ex.bound, "exact MIP (HiGHS branch and bound), dual bound"
    given = None
    if len(present) > 1 and method != "greedy":
        # Among the schedules at least as good as this one in the higher tiers, how many in all?
        higher = [t for t in present[:-1]]
        rows = []
        for i in range(len(higher)):
            members = [e for e in range(pb.m) if pb.tier[e] in higher[: i + 1]]
            rows.append((members, sum(1 for e in members if slot_of[e] >= 0)))
        given = lp_bound(pb, at_least=rows).value
        if lexicographic_optimum:
            given = min(given, sum(1 for s in slot_of if s >= 0))
    return Solved(slot_of, bound_value, bound_method, tier_bounds, used, greedy_count, given)


def _search(
    pb: Problem,
    order: Sequence[int],
    present: Sequence[int],
    targets: dict[int, int],
    seconds: float,
    seed: int,
) -> list[int]:
    """Tier by tier: greedy adds the tier's meetings around the higher tiers' schedule, then the
    local search improves it, with a share of the time by size (a phase ends at its bound)."""
    t0 = time.perf_counter()
    slot_of = greedy(pb, [])
    for i, t in enumerate(present):
        slot_of = greedy(pb, [e for e in order if pb.tier[e] == t], start=slot_of)
        active = [e for e in range(pb.m) if pb.tier[e] <= t]
        left = seconds - (time.perf_counter() - t0)
        mine = sum(1 for e in range(pb.m) if pb.tier[e] == t)
        rest = sum(1 for e in range(pb.m) if pb.tier[e] >= t)
        share = left * mine / max(1, rest) if i < len(present) - 1 else left
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


def _kept_problems(exc: InvalidInput, origin: dict[int, int], file: str | None) -> InvalidInput:
    """The event's check of the kept plan, told in the plan's terms: the organiser wrote no
    ``locked.N``; the plan's meeting ``meetings.K`` no longer fits (re-plan instead)."""
    details: list[tuple[Text, Location | None]] = []
    for text, loc in exc.details:
        field = (loc.field if loc else None) or ""
        parts = field.split(".")
        if len(parts) >= 2 and parts[0] == "locked" and parts[1].isdigit():
            k = origin.get(int(parts[1]))
            if k is not None:
                rest = ".".join(["meetings", str(k), *parts[2:]])
                details.append((text, Location(file=file, field=rest)))
                continue
        details.append((text, loc))
    return InvalidInput(
        Text(
            da="Planen, der skal beholdes, passer ikke længere til arrangementet: genplanlæg med "
            "`klynge event reschedule ARRANGEMENT PLAN`, som flytter eller dropper de møder, der "
            "ikke kan blive",
            en="The plan to keep no longer fits the event: re-plan with `klynge event reschedule "
            "EVENT PLAN`, which moves or drops the meetings that cannot stay",
        ),
        code=exc.error_code,
        location=Location(file=file),
        details=details,
    )


def schedule(
    event: Event,
    *,
    seconds: float = 2.0,
    exact_seconds: float = 30.0,
    method: str = "auto",
    seed: int = 0,
    keep: Sequence[Meeting] = (),
    keep_file: str | None = None,
) -> Schedule:
    """Schedule ``event`` in about ``seconds`` (plus up to ``exact_seconds`` for small events).

    ``keep``: meetings already booked (a published plan) that stay exactly where they are; only
    the unbooked slots are scheduled ("schedule the unbooked slots only"). A kept meeting that
    is no longer possible is an error naming the plan's meeting (``meetings.N`` of ``keep_file``):
    re-schedule with :mod:`.schedule_replan` instead.
    """
    from klynge.matchmaking.events import LockedMeeting

    t0 = time.perf_counter()
    if keep:
        locked = list(event.locked)
        fixed = {_pair(m.a, m.b) for m in locked}
        origin: dict[int, int] = {}  # index in ``locked`` → index of the meeting in ``keep``
        for k, m in enumerate(keep):
            if _pair(m.a, m.b) not in fixed:
                origin[len(locked)] = k
                locked.append(LockedMeeting(a=m.a, b=m.b, slot=m.slot, table=m.table))
        try:
            event = parse_event(
                event.model_copy(update={"locked": locked}).model_dump(by_alias=True)
            )
        except InvalidInput as exc:
            raise _kept_problems(exc, origin, keep_file) from None
    c = compile_event(event)
    # The budget covers the whole call: reading the event before, the result's objects after.
    left = seconds - (time.perf_counter() - t0) - 0.03 - 1.5e-5 * c.problem.m
    done = solve(
        c.problem, seconds=max(left, 0.05), exact_seconds=exact_seconds, method=method, seed=seed
    )
    return result(
        c,
        done.slot_of,
        bound=done.bound,
        bound_method=done.bound_method,
        method=done.method,
        seconds=time.perf_counter() - t0,
        tier_bounds=done.tier_bounds,
        greedy_placed=done.greedy_placed,
        bound_given_tiers=done.bound_given_tiers,
    )
