"""Validate the matchmaking_v11 TEST set and print its counts. Run build.py first."""

import csv
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from build import HEADER  # noqa: E402
from catalogue import CAPABILITIES, PARTNER_KINDS  # noqa: E402

# A short hand-made stop list of function words in both languages, for the word-overlap count.
STOP_TEXT = """
    a an and or the of to in on for with by from at as is are be we our us you your it its this
    that these those can will would want wants looking look need needs seek seeking who which
    into about also more most some any all not no new other than such so if e g eg per via
    og eller i på til for med af fra ved som er vi os vores jeres man den det de der en et
    har have kan vil skal søger leder efter gerne også mere meget nogle alle ikke nye ny nyt
    andre anden andet som så hvis om fx bl a ud op over under mellem vores deres sig
"""
STOP = set(STOP_TEXT.split())


def words(text: str) -> set[str]:
    found = re.findall(r"[a-zæøåéü0-9]+", text.lower())
    return {w for w in found if len(w) > 2 and w not in STOP}


def prefixes(text: str) -> set[str]:
    return {w[:5] for w in words(text)}


def fail(message: str) -> None:
    raise SystemExit(f"FAIL: {message}")


def main() -> None:
    areas = {
        tomllib.loads(p.read_text(encoding="utf-8"))["slug"]
        for p in (ROOT / "src/klynge/landscape/data/areas").glob("*.toml")
    }
    if len(areas) != 15:
        fail(f"{len(areas)} areas found, want 15")
    for slug, (definition, cap_areas, kind) in CAPABILITIES.items():
        if not definition or not cap_areas:
            fail(f"{slug}: empty definition or areas")
        if set(cap_areas) - areas:
            fail(f"{slug}: unknown areas {set(cap_areas) - areas}")
        if kind not in PARTNER_KINDS:
            fail(f"{slug}: partner kind {kind}")
    covered = {a for _, cap_areas, _ in CAPABILITIES.values() for a in cap_areas}
    if covered != areas:
        fail(f"areas without a capability: {areas - covered}")

    with open(HERE / "profiles.csv", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != HEADER:
            fail(f"profiles header {reader.fieldnames}")
        rows = list(reader)
    with open(HERE / "pairs.csv", encoding="utf-8") as f:
        reader = csv.reader(f)
        if next(reader) != ["seeker", "partner"]:
            fail("pairs header")
        pairs = [tuple(r) for r in reader]

    by_id = {r["id"]: r for r in rows}
    if [r["id"] for r in rows] != [f"M{i:03d}" for i in range(1, len(rows) + 1)]:
        fail("ids are not M001.. in order")
    for r in rows:
        if r["language"] not in ("da", "en"):
            fail(f"{r['id']}: language")
        if r["split"] != "test":
            fail(f"{r['id']}: split")
        if r["areas"].split(";") != list(CAPABILITIES[r["offer_capability"]][1]):
            fail(f"{r['id']}: areas are not those of the offered capability")
        if set(r["areas"].split(";")) - areas:
            fail(f"{r['id']}: unknown area")
        if r["partner_kinds"] != CAPABILITIES[r["seek_capability"]][2]:
            fail(f"{r['id']}: partner kind")
        if r["offer_capability"] == r["seek_capability"]:
            fail(f"{r['id']}: offers what it seeks")
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in r["countries"].split(";")):
            fail(f"{r['id']}: countries {r['countries']}")
    texts = Counter(r["offers"] for r in rows) + Counter(r["seeks"] for r in rows)
    dupes = [t for t, n in texts.items() if n > 1]
    if dupes:
        fail(f"duplicate texts: {dupes[:3]}")
    if len(set(pairs)) != len(pairs):
        fail("duplicate pairs")

    expected = set()
    for a in rows:
        for b in rows:
            if (
                b["id"] != a["id"]
                and b["organisation"] != a["organisation"]
                and b["offer_capability"] == a["seek_capability"]
            ):
                expected.add((a["id"], b["id"]))
    if set(pairs) != expected:
        fail("pairs.csv does not follow the truth rule")
    partners = defaultdict(list)
    for s, p in pairs:
        if s == p:
            fail(f"self pair {s}")
        if by_id[s]["organisation"] == by_id[p]["organisation"]:
            fail(f"same-organisation pair {s} {p}")
        partners[s].append(p)
    thin = [r["id"] for r in rows if len(partners[r["id"]]) < 5]
    if thin:
        fail(f"seekers with fewer than 5 partners: {thin}")

    offered = Counter(r["offer_capability"] for r in rows)
    sought = Counter(r["seek_capability"] for r in rows)
    missing = set(CAPABILITIES) - set(offered)
    if missing:
        fail(f"capabilities never offered: {missing}")
    off_range = {c: n for c, n in offered.items() if not 6 <= n <= 8}
    if off_range:
        fail(f"capabilities not offered by 6-8 profiles: {off_range}")
    orgs = Counter(r["organisation"] for r in rows)
    multi = sum(1 for n in orgs.values() if n > 1)
    if multi > 5 or max(orgs.values()) > 2:
        fail(f"too many organisations with several profiles ({multi})")

    print(f"profiles: {len(rows)}   organisations: {len(orgs)} ({multi} with two profiles)")
    print(f"languages: {dict(Counter(r['language'] for r in rows))}")
    print(f"organisation kinds: {dict(Counter(r['organisation_kind'] for r in rows))}")
    print(f"capabilities: {len(CAPABILITIES)}")
    print(f"offered per capability: min {min(offered.values())} max {max(offered.values())}")
    print(
        f"sought per capability: min {min(sought.values(), default=0)} "
        f"max {max(sought.values())}, never sought: {sorted(set(CAPABILITIES) - set(sought))}"
    )
    counts = [len(partners[r["id"]]) for r in rows]
    print(
        f"pairs: {len(pairs)}   partners per seeker: min {min(counts)} max {max(counts)} "
        f"mean {sum(counts) / len(counts):.2f}"
    )
    cross = sum(1 for s, p in pairs if by_id[s]["language"] != by_id[p]["language"])
    print(f"pairs across languages: {cross / len(pairs):.1%}")
    no_shared = sum(1 for s, p in pairs if not words(by_id[s]["seeks"]) & words(by_id[p]["offers"]))
    print(f"pairs sharing no content word (seek vs offer): {no_shared / len(pairs):.1%}")
    no_prefix = sum(
        1 for s, p in pairs if not prefixes(by_id[s]["seeks"]) & prefixes(by_id[p]["offers"])
    )
    print(f"pairs sharing no 5-letter word start (cruder stem): {no_prefix / len(pairs):.1%}")
    print("OK")


if __name__ == "__main__":
    main()
