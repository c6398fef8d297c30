"""Check the matchmaking_v6 test set; exit 1 on any problem. Standard library only."""

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from catalogue import CAPABILITIES

HERE = Path(__file__).resolve().parent
AREAS_DIR = HERE.parent.parent / "src" / "klynge" / "landscape" / "data" / "areas"
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
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
PARTNER_KINDS = {
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
}


def main():
    problems = []
    slugs = {path.stem for path in AREAS_DIR.glob("*.toml")}
    if not slugs:
        problems.append(f"no area files found in {AREAS_DIR}")
    if not 45 <= len(CAPABILITIES) <= 55:
        problems.append(f"catalogue has {len(CAPABILITIES)} capabilities, want 45-55")
    for cap, (english, danish, areas) in CAPABILITIES.items():
        if not english or not danish or not areas:
            problems.append(f"catalogue entry {cap} incomplete")
        for slug in areas:
            if slugs and slug not in slugs:
                problems.append(f"catalogue {cap}: unknown area slug {slug}")

    with open(HERE / "profiles.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != HEADER:
            problems.append(f"profiles.csv header is {header}")
        rows = list(reader)
    for number, row in enumerate(rows, 2):
        if len(row) != len(HEADER):
            problems.append(f"profiles.csv line {number}: {len(row)} fields")
    profiles = [dict(zip(HEADER, row, strict=True)) for row in rows if len(row) == len(HEADER)]
    if len(profiles) < 320:
        problems.append(f"only {len(profiles)} profiles, want at least 320")

    ids = [p["id"] for p in profiles]
    if len(set(ids)) != len(ids):
        problems.append("duplicate profile ids")
    org_kind = {}
    org_count = Counter()
    texts = Counter()
    for p in profiles:
        where = p["id"]
        if not re.fullmatch(r"G\d{3}", p["id"]):
            problems.append(f"{where}: bad id")
        if not re.fullmatch(r"GORG-\d{3}", p["organisation"]):
            problems.append(f"{where}: bad organisation {p['organisation']}")
        if p["organisation_kind"] not in KINDS:
            problems.append(f"{where}: bad kind {p['organisation_kind']}")
        if org_kind.setdefault(p["organisation"], p["organisation_kind"]) != p["organisation_kind"]:
            problems.append(f"{where}: organisation {p['organisation']} has two kinds")
        org_count[p["organisation"]] += 1
        if p["language"] not in {"da", "en"}:
            problems.append(f"{where}: bad language {p['language']}")
        for field in ("offers", "seeks"):
            if not p[field].strip():
                problems.append(f"{where}: empty {field}")
            texts[p[field]] += 1
        offer, seek = p["offer_capability"], p["seek_capability"]
        if offer not in CAPABILITIES or seek not in CAPABILITIES:
            problems.append(f"{where}: unknown capability {offer} / {seek}")
            continue
        if offer == seek:
            problems.append(f"{where}: seeks what it offers")
        for cap in CAPABILITIES:
            if cap in p["offers"] or cap in p["seeks"]:
                problems.append(f"{where}: capability id {cap} in text")
        if p["areas"].split(";") != CAPABILITIES[offer][2]:
            problems.append(f"{where}: areas {p['areas']} are not those of {offer}")
        for slug in p["areas"].split(";"):
            if slugs and slug not in slugs:
                problems.append(f"{where}: unknown slug {slug}")
        kinds = p["partner_kinds"].split(";")
        if not kinds or not set(kinds) <= PARTNER_KINDS:
            problems.append(f"{where}: bad partner_kinds {p['partner_kinds']}")
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in p["countries"].split(";")):
            problems.append(f"{where}: bad countries {p['countries']}")
        if p["split"] != "test":
            problems.append(f"{where}: split {p['split']}")
    for text, count in texts.items():
        if count > 1:
            problems.append(f"text used {count} times: {text[:60]}")
    many = [org for org, count in org_count.items() if count > 2]
    if many:
        problems.append(f"organisations with more than two profiles: {many}")
    two = sum(1 for count in org_count.values() if count == 2)
    if two > 15:
        problems.append(f"{two} organisations have two profiles, want at most 15")

    offered = Counter(p["offer_capability"] for p in profiles)
    sought = Counter(p["seek_capability"] for p in profiles)
    for cap in CAPABILITIES:
        if not 6 <= offered[cap] <= 8:
            problems.append(f"{cap} offered {offered[cap]} times, want 6-8")
        if sought[cap] < 1:
            problems.append(f"{cap} never sought")
    languages = Counter(p["language"] for p in profiles)
    if abs(languages["da"] - languages["en"]) > len(profiles) * 0.05:
        problems.append(f"languages unbalanced: {dict(languages)}")

    by_offer = defaultdict(list)
    for p in profiles:
        by_offer[p["offer_capability"]].append(p)
    expected = {
        (s["id"], t["id"])
        for s in profiles
        for t in by_offer[s["seek_capability"]]
        if t["organisation"] != s["organisation"]
    }
    with open(HERE / "pairs.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader) != ["seeker", "partner"]:
            problems.append("pairs.csv header wrong")
        pairs = [tuple(row) for row in reader]
    if len(set(pairs)) != len(pairs):
        problems.append("duplicate pairs")
    if set(pairs) != expected:
        problems.append(
            f"pairs differ from the rule: {len(set(pairs) - expected)} extra, "
            f"{len(expected - set(pairs))} missing"
        )

    for problem in problems[:50]:
        print("PROBLEM:", problem)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print(f"ok: {len(profiles)} profiles, {len(CAPABILITIES)} capabilities, {len(pairs)} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
