"""Validate profiles.csv and pairs.csv of the dev10 matchmaking set; exit 0 only if sound.

Checks the schema, the value vocabularies, the balance rules of the brief, and that
pairs.csv is exactly the set derived from the capability labels (so nobody hand-edited it).
"""

from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

from catalogue import CAPABILITIES

HERE = Path(__file__).resolve().parent
HEADER = [
    "id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
    "partner_kinds", "countries", "offer_capability", "seek_capability", "split",
]
AREAS = {
    "advanced-production", "animation-games-film", "construction", "defence-space-security",
    "design-fashion-furniture", "digital-technologies", "energy-technology",
    "environmental-technology", "finance-fintech", "food-bio-resources",
    "life-science-welfare-technology", "maritime-logistics", "robot-drone-technology",
    "sound-technology", "tourism",
}
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
PARTNER_KINDS = {"research-partner", "supplier", "customer", "investor", "knowledge-transfer",
                 "export-partner"}


def main() -> int:
    """Run every check, print each failure, and return the exit code."""
    errors: list[str] = []
    with (HERE / "profiles.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            errors.append(f"profiles.csv header is {reader.fieldnames}")
        profiles = list(reader)
    with (HERE / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader) != ["seeker", "partner"]:
            errors.append("pairs.csv header is not seeker,partner")
        pairs = [tuple(row) for row in reader]

    ids = [p["id"] for p in profiles]
    if ids != [f"P{n:03d}" for n in range(1, len(ids) + 1)]:
        errors.append("ids are not P001.. in order")
    if len(profiles) < 320:
        errors.append(f"only {len(profiles)} profiles")
    for p in profiles:
        where = p["id"]
        if p["organisation_kind"] not in KINDS:
            errors.append(f"{where}: kind {p['organisation_kind']}")
        if p["language"] not in {"da", "en"}:
            errors.append(f"{where}: language {p['language']}")
        if p["split"] != "dev":
            errors.append(f"{where}: split {p['split']}")
        if p["offer_capability"] not in CAPABILITIES or p["seek_capability"] not in CAPABILITIES:
            errors.append(f"{where}: unknown capability")
        if p["offer_capability"] == p["seek_capability"]:
            errors.append(f"{where}: offers what it seeks")
        if not p["offers"].strip() or not p["seeks"].strip():
            errors.append(f"{where}: empty text")
        if not set(p["areas"].split(";")) <= AREAS:
            errors.append(f"{where}: areas {p['areas']}")
        if not p["partner_kinds"] or not set(p["partner_kinds"].split(";")) <= PARTNER_KINDS:
            errors.append(f"{where}: partner kinds {p['partner_kinds']}")
        if not re.fullmatch(r"[A-Z]{2}(;[A-Z]{2})*", p["countries"]):
            errors.append(f"{where}: countries {p['countries']}")
    for slug, capability in CAPABILITIES.items():
        if not set(capability.areas) <= AREAS or capability.partner_kind not in PARTNER_KINDS:
            errors.append(f"catalogue {slug}: bad area or partner kind")

    offered = collections.Counter(p["offer_capability"] for p in profiles)
    sought = collections.Counter(p["seek_capability"] for p in profiles)
    for slug in CAPABILITIES:
        if not 6 <= offered[slug] <= 8:
            errors.append(f"{slug} offered {offered[slug]} times")
        if sought[slug] < 1:
            errors.append(f"{slug} never sought")
    languages = collections.Counter(p["language"] for p in profiles)
    if abs(languages["da"] - languages["en"]) > len(profiles) * 0.05:
        errors.append(f"languages unbalanced: {dict(languages)}")
    texts = collections.Counter(t for p in profiles for t in (p["offers"], p["seeks"]))
    errors.extend(f"repeated text: {t[:60]}" for t, n in texts.items() if n > 1)

    expected = {(s["id"], p["id"]) for s in profiles for p in profiles
                if p["offer_capability"] == s["seek_capability"]
                and p["organisation"] != s["organisation"]}
    if len(pairs) != len(set(pairs)):
        errors.append("duplicate pairs")
    if set(pairs) != expected:
        errors.append(f"pairs differ from the derived truth: {len(set(pairs) ^ expected)} rows")
    seekers = {s for s, _ in pairs}
    errors.extend(f"{p['id']} has no true partner" for p in profiles if p["id"] not in seekers)

    for error in errors:
        print("FAIL", error)
    print(f"{len(profiles)} profiles, {len(pairs)} pairs, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
