"""Assemble profiles.csv from the hand-written rows in source/*.txt.

Each source row is `offer|language|kind|seek|orgkey|offers text|seeks text`, written by hand.
This script only shuffles the rows (seeded), assigns ids V001.. and organisation ids VORG-001..
(rows sharing an orgkey belong to one organisation), copies the offer capability's areas, and
draws partner kinds and countries as a cluster would fill them in (they carry little signal).
Then run `python check.py --write` to derive pairs.csv.
"""

import csv
import random
from pathlib import Path

from catalogue import CATALOGUE

HERE = Path(__file__).parent
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
FOREIGN_DA = ["SE", "DE", "NO", "FI", "NL", "PL"]
FOREIGN_EN = ["DE", "SE", "NL", "GB", "NO", "US", "FR", "PL", "FI", "BE"]


def read_rows() -> list[list[str]]:
    rows = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("|")
            if len(fields) != 7:
                raise SystemExit(f"{path.name}: expected 7 fields: {line[:80]}")
            rows.append([f.strip() for f in fields])
    return rows


def partner_kinds(rng: random.Random, kind: str) -> str:
    if kind in ("university", "gts"):
        pool = ["research-partner", "knowledge-transfer", "customer", "supplier"]
        first = rng.choice(pool[:2])
    elif kind in ("hospital", "municipality"):
        pool = ["supplier", "research-partner", "knowledge-transfer"]
        first = rng.choice(pool)
    else:
        pool = [
            "supplier",
            "customer",
            "research-partner",
            "knowledge-transfer",
            "investor",
            "export-partner",
        ]
        first = rng.choice(pool)
    kinds = [first]
    if rng.random() < 0.45:
        extra = rng.choice(pool)
        if extra not in kinds:
            kinds.append(extra)
    return ";".join(kinds)


def countries(rng: random.Random, language: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return ""
    chosen = ["DK"] if language == "da" or roll < 0.7 else []
    foreign = FOREIGN_DA if language == "da" else FOREIGN_EN
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        code = rng.choice(foreign)
        if code not in chosen:
            chosen.append(code)
    return ";".join(chosen or ["DE"])


def main() -> None:
    rng = random.Random(20261205)
    rows = read_rows()
    rng.shuffle(rows)
    org_of_key: dict[str, str] = {}
    out = []
    n_org = 0
    for i, (offer, lang, kind, seek, key, offers, seeks) in enumerate(rows, start=1):
        if key and key in org_of_key:
            org = org_of_key[key]
        else:
            n_org += 1
            org = f"VORG-{n_org:03d}"
            if key:
                org_of_key[key] = org
        areas = CATALOGUE[offer][2]
        if len(areas) > 1 and rng.random() < 0.4:
            areas = areas[:1]
        out.append(
            {
                "id": f"V{i:03d}",
                "organisation": org,
                "organisation_kind": kind,
                "language": lang,
                "offers": offers,
                "seeks": seeks,
                "areas": ";".join(areas),
                "partner_kinds": partner_kinds(rng, kind),
                "countries": countries(rng, lang),
                "offer_capability": offer,
                "seek_capability": seek,
                "split": "test",
            }
        )
    with open(HERE / "profiles.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} profiles, {n_org} organisations")


if __name__ == "__main__":
    main()
