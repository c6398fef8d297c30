"""Print the per-label and per-language counts of the routing examples as a Markdown table.

Run it after editing the examples and paste the table into examples/README.md, so the README's
figures are computed rather than typed.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "examples"


def main() -> None:
    lines = ["| label | da | en | total | with `also` |", "|---|---:|---:|---:|---:|"]
    totals: Counter[str] = Counter()
    words: list[int] = []
    for path in sorted(EXAMPLES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        langs = Counter(row["language"] for row in rows)
        multi = sum(bool(row["also"]) for row in rows)
        words.extend(len(row["text"].split()) for row in rows)
        totals.update({"da": langs["da"], "en": langs["en"], "all": len(rows), "also": multi})
        lines.append(f"| {path.stem} | {langs['da']} | {langs['en']} | {len(rows)} | {multi} |")
    share = totals["da"] / totals["all"] if totals["all"] else 0.0
    lines.append(
        f"| **all** | {totals['da']} | {totals['en']} | {totals['all']} | {totals['also']} |"
    )
    lines.append("")
    lines.append(f"Danish share: {share:.1%}")
    if words:
        lines.append("")
        lines.append(
            f"Words per text: min {min(words)}, median {statistics.median(words):g}, "
            f"max {max(words)}; {sum(w >= 25 for w in words)} texts have 25 words or more."
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
