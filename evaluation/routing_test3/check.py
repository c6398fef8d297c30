"""Validate the third routing test set (standard library only).

Checks the columns, ids, slugs, languages, NACE codes, quotas and, above all, that no
organisation here is one of the organisations of the three earlier sets, by the same
near-match rules the earlier writers used (legal suffixes dropped, exact match, one name
containing the other as whole words, known aliases, former names and parts). Exit code 1
on any problem. Run from the repository root:

    python3 evaluation/routing_test3/check.py            # full check, quotas included
    python3 evaluation/routing_test3/check.py --partial  # while writing: no quotas
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CSV_PATH = HERE / "companies.csv"
AREAS_DIR = REPO / "src" / "klynge" / "landscape" / "data" / "areas"
# The names-only lists of the earlier sets live next to the checkout, in notes/.
NOTES_DIRS = [REPO.parent / "notes", Path("/work/notes")]
NAME_FILES = ["set1_names.txt", "set2_names.txt", "dev_names.txt"]
NACE_FILES = [REPO.parent / "shared" / "data" / "nace_rev2" / "codes-2.0.csv",
              Path("/work/shared/data/nace_rev2/codes-2.0.csv")]

COLUMNS = ["id", "name", "language", "description", "nace", "expected", "expected_also",
           "kind", "label_source", "notes"]
KINDS = {"company", "university", "gts", "hospital", "other"}
MIN_PER_AREA = 22
MIN_TOURISM = 15
MIN_NONE = 45
MIN_ROWS = 400

# Legal forms and group words dropped before names are compared (as the earlier sets did).
SUFFIXES = {
    "a/s", "as", "aps", "amba", "a.m.b.a.", "a.m.b.a", "i/s", "p/s", "k/s", "ivs", "ab",
    "ag", "gmbh", "ltd", "inc", "plc", "bv", "nv", "sa", "oy", "asa", "group", "gruppen",
    "holding", "holdings", "koncern", "aktieselskab", "aktieselskabet", "advokatpartnerselskab",
    "statsautoriseret", "revisionspartnerselskab", "revisionsaktieselskab", "godkendt",
    "the",
}
# Country words are dropped only for the exact comparison ("Vattenfall A/S" = "Vattenfall
# Danmark"), never before the containment test, where they would leave one generic word.
COUNTRY = {"denmark", "danmark", "dk", "nordic", "scandinavia"}
# A bracket holding only a place ("Marel Danmark (Aarhus)") names a site, not another name.
PLACES = {"aarhus", "copenhagen", "københavn", "odense", "aalborg", "esbjerg", "brabrand",
          "roskilde", "hillerød", "vejle", "kolding", "horsens", "herning", "billund"}

# Aliases, brands, former names and parts of organisations in the earlier sets. A name here
# that contains one of these (as whole words) counts as an overlap. Kept by hand.
ALIASES = [
    "oticon", "bernafon", "eriksholm", "audika", "philips hearing", "jabra", "resound",
    "gn hearing", "gn audio", "widex", "signia", "sivantos", "rockfon", "rockwool",
    "danish technological institute", "technological institute", "dmri", "uvd robots",
    "teradyne", "steinway lyngdorf", "tc helicon", "tc group", "bruel kjaer", "brüel kjær",
    "delta akustik", "vestas", "novo nordisk", "novozymes", "novonesis", "chr hansen",
    "maersk", "mærsk", "lego", "danfoss", "grundfos", "carlsberg", "arla", "danish crown",
    "tulip", "lurpak", "netcompany", "dsv", "dfds", "orsted", "ørsted", "dong energy",
    "nordisk film", "egmont", "trifork", "kmd", "nets", "nexi", "mobilepay", "danske bank",
    "nykredit", "jyske bank", "jyske invest", "jyske finans", "jyske realkredit", "sydbank",
    "tryg", "topdanmark", "pfa", "atp", "sampension",
    "velux", "kvadrat", "fritz hansen", "louis poulsen", "hay", "muuto", "normann", "bestseller",
    "ganni", "ecco", "pandora", "georg jensen", "royal copenhagen", "bang olufsen", "b&o",
    "beoplay", "dali", "dynaudio", "scan speak", "scan-speak", "vifa", "peerless", "epos",
    "sennheiser communications", "demant", "gn store nord", "ws audiology", "interacoustics",
    "dpa", "ortofon", "cowi", "rambøll", "ramboll", "niras", "sweco", "force technology",
    "dhi", "dbi", "alexandra", "teknologisk", "bioneer", "energinet", "hofor", "fls",
    "flsmidth", "topsoe", "haldor topsøe", "haldor topsoe", "terma", "systematic", "weibel",
    "falck", "securitas", "g4s", "iss", "tivoli", "legoland", "danhostel", "fitness world",
    "puregym", "mofibo", "storytel", "podimo", "koda", "gramex", "dr", "tv 2", "tv2",
    "universal robots", "mobile industrial robots", "mir", "onrobot", "blue ocean robotics",
    "agrointelli", "robotti", "farmdroid", "seges", "dlg", "danish agro", "vestjyllands andel",
    "andel", "norlys", "eniig", "seas-nve", "radius", "ewii", "evida", "banedanmark", "dsb",
    "arriva", "movia", "metroselskabet", "sund bælt", "sund & bælt", "storebælt", "femern",
    "scandlines", "molslinjen", "esvagt", "svitzer", "norden", "torm", "j lauritzen",
    "dampskibsselskabet", "port of aarhus", "aarhus havn", "esbjerg havn", "port esbjerg",
    "aalborg havn", "port of aalborg", "copenhagen malmö port", "cmp", "hirtshals havn",
    "københavns lufthavn", "copenhagen airport", "billund lufthavn", "billund airport",
    "aalborg lufthavn", "aalborg airport", "sas", "sun-air", "danish air transport",
    "hempel", "nilfisk", "linak", "kamstrup", "velux", "h+h", "troldtekt", "knauf", "danoline",
    "aarsleff", "mt højgaard", "ncc", "enemærke", "per aarsleff", "arkil", "colas",
    "statens serum institut", "ssi", "lundbeck", "leo pharma", "alk", "zealand pharma",
    "genmab", "bavarian nordic", "coloplast", "ambu", "radiometer", "3shape", "fujifilm diosynth",
    "unomedical", "convatec", "ferring", "orifarm", "nomeco", "matas", "salling", "netto",
    "føtex", "bilka", "coop", "rema", "lidl", "magasin", "illum", "jysk", "ikea", "imerco",
    "bog idé", "elgiganten", "thansen", "harald nyborg", "silvan", "bauhaus",
    "stark", "xl-byg", "bygma", "davidsen", "jem fix", "sportmaster", "synoptik", "louis nielsen",
    "profil optik", "specsavers", "danbolig", "nybolig", "edc", "realmæglerne",
    "deloitte", "pwc", "kpmg", "ey", "bdo", "grant thornton", "beierholm", "rsm", "martinsen",
    "bech-bruun", "kromann reumert", "gorrissen federspiel", "plesner", "horten", "accura",
    "lundgrens", "bruun hjejle", "mazanti", "moalem weitemeyer", "dla piper", "bird bird",
    "njord", "holst", "kammeradvokaten", "poul schmith", "gyldendal", "lindhardt ringhof",
    "gads forlag", "jp politikens", "berlingske", "zetland", "saxo", "saxo bank",
    "steno", "aleris", "hamlet", "mølholm", "colosseum", "anicura", "evidensia",
    "sdu robotics", "sdu uas", "uas denmark", "hca airport", "dtu space", "dtu aqua",
    "dtu compute", "dtu construct", "dtu sustain", "dtu bioengineering", "dtu hearing",
    "dtu sundhedsteknologi", "dtu health tech", "dtu wind", "dtu fødevareinstituttet",
    "dtu food", "niels brock", "cphbusiness", "via design", "erhvervsakademi aarhus",
    "den danske filmskole", "national film school", "animation workshop", "dadiu",
    "designskolen kolding", "det kgl danske musikkonservatorium", "rytmisk musikkonservatorium",
    "syddansk musikkonservatorium", "det jyske musikkonservatorium",
    "det fynske musikkonservatorium",
    "aarhus symfoniorkester", "copenhagen phil", "sjællands symfoniorkester", "vega",
    "roskilde festival", "smukfest", "tønder festival", "copenhagen jazz festival",
    "wonderful copenhagen", "destination fyn", "visitdenmark", "lalandia", "djurs sommerland",
    "fårup sommerland", "bakken", "dyrehavsbakken", "givskud zoo", "odense zoo",
    "zoologisk have", "den blå planet", "nordsøen oceanarium", "egeskov", "den gamle by",
    "moesgaard", "aros", "louisiana", "nationalmuseet", "experimentarium", "jesperhus",
    "bella center", "mch", "comwell", "scandic", "zleep", "arp-hansen", "d'angleterre",
    "koldingfjord", "henne kirkeby", "frederikshøj", "geranium", "noma", "alchemist",
    "madklubben", "jensens bøfhus", "sticks'n'sushi", "joe the juice", "espresso house",
    "lagkagehuset", "ole steen", "jacobsens bakery", "kohberg", "mikkeller", "harboes",
    "thisted bryghus", "svaneke bryghus", "royal unibrew", "stauning", "thise", "naturmælk",
    "mammen", "kmc", "danæg", "dava", "rose poultry", "himmerlandskød", "danpo", "musholm",
    "danish salmon", "aller aqua", "biomar", "dlf", "sejet", "danespo", "palsgaard",
    "nordic sugar", "rynkeby", "hansens flødeis", "lakrids by bülow", "bülow", "mette munk",
    "dan cake", "bisca", "kelsen", "toms", "carletti", "hørkram", "nemlig", "too good to go",
    "daka", "refood", "sanovo", "hamlet protein", "unibio", "fermentationexperts",
    "marel", "scanvaegt", "gea", "tetra pak", "haas-meincke", "gram equipment", "carometec",
    "frontmatec", "skiold", "cimbria", "samson agro", "hardi", "skov", "kongskilde",
    "jorgensen engineering", "cabinplant", "bm silo", "jh agro",
]

MISMATCH_NOTE = "a name of an earlier set"


def normalise(name: str) -> list[str]:
    """Lower-case word tokens of a name without legal suffixes and punctuation."""
    text = name.casefold().replace("&", " ").replace("’", "'")
    text = re.sub(r"\(.*?\)", " ", text)  # "(formerly X)" is checked separately below
    tokens = re.findall(r"[\w'+]+(?:[/.][\w]+)*\.?", text)
    out = []
    for tok in tokens:
        tok = tok.strip(".'")
        if tok and tok not in SUFFIXES:
            out.append(tok)
    return out


def bracketed(name: str) -> list[list[str]]:
    """Names given in brackets, e.g. a former name or a brand."""
    parts = [normalise(part) for part in re.findall(r"\((.*?)\)", name)]
    return [p for p in parts if any(t not in COUNTRY | PLACES for t in p)]


def contains(hay: list[str], needle: list[str]) -> bool:
    """True when needle occurs in hay as a run of whole words."""
    n = len(needle)
    if n == 0 or n > len(hay):
        return False
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def load_nace() -> set[str] | None:
    for path in NACE_FILES:
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                return {r["Class"] for r in csv.DictReader(fh) if r["Class"]}
    return None


def main(argv: list[str]) -> int:
    partial = "--partial" in argv
    problems: list[str] = []
    slugs = {p.stem for p in AREAS_DIR.glob("*.toml")}
    if len(slugs) != 15:
        problems.append(f"expected 15 area files in {AREAS_DIR}, found {len(slugs)}")
    allowed = slugs | {"none"}
    nace_codes = load_nace()

    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            problems.append(f"columns {reader.fieldnames} != {COLUMNS}")
        rows = list(reader)

    if [r["id"] for r in rows] != [f"t{i}" for i in range(1, len(rows) + 1)]:
        problems.append("ids must be t1, t2, ... in order")
    seen_names: dict[str, str] = {}
    seen_desc: set[str] = set()
    for r in rows:
        rid = r["id"]
        key = " ".join(normalise(r["name"]))
        if key in seen_names:
            problems.append(f"{rid}: same organisation as {seen_names[key]} ({r['name']})")
        seen_names[key] = rid
        if r["description"] in seen_desc:
            problems.append(f"{rid}: duplicate description")
        seen_desc.add(r["description"])
        if r["language"] not in ("da", "en"):
            problems.append(f"{rid}: language {r['language']!r}")
        if r["kind"] not in KINDS:
            problems.append(f"{rid}: kind {r['kind']!r}")
        if r["expected"] not in allowed:
            problems.append(f"{rid}: expected {r['expected']!r} is not an area slug or none")
        also = [s for s in r["expected_also"].split(";") if s]
        for s in also:
            if s not in slugs or s == r["expected"]:
                problems.append(f"{rid}: expected_also {s!r}")
        if r["nace"]:
            if not re.fullmatch(r"\d{2}\.\d{2}", r["nace"]):
                problems.append(f"{rid}: NACE {r['nace']!r} is not NN.NN")
            elif nace_codes is not None and r["nace"] not in nace_codes:
                problems.append(f"{rid}: NACE {r['nace']} is not a NACE Rev. 2 class")
        for col in ("name", "description", "label_source"):
            if not r[col].strip():
                problems.append(f"{rid}: empty {col}")

    # Disjointness from the three earlier sets.
    others: list[tuple[str, list[str]]] = []
    for fname in NAME_FILES:
        path = next((d / fname for d in NOTES_DIRS if (d / fname).exists()), None)
        if path is None:
            problems.append(f"names list {fname} not found in {NOTES_DIRS}")
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                others.append((line.strip(), normalise(line)))
                others.extend((line.strip(), b) for b in bracketed(line))
    alias_tokens = [(a, normalise(a)) for a in ALIASES]
    for r in rows:
        mine = [normalise(r["name"]), *bracketed(r["name"])]
        for m in mine:
            if not m:
                continue
            for other, o in others:
                m_bare = [t for t in m if t not in COUNTRY]
                o_bare = [t for t in o if t not in COUNTRY]
                same = m == o or (m_bare and m_bare == o_bare)
                if o and (same or contains(m, o) or contains(o, m)):
                    problems.append(f"{r['id']}: {r['name']!r} matches {other!r}, {MISMATCH_NOTE}")
            for alias, a in alias_tokens:
                if a and contains(m, a):
                    problems.append(f"{r['id']}: {r['name']!r} contains alias {alias!r}")

    counts = Counter(r["expected"] for r in rows)
    langs = Counter(r["language"] for r in rows)
    by = Counter((r["expected"], r["language"]) for r in rows)
    if not partial:
        for s in sorted(slugs - {"tourism"}):
            if counts[s] < MIN_PER_AREA:
                problems.append(f"quota: {s} has {counts[s]} rows, needs {MIN_PER_AREA}")
        if counts["tourism"] < MIN_TOURISM:
            problems.append(f"quota: tourism has {counts['tourism']} rows, needs {MIN_TOURISM}")
        if counts["none"] < MIN_NONE:
            problems.append(f"quota: none has {counts['none']} rows, needs {MIN_NONE}")
        if len(rows) < MIN_ROWS:
            problems.append(f"quota: {len(rows)} rows, needs {MIN_ROWS}")
        for s in sorted(allowed):
            for lang in ("da", "en"):
                if by[s, lang] == 0:
                    problems.append(f"quota: {s} has no {lang} row")

    print(f"{'expected':34} {'da':>4} {'en':>4} {'all':>4} {'nace':>5} {'also':>5}")
    nace_n = Counter(r["expected"] for r in rows if r["nace"])
    also_n = Counter(r["expected"] for r in rows if r["expected_also"])
    for s in sorted(allowed):
        print(f"{s:34} {by[s, 'da']:>4} {by[s, 'en']:>4} {counts[s]:>4} "
              f"{nace_n[s]:>5} {also_n[s]:>5}")
    print(f"{'all':34} {langs['da']:>4} {langs['en']:>4} {len(rows):>4} "
          f"{sum(nace_n.values()):>5} {sum(also_n.values()):>5}")
    print("kinds:", dict(Counter(r["kind"] for r in rows)))
    for p in problems:
        print("PROBLEM:", p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
