"""Capabilities of the matchmaking_v12 TEST set (written by helper mm12).

Each entry: slug -> (one-line definition, area slugs, partner kind a seeker of it wants).
"""

CAPABILITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "cobot-welding-cells": (
        "Collaborative robot welding cells for small-batch metal fabrication.",
        ("advanced-production", "robot-drone-technology"),
        "supplier",
    ),
    "agri-field-robots": (
        "Autonomous field robots for mechanical weeding and row-crop work.",
        ("robot-drone-technology", "food-bio-resources"),
        "supplier",
    ),
    "hospital-logistics-robots": (
        "Autonomous mobile robots that carry goods, linen and samples inside hospitals.",
        ("robot-drone-technology", "life-science-welfare-technology"),
        "supplier",
    ),
    "wind-blade-drone-inspection": (
        "Drone inspection and damage reporting for wind turbine blades.",
        ("robot-drone-technology", "energy-technology"),
        "supplier",
    ),
    "bridge-drone-inspection": (
        "Drone-based inspection of bridges, concrete structures and infrastructure.",
        ("construction", "robot-drone-technology"),
        "supplier",
    ),
    "hull-rov-service": (
        "Underwater ROV inspection and cleaning of ship hulls and propellers.",
        ("maritime-logistics", "robot-drone-technology"),
        "supplier",
    ),
    "district-heating-optimisation": (
        "Software that lowers flow temperatures and losses in district heating networks.",
        ("energy-technology", "digital-technologies"),
        "supplier",
    ),
    "battery-second-life": (
        "Repurposing used electric-vehicle batteries into stationary storage.",
        ("energy-technology", "environmental-technology"),
        "supplier",
    ),
    "electrolyser-test-facility": (
        "Test facilities and research on electrolysers and Power-to-X components.",
        ("energy-technology",),
        "research-partner",
    ),
    "shore-power-ports": (
        "Shore power connections that let ships at berth switch off their engines.",
        ("maritime-logistics", "energy-technology"),
        "supplier",
    ),
    "green-fuel-bunkering": (
        "Supply and bunkering logistics for methanol and ammonia ship fuels.",
        ("maritime-logistics", "energy-technology"),
        "supplier",
    ),
    "industrial-wastewater-treatment": (
        "Membrane and biological treatment and reuse of industrial process water.",
        ("environmental-technology",),
        "supplier",
    ),
    "pfas-remediation": (
        "Remediation of PFAS-contaminated soil, groundwater and fire-training sites.",
        ("environmental-technology",),
        "supplier",
    ),
    "recycled-plastic-granulate": (
        "Post-consumer recycled plastic granulate, including food-contact grades.",
        ("environmental-technology", "advanced-production"),
        "supplier",
    ),
    "textile-fibre-recycling": (
        "Fibre-to-fibre recycling of used textiles and production offcuts.",
        ("design-fashion-furniture", "environmental-technology"),
        "supplier",
    ),
    "building-lca-epd": (
        "Life-cycle assessments and environmental product declarations for building products.",
        ("construction", "environmental-technology"),
        "knowledge-transfer",
    ),
    "furniture-circular-design": (
        "Design for disassembly, repair and take-back schemes for furniture.",
        ("design-fashion-furniture",),
        "knowledge-transfer",
    ),
    "rainwater-climate-adaptation": (
        "Local handling of rainwater and cloudburst protection in towns.",
        ("environmental-technology", "construction"),
        "supplier",
    ),
    "biogas-pretreatment": (
        "Pretreatment of fibre-rich residues such as straw and deep litter for biogas plants.",
        ("food-bio-resources", "energy-technology"),
        "supplier",
    ),
    "insect-protein-feed": (
        "Insect larvae protein and frass made from food side streams.",
        ("food-bio-resources",),
        "supplier",
    ),
    "precision-fermentation-scaleup": (
        "Pilot-scale contract fermentation to scale up microbial ingredients.",
        ("food-bio-resources", "life-science-welfare-technology"),
        "supplier",
    ),
    "food-sensory-testing": (
        "Sensory panels and consumer tests for new food products.",
        ("food-bio-resources",),
        "research-partner",
    ),
    "cold-chain-monitoring": (
        "Temperature and location tracking for perishable goods in transit.",
        ("maritime-logistics", "digital-technologies", "food-bio-resources"),
        "supplier",
    ),
    "medtech-clinical-investigation": (
        "Planning and running clinical investigations of medical devices under the MDR.",
        ("life-science-welfare-technology",),
        "research-partner",
    ),
    "fall-detection-sensors": (
        "Camera-free sensors that detect falls and inactivity in elderly care.",
        ("life-science-welfare-technology",),
        "supplier",
    ),
    "hearing-signal-processing": (
        "Algorithms and research on signal processing for hearing devices.",
        ("sound-technology", "life-science-welfare-technology"),
        "research-partner",
    ),
    "room-acoustic-panels": (
        "Sound-absorbing panels and acoustic interior products for rooms.",
        ("sound-technology", "construction", "design-fashion-furniture"),
        "supplier",
    ),
    "environmental-noise-assessment": (
        "Measurement, modelling and advice on outdoor noise from plants, roads and wind farms.",
        ("sound-technology", "environmental-technology"),
        "knowledge-transfer",
    ),
    "game-audio-production": (
        "Sound design, music and voice production for games and animation.",
        ("sound-technology", "animation-games-film"),
        "supplier",
    ),
    "serious-games-training": (
        "Game-based training and simulation for industry, health and emergency staff.",
        ("animation-games-film", "digital-technologies"),
        "supplier",
    ),
    "virtual-production-studio": (
        "LED-volume virtual production studios for film, series and commercials.",
        ("animation-games-film",),
        "supplier",
    ),
    "ot-cybersecurity": (
        "Cybersecurity for industrial control systems and operational technology.",
        ("digital-technologies", "defence-space-security", "advanced-production"),
        "supplier",
    ),
    "machine-vision-inspection": (
        "Camera-based inspection that finds defects on production lines.",
        ("digital-technologies", "advanced-production"),
        "supplier",
    ),
    "predictive-maintenance": (
        "Condition monitoring and failure prediction for pumps, motors and gearboxes.",
        ("digital-technologies", "advanced-production"),
        "supplier",
    ),
    "satellite-earth-observation": (
        "Analytics built on satellite imagery and radar for monitoring land and sea.",
        ("defence-space-security", "digital-technologies"),
        "supplier",
    ),
    "defence-subcontracting-demand": (
        "Defence buyers and prime contractors that qualify and buy from subcontractors.",
        ("defence-space-security",),
        "customer",
    ),
    "welfare-tech-test-site": (
        "Municipalities and care providers offering real-life test sites for welfare technology.",
        ("life-science-welfare-technology",),
        "customer",
    ),
    "hardware-seed-investment": (
        "Pre-seed and seed capital for hardware and deep-tech start-ups.",
        ("finance-fintech",),
        "investor",
    ),
    "green-project-finance": (
        "Loans and project finance for energy renovation and renewable installations.",
        ("finance-fintech", "energy-technology"),
        "investor",
    ),
    "aml-kyc-regtech": (
        "Software for anti-money-laundering checks and customer due diligence.",
        ("finance-fintech", "digital-technologies"),
        "supplier",
    ),
    "export-dach-building": (
        "Sales agents and distribution for building products in Germany, Austria and Switzerland.",
        ("construction",),
        "export-partner",
    ),
    "export-asia-food": (
        "Import, distribution and market entry for Danish food in East and South-East Asia.",
        ("food-bio-resources",),
        "export-partner",
    ),
    "nature-tourism-experiences": (
        "Guided coastal and nature experiences that can be packaged for visitors.",
        ("tourism",),
        "supplier",
    ),
    "visitor-flow-analytics": (
        "Analytics of visitor numbers and movements for destinations and attractions.",
        ("tourism", "digital-technologies"),
        "supplier",
    ),
    "bim-digital-twin": (
        "BIM models and digital twins used to operate and maintain buildings.",
        ("construction", "digital-technologies"),
        "supplier",
    ),
    "metal-additive-manufacturing": (
        "Metal 3D printing of spare parts, tooling and small series.",
        ("advanced-production",),
        "supplier",
    ),
    "automation-readiness-advice": (
        "Independent advice that helps small manufacturers plan and phase automation.",
        ("advanced-production",),
        "knowledge-transfer",
    ),
    "sme-ai-upskilling": (
        "Courses and coaching that teach staff in small firms to use data and AI.",
        ("digital-technologies",),
        "knowledge-transfer",
    ),
}
