"""Validate profiles.csv and pairs.csv of the v8 matchmaking test set; exit 0 only if all hold.

The truth is recomputed from profiles.csv alone, so a hand edit of either file is caught.
Run: python check.py (standard library only).
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CATALOGUE  # noqa: E402

HEADER = [
    "id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
    "partner_kinds", "countries", "offer_capability", "seek_capability", "split",
]  # fmt: skip
AREAS = {
    "advanced-production", "animation-games-film", "construction", "defence-space-security",
    "design-fashion-furniture", "digital-technologies", "energy-technology",
    "environmental-technology", "finance-fintech", "food-bio-resources",
    "life-science-welfare-technology", "maritime-logistics", "robot-drone-technology",
    "sound-technology", "tourism",
}  # fmt: skip
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
PARTNER_KINDS = {
    "research-partner", "supplier", "customer", "investor", "knowledge-transfer", "export-partner",
}  # fmt: skip
AREA_DIR = HERE.parents[1] / "src" / "klynge" / "landscape" / "data" / "areas"


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of one CSV file next to this script."""
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def problems() -> list[str]:
    """Every rule the two files break, as readable sentences."""
    found: list[str] = []
    if AREA_DIR.is_dir():
        on_disk = {path.stem for path in AREA_DIR.glob("*.toml")}
        if on_disk != AREAS:
            found.append(f"area slugs differ from {AREA_DIR}: {sorted(on_disk ^ AREAS)}")
    for slug, capability in CATALOGUE.items():
        if not set(capability.areas) <= AREAS or capability.partner_kind not in PARTNER_KINDS:
            found.append(f"catalogue entry {slug} has an unknown area or partner kind")

    header, profiles = read("profiles.csv")
    if header != HEADER:
        found.append(f"profiles.csv header is {header}")
        return found
    if len(profiles) < 330:
        found.append(f"only {len(profiles)} profiles")
    ids = [p["id"] for p in profiles]
    if ids != [f"H{i:03d}" for i in range(1, len(ids) + 1)]:
        found.append("ids are not H001, H002, ... in order")
    for p in profiles:
        where = p["id"]
        if not re.fullmatch(r"GORG-\d{3}", p["organisation"]):
            found.append(f"{where}: organisation {p['organisation']}")
        if p["organisation_kind"] not in KINDS:
            found.append(f"{where}: organisation_kind {p['organisation_kind']}")
        if p["language"] not in {"da", "en"}:
            found.append(f"{where}: language {p['language']}")
        if not p["offers"].strip() or not p["seeks"].strip():
            found.append(f"{where}: empty offers or seeks text")
        if not p["areas"] or not set(p["areas"].split(";")) <= AREAS:
            found.append(f"{where}: areas {p['areas']}")
        if not p["partner_kinds"] or not set(p["partner_kinds"].split(";")) <= PARTNER_KINDS:
            found.append(f"{where}: partner_kinds {p['partner_kinds']}")
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in p["countries"].split(";")):
            found.append(f"{where}: countries {p['countries']}")
        offer, seek = p["offer_capability"], p["seek_capability"]
        if offer not in CATALOGUE or seek not in CATALOGUE:
            found.append(f"{where}: unknown capability {offer} or {seek}")
        elif offer == seek:
            found.append(f"{where}: offers and seeks the same capability")
        if p["split"] != "test":
            found.append(f"{where}: split {p['split']}")

    for org, n in Counter(p["organisation"] for p in profiles).items():
        if n > 2:
            found.append(f"{org} has {n} profiles")
    offered = Counter(p["offer_capability"] for p in profiles)
    sought = Counter(p["seek_capability"] for p in profiles)
    for slug in CATALOGUE:
        if not 6 <= offered[slug] <= 8:
            found.append(f"{slug} offered {offered[slug]} times")
        if sought[slug] < 1:
            found.append(f"{slug} never sought")
    languages = Counter(p["language"] for p in profiles)
    if abs(languages["da"] - languages["en"]) > len(profiles) // 20:
        found.append(f"languages unbalanced: {dict(languages)}")

    pair_header, pair_rows = read("pairs.csv")
    if pair_header != ["seeker", "partner"]:
        found.append(f"pairs.csv header is {pair_header}")
        return found
    given = [(r["seeker"], r["partner"]) for r in pair_rows]
    truth = {
        (s["id"], t["id"])
        for s in profiles
        for t in profiles
        if t["offer_capability"] == s["seek_capability"] and t["organisation"] != s["organisation"]
    }
    if len(given) != len(set(given)):
        found.append("pairs.csv has duplicate rows")
    if set(given) != truth:
        found.append(
            f"pairs.csv differs from the derived truth: {len(set(given) - truth)} extra, "
            f"{len(truth - set(given))} missing"
        )
    seekers = {s for s, _ in truth}
    for p in profiles:
        if p["id"] not in seekers:
            found.append(f"{p['id']}: no partner")
    return found


def main() -> None:
    """Print each problem and exit 1, or print OK with the counts and exit 0."""
    found = problems()
    for line in found:
        print(line)
    if found:
        sys.exit(1)
    print(f"OK: {len(read('profiles.csv')[1])} profiles, {len(read('pairs.csv')[1])} pairs")


if __name__ == "__main__":
    main()
