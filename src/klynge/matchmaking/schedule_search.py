"""Placing meetings: first-come-first-served greedy and a local search that improves on it.

The problem in array form (:class:`Problem`): people ``0..n-1`` with an availability bit mask over
the slots, meetings ``e`` between ``ea[e]`` and ``eb[e]`` with a priority tier, per-slot table
counts, per-person quotas, and meetings that need no shared table (an exhibitor's booth). A slot
mask fits a Python int, so "both free, both available and a table left" is three ``&``.

The local search is an ejection chain (a displaced meeting is re-inserted in turn), tuned for the
large events where exact solvers stall (see docs/matchmaking.md):

1. **place** an unplaced meeting in a slot where both people are free;
2. **relocate**: free such a slot by moving the one or two meetings that block it to another slot
   where their people are free (one more meeting placed, nothing lost);
3. **Kempe swap**: when each of the two is free only where the other is busy, swap those two
   slots along the alternating chain of meetings (as in Vizing's edge-colouring proof);
4. **eject**: otherwise place it where exactly one meeting of the same or a lower tier blocks it
   and make that meeting the next one to place (the count stays the same; a tabu tenure stops
   the chain from undoing itself). Whoever lost the ejected meeting now has a free slot, and any
   of their unplaced meetings that fits there is placed at once: the chain has then found an
   augmenting path.

5. **kick**: when a whole pass changes nothing, place one meeting by force (possibly one fewer
   in all); the best schedule seen is what is returned.

A meeting only ever ejects one of its own tier or a lower one, and the search runs tier by tier,
so the tiers are honoured lexicographically: a higher tier is never traded for lower ones.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

_BITS: dict[int, list[int]] = {}
KEMPE = True


def bits(mask: int) -> list[int]:
    """The set bits of ``mask``, lowest first (cached: masks repeat a lot)."""
    found = _BITS.get(mask)
    if found is None:
        found = [i for i in range(mask.bit_length()) if mask >> i & 1]
        if len(_BITS) < 1 << 18:
            _BITS[mask] = found
    return found


@dataclass
class Problem:
    """The scheduling problem as plain arrays (see the module docstring)."""

    n: int
    slots: int
    tables: list[int]
    avail: list[int]
    quota: list[int]
    ea: list[int]
    eb: list[int]
    tier: list[int]
    need: list[int]
    #: meeting → slot it is locked to (organiser's locks, or published meetings kept in place)
    locked: dict[int, int] = field(default_factory=dict)

    @property
    def m(self) -> int:
        return len(self.ea)

    def common(self, e: int) -> int:
        return self.avail[self.ea[e]] & self.avail[self.eb[e]]


def check(pb: Problem, slot_of: Sequence[int]) -> list[str]:
    """Every rule a schedule must keep, as a list of violations (empty when it is valid)."""
    out = []
    seen: dict[tuple[int, int], int] = {}
    cnt = [0] * pb.slots
    load = [0] * pb.n
    for e, s in enumerate(slot_of):
        if s < 0:
            if e in pb.locked:
                out.append(f"locked meeting {e} not placed")
            continue
        if e in pb.locked and pb.locked[e] != s:
            out.append(f"locked meeting {e} moved")
        for p in (pb.ea[e], pb.eb[e]):
            if not pb.avail[p] >> s & 1:
                out.append(f"person {p} unavailable in slot {s}")
            if (p, s) in seen:
                out.append(f"person {p} in two meetings in slot {s}")
            seen[p, s] = e
            load[p] += 1
        cnt[s] += pb.need[e]
    out += [f"slot {s} uses {c} tables" for s, c in enumerate(cnt) if c > pb.tables[s]]
    out += [f"person {p} over quota" for p in range(pb.n) if load[p] > pb.quota[p]]
    return out


def greedy(
    pb: Problem, order: Sequence[int] | None = None, start: Sequence[int] | None = None
) -> list[int]:
    """First come, first served: each meeting in turn goes to the earliest slot that fits.

    ``start``: meetings already placed (they stay); by default only the locked ones.
    """
    S = pb.slots
    busy = [0] * pb.n
    load = [0] * pb.n
    cnt = [0] * S
    full = (1 << S) - 1
    tm = full
    slot_of = [-1] * pb.m if start is None else list(start)
    for e, s in pb.locked.items():
        slot_of[e] = s
    for e, s in enumerate(slot_of):
        if s < 0:
            continue
        a, b = pb.ea[e], pb.eb[e]
        busy[a] |= 1 << s
        busy[b] |= 1 << s
        load[a] += 1
        load[b] += 1
        cnt[s] += pb.need[e]
        if cnt[s] >= pb.tables[s]:
            tm &= ~(1 << s)
    avail, quota, ea, eb, need, T = pb.avail, pb.quota, pb.ea, pb.eb, pb.need, pb.tables
    for e in order if order is not None else range(pb.m):
        if slot_of[e] >= 0:
            continue
        a, b = ea[e], eb[e]
        if load[a] >= quota[a] or load[b] >= quota[b]:
            continue
        free = avail[a] & avail[b] & ~(busy[a] | busy[b])
        if need[e]:
            free &= tm
        if not free:
            continue
        s = (free & -free).bit_length() - 1
        slot_of[e] = s
        busy[a] |= 1 << s
        busy[b] |= 1 << s
        load[a] += 1
        load[b] += 1
        if need[e]:
            cnt[s] += 1
            if cnt[s] >= T[s]:
                tm &= ~(1 << s)
    return slot_of


def improve(
    pb: Problem,
    slot_of: list[int],
    *,
    seconds: float,
    target: int | None = None,
    active: Sequence[int] | None = None,
    seed: int = 0,
    tenure: int = 7,
    max_iterations: int | None = None,
) -> list[int]:
    """Improve ``slot_of`` in place for at most ``seconds``; stop early at ``target`` placed.

    ``active`` limits which unplaced meetings may be placed (the tier being solved); placed
    meetings outside it may be ejected only by meetings of a higher or equal priority tier.
    """
    deadline = time.perf_counter() + seconds
    rng = random.Random(seed)
    n, S = pb.n, pb.slots
    ea, eb, tier, need, avail, quota, T = (
        pb.ea,
        pb.eb,
        pb.tier,
        pb.need,
        pb.avail,
        pb.quota,
        pb.tables,
    )
    busy = [0] * n
    at = [[-1] * S for _ in range(n)]
    load = [0] * n
    cnt = [0] * S
    placed = 0
    tcount = [0] * (max(tier, default=0) + 1)
    for e, s in enumerate(slot_of):
        if s >= 0:
            tcount[tier[e]] += 1
            a, b = ea[e], eb[e]
            busy[a] |= 1 << s
            busy[b] |= 1 << s
            at[a][s] = e
            at[b][s] = e
            load[a] += 1
            load[b] += 1
            cnt[s] += need[e]
            placed += 1
    tm = sum(1 << s for s in range(S) if cnt[s] < T[s])
    frozen = set(pb.locked)
    tabu = [0] * pb.m
    candidates = range(pb.m) if active is None else active
    # ``target`` counts the meetings of the tiers being solved (and the higher ones).
    lim = max((tier[e] for e in candidates), default=0)

    def reached() -> bool:
        return target is not None and sum(tcount[: lim + 1]) >= target

    def score() -> tuple[int, ...]:
        out, acc = [], 0
        for k in tcount:
            acc += k
            out.append(acc)
        return tuple(out)

    unplaced_of: list[set[int]] = [set() for _ in range(n)]
    pool = []
    for e in candidates:
        if slot_of[e] < 0 and avail[ea[e]] & avail[eb[e]]:
            pool.append(e)
            unplaced_of[ea[e]].add(e)
            unplaced_of[eb[e]].add(e)
    if reached():
        return slot_of
    rng.shuffle(pool)
    queue = deque(pool)

    def put(e: int, s: int) -> None:
        nonlocal tm, placed
        a, b = ea[e], eb[e]
        bit = 1 << s
        slot_of[e] = s
        busy[a] |= bit
        busy[b] |= bit
        at[a][s] = e
        at[b][s] = e
        load[a] += 1
        load[b] += 1
        placed += 1
        tcount[tier[e]] += 1
        unplaced_of[a].discard(e)
        unplaced_of[b].discard(e)
        if need[e]:
            cnt[s] += 1
            if cnt[s] >= T[s]:
                tm &= ~bit

    def take(e: int) -> int:
        nonlocal tm, placed
        a, b = ea[e], eb[e]
        s = slot_of[e]
        bit = 1 << s
        slot_of[e] = -1
        busy[a] &= ~bit
        busy[b] &= ~bit
        at[a][s] = -1
        at[b][s] = -1
        load[a] -= 1
        load[b] -= 1
        placed -= 1
        tcount[tier[e]] -= 1
        if need[e]:
            cnt[s] -= 1
            tm |= bit
        return s

    def fill(p: int, s: int) -> bool:
        """Person ``p`` just got slot ``s`` free: place one of their waiting meetings there."""
        if load[p] >= quota[p] or not unplaced_of[p]:
            return False
        bit = 1 << s
        for h in unplaced_of[p]:
            q = eb[h] if ea[h] == p else ea[h]
            if avail[q] & ~busy[q] & bit and load[q] < quota[q] and (tm & bit or not need[h]):
                put(h, s)
                return True
        return False

    def mover(g: int, s: int, extra: int) -> int:
        """A slot other than ``s`` where meeting ``g`` can go, or -1."""
        u, v = ea[g], eb[g]
        m = avail[u] & avail[v] & ~(busy[u] | busy[v]) & ~(1 << s)
        if need[g]:
            m &= tm if not extra else tm & ~extra
        if not m:
            return -1
        return (m & -m).bit_length() - 1

    def kempe(x: int, s1: int, s2: int, avoid: int, extra: int) -> bool:
        """Free ``x`` in slot ``s1`` by swapping slots ``s1`` and ``s2`` along the chain of
        meetings that starts with ``x``'s meeting in ``s1`` (a Kempe chain, as in Vizing's edge
        colouring proof). ``x`` must be free in ``s2``; the chain must not reach ``avoid``.
        ``extra`` tables are needed in ``s1`` afterwards."""
        chain: list[tuple[int, int]] = []
        frm, to = s1, s2
        delta = 0  # tables moved from s1 to s2
        while len(chain) < 60:
            g = at[x][frm]
            if g < 0:
                break
            if g in frozen:
                return False
            y = eb[g] if ea[g] == x else ea[g]
            if y == avoid or not (avail[x] & avail[y]) >> to & 1:
                return False
            chain.append((g, to))
            delta += need[g] if frm == s1 else -need[g]
            x = y
            frm, to = to, frm
        else:
            return False
        if cnt[s2] + delta > T[s2] or cnt[s1] - delta + extra > T[s1]:
            return False
        for g, _ in chain:
            take(g)
        for g, to in chain:
            put(g, to)
        return True

    def kick(e: int) -> bool:
        """Place ``e`` anyway, ejecting whoever blocks one of its slots (may cost one)."""
        a, b = ea[e], eb[e]
        if load[a] >= quota[a] and load[b] >= quota[b]:
            return False
        options = []
        for s in bits(avail[a] & avail[b]):
            blockers = [g for g in (at[a][s], at[b][s]) if g >= 0]
            if any(g in frozen or tier[g] < tier[e] for g in blockers):
                continue
            if any(load[p] >= quota[p] and at[p][s] < 0 for p in (a, b)):
                continue
            freed = sum(need[g] for g in blockers)
            if need[e] and cnt[s] - freed >= T[s]:
                continue
            options.append((s, blockers))
        if not options:
            return False
        s, blockers = options[rng.randrange(len(options))]
        for g in blockers:
            take(g)
            unplaced_of[ea[g]].add(g)
            unplaced_of[eb[g]].add(g)
            if tier[g] <= lim:
                queue.appendleft(g)
        put(e, s)
        tabu[e] = it + tenure
        return True

    best_score = score()
    best: list[int] | None = None
    idle = 0
    it = 0
    while queue:
        it += 1
        if it & 127 == 0 and time.perf_counter() > deadline:
            break
        if max_iterations is not None and it > max_iterations:
            break
        e = queue.popleft()
        if slot_of[e] >= 0:
            continue
        if idle > len(queue):
            # A whole pass without a move: stuck. Remember the best schedule, then kick.
            now = score()
            if now >= best_score:
                best_score = now
                best = list(slot_of)
            idle = 0
            if kick(e):
                continue
        a, b = ea[e], eb[e]
        if not (avail[a] & ~busy[a]) and not (avail[b] & ~busy[b]):
            # Both are busy in every slot they have: no move can place this meeting (each one
            # needs a free slot of a or b), so only a kick could. Skip it cheaply.
            queue.append(e)
            idle += 1
            continue
        C = avail[a] & avail[b]
        fa = avail[a] & ~busy[a] if load[a] < quota[a] else 0
        fb = avail[b] & ~busy[b] if load[b] < quota[b] else 0
        direct = C & fa & fb
        if need[e]:
            direct &= tm
        if direct:
            ss = bits(direct)
            put(e, ss[rng.randrange(len(ss))] if len(ss) > 1 else ss[0])
            tabu[e] = it + tenure
            if reached():
                break
            continue
        # Relocate the blockers of one slot, or remember where a single ejection would do.
        eject: list[tuple[int, int]] = []
        done = False
        te = tier[e]
        one_side = not (avail[a] & ~busy[a]) or not (avail[b] & ~busy[b])
        if one_side:
            # One of them is busy in every slot they have: their meetings cannot move, so the
            # only move left is to eject one where the other one is free.
            x, fx = (a, fb) if not (avail[a] & ~busy[a]) else (b, fa)
            for s in bits(C & fx):
                g = at[x][s]
                if g < 0 or g in frozen or tier[g] < te or tabu[g] >= it:
                    continue
                if need[e] and cnt[s] - need[g] >= T[s]:
                    continue
                eject.append((s, g))
        # Moving the blockers away keeps their meetings, so ``e`` adds one to both a's and b's
        # load even where a blocker was theirs: only an ejection leaves a full quota as it is.
        room = load[a] < quota[a] and load[b] < quota[b]
        for s in bits(0 if one_side else C):
            bit = 1 << s
            ga = at[a][s]
            gb = at[b][s]
            if (ga < 0 and not fa & bit) or (gb < 0 and not fb & bit):
                continue
            if (ga >= 0 and ga in frozen) or (gb >= 0 and gb in frozen):
                continue
            freed = (need[ga] if ga >= 0 else 0) + (need[gb] if gb >= 0 else 0)
            if need[e] and cnt[s] - freed >= T[s]:
                continue
            if gb < 0:
                g1, g2 = ga, -1
            elif ga < 0:
                g1, g2 = gb, -1
            else:
                g1, g2 = ga, gb
            u, v = ea[g1], eb[g1]
            m1 = avail[u] & avail[v] & ~(busy[u] | busy[v]) & ~bit
            if need[g1]:
                m1 &= tm
            s1 = (m1 & -m1).bit_length() - 1 if m1 else -1
            if g2 < 0:
                if s1 >= 0 and room:
                    take(g1)
                    put(e, s)
                    put(g1, s1)
                    tabu[e] = tabu[g1] = it + tenure
                    done = True
                    break
                if tier[g1] >= te and tabu[g1] < it:
                    eject.append((s, g1))
                continue
            if s1 < 0 or not room:
                continue
            s2 = mover(g2, s, (1 << s1) if need[g1] and cnt[s1] + 1 >= T[s1] else 0)
            if s2 < 0:
                continue
            take(g1)
            take(g2)
            put(e, s)
            put(g1, s1)
            put(g2, s2)
            tabu[e] = tabu[g1] = tabu[g2] = it + tenure
            done = True
            break
        if done:
            if reached():
                break
            continue
        if not eject:
            # Both have a free slot the other can use, but not the same one: swap two slots
            # along a Kempe chain so that they line up (one more meeting).
            ha = C & fa & ~fb
            hb = C & fb & ~fa
            if ha and hb and KEMPE:
                s1 = bits(ha)[0]
                s2 = bits(hb)[0]
                if kempe(b, s1, s2, a, need[e]):
                    put(e, s1)
                    tabu[e] = it + tenure
                    if reached():
                        break
                    continue
                if kempe(a, s2, s1, b, need[e]):
                    put(e, s2)
                    tabu[e] = it + tenure
                    if reached():
                        break
                    continue
            queue.append(e)
            idle += 1
            continue
        idle = 0
        s, g = eject[rng.randrange(len(eject))] if len(eject) > 1 else eject[0]
        take(g)
        put(e, s)
        tabu[e] = it + tenure
        u, v = ea[g], eb[g]
        unplaced_of[u].add(g)
        unplaced_of[v].add(g)
        # The partner of the ejected meeting who is not in ``e`` now has ``s`` free.
        c = v if u in (a, b) else u
        if fill(c, s):
            if reached():
                break
            if tier[g] <= lim:
                queue.append(g)
            continue
        # A meeting of a tier not being solved yet waits for its own phase.
        if tier[g] <= lim:
            queue.appendleft(g)
    if best is not None and best_score > score():
        slot_of[:] = best
    return slot_of
