"""Rebuild src/klynge/regions/data/nuts2_names.csv from the GISCO NUTS 2021 level-2 file.

Only the codes and Latin-script names are kept, not the boundaries. Run from the repository
root: python tools/build_nuts2_names.py
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "data" / "nuts2021" / "NUTS_RG_03M_2021_4326_LEVL_2.geojson.gz"
OUT = REPO / "src" / "klynge" / "regions" / "data" / "nuts2_names.csv"


def main(out: Path = OUT) -> None:
    with gzip.open(SOURCE, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = sorted(
        (
            f["properties"]["NUTS_ID"],
            f["properties"]["CNTR_CODE"],
            " ".join(f["properties"]["NAME_LATN"].split()),
        )
        for f in features
    )
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "country", "name"])
        writer.writerows(rows)
    print(f"wrote {out} ({len(rows)} regions)")


if __name__ == "__main__":
    main()
