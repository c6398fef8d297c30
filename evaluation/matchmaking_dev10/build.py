"""Build profiles.csv and pairs.csv from the hand-written lines in source/*.txt.

The truth is derived, never typed: a pair (seeker, partner) is true exactly when the
partner's offered capability is the seeker's sought capability and the two are different
organisations. Profile order is shuffled with a fixed seed so that ids carry no hint of
the capability or the source file.
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

from catalogue import CAPABILITIES

HERE = Path(__file__).resolve().parent
SEED = 10
HEADER = [
    "id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
    "partner_kinds", "countries", "offer_capability", "seek_capability", "split",
]
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
# Key parts written in capitals in the organisation's display name.
UPPER = {
    "dk", "se", "no", "nl", "dtu", "aau", "sdu", "au", "ku", "cbs", "dti", "ruc", "kl",
    "kadk", "dadiu", "hca", "seges", "dnv", "eo", "uas", "h2", "ix", "ct", "ux", "lca",
    "esg", "am", "emc", "pfas", "nrw", "ptx", "mdr", "soec", "qc", "it", "sar", "dach",
}
# Organisations outside Denmark, by key; everyone else is Danish.
COUNTRY_BY_KEY = {
    "german-channel-partner": "DE", "alpen-vertrieb": "DE;AT;CH", "swiss-medtech-access": "CH;DE",
    "nrw-industrie-partner": "DE",
}
COUNTRY_BY_SUFFIX = {"se": "SE", "no": "NO", "nl": "NL"}
EXTRA_COUNTRIES = ["SE", "DE", "NO", "NL", "FI"]
_STOPWORD_TEXT = """
and the for with from that this our are was were has have had not but can who what how
which when where why into onto out off all any one two its their them they you your
than then also such each per via over under more most less only just even very much
will would should could may might must does did done being been get got let lot lots
there here about after before between without within across before again still yet
own other others some same both few many need needs want wants know like make made
og men for med fra til som det den der dem des har havde ikke kan kun skal vil ville
kunne har hvor hvad hvem hvordan hvilke hvis når fordi eller også meget mere mest
alle nogen noget nogle andre anden andet selv sig sin sit sine hans hendes deres vores
jeres mig dig vi os jer de er var været blive bliver blev efter før over under mellem
uden inden ind ud op ned på af en et i om så at ved hos mod end nu her dér dernede
allerede stadig altid ofte gerne bare helt hele heller igen mange få samme hver
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def display_name(key: str) -> str:
    """Readable organisation name from its key, e.g. 'dtu-am-lab' -> 'DTU AM Lab'."""
    parts = []
    for part in key.split("-"):
        if part == "aps":
            parts.append("ApS")
        elif part in UPPER:
            parts.append(part.upper())
        else:
            parts.append(part.capitalize())
    return " ".join(parts)


def content_words(text: str) -> set[str]:
    """Lower-cased words of three or more letters that are not function words."""
    return {w for w in re.findall(r"[a-zæøåäöü0-9]+", text.lower())
            if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()}


def read_sources() -> list[dict[str, str]]:
    """Every profile line of source/*.txt, in file order."""
    rows = []
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("|")
            if len(fields) != 7:
                raise SystemExit(f"{path.name}:{number}: expected 7 fields, got {len(fields)}")
            key, kind, language, offer, seek, offers, seeks = (f.strip() for f in fields)
            if kind not in KINDS or language not in {"da", "en"}:
                raise SystemExit(f"{path.name}:{number}: bad kind or language")
            if offer not in CAPABILITIES or seek not in CAPABILITIES or offer == seek:
                raise SystemExit(f"{path.name}:{number}: bad capability")
            rows.append({"key": key, "kind": kind, "language": language, "offer": offer,
                         "seek": seek, "offers": offers, "seeks": seeks})
    return rows


def partner_kinds(row: dict[str, str]) -> str:
    """Partner kinds the profile looks for: the sought capability's kind, plus customers
    for companies that sell a product, plus knowledge transfer for public bodies."""
    kinds = [CAPABILITIES[row["seek"]].partner_kind]
    if row["kind"] == "company" and CAPABILITIES[row["offer"]].partner_kind == "supplier":
        kinds.append("customer")
    if row["kind"] in {"hospital", "municipality"}:
        kinds.append("knowledge-transfer")
    return ";".join(dict.fromkeys(kinds))


def countries(row: dict[str, str], rng: random.Random) -> str:
    """ISO-2 countries of the organisation; a few English-writing Danish firms also work abroad."""
    key = row["key"]
    if key in COUNTRY_BY_KEY:
        return COUNTRY_BY_KEY[key]
    suffix = key.rsplit("-", 1)[-1]
    if suffix in COUNTRY_BY_SUFFIX:
        return COUNTRY_BY_SUFFIX[suffix]
    if row["language"] == "en" and row["kind"] == "company" and rng.random() < 0.2:
        return "DK;" + rng.choice(EXTRA_COUNTRIES)
    return "DK"


def main() -> None:
    """Write profiles.csv, pairs.csv and stats.json and print the counts."""
    rng = random.Random(SEED)
    rows = read_sources()
    rng.shuffle(rows)
    profiles = []
    for number, row in enumerate(rows, 1):
        # The offered capability's areas only: the sought one's would tell a recommender
        # reading the areas column what the seeker wants (integrator's change, session 8).
        areas = CAPABILITIES[row["offer"]].areas
        profiles.append({
            "id": f"P{number:03d}",
            "organisation": display_name(row["key"]),
            "organisation_kind": row["kind"],
            "language": row["language"],
            "offers": row["offers"],
            "seeks": row["seeks"],
            "areas": ";".join(dict.fromkeys(areas)),
            "partner_kinds": partner_kinds(row),
            "countries": countries(row, rng),
            "offer_capability": row["offer"],
            "seek_capability": row["seek"],
            "split": "dev",
        })
    with (HERE / "profiles.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(profiles)

    pairs = [(s, p) for s in profiles for p in profiles
             if p["offer_capability"] == s["seek_capability"]
             and p["organisation"] != s["organisation"]]
    with (HERE / "pairs.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["seeker", "partner"])
        writer.writerows((s["id"], p["id"]) for s, p in pairs)

    cross = sum(s["language"] != p["language"] for s, p in pairs)
    no_shared = sum(not (content_words(s["seeks"]) & content_words(p["offers"])) for s, p in pairs)
    stats = {
        "profiles": len(profiles),
        "danish": sum(p["language"] == "da" for p in profiles),
        "english": sum(p["language"] == "en" for p in profiles),
        "organisations": len({p["organisation"] for p in profiles}),
        "capabilities": len(CAPABILITIES),
        "true_pairs": len(pairs),
        "cross_language_pairs": cross,
        "cross_language_share": round(cross / len(pairs), 3),
        "pairs_sharing_no_content_word": no_shared,
        "no_shared_word_share": round(no_shared / len(pairs), 3),
        "seed": SEED,
    }
    (HERE / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
