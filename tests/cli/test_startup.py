"""Every `klynge` command loads the CLI; heavy libraries wait for the command that needs them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "polars", "numpy", "pyarrow", "openpyxl", "matplotlib")


def test_loading_the_cli_leaves_heavy_libraries_unloaded() -> None:
    code = f"import sys, klynge.cli.main\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"loaded at start-up: {out}"
