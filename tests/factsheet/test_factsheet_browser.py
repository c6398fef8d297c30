"""The factsheet page in a real browser: its stylesheet applies under the site's CSP.

Drives Debian's headless Chromium (Playwright, no browser download) against ``klynge serve`` on a
free port. Without Chromium the test skips locally and fails in CI, as the other browser tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _chromium() -> str | None:
    for candidate in (os.environ.get("KLYNGE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_the_page_is_styled_without_breaking_the_csp(shared_data: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium missing (CI requires the browser tests to run)")
        pytest.skip("chromium missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    sample = shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"
    port = _port()
    env = {
        **os.environ,
        "KLYNGE_REGIONS_SAMPLE": str(sample),
        "KLYNGE_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
    }
    exe = Path(sys.executable).with_name("klynge")
    server = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/factsheet.css", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(locale="da-DK")
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/factsheet")
            assert page.locator("h1").first.inner_text() == "Klyngefaktaark: Danmark"
            # The stylesheet is a file, so the CSP lets it apply: the table heads are tinted.
            tint = page.evaluate(
                "getComputedStyle(document.querySelector('.fs-table thead th')).backgroundColor"
            )
            assert tint == "rgb(232, 238, 245)"
            assert page.locator("svg.map circle").count() > 10
            assert errors == []  # no CSP violation, no missing resource
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
