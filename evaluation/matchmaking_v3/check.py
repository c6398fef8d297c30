"""Validate the matchmaking_v3 test set and print its counts (Python 3.11, standard library only).

Exit code 1 on any problem, so the set can be checked after every batch of hand-written rows.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import AREA_SLUGS, CATALOGUE  # noqa: E402

COLUMNS = ["id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
           "partner_kinds", "countries", "offer_capability", "seek_capability", "split"]
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
PARTNER_KINDS = {"research-partner", "supplier", "customer", "investor", "knowledge-transfer",
                 "export-partner"}
# ISO 3166-1 alpha-2 codes this set may use (Europe, the usual Nordic trade partners, a few more).
_COUNTRY_TEXT = """AD AE AL AT AU BA BE BG BR BY CA CH CN CY CZ DE DK EE ES FI FO FR GB GL GR HR HU
IE IL IN IS IT JP KR LI LT LU LV MC MD ME MK MT MX NL NO NZ PL PT RO RS SE SG SI SK SM TR TW UA US
VN ZA"""
COUNTRIES = set(_COUNTRY_TEXT.split())
MIN_OFFERERS, MAX_OFFERERS = 5, 9

# Function words of both languages and brokerage boilerplate that says nothing about the subject.
_STOPWORD_TEXT = """
the and for with from that this these those our ours your you are was were will would can could
has have had not but all any its into onto over under about than then them they their there here
who whom which what when where why how also more most such very just only some each other both
via per out off one two who's it's we're we've let lets get got use used using uses
offer offers offering seek seeks seeking look looking want wants wanted need needs needed find
partner partners company companies firm firms organisation organization solution solutions
help helps interested interest new project projects work working together cooperation
collaboration collaborate based within across like well able can make makes made provide provides
og der det den de en et at til fra med for som har var vil kan skal ikke men alle af på er
om ind ud op ned over under efter før hos mod uden eller samt så sig sin sit sine vores vi
jer jeres deres dem han hun man mig dig os også meget mere mest nogle nogen hver andre anden
andet både kun bare lige her hvor hvad hvem hvordan hvorfor når hvis fordi være været blive
bliver blev have havde har kunne skulle ville gerne gennem mellem inden siden endnu allerede
tilbyder tilbyde søger søge ønsker ønske leder efter brug bruge bruger partner partnere
virksomhed virksomheder firma firmaer løsning løsninger hjælp hjælpe interesse interesseret
samarbejde samarbejder samarbejdspartner samarbejdspartnere projekt projekter nye ny nyt arbejde
arbejder kan kunne bl.a blandt andet f.eks fx mv osv
"""
STOPWORDS = set(_STOPWORD_TEXT.split())
TOKEN = re.compile(r"[a-z0-9æøåéüöä]+")
CAPABILITY_ID = re.compile(r"\bC\d\d\b")


def content_words(text: str) -> set[str]:
    """Lower-cased words of three or more letters that are not function words or boilerplate."""
    return {w for w in TOKEN.findall(text.lower()) if len(w) >= 3 and w not in STOPWORDS}


def share_a_word(a: set[str], b: set[str]) -> bool:
    """True when two word sets share a word; words of 5+ letters match on their first five."""
    if a & b:
        return True
    stems_a = {w[:5] for w in a if len(w) >= 5}
    return any(len(w) >= 5 and w[:5] in stems_a for w in b)


def main() -> int:
    problems: list[str] = []
    with open(HERE / "profiles.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            print(f"PROBLEM: profiles.csv columns are {reader.fieldnames}")
            return 1
        rows = list(reader)
    by_id: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows, 1):
        rid = row["id"]
        if rid != f"W{n:03d}":
            problems.append(f"row {n}: id {rid!r}, expected W{n:03d}")
        by_id[rid] = row
        if not re.fullmatch(r"WORG-\d{3}", row["organisation"]):
            problems.append(f"{rid}: bad organisation {row['organisation']!r}")
        if row["organisation_kind"] not in KINDS:
            problems.append(f"{rid}: bad organisation_kind {row['organisation_kind']!r}")
        if row["language"] not in {"da", "en"}:
            problems.append(f"{rid}: bad language {row['language']!r}")
        for cap in (row["offer_capability"], row["seek_capability"]):
            if cap not in CATALOGUE:
                problems.append(f"{rid}: unknown capability {cap!r}")
        if row["offer_capability"] == row["seek_capability"]:
            problems.append(f"{rid}: offers and seeks the same capability")
        areas = row["areas"].split(";")
        if not 1 <= len(areas) <= 2 or any(a not in AREA_SLUGS for a in areas):
            problems.append(f"{rid}: bad areas {row['areas']!r}")
        elif row["offer_capability"] in CATALOGUE and \
                tuple(areas) != CATALOGUE[row["offer_capability"]][2]:
            problems.append(f"{rid}: areas differ from the catalogue's for the offered capability")
        kinds = row["partner_kinds"].split(";")
        if not 1 <= len(kinds) <= 2 or any(k not in PARTNER_KINDS for k in kinds) \
                or len(set(kinds)) != len(kinds):
            problems.append(f"{rid}: bad partner_kinds {row['partner_kinds']!r}")
        if row["countries"]:
            codes = row["countries"].split(";")
            if any(c not in COUNTRIES for c in codes) or len(set(codes)) != len(codes):
                problems.append(f"{rid}: bad countries {row['countries']!r}")
        if row["split"] != "test":
            problems.append(f"{rid}: split {row['split']!r}, expected test")
        for field in ("offers", "seeks"):
            text = row[field]
            if len(text.strip()) < 8:
                problems.append(f"{rid}: {field} text missing or too short")
            if CAPABILITY_ID.search(text):
                problems.append(f"{rid}: {field} text names a capability id")
    texts = Counter(t for row in rows for t in (row["offers"].strip().lower(),
                                               row["seeks"].strip().lower()))
    for text, count in texts.items():
        if count > 1:
            problems.append(f"text used {count} times: {text[:60]!r}")
    orgs: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        orgs[row["organisation"]].append(row)
    for org, members in orgs.items():
        if len({m["organisation_kind"] for m in members}) > 1:
            problems.append(f"{org}: profiles of one organisation have different kinds")
        if len(members) > 2:
            problems.append(f"{org}: more than two profiles")
    offerers: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        offerers[row["offer_capability"]].append(row)
    derived: set[tuple[str, str]] = set()
    for row in rows:
        partners = [p for p in offerers[row["seek_capability"]]
                    if p["organisation"] != row["organisation"]]
        if not MIN_OFFERERS <= len(partners) <= MAX_OFFERERS:
            problems.append(f"{row['id']}: sought capability {row['seek_capability']} is "
                            f"offered by {len(partners)} other organisations")
        derived.update((row["id"], p["id"]) for p in partners)
    with open(HERE / "pairs.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        listed = [tuple(r) for r in reader]
    if header != ["seeker", "partner"]:
        problems.append(f"pairs.csv header is {header}")
    if len(listed) != len(set(listed)):
        problems.append("pairs.csv has duplicate rows")
    if set(listed) != derived:
        problems.append(f"pairs.csv differs from the derived pairs: "
                        f"{len(set(listed) - derived)} extra, {len(derived - set(listed))} missing")
    no_shared = sum(not share_a_word(content_words(by_id[s]["seeks"]),
                                     content_words(by_id[p]["offers"])) for s, p in derived)
    same_lang = [(s, p) for s, p in derived if by_id[s]["language"] == by_id[p]["language"]]
    no_shared_same = sum(not share_a_word(content_words(by_id[s]["seeks"]),
                                          content_words(by_id[p]["offers"])) for s, p in same_lang)
    offered = Counter(r["offer_capability"] for r in rows)
    sought = Counter(r["seek_capability"] for r in rows)
    print(f"profiles: {len(rows)}  organisations: {len(orgs)}  "
          f"with two profiles: {sum(len(m) == 2 for m in orgs.values())}")
    print("languages:", dict(sorted(Counter(r["language"] for r in rows).items())))
    print("organisation kinds:", dict(Counter(r["organisation_kind"] for r in rows).most_common()))
    print(f"capabilities offered: {len(offered)} of {len(CATALOGUE)} "
          f"(offerers per capability {min(offered.values(), default=0)}-"
          f"{max(offered.values(), default=0)}); "
          f"sought: {len(sought)} (seekers per capability "
          f"{min(sought.values(), default=0)}-{max(sought.values(), default=0)})")
    print("areas:", dict(Counter(a for r in rows for a in r["areas"].split(";")).most_common()))
    print(f"true pairs: {len(derived)}")
    if derived:
        print(f"pairs whose seek and offer texts share no content word: {no_shared} "
              f"({no_shared / len(derived):.1%}); among same-language pairs: {no_shared_same} of "
              f"{len(same_lang)} ({no_shared_same / max(len(same_lang), 1):.1%})")
    for problem in problems:
        print("PROBLEM:", problem)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
