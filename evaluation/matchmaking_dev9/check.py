"""Validate profiles.csv and pairs.csv of the dev9 matchmaking set; exit 1 on any problem.

It re-derives the truth from the profile columns, so a hand-edited or stale pairs.csv fails.
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import BY_SLUG  # noqa: E402

HEADER = [
    "id", "organisation", "organisation_kind", "language", "offers", "seeks", "areas",
    "partner_kinds", "countries", "offer_capability", "seek_capability", "split",
]
KINDS = {"company", "university", "gts", "hospital", "municipality", "other"}
PARTNER_KINDS = {"research-partner", "supplier", "customer", "investor", "knowledge-transfer",
                 "export-partner"}
AREA_DIR = HERE.parents[1] / "src" / "klynge" / "landscape" / "data" / "areas"


def main() -> int:
    """Run every check and report all problems at once."""
    problems: list[str] = []
    areas_known = {p.stem for p in AREA_DIR.glob("*.toml")}
    if not areas_known:
        problems.append(f"no area files found in {AREA_DIR}")
    for cap in BY_SLUG.values():
        unknown = [a for a in cap.areas if a not in areas_known]
        problems += [f"catalogue {cap.slug}: unknown area {a}" for a in unknown]
        if cap.partner_kind not in PARTNER_KINDS:
            problems.append(f"catalogue {cap.slug}: bad partner kind {cap.partner_kind}")

    with (HERE / "profiles.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            problems.append(f"profiles.csv header is {reader.fieldnames}")
        rows = list(reader)
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    org_kind: dict[str, str] = {}
    for r in rows:
        where = r["id"]
        if not re.fullmatch(r"N\d{3}", where):
            problems.append(f"{where}: bad id")
        if r["organisation_kind"] not in KINDS:
            problems.append(f"{where}: bad organisation_kind")
        if org_kind.setdefault(r["organisation"], r["organisation_kind"]) != r["organisation_kind"]:
            problems.append(f"{where}: organisation {r['organisation']} has two kinds")
        if r["language"] not in {"da", "en"}:
            problems.append(f"{where}: bad language")
        if not r["offers"].strip() or not r["seeks"].strip() or not r["organisation"].strip():
            problems.append(f"{where}: empty text")
        areas = [a for a in r["areas"].split(";") if a]
        offered = BY_SLUG.get(r["offer_capability"])
        expected_areas = list(dict.fromkeys(offered.areas)) if offered else areas
        if any(a not in areas_known for a in areas) or areas != expected_areas:
            problems.append(f"{where}: bad areas {r['areas']}")
        if any(k not in PARTNER_KINDS for k in r["partner_kinds"].split(";")):
            problems.append(f"{where}: bad partner_kinds")
        if any(not re.fullmatch(r"[A-Z]{2}", c) for c in r["countries"].split(";")):
            problems.append(f"{where}: bad countries")
        if r["offer_capability"] not in BY_SLUG or r["seek_capability"] not in BY_SLUG:
            problems.append(f"{where}: unknown capability")
        if r["offer_capability"] == r["seek_capability"]:
            problems.append(f"{where}: offers what it seeks")
        if r["split"] != "dev":
            problems.append(f"{where}: split is not dev")
    for column in ("offers", "seeks"):
        repeated = [t for t, n in Counter(r[column] for r in rows).items() if n > 1]
        problems += [f"repeated {column} text: {t[:60]}" for t in repeated]

    if len(rows) < 320:
        problems.append(f"only {len(rows)} profiles")
    languages = Counter(r["language"] for r in rows)
    if abs(languages["da"] - languages["en"]) > len(rows) * 0.1:
        problems.append(f"languages unbalanced: {dict(languages)}")
    offered = Counter(r["offer_capability"] for r in rows)
    sought = Counter(r["seek_capability"] for r in rows)
    for slug in BY_SLUG:
        if not 6 <= offered[slug] <= 8:
            problems.append(f"{slug} offered {offered[slug]} times")
        if sought[slug] < 1:
            problems.append(f"{slug} never sought")

    with (HERE / "pairs.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        if next(reader, None) != ["seeker", "partner"]:
            problems.append("pairs.csv header")
        pair_list = [tuple(p) for p in reader]
    if len(set(pair_list)) != len(pair_list):
        problems.append("duplicate pairs")
    expected = {
        (s["id"], p["id"]) for s in rows for p in rows
        if p["offer_capability"] == s["seek_capability"] and p["organisation"] != s["organisation"]
    }
    if set(pair_list) != expected:
        problems.append(
            f"pairs.csv differs from the truth rule: {len(set(pair_list) - expected)} extra, "
            f"{len(expected - set(pair_list))} missing"
        )

    for problem in problems[:50]:
        print(problem)
    print(f"{len(rows)} profiles, {len(pair_list)} pairs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
