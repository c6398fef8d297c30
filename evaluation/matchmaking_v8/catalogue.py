"""Capability catalogue of the v8 matchmaking test set.

Each capability is what one profile offers and another seeks. The areas say where an
offering organisation sits; the partner kind says what a seeker of it is looking for.
Look-alikes are deliberate (drones three ways, two kinds of security testing, two
protein routes, two kinds of sustainability paperwork) so that word overlap alone misleads.
"""

from typing import NamedTuple


class Capability(NamedTuple):
    """One capability: a one-line definition, its area slugs, the partner kind it answers."""

    definition: str
    areas: tuple[str, ...]
    partner_kind: str


CATALOGUE: dict[str, Capability] = {
    "metal-am": Capability(
        "Additive manufacturing (3D printing) of metal parts and prototypes.",
        ("advanced-production",),
        "supplier",
    ),
    "polymer-moulding": Capability(
        "Injection moulding of plastic parts in series, including tooling.",
        ("advanced-production",),
        "supplier",
    ),
    "machine-vision-qc": Capability(
        "Camera and AI based quality inspection on production lines.",
        ("advanced-production", "digital-technologies"),
        "supplier",
    ),
    "predictive-maintenance": Capability(
        "Sensor data and models that predict machine failure in factories.",
        ("digital-technologies", "advanced-production"),
        "supplier",
    ),
    "ot-cybersecurity": Capability(
        "Security of industrial control systems and operational technology (OT).",
        ("digital-technologies", "defence-space-security"),
        "supplier",
    ),
    "it-pentest": Capability(
        "Penetration testing and security audits of office IT, web shops and apps.",
        ("digital-technologies",),
        "supplier",
    ),
    "danish-nlp": Capability(
        "Language technology for Danish text and speech (models, text analytics, speech).",
        ("digital-technologies",),
        "research-partner",
    ),
    "iot-connectivity": Capability(
        "Low-power wireless sensor networks and IoT connectivity hardware.",
        ("digital-technologies",),
        "supplier",
    ),
    "cobot-integration": Capability(
        "Integration of collaborative robots into production cells for small manufacturers.",
        ("robot-drone-technology", "advanced-production"),
        "supplier",
    ),
    "drone-inspection": Capability(
        "Drone inspection services for wind turbines, bridges, roofs and masts.",
        ("robot-drone-technology", "energy-technology"),
        "supplier",
    ),
    "drone-test-site": Capability(
        "Test airspace and facilities for flying and certifying drones (incl. BVLOS).",
        ("robot-drone-technology",),
        "knowledge-transfer",
    ),
    "field-robots": Capability(
        "Autonomous field robots for crop farming (weeding, seeding, scouting).",
        ("robot-drone-technology", "food-bio-resources"),
        "supplier",
    ),
    "battery-storage": Capability(
        "Battery energy storage systems for sites, grids and charging.",
        ("energy-technology",),
        "supplier",
    ),
    "industrial-heat-pump": Capability(
        "Industrial heat pumps and recovery of excess process heat.",
        ("energy-technology",),
        "supplier",
    ),
    "ptx-electrolysis": Capability(
        "Electrolysis, hydrogen and power-to-X research and pilot plants.",
        ("energy-technology",),
        "research-partner",
    ),
    "offshore-wind-om": Capability(
        "Operation and maintenance at offshore wind farms (vessels, technicians, logistics).",
        ("energy-technology", "maritime-logistics"),
        "supplier",
    ),
    "grid-flexibility": Capability(
        "Software that trades or steers flexible electricity demand for grid services.",
        ("energy-technology", "digital-technologies"),
        "supplier",
    ),
    "wastewater-treatment": Capability(
        "Treatment technology for municipal and industrial wastewater.",
        ("environmental-technology",),
        "supplier",
    ),
    "pfas-remediation": Capability(
        "Removal of PFAS and other persistent chemicals from soil and groundwater.",
        ("environmental-technology",),
        "supplier",
    ),
    "recycled-plastics": Capability(
        "Recycled plastic granulate and take-back of plastic production waste.",
        ("environmental-technology", "advanced-production"),
        "supplier",
    ),
    "lca-epd": Capability(
        "Life-cycle assessment and environmental product declarations (EPD) for products.",
        ("environmental-technology", "construction"),
        "knowledge-transfer",
    ),
    "esg-reporting": Capability(
        "Software and advice for company-level ESG/CSRD sustainability reporting.",
        ("finance-fintech", "digital-technologies"),
        "supplier",
    ),
    "food-pilot-plant": Capability(
        "Pilot plant for scaling food processes from lab to factory batch sizes.",
        ("food-bio-resources",),
        "knowledge-transfer",
    ),
    "plant-protein": Capability(
        "Plant-based protein ingredients (pea, faba, oat) for food makers.",
        ("food-bio-resources",),
        "supplier",
    ),
    "precision-fermentation": Capability(
        "Strain development and fermentation processes for proteins and ingredients.",
        ("food-bio-resources", "life-science-welfare-technology"),
        "research-partner",
    ),
    "food-safety-lab": Capability(
        "Accredited food analysis: shelf life, microbiology and allergens.",
        ("food-bio-resources",),
        "knowledge-transfer",
    ),
    "ras-aquaculture": Capability(
        "Recirculating aquaculture systems (land-based fish farming).",
        ("food-bio-resources", "maritime-logistics"),
        "supplier",
    ),
    "clinical-testing": Capability(
        "Clinical investigation of medical devices and health tech with hospital patients.",
        ("life-science-welfare-technology",),
        "research-partner",
    ),
    "mdr-regulatory": Capability(
        "Regulatory affairs for CE marking of medical devices under the EU MDR.",
        ("life-science-welfare-technology",),
        "knowledge-transfer",
    ),
    "telehealth": Capability(
        "Platforms for monitoring patients at home and remote consultations.",
        ("life-science-welfare-technology", "digital-technologies"),
        "supplier",
    ),
    "welfare-living-lab": Capability(
        "Municipal care homes and home care as a test bed for welfare technology.",
        ("life-science-welfare-technology",),
        "customer",
    ),
    "port-optimisation": Capability(
        "Software that plans berths, yards and truck slots in ports and terminals.",
        ("maritime-logistics", "digital-technologies"),
        "supplier",
    ),
    "ship-decarbonisation": Capability(
        "Retrofits and fuels that cut ships' fuel use and emissions.",
        ("maritime-logistics", "energy-technology"),
        "supplier",
    ),
    "cold-chain-monitoring": Capability(
        "Temperature tracking of chilled and frozen goods in transport.",
        ("maritime-logistics", "food-bio-resources"),
        "supplier",
    ),
    "bim-digital-twin": Capability(
        "BIM modelling and digital twins of buildings and infrastructure.",
        ("construction", "digital-technologies"),
        "supplier",
    ),
    "low-carbon-concrete": Capability(
        "Low-carbon cement and concrete mixes for buildings and civil works.",
        ("construction",),
        "supplier",
    ),
    "venture-investment": Capability(
        "Early-stage equity investment in start-ups and scale-ups.",
        ("finance-fintech",),
        "investor",
    ),
    "grant-writing": Capability(
        "Help writing applications for public and EU research and innovation funding.",
        ("finance-fintech",),
        "knowledge-transfer",
    ),
    "aml-kyc": Capability(
        "Anti-money-laundering and customer due-diligence (KYC) compliance software.",
        ("finance-fintech", "digital-technologies"),
        "supplier",
    ),
    "vr-visualisation": Capability(
        "Real-time 3D, VR and AR visualisation built with game technology.",
        ("animation-games-film", "digital-technologies"),
        "supplier",
    ),
    "acoustic-test-lab": Capability(
        "Acoustic measurement facilities (anechoic rooms) for audio and hearing products.",
        ("sound-technology",),
        "knowledge-transfer",
    ),
    "textile-recycling": Capability(
        "Sorting and fibre-to-fibre recycling of used textiles.",
        ("design-fashion-furniture", "environmental-technology"),
        "supplier",
    ),
    "industrial-design": Capability(
        "Industrial and user-centred product design of physical devices.",
        ("design-fashion-furniture",),
        "supplier",
    ),
    "visitor-analytics": Capability(
        "Data on tourist and visitor flows, origin and spending for destinations.",
        ("tourism", "digital-technologies"),
        "supplier",
    ),
    "defence-supply-entry": Capability(
        "Help for SMEs to qualify as suppliers to defence primes and NATO buyers.",
        ("defence-space-security",),
        "export-partner",
    ),
    "earth-observation": Capability(
        "Satellite earth-observation data and analytics (optical and radar).",
        ("defence-space-security", "digital-technologies"),
        "supplier",
    ),
    "counter-drone": Capability(
        "Detection and mitigation of hostile or unauthorised drones.",
        ("defence-space-security", "robot-drone-technology"),
        "supplier",
    ),
    "export-germany": Capability(
        "Market entry, distributors and sales partners in Germany and DACH.",
        ("advanced-production",),
        "export-partner",
    ),
}
