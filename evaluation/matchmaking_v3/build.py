"""Assemble the hand-written rows in source/*.txt into profiles.csv and pairs.csv.

The texts are written by hand; this script only parses them, looks up the areas of the offered
capability, draws the wanted partner kinds, shuffles with a fixed seed and numbers the rows, so that
ids and organisation numbers say nothing about the order in which the rows were written.

Source line format (one profile a line, `#` starts a comment):
    OFFER|SEEK|kind|lang|org-key|countries|offer text|seek text
org-key is `-` for an organisation with one profile; two lines with the same key are two profiles
of one organisation. countries is a semicolon list of ISO codes or empty.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CATALOGUE  # noqa: E402

SEED = 20261205
PARTNER_KINDS = ("research-partner", "supplier", "customer", "investor", "knowledge-transfer",
                 "export-partner")
COLUMNS = ["id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
           "partner_kinds", "countries", "offer_capability", "seek_capability", "split"]


def read_source() -> list[dict[str, str]]:
    """Parse every source file in name order; refuse malformed lines loudly."""
    rows: list[dict[str, str]] = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 8:
                raise SystemExit(f"{path.name}:{number}: expected 8 fields, got {len(parts)}")
            offer, seek, kind, lang, org, countries, offers, seeks = parts
            rows.append({"offer_capability": offer, "seek_capability": seek,
                         "organisation_kind": kind, "language": lang, "org_key": org,
                         "countries": countries, "offers": offers, "seeks": seeks,
                         "where": f"{path.name}:{number}"})
    return rows


def partner_kinds(row: dict[str, str]) -> str:
    """One or two wanted partner kinds, drawn per row from a seed tied to its text (stable)."""
    rng = random.Random(f"{SEED}:{row['offers']}")
    count = 1 if rng.random() < 0.55 else 2
    kinds = rng.sample(PARTNER_KINDS, count)
    return ";".join(sorted(kinds, key=PARTNER_KINDS.index))


def main() -> None:
    rows = read_source()
    random.Random(SEED).shuffle(rows)
    org_ids: dict[str, str] = {}
    out: list[dict[str, str]] = []
    for index, row in enumerate(rows, 1):
        key = row["org_key"]
        if key == "-":
            key = f"single:{index}"
        if key not in org_ids:
            org_ids[key] = f"WORG-{len(org_ids) + 1:03d}"
        areas = CATALOGUE[row["offer_capability"]][2]
        out.append({"id": f"W{index:03d}", "organisation": org_ids[key],
                    "organisation_kind": row["organisation_kind"], "language": row["language"],
                    "offers": row["offers"], "seeks": row["seeks"], "areas": ";".join(areas),
                    "partner_kinds": partner_kinds(row), "countries": row["countries"],
                    "offer_capability": row["offer_capability"],
                    "seek_capability": row["seek_capability"], "split": "test"})
    with open(HERE / "profiles.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    pairs = sorted((s["id"], p["id"]) for s in out for p in out
                   if p["offer_capability"] == s["seek_capability"]
                   and p["organisation"] != s["organisation"])
    with open(HERE / "pairs.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["seeker", "partner"])
        writer.writerows(pairs)
    print(f"{len(out)} profiles, {len(org_ids)} organisations, {len(pairs)} pairs")


if __name__ == "__main__":
    main()
