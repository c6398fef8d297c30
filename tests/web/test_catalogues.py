"""The Babel catalogues: complete in Danish, compiled from the .po in git, and in the wheel."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from klynge.web.i18n import LOCALE_DIR, translations

REPO = Path(__file__).resolve().parents[2]


def po(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def test_every_message_in_the_code_is_catalogued_and_translated(
    tmp_path: Path, load_tool: Callable[[str], ModuleType]
) -> None:
    tool = load_tool("web_messages")
    pot = tmp_path / "messages.pot"
    tool.extract(pot)
    with pot.open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    for lang in ("da", "en"):
        have = {m.id for m in po(lang) if m.id}
        assert wanted - have == set(), f"run python tools/web_messages.py ({lang})"
    assert tool.missing("da") == []


def test_compiled_catalogues_match_their_po() -> None:
    for lang in ("da", "en"):
        mo_path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.mo"
        with mo_path.open("rb") as fh:
            compiled = {m.id: m.string for m in read_mo(fh) if m.id}
        source = {m.id: m.string for m in po(lang) if m.id and m.string}
        assert compiled == source, f"{mo_path} is stale: run python tools/web_messages.py"


def test_translations_load() -> None:
    assert translations("da").gettext("Find your cluster") == "Find din klynge"
    assert translations("en").gettext("Find your cluster") == "Find your cluster"


@pytest.mark.slow
def test_the_built_wheel_ships_catalogues_templates_assets_and_map(tmp_path: Path) -> None:
    # pip builds in isolation, with the setuptools that pyproject asks for.
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    wheel = next(tmp_path.glob("klynge-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("da", "en"):
        assert f"klynge/web/locale/{lang}/LC_MESSAGES/messages.mo" in names
        assert f"klynge/web/locale/{lang}/LC_MESSAGES/messages.po" in names
    for name in (
        "klynge/web/templates/base.html",
        "klynge/web/templates/find.html",
        "klynge/web/static/site.css",
        "klynge/web/static/favicon.svg",
        "klynge/maps/data/regions.svg",
        "klynge/maps/data/places.json",
        "klynge/maps/data/NOTICE",
        "klynge/server.py",
    ):
        assert name in names, name
    with zipfile.ZipFile(wheel) as zf:
        mo = read_mo(io.BytesIO(zf.read("klynge/web/locale/da/LC_MESSAGES/messages.mo")))
    assert {m.id: m.string for m in mo}["Find your cluster"] == "Find din klynge"
