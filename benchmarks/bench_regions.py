"""Benchmark: regional specialisation on 1,500 regions × 615 NACE classes × 20 years.

Two parts, each printed with its baselines, all measured in this one run (issue 13):

1. **The real path.** The input is written once as a long Parquet file (18.45 million cells,
   NUTS-3-shaped region codes, the 615 NACE classes, ~2 % of the cells null, as Eurostat's ':').
   ``klynge regions nodes FILE --reference sum`` runs as a child process (read → checks → cube →
   nodes of the latest year → table), and so does a plain Polars pipeline (read, region and
   activity sums, LQ, nodes of the latest year). Each is timed by wall clock, best of N, the two
   interleaved, and its peak memory read from the kernel's account of that child
   (``os.wait4`` → ``ru_maxrss``). Targets: klynge within 2× of the Polars pipeline, at most
   1.5 GB. Both must find the same nodes: the same number and the same top 5 in every region
   (the run stops if they differ).
2. **The kernel** (LQ, node flags and each region's top 5, all 20 years, in memory). Every
   contender runs on the same float32 input, best of N, interleaved: klynge's kernel, an
   ordinary float32 NumPy version with ``argpartition`` (the honest baseline), and the naive
   float64 version with a full ``argsort``. ``ecomplexity`` is an outside reference only: it is a
   pipeline that also computes complexity measures (ECI, PCI, density, opportunity gain), run on
   one year and multiplied by the number of years.

Run: .venv/bin/python benchmarks/bench_regions.py [--quick] [--repeat N] [--no-ecomplexity]
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from klynge.regions.lq import kernel
from klynge.regions.nace import entries, section_of

SPEC, REL, TOP = 1.5, 0.01, 5

# The plain Polars pipeline the issue measured: read, region and activity sums, LQ, nodes for
# the latest year, each region's top 5. It prints each region's number of nodes and top 5, so
# that the benchmark can check that klynge found the same nodes.
PLAIN_POLARS = """
import sys
import polars as pl
df = pl.read_parquet(sys.argv[1])
d = df.filter(pl.col("year") == df["year"].max())
reg = d.group_by("region").agg(pl.col("value").sum().alias("X_r"))
act = d.group_by("activity").agg(pl.col("value").sum().alias("E_a"))
E = act["E_a"].sum()
lq = (
    d.join(reg, on="region")
    .join(act, on="activity")
    .with_columns(share=pl.col("value") / pl.col("X_r"))
    .with_columns(lq=pl.col("share") / (pl.col("E_a") / E))
)
nodes = lq.filter((pl.col("lq") > 1.5) & (pl.col("share") >= 0.01))
top = nodes.sort("lq", descending=True).group_by("region").head(5)
counts = dict(nodes.group_by("region").len().iter_rows())
for region, acts in (
    top.sort(["region", "lq"], descending=[False, True])
    .group_by("region", maintain_order=True)
    .agg("activity")
    .iter_rows()
):
    print(region, counts[region], *acts)
"""


def synthetic(
    regions: int, activities: int, years: int, seed: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """Heavy-tailed employment (lognormal region and activity sizes) with ~2 % missing cells."""
    rng = np.random.default_rng(seed)
    size_r = rng.lognormal(10.0, 1.2, regions).astype(np.float32)
    size_a = rng.pareto(1.3, activities).astype(np.float32) + 0.05
    base = size_r[:, None] * size_a[None, :] / size_a.sum()
    data = np.empty((years, regions, activities), dtype=np.float32)
    for y in range(years):
        noise = rng.lognormal(0.0, 0.8, (regions, activities)).astype(np.float32)
        np.multiply(base, noise, out=data[y])
        np.floor(data[y], out=data[y])
    missing = rng.random((years, regions, activities), dtype=np.float32) < 0.02
    data[missing] = 0.0
    return data, missing


def region_codes(n: int) -> list[str]:
    """NUTS-3-shaped codes (one level, no code the start of another) across 26 countries."""
    countries = "AT BE BG CZ DE DK EE EL ES FI FR HR HU IE IT LT LV NL PL PT RO SE SI SK NO CH"
    cc = countries.split(" ")
    return sorted(f"{cc[i % len(cc)]}{(i // len(cc)) % 100:02d}{i % 7 + 1}" for i in range(n))


def class_codes(n: int) -> list[str]:
    """The first ``n`` NACE Rev. 2 classes in Eurostat's notation (C1011); 615 is all of them."""
    classes = [c for c, e in entries().items() if e.level == "class"]
    return sorted(f"{section_of(c)}{c.replace('.', '')}" for c in classes[:n])


