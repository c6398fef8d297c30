"""The factsheet page in a real browser: its stylesheet applies under the site's CSP.

Drives Debian's headless Chromium (Playwright, no browser download) against ``klynge serve`` on a
free port (the shared ``live_server`` and ``chromium`` fixtures). Without Chromium the test skips
locally and fails in CI, as the other browser tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_the_page_is_styled_without_breaking_the_csp(
    shared_data: Path,
    tmp_path: Path,
    live_server: Callable[..., Any],
    chromium: Callable[..., Any],
) -> None:
    sample = shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"
    url = f"sqlite:///{tmp_path / 'web.db'}"
    env = {"KLYNGE_REGIONS_SAMPLE": str(sample)}
    with chromium() as browser, live_server(url, env, ready="/factsheet.css") as base:
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
