"""Validate the matchmaking_v2 test set, derive its true pairs and print the counts.

    python check.py           # validate profiles.csv and pairs.csv, print counts
    python check.py --write   # derive pairs.csv from the capability columns, then validate

Truth: (seeker, partner) is a true pair exactly when partner.offer_capability ==
seeker.seek_capability and the two profiles belong to different organisations.
Plain Python 3, no dependencies beyond the standard library.
"""

import csv
import re
import statistics
import sys
import tomllib
from collections import Counter
from pathlib import Path

from catalogue import CATALOGUE

HERE = Path(__file__).parent
AREAS_DIR = HERE.parent.parent / "src" / "klynge" / "landscape" / "data" / "areas"
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

# A small stop-word list: function words and the words every profile uses to say that it
# offers or seeks something. A content word is a lower-cased word of 3+ letters not in it.
STOP = {
    "the", "and", "for", "with", "our", "are", "from", "that", "this", "who", "can", "will",
    "into", "their", "them", "they", "its", "per", "not", "but", "all", "any", "also", "more",
    "most", "than", "each", "other", "such", "has", "have", "had", "been", "was", "were", "use",
    "used", "using", "want", "wants", "looking", "look", "seek", "seeks", "seeking", "need",
    "needs", "offer", "offers", "offering", "provide", "provides", "partner", "partners",
    "company", "companies", "firm", "firms", "project", "projects", "help", "new", "well",
    "over", "about", "out", "own", "one", "two", "three", "both", "which", "where", "when",
    "how", "what", "down", "only", "just", "very", "med", "til", "der", "det", "som", "vores",
    "vil", "kan", "har", "fra", "den", "dem", "ikke", "men", "alle", "eller", "også", "mere",
    "end", "hver", "andre", "andet", "sig", "sin", "sit", "sine", "hos", "når", "hvor", "hvad",
    "søger", "søge", "leder", "efter", "tilbyder", "tilbyde", "virksomhed", "virksomheder",
    "partnere", "samarbejde", "projekt", "projekter", "brug", "gerne", "nye", "kunne", "skal",
    "bliver", "blev", "være", "været",
}  # fmt: skip
WORD = re.compile(r"[a-zæøåäöüéè0-9]+")
# Function words that mark a text as Danish or English (for the language-label check).
DA_MARKERS = {"og", "vi", "til", "af", "med", "som", "der", "det", "vores", "har", "kan", "søger"}
EN_MARKERS = {"the", "and", "we", "of", "to", "with", "our", "that", "is", "for", "seek", "want"}


def content_words(text: str) -> set[str]:
    return {
        w for w in WORD.findall(text.lower()) if len(w) >= 3 and w not in STOP and not w.isdigit()
    }


def area_slugs() -> set[str]:
    slugs = set()
    for path in AREAS_DIR.glob("*.toml"):
        slugs.add(tomllib.loads(path.read_text(encoding="utf-8"))["slug"])
    return slugs


def fail(problems: list[str], message: str) -> None:
    problems.append(message)


