"""Check that evaluation/routing_dev/companies.csv names no organisation of the two test sets.

Usage (from the repository root, in the project workspace where notes/ sits next to the checkout):
    python3 evaluation/routing_dev/check_disjoint.py evaluation/routing_dev/companies.csv ../notes
A name overlaps when, after dropping legal suffixes (A/S, ApS, amba, Group, Holding, ...), it equals a
test-set name or one contains the other as whole words; a second pass also drops country words
(Danmark, Denmark, Nordic, ...) and then compares exact names, and containment of names of two or
more words. Only the names of the test sets are read (one per line), never their CSV files.
"""
import csv, re, sys
SUFFIX = r"\b(a/s|aps|amba|a\.m\.b\.a\.|i/s|p/s|k/s|group|gruppen|holding|holdings|ab|ag|inc|ltd|a\.s\.|as|aktieselskab|advokatpartnerselskab|statsautoriseret revisionspartnerselskab)\b"
def norm(s):
    s = s.casefold()
    s = re.sub(r"\(.*?\)", " ", s)
    s = re.sub(SUFFIX, " ", s)
    s = re.sub(r"[^\w&+]+", " ", s)
    return " ".join(s.split())
COUNTRY = r"\b(danmark|denmark|international|nordic|scandinavia)\b"
def norm2(s):
    return " ".join(re.sub(COUNTRY, " ", norm(s)).split())
def words_in(a, b):
    return bool(a) and re.search(r"(^| )" + re.escape(a) + r"( |$)", b) is not None
notes = sys.argv[2] if len(sys.argv) > 2 else "../notes"
old = [l.strip() for f in (f"{notes}/set1_names.txt", f"{notes}/set2_names.txt") for l in open(f, encoding="utf-8") if l.strip()]
oldn = [(o, norm(o), norm2(o)) for o in old]
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
bad = 0
for r in rows:
    n = norm(r["name"])
    n2 = norm2(r["name"])
    for o, on, on2 in oldn:
        hit = n == on or words_in(n, on) or words_in(on, n) or r["name"].casefold() == o.casefold()
        hit = hit or n2 == on2
        hit = hit or (len(on2.split()) >= 2 and words_in(on2, n2)) or (len(n2.split()) >= 2 and words_in(n2, on2))
        if hit:
            print("OVERLAP", r["id"], r["name"], "<->", o); bad += 1
print("checked", len(rows), "rows against", len(old), "names;", bad, "overlaps")
sys.exit(1 if bad else 0)
