"""Brokerage-event scheduling (issue 11): placed meetings against the proven bound, and time.

Runs on one core (thread variables set to 1 before NumPy and HiGHS load; the process is pinned
to one CPU) on events from the reference generator ``../shared/bench/schedule_events.py``
(imported from there at run time, never copied):

* the reference event, seeds 1-3: greedy first-come-first-served beside the scheduler (target
  at least 99.9% of the LP bound within 2 s) and the time of the bound itself (target 10 s);
* the hard event, seeds 1-3: target 99% of the LP bound in 10 s (stretch 99.5%);
* the reference event with priorities: a sixth of the requests must-meet and a sixth mutual
  (the reverse request added); every must-meet that can be placed must be placed;
* small events (60 people, 300 requests, 8 slots, 24 tables), 20 seeds of each kind: proven
  optimal within 30 s;
* re-scheduling after one withdrawal from the reference event: time (target 1 s), published
  meetings of others moved or dropped (target none), and whether the fill was proven optimal.

Timings are the best of ``--repeat`` runs for every contender (greedy, bound, re-scheduling);
the scheduler runs once per event with its time budget, since its figure is what it places.

    .venv/bin/python benchmarks/bench_schedule.py [--seeds 1 2 3] [--small 20] [--repeat 3]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from klynge.matchmaking.events import Event, parse_event, withdraw  # noqa: E402
from klynge.matchmaking.schedule import compile_event, schedule  # noqa: E402
from klynge.matchmaking.schedule_bound import degree_bound, lp_bound  # noqa: E402
from klynge.matchmaking.schedule_replan import reschedule  # noqa: E402
from klynge.matchmaking.schedule_search import check, greedy  # noqa: E402

GENERATOR = ROOT.parent / "shared" / "bench" / "schedule_events.py"


def generator() -> ModuleType:
    if not GENERATOR.exists():
        sys.exit(f"the reference generator is missing: {GENERATOR}")
    spec = importlib.util.spec_from_file_location("schedule_events", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def as_event(made: tuple[Any, ...]) -> Event:
    available, requests, slots, tables = made
    return parse_event(
        {
            "slots": slots,
            "tables": tables,
            "participants": [{"id": i, "available": a} for i, a in enumerate(available)],
            "requests": [list(p) for p in requests],
        }
    )


def best(fn: Any, repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    out = None
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def with_priorities(event: Event, seed: int) -> Event:
    """A sixth of the requests must-meet, a sixth mutual (the reverse request added)."""
    rng = random.Random(seed)
    requests = []
    for r in event.requests:
        x = rng.random()
        if x < 1 / 6:
            requests.append(r.model_copy(update={"priority": "must"}))
        else:
            requests.append(r)
            if x < 2 / 6:
                requests.append(r.model_copy(update={"sender": r.receiver, "receiver": r.sender}))
    return event.model_copy(update={"requests": requests})


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.2f}%" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--small", type=int, default=20, help="small events per kind")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--budget", type=float, default=1.8, help="search seconds, reference event")
    ap.add_argument("--hard-budget", type=float, default=9.5, help="search seconds, hard event")
    ap.add_argument("--small-tables", type=int, default=24, help="tables of the small events")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    gen = generator()
    rows: list[tuple[str, ...]] = []
    print(f"one core; load average {os.getloadavg()[0]:.1f} at start (other work on the machine)")

    for kind, budget in (("reference", args.budget), ("hard", args.hard_budget)):
        for seed in args.seeds:
            ev = as_event(getattr(gen, kind)(seed))
            pb = compile_event(ev).problem
            t_greedy, g = best(lambda pb=pb: greedy(pb), args.repeat)
            t_bound, bound = best(lambda pb=pb: lp_bound(pb), args.repeat)
            degree = degree_bound(pb, range(pb.m))
            t = time.perf_counter()
            res = schedule(ev, seconds=budget)
            t_sched = time.perf_counter() - t
            g_placed = sum(1 for s in g if s >= 0)
            assert res.bound == bound.value
            rows.append(
                (
                    f"{kind} {seed}",
                    str(bound.value),
                    str(degree),
                    f"{t_bound:.2f}s",
                    f"{g_placed} ({pct(g_placed, bound.value)}) {t_greedy * 1000:.0f}ms",
                    f"{res.placed} ({pct(res.placed, bound.value)}) {t_sched:.2f}s",
                )
            )
            print(" | ".join(rows[-1]), flush=True)

    print("\nwith priorities (1/6 must-meet, 1/6 mutual)")
    for seed in args.seeds:
        ev = with_priorities(as_event(gen.reference(seed)), seed)
        t = time.perf_counter()
        res = schedule(ev, seconds=args.budget)
        t_sched = time.perf_counter() - t
        c = compile_event(ev)
        order = list(range(c.problem.m))  # first come, first served, priorities ignored
        fcfs = greedy(c.problem, order)
        fcfs_must = sum(1 for e, s in enumerate(fcfs) if s >= 0 and c.problem.tier[e] == 0)
        tiers = {t.tier: t for t in res.tiers}
        must, mutual = tiers["must-meet"], tiers["mutual"]
        line = (
            f"reference {seed}: must-meet {must.placed}/{must.bound} (FCFS {fcfs_must}), "
            f"mutual {mutual.placed}/{mutual.bound}, all {res.placed}/{res.bound} "
            f"({pct(res.placed, res.bound)}; given the tiers at most {res.bound_given_tiers}, "
            f"{pct(res.placed, res.bound_given_tiers or 0)}), {t_sched:.2f}s, "
            f"every placeable must-meet placed: {must.placed == must.bound}"
        )
        print(line, flush=True)

    print(
        f"\nsmall events (60 people, 300 requests, 8 slots, {args.small_tables} tables), "
        f"{args.small} seeds each"
    )
    for kind in ("reference", "hard"):
        proven = 0
        times = []
        by_search = 0
        greedy_share = []
        for seed in range(1, args.small + 1):
            made = getattr(gen, kind)(
                seed, people=60, requests=300, slots=8, tables=args.small_tables
            )
            ev = as_event(made)
            t = time.perf_counter()
            res = schedule(ev, seconds=4.0, exact_seconds=25.0)
            times.append(time.perf_counter() - t)
            proven += res.optimal
            by_search += "MIP" not in res.method
            if res.greedy_placed is not None:
                greedy_share.append(res.greedy_placed / max(res.bound, 1))
            if not res.optimal:
                print(f"  {kind} {seed}: {res.placed} of at most {res.bound}, not proven")
        print(
            f"{kind}: proven optimal {proven}/{args.small}, "
            f"time {min(times):.2f}-{max(times):.2f}s "
            f"(median {sorted(times)[len(times) // 2]:.2f}s); {by_search} proven by the search "
            f"reaching the bound, the rest by HiGHS branch and bound; greedy at "
            f"{100 * sum(greedy_share) / len(greedy_share):.1f}% of the optimum on average",
            flush=True,
        )

    print("\nre-scheduling after one withdrawal (the busiest participant)")
    for seed in args.seeds:
        ev = as_event(gen.reference(seed))
        res = schedule(ev, seconds=args.budget)
        busiest = Counter(p for m in res.meetings for p in (m.a, m.b)).most_common(1)[0][0]
        changed = withdraw(ev, busiest)
        waiting = [(p.a, p.b) for p in res.standby]
        t_re, rp = best(
            lambda e=changed, r=res, w=waiting: reschedule(e, r.meetings, waiting=w), args.repeat
        )
        others_moved = [m for m in rp.moved if busiest not in (m.a, m.b)]
        others_dropped = [d for d in rp.dropped if busiest not in (d.a, d.b)]
        c = compile_event(changed)
        index = {c.key(e): e for e in range(c.problem.m)}
        slot_of = [-1] * c.problem.m
        for m in rp.schedule.meetings:
            slot_of[index[m.a, m.b]] = m.slot
        print(
            f"reference {seed}: {t_re:.3f}s, withdrew {busiest} ({len(rp.dropped)} meetings), "
            f"others moved {len(others_moved)}, others dropped {len(others_dropped)}, added "
            f"from standby {len(rp.added)}, fill proven optimal {rp.fill_optimal}, valid "
            f"{not check(c.problem, slot_of)}",
            flush=True,
        )

    print("\nevent | LP bound | degree bound | bound time | greedy FCFS | scheduler")
    for r in rows:
        print(" | ".join(r))


if __name__ == "__main__":
    main()
