"""Capability catalogue of the matchmaking_v11 TEST set (written by helper mm11).

Each capability: slug -> (one-line definition, area slugs, partner kind a seeker of it wants).
Look-alikes are deliberate: several test facilities, several pilot customers, two investors,
two export partners, two recyclers, several data/AI offers and several drone/space offers.
"""

CAPABILITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    # advanced production
    "metal-additive-manufacturing": (
        "3D printing of metal parts, prototypes and spare parts in steel, titanium or aluminium",
        ("advanced-production",),
        "supplier",
    ),
    "vision-quality-inspection": (
        "camera and AI based inline inspection that finds defects on production lines",
        ("advanced-production", "digital-technologies"),
        "supplier",
    ),
    "automation-test-factory": (
        "a test and demonstration factory where SMEs try automation and Industry 4.0 before buying",
        ("advanced-production",),
        "knowledge-transfer",
    ),
    "industrial-export-dach": (
        "a distributor or agent for industrial components and machines in German-speaking markets",
        ("advanced-production",),
        "export-partner",
    ),
    # robots and drones
    "cobot-integration": (
        "collaborative robots put into production cells for packing, palletising, machine tending",
        ("robot-drone-technology", "advanced-production"),
        "supplier",
    ),
    "drone-inspection-service": (
        "drone flights that inspect turbine blades, bridges, roofs or chimneys and report damage",
        ("robot-drone-technology", "energy-technology"),
        "supplier",
    ),
    "drone-test-airspace": (
        "a test centre with segregated airspace where drone makers may fly beyond line of sight",
        ("robot-drone-technology", "defence-space-security"),
        "knowledge-transfer",
    ),
    "pilot-farm-trials": (
        "a farm that lends its fields, barns or herd for trials of new agricultural technology",
        ("food-bio-resources", "robot-drone-technology"),
        "customer",
    ),
    # digital technologies
    "danish-text-ai": (
        "language technology for Danish text: classification, search, summarising and chatbots",
        ("digital-technologies",),
        "supplier",
    ),
    "ot-cybersecurity": (
        "security assessment and hardening of industrial control systems (operational technology)",
        ("digital-technologies", "defence-space-security"),
        "supplier",
    ),
    "predictive-maintenance-ai": (
        "sensor data and machine learning that predict when machines or equipment will fail",
        ("digital-technologies", "advanced-production"),
        "supplier",
    ),
    "ml-research-group": (
        "a university group that does joint research on machine learning methods with companies",
        ("digital-technologies",),
        "research-partner",
    ),
    # energy
    "battery-test-lab": (
        "a laboratory that tests battery cells and packs for ageing, safety and performance",
        ("energy-technology",),
        "knowledge-transfer",
    ),
    "large-heat-pumps": (
        "design and delivery of large heat pumps for district heating or industrial process heat",
        ("energy-technology",),
        "supplier",
    ),
    "ptx-research": (
        "research on electrolysis, hydrogen and power-to-X fuels with industrial partners",
        ("energy-technology",),
        "research-partner",
    ),
    "industrial-energy-audit": (
        "screening of a factory's energy use that finds savings and plans the measures",
        ("energy-technology", "advanced-production"),
        "supplier",
    ),
    # environmental technology
    "industrial-wastewater-treatment": (
        "plants and processes that clean process water from industry before discharge or reuse",
        ("environmental-technology",),
        "supplier",
    ),
    "recycled-plastic-supply": (
        "supply of recycled plastic granulate of documented quality for moulding and extrusion",
        ("environmental-technology", "advanced-production"),
        "supplier",
    ),
    "lca-epd-documentation": (
        "life cycle assessment, environmental product declarations and product climate accounts",
        ("environmental-technology", "construction"),
        "supplier",
    ),
    "water-utility-pilot": (
        "a water or wastewater utility that opens its plants as a full-scale pilot site",
        ("environmental-technology",),
        "customer",
    ),
    # food and bio-resources
    "food-pilot-plant": (
        "a pilot plant where food companies scale up recipes and processes before production",
        ("food-bio-resources",),
        "knowledge-transfer",
    ),
    "plant-protein-ingredients": (
        "supply of plant protein ingredients from peas, beans, rapeseed or grass",
        ("food-bio-resources",),
        "supplier",
    ),
    "sidestream-upcycling-research": (
        "research on turning residues and side streams from food production into new products",
        ("food-bio-resources", "environmental-technology"),
        "research-partner",
    ),
    "precision-fermentation-cdmo": (
        "contract development and production of proteins and ingredients by precision fermentation",
        ("food-bio-resources", "life-science-welfare-technology"),
        "supplier",
    ),
    "food-export-asia": (
        "an importer, distributor or agent that brings Danish food products to Asian markets",
        ("food-bio-resources",),
        "export-partner",
    ),
    # life science and welfare technology
    "clinical-validation": (
        "a hospital department that validates medical devices or digital health in clinical use",
        ("life-science-welfare-technology",),
        "research-partner",
    ),
    "mdr-regulatory-affairs": (
        "regulatory help to get a medical device CE-marked under the EU MDR, quality system too",
        ("life-science-welfare-technology",),
        "supplier",
    ),
    "care-home-pilot": (
        "a municipality's elderly care or home care that trials welfare technology with real users",
        ("life-science-welfare-technology",),
        "customer",
    ),
    "cleanroom-contract-manufacturing": (
        "contract manufacturing and assembly of medical devices in cleanrooms",
        ("life-science-welfare-technology", "advanced-production"),
        "supplier",
    ),
    # construction
    "bim-modelling": (
        "3D building information models, clash detection and digital handover of buildings",
        ("construction", "digital-technologies"),
        "supplier",
    ),
    "low-carbon-concrete": (
        "concrete and precast elements with lower CO2, for example with less cement clinker",
        ("construction",),
        "supplier",
    ),
    "building-materials-test-lab": (
        "a laboratory that tests building materials for fire, moisture and strength for approval",
        ("construction",),
        "knowledge-transfer",
    ),
    # maritime and logistics
    "ship-fuel-retrofit": (
        "conversion of existing ships to methanol, ammonia, batteries or other green propulsion",
        ("maritime-logistics", "energy-technology"),
        "supplier",
    ),
    "freight-route-software": (
        "software that plans truck routes and loads to cut kilometres and empty runs",
        ("maritime-logistics", "digital-technologies"),
        "supplier",
    ),
    "cold-chain-logistics": (
        "temperature-controlled transport and storage of chilled and frozen goods",
        ("maritime-logistics", "food-bio-resources"),
        "supplier",
    ),
    # design, fashion and furniture
    "textile-recycling": (
        "collection, sorting and fibre-to-fibre recycling of used textiles and cutting waste",
        ("design-fashion-furniture", "environmental-technology"),
        "supplier",
    ),
    "industrial-product-design": (
        "industrial and user-centred design of physical products, from concept to production",
        ("design-fashion-furniture",),
        "supplier",
    ),
    "furniture-export-partner": (
        "an importer, showroom or agent that sells Danish furniture and interior products abroad",
        ("design-fashion-furniture",),
        "export-partner",
    ),
    # animation, games and film
    "serious-games": (
        "development of games and gamified apps for training, learning or rehabilitation",
        ("animation-games-film", "digital-technologies"),
        "supplier",
    ),
    "vr-visualisation": (
        "virtual and augmented reality visualisation of buildings, products or places",
        ("animation-games-film",),
        "supplier",
    ),
    # sound technology
    "acoustic-test-lab": (
        "an acoustic laboratory with anechoic and reverberation rooms that measures sound",
        ("sound-technology",),
        "knowledge-transfer",
    ),
    "noise-control-solutions": (
        "products and engineering that reduce noise from machines, traffic or in rooms",
        ("sound-technology", "construction"),
        "supplier",
    ),
    # defence, space and security
    "defence-market-access": (
        "help for SMEs to become approved suppliers to defence forces and NATO procurement",
        ("defence-space-security",),
        "knowledge-transfer",
    ),
    "earth-observation-data": (
        "analysis of satellite images and data for monitoring land, sea, crops or infrastructure",
        ("defence-space-security", "digital-technologies"),
        "supplier",
    ),
    # finance and fintech
    "greentech-venture-capital": (
        "venture capital for start-ups and scale-ups in green and climate technology",
        ("finance-fintech",),
        "investor",
    ),
    "lifescience-seed-investment": (
        "seed and early-stage investment in biotech, medtech and health start-ups",
        ("finance-fintech", "life-science-welfare-technology"),
        "investor",
    ),
    "innovation-funding-advice": (
        "help to find and write applications for public innovation funding, Danish or EU",
        ("finance-fintech",),
        "knowledge-transfer",
    ),
    # tourism
    "visitor-flow-analytics": (
        "data on where visitors come from, move and spend, for destinations and attractions",
        ("tourism", "digital-technologies"),
        "supplier",
    ),
}

PARTNER_KINDS = (
    "research-partner",
    "supplier",
    "customer",
    "investor",
    "knowledge-transfer",
    "export-partner",
)
