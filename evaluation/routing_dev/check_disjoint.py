"""Check that the routing development set names no organisation of the two test sets.

Usage, from the repository root of a checkout that sits next to the workspace's ``notes/``:

    python3 evaluation/routing_dev/check_disjoint.py evaluation/routing_dev/companies.csv ../notes

A name overlaps when, after dropping legal suffixes (A/S, ApS, amba, Group, Holding, ...) and
anything in brackets, it equals a test-set name or one contains the other as whole words. A
second pass also drops country words (Danmark, Denmark, Nordic, ...) and then compares exact
names, and containment for names of two or more words. Only the names of the test sets are read
(``set1_names.txt`` and ``set2_names.txt``, one per line), never their CSV files. Exits 1 when
any row overlaps.
"""

import csv
import re
import sys

LEGAL = (
    r"a/s|aps|amba|a\.m\.b\.a\.|i/s|p/s|k/s|group|gruppen|holding|holdings|ab|ag|inc|ltd|"
    r"a\.s\.|as|aktieselskab|advokatpartnerselskab|statsautoriseret revisionspartnerselskab"
)
SUFFIX = re.compile(rf"\b({LEGAL})\b")
COUNTRY = re.compile(r"\b(danmark|denmark|international|nordic|scandinavia)\b")


def norm(name: str) -> str:
    """Casefold, drop brackets and legal suffixes, keep words only."""
    s = re.sub(r"\(.*?\)", " ", name.casefold())
    s = SUFFIX.sub(" ", s)
    s = re.sub(r"[^\w&+]+", " ", s)
    return " ".join(s.split())


def norm_country(name: str) -> str:
    """As norm, and also drop country words."""
    return " ".join(COUNTRY.sub(" ", norm(name)).split())


def contains(part: str, whole: str) -> bool:
    """True when part occurs in whole as whole words."""
    return bool(part) and re.search(rf"(^| ){re.escape(part)}( |$)", whole) is not None


def overlaps(name: str, other: str) -> bool:
    a, b = norm(name), norm(other)
    if name.casefold() == other.casefold() or a == b or contains(a, b) or contains(b, a):
        return True
    a2, b2 = norm_country(name), norm_country(other)
    if a2 == b2:
        return True
    long_b = len(b2.split()) >= 2 and contains(b2, a2)
    long_a = len(a2.split()) >= 2 and contains(a2, b2)
    return long_a or long_b


def main(csv_path: str, notes: str) -> int:
    test_names = []
    for fname in ("set1_names.txt", "set2_names.txt"):
        with open(f"{notes}/{fname}", encoding="utf-8") as fh:
            test_names += [line.strip() for line in fh if line.strip()]
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = 0
    for row in rows:
        for other in test_names:
            if overlaps(row["name"], other):
                print("OVERLAP", row["id"], row["name"], "<->", other)
                bad += 1
    print("checked", len(rows), "rows against", len(test_names), "names;", bad, "overlaps")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "../notes"))
