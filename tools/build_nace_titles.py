"""Rebuild src/klynge/regions/data/nace_titles.csv from the reference files beside the repository.

English titles come from NACE Rev. 2 (jnsprnw/nace-codes, MIT); Danish titles from Statistics
Denmark's DB07, whose first four levels are NACE Rev. 2. Run: python tools/build_nace_titles.py
"""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "src" / "klynge" / "regions" / "data" / "nace_titles.csv"
LEVELS = ("section", "division", "group", "class")


def english() -> list[tuple[str, str, str, str]]:
    """(code, level, parent, title) in the order of the classification."""
    rows: list[tuple[str, str, str, str]] = []
    parents: dict[str, str] = {}
    with (SHARED / "nace_rev2" / "codes-2.0.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            cells = [rec["Section"], rec["Division"], rec["Group"], rec["Class"]]
            depth = next(i for i, c in enumerate(cells) if c.strip())
            code = cells[depth].strip()
            level = LEVELS[depth]
            parent = parents.get(LEVELS[depth - 1], "") if depth else ""
            parents[level] = code
            title = " ".join(rec["Activity"].split())
            if level == "section":
                # The source capitalises every word of a section title; NACE writes them in
                # sentence case, as the lower levels are (no section title holds a proper noun).
                title = title[:1] + title[1:].lower()
            rows.append((code, level, parent, title))
    return rows


def danish() -> dict[str, str]:
    titles: dict[str, str] = {}
    with (SHARED / "db07" / "dksic.tsv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            level = rec["Niveau"].strip()
            column = {"0": "Section", "1": "Hovedgruppe", "2": "Gruppe", "3": "Undergruppe"}.get(
                level
            )
            if column is not None:
                titles[rec[column].strip()] = " ".join(rec["Tekst"].split())
    return titles


def main(out: Path = OUT) -> None:
    da = danish()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "level", "parent", "title_en", "title_da"])
        for code, level, parent, title in english():
            writer.writerow([code, level, parent, title, da.get(code, "")])
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
