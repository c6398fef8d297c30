"""Assemble the matchmaking_dev7 development set from the hand-written source lines.

Reads source/*.txt (one profile a line:
orgkey|kind|language|offer_capability|seek_capability|offers text|seeks text),
shuffles with a fixed seed, numbers profiles H001... and organisations HORG-001...,
draws partner_kinds and countries at random (they carry no truth), and writes
profiles.csv and pairs.csv. Standard library only.
"""

import csv
import random
from pathlib import Path

from catalogue import AREAS

HERE = Path(__file__).resolve().parent
SEED = 7_2026_12_05
PARTNER_KINDS = [
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
]
COUNTRIES = ["DK", "SE", "NO", "DE", "NL", "FI", "PL", "FR", "GB", "US", "EE", "IS"]
HEADER = [
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


def read_source():
    rows = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|")
            if len(parts) != 7:
                raise SystemExit(f"{path.name}:{number}: expected 7 fields, got {len(parts)}")
            rows.append([part.strip() for part in parts])
    return rows


def main():
    rng = random.Random(SEED)
    rows = read_source()
    rng.shuffle(rows)
    org_ids = {}
    profiles = []
    for index, (orgkey, kind, language, offer, seek, offers, seeks) in enumerate(rows, 1):
        if orgkey not in org_ids:
            org_ids[orgkey] = f"HORG-{len(org_ids) + 1:03d}"
        kinds = sorted(rng.sample(PARTNER_KINDS, rng.randint(1, 3)), key=PARTNER_KINDS.index)
        countries = sorted(rng.sample(COUNTRIES, rng.randint(1, 3)))
        profiles.append(
            {
                "id": f"H{index:03d}",
                "organisation": org_ids[orgkey],
                "organisation_kind": kind,
                "language": language,
                "offers": offers,
                "seeks": seeks,
                "areas": ";".join(AREAS[offer]),
                "partner_kinds": ";".join(kinds),
                "countries": ";".join(countries),
                "offer_capability": offer,
                "seek_capability": seek,
                "split": "dev",
            }
        )
    with open(HERE / "profiles.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(profiles)
    pairs = [
        (seeker["id"], partner["id"])
        for seeker in profiles
        for partner in profiles
        if partner["offer_capability"] == seeker["seek_capability"]
        and partner["organisation"] != seeker["organisation"]
    ]
    with open(HERE / "pairs.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["seeker", "partner"])
        writer.writerows(pairs)
    print(f"{len(profiles)} profiles, {len(org_ids)} organisations, {len(pairs)} pairs")


if __name__ == "__main__":
    main()
