"""Build profiles.csv and pairs.csv of the matchmaking_v12 TEST set from source/*.txt."""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CAPABILITIES  # noqa: E402

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
    rows = []
    tags: dict[str, str] = {}
    next_org = 1
    for path in sorted((HERE / "source").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|")
            if len(parts) != 8:
                raise SystemExit(f"{path.name}:{number}: {len(parts)} fields, want 8")
            org, kind, lang, offer, seek, countries, offers, seeks = (p.strip() for p in parts)
            for cap in (offer, seek):
                if cap not in CAPABILITIES:
                    raise SystemExit(f"{path.name}:{number}: unknown capability {cap}")
            if org == "-" or org not in tags:
                key = f"QORG-{next_org:03d}"
                next_org += 1
                if org != "-":
                    tags[org] = key
            else:
                key = tags[org]
            rows.append(
                {
                    "id": f"Q{len(rows) + 1:03d}",
                    "organisation": key,
                    "organisation_kind": kind,
                    "language": lang,
                    "offers": offers,
                    "seeks": seeks,
                    "areas": ";".join(CAPABILITIES[offer][1]),
                    "partner_kinds": CAPABILITIES[seek][2],
                    "countries": countries or "DK",
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
    print(f"profiles: {len(rows)}  pairs: {len(pairs)}")


if __name__ == "__main__":
    main()
