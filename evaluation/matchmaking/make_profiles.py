"""Write the labelled matchmaking set: profiles.csv and pairs.csv (see README.md).

Every phrase below was written for this set by hand. A profile offers one capability and seeks
another; a capability is a technology applied in a sector ("drone inspection for offshore wind
turbines"). A profile B fits profile A when B offers exactly what A seeks (same technology, same
sector). Profiles that offer the same technology in another sector, or another technology in the
same sector, look alike but do not fit; so do the competitors that seek the same thing.

Each technology and sector has two wordings per language, chosen to share as few words as
possible, so many true pairs share no word at all (across languages always, within a language
often). The generator is seeded, so the files are reproducible: ``python make_profiles.py``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent
N_PROFILES = 336
SEED = 20261205

# technology -> (Danish wordings, English wordings)
TECH: dict[str, tuple[list[str], list[str]]] = {
    "vision": (
        ["maskinsyn og kamerabaseret kvalitetskontrol", "automatisk billedgenkendelse"],
        ["machine vision for automated quality inspection", "camera-based image recognition"],
    ),
    "sensors": (
        ["trådløse sensorer og fjernovervågning", "måleudstyr der sender data over mobilnettet"],
        ["wireless sensor networks and remote monitoring", "connected measuring devices (IoT)"],
    ),
    "robots": (
        ["samarbejdende robotter til pluk og pakning", "robotceller der løfter og sorterer emner"],
        ["collaborative robot arms for picking and packing", "robotic cells that lift and sort"],
    ),
    "twin": (
        ["simuleringsmodeller og digitale tvillinger", "computermodeller der efterligner driften"],
        ["simulation software and digital twins", "virtual replicas that mimic operations"],
    ),
    "ai": (
        ["maskinlæring til prognoser", "kunstig intelligens der forudsiger efterspørgsel og fejl"],
        ["machine learning forecasts", "predictive algorithms that anticipate demand and faults"],
    ),
    "lca": (
        ["livscyklusvurderinger og klimaregnskaber", "beregning af CO2-aftryk for produkter"],
        ["life-cycle assessment and carbon accounting", "measuring the climate footprint of goods"],
    ),
    "biomaterials": (
        ["biobaserede materialer af restprodukter", "bionedbrydelig emballage af plantefibre"],
        ["bio-based materials made from residues", "compostable packaging from plant fibres"],
    ),
    "battery": (
        ["batterilagring og styring af opladning", "energilagre med litiumceller"],
        ["battery storage and charge management", "lithium-ion energy storage systems"],
    ),
    "cyber": (
        ["it-sikkerhed og beskyttelse mod hackerangreb", "sikring af styresystemer mod indbrud"],
        ["cybersecurity and intrusion protection", "hardening industrial control networks"],
    ),
    "drones": (
        ["droner til inspektion og luftfoto", "ubemandede flyvende fartøjer med kamera"],
        ["drone inspection and aerial surveys", "unmanned aircraft carrying cameras"],
    ),
    "printing": (
        ["3D-print af metaldele", "additiv fremstilling af reservedele"],
        ["metal additive manufacturing", "printing spare parts layer by layer"],
    ),
    "water": (
        ["rensning af spildevand med membraner", "filtrering og genbrug af procesvand"],
        ["membrane wastewater treatment", "filtering and reusing process water"],
    ),
    "heat": (
        ["varmepumper og udnyttelse af overskudsvarme", "genindvinding af spildvarme"],
        ["heat pumps and excess-heat recovery", "recovering surplus thermal energy"],
    ),
    "fermentation": (
        ["fermentering og mikrobielle kulturer", "gæringsprocesser med mikroorganismer"],
        ["fermentation and microbial cultures", "bioprocessing with yeast and bacteria"],
    ),
    "hydrogen": (
        ["elektrolyse og brint", "produktion af grøn brint"],
        ["electrolysis and hydrogen", "green hydrogen production"],
    ),
    "ux": (
        ["brugerinddragelse og servicedesign", "afprøvning af løsninger sammen med slutbrugere"],
        ["user research and service design", "co-creation with end users"],
    ),
}

# sector -> (Danish wordings, English wordings, the landscape area it belongs to)
SECTOR: dict[str, tuple[list[str], list[str], str]] = {
    "wind": (
        ["havvindmøller", "vindmølleparker på havet"],
        ["offshore wind turbines", "wind farms at sea"],
        "energy-technology",
    ),
    "food": (
        ["fødevareproduktion", "slagterier og mejerier"],
        ["food processing", "dairies and meat plants"],
        "food-bio-resources",
    ),
    "health": (
        ["hospitaler og plejehjem", "sundhedsvæsenet"],
        ["hospitals and care homes", "healthcare providers"],
        "life-science-welfare-technology",
    ),
    "maritime": (
        ["skibe og havne", "søfart og rederier"],
        ["ships and ports", "maritime shipping lines"],
        "maritime-logistics",
    ),
    "building": (
        ["byggeri og renovering", "boliger og kontorbyggeri"],
        ["construction and renovation", "housing and office blocks"],
        "construction",
    ),
    "farming": (
        ["landbrug og gartnerier", "marker og væksthuse"],
        ["agriculture and horticulture", "fields and greenhouses"],
        "food-bio-resources",
    ),
    "furniture": (
        ["møbelindustrien", "træ- og møbelfabrikker"],
        ["furniture manufacturing", "wood and cabinet makers"],
        "design-fashion-furniture",
    ),
    "utility": (
        ["forsyningsselskaber og fjernvarme", "vand- og energiforsyning"],
        ["utilities and district heating", "municipal water and power suppliers"],
        "energy-technology",
    ),
}

# Where each technology is plausibly used: no fermentation for offshore wind.
PLAUSIBLE: dict[str, list[str]] = {
    "vision": ["food", "health", "building", "furniture", "farming", "maritime"],
    "sensors": list(SECTOR),
    "robots": ["food", "health", "furniture", "maritime", "farming"],
    "twin": ["wind", "maritime", "building", "utility", "furniture"],
    "ai": list(SECTOR),
    "lca": ["food", "building", "furniture", "maritime", "farming"],
    "biomaterials": ["food", "building", "furniture", "farming"],
    "battery": ["wind", "maritime", "building", "utility"],
    "cyber": ["wind", "health", "maritime", "utility"],
    "drones": ["wind", "building", "farming", "maritime", "utility"],
    "printing": ["wind", "maritime", "health", "furniture"],
    "water": ["food", "farming", "utility", "maritime"],
    "heat": ["food", "building", "utility", "farming"],
    "fermentation": ["food", "farming", "health"],
    "hydrogen": ["maritime", "utility", "wind", "farming"],
    "ux": ["health", "building", "furniture", "utility"],
}

# Wordings written after the recommender's lexicon was frozen, used only in test profiles (half
# of their technology and sector phrases), to measure how the lexicon copes with words it was
# not written for.
HELD_OUT_TECH: dict[str, tuple[list[str], list[str]]] = {
    "vision": (["kameraer der opdager fejl på produktionslinjen"], ["optical defect detection"]),
    "sensors": (["dataopsamling fra målere i felten"], ["smart meters streaming live readings"]),
    "robots": (["automatiseret håndtering med robotarme"], ["industrial robotics for handling"]),
    "twin": (
        ["virtuelle modeller af anlæg til afprøvning"],
        ["plant simulators for what-if tests"],
    ),
    "ai": (["algoritmer der forudser nedbrud"], ["deep learning for predictive maintenance"]),
    "lca": (["miljøvaredeklarationer og klimaaftryk"], ["EPDs and carbon footprints"]),
    "biomaterials": (["kompostérbare materialer fra halm og tang"], ["biodegradable composites"]),
    "battery": (["elektrokemiske energilagre"], ["stationary batteries and chargers"]),
    "cyber": (["informationssikkerhed og NIS2"], ["information security and NIS2 compliance"]),
    "drones": (["UAV-flyvninger med termokamera"], ["UAV flights with thermal cameras"]),
    "printing": (["lag-for-lag-print i stål og titanium"], ["3D-printed titanium components"]),
    "water": (["vandrensning og genbrug af vand"], ["water purification and recycling"]),
    "heat": (["varmegenvinding fra køleanlæg"], ["heat recovery from cooling plants"]),
    "fermentation": (["enzymer og bakteriekulturer"], ["enzymes and starter cultures"]),
    "hydrogen": (["Power-to-X og elektrobrændstoffer"], ["Power-to-X and e-fuels"]),
    "ux": (["brugertest og brugervenligt design"], ["usability testing with patients and staff"]),
}
HELD_OUT_SECTOR: dict[str, tuple[list[str], list[str]]] = {
    "wind": (["vindkraft til havs"], ["offshore wind power"]),
    "food": (["bryggerier og bagerier"], ["breweries and bakeries"]),
    "health": (["ældreplejen og klinikker"], ["clinics and elderly care"]),
    "maritime": (["færger og fragtskibe"], ["ferries and cargo vessels"]),
    "building": (["nybyggeri og ejendomme"], ["new buildings and property"]),
    "farming": (["husdyrbrug og afgrøder"], ["livestock and crops"]),
    "furniture": (["snedkerier og designmøbler"], ["joinery and design furniture"]),
    "utility": (["vandværker og elnet"], ["waterworks and power grids"]),
}

OFFER_DA = {
    "company": [
        "Vi udvikler {t} til {s}.",
        "Vores kerneydelse er {t} rettet mod {s}.",
        "Vi leverer {t} til kunder inden for {s}.",
    ],
    "institution": [
        "Forskergruppen arbejder med {t} i {s}.",
        "Instituttet har laboratorier for {t} med anvendelse i {s}.",
    ],
}
OFFER_EN = {
    "company": [
        "We develop {t} for {s}.",
        "Our main product is {t} aimed at {s}.",
        "We supply {t} to clients in {s}.",
    ],
    "institution": [
        "Our research group works on {t} in {s}.",
        "The institute runs test facilities for {t} applied to {s}.",
    ],
}
SEEK_DA = [
    "Vi søger en partner med {t} til {s}.",
    "Vi mangler kompetencer inden for {t} til {s}.",
    "Vi vil gerne indføre {t} i vores arbejde med {s}.",
]
SEEK_EN = [
    "We are looking for a partner with {t} for {s}.",
    "We need expertise in {t} for {s}.",
    "We want to bring {t} into our work with {s}.",
]
ABOUT_DA = [
    "Virksomheden er familieejet og ligger i {town} med {n} ansatte.",
    "Vi blev grundlagt i {year} og har {n} medarbejdere i {town}.",
    "Vi er en ung virksomhed fra {town}.",
    "Hovedkontoret ligger i {town}.",
    "",
]
ABOUT_EN = [
    "The company is family-owned, based in {town}, with {n} employees.",
    "Founded in {year}, we employ {n} people in {town}.",
    "We are a young firm from {town}.",
    "Our head office is in {town}.",
    "",
]
TOWNS = [
    "Aarhus",
    "Odense",
    "Aalborg",
    "Esbjerg",
    "Vejle",
    "Herning",
    "Kolding",
    "Roskilde",
    "Sønderborg",
    "Horsens",
    "Næstved",
    "Viborg",
    "Hamburg",
    "Malmö",
    "Oslo",
    "Gdańsk",
]
KIND_FOR_PARTNER = {
    "company": ["supplier", "customer", "knowledge-transfer", "investor", "export-partner"],
    "institution": ["research-partner", "knowledge-transfer"],
}
COUNTRIES = ["DK", "SE", "DE", "NO", "NL", "PL", "FI"]


def wording(
    pair: tuple[list[str], list[str]],
    lang: str,
    rng: random.Random,
    held_out: tuple[list[str], list[str]] | None = None,
) -> str:
    """One wording; a test profile uses a held-out wording half of the time."""
    if held_out is not None and rng.random() < 0.5:
        pair = held_out
    return rng.choice(pair[0] if lang == "da" else pair[1])


def main() -> None:
    rng = random.Random(SEED)
    caps = [(t, s) for t, sectors in PLAUSIBLE.items() for s in sectors]
    offers = [rng.choice(caps) for _ in range(N_PROFILES)]
    offered: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(offers):
        offered.setdefault(c, []).append(i)
    rows = []
    for i, (t, s) in enumerate(offers):
        split = "dev" if rng.random() < 0.4 else "test"
        test = split == "test"
        lang = "da" if rng.random() < 0.5 else "en"
        kind = "institution" if rng.random() < 0.2 else "company"
        org_kind = "company" if kind == "company" else rng.choice(["university", "gts"])
        # A seeker usually works in its own sector: it seeks another technology there, or
        # (a third of the time) anything offered by someone else.
        own_sector = [c for c in offered if c[1] == s and c != (t, s) and offered[c] != [i]]
        pool = (
            own_sector
            if own_sector and rng.random() < 0.67
            else [c for c in offered if c != (t, s) and offered[c] != [i]]
        )
        seek = rng.choice(pool)
        frames = (OFFER_DA if lang == "da" else OFFER_EN)[kind]
        offer_text = rng.choice(frames).format(
            t=wording(TECH[t], lang, rng, HELD_OUT_TECH[t] if test else None),
            s=wording(SECTOR[s][:2], lang, rng, HELD_OUT_SECTOR[s] if test else None),
        )
        about = rng.choice(ABOUT_DA if lang == "da" else ABOUT_EN).format(
            town=rng.choice(TOWNS), n=rng.randint(3, 400), year=rng.randint(1950, 2022)
        )
        seek_text = rng.choice(SEEK_DA if lang == "da" else SEEK_EN).format(
            t=wording(TECH[seek[0]], lang, rng, HELD_OUT_TECH[seek[0]] if test else None),
            s=wording(SECTOR[seek[1]][:2], lang, rng, HELD_OUT_SECTOR[seek[1]] if test else None),
        )
        areas = sorted({SECTOR[s][2]})
        wanted = rng.sample(KIND_FOR_PARTNER["institution" if rng.random() < 0.3 else "company"], 1)
        rows.append(
            {
                "id": f"P{i + 1:03d}",
                "organisation": f"ORG-{i + 1:03d}",
                "organisation_kind": org_kind,
                "language": lang,
                "offers": f"{offer_text} {about}".strip(),
                "seeks": seek_text,
                "areas": ";".join(areas),
                "partner_kinds": ";".join(wanted),
                "countries": ";".join(sorted(rng.sample(COUNTRIES, rng.randint(1, 3)))),
                "offer_capability": f"{t}/{s}",
                "seek_capability": f"{seek[0]}/{seek[1]}",
                "split": split,
            }
        )
    with (HERE / "profiles.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with (HERE / "pairs.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["seeker", "partner"])
        for a in rows:
            for b in rows:
                if a is not b and b["offer_capability"] == a["seek_capability"]:
                    w.writerow([a["id"], b["id"]])


if __name__ == "__main__":
    main()
