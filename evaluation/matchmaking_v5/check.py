"""Validate matchmaking_v5 (standard library only); exit 1 on any problem."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from catalogue import CATALOGUE

HERE = Path(__file__).resolve().parent
AREAS = HERE.parents[1] / "src" / "klynge" / "landscape" / "data" / "areas"
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
STOP = {
    "a",
    "an",
    "and",
    "or",
    "the",
    "of",
    "for",
    "to",
    "in",
    "on",
    "at",
    "by",
    "with",
    "from",
    "as",
    "is",
    "are",
    "be",
    "we",
    "our",
    "us",
    "you",
    "your",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "can",
    "will",
    "would",
    "want",
    "wish",
    "looking",
    "look",
    "seek",
    "seeking",
    "need",
    "needs",
    "offer",
    "offers",
    "new",
    "who",
    "which",
    "into",
    "other",
    "others",
    "more",
    "also",
    "any",
    "some",
    "such",
    "all",
    "not",
    "no",
    "than",
    "via",
    "per",
    "e",
    "g",
    "eg",
    "etc",
    "partner",
    "partners",
    "company",
    "companies",
    "og",
    "i",
    "på",
    "en",
    "et",
    "af",
    "til",
    "med",
    "fra",
    "som",
    "er",
    "vi",
    "os",
    "vores",
    "der",
    "den",
    "det",
    "de",
    "har",
    "kan",
    "vil",
    "gerne",
    "søger",
    "ønsker",
    "tilbyder",
    "eller",
    "samt",
    "også",
    "nye",
    "ny",
    "nyt",
    "man",
    "skal",
    "jeres",
    "jer",
    "hvor",
    "hvis",
    "ikke",
    "mere",
    "andre",
    "anden",
    "andet",
    "alle",
    "sig",
    "sin",
    "sit",
    "sine",
    "efter",
    "over",
    "under",
    "mod",
    "om",
    "ud",
    "op",
}


def words(text: str) -> set[str]:
    """Content words: lower-case tokens of 3+ letters that are not stop words."""
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3 and w not in STOP}


def main() -> int:
    """Run every check, print counts, return the exit code."""
    problems: list[str] = []
    slugs = {p.stem for p in AREAS.glob("*.toml")}
    with open(HERE / "profiles.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            problems.append(f"columns {reader.fieldnames}")
        rows = list(reader)
    ids = [r["id"] for r in rows]
    if ids != [f"F{i:03d}" for i in range(1, len(rows) + 1)]:
        problems.append("ids are not F001.. in order")
    texts = Counter()
    for r in rows:
        rid = r["id"]
        if not re.fullmatch(r"FORG-\d{3}", r["organisation"]):
            problems.append(f"{rid} organisation")
        if r["organisation_kind"] not in KINDS:
            problems.append(f"{rid} kind")
        if r["language"] not in {"da", "en"}:
            problems.append(f"{rid} language")
        if not r["areas"] or any(a not in slugs for a in r["areas"].split(";")):
            problems.append(f"{rid} areas")
        pk = r["partner_kinds"].split(";")
        if not 1 <= len(pk) <= 2 or any(p not in PARTNER_KINDS for p in pk):
            problems.append(f"{rid} partner_kinds")
        if r["countries"] and any(
            not re.fullmatch(r"[A-Z]{2}", c) for c in r["countries"].split(";")
        ):
            problems.append(f"{rid} countries")
        if r["offer_capability"] not in CATALOGUE or r["seek_capability"] not in CATALOGUE:
            problems.append(f"{rid} capability")
        if r["offer_capability"] == r["seek_capability"]:
            problems.append(f"{rid} offers what it seeks")
        if r["split"] != "test":
            problems.append(f"{rid} split")
        for t in (r["offers"], r["seeks"]):
            texts[t] += 1
            if re.search(r"\bP\d\d\b", t):
                problems.append(f"{rid} names a capability id")
    problems += [f"duplicate text: {t}" for t, n in texts.items() if n > 1]
    offerers: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        offerers[r["offer_capability"]].add(r["id"])
    by_id = {r["id"]: r for r in rows}
    derived = set()
    for s in rows:
        partners = {
            p
            for p in offerers[s["seek_capability"]]
            if by_id[p]["organisation"] != s["organisation"]
        }
        orgs = {by_id[p]["organisation"] for p in partners}
        if not 5 <= len(orgs) <= 9:
            problems.append(f"{s['id']} seek offered by {len(orgs)} other organisations")
        derived |= {(s["id"], p) for p in partners}
    with open(HERE / "pairs.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        if next(reader) != ["seeker", "partner"]:
            problems.append("pairs header")
        pairs = {tuple(x) for x in reader}
    if pairs != derived:
        problems.append(f"pairs differ from derived ({len(pairs)} vs {len(derived)})")
    disjoint = sum(
        1 for s, p in derived if not words(by_id[s]["seeks"]) & words(by_id[p]["offers"])
    )
    orgs = Counter(r["organisation"] for r in rows)
    twice = sum(n == 2 for n in orgs.values())
    print(f"profiles {len(rows)}; organisations {len(orgs)}; with two profiles {twice}")
    print("languages", dict(Counter(r["language"] for r in rows)))
    print("kinds", dict(Counter(r["organisation_kind"] for r in rows)))
    print(
        f"capabilities offered {len(offerers)}; sought {len({r['seek_capability'] for r in rows})}"
    )
    share = disjoint / len(derived) if derived else 0.0
    print(f"true pairs {len(derived)}; sharing no content word {disjoint} ({share:.1%})")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
