"""Keep the web platform's Babel catalogues in step with the code, and compile them.

    python tools/web_messages.py          # extract, update both .po files, compile the .mo files
    python tools/web_messages.py --check  # fail if a message lacks a Danish translation

Message ids are the English text. ``locale/da/LC_MESSAGES/messages.po`` holds the Danish;
``locale/en`` exists so that both languages are catalogued alike (its translations stay empty,
which gettext reads as "use the id"). The ``.po`` files are in git; the ``.mo`` files are built
here and shipped in the wheel (pyproject's package data), and also kept in git so that an
editable install works without a build step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "src" / "klynge" / "web" / "locale"
STAMP = datetime(2026, 12, 1, tzinfo=UTC)
KEYWORDS = ["--no-default-keywords", "-k", "_", "-k", "gettext:2"]


def extract(pot: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(REPO / "tools" / "babel.cfg"),
            *KEYWORDS,
            "--no-location",
            "--sort-output",
            "--project=klynge",
            "-o",
            str(pot),
            str(REPO),
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
    )


def update(pot: Path) -> None:
    with pot.open("rb") as fh:
        template = read_po(fh)
    for lang in ("da", "en"):
        po_path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            catalog = template
            catalog.locale = lang  # type: ignore[assignment]
        catalog.obsolete.clear()
        # A stable header, so that a run without message changes leaves the files unchanged.
        catalog.fuzzy = False
        catalog.header_comment = (
            f"# The klynge web platform's messages, {lang}. Kept by tools/web_messages.py;\n"
            "# the message ids are the English text. Translate the msgstr lines."
        )
        catalog.project, catalog.version = "klynge", "web"
        catalog.copyright_holder = catalog.last_translator = "klynge contributors"
        catalog.language_team = f"klynge contributors ({lang})"
        catalog.msgid_bugs_address = ""
        catalog.creation_date = catalog.revision_date = STAMP
        with po_path.open("wb") as fh:
            write_po(fh, catalog, no_location=True, sort_output=True, width=100)


def compile_all() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


def missing(lang: str = "da") -> list[str]:
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    return [str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check the Danish catalogue")
    args = ap.parse_args(argv)
    if not args.check:
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            extract(pot)
            update(pot)
        compile_all()
    gaps = missing("da")
    for g in gaps:
        print(f"no Danish translation: {g!r}", file=sys.stderr)
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
