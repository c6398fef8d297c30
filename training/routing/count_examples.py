"""Print the per-label and per-language counts of the routing examples as a Markdown table.

Run it after editing the examples and paste the table into examples/README.md, so the README's
figures are computed rather than typed.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "examples"


def main() -> None:
    lines = ["| label | da | en | total | with `also` |", "|---|---:|---:|---:|---:|"]
    totals: Counter[str] = Counter()
    for path in sorted(EXAMPLES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        langs = Counter(row["language"] for row in rows)
        multi = sum(bool(row["also"]) for row in rows)
        totals.update({"da": langs["da"], "en": langs["en"], "all": len(rows), "also": multi})
        lines.append(f"| {path.stem} | {langs['da']} | {langs['en']} | {len(rows)} | {multi} |")
    share = totals["da"] / totals["all"] if totals["all"] else 0.0
    lines.append(
        f"| **all** | {totals['da']} | {totals['en']} | {totals['all']} | {totals['also']} |"
    )
    lines.append("")
    lines.append(f"Danish share: {share:.1%}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
