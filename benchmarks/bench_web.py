"""Web platform targets (issue 10), with the uncached baseline measured in the same run.

``klynge serve --workers 2`` runs twice on a free port of 127.0.0.1 over a temporary SQLite
database: once as shipped (the page cache on) and once with ``KLYNGE_WEB_PAGE_CACHE=0``, which
renders every page on every request: the baseline. ``wrk`` (two threads, 50 connections) drives
the home page and a cluster's page against each. The server, its load generator and everything
else share the machine's cores, so the figures are the machine's on the day, not a constant.

Server CPU per request is the user + system time of the server's process tree (the uvicorn
supervisor and its workers) from /proc before and after each wrk run, divided by the requests
completed. The /proc and wrk helpers are ``benchmarks/bench_api.py``'s, imported, not copied.

Targets:
- the home page and a cluster page: <= 2 ms of server CPU a page, >= 1,000 pages a second
  with two workers;
- no page larger than 150 KB with its assets (HTML, the CSS and icon it links, the inline map):
  a page over the budget fails the run (exit status 1), whatever the speed.

Usage: .venv/bin/python benchmarks/bench_web.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import BIN, Load, Server, free_port, server, wrk

#: The pages under load: the landscape with its map, and a cluster with headquarters and offices.
LOADED = {"home": "/", "cluster": "/clusters/danish-sound-cluster"}
#: Every public page whose size is checked (the heaviest is the home page, with its map).
SIZED = (
    "/",
    "/?on=2026-06-01",
    "/clusters/danish-sound-cluster",
    "/clusters/made",
    "/regions/DK04",
    "/find",
    "/find?q=Vi+udvikler+software+til+havvindm%C3%B8ller",
    "/find?q=hotel+og+turisme",
    "/specialisation",
    "/login",
)
BUDGET = 150 * 1024
CPU_TARGET_US = 2000
RPS_TARGET = 1000
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def fetch(url: str, lang: str = "en") -> bytes:
    req = urllib.request.Request(url, headers={"Accept-Language": lang})
    with urllib.request.urlopen(req, timeout=60) as r:
        return bytes(r.read())


@contextmanager
def database() -> Iterator[str]:
    """A fresh SQLite file with the schema, removed afterwards."""
    d = Path(tempfile.mkdtemp(prefix="klynge-bench-web-"))
    url = f"sqlite:///{d / 'web.db'}"
    try:
        env = {**os.environ, "KLYNGE_DATABASE_URL": url}
        cmd = [str(BIN / "klynge"), "db", "upgrade"]
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        yield url
    finally:
        shutil.rmtree(d, ignore_errors=True)


def page_sizes(base: str) -> dict[str, tuple[int, int]]:
    """Each page's HTML and its HTML plus every asset it links, in bytes, in both languages
    (the larger of the two)."""
    out: dict[str, tuple[int, int]] = {}
    assets: dict[str, int] = {}
    for path in SIZED:
        worst = (0, 0)
        for lang in ("da", "en"):
            body = fetch(base + path, lang)
            linked = sorted(set(ASSET.findall(body.decode("utf-8", errors="replace"))))
            for a in linked:
                if a not in assets:
                    assets[a] = len(fetch(base + a.replace("&amp;", "&")))
            total = len(body) + sum(assets[a] for a in linked)
            worst = max(worst, (total, len(body)))
        out[path] = (worst[1], worst[0])
    return out


def warm(srv: Server) -> None:
    """Render every loaded page in both workers before measuring (the first is the cold one)."""
    for _ in range(20):
        for path in LOADED.values():
            fetch(srv.base + path)


def measure(
    url: str, seconds: int
) -> tuple[dict[str, dict[str, Load]], dict[str, tuple[int, int]]]:
    results: dict[str, dict[str, Load]] = {}
    sizes: dict[str, tuple[int, int]] = {}
    for name, cache in (("cached", None), ("uncached", "0")):
        env = {
            **os.environ,
            "KLYNGE_DATABASE_URL": url,
            # bench_api's start-up check warms the router with a few POSTs.
            "KLYNGE_ROUTE_RATE_PER_MINUTE": "0",
        }
        env.pop("KLYNGE_WEB_PAGE_CACHE", None)
        if cache is not None:
            env["KLYNGE_WEB_PAGE_CACHE"] = cache
        port = free_port()
        argv = [str(BIN / "klynge"), "serve", "--workers", "2", "--port", str(port)]
        with server(name, argv, env, port) as srv:
            warm(srv)
            if name == "cached":
                sizes = page_sizes(srv.base)
            results[name] = {page: wrk(srv, path, seconds) for page, path in LOADED.items()}
        for page, load in results[name].items():
            print(
                f"  {name:<8} {page:<8} {load.rps:>9,.0f} pages/s  "
                f"{load.cpu_per_request_us / 1000:>7.2f} ms CPU/page  "
                f"{load.requests:>8,} requests, {load.errors} errors"
            )
    return results, sizes


def report(results: dict[str, dict[str, Load]], sizes: dict[str, tuple[int, int]]) -> bool:
    """Print the targets against the figures; False when a page is over the size budget."""
    cached, base = results["cached"], results["uncached"]
    print("\n== web pages: klynge serve --workers 2, SQLite; baseline = page cache off ==")
    for page in LOADED:
        k, b = cached[page], base[page]
        cpu, rps = k.cpu_per_request_us, k.rps
        rows = [
            (f"{page}: server CPU per page", f"{cpu / 1000:.2f} ms",
             f"{b.cpu_per_request_us / 1000:.2f} ms", "<= 2 ms", cpu <= CPU_TARGET_US),
            (f"{page}: pages/s at 50 connections", f"{rps:,.0f}", f"{b.rps:,.0f}",
             ">= 1,000", rps >= RPS_TARGET),
            (f"{page}: errors under load", str(k.errors), str(b.errors), "0", k.errors == 0),
        ]  # fmt: skip
        for what, got, baseline, target, ok in rows:
            flag = "ok  " if ok else "MISS"
            print(f"  {flag} {what:<38} {got:>10}   uncached {baseline:>10}  (target {target})")
    print("\n== page sizes with their assets (larger language; budget 150 KB) ==")
    fits = True
    for path, (html, total) in sizes.items():
        ok = total <= BUDGET
        fits &= ok
        flag = "ok  " if ok else "OVER"
        print(
            f"  {flag} {path:<52} HTML {html / 1024:>6.1f} KB   with assets {total / 1024:>6.1f} KB"
        )
    return fits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run scripts/setup-system.sh")
    print(f"cores: {os.cpu_count()}, {args.seconds} s per wrk run (2 threads, 50 connections)")
    with database() as url:
        results, sizes = measure(url, args.seconds)
    if not report(results, sizes):
        raise SystemExit("FAIL: a page is larger than 150 KB with its assets")


if __name__ == "__main__":
    main()
