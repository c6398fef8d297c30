"""Shared test fixtures: the reference data beside the repository, and a live server and a
browser for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

# Rich sizes its console when the CLI module is imported: a wide one keeps table cells on one line.
os.environ.setdefault("COLUMNS", "200")
# Cheap argon2 parameters for the tests' passwords (never set outside tests).
os.environ.setdefault("KLYNGE_ARGON2_CHEAP", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


# -- a live server and a browser, shared by the browser tests ------------------------------------
#: Debian's Chromium in a container: no sandbox, no GPU, nothing fetched in the background.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def _browser_unavailable(reason: str) -> NoReturn:
    """Skip locally, fail in CI (``CI`` set): the same policy as the PostgreSQL tests."""
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI requires the browser tests to run)")
    pytest.skip(reason)


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("KLYNGE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def _serve(
    database_url: str, env: Mapping[str, str] | None = None, ready: str = "/api/v1/health"
) -> Iterator[str]:
    """``klynge serve`` on a free port over ``database_url``; yields its base URL once ``ready``
    answers, and stops it afterwards. Its stderr goes to a file (a pipe nobody reads could fill
    up and stall the server), shown if it fails to start."""
    port = _free_port()
    full = {**os.environ, "KLYNGE_DATABASE_URL": database_url, **(env or {})}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "klynge", "serve", "--port", str(port)],
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base + ready, timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    err.seek(0)
                    pytest.fail(f"klynge serve did not start: {err.read().decode()[-2000:]}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def _chromium(args: Sequence[str] = CHROMIUM_ARGS) -> Iterator[Any]:
    """A headless Chromium driven by Playwright (the system's browser: Playwright cannot
    download its own here)."""
    path = _chromium_path()
    if path is None:
        _browser_unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=list(args), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def live_server() -> Callable[..., AbstractContextManager[str]]:
    """Start ``klynge serve`` for a browser test: ``with live_server(url, env) as base: ...``."""
    return _serve


@pytest.fixture(scope="session")
def chromium() -> Callable[..., AbstractContextManager[Any]]:
    """Launch Chromium for a browser test: ``with chromium() as browser: ...`` (skips
    locally when it or Playwright is missing, fails in CI)."""
    return _chromium
