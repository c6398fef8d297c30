"""Build profiles.csv and pairs.csv of the matchmaking_v11 TEST set from source/*.txt.

Source line: org|kind|language|offer_capability|seek_capability|countries|offers text|seeks text
org is "-" for an organisation with one profile, or a short tag shared by the profiles of one
organisation. Organisations get keys MORG-001... in order of first appearance.
Truth rule: A -> B when B offers what A seeks, B != A and B is not of A's organisation.
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CAPABILITIES  # noqa: E402

KINDS = ("company", "university", "other")
LANGUAGES = ("da", "en")
HEADER = [
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


def read_source() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    tags: dict[str, str] = {}
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            where = f"{path.name}:{number}"
            if len(parts) != 8:
                raise SystemExit(f"{where}: {len(parts)} fields, want 8")
            tag, kind, language, offer, seek, countries, offers, seeks = parts
            if kind not in KINDS:
                raise SystemExit(f"{where}: kind {kind!r}")
            if language not in LANGUAGES:
                raise SystemExit(f"{where}: language {language!r}")
            for cap in (offer, seek):
                if cap not in CAPABILITIES:
                    raise SystemExit(f"{where}: unknown capability {cap!r}")
            if offer == seek:
                raise SystemExit(f"{where}: offers and seeks the same capability")
            if not offers or not seeks:
                raise SystemExit(f"{where}: empty text")
            if tag == "-":
                org = f"MORG-{len(tags) + 1:03d}"
                tags[f"-{len(tags)}"] = org
            elif tag in tags:
                org = tags[tag]
            else:
                org = f"MORG-{len(tags) + 1:03d}"
                tags[tag] = org
            rows.append(
                {
                    "id": f"M{len(rows) + 1:03d}",
                    "organisation": org,
                    "organisation_kind": kind,
                    "language": language,
                    "offers": offers,
                    "seeks": seeks,
                    "areas": ";".join(CAPABILITIES[offer][1]),
                    "partner_kinds": CAPABILITIES[seek][2],
                    "countries": ";".join(c.strip() for c in countries.split(";") if c.strip())
                    or "DK",
                    "offer_capability": offer,
                    "seek_capability": seek,
                    "split": "test",
                }
            )
    return rows


def make_pairs(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for a in rows:
        for b in rows:
            if b["id"] == a["id"] or b["organisation"] == a["organisation"]:
                continue
            if b["offer_capability"] == a["seek_capability"]:
                pairs.append((a["id"], b["id"]))
    return pairs


def main() -> None:
    rows = read_source()
    with open(HERE / "profiles.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    pairs = make_pairs(rows)
    with open(HERE / "pairs.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["seeker", "partner"])
        writer.writerows(pairs)
    print(f"{len(rows)} profiles, {len(pairs)} pairs")


if __name__ == "__main__":
    main()
