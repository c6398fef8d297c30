"""Proven upper bounds and exact solutions, with HiGHS (through ``highspy``).

**The b-matching bound.** Relax "each meeting gets a slot" to "each meeting is chosen or not"
with one variable ``x_e ∈ [0, 1]`` per meeting and keep only what every schedule must satisfy:

* each person meets at most ``b_p`` partners, where ``b_p`` is the smallest of their quota and
  the number of slots in which they *and at least one of their partners* are available;
* all meetings together fit in ``Σ_s ⌊n_s / 2⌋`` (``n_s`` people who can meet in slot ``s``), and
  those at shared tables in ``Σ_s min(tables_s, ⌊n'_s / 2⌋)``.

It is a linear programme with one row per person, solved by HiGHS' interior point method without
crossover (about 0.1 s for 10,000 requests). Its optimum can be fractional and the interior point
answer is only accurate to a tolerance, so we do **not** trust the primal value: from the solver's
row duals ``y ≥ 0`` we compute the Lagrangian bound ``Σ b_p y_p + Σ cap_r y_r + Σ_e max(0, 1 −
Σ_{rows ∋ e} y)`` ourselves. Weak duality makes that a valid upper bound for *any* ``y ≥ 0``,
whatever the solver's accuracy, and the number of meetings is an integer, so its floor is
reported.

**The exact model** for small events is time-indexed, like the MIP encoding of Bofill et al.
(JAIR 74, 2022): a binary ``x_{e,s}`` for each meeting and common slot, one meeting per person
per slot, tables per slot, quotas. HiGHS' branch and bound starts from the local search's schedule
(``setSolution``), so it only has to prove it or find better; priority tiers become weights
large enough to be lexicographic.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from klynge.matchmaking.schedule_search import Problem, bits

_banner_done = False


def _highs() -> Any:
    """A silent HiGHS instance on one thread (the first one prints a banner on stdout: hide it)."""
    global _banner_done
    import highspy

    if not _banner_done:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_done = True
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


@dataclass
class Bound:
    """An upper bound on the number of meetings and how it was proven."""

    value: int
    method: str
    lp_value: float | None = None


def capacities(pb: Problem, meetings: Sequence[int]) -> tuple[list[int], int, int]:
    """Per-person ``b_p`` and the two slot caps (all meetings, table meetings)."""
    reach = [0] * pb.n
    deg = [0] * pb.n
    for e in meetings:
        a, b = pb.ea[e], pb.eb[e]
        c = pb.avail[a] & pb.avail[b]
        if c:
            reach[a] |= c
            reach[b] |= c
            deg[a] += 1
            deg[b] += 1
    b_p = [min(pb.quota[p], deg[p], reach[p].bit_count()) for p in range(pb.n)]
    n_s = [0] * pb.slots
    nt_s = [0] * pb.slots
    table_people = [0] * pb.n
    for e in meetings:
        if pb.need[e]:
            c = pb.common(e)
            table_people[pb.ea[e]] |= c
            table_people[pb.eb[e]] |= c
    for p in range(pb.n):
        if b_p[p]:
            for s in bits(reach[p]):
                n_s[s] += 1
            for s in bits(table_people[p]):
                nt_s[s] += 1
    cap_all = sum(k // 2 for k in n_s)
    cap_tab = sum(min(pb.tables[s], nt_s[s] // 2) for s in range(pb.slots))
    return b_p, cap_all, cap_tab


def degree_bound(pb: Problem, meetings: Sequence[int]) -> int:
    """The loose bound: half the sum of ``b_p``, capped by the slots (for comparison only)."""
    b_p, cap_all, _ = capacities(pb, meetings)
    return min(sum(b_p) // 2, cap_all)


def lp_bound(
    pb: Problem,
    meetings: Sequence[int] | None = None,
    *,
    integral: float = 0.0,
    at_least: Sequence[tuple[Sequence[int], int]] = (),
) -> Bound:
    """The b-matching LP bound on how many of ``meetings`` (default: all) can be placed.

    ``at_least`` adds rows "at least k of these meetings": with the tier counts of a schedule it
    bounds the schedules that are at least as good in the higher tiers.

    With ``integral`` > 0 the b-matching is solved as an integer programme for at most that many
    seconds (small events): it sees parity, which the LP does not, and is still a valid bound
    because every schedule's meetings form such a b-matching.
    """
    import highspy
    import numpy as np

    chosen = [e for e in (range(pb.m) if meetings is None else meetings) if pb.common(e)]
    if not chosen:
        return Bound(0, "b-matching LP (HiGHS interior point)", 0.0)
    b_p, cap_all, cap_tab = capacities(pb, chosen)
    k = len(chosen)
    ea = np.fromiter((pb.ea[e] for e in chosen), dtype=np.int64, count=k)
    eb = np.fromiter((pb.eb[e] for e in chosen), dtype=np.int64, count=k)
    need = np.fromiter((pb.need[e] for e in chosen), dtype=np.int64, count=k)
    n = pb.n
    # Column j has a 1 in rows ea[j], eb[j], the all-meetings row n and, if it needs a table,
    # the table row n + 1.
    counts = 3 + need
    starts = np.zeros(k + 1, dtype=np.int32)
    np.cumsum(counts, out=starts[1:])
    index = np.empty(int(starts[-1]), dtype=np.int32)
    index[starts[:-1]] = ea
    index[starts[:-1] + 1] = eb
    index[starts[:-1] + 2] = n
    index[starts[:-1][need == 1] + 3] = n + 1
    lp = highspy.HighsLp()
    lp.num_col_ = k
    lp.num_row_ = n + 2
    lp.col_cost_ = np.full(k, -1.0)
    lp.col_lower_ = np.zeros(k)
    lp.col_upper_ = np.ones(k)
    rhs = np.array([*b_p, cap_all, cap_tab], dtype=float)
    lp.row_lower_ = np.full(n + 2, -highspy.kHighsInf)
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(len(index))
    h = _highs()
    if integral > 0:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * k
        h.setOptionValue("time_limit", float(integral))
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)
        h.passModel(lp)
        h.run()
        ip = int(np.floor(-float(h.getInfo().mip_dual_bound) + 1e-6))
        return Bound(min(ip, degree_bound(pb, chosen)), "b-matching integer programme (HiGHS)")
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.setOptionValue("presolve", "off")
    h.passModel(lp)
    column = {e: j for j, e in enumerate(chosen)}
    extra = []
    for members, count in at_least:
        cols = np.array([column[e] for e in members if e in column], dtype=np.int32)
        extra.append((cols, float(count)))
        h.addRow(float(count), highspy.kHighsInf, len(cols), cols, np.ones(len(cols)))
    h.run()
    sol = h.getSolution()
    y = np.abs(np.asarray(sol.row_dual, dtype=float)) if sol.dual_valid else None
    if y is None or len(y) != n + 2 + len(extra):
        return Bound(degree_bound(pb, chosen), "degree (the LP did not solve)")
    # Weak duality with our own arithmetic: valid for any y >= 0, however accurate y is. An
    # "at least" row enters with the opposite sign.
    reduced = 1.0 - y[ea] - y[eb] - y[n] - need * y[n + 1]
    value = float(rhs @ y[: n + 2])
    for r, (cols, least) in enumerate(extra):
        z = y[n + 2 + r]
        reduced[cols] += z
        value -= z * least
    value += float(np.clip(reduced, 0.0, None).sum())
    primal = -float(h.getInfo().objective_function_value)
    proven = min(int(np.floor(value + 1e-7)), degree_bound(pb, chosen))
    return Bound(proven, "b-matching LP (HiGHS interior point, dual-certified)", primal)


@dataclass
class Exact:
    slot_of: list[int]
    optimal: bool
    bound: int | None
    seconds: float


def exact(
    pb: Problem,
    start: Sequence[int],
    *,
    seconds: float = 30.0,
    weights: Sequence[int] | None = None,
) -> Exact:
    """Solve the time-indexed MIP with HiGHS from the schedule ``start`` (small events only).

    ``weights`` per meeting (default 1) make priority tiers lexicographic when large enough. The
    returned ``bound`` is the proven maximum number of meetings when every weight is 1.
    """
    import time

    import highspy
    import numpy as np

    t0 = time.perf_counter()
    cols: list[tuple[int, int]] = []
    for e in range(pb.m):
        if e in pb.locked:
            cols.append((e, pb.locked[e]))
        else:
            cols.extend((e, s) for s in bits(pb.common(e)))
    k = len(cols)
    if k == 0:
        return Exact(list(start), True, 0, 0.0)
    S = pb.slots
    n = pb.n
    row_index: list[list[int]] = []
    for e, s in cols:
        r = [pb.ea[e] * S + s, pb.eb[e] * S + s]
        if pb.need[e]:
            r.append(n * S + s)
        r.append(n * S + S + pb.ea[e])
        r.append(n * S + S + pb.eb[e])
        row_index.append(r)
    # Rows: person-slot (n*S), tables per slot (S), meetings per person (n, at most b_p), and
    # per slot at most floor(n_s / 2) meetings, n_s the people who can meet in it: a parity cut
    # the LP relaxation misses when n_s is odd. It made HiGHS' proofs much faster (small
    # reference event 18 with 400 tables: 1.3 s against no proof in 90 s); a global cut
    # sum x <= floor(sum b_p / 2) on top of it made them slower, so it is left out.
    b_p, _, _ = capacities(pb, range(pb.m))
    reach = [0] * n
    for e, s in cols:
        reach[pb.ea[e]] |= 1 << s
        reach[pb.eb[e]] |= 1 << s
    people_in = [0] * S
    for p in range(n):
        for s in bits(reach[p]):
            people_in[s] += 1
    for j, (_, s) in enumerate(cols):
        row_index[j].append(n * S + S + n + s)
    starts = np.zeros(k + 1, dtype=np.int32)
    np.cumsum([len(r) for r in row_index], out=starts[1:])
    index = np.fromiter((i for r in row_index for i in r), dtype=np.int32)
    num_row = n * S + S + n + S
    upper = np.ones(num_row)
    upper[n * S : n * S + S] = pb.tables
    upper[n * S + S : n * S + S + n] = b_p
    upper[n * S + S + n :] = [c // 2 for c in people_in]
    w = [1] * pb.m if weights is None else list(weights)
    lp = highspy.HighsLp()
    lp.num_col_ = k
    lp.num_row_ = num_row
    lp.col_cost_ = np.array([-float(w[e]) for e, _ in cols])
    lp.col_lower_ = np.array([1.0 if e in pb.locked else 0.0 for e, _ in cols])
    lp.col_upper_ = np.ones(k)
    lp.row_lower_ = np.full(num_row, -highspy.kHighsInf)
    lp.row_upper_ = upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(len(index))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * k
    # One variable per meeting besides: sum_s x_{e,s} <= 1 is a row too.
    h = _highs()
    h.setOptionValue("time_limit", float(seconds))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)
    h.passModel(lp)
    per_meeting: dict[int, list[int]] = {}
    for j, (e, _) in enumerate(cols):
        per_meeting.setdefault(e, []).append(j)
    for js in per_meeting.values():
        if len(js) > 1:
            h.addRow(
                -highspy.kHighsInf, 1.0, len(js), np.array(js, dtype=np.int32), np.ones(len(js))
            )
    where = {c: j for j, c in enumerate(cols)}
    seed = np.zeros(k)
    for e, s in enumerate(start):
        if s >= 0 and (e, s) in where:
            seed[where[e, s]] = 1.0
    sol = highspy.HighsSolution()
    sol.col_value = list(seed)
    sol.value_valid = True
    h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    out = list(start)
    value = h.getSolution().col_value
    if info.primal_solution_status == 2:  # feasible
        out = [-1] * pb.m
        for j, (e, s) in enumerate(cols):
            if value[j] > 0.5:
                out[e] = s
        if sum(w[e] for e, s in enumerate(out) if s >= 0) < sum(
            w[e] for e, s in enumerate(start) if s >= 0
        ):
            out = list(start)
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = None
    if weights is None:
        bound = int(np.floor(-float(info.mip_dual_bound) + 1e-6))
    return Exact(out, optimal, bound, time.perf_counter() - t0)
