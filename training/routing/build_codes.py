"""Build ``src/klynge/routing/data/nace_areas.csv``: every NACE/DB07 code and the areas it means.

Run from the repository root: ``.venv/bin/python training/routing/build_codes.py``.

Inputs: the NACE Rev. 2 and DB07 code lists in ``../shared/data`` (codes only are shipped, not
their titles), the NACE lists of the areas in the landscape, and ``ADDITIONS`` below. A class
(4 digits) or DB07 code (6 digits) takes the area of its longest listed prefix; a section,
division or group gets the share of its classes that each area holds.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "src" / "klynge" / "routing" / "data" / "nace_areas.csv"
sys.path.insert(0, str(REPO / "src"))

from klynge.landscape import get_landscape  # noqa: E402

# Codes the landscape's area lists leave out but whose activity the area scopes plainly cover.
# Each line: code, area, reason. Longer (more specific) codes win over shorter ones.
ADDITIONS: list[tuple[str, str, str]] = [
    ("20", "advanced-production", "chemicals are process manufacturing"),
    ("17", "advanced-production", "paper and paperboard manufacturing"),
    ("23", "advanced-production", "glass, ceramics, cement products: manufacturing"),
    ("26", "advanced-production", "electronics manufacturing not listed elsewhere"),
    ("26.3", "digital-technologies", "communication equipment"),
    ("26.7", "advanced-production", "optical instruments"),
    ("32", "advanced-production", "other manufacturing"),
    ("33", "advanced-production", "repair and installation of machinery"),
    ("16", "construction", "wood products, mostly for building"),
    ("71.12", "construction", "engineering consultancy for buildings and infrastructure"),
    ("21.20", "life-science-welfare-technology", "pharmaceutical preparations"),
    ("72.1", "life-science-welfare-technology", "natural-science R&D; biotech is listed"),
    ("26.52", "design-fashion-furniture", "watches and clocks"),
    ("95.2", "none", "repair of personal goods"),
    ("58.29", "digital-technologies", "software publishing"),
    ("63.9", "digital-technologies", "information services"),
    ("09.1", "energy-technology", "support activities for oil and gas extraction"),
    ("49.5", "energy-technology", "transport via pipeline"),
    ("30.11", "maritime-logistics", "building of ships"),
    ("30.12", "maritime-logistics", "building of pleasure boats"),
    ("52.1", "maritime-logistics", "warehousing and storage"),
    ("77.34", "maritime-logistics", "renting of water transport equipment"),
    ("46.2", "food-bio-resources", "wholesale of agricultural raw materials and live animals"),
    ("32.12", "design-fashion-furniture", "jewellery"),
    ("32.13", "design-fashion-furniture", "imitation jewellery"),
    ("32.40", "design-fashion-furniture", "games and toys"),
    ("90.03", "animation-games-film", "artistic creation, including animation"),
    ("74.2", "animation-games-film", "photographic activities"),
    ("93.2", "tourism", "amusement and recreation"),
    ("91.02", "tourism", "museums"),
    ("91.04", "tourism", "zoos and nature attractions"),
    ("50.1", "maritime-logistics", "passenger sea transport"),
    ("86.9", "life-science-welfare-technology", "other human health activities"),
    ("30.3", "defence-space-security", "air and spacecraft"),
    ("266010", "sound-technology", "DB07 26.60.10: hearing aids"),
]


# Classes whose activity spans areas: a wholesale mapping to one area would let the code erase a
# genuine second cluster from the text's answer (issue 12). The landscape lists 28.99 under
# robots and 26.51 under defence; most companies with those codes make other machines and
# instruments, so the code keeps the listed area but shares its weight. Each DB07 code under
# the class inherits the split.
SPLITS: dict[str, tuple[dict[str, float], str]] = {
    "28.99": (
        {"advanced-production": 0.6, "robot-drone-technology": 0.4},
        "special-purpose machinery: robots among many other machines",
    ),
    "26.51": (
        {"advanced-production": 0.5, "defence-space-security": 0.3, "maritime-logistics": 0.2},
        "measuring, testing and navigation instruments: industrial, defence and ship use",
    ),
}


def read_codes() -> tuple[list[str], list[str], dict[str, str], list[str]]:
    """Sections, NACE codes (2-4 digits) with their section, and DB07 6-digit codes."""
    sections: list[str] = []
    nace: list[str] = []
    section_of: dict[str, str] = {}
    current = ""
    with (SHARED / "nace_rev2" / "codes-2.0.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Section"]:
                current = row["Section"]
                sections.append(current)
                continue
            code = row["Division"] or row["Group"] or row["Class"]
            nace.append(code)
            section_of[code] = current
    db07: list[str] = []
    with (SHARED / "db07" / "dksic.tsv").open(encoding="utf-8", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) > 6 and parts[1] == "4" and parts[6]:
                db07.append(parts[6].replace(".", ""))
    return sections, nace, section_of, db07


def main() -> None:
    ls = get_landscape()
    rules: dict[str, tuple[str, str]] = {}
    for area in ls.areas.values():
        for code in area.nace:
            rules[code] = (area.slug, "landscape")
    for code, area, reason in ADDITIONS:
        if code in rules and rules[code][1] == "landscape":
            continue  # the landscape's own list wins
        rules[code] = (area, f"addition: {reason}")

    def area_of(code: str) -> tuple[str, str]:
        best = ("none", "no listed prefix")
        best_len = -1
        for prefix, (area, why) in rules.items():
            p = prefix.replace(".", "")
            c = code.replace(".", "")
            if c.startswith(p) and len(p) > best_len:
                best, best_len = (area, f"{prefix} ({why})"), len(p)
        return best

    sections, nace, section_of, db07 = read_codes()
    classes = [c for c in nace if len(c) == 5]
    class_area = {c: area_of(c)[0] for c in classes}
    rows: list[tuple[str, str, str, str]] = []

    def split_of(code: str) -> tuple[dict[str, float], str] | None:
        digits = code.replace(".", "")
        for prefix, found in SPLITS.items():
            if digits.startswith(prefix.replace(".", "")):
                return found
        return None

    def spread(members: list[str]) -> str:
        counts: Counter[str] = Counter()
        for m in members:
            split = split_of(m)
            for a, share in (split[0] if split else {class_area[m]: 1.0}).items():
                counts[a] += share
        total = sum(counts.values())
        return "|".join(f"{a}:{n / total:.3f}" for a, n in counts.most_common())

    def weights(code: str, area: str, why: str) -> tuple[str, str]:
        split = split_of(code)
        if split is None:
            return f"{area}:1.000", why
        shares, reason = split
        return "|".join(f"{a}:{w:.3f}" for a, w in shares.items()), f"split: {reason}"

    for s in sections:
        members = [c for c in classes if section_of[c] == s]
        rows.append((s, "section", spread(members), "share of classes"))
    for code in nace:
        if len(code) == 5:
            area, why = area_of(code)
            rows.append((code, "class", *weights(code, area, why)))
        else:
            digits = code.replace(".", "")
            members = [c for c in classes if c.replace(".", "").startswith(digits)]
            level = "division" if len(code) == 2 else "group"
            rows.append((code, level, spread(members), "share of classes"))
    for code in db07:
        area, why = area_of(code)
        rows.append((code, "db07", *weights(code, area, why)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "level", "areas", "source"])
        w.writerows(rows)
    print(f"wrote {len(rows)} codes to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
