"""Assemble the matchmaking_v6 test set from the hand-written source files.

Only assembles: reads source/*.txt, shuffles with a fixed seed, numbers profiles and
organisations, draws the untruthful partner_kinds/countries fields, derives pairs.csv
from the truth rule and writes README.md from README.template.md. Standard library only.
"""

import csv
import random
import re
from collections import Counter
from pathlib import Path

from catalogue import CAPABILITIES

HERE = Path(__file__).resolve().parent
SEED = 20261205
PARTNER_KINDS = [
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
]
COUNTRIES = ["DK", "SE", "NO", "DE", "NL", "FI", "PL", "GB", "FR", "US", "EE", "IS"]
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
STOPWORD_LINES = (
    "the and for our with that this from are you your can who want need needs we into",
    "its their them they have has not but all any one out also use using used more than",
    "per before after over under only some each which what when where how new",
    "og til med der det den som vil vores kan har for fra på af at er en et de vi",
    "jeres eller også skal ikke men efter inden hvor hvad hvem hvordan når så alle",
    "nogen noget mere mindre selv hele både mod uden igen samt dem sin sit",
    "sine deres jer man vore gerne får bliver blive være været meget",
)
STOPWORDS = {word for line in STOPWORD_LINES for word in line.split()}


def read_source():
    rows = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("|")
            if len(parts) != 7:
                raise SystemExit(f"{path.name}:{number}: expected 7 fields, got {len(parts)}")
            rows.append([part.strip() for part in parts])
    return rows


def content_words(text):
    words = re.findall(r"[a-zæøåéü0-9]+", text.lower())
    return {word for word in words if len(word) >= 3 and word not in STOPWORDS}


def main():
    rows = read_source()
    rng = random.Random(SEED)
    rng.shuffle(rows)
    org_ids = {}
    profiles = []
    for index, (orgkey, kind, language, offer, seek, offers, seeks) in enumerate(rows, 1):
        if orgkey not in org_ids:
            org_ids[orgkey] = f"GORG-{len(org_ids) + 1:03d}"
        kinds = rng.sample(PARTNER_KINDS, rng.randint(1, 3))
        countries = rng.sample(COUNTRIES, rng.randint(1, 3))
        profiles.append(
            {
                "id": f"G{index:03d}",
                "organisation": org_ids[orgkey],
                "organisation_kind": kind,
                "language": language,
                "offers": offers,
                "seeks": seeks,
                "areas": ";".join(CAPABILITIES[offer][2]),
                "partner_kinds": ";".join(kinds),
                "countries": ";".join(countries),
                "offer_capability": offer,
                "seek_capability": seek,
                "split": "test",
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

    by_id = {profile["id"]: profile for profile in profiles}
    disjoint = sum(
        1
        for seeker, partner in pairs
        if not content_words(by_id[seeker]["seeks"]) & content_words(by_id[partner]["offers"])
    )
    languages = Counter(profile["language"] for profile in profiles)
    kinds = Counter(profile["organisation_kind"] for profile in profiles)
    orgs = Counter(profile["organisation"] for profile in profiles)
    seekers_without = sum(1 for p in profiles if not any(s == p["id"] for s, _ in pairs))
    cross_language = sum(1 for s, t in pairs if by_id[s]["language"] != by_id[t]["language"])
    table = ["| id | English | Danish | areas | offered | sought |", "|---|---|---|---|---|---|"]
    offered = Counter(p["offer_capability"] for p in profiles)
    sought = Counter(p["seek_capability"] for p in profiles)
    for cap, (english, danish, areas) in CAPABILITIES.items():
        slugs = ", ".join(areas)
        table.append(f"| {cap} | {english} | {danish} | {slugs} | {offered[cap]} | {sought[cap]} |")
    stats = {
        "PROFILES": str(len(profiles)),
        "LANGUAGES": ", ".join(f"{k} {v}" for k, v in sorted(languages.items())),
        "KINDS": ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        "ORGS": str(len(orgs)),
        "TWO_PROFILE_ORGS": str(sum(1 for v in orgs.values() if v > 1)),
        "CAPABILITIES": str(len(CAPABILITIES)),
        "PAIRS": str(len(pairs)),
        "CROSS_LANGUAGE": f"{cross_language} ({cross_language / len(pairs):.1%})",
        "DISJOINT": f"{disjoint} of {len(pairs)} ({disjoint / len(pairs):.1%})",
        "SEEKERS_WITHOUT": str(seekers_without),
        "TABLE": "\n".join(table),
    }
    text = (HERE / "README.template.md").read_text(encoding="utf-8")
    for key, value in stats.items():
        text = text.replace("{{" + key + "}}", value)
    (HERE / "README.md").write_text(text, encoding="utf-8")
    for key, value in stats.items():
        if key != "TABLE":
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
