"""Build profiles.csv and pairs.csv of the v8 matchmaking test set from source/*.txt.

Everything in the two CSV files is derived here, so the truth can be checked and rebuilt
rather than trusted. Rows are shuffled with a fixed seed so that ids and organisation keys
say nothing about a profile's capability. Run: python build.py (standard library only).
"""

import csv
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CATALOGUE  # noqa: E402

SEED = 8
HEADER = [
    "id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
    "partner_kinds", "countries", "offer_capability", "seek_capability", "split",
]  # fmt: skip

# Words too common to count as shared content between a seek and an offer.
_STOP_TEXT = """
    the and for our are with that this from who can not but all any you your they them their
    have has had was were will would want wants need needs needed into out how what when which
    where why one two some more most also only than then very such each other new use using used
    make made get per its it's about over under after before just like still there here been
    being does doing done lot lots own way ways well able yet
    og til for med der det den som vil har kan ikke men alle fra hvor vores vi jer jeres de dem
    deres skal hvad når hvilke hvorfor også kun end meget mere mest nogle nye ny nyt bruge brug
    efter før over under ved ind ude mod sig selv eller være været bliver blive blev får have
    gerne lige hele helt andre anden andet mange hver især samt søger søge mangler kunne
    """
STOP_WORDS = frozenset(_STOP_TEXT.split())


def parse_sources() -> list[dict[str, str]]:
    """Read every hand-written line; '-' as organisation tag means an organisation of its own."""
    rows: list[dict[str, str]] = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|")
            if len(parts) != 8:
                raise SystemExit(f"{path.name}:{number}: expected 8 fields, got {len(parts)}")
            tag, kind, language, offer, seek, countries, offers, seeks = (p.strip() for p in parts)
            for capability in (offer, seek):
                if capability not in CATALOGUE:
                    raise SystemExit(f"{path.name}:{number}: unknown capability {capability}")
            org_tag = f"solo:{path.name}:{number}" if tag == "-" else f"tag:{tag}"
            rows.append(
                {
                    "org_tag": org_tag,
                    "organisation_kind": kind,
                    "language": language,
                    "offers": offers,
                    "seeks": seeks,
                    "areas": ";".join(CATALOGUE[offer].areas),
                    "partner_kinds": CATALOGUE[seek].partner_kind,
                    "countries": countries or "DK",
                    "offer_capability": offer,
                    "seek_capability": seek,
                    "split": "test",
                }
            )
    return rows


def assign_ids(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Shuffle rows and give ids H001… and organisation keys GORG-nnn in a separate random order."""
    rng = random.Random(SEED)
    rows = rows[:]
    rng.shuffle(rows)
    tags = sorted({row["org_tag"] for row in rows})
    numbers = list(range(1, len(tags) + 1))
    rng.shuffle(numbers)
    org_key = {tag: f"GORG-{n:03d}" for tag, n in zip(tags, numbers, strict=True)}
    out = []
    for index, row in enumerate(rows, 1):
        record = {"id": f"H{index:03d}", "organisation": org_key[row["org_tag"]]}
        record.update({k: v for k, v in row.items() if k != "org_tag"})
        out.append({k: record[k] for k in HEADER})
    return out


def derive_pairs(profiles: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Truth rule: the partner offers what the seeker seeks, and is another organisation."""
    return [
        (seeker["id"], partner["id"])
        for seeker in profiles
        for partner in profiles
        if partner["offer_capability"] == seeker["seek_capability"]
        and partner["organisation"] != seeker["organisation"]
    ]


def content_words(text: str) -> set[str]:
    """Lower-cased words of three or more letters that are not stop words."""
    words = re.findall(r"[a-zæøåäöüé0-9]+", text.lower())
    return {w for w in words if len(w) >= 3 and w not in STOP_WORDS}


def statistics(profiles: list[dict[str, str]], pairs: list[tuple[str, str]]) -> str:
    """Counts for the README: languages, capability use, language mix and word overlap of pairs."""
    by_id = {p["id"]: p for p in profiles}
    lines = [f"profiles: {len(profiles)}", f"pairs: {len(pairs)}"]
    lines.append(f"organisations: {len({p['organisation'] for p in profiles})}")
    lines.append(f"languages: {dict(Counter(p['language'] for p in profiles))}")
    lines.append(f"organisation kinds: {dict(Counter(p['organisation_kind'] for p in profiles))}")
    mix = Counter(f"{by_id[s]['language']}->{by_id[t]['language']}" for s, t in pairs)
    total = len(pairs)
    lines.append(
        "pair languages (seeker->partner): "
        + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in sorted(mix.items()))
    )
    no_overlap = sum(
        1
        for s, t in pairs
        if not content_words(by_id[s]["seeks"]) & content_words(by_id[t]["offers"])
    )
    share = f"{no_overlap / total:.1%}"
    lines.append(f"pairs with no shared content word: {no_overlap} of {total} ({share})")
    per_seeker = Counter(s for s, _ in pairs)
    lines.append(
        f"partners per seeker: min {min(per_seeker.values())}, max {max(per_seeker.values())}, "
        f"mean {total / len(profiles):.2f}"
    )
    offered = Counter(p["offer_capability"] for p in profiles)
    sought = Counter(p["seek_capability"] for p in profiles)
    lines.append("capability | offered | sought")
    for slug in CATALOGUE:
        lines.append(f"{slug} | {offered[slug]} | {sought[slug]}")
    return "\n".join(lines)


def main() -> None:
    """Write both files and print the statistics the README reports."""
    profiles = assign_ids(parse_sources())
    pairs = derive_pairs(profiles)
    with (HERE / "profiles.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(profiles)
    with (HERE / "pairs.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["seeker", "partner"])
        writer.writerows(pairs)
    print(statistics(profiles, pairs))


if __name__ == "__main__":
    main()
