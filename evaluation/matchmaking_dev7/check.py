"""Check the matchmaking_dev7 development set; exit 1 on any problem, print statistics.

Standard library only. Run from anywhere: python evaluation/matchmaking_dev7/check.py
"""

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from catalogue import AREAS, CATALOGUE, IDS

HERE = Path(__file__).resolve().parent
HEADER = (
    "id,organisation,organisation_kind,language,offers,seeks,areas,partner_kinds,"
    "countries,offer_capability,seek_capability,split"
)
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
PARTNER_KINDS = {
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
}
STOPWORD_TEXT = """
and the for with our your their from that this these those into onto over under are was were
has have had not but can could will would should may might must all any each per via who what
which when where why how its also only more most less than then them they you out own
one two use using used new need needs want wants like just about before after both such
og der det den som til med for fra har vil kan skal ikke men eller vores jeres deres
hvor hvad hvem hvordan når også kun mere mest end efter før alle hver både sådan nye nyt
vi de en et er af på at om ud op ind sig sin sit sine man mange meget nogen noget
"""
STOPWORDS = set(STOPWORD_TEXT.split())


def content_words(text):
    words = re.findall(r"[a-zæøåäöéü]+", text.lower())
    return {word for word in words if len(word) >= 3 and word not in STOPWORDS}


def main():
    problems = []
    areas_dir = HERE.parents[1] / "src" / "klynge" / "landscape" / "data" / "areas"
    slugs = {path.stem for path in areas_dir.glob("*.toml")}
    if not 45 <= len(CATALOGUE) <= 55:
        problems.append(f"catalogue has {len(CATALOGUE)} capabilities")
    if len(set(IDS)) != len(IDS):
        problems.append("duplicate capability ids")
    for cap, areas in AREAS.items():
        for slug in areas:
            if slugs and slug not in slugs:
                problems.append(f"{cap}: unknown area slug {slug}")

    with open(HERE / "profiles.csv", encoding="utf-8", newline="") as handle:
        first = handle.readline().strip()
        if first != HEADER:
            problems.append("profiles.csv header differs")
        handle.seek(0)
        rows = list(csv.DictReader(handle))
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        problems.append("duplicate profile ids")
    if len(rows) < 320:
        problems.append(f"only {len(rows)} profiles")
    offered = Counter()
    sought = Counter()
    profiles_per_org = Counter()
    # Ids with an underscore never occur in ordinary prose; the one-word ids (lca, bim,
    # packaging, ...) are ordinary words and may.
    id_pattern = re.compile("|".join(re.escape(cap) for cap in IDS if "_" in cap), re.IGNORECASE)
    org_kind = {}
    for row in rows:
        rid = row["id"]
        profiles_per_org[row["organisation"]] += 1
        if (
            org_kind.setdefault(row["organisation"], row["organisation_kind"])
            != row["organisation_kind"]
        ):
            problems.append(f"{rid}: organisation {row['organisation']} has two kinds")
        if row["organisation_kind"] not in KINDS:
            problems.append(f"{rid}: kind {row['organisation_kind']}")
        if row["language"] not in {"da", "en"}:
            problems.append(f"{rid}: language {row['language']}")
        if row["split"] != "dev":
            problems.append(f"{rid}: split {row['split']}")
        offer, seek = row["offer_capability"], row["seek_capability"]
        for cap in (offer, seek):
            if cap not in AREAS:
                problems.append(f"{rid}: unknown capability {cap}")
        if offer == seek:
            problems.append(f"{rid}: offers and seeks the same capability")
        if offer in AREAS and row["areas"] != ";".join(AREAS[offer]):
            problems.append(f"{rid}: areas do not match the offered capability")
        if not set(row["partner_kinds"].split(";")) <= PARTNER_KINDS:
            problems.append(f"{rid}: partner_kinds {row['partner_kinds']}")
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in row["countries"].split(";")):
            problems.append(f"{rid}: countries {row['countries']}")
        for field in ("offers", "seeks"):
            text = row[field]
            if len(text) < 15:
                problems.append(f"{rid}: {field} too short")
            if id_pattern.search(text) or "|" in text:
                problems.append(f"{rid}: {field} contains a capability id or a separator")
        offered[offer] += 1
        sought[seek] += 1
    for cap in IDS:
        if not 6 <= offered[cap] <= 8:
            problems.append(f"{cap}: offered by {offered[cap]} profiles")
        if sought[cap] == 0:
            problems.append(f"{cap}: sought by nobody")
    multi = [org for org, count in profiles_per_org.items() if count > 1]
    if len(multi) > 15:
        problems.append(f"{len(multi)} organisations have more than one profile")
    languages = Counter(row["language"] for row in rows)
    if abs(languages["da"] - languages["en"]) > len(rows) * 0.05:
        problems.append(f"languages unbalanced: {dict(languages)}")
    for field in ("offers", "seeks"):
        texts = Counter(row[field] for row in rows)
        for text, count in texts.items():
            if count > 1:
                problems.append(f"{field} text repeated: {text[:50]}")

    by_id = {row["id"]: row for row in rows}
    by_offer = defaultdict(list)
    for row in rows:
        by_offer[row["offer_capability"]].append(row)
    expected = {
        (seeker["id"], partner["id"])
        for seeker in rows
        for partner in by_offer[seeker["seek_capability"]]
        if partner["organisation"] != seeker["organisation"]
    }
    with open(HERE / "pairs.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader) != ["seeker", "partner"]:
            problems.append("pairs.csv header differs")
        pairs = [tuple(pair) for pair in reader]
    if len(set(pairs)) != len(pairs):
        problems.append("duplicate pairs")
    if set(pairs) != expected:
        problems.append(
            f"pairs differ from the truth rule: {len(set(pairs) - expected)} extra, "
            f"{len(expected - set(pairs))} missing"
        )
    disjoint = sum(
        1
        for seeker, partner in pairs
        if not content_words(by_id[seeker]["seeks"]) & content_words(by_id[partner]["offers"])
    )

    print(f"profiles: {len(rows)}  languages: {dict(sorted(languages.items()))}")
    print(f"kinds: {dict(sorted(Counter(row['organisation_kind'] for row in rows).items()))}")
    print(f"organisations: {len(profiles_per_org)}  with two profiles: {len(multi)}")
    print(
        f"capabilities: {len(IDS)}  offered per capability: "
        f"{min(offered.values())}-{max(offered.values())}"
    )
    print(f"sought per capability: {min(sought[c] for c in IDS)}-{max(sought[c] for c in IDS)}")
    print(
        f"pairs: {len(pairs)}  with no shared content word: "
        f"{disjoint} ({disjoint / max(len(pairs), 1):.1%})"
    )
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
