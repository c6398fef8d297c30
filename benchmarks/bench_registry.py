"""Registry targets (issue 4), each beside a baseline measured in the same run.

1. The national performance account over 200,000 participations, on SQLite and PostgreSQL
   (target <= 1 s). Baseline: loading the same rows as ORM objects and counting in Python.
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
from sqlalchemy.orm import Session, joinedload

from klynge.accounts import (
    ActivityRow,
    OrgRow,
    OutcomeRow,
    ParticipationRow,
    Period,
    compute,
)
from klynge.storage import make_engine, upgrade
from klynge.storage.account_sql import national_account
from klynge.storage.demo import generate
from klynge.storage.models import Activity, Organisation, Outcome, Participation
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


def orm_account(engine: Engine) -> Any:
    """The obvious ORM way: load participations with their organisation and activity."""
    with Session(engine) as s:
        parts = (
            s.execute(
                select(Participation)
                .join(Participation.activity)
                .where(Activity.start_date <= PERIOD.end, Activity.end_date >= PERIOD.start)
                .options(joinedload(Participation.organisation), joinedload(Participation.activity))
            )
            .scalars()
            .all()
        )
        outs = s.execute(select(Outcome).options(joinedload(Outcome.organisation))).scalars().all()
        orgs = {p.organisation.id: p.organisation for p in parts}
        orgs.update({o.organisation.id: o.organisation for o in outs})
        acts = {p.activity.id: p.activity for p in parts}
        org_rows = [
            OrgRow(o.id, o.kind, o.employees, o.country, o.synthetic) for o in orgs.values()
        ]
        act_rows = [
            ActivityRow(a.id, a.cluster, a.type, a.start_date, a.end_date, a.funding_dkk,
                        a.private_cofinancing_dkk, a.synthetic)
            for a in acts.values()
        ]  # fmt: skip
        for o in outs:
            if o.activity_id not in acts:
                a = s.get(Activity, o.activity_id)
                assert a is not None
                act_rows.append(
                    ActivityRow(a.id, a.cluster, a.type, a.start_date, a.end_date, a.funding_dkk,
                                a.private_cofinancing_dkk, a.synthetic)
                )  # fmt: skip
                acts[a.id] = a
        p_rows = [ParticipationRow(p.organisation_id, p.activity_id) for p in parts]
        o_rows = [OutcomeRow(o.organisation_id, o.activity_id, o.type, o.reported_on) for o in outs]
        national = compute(org_rows, act_rows, p_rows, o_rows, PERIOD)
        by = {
            c: compute(org_rows, act_rows, p_rows, o_rows, PERIOD, c)
            for c in {a.cluster for a in acts.values()}
        }
        return national, by


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
    sql_t, (national, _) = timed(lambda: sql_account(engine), repeat=3)
    orm_t, (orm_national, _) = timed(lambda: orm_account(engine))
    assert national == orm_national, "the SQL and ORM accounts disagree"
    print(
        f"[{label}] national account (national + per-cluster figures): {sql_t:.3f} s "
        f"(target <= 1 s) | baseline ORM objects + Python: {orm_t:.2f} s ({orm_t / sql_t:.0f}x)"
    )
    return {"account": sql_t, "account_orm": orm_t}


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
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
    t_start = time.perf_counter()
    try:
        db = work / "registry.db"
        sqlite = make_engine(f"sqlite:///{db}")
        bench_engine("sqlite", sqlite, args)
        csv_path = work / "participations.csv"
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
                    bench_import("postgresql", pg, csv_path, args.import_rows, args.baseline_slice)
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