def write_parquet(x: np.ndarray, missing: np.ndarray, path: Path) -> int:
    """The cube as a long Parquet file: one row a cell, null where missing, sorted by year,
    region and activity (as Eurostat's and klynge's own long files are)."""
    _, r, a = x.shape
    regions, acts = region_codes(r), class_codes(a)
    idx = np.arange(x.size)
    df = pl.DataFrame(
        {
            "region": pl.Series(((idx // a) % r).astype(np.uint32))
            .cat.to(pl.Enum(regions))
            .cast(pl.Utf8),
            "activity": pl.Series((idx % a).astype(np.uint32)).cat.to(pl.Enum(acts)).cast(pl.Utf8),
            "year": (2000 + idx // (a * r)).astype(np.int32),
            "value": pl.Series(np.where(missing.reshape(-1), np.nan, x.reshape(-1))).fill_nan(None),
        }
    )
    df.write_parquet(path)
    return path.stat().st_size


def run_measured(cmd: list[str]) -> tuple[float, float, float, str]:
    """Run a child: wall time, CPU time (user + system, all its threads) and peak RSS from
    wait4, which reports that child's own rusage, and its output."""
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{err.read()}")
        cpu = usage.ru_utime + usage.ru_stime
        return wall, cpu, usage.ru_maxrss / 1024, out.read()


def klynge_nodes(text: str) -> dict[str, tuple[int, list[str]]]:
    """Each region with nodes: their number and the top 5 codes, from the CSV of ``regions
    nodes`` (the factsheet's layout: region, number of nodes, node 1 … 5 as 'code - title')."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = {}
    for r in rows[1:]:
        if r and r[1].isdigit() and int(r[1]) > 0:
            codes = [c.partition(" - ")[0] for c in r[2:7] if c and c != "-"]
            out[r[0].partition(":")[0]] = (int(r[1]), codes)
    return out


def polars_nodes(text: str) -> dict[str, tuple[int, list[str]]]:
    """The same from the Polars pipeline's lines: region, number of nodes, top 5 codes."""
    out = {}
    for line in text.splitlines():
        region, count, *codes = line.split()
        out[region] = (int(count), codes)
    return out


# -- the kernel contenders ----------------------------------------------------------------------
def klynge_kernel(x: np.ndarray, missing: np.ndarray) -> tuple[Any, Any, Any]:
    ref = x.sum(axis=1)  # the regions' own total as reference, as in the baselines
    k = kernel(x, missing, ref, spec=SPEC, rel=REL, top_n=TOP)
    return k.lq, k.nodes, k.top


def numpy_f32(x: np.ndarray, missing: np.ndarray) -> tuple[Any, Any, Any]:
    """The honest baseline: ordinary NumPy in float32, NaN for missing, argpartition for top N."""
    v = np.where(missing, np.float32(np.nan), x)
    region_tot = np.nansum(v, axis=2, keepdims=True)
    act_tot = np.nansum(v, axis=1, keepdims=True)
    total = act_tot.sum(axis=2, keepdims=True)
    share = v / region_tot
    lq = share / (act_tot / total)
    nodes = (lq > SPEC) & (share >= REL)
    score = np.where(nodes, lq, -np.inf)
    part = np.argpartition(-score, TOP, axis=2)[:, :, :TOP]
    vals = np.take_along_axis(score, part, axis=2)
    order = np.argsort(-vals, axis=2, kind="stable")
    top = np.take_along_axis(part, order, axis=2)
    top = np.where(np.take_along_axis(vals, order, axis=2) > -np.inf, top, -1)
    return lq, nodes, top


def naive_f64(x: np.ndarray, missing: np.ndarray) -> tuple[Any, Any, Any]:
    """The version written first: float64, NaN arrays, a chain of divisions, a full argsort."""
    v = np.where(missing, np.nan, x.astype(np.float64))
    region_tot = np.nansum(v, axis=2, keepdims=True)
    act_tot = np.nansum(v, axis=1, keepdims=True)
    total = np.nansum(v, axis=(1, 2), keepdims=True)
    share = v / region_tot
    lq = share / (act_tot / total)
    nodes = (lq > SPEC) & (share >= REL)
    score = np.where(nodes, lq, -np.inf)
    top = np.argsort(-score, axis=2, kind="stable")[:, :, :TOP]
    top = np.where(np.take_along_axis(score, top, axis=2) > -np.inf, top, -1)
    return lq, nodes, top


def interleaved(
    contenders: dict[str, Callable[[], Any]], repeat: int
) -> tuple[dict[str, float], dict[str, Any]]:
    """Best of ``repeat`` for each, the contenders taking turns in every round."""
    best = {name: float("inf") for name in contenders}
    last: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in contenders.items():
            last.pop(name, None)
            gc.collect()
            t = time.perf_counter()
            out = fn()
            best[name] = min(best[name], time.perf_counter() - t)
            last[name] = out
    return best, last


def ecomplexity_one_year(x: np.ndarray) -> float:
    import pandas as pd
    from ecomplexity import ecomplexity

    r, a = x.shape
    df = pd.DataFrame(
        {
            "year": np.full(r * a, 2000),
            "region": np.repeat(np.arange(r), a),
            "activity": np.tile(np.arange(a), r),
            "employment": x.ravel().astype(np.float64),
        }
    )
    cols = {"time": "year", "loc": "region", "prod": "activity", "val": "employment"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        # The log-supermodularity check is switched off: it is extra work the LQ does not need.
        ecomplexity(df, cols, verbose=False, check_logsupermodularity=False)
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="A small run to check the script.")
    ap.add_argument("--repeat", type=int, default=3, help="Best of N for every contender.")
    ap.add_argument("--no-ecomplexity", action="store_true", help="Skip the outside reference.")
    ap.add_argument("--write", type=Path, help=argparse.SUPPRESS)  # the input, by a child
    args = ap.parse_args()
    r, a, y = (150, 615, 4) if args.quick else (1500, 615, 20)
    n = args.repeat
    if args.write is not None:
        write_parquet(*synthetic(r, a, y), args.write)
        return
    print(f"input: {r:,} regions × {a} NACE classes × {y} years = {r * a * y:,} cells")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")

    # -- 1. the real path, file to answer, as child processes ---------------------------------
    # The file is written by a child, and this part runs before the kernel's arrays exist, so
    # that no child starts as a copy of a large parent (a fork's pages count in its peak RSS).
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "employment.parquet"
        quick = ["--quick"] if args.quick else []
        subprocess.run([sys.executable, __file__, *quick, "--write", str(path)], check=True)
        size = path.stat().st_size
        print(
            f"\n1. End to end on a long Parquet file ({size / 2**20:.0f} MB), best of {n}, "
            "interleaved, each a child process:"
        )
        klynge = Path(sys.executable).with_name("klynge")
        cmds = {
            "klynge regions nodes": [
                str(klynge),
                "regions",
                "nodes",
                str(path),
                "--reference",
                "sum",
                "--format",
                "csv",
            ],
            "plain Polars pipeline": [sys.executable, "-c", PLAIN_POLARS, str(path)],
        }
        walls: dict[str, list[float]] = {k: [] for k in cmds}
        cpus: dict[str, list[float]] = {k: [] for k in cmds}
        rss: dict[str, float] = dict.fromkeys(cmds, 0.0)
        outs: dict[str, str] = {}
        for _ in range(n):
            for name, cmd in cmds.items():
                wall, cpu, peak, out = run_measured(cmd)
                walls[name].append(wall)
                cpus[name].append(cpu)
                rss[name] = max(rss[name], peak)
                outs[name] = out
        k_found = klynge_nodes(outs["klynge regions nodes"])
        p_found = polars_nodes(outs["plain Polars pipeline"])
        k_nodes = sum(n for n, _ in k_found.values())
        p_nodes = sum(n for n, _ in p_found.values())
        kb, pb = min(walls["klynge regions nodes"]), min(walls["plain Polars pipeline"])
        for name in cmds:
            runs = ", ".join(f"{w:.2f}" for w in walls[name])
            print(
                f"  {name:<24} best {min(walls[name]):.2f} s wall (runs: {runs}), "
                f"{min(cpus[name]):.2f} s CPU; peak RSS {rss[name]:,.0f} MB"
            )
        kc, pc = min(cpus["klynge regions nodes"]), min(cpus["plain Polars pipeline"])
        print(
            f"  klynge / Polars: {kb / pb:.2f}× wall [target ≤ 2×], {kc / pc:.2f}× CPU; klynge "
            f"peak RSS {rss['klynge regions nodes']:,.0f} MB [target ≤ 1,536 MB]"
        )
        start = [str(klynge), "--help"]
        runs = [run_measured(start) for _ in range(n)]
        print(
            f"  of which start-up: `klynge --help` takes {min(r[0] for r in runs):.2f} s wall, "
            f"{min(r[1] for r in runs):.2f} s CPU (the CLI's imports; the Polars script imports "
            "only polars)"
        )
        same = k_found == p_found
        print(
            f"  nodes in the latest year: klynge {k_nodes:,}, Polars {p_nodes:,}; the same "
            f"number and top {TOP} in each of the {len(p_found):,} regions with nodes: {same}"
        )
        assert same, "klynge and the Polars pipeline found different nodes"
    x, missing = synthetic(r, a, y)

    # -- 2. the kernel, in memory, same dtype --------------------------------------------------
    print(
        f"\n2. Kernel (LQ + node flags + top {TOP}, all {y} years, in memory), float32 input, "
        f"best of {n}, interleaved:"
    )
    klynge_kernel(x[:1, :10], missing[:1, :10])  # warm-up
    best, last = interleaved(
        {
            "klynge kernel": lambda: klynge_kernel(x, missing),
            "NumPy float32 + argpartition": lambda: numpy_f32(x, missing),
            "naive NumPy float64 + argsort": lambda: naive_f64(x, missing),
        },
        n,
    )
    kt = best["klynge kernel"]
    for name, t in best.items():
        ratio = "" if name == "klynge kernel" else f" ({t / kt:.1f}× klynge)"
        print(f"  {name:<32} {t * 1000:7.0f} ms{ratio}")
    lq_k, nodes_k, top_k = last["klynge kernel"]
    lq_b, nodes_b, top_b = last["NumPy float32 + argpartition"]
    close = np.allclose(lq_k, lq_b, rtol=1e-4, equal_nan=True)
    differ = nodes_k != nodes_b
    same_top = np.array_equal(top_k[~differ.any(axis=2)], top_b[~differ.any(axis=2)])
    print(
        f"  agreement with the float32 baseline: LQ within 1e-4: {close}; nodes differ in "
        f"{int(differ.sum())} of {int(nodes_b.sum()):,} cells (at a threshold, float32 "
        f"rounding); same top {TOP} elsewhere: {same_top}"
    )
    del last, lq_k, nodes_k, top_k, lq_b, nodes_b, top_b, differ
    gc.collect()

    if not args.no_ecomplexity:
        t_eco = ecomplexity_one_year(x[0])
        print(
            f"  outside reference, ecomplexity (a pipeline that also computes complexity "
            f"measures: ECI, PCI, density, COI, COG): {t_eco:.2f} s for ONE year, "
            f"×{y} = {t_eco * y:.1f} s"
        )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
