"""Assemble the hand-written source rows of dev4 into profiles.csv and pairs.csv.

Why: texts are written by hand in source/*.txt; this script only gives ids, shuffles with a fixed
seed, fills the random columns (partner kinds, countries) and derives the true pairs, so that the
truth is never typed by hand.

Source line format (one profile a line, '#' starts a comment):
    OFFER_ID | lang | kind | org_key | offer text | SEEK_ID | seek text
kind is one letter: c company, u university, g gts, h hospital, m municipality, o other.
org_key is '-' for a one-profile organisation, or a shared key for organisations with two profiles.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from catalogue import BY_ID

HERE = Path(__file__).resolve().parent
KINDS = {
    "c": "company",
    "u": "university",
    "g": "gts",
    "h": "hospital",
    "m": "municipality",
    "o": "other",
}
PARTNER_KINDS = [
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
]
FOREIGN = ["DE", "SE", "NO", "NL", "FI", "PL", "FR", "ES", "IT", "BE", "EE", "LT", "GB", "IE", "AT"]
COLUMNS = [
    "id",
    "organisation",
    "organisation_kind",
    "language",
    "offers",
    "seeks",
    "areas",
    "partner_kinds",
    "countries",
    "offer_capability",
    "seek_capability",
    "split",
]


def read_source() -> list[dict[str, str]]:
    """Parse every source file in name order into raw rows."""
    rows: list[dict[str, str]] = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 7:
                raise SystemExit(f"{path.name}:{number}: expected 7 fields, got {len(parts)}")
            offer, lang, kind, key, offers, seek, seeks = parts
            if (
                offer not in BY_ID
                or seek not in BY_ID
                or kind not in KINDS
                or lang not in ("da", "en")
            ):
                raise SystemExit(f"{path.name}:{number}: bad id, kind or language")
            rows.append(
                {
                    "offer": offer,
                    "lang": lang,
                    "kind": KINDS[kind],
                    "key": key if key != "-" else f"{path.stem}:{number}",
                    "offers": offers,
                    "seek": seek,
                    "seeks": seeks,
                }
            )
    return rows


def main() -> None:
    """Build both CSV files deterministically."""
    rng = random.Random(20261205)
    rows = read_source()
    rng.shuffle(rows)
    org_ids: dict[str, str] = {}
    out: list[dict[str, str]] = []
    for index, row in enumerate(rows, 1):
        if row["key"] not in org_ids:
            org_ids[row["key"]] = f"DORG-{len(org_ids) + 1:03d}"
        kinds = rng.sample(PARTNER_KINDS, rng.choice([1, 1, 2]))
        roll = rng.random()
        if roll < 0.3:
            countries = ""
        elif roll < 0.7:
            countries = "DK"
        else:
            countries = ";".join(["DK", *rng.sample(FOREIGN, rng.choice([1, 2]))])
        out.append(
            {
                "id": f"D{index:03d}",
                "organisation": org_ids[row["key"]],
                "organisation_kind": row["kind"],
                "language": row["lang"],
                "offers": row["offers"],
                "seeks": row["seeks"],
                "areas": ";".join(BY_ID[row["offer"]][3]),
                "partner_kinds": ";".join(kinds),
                "countries": countries,
                "offer_capability": row["offer"],
                "seek_capability": row["seek"],
                "split": "dev",
            }
        )
    with open(HERE / "profiles.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    with open(HERE / "pairs.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["seeker", "partner"])
        for seeker in out:
            for partner in out:
                if (
                    partner["offer_capability"] == seeker["seek_capability"]
                    and partner["organisation"] != seeker["organisation"]
                ):
                    writer.writerow([seeker["id"], partner["id"]])
    print(f"{len(out)} profiles, {len(org_ids)} organisations")


if __name__ == "__main__":
    main()
