"""Registry targets (issues 4 and 14), each beside a baseline measured in the same run.

1. The national performance account (national figures and every cluster's) over 200,000
   participations, on SQLite and PostgreSQL. Baseline: a plain one-pass Python computation over
   raw tuples fetched with the driver, computing every figure of the national and the cluster
   accounts (dated head counts included); the results must be equal. Target (issue 14): the
   query at most half the baseline's time.
   Both contenders' times include fetching from the database (the query's rows, the baseline's
   raw tuples), both are best of five, taken alternately in the same run.
1b. The whole ``klynge account`` command as a user runs it (a fresh process, default period,
   table output) on SQLite (target <= 0.6 s) and on PostgreSQL.
1c. Erasing one person among 100,000 contacts (``klynge person erase``'s work): target <= 1 s.
2. An import of 100,000 participation rows (target <= 10 s) and its peak Python memory
   (tracemalloc). Baseline: a row-by-row ORM importer, timed on a slice and extrapolated; for
   memory, reading the whole file into a list first, as a naive importer does.
3. The same rows from XLSX (no target), read by calamine (Rust): time, beside openpyxl's
   read-only mode reading the sheet alone; and peak memory of the whole process, since calamine
   allocates outside Python where tracemalloc cannot see. Peak RSS comes from
   ``getrusage`` in a fresh subprocess per import, beside the same process importing the CSV.

Usage: .venv/bin/python benchmarks/bench_registry.py [--participations 200000] [--no-postgres]
PostgreSQL comes from $KLYNGE_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from klynge.accounts import Period
from klynge.accounts.compute import Counts, Figures
from klynge.registry.model import KNOWLEDGE_KINDS
from klynge.storage import make_engine, upgrade
from klynge.storage.account_sql import account_figures, national_account
from klynge.storage.demo import generate
from klynge.storage.models import Activity, Organisation, Participation
from klynge.storage.transfer import import_table

PERIOD = Period(date(2021, 1, 1), date(2024, 12, 31))
PG_URL = os.environ.get(
    "KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def sql_account(engine: Engine) -> Any:
    with engine.connect() as conn:
        return national_account(conn, PERIOD)


def _raw(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return list(cur.fetchall())
    finally:
        conn.close()


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def plain_account(engine: Engine, period: Period = PERIOD) -> tuple[Figures, dict[str, Figures]]:
    """Every figure of the national and the per-cluster accounts, from raw tuples, in one pass
    over each table: the baseline the SQL must beat and agree with."""
    start, end = period.start, period.end
    orgs = {
        i: (kind, country, bool(synthetic), employees)
        for i, kind, country, synthetic, employees in _raw(
            engine, "SELECT id, kind, country, synthetic, employees FROM organisation"
        )
    }
    # The count valid in the period: latest on or before its end, else earliest after, else undated.
    best: dict[int, tuple[tuple[int, int], int]] = {}
    for org, employees, on in _raw(
        engine, "SELECT organisation_id, employees, counted_on FROM headcount"
    ):
        if on is None:
            rank = (2, 0)
        else:
            day = _day(on)
            rank = (0, -day.toordinal()) if day <= end else (1, day.toordinal())
        found = best.get(org)
        if found is None or rank < found[0]:
            best[org] = (rank, employees)
    size = {i: (e, r[0]) for i, (r, e) in best.items()}
    in_period: dict[int, str] = {}
    cluster_of: dict[int, str] = {}
    by: dict[str | None, Figures] = {}
    for aid, cluster, typ, a_start, a_end, funding, private, synthetic in _raw(
        engine,
        "SELECT id, cluster, type, start_date, end_date, funding_dkk, private_cofinancing_dkk, "
        "synthetic FROM activity",
    ):
        cluster_of[aid] = cluster
        if _day(a_start) <= end and _day(a_end) >= start:
            in_period[aid] = cluster
            for f in (by.setdefault(cluster, Figures()), by.setdefault(None, Figures())):
                f.activities[typ] = f.activities.get(typ, 0) + 1
                f.funding_dkk += int(funding)
                f.private_cofinancing_dkk += int(private)
                f.synthetic_activities += bool(synthetic)
    taking_part: dict[str | None, set[int]] = {}
    for org, aid in _raw(engine, "SELECT organisation_id, activity_id FROM participation"):
        cluster = in_period.get(aid)
        if cluster is not None:
            taking_part.setdefault(cluster, set()).add(org)
            taking_part.setdefault(None, set()).add(org)
    gained: dict[str | None, dict[str, set[int]]] = {}
    for org, aid, typ, reported in _raw(
        engine, "SELECT organisation_id, activity_id, type, reported_on FROM outcome"
    ):
        if start <= _day(reported) <= end and orgs[org][0] == "company":
            for key in (cluster_of[aid], None):
                gained.setdefault(key, {}).setdefault(typ, set()).add(org)

    def employees(i: int) -> int | None:
        return size[i][0] if i in size else orgs[i][3]

    for key, members in taking_part.items():
        f = by.setdefault(key, Figures())
        companies = [i for i in members if orgs[i][0] == "company"]
        sizes = [employees(i) for i in companies]
        f.companies = Counts(len(companies), sum(e is not None and e < 50 for e in sizes))
        f.companies_size_unknown = sum(e is None for e in sizes)
        f.companies_micro = sum(e is not None and e < 10 for e in sizes)
        f.companies_medium = sum(e is not None and 50 <= e < 250 for e in sizes)
        f.companies_foreign = sum(orgs[i][1] != "DK" for i in companies)
        f.headcount_after = sum(size.get(i, (0, 0))[1] == 1 for i in companies)
        f.headcount_undated = sum(size.get(i, (0, 0))[1] == 2 for i in companies)
        f.knowledge_institutions = sum(orgs[i][0] in KNOWLEDGE_KINDS for i in members)
        f.international = sum(orgs[i][1] != "DK" for i in members)
        f.organisations = len(members)
        f.synthetic_organisations = sum(orgs[i][2] for i in members)
    for key, types in gained.items():
        f = by.setdefault(key, Figures())
        for typ, ids in types.items():
            f.outcomes[typ] = Counts(
                len(ids), sum((e := employees(i)) is not None and e < 50 for i in ids)
            )
    national = by.pop(None, Figures())
    return national, {k: v for k, v in sorted(by.items(), key=lambda kv: str(kv[0])) if k}


def write_new_participations(engine: Engine, path: Path, n: int, seed: int = 7) -> None:
    """``n`` participation rows that the database does not hold yet."""
    with engine.connect() as conn:
        orgs = list(conn.execute(select(Organisation.id, Organisation.key)))
        acts = list(conn.execute(select(Activity.id, Activity.cluster, Activity.ref)))
        taken = set(conn.execute(select(Participation.organisation_id, Participation.activity_id)))
    rng = random.Random(seed)
    chosen: set[tuple[int, int]] = set()
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["organisation", "cluster", "activity", "role"])
        while len(chosen) < n:
            oid, key = rng.choice(orgs)
            aid, cluster, ref = rng.choice(acts)
            if (oid, aid) in taken or (oid, aid) in chosen:
                continue
            chosen.add((oid, aid))
            w.writerow([key, cluster, ref, "participant"])


def orm_row_by_row(engine: Engine, path: Path, limit: int) -> int:
    """Baseline importer: one ORM lookup per reference and one add per row."""
    n = 0
    with Session(engine) as s, path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if n >= limit:
                break
            org = s.execute(
                select(Organisation).where(Organisation.key == row["organisation"])
            ).scalar_one()
            act = s.execute(
                select(Activity).where(
                    Activity.cluster == row["cluster"], Activity.ref == row["activity"]
                )
            ).scalar_one()
            s.add(Participation(organisation_id=org.id, activity_id=act.id, role=row["role"]))
            s.flush()
            n += 1
        s.rollback()  # a measurement only: leave the database as it was
    return n


def write_xlsx_copy(csv_path: Path, xlsx_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("participations")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(xlsx_path)


def calamine_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(path) as wb:
        sheet = wb.get_sheet_by_name("participations")
    return sum(1 for _ in sheet.iter_rows())


def openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb["participations"].iter_rows(values_only=True))
    wb.close()
    return n


RSS_SCRIPT = """
import resource, sys
from klynge.storage import make_engine
from klynge.storage.transfer import import_table