def load_profiles(problems: list[str]) -> list[dict[str, str]]:
    with open(HERE / "profiles.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            fail(problems, f"profiles.csv columns are {reader.fieldnames}, expected {COLUMNS}")
        return list(reader)


def validate(profiles: list[dict[str, str]], problems: list[str]) -> None:
    slugs = area_slugs()
    if not slugs:
        fail(problems, f"no area slugs found under {AREAS_DIR}")
    ids = [p["id"] for p in profiles]
    if len(set(ids)) != len(ids):
        fail(problems, "duplicate profile ids")
    expected_ids = [f"V{i:03d}" for i in range(1, len(profiles) + 1)]
    if ids != expected_ids:
        fail(problems, "ids are not V001.. in order")
    kind_of_org: dict[str, str] = {}
    for text_col in ("offers", "seeks"):
        texts = Counter(p[text_col] for p in profiles)
        for text, n in texts.items():
            if n > 1:
                fail(problems, f"{text_col} text used {n} times: {text[:60]}")
    for p in profiles:
        pid = p["id"]
        if not re.fullmatch(r"VORG-\d{3}", p["organisation"]):
            fail(problems, f"{pid}: bad organisation id {p['organisation']}")
        if p["organisation_kind"] not in KINDS:
            fail(problems, f"{pid}: bad organisation_kind {p['organisation_kind']}")
        previous = kind_of_org.setdefault(p["organisation"], p["organisation_kind"])
        if previous != p["organisation_kind"]:
            fail(problems, f"{pid}: organisation {p['organisation']} has two kinds")
        if p["language"] not in ("da", "en"):
            fail(problems, f"{pid}: bad language {p['language']}")
        words = WORD.findall((p["offers"] + " " + p["seeks"]).lower())
        da_score = sum(w in DA_MARKERS for w in words)
        en_score = sum(w in EN_MARKERS for w in words)
        if (p["language"] == "da") != (da_score > en_score):
            fail(problems, f"{pid}: text does not read as language {p['language']}")
        if not p["offers"].strip() or not p["seeks"].strip():
            fail(problems, f"{pid}: empty offers or seeks")
        areas = p["areas"].split(";")
        if not areas or any(a not in slugs for a in areas):
            fail(problems, f"{pid}: bad areas {p['areas']}")
        kinds = p["partner_kinds"].split(";")
        if any(k not in PARTNER_KINDS for k in kinds):
            fail(problems, f"{pid}: bad partner_kinds {p['partner_kinds']}")
        if p["countries"] and not all(
            re.fullmatch(r"[A-Z]{2}", c) for c in p["countries"].split(";")
        ):
            fail(problems, f"{pid}: bad countries {p['countries']}")
        for col in ("offer_capability", "seek_capability"):
            if p[col] not in CATALOGUE:
                fail(problems, f"{pid}: unknown {col} {p[col]}")
        if p["offer_capability"] == p["seek_capability"]:
            fail(problems, f"{pid}: offers and seeks the same capability")
        if p["split"] != "test":
            fail(problems, f"{pid}: split is {p['split']}, expected test")


def derive_pairs(profiles: list[dict[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for seeker in profiles:
        for partner in profiles:
            if (
                partner["offer_capability"] == seeker["seek_capability"]
                and partner["organisation"] != seeker["organisation"]
            ):
                pairs.append((seeker["id"], partner["id"]))
    return pairs


def main() -> int:
    problems: list[str] = []
    profiles = load_profiles(problems)
    validate(profiles, problems)
    pairs = derive_pairs(profiles)
    if "--write" in sys.argv:
        with open(HERE / "pairs.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["seeker", "partner"])
            writer.writerows(pairs)
    with open(HERE / "pairs.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        stored = [tuple(row) for row in reader]
    if header != ["seeker", "partner"]:
        fail(problems, f"pairs.csv header is {header}")
    if sorted(stored) != sorted(pairs):
        fail(problems, "pairs.csv differs from the pairs derived from the capability columns")

    by_id = {p["id"]: p for p in profiles}
    partners = Counter(s for s, _ in pairs)
    for p in profiles:
        if partners[p["id"]] == 0:
            fail(
                problems,
                f"{p['id']}: seeks {p['seek_capability']}, which no other organisation offers",
            )
    offered = Counter(p["offer_capability"] for p in profiles)
    sought = Counter(p["seek_capability"] for p in profiles)

    langs = Counter(p["language"] for p in profiles)
    cross = sum(by_id[s]["language"] != by_id[t]["language"] for s, t in pairs)
    no_word = no_word_whole = 0
    for s, t in pairs:
        seeker, partner = by_id[s], by_id[t]
        if not content_words(seeker["seeks"]) & content_words(partner["offers"]):
            no_word += 1
        whole_s = content_words(seeker["offers"] + " " + seeker["seeks"])
        whole_t = content_words(partner["offers"] + " " + partner["seeks"])
        if not whole_s & whole_t:
            no_word_whole += 1
    same_lang_no_word = sum(
        1
        for s, t in pairs
        if by_id[s]["language"] == by_id[t]["language"]
        and not content_words(by_id[s]["seeks"]) & content_words(by_id[t]["offers"])
    )
    # look-alikes: a competitor (same offer) or a profile in one of the seek's areas that
    # offers something else
    lookalike_same_area = 0
    for seeker in profiles:
        want_areas = set(CATALOGUE[seeker["seek_capability"]][2])
        lookalike_same_area += sum(
            1
            for other in profiles
            if other["offer_capability"] != seeker["seek_capability"]
            and other["organisation"] != seeker["organisation"]
            and set(other["areas"].split(";")) & want_areas
        )
    long_offers = sum(1 for p in profiles if len(p["offers"]) >= 250)
    multi_orgs = [o for o, n in Counter(p["organisation"] for p in profiles).items() if n > 1]
    same_org_excluded = sum(
        1
        for s in profiles
        for t in profiles
        if s["id"] != t["id"]
        and s["organisation"] == t["organisation"]
        and t["offer_capability"] == s["seek_capability"]
    )
    counts = sorted(partners[p["id"]] for p in profiles)

    print(
        f"profiles: {len(profiles)} (da {langs['da']}, en {langs['en']}), "
        f"organisations: {len({p['organisation'] for p in profiles})} "
        f"({len(multi_orgs)} with more than one profile)"
    )
    print(f"kinds: {dict(sorted(Counter(p['organisation_kind'] for p in profiles).items()))}")
    print(
        f"capabilities: {len(CATALOGUE)} in catalogue, {len(offered)} offered, "
        f"{len(sought)} sought; offerers per capability {min(offered.values())}-"
        f"{max(offered.values())}"
    )
    print(f"true pairs: {len(pairs)}; across languages: {cross}")
    print(
        f"pairs whose seek and offer texts share no content word: {no_word} "
        f"({no_word / len(pairs):.1%}); of them within one language: {same_lang_no_word}"
    )
    print(f"pairs whose whole profiles share no content word: {no_word_whole}")
    print(
        f"true partners per seeker: min {counts[0]}, median {statistics.median(counts)}, "
        f"mean {statistics.mean(counts):.2f}, max {counts[-1]}"
    )
    print(f"pairs excluded because both profiles belong to one organisation: {same_org_excluded}")
    print(f"offers of 250+ characters: {long_offers}")
    print(
        f"look-alikes (other organisation, area of the sought capability, other offer): "
        f"{lookalike_same_area / len(profiles):.1f} per seeker on average"
    )
    if problems:
        print(f"\n{len(problems)} PROBLEM(S):")
        for problem in problems[:50]:
            print("  " + problem)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
