"""Validate evaluation/routing_test4/companies.csv (standard library only).

Run from anywhere:  python3 evaluation/routing_test4/check.py [--notes DIR] [--partial]
Exit code 0 when the file is sound, 1 on any problem.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HEADER = [
    "id",
    "name",
    "language",
    "description",
    "nace",
    "expected",
    "expected_also",
    "kind",
    "label_source",
    "notes",
]
KINDS = {"company", "university", "gts", "other"}
LANGS = {"da", "en"}
MIN_PER_AREA = 22
MIN_NONE = 45
MIN_ROWS = 420
NAME_LISTS = [
    "names_routing.txt",
    "names_routing_outside.txt",
    "names_routing_dev.txt",
    "names_routing_test3.txt",
]
NACE_RE = re.compile(r"^\d{2}\.\d{1,2}$")

# Words that do not identify an organisation: legal forms and group words.
NOISE = {
    "a",
    "s",
    "as",
    "aps",
    "amba",
    "a.m.b.a",
    "i",
    "p",
    "k",
    "is",
    "ps",
    "ks",
    "ab",
    "ag",
    "ltd",
    "inc",
    "plc",
    "se",
    "bv",
    "group",
    "gruppen",
    "holding",
    "holdings",
    "the",
    "advokatpartnerselskab",
    "statsautoriseret",
    "revisionspartnerselskab",
    "revisionsaktieselskab",
    "aktieselskab",
    "aktieselskabet",
    "godkendt",
}
# Country and region words, dropped in a second, exact-only comparison.
COUNTRY = {"danmark", "denmark", "dk", "nordic", "norden", "scandinavia", "international"}
# A bracket holding only a country or a town ("(Danmark)", "(Aarhus)") names no organisation.
PLACES = {
    "aarhus",
    "brabrand",
    "roskilde",
    "odense",
    "copenhagen",
    "københavn",
    "aalborg",
    "esbjerg",
    "kolding",
}

# Pairs the near-match rule flags but that were checked by hand and are different
# organisations (the reason is given).  Keys are (row name, listed name).
REVIEWED = {
    (
        "Vestjyllands Andel",
        "Andel",
    ): "farm supply co-operative in West Jutland; Andel is the Zealand energy group",
    (
        "Salling Bank",
        "Salling Group A/S",
    ): "local bank named after the Salling peninsula; no tie to the retail group",
    (
        "Brdr. Krüger",
        "Krüger A/S",
    ): "woodturning and furniture workshop; Krüger A/S is a water engineering firm",
    (
        "Dahl Advokatpartnerselskab",
        "Brødrene Dahl A/S",
    ): "law firm; Brødrene Dahl is a plumbing wholesaler",
    (
        "S.A. Christensen & Co. A/S",
        "&Co.",
    ): "milking equipment maker; &Co. is an advertising agency ('& Co' is a common suffix)",
}


def tokens(name: str) -> list[str]:
    text = name.casefold().replace("&", " og ")
    text = re.sub(r"[^\w]+", " ", text)
    return [t for t in text.split() if t not in NOISE]


def variants(name: str) -> list[list[str]]:
    """The name without brackets, and each bracketed part on its own."""
    out = []
    main = re.sub(r"\([^)]*\)", " ", name)
    out.append(tokens(main))
    for inner in re.findall(r"\(([^)]*)\)", name):
        part = tokens(inner)
        if all(t in COUNTRY or t in PLACES for t in part):
            continue
        out.append(part)
    return [v for v in out if v and not all(t in COUNTRY for t in v)]


def contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def overlap(a: str, b: str) -> bool:
    for va in variants(a):
        for vb in variants(b):
            if va == vb:
                return True
            if contains(va, vb) or contains(vb, va):
                return True
            ca = [t for t in va if t not in COUNTRY]
            cb = [t for t in vb if t not in COUNTRY]
            if ca and ca == cb:
                return True
    return False


def read_names(notes: Path) -> list[str]:
    names = []
    for fname in NAME_LISTS:
        path = notes / fname
        if not path.exists():
            raise SystemExit(f"names list not found: {path} (give --notes DIR)")
        names += [
            line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return names


def read_slugs() -> set[str]:
    folder = REPO / "src" / "klynge" / "landscape" / "data" / "areas"
    slugs = {p.stem for p in folder.glob("*.toml")}
    if not slugs:
        raise SystemExit(f"no area files in {folder}")
    return slugs


def read_nace() -> set[str] | None:
    for base in (REPO.parent / "shared", REPO / ".." / "shared", Path("/work/shared")):
        path = base / "data" / "nace_rev2" / "codes-2.0.csv"
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                return {r["Class"] for r in csv.DictReader(fh) if r.get("Class")}
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default=str(HERE / "companies.csv"))
    ap.add_argument("--notes", default=None, help="folder with the four names lists")
    ap.add_argument("--partial", action="store_true", help="skip the count quotas")
    args = ap.parse_args()

    notes = Path(args.notes) if args.notes else None
    if notes is None:
        for cand in (REPO.parent / "notes", REPO / "notes", Path("/work/notes")):
            if (cand / NAME_LISTS[0]).exists():
                notes = cand
                break
    if notes is None:
        print("cannot find the names lists; give --notes DIR")
        return 1

    problems: list[str] = []
    slugs = read_slugs()
    labels = slugs | {"none"}
    nace_classes = read_nace()
    listed = read_names(notes)
    listed_cf = {n.casefold() for n in listed}

    with open(args.csv, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != HEADER:
            print(f"bad header: {reader.fieldnames}")
            return 1
        rows = list(reader)

    seen_names: set[str] = set()
    seen_desc: set[str] = set()
    for i, r in enumerate(rows, start=1):
        rid = r["id"]
        if rid != f"u{i}":
            problems.append(f"row {i}: id {rid!r}, expected u{i}")
        name = r["name"].strip()
        if not name:
            problems.append(f"{rid}: empty name")
        if name.casefold() in seen_names:
            problems.append(f"{rid}: duplicate name {name!r}")
        seen_names.add(name.casefold())
        desc = r["description"].strip()
        if not desc:
            problems.append(f"{rid}: empty description")
        if desc in seen_desc:
            problems.append(f"{rid}: duplicate description")
        seen_desc.add(desc)
        if r["language"] not in LANGS:
            problems.append(f"{rid}: language {r['language']!r}")
        if r["expected"] not in labels:
            problems.append(f"{rid}: expected {r['expected']!r} is not an area slug or none")
        also = [s for s in r["expected_also"].split(";") if s]
        for s in also:
            if s not in slugs:
                problems.append(f"{rid}: expected_also {s!r} is not an area slug")
            if s == r["expected"]:
                problems.append(f"{rid}: expected_also repeats expected")
        if r["kind"] not in KINDS:
            problems.append(f"{rid}: kind {r['kind']!r}")
        nace = r["nace"].strip()
        if nace:
            if not NACE_RE.match(nace):
                problems.append(f"{rid}: nace {nace!r} is not NN.NN")
            elif nace_classes is not None and nace not in nace_classes:
                problems.append(f"{rid}: nace {nace} is not a NACE Rev. 2 class")
        if not r["label_source"].strip():
            problems.append(f"{rid}: empty label_source")
        if name.casefold() in listed_cf:
            problems.append(f"{rid}: {name!r} is on a names list")
        else:
            for other in listed:
                if overlap(name, other) and (name, other) not in REVIEWED:
                    problems.append(f"{rid}: {name!r} near-matches listed {other!r}")

    counts = Counter(r["expected"] for r in rows)
    if not args.partial:
        if len(rows) < MIN_ROWS:
            problems.append(f"{len(rows)} rows, need {MIN_ROWS}")
        for slug in sorted(slugs):
            if counts[slug] < MIN_PER_AREA:
                problems.append(f"{slug}: {counts[slug]} rows, need {MIN_PER_AREA}")
        if counts["none"] < MIN_NONE:
            problems.append(f"none: {counts['none']} rows, need {MIN_NONE}")

    lang = Counter((r["expected"], r["language"]) for r in rows)
    with_nace = Counter(r["expected"] for r in rows if r["nace"].strip())
    multi = Counter(r["expected"] for r in rows if r["expected_also"].strip())
    named_also = Counter(s for r in rows for s in r["expected_also"].split(";") if s)
    print("| expected | da | en | total | with NACE | multi-area rows | named in also |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for slug in sorted(labels, key=lambda s: (s == "none", s)):
        da, en = lang[slug, "da"], lang[slug, "en"]
        print(
            f"| `{slug}` | {da} | {en} | {da + en} | {with_nace[slug]} | {multi[slug]} "
            f"| {named_also[slug]} |"
        )
    tot_da = sum(1 for r in rows if r["language"] == "da")
    print(
        f"| **all** | {tot_da} | {len(rows) - tot_da} | {len(rows)} "
        f"| {sum(with_nace.values())} | {sum(multi.values())} | {sum(named_also.values())} |"
    )
    print("kinds:", dict(Counter(r["kind"] for r in rows)))

    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print(" -", p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