def peak():
    try:  # the peak of this process image alone (Linux)
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

engine = make_engine(f"sqlite:///{sys.argv[1]}")
before = peak()
import_table(engine, "participations", sys.argv[2])
print(before, peak())
"""


def peak_rss(db: Path, path: Path) -> tuple[float, float]:
    """Peak RSS in MB of a fresh process before and after importing ``path`` into a copy of ``db``.

    The child reads its peak from /proc (VmHWM) where it can: on Linux ``getrusage``'s
    ``ru_maxrss`` survives fork and exec, so a child of this large benchmark process would report
    the benchmark's own peak. Elsewhere it falls back to ``ru_maxrss``.
    """
    target = db.with_name(f"rss-{path.suffix[1:]}.db")
    shutil.copy(db, target)
    out = subprocess.run(
        [sys.executable, "-c", RSS_SCRIPT, str(target), str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    target.unlink()
    before, after = (int(v) / 1024 for v in out[-2:])  # both in kilobytes on Linux
    return before, after


def traced_peak(db: Path, path: Path) -> int:
    """Peak Python memory of importing ``path`` into a copy of ``db`` (tracemalloc)."""
    target = db.with_name(f"traced-{path.suffix[1:]}.db")
    shutil.copy(db, target)
    engine = make_engine(f"sqlite:///{target}")
    tracemalloc.start()
    import_table(engine, "participations", path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    engine.dispose()
    target.unlink()
    return peak


def naive_peak(path: Path) -> int:
    tracemalloc.start()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del rows
    return peak


def bench_engine(label: str, engine: Engine, args: argparse.Namespace) -> dict[str, float]:
    upgrade(engine)
    t, r = timed(
        lambda: generate(
            engine,
            organisations=args.organisations,
            activities=args.activities,
            participations=args.participations,
            seed=1,
        )
    )
    print(
        f"[{label}] demo data: {r.participations:,} participations, "
        f"{r.outcomes:,} outcomes in {t:.1f} s"
    )
    with engine.begin() as conn:  # some head counts from other years, as real registries have
        conn.execute(
            text(
                "INSERT INTO headcount (organisation_id, employees, counted_on) "
                "SELECT organisation_id, employees + 7, '2021-06-30' FROM headcount "
                "WHERE organisation_id % 3 = 0 AND counted_on IS NOT NULL"
            )
        )
        conn.execute(
            text(
                "INSERT INTO headcount (organisation_id, employees, counted_on) "
                "SELECT organisation_id, employees + 70, '2025-06-30' FROM headcount "
                "WHERE organisation_id % 5 = 0 AND counted_on = '2023-12-31'"
            )
        )
        conn.execute(text("DELETE FROM headcount WHERE organisation_id % 10 = 1"))
    # Alternate the two, best of five each, so that the machine's load hits both alike.
    sql_times, plain_times = [], []
    for _ in range(5):
        t, (national, by) = timed(lambda: sql_account(engine))
        sql_times.append(t)
        t, (p_national, p_by) = timed(lambda: plain_account(engine))
        plain_times.append(t)
    assert national == p_national, "the SQL and the plain national accounts disagree"
    assert by == p_by, "the SQL and the plain cluster accounts disagree"
    with engine.connect() as conn:
        for slug in list(by)[:3]:
            assert account_figures(conn, PERIOD, slug) == by[slug], slug
    sql_t, plain_t = min(sql_times), min(plain_times)
    print(
        f"[{label}] national account (national + {len(by)} clusters' figures): {sql_t:.3f} s "
        f"| baseline plain one-pass Python over raw tuples: {plain_t:.3f} s "
        f"(query/baseline {sql_t / plain_t:.2f}; target <= 0.5) - equal results"
    )
    return {"account": sql_t, "account_plain": plain_t}


def bench_command(label: str, url: str) -> float:
    """``klynge account`` in a fresh process, as a user runs it (default period, table)."""
    exe = Path(sys.executable).with_name("klynge")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "klynge"]
    env = {**os.environ, "KLYNGE_DATABASE_URL": url, "COLUMNS": "120"}
    times, cpu = [], []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run([*cmd, "account"], env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        assert done.returncode == 0, done.stderr.decode()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - t0
    print(
        f"[{label}] the whole `klynge account` command (fresh process, default period, table): "
        f"{min(times):.3f} s best of 5 (median {sorted(times)[2]:.3f} s; target <= 0.6 s; "
        f"CPU time {min(cpu):.3f} s, which load does not stretch) | "
        f"baseline a bare `python -c pass`: {bare:.3f} s"
    )
    return min(times)


def bench_erasure(engine: Engine, contacts: int = 100_000) -> float:
    """Erase one person among ``contacts`` contacts, as `klynge person erase` does."""
    from klynge.storage.bulk import bulk_insert
    from klynge.storage.people import audit, erase_person

    with engine.begin() as conn:
        orgs = [i for (i,) in conn.execute(select(Organisation.id))]
        rows = [
            (orgs[n % len(orgs)], f"Person {n}", f"person{n}@example.com", None, None, "da",
             n % 2 == 0, n % 3 == 0, date(2023, 1, 1))
            for n in range(contacts)
        ]  # fmt: skip
        cols = ("organisation_id", "name", "email", "phone", "role", "language", "newsletter",
                "matchmaking", "last_active_on")  # fmt: skip
        bulk_insert(conn, "contact", cols, rows)
        conn.execute(
            text("UPDATE outcome SET text = 'Person 4242 fandt en partner' WHERE id % 50 = 0")
        )
        for n in range(2000):
            audit(conn, "bench", "read", f"person{n}@example.com", None)
    times = []
    for n in (4242, 4243, 4244):
        t0 = time.perf_counter()
        with engine.begin() as conn:
            removed, _, _ = erase_person(conn, f"person{n}@example.com")
            audit(conn, "bench", "erasure", None, "one person erased")
        times.append(time.perf_counter() - t0)
        assert removed == 1
    with engine.connect() as conn:
        left = conn.exec_driver_sql("SELECT COUNT(*) FROM contact").scalar_one()
    assert left == contacts - 3
    t0 = time.perf_counter()
    with engine.connect() as conn:  # baseline: reading every contact once
        list(conn.exec_driver_sql("SELECT * FROM contact"))
    scan = time.perf_counter() - t0
    print(
        f"[{engine.dialect.name}] erase one person among {contacts:,} contacts (contact rows, "
        f"free text, audit entries): {max(times):.3f} s worst of 3 (target <= 1 s) | baseline "
        f"reading every contact once: {scan:.3f} s"
    )
    return max(times)


def bench_import(label: str, engine: Engine, path: Path, rows: int, slice_rows: int) -> float:
    base_t, n = timed(lambda: orm_row_by_row(engine, path, slice_rows))
    t, report = timed(lambda: import_table(engine, "participations", path))
    assert report.inserted == rows, report
    est = base_t / n * rows
    print(
        f"[{label}] import {rows:,} participation rows: {t:.2f} s (target <= 10 s) | baseline "
        f"row-by-row ORM: {base_t:.2f} s for {n:,} rows, extrapolated {est:.0f} s for {rows:,}"
    )
    return t


def bench_files(work: Path, db: Path, csv_path: Path, args: argparse.Namespace) -> None:
    """Import of CSV and XLSX on SQLite, with peak memory."""
    sqlite = make_engine(f"sqlite:///{db}")
    write_new_participations(sqlite, csv_path, args.import_rows)
    sqlite.dispose()
    shutil.copy(db, work / "copy.db")  # the same starting point for the memory run
    sqlite = make_engine(f"sqlite:///{db}")
    bench_import("sqlite", sqlite, csv_path, args.import_rows, args.baseline_slice)
    sqlite.dispose()

    shutil.copy(work / "copy.db", work / "copy-xlsx.db")
    xlsx_path = work / "participations.xlsx"
    write_xlsx_copy(csv_path, xlsx_path)
    xl = make_engine(f"sqlite:///{work / 'copy-xlsx.db'}")
    t_xlsx, _ = timed(lambda: import_table(xl, "participations", xlsx_path))
    xl.dispose()
    t_calamine, _ = timed(lambda: calamine_read(xlsx_path))
    t_openpyxl, _ = timed(lambda: openpyxl_read(xlsx_path))
    print(
        f"[sqlite] import the same rows from XLSX (read by calamine): {t_xlsx:.2f} s, of which "
        f"reading the sheet alone takes {t_calamine:.2f} s | baseline just reading the sheet "
        f"with openpyxl read-only mode: {t_openpyxl:.2f} s"
    )

    peak = traced_peak(work / "copy.db", csv_path)
    size = csv_path.stat().st_size
    print(
        f"[sqlite] import peak Python memory (tracemalloc): {peak / 2**20:.1f} MB for a "
        f"{size / 2**20:.1f} MB file | baseline reading the file into a list first: "
        f"{naive_peak(csv_path) / 2**20:.1f} MB before any validation"
    )
    xlsx_peak = traced_peak(work / "copy.db", xlsx_path)
    print(
        f"[sqlite] XLSX import peak Python memory (tracemalloc, Python objects only): "
        f"{xlsx_peak / 2**20:.1f} MB for a {xlsx_path.stat().st_size / 2**20:.1f} MB file"
    )
    csv_base, csv_rss = peak_rss(work / "copy.db", csv_path)
    xlsx_base, xlsx_rss = peak_rss(work / "copy.db", xlsx_path)
    print(
        f"[sqlite] peak RSS of a fresh process importing XLSX: {xlsx_rss:.0f} MB "
        f"(+{xlsx_rss - xlsx_base:.0f} MB over {xlsx_base:.0f} MB before the import) | "
        f"baseline the same process importing the CSV: {csv_rss:.0f} MB "
        f"(+{csv_rss - csv_base:.0f} MB)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--organisations", type=int, default=20_000)
    ap.add_argument("--activities", type=int, default=2_000)
    ap.add_argument("--participations", type=int, default=200_000)
    ap.add_argument("--import-rows", type=int, default=100_000)
    ap.add_argument("--baseline-slice", type=int, default=3_000)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument(
        "--no-import", action="store_true", help="skip the import, XLSX and memory benchmarks"
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
    t_start = time.perf_counter()
    try:
        db = work / "registry.db"
        sqlite = make_engine(f"sqlite:///{db}")
        bench_engine("sqlite", sqlite, args)
        sqlite.dispose()
        bench_command("sqlite", f"sqlite:///{db}")
        shutil.copy(db, work / "erase.db")
        eraser = make_engine(f"sqlite:///{work / 'erase.db'}")
        bench_erasure(eraser)
        eraser.dispose()
        csv_path = work / "participations.csv"
        if not args.no_import:
            bench_files(work, db, csv_path, args)
        if not args.no_postgres:
            schema = f"klynge_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_URL)
            try:
                with admin.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            except Exception as exc:
                print(f"[postgresql] skipped: {exc}")
            else:
                pg = make_engine(PG_URL, schema=schema)
                try:
                    bench_engine("postgresql", pg, args)
                    sep = "&" if "?" in PG_URL else "?"
                    bench_command("postgresql", f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
                    bench_erasure(pg)
                    if not args.no_import:
                        bench_import(
                            "postgresql", pg, csv_path, args.import_rows, args.baseline_slice
                        )
                finally:
                    pg.dispose()
                    with admin.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                    admin.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"total benchmark time: {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
