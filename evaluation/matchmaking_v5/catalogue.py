"""Capability catalogue of matchmaking_v5, written by helper mmset5 from own knowledge.

Each capability is a technology or service applied in a sector; look-alikes share a
technology across sectors or a sector across technologies, so that ranking is hard.
"""

from __future__ import annotations

# id: (English name, Danish name, area slugs)
CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "P01": (
        "Camera quality inspection in food production",
        "Kamerabaseret kvalitetskontrol i fødevareproduktion",
        ("food-bio-resources", "digital-technologies"),
    ),
    "P02": (
        "Machine vision inspection of metal and plastic parts",
        "Maskinsyn til kontrol af metal- og plastemner",
        ("advanced-production", "digital-technologies"),
    ),
    "P03": (
        "Collaborative robots for welding and machine tending in SMEs",
        "Kollaborative robotter til svejsning og maskinbetjening i SMV'er",
        ("robot-drone-technology", "advanced-production"),
    ),
    "P04": (
        "Field robots for weeding and crop care",
        "Markrobotter til ukrudtsbekæmpelse og afgrødepleje",
        ("robot-drone-technology", "food-bio-resources"),
    ),
    "P05": (
        "Drone inspection of wind turbine blades",
        "Droneinspektion af vindmøllevinger",
        ("robot-drone-technology", "energy-technology"),
    ),
    "P06": (
        "Drone inspection of bridges, roofs and facades",
        "Droneinspektion af broer, tage og facader",
        ("robot-drone-technology", "construction"),
    ),
    "P07": (
        "Autonomous transport robots for hospital logistics",
        "Selvkørende transportrobotter til hospitalslogistik",
        ("robot-drone-technology", "life-science-welfare-technology"),
    ),
    "P08": (
        "Condition monitoring of ship engines and port equipment",
        "Tilstandsovervågning af skibsmotorer og havneudstyr",
        ("maritime-logistics", "digital-technologies"),
    ),
    "P09": (
        "Vibration-based predictive maintenance for wind turbines",
        "Vibrationsbaseret prædiktiv vedligehold af vindmøller",
        ("energy-technology", "digital-technologies"),
    ),
    "P10": (
        "Energy renovation of buildings with heat pumps",
        "Energirenovering af bygninger med varmepumper",
        ("construction", "energy-technology"),
    ),
    "P11": (
        "Optimisation software for district heating networks",
        "Optimeringssoftware til fjernvarmenet",
        ("energy-technology", "digital-technologies"),
    ),
    "P12": (
        "Green hydrogen by electrolysis (Power-to-X)",
        "Grøn brint via elektrolyse (Power-to-X)",
        ("energy-technology",),
    ),
    "P13": (
        "Stationary battery storage for grid and industry",
        "Stationære batterilagre til elnet og industri",
        ("energy-technology",),
    ),
    "P14": (
        "Wastewater treatment and nutrient recovery",
        "Spildevandsrensning og genvinding af næringsstoffer",
        ("environmental-technology",),
    ),
    "P15": (
        "Plastic recycling and circular packaging",
        "Plastgenanvendelse og cirkulær emballage",
        ("environmental-technology", "advanced-production"),
    ),
    "P16": (
        "Biogas from manure and agricultural residues",
        "Biogas fra gylle og landbrugsrester",
        ("energy-technology", "food-bio-resources", "environmental-technology"),
    ),
    "P17": (
        "Plant-based food product development",
        "Produktudvikling af plantebaserede fødevarer",
        ("food-bio-resources",),
    ),
    "P18": (
        "Precision fermentation of food ingredients",
        "Præcisionsfermentering af fødevareingredienser",
        ("food-bio-resources", "life-science-welfare-technology"),
    ),
    "P19": (
        "Clinical trial site services",
        "Klinisk forsøgsafvikling",
        ("life-science-welfare-technology",),
    ),
    "P20": (
        "Remote patient monitoring and telemedicine",
        "Telemedicin og fjernmonitorering af patienter",
        ("life-science-welfare-technology", "digital-technologies"),
    ),
    "P21": (
        "Sensors and fall detection for elderly care",
        "Sensorer og faldalarmer i ældreplejen",
        ("life-science-welfare-technology",),
    ),
    "P22": (
        "Regulatory consulting for medical devices (MDR/CE)",
        "Regulatorisk rådgivning om medicinsk udstyr (MDR/CE)",
        ("life-science-welfare-technology",),
    ),
    "P23": (
        "AI analysis of medical images",
        "AI-analyse af medicinske billeder",
        ("life-science-welfare-technology", "digital-technologies"),
    ),
    "P24": (
        "Cyber security for industrial control systems (OT)",
        "Cybersikkerhed for industrielle styresystemer (OT)",
        ("digital-technologies", "defence-space-security"),
    ),
    "P25": (
        "Penetration testing and security awareness for SMEs",
        "Penetrationstest og sikkerhedstræning for SMV'er",
        ("digital-technologies", "defence-space-security"),
    ),
    "P26": (
        "Satellite earth observation for agriculture",
        "Satellitdata og jordobservation til landbrug",
        ("defence-space-security", "food-bio-resources"),
    ),
    "P27": (
        "Green fuel retrofits for ships",
        "Ombygning af skibe til grønne brændstoffer",
        ("maritime-logistics", "energy-technology"),
    ),
    "P28": (
        "Warehouse and port logistics optimisation software",
        "Software til optimering af lager- og havnelogistik",
        ("maritime-logistics", "digital-technologies"),
    ),
    "P29": (
        "Cold chain monitoring for food transport",
        "Overvågning af kølekæden i fødevaretransport",
        ("maritime-logistics", "food-bio-resources"),
    ),
    "P30": (
        "Signal processing for hearing aids",
        "Signalbehandling til høreapparater",
        ("sound-technology", "life-science-welfare-technology"),
    ),
    "P31": (
        "Room acoustics and noise control in buildings",
        "Rumakustik og støjdæmpning i bygninger",
        ("sound-technology", "construction"),
    ),
    "P32": (
        "Sound design and audio for games and film",
        "Lyddesign til spil og film",
        ("sound-technology", "animation-games-film"),
    ),
    "P33": (
        "Serious games for training and learning",
        "Serious games til træning og læring",
        ("animation-games-film", "digital-technologies"),
    ),
    "P34": (
        "VR/AR visualisation of building projects",
        "VR/AR-visualisering af byggeprojekter",
        ("animation-games-film", "construction"),
    ),
    "P35": (
        "Furniture design from recycled materials",
        "Møbeldesign i genanvendte materialer",
        ("design-fashion-furniture", "environmental-technology"),
    ),
    "P36": (
        "Textile recycling and circular fashion",
        "Tekstilgenanvendelse og cirkulært mode",
        ("design-fashion-furniture", "environmental-technology"),
    ),
    "P37": (
        "Digital visitor experiences and booking for tourism",
        "Digitale gæsteoplevelser og booking i turismen",
        ("tourism", "digital-technologies"),
    ),
    "P38": (
        "Sustainability certification and advice for tourism",
        "Bæredygtighedscertificering og rådgivning i turismen",
        ("tourism", "environmental-technology"),
    ),
    "P39": (
        "Payment solutions and open banking APIs",
        "Betalingsløsninger og open banking-API'er",
        ("finance-fintech", "digital-technologies"),
    ),
    "P40": (
        "ESG and CSRD reporting software",
        "Software til ESG- og CSRD-rapportering",
        ("finance-fintech", "environmental-technology"),
    ),
    "P41": (
        "Metal additive manufacturing (3D printing)",
        "Additiv fremstilling i metal (3D-print)",
        ("advanced-production",),
    ),
    "P42": (
        "Timber and bio-based building materials",
        "Træ og biobaserede byggematerialer",
        ("construction", "environmental-technology"),
    ),
    "P43": (
        "Digital twins of production lines",
        "Digitale tvillinger af produktionslinjer",
        ("advanced-production", "digital-technologies"),
    ),
    "P44": (
        "Carbon capture and storage (CCS)",
        "CO2-fangst og lagring (CCS)",
        ("energy-technology", "environmental-technology"),
    ),
    "P45": (
        "Recirculating aquaculture systems",
        "Recirkulerede akvakulturanlæg (RAS)",
        ("food-bio-resources", "maritime-logistics"),
    ),
    "P46": (
        "Danish-language AI and chatbots for public services",
        "Dansksproget AI og chatbots til den offentlige sektor",
        ("digital-technologies",),
    ),
}
