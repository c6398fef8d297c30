"""Validate the matchmaking_v12 TEST set and print its counts (standard library only)."""

import csv
import re
import sys
from collections import Counter, defaultdict
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
KINDS = {
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
}
ORG_KINDS = {"company", "university", "other"}
AREA_DIR = HERE.parents[1] / "src" / "klynge" / "landscape" / "data" / "areas"

# A short list of function words and brokerage filler; other words of four letters or more count.
STOP_TEXT = """
    and the for with that this from into our your their they them who what when where which will
    would want need needs have has been also more most some such than then very just only over
    about after before under other others each every like make made does doing done being were
    there here how can could should must still want wants looking look seek seeking partner
    partners company companies firm firms customer customers client clients
    og der det som til for med fra har vil kan skal ikke også eller men den de vi os vores jeres
    deres efter over under meget mere mest andre anden andet alle hver hvor hvad hvem hvis når
    være været blive bliver kunne skulle ville søger leder gerne have noget nogen partner partnere
    virksomhed virksomheder kunde kunder selv helt bare sådan denne dette disse
    """
STOP = set(STOP_TEXT.split())


def words(text: str) -> set[str]:
    found = re.findall(r"[a-zæøåäöüé]+", text.lower())
    return {w for w in found if len(w) >= 4 and w not in STOP}


def main() -> int:
    errors: list[str] = []
    with open(HERE / "profiles.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != HEADER:
            errors.append(f"profiles.csv header {reader.fieldnames}")
        rows = list(reader)
    with open(HERE / "pairs.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        pair_header = next(reader)
        pairs = [tuple(p) for p in reader]
    if pair_header != ["seeker", "partner"]:
        errors.append(f"pairs.csv header {pair_header}")

    areas_known = {p.stem for p in AREA_DIR.glob("*.toml")} if AREA_DIR.is_dir() else set()
    if len(areas_known) != 15:
        errors.append(f"found {len(areas_known)} area files at {AREA_DIR}, want 15")
    by_id = {}
    for i, r in enumerate(rows, 1):
        if r["id"] != f"Q{i:03d}":
            errors.append(f"row {i}: id {r['id']}")
        by_id[r["id"]] = r
        if r["language"] not in ("da", "en"):
            errors.append(f"{r['id']}: language {r['language']}")
        if r["organisation_kind"] not in ORG_KINDS:
            errors.append(f"{r['id']}: organisation_kind {r['organisation_kind']}")
        if not re.fullmatch(r"QORG-\d{3}", r["organisation"]):
            errors.append(f"{r['id']}: organisation {r['organisation']}")
        if r["split"] != "test":
            errors.append(f"{r['id']}: split {r['split']}")
        for cap in (r["offer_capability"], r["seek_capability"]):
            if cap not in CAPABILITIES:
                errors.append(f"{r['id']}: unknown capability {cap}")
        if r["offer_capability"] == r["seek_capability"]:
            errors.append(f"{r['id']}: offers what it seeks")
        if r["offer_capability"] in CAPABILITIES:
            want = ";".join(CAPABILITIES[r["offer_capability"]][1])
            if r["areas"] != want:
                errors.append(f"{r['id']}: areas {r['areas']} != {want}")
        for area in r["areas"].split(";"):
            if areas_known and area not in areas_known:
                errors.append(f"{r['id']}: unknown area {area}")
        seek = CAPABILITIES.get(r["seek_capability"])
        if seek and r["partner_kinds"] != seek[2]:
            errors.append(f"{r['id']}: partner_kinds {r['partner_kinds']}")
        if r["partner_kinds"] not in KINDS:
            errors.append(f"{r['id']}: partner kind {r['partner_kinds']}")
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in r["countries"].split(";")):
            errors.append(f"{r['id']}: countries {r['countries']}")
        if len(r["offers"]) < 10 or len(r["seeks"]) < 10:
            errors.append(f"{r['id']}: text too short")

    for kind, counter in (
        ("offers", Counter(r["offers"] for r in rows)),
        ("seeks", Counter(r["seeks"] for r in rows)),
    ):
        for text, n in counter.items():
            if n > 1:
                errors.append(f"duplicate {kind} text x{n}: {text[:60]}")

    # The truth rule, recomputed.
    expected = {
        (a["id"], b["id"])
        for a in rows
        for b in rows
        if b["id"] != a["id"]
        and b["organisation"] != a["organisation"]
        and b["offer_capability"] == a["seek_capability"]
    }
    if len(set(pairs)) != len(pairs):
        errors.append("duplicate pairs")
    if set(pairs) != expected:
        errors.append(f"pairs.csv differs from the truth rule: {len(set(pairs) ^ expected)} pairs")
    partners = defaultdict(int)
    for s, p in pairs:
        if s not in by_id or p not in by_id:
            errors.append(f"pair with unknown id {s},{p}")
            continue
        if s == p or by_id[s]["organisation"] == by_id[p]["organisation"]:
            errors.append(f"self or same-organisation pair {s},{p}")
        partners[s] += 1
    for r in rows:
        if partners[r["id"]] < 5:
            errors.append(f"{r['id']}: {partners[r['id']]} partners")

    offered = Counter(r["offer_capability"] for r in rows)
    sought = Counter(r["seek_capability"] for r in rows)
    for cap in CAPABILITIES:
        if not 6 <= offered[cap] <= 9:
            errors.append(f"capability {cap} offered {offered[cap]} times")

    orgs = Counter(r["organisation"] for r in rows)
    cross = sum(by_id[s]["language"] != by_id[p]["language"] for s, p in pairs)
    no_shared = sum(not (words(by_id[s]["seeks"]) & words(by_id[p]["offers"])) for s, p in pairs)
    n_pairs = max(len(pairs), 1)
    counts = sorted(partners[r["id"]] for r in rows)
    print(f"profiles: {len(rows)}")
    print(f"languages: {dict(Counter(r['language'] for r in rows))}")
    print(f"organisation kinds: {dict(Counter(r['organisation_kind'] for r in rows))}")
    print(
        f"organisations: {len(orgs)} ({sum(1 for n in orgs.values() if n > 1)} with two profiles)"
    )
    least_sought = min(sought.get(c, 0) for c in CAPABILITIES)
    print(
        f"capabilities: {len(CAPABILITIES)} (offered per capability "
        f"{min(offered.values())}-{max(offered.values())}, "
        f"sought {least_sought}-{max(sought.values())})"
    )
    print(f"partner kinds sought: {dict(Counter(r['partner_kinds'] for r in rows))}")
    print(f"pairs: {len(pairs)}")
    print(
        f"partners per seeker: min {counts[0]}, median {counts[len(counts) // 2]}, max {counts[-1]}"
    )
    print(f"cross-language pairs: {cross / n_pairs:.1%}")
    print(f"pairs with no shared content word (seek vs offer): {no_shared / n_pairs:.1%}")
    if errors:
        for e in errors[:50]:
            print("ERROR", e)
        print(f"{len(errors)} errors")
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
