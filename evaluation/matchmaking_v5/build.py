"""Assemble hand-written source rows into profiles.csv and pairs.csv (seeded, reproducible).

Source line format (one profile a line, '#' starts a comment):
orgkey|kind|language|offer_capability|seek_capability|offers text|seeks text
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from catalogue import CATALOGUE

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
COUNTRIES = ["DK", "SE", "DE", "NO", "NL", "FI", "PL", "FR", "EE", "LT", "ES", "IT"]
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


def read_source() -> list[list[str]]:
    """Read every hand-written row, in file order."""
    rows = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 7:
                raise SystemExit(f"{path.name}: bad line: {line}")
            rows.append(parts)
    return rows


def main() -> None:
    """Shuffle with a fixed seed, give ids, write both CSV files."""
    rng = random.Random(20261205)
    rows = read_source()
    rng.shuffle(rows)
    org_ids: dict[str, str] = {}
    out = []
    for i, (org, kind, lang, offer, seek, offers, seeks) in enumerate(rows, start=1):
        org_ids.setdefault(org, f"FORG-{len(org_ids) + 1:03d}")
        pk = rng.sample(PARTNER_KINDS, rng.choice([1, 1, 2]))
        countries = rng.sample(COUNTRIES, rng.choice([0, 1, 1, 2]))
        out.append(
            {
                "id": f"F{i:03d}",
                "organisation": org_ids[org],
                "organisation_kind": KINDS[kind],
                "language": lang,
                "offers": offers,
                "seeks": seeks,
                "areas": ";".join(CATALOGUE[offer][2]),
                "partner_kinds": ";".join(pk),
                "countries": ";".join(countries),
                "offer_capability": offer,
                "seek_capability": seek,
                "split": "test",
            }
        )
    with open(HERE / "profiles.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    with open(HERE / "pairs.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["seeker", "partner"])
        for s in out:
            for p in out:
                if (
                    p["offer_capability"] == s["seek_capability"]
                    and p["organisation"] != s["organisation"]
                ):
                    writer.writerow([s["id"], p["id"]])
    print(f"{len(out)} profiles, {len(org_ids)} organisations")


if __name__ == "__main__":
    main()
