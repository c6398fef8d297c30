"""Build profiles.csv, pairs.csv and stats.json of the dev9 matchmaking set from source/*.txt.

The truth is derived, never typed: a pair exists exactly when the partner offers the capability
the seeker seeks and the two profiles belong to different organisations. Re-running gives the
same files byte for byte (sorted input, fixed seed).
"""

import csv
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import BY_SLUG  # noqa: E402

SEED = 9
HEADER = [
    "id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
    "partner_kinds", "countries", "offer_capability", "seek_capability", "split",
]
# Function words only; a pair "shares a content word" if any other 3+ letter word is common.
_STOPWORD_TEXT = """and the for with our your you are not can who how what from that this
    into out all any
    one two new want need needs looking looking seeking help also its their them they have has
    been will would could should just more than per via but get our ours etc plus there here
    og der det den som med for til fra har kan vil skal vores jeres vi de en et er af på om
    ikke men eller også hvor hvad hvem før efter over under ind ud op så alle andre nye selv
    søger søge mangler gerne have bruge brug hjælp hjælpe nogen noget mere meget
    kun helst"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
WORD = re.compile(r"[^\W\d_]+")


def content_words(text: str) -> set[str]:
    """Lower-cased words of 3+ letters that are not function words."""
    return {w for w in WORD.findall(text.lower()) if len(w) >= 3 and w not in STOPWORDS}


def read_source() -> list[dict[str, str]]:
    """Parse every source line; the order is file name, then line, so ids are stable."""
    rows: list[dict[str, str]] = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("|")
            if len(parts) != 7:
                raise SystemExit(f"{path.name}:{number}: expected 7 fields, got {len(parts)}")
            orgkey, kind, language, offer, seek, offers, seeks = (p.strip() for p in parts)
            for slug in (offer, seek):
                if slug not in BY_SLUG:
                    raise SystemExit(f"{path.name}:{number}: unknown capability {slug}")
            name, _, country = orgkey.partition("@")
            # The offered capability's areas only: the sought one's would tell a recommender
            # reading the areas column what the seeker wants (integrator's change, session 8).
            areas = list(dict.fromkeys(BY_SLUG[offer].areas))
            rows.append({
                "organisation": name.replace("_", " "),
                "organisation_kind": kind,
                "language": language,
                "offers": offers,
                "seeks": seeks,
                "areas": ";".join(areas),
                "partner_kinds": BY_SLUG[seek].partner_kind,
                "countries": country or "DK",
                "offer_capability": offer,
                "seek_capability": seek,
                "split": "dev",
            })
    return rows


def main() -> None:
    """Write the three files and print the counts the README quotes."""
    rows = read_source()
    # Shuffle once with a fixed seed so ids do not reveal the capability blocks of the sources.
    random.Random(SEED).shuffle(rows)
    for index, row in enumerate(rows, 1):
        row["id"] = f"N{index:03d}"
    with (HERE / "profiles.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    pairs = [
        (s, p) for s in rows for p in rows
        if p["offer_capability"] == s["seek_capability"] and p["organisation"] != s["organisation"]
    ]
    with (HERE / "pairs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["seeker", "partner"])
        writer.writerows((s["id"], p["id"]) for s, p in pairs)

    cross = sum(s["language"] != p["language"] for s, p in pairs)
    disjoint = sum(not content_words(s["seeks"]) & content_words(p["offers"]) for s, p in pairs)
    languages = {lang: sum(r["language"] == lang for r in rows) for lang in ("da", "en")}
    stats = {
        "profiles": len(rows),
        "organisations": len({r["organisation"] for r in rows}),
        "languages": languages,
        "capabilities": len({r["offer_capability"] for r in rows}),
        "pairs": len(pairs),
        "seekers_with_pairs": len({s["id"] for s, _ in pairs}),
        "cross_language_pairs": cross,
        "cross_language_share": round(cross / len(pairs), 3),
        "pairs_sharing_no_content_word": disjoint,
        "no_shared_content_word_share": round(disjoint / len(pairs), 3),
    }
    (HERE / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
