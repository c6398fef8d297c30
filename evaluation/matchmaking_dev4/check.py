"""Validate the dev4 matchmaking set (standard library only); exit 1 on any problem.

Why: a labelled set is only useful if its truth is exact and its form matches what the tuner reads.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
AREAS_DIR = HERE.parents[1] / "src" / "klynge" / "landscape" / "data" / "areas"
COLUMNS = [
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
# ISO 3166-1 alpha-2 codes accepted in the countries column.
_CODES = (
    "AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LT LU LV MT NL NO PL PT RO SE SI SK "
    "US CA JP KR CN IN SG AU UA TR FO GL"
)
COUNTRIES = frozenset(_CODES.split())
# Danish and English function words ignored when asking whether two texts share a content word.
_STOP_TEXT = """
a about also an and any are as at be been but by can for from has have in into is it its of on
or our that the their them these this to we with who will you your us more new other such not
which what all og i at en et der de det den som til af på med for er vi har kan fra os vores
eller også ikke nye om ved så skal vil mere andre efter under over hos samt man sig jeres jer
din dit dine han hun
"""
STOP = frozenset(_STOP_TEXT.split())


def words(text: str) -> set[str]:
    """Content words: lower-case tokens of three or more letters that are not stop words."""
    return {
        w for w in re.findall(r"[a-zæøåäöü0-9]+", text.lower()) if len(w) >= 3 and w not in STOP
    }


def main() -> int:
    """Run every check, print counts, return the exit code."""
    problems: list[str] = []
    slugs = {p.stem for p in AREAS_DIR.glob("*.toml")}
    sys.path.insert(0, str(HERE))
    from catalogue import BY_ID, CATALOGUE

    if not 50 <= len(CATALOGUE) <= 60:
        problems.append(f"catalogue has {len(CATALOGUE)} capabilities")
    with open(HERE / "profiles.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            problems.append(f"columns {reader.fieldnames}")
        rows = list(reader)
    ids = [r["id"] for r in rows]
    if ids != [f"D{i:03d}" for i in range(1, len(rows) + 1)]:
        problems.append("ids are not D001.. in order")
    for r in rows:
        where = r["id"]
        if not re.fullmatch(r"DORG-\d{3}", r["organisation"]):
            problems.append(f"{where}: organisation {r['organisation']}")
        if r["organisation_kind"] not in KINDS:
            problems.append(f"{where}: kind {r['organisation_kind']}")
        if r["language"] not in ("da", "en"):
            problems.append(f"{where}: language {r['language']}")
        if not r["offers"].strip() or not r["seeks"].strip():
            problems.append(f"{where}: empty text")
        for cap in (r["offer_capability"], r["seek_capability"]):
            if cap not in BY_ID:
                problems.append(f"{where}: capability {cap}")
        if r["offer_capability"] == r["seek_capability"]:
            problems.append(f"{where}: seeks what it offers")
        areas = r["areas"].split(";")
        if any(a not in slugs for a in areas):
            problems.append(f"{where}: areas {r['areas']}")
        if r["offer_capability"] in BY_ID and tuple(areas) != BY_ID[r["offer_capability"]][3]:
            problems.append(f"{where}: areas differ from catalogue")
        kinds = r["partner_kinds"].split(";")
        if not 1 <= len(kinds) <= 2 or any(k not in PARTNER_KINDS for k in kinds):
            problems.append(f"{where}: partner kinds {r['partner_kinds']}")
        if r["countries"] and any(c not in COUNTRIES for c in r["countries"].split(";")):
            problems.append(f"{where}: countries {r['countries']}")
        if r["split"] != "dev":
            problems.append(f"{where}: split {r['split']}")
        for cap in ("Q0", "Q1", "Q2", "Q3", "Q4", "Q5"):
            if re.search(rf"\b{cap}\d\b", r["offers"] + " " + r["seeks"]):
                problems.append(f"{where}: text names a capability id")
    texts = [r["offers"] for r in rows] + [r["seeks"] for r in rows]
    for text, n in Counter(texts).items():
        if n > 1:
            problems.append(f"text repeated {n} times: {text[:60]}")
    offerers: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        offerers[r["offer_capability"]].append(r)
    derived: set[tuple[str, str]] = set()
    for r in rows:
        partners = [
            p for p in offerers[r["seek_capability"]] if p["organisation"] != r["organisation"]
        ]
        if not 5 <= len(partners) <= 9:
            problems.append(
                f"{r['id']}: sought capability {r['seek_capability']} has {len(partners)} offerers"
            )
        derived |= {(r["id"], p["id"]) for p in partners}
    with open(HERE / "pairs.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader, None) != ["seeker", "partner"]:
            problems.append("pairs.csv header")
        given = {tuple(row) for row in reader}
    if given != derived:
        problems.append(f"pairs.csv differs from derived truth ({len(given)} vs {len(derived)})")
    by_id = {r["id"]: r for r in rows}
    disjoint = sum(
        1 for s, p in derived if not words(by_id[s]["seeks"]) & words(by_id[p]["offers"])
    )
    orgs = Counter(r["organisation"] for r in rows)
    org_kinds: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        org_kinds[r["organisation"]].add(r["organisation_kind"])
    problems += [f"{org}: several kinds {sorted(k)}" for org, k in org_kinds.items() if len(k) > 1]
    problems += [f"{org}: {n} profiles" for org, n in orgs.items() if n > 2]
    for org in (o for o, n in orgs.items() if n == 2):
        offered = [r["offer_capability"] for r in rows if r["organisation"] == org]
        if offered[0] == offered[1]:
            problems.append(f"{org}: both profiles offer {offered[0]}")
    twos = sum(1 for n in orgs.values() if n == 2)
    print(f"profiles {len(rows)}; organisations {len(orgs)}; with two profiles {twos}")
    print("languages", dict(Counter(r["language"] for r in rows)))
    print("kinds", dict(Counter(r["organisation_kind"] for r in rows)))
    print(
        f"capabilities offered {len(offerers)}; sought {len({r['seek_capability'] for r in rows})}"
    )
    share = disjoint / len(derived) if derived else 0.0
    print(f"true pairs {len(derived)}; sharing no content word {disjoint} ({share:.1%})")
    for problem in problems[:50]:
        print("PROBLEM", problem)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
