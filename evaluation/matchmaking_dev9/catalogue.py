"""Capability catalogue of the dev9 matchmaking set.

Each profile offers one of these and seeks another; the truth rule compares slugs only, so the
definitions exist to keep the hand-written texts honest, not to be matched against.
"""

from typing import NamedTuple


class Capability(NamedTuple):
    """One thing an organisation can offer at a Danish brokerage event."""

    slug: str
    definition: str
    areas: tuple[str, ...]
    partner_kind: str


AP = "advanced-production"
DT = "digital-technologies"
RD = "robot-drone-technology"
EN = "energy-technology"
ENV = "environmental-technology"
FO = "food-bio-resources"
LS = "life-science-welfare-technology"
ML = "maritime-logistics"
CO = "construction"
FI = "finance-fintech"
AG = "animation-games-film"
SO = "sound-technology"
DE = "design-fashion-furniture"
TO = "tourism"
DS = "defence-space-security"

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "cnc-machining",
        "Contract CNC milling and turning of precision metal parts.",
        (AP,),
        "supplier",
    ),
    Capability(
        "injection-moulding",
        "Plastic injection moulding of parts, including mould tooling.",
        (AP,),
        "supplier",
    ),
    Capability(
        "ce-marking-machinery",
        "CE marking and Machinery Regulation conformity work for machines.",
        (AP,),
        "knowledge-transfer",
    ),
    Capability(
        "lean-oee-consulting",
        "Lean and OEE improvement of factory lines: less scrap, downtime and waste.",
        (AP,),
        "knowledge-transfer",
    ),
    Capability(
        "metal-additive",
        "Metal 3D printing (powder bed, DED) of functional parts and prototypes.",
        (AP,),
        "supplier",
    ),
    Capability(
        "machine-vision-qc",
        "Camera and AI based quality inspection on production lines.",
        (DT, AP),
        "supplier",
    ),
    Capability(
        "language-ai",
        "Language models and text analytics: chatbots, document search, classification.",
        (DT,),
        "supplier",
    ),
    Capability(
        "ot-cybersecurity",
        "Cybersecurity for industrial control systems and OT networks, incl. NIS2.",
        (DT, DS),
        "supplier",
    ),
    Capability(
        "iot-sensor-platform",
        "IoT sensors, connectivity and cloud dashboards for monitoring assets.",
        (DT,),
        "supplier",
    ),
    Capability(
        "data-bi-platform",
        "Data warehouses, BI dashboards and data engineering for companies.",
        (DT,),
        "supplier",
    ),
    Capability(
        "cobot-integration",
        "Design and integration of collaborative robot cells (palletising, machine tending).",
        (RD, AP),
        "supplier",
    ),
    Capability(
        "drone-inspection",
        "Drone inspection and survey of structures such as turbines, bridges and roofs.",
        (RD,),
        "supplier",
    ),
    Capability(
        "agri-field-robots",
        "Autonomous field robots for weeding, seeding and crop care.",
        (RD, FO),
        "supplier",
    ),
    Capability(
        "drone-test-airspace",
        "Test facility and segregated airspace for drone and BVLOS trials.",
        (RD,),
        "knowledge-transfer",
    ),
    Capability(
        "battery-storage",
        "Battery energy storage systems and their integration on site or grid.",
        (EN,),
        "supplier",
    ),
    Capability(
        "power-to-x",
        "Electrolysis, green hydrogen and e-fuel (Power-to-X) technology and projects.",
        (EN,),
        "research-partner",
    ),
    Capability(
        "industrial-energy-audit",
        "Energy audits of industrial processes, incl. surplus heat recovery.",
        (EN,),
        "knowledge-transfer",
    ),
    Capability(
        "large-heat-pumps",
        "Large heat pumps for district heating and industrial process heat.",
        (EN,),
        "supplier",
    ),
    Capability(
        "wind-blade-service",
        "Repair, leading edge protection and service of wind turbine blades.",
        (EN,),
        "supplier",
    ),
    Capability(
        "industrial-wastewater",
        "Treatment and reuse of industrial wastewater and process water.",
        (ENV,),
        "supplier",
    ),
    Capability(
        "plastic-recycling",
        "Collection, sorting and recycling of plastic into regranulate.",
        (ENV,),
        "supplier",
    ),
    Capability(
        "lca-esg-reporting",
        "Life-cycle assessments, carbon accounting and CSRD/ESG reporting.",
        (ENV,),
        "knowledge-transfer",
    ),
    Capability(
        "climate-adaptation",
        "Stormwater management and climate adaptation of towns and sites.",
        (ENV, CO),
        "supplier",
    ),
    Capability(
        "food-sidestream-upcycling",
        "Turning food side streams (whey, pulp, spent grain) into ingredients.",
        (FO, ENV),
        "research-partner",
    ),
    Capability(
        "precision-fermentation",
        "Precision fermentation and alternative protein development.",
        (FO, LS),
        "research-partner",
    ),
    Capability(
        "food-pilot-plant",
        "Pilot-scale food processing facility for scale-up trials.",
        (FO,),
        "knowledge-transfer",
    ),
    Capability(
        "food-safety-lab",
        "Food microbiology, shelf-life and allergen testing laboratory.",
        (FO,),
        "supplier",
    ),
    Capability(
        "clinical-investigation",
        "Clinical investigations and trials of medical devices at a hospital.",
        (LS,),
        "research-partner",
    ),
    Capability(
        "medical-regulatory",
        "Medical device regulatory affairs: MDR/IVDR, technical file, ISO 13485.",
        (LS,),
        "knowledge-transfer",
    ),
    Capability(
        "welfare-tech-testbed",
        "Municipal test of welfare technology in elder care and home care.",
        (LS,),
        "customer",
    ),
    Capability(
        "gmp-manufacturing",
        "GMP contract manufacturing of biologics and pharmaceutical products.",
        (LS,),
        "supplier",
    ),
    Capability(
        "green-ship-retrofit",
        "Retrofit of ships for lower emissions: fuels, hull, propulsion, shore power.",
        (ML, EN),
        "supplier",
    ),
    Capability(
        "warehouse-automation",
        "Automated warehouses, AutoStore-type systems and WMS integration.",
        (ML, RD),
        "supplier",
    ),
    Capability(
        "cold-chain-logistics",
        "Temperature-controlled transport and storage of goods.",
        (ML, FO),
        "supplier",
    ),
    Capability(
        "bim-digital-twin",
        "BIM modelling and digital twins of buildings and infrastructure.",
        (CO, DT),
        "supplier",
    ),
    Capability(
        "biobased-building-materials",
        "Low-carbon and bio-based building materials (straw, wood, hemp, seaweed).",
        (CO, ENV),
        "supplier",
    ),
    Capability(
        "energy-renovation",
        "Energy renovation of existing buildings: envelope, ventilation, control.",
        (CO, EN),
        "supplier",
    ),
    Capability(
        "venture-investment",
        "Seed and venture capital investment in startups and scaleups.",
        (FI,),
        "investor",
    ),
    Capability(
        "payment-fintech",
        "Payment, invoicing and embedded finance solutions via API.",
        (FI, DT),
        "supplier",
    ),
    Capability(
        "grant-writing",
        "Writing and managing EU and national grant applications.",
        (FI,),
        "knowledge-transfer",
    ),
    Capability(
        "serious-games",
        "Serious games and gamified training applications.",
        (AG,),
        "supplier",
    ),
    Capability(
        "xr-visualisation",
        "VR/AR visualisation and immersive experiences of products and sites.",
        (AG, DT),
        "supplier",
    ),
    Capability(
        "acoustic-testing",
        "Acoustic measurement, noise testing and noise reduction of products and rooms.",
        (SO,),
        "knowledge-transfer",
    ),
    Capability(
        "audio-dsp",
        "Audio signal processing and embedded audio software (hearing, headsets, speakers).",
        (SO, LS),
        "supplier",
    ),
    Capability(
        "industrial-design",
        "Industrial and product design, user research and design for manufacture.",
        (DE,),
        "supplier",
    ),
    Capability(
        "circular-textiles",
        "Recycled and circular textiles, take-back and resale models in fashion.",
        (DE, ENV),
        "supplier",
    ),
    Capability(
        "visitor-experience",
        "Design and operation of visitor experiences for tourism destinations.",
        (TO,),
        "customer",
    ),
    Capability(
        "defence-market-access",
        "Helping SMEs into defence and NATO supply chains and security approvals.",
        (DS,),
        "export-partner",
    ),
    Capability(
        "earth-observation",
        "Satellite earth observation data and analytics.",
        (DS, DT),
        "supplier",
    ),
    Capability(
        "export-market-entry",
        "Export help: market entry, distributors and partner search abroad.",
        (),
        "export-partner",
    ),
)

BY_SLUG: dict[str, Capability] = {c.slug: c for c in CAPABILITIES}
