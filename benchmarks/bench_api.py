"""REST API targets (issue 9), with the naive baseline measured in the same run.

Both servers run as real processes (``uvicorn``, two workers) on 127.0.0.1 only, one at a time,
and are driven by Debian's load generators: ``wrk`` for the most requests a second at 50
connections, ``hey`` for latency at a fixed rate. A Python client on the same two cores would
measure itself, not the server.

Server CPU per request is read from /proc: the user + system time of the server's processes
(the uvicorn supervisor and its workers) over a run, divided by the requests completed. That is
steadier than requests a second on a shared machine.

Targets:
- GET /api/v1/clusters: <= 250 us CPU a request; >= 3,000 req/s at 50 connections with zero
  errors; p99 <= 20 ms at a fixed 500 req/s.
- POST /api/v1/route: <= 1 ms CPU a request; >= 1,500 req/s with two workers; p99 <= 50 ms at a
  fixed 200 req/s.
- The national account over 200,000 participations through the API in <= 1 s.

The baseline (benchmarks/naive_api.py) answers the same URLs the first way most people would:
pydantic models built and validated per request, ORM objects for the account.

Usage: .venv/bin/python benchmarks/bench_api.py [--seconds 10] [--participations 200000]
       [--no-postgres] [--engine sqlite|postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get(
    "KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TICK = os.sysconf("SC_CLK_TCK")
ROUTE_BODY = json.dumps(
    {"text": "Vi udvikler software til havvindmøller og energilagring", "on": "2021-06-01"}
)
CLUSTERS_URL = "/api/v1/clusters?on=2021-06-01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(x) for x in (task / "children").read_text().split()]
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants, from /proc."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / TICK


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    base: str


@contextlib.contextmanager
def server(name: str, argv: list[str], env: dict[str, str], port: int) -> Iterator[Server]:
    # The server's messages go to a file, not a pipe: an unread pipe fills and stalls the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        argv,
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + CLUSTERS_URL, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                err = log.read().decode(errors="replace")
                raise SystemExit(f"{name} did not start:\n{err[-2000:]}")
            time.sleep(0.2)
        # Let both workers import and warm up (the router's model loads on first use).
        for _ in range(20):
            post(base + "/api/v1/route", ROUTE_BODY)
            urllib.request.urlopen(base + CLUSTERS_URL, timeout=5).read()
        yield Server(name, proc, base)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.seek(0)
        tail = log.read().decode(errors="replace").strip()
        if tail:
            print(f"    {name} server said (last lines):")
            for line in tail.splitlines()[-5:]:
                print(f"      {line}")
        log.close()


def post(url: str, body: str, headers: dict[str, str] | None = None) -> bytes:
    req = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return bytes(r.read())


@dataclass
class Load:
    rps: float
    requests: int
    errors: int
    cpu_per_request_us: float


def wrk(srv: Server, path: str, seconds: int, post_body: str | None = None) -> Load:
    script = None
    args = ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "10s"]
    if post_body is not None:
        fd, script = tempfile.mkstemp(suffix=".lua")
        with os.fdopen(fd, "w") as fh:
            fh.write(
                'wrk.method = "POST"\n'
                f"wrk.body = {json.dumps(post_body)}\n"
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
        args += ["-s", script]
    cpu0 = cpu_seconds(srv.proc.pid)
    out = subprocess.run(
        [*args, srv.base + path], capture_output=True, text=True, check=True
    ).stdout
    cpu1 = cpu_seconds(srv.proc.pid)
    if script:
        os.unlink(script)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return Load(rps, requests, errors, (cpu1 - cpu0) / max(requests, 1) * 1e6)


def hey_p99(srv: Server, path: str, rate: int, seconds: int, post_body: str | None = None) -> float:
    """p99 latency in ms at a fixed total rate (hey: -c workers, each -q requests a second)."""
    workers = 10
    args = ["hey", "-z", f"{seconds}s", "-c", str(workers), "-q", str(rate / workers)]
    if post_body is not None:
        args += ["-m", "POST", "-T", "application/json", "-d", post_body]
    out = subprocess.run(
        [*args, srv.base + path], capture_output=True, text=True, check=True
    ).stdout
    m = re.search(r"99%+ in ([\d.]+) secs", out)
    if not m:
        raise SystemExit(f"could not read hey's output:\n{out}")
    bad = re.search(r"\[(?!200)\d{3}\]\s+(\d+) responses", out)
    if bad:
        print(f"    ! hey saw non-200 responses: {bad.group(0)}")
    return float(m.group(1)) * 1000


def best_time(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best


# -- databases ------------------------------------------------------------------------------
@contextlib.contextmanager
def sqlite_db(participations: int) -> Iterator[str]:
    d = Path(tempfile.mkdtemp(prefix="klynge-bench-api-"))
    url = f"sqlite:///{d / 'bench.db'}"
    try:
        seed(url, participations)
        yield url
    finally:
        shutil.rmtree(d, ignore_errors=True)


@contextlib.contextmanager
def postgres_db(participations: int) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"klynge_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        seed(url, participations)
        yield url
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(url: str, participations: int) -> None:
    env = {**os.environ, "KLYNGE_DATABASE_URL": url}
    subprocess.run([str(BIN / "klynge"), "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            str(BIN / "klynge"),
            "demo-data",
            "--participations",
            str(participations),
            "--organisations",
            str(max(participations // 10, 100)),
            "--activities",
            str(max(participations // 100, 10)),
        ],
        env=env,
        check=True,
        capture_output=True,
    )


def admin_token(url: str) -> str:
    env = {**os.environ, "KLYNGE_DATABASE_URL": url}
    out = subprocess.run(
        [str(BIN / "klynge"), "token", "create", "--role", "admin", "--label", "bench", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out)
    return str(data["token"])


# -- the run -----------------------------------------------------------------------------------
def measure(engine: str, url: str, seconds: int) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        "KLYNGE_DATABASE_URL": url,
        "KLYNGE_ROUTE_RATE_PER_MINUTE": "0",
        # The same BLAS setting for both contenders (klynge serve sets it by default).
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    }
    results: dict[str, dict[str, float]] = {}
    token = admin_token(url)
    contenders = {
        "klynge": [str(BIN / "klynge"), "serve", "--workers", "2", "--port"],
        "naive": [
            str(BIN / "uvicorn"),
            "naive_api:app",
            "--app-dir",
            "benchmarks",
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--no-access-log",
            "--port",
        ],
    }
    for name, argv in contenders.items():
        port = free_port()
        with server(name, [*argv, str(port)], env, port) as srv:
            r: dict[str, float] = {}
            g = wrk(srv, CLUSTERS_URL, seconds)
            r |= {"clusters_rps": g.rps, "clusters_errors": g.errors}
            r["clusters_cpu_us"] = g.cpu_per_request_us
            r["clusters_p99_ms"] = hey_p99(srv, CLUSTERS_URL, 500, seconds)
            p = wrk(srv, "/api/v1/route", seconds, ROUTE_BODY)
            r |= {"route_rps": p.rps, "route_errors": p.errors}
            r["route_cpu_us"] = p.cpu_per_request_us
            r["route_p99_ms"] = hey_p99(srv, "/api/v1/route", 200, seconds, ROUTE_BODY)
            acct = srv.base + "/api/v1/accounts/national?year=2023"
            req = urllib.request.Request(acct, headers={"Authorization": f"Bearer {token}"})
            r["account_s"] = best_time(
                lambda req=req: urllib.request.urlopen(req, timeout=600).read(),
                repeat=3,  # best of three for both contenders
            )
            results[name] = r
        print(f"  [{engine}] {name}: " + ", ".join(f"{k}={v:,.3f}" for k, v in r.items()))
    return results


def report(engine: str, res: dict[str, dict[str, float]]) -> None:
    k, n = res["klynge"], res["naive"]

    def line(what: str, key: str, unit: str, target: str, ok: bool) -> None:
        flag = "ok " if ok else "MISS"
        fmt = ",.3f" if unit == "s" else ",.1f"
        print(
            f"  {flag} {what:<40} {k[key]:>10{fmt}} {unit:<6}"
            f" naive {n[key]:>10{fmt}}  (target {target})"
        )

    print(f"\n== {engine} (two workers each; same run) ==")
    checks = [
        ("GET clusters: server CPU per request", "clusters_cpu_us", "us", "<= 250",
         k["clusters_cpu_us"] <= 250),
        ("GET clusters: requests/s at 50 conns", "clusters_rps", "req/s", ">= 3000",
         k["clusters_rps"] >= 3000),
        ("GET clusters: errors under load", "clusters_errors", "", "0",
         k["clusters_errors"] == 0),
        ("GET clusters: p99 at 500 req/s", "clusters_p99_ms", "ms", "<= 20",
         k["clusters_p99_ms"] <= 20),
        ("POST route: server CPU per request", "route_cpu_us", "us", "<= 1000",
         k["route_cpu_us"] <= 1000),
        ("POST route: requests/s at 50 conns", "route_rps", "req/s", ">= 1500",
         k["route_rps"] >= 1500),
        ("POST route: p99 at 200 req/s", "route_p99_ms", "ms", "<= 50",
         k["route_p99_ms"] <= 50),
        ("national account, 200k participations", "account_s", "s", "<= 1",
         k["account_s"] <= 1),
    ]  # fmt: skip
    for what, key, unit, target, ok in checks:
        line(what, key, unit, target, ok)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--participations", type=int, default=200_000)
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    args = ap.parse_args()
    for tool in ("wrk", "hey"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: run scripts/setup-system.sh")
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    print(f"cores: {os.cpu_count()}, run length {args.seconds} s per measurement")
    for engine in engines:
        db = sqlite_db if engine == "sqlite" else postgres_db
        with db(args.participations) as url:
            report(engine, measure(engine, url, args.seconds))


if __name__ == "__main__":
    main()
