"""Capability catalogue of the matchmaking_v6 test set (written by helper mm6, 2026-12-05)."""

# id: (English name, Danish name, area slugs of the offered capability)
CAPABILITIES = {
    "cobot-weld": (
        "Collaborative robot welding cells",
        "Svejsning med samarbejdende robotter",
        ["robot-drone-technology", "advanced-production"],
    ),
    "agri-drone": (
        "Drone spraying and mapping of farm fields",
        "Dronesprøjtning og kortlægning af marker",
        ["robot-drone-technology", "food-bio-resources"],
    ),
    "drone-wind-insp": (
        "Drone inspection of wind turbines",
        "Droneinspektion af vindmøller",
        ["robot-drone-technology", "energy-technology"],
    ),
    "hosp-robot": (
        "Autonomous mobile robots for hospital logistics",
        "Selvkørende robotter til hospitalslogistik",
        ["robot-drone-technology", "life-science-welfare-technology"],
    ),
    "wh-amr": (
        "Autonomous mobile robots for warehouses",
        "Selvkørende robotter til lagre",
        ["robot-drone-technology", "maritime-logistics"],
    ),
    "blade-repair": (
        "Leading-edge erosion protection and blade repair",
        "Forkantsbeskyttelse og reparation af vingeerosion",
        ["energy-technology", "advanced-production"],
    ),
    "anechoic-room": (
        "Anechoic chamber acoustic measurements",
        "Akustiske målinger i lyddødt rum",
        ["sound-technology"],
    ),
    "hearing-dsp": (
        "Signal processing for hearing devices",
        "Signalbehandling til høreapparater",
        ["sound-technology", "life-science-welfare-technology"],
    ),
    "spatial-audio": (
        "Spatial 3D audio for games and VR",
        "Rumlig 3D-lyd til spil og VR",
        ["sound-technology", "animation-games-film"],
    ),
    "mocap": (
        "Motion capture studio for animation",
        "Motion capture-studie til animation",
        ["animation-games-film"],
    ),
    "gait-lab": (
        "Clinical gait and movement analysis",
        "Klinisk gang- og bevægeanalyse",
        ["life-science-welfare-technology"],
    ),
    "vr-training": (
        "VR training simulators for industrial staff",
        "VR-træningssimulatorer til industriansatte",
        ["animation-games-film", "digital-technologies"],
    ),
    "bridge-sim": (
        "Full-mission ship bridge simulator",
        "Fuldskala skibsbrosimulator",
        ["maritime-logistics"],
    ),
    "green-methanol": (
        "Supply of green methanol and e-fuels for shipping",
        "Levering af grøn metanol og e-brændstof til skibsfart",
        ["energy-technology", "maritime-logistics"],
    ),
    "electrolyser-test": (
        "Electrolyser stack test facility",
        "Testfacilitet til elektrolyse-stakke",
        ["energy-technology"],
    ),
    "heat-pump": (
        "Large heat pumps for district heating",
        "Store varmepumper til fjernvarme",
        ["energy-technology"],
    ),
    "battery-test": (
        "Battery cell and pack testing",
        "Test af battericeller og batteripakker",
        ["energy-technology", "advanced-production"],
    ),
    "biogas-upgrade": (
        "Biogas upgrading to biomethane",
        "Opgradering af biogas til biometan",
        ["energy-technology", "environmental-technology", "food-bio-resources"],
    ),
    "pharma-wastewater": (
        "Removal of pharmaceutical residues from wastewater",
        "Fjernelse af medicinrester fra spildevand",
        ["environmental-technology"],
    ),
    "pfas-lab": (
        "PFAS analysis of water and soil",
        "PFAS-analyser af vand og jord",
        ["environmental-technology"],
    ),
    "plastic-sorting": (
        "Sensor-based sorting of plastic waste",
        "Sensorbaseret sortering af plastaffald",
        ["environmental-technology", "advanced-production"],
    ),
    "textile-recycling": (
        "Fibre-to-fibre textile recycling",
        "Genanvendelse af tekstilfibre",
        ["design-fashion-furniture", "environmental-technology"],
    ),
    "lca-epd": (
        "Life-cycle assessment and environmental product declarations",
        "Livscyklusvurdering og miljøvaredeklarationer",
        ["environmental-technology", "construction"],
    ),
    "low-carbon-concrete": (
        "Low-carbon concrete and cement",
        "Lavemissionsbeton og -cement",
        ["construction"],
    ),
    "clt-timber": (
        "Cross-laminated timber building elements",
        "Krydslimede træelementer til byggeri",
        ["construction"],
    ),
    "bim-twin": (
        "BIM and digital twins of buildings",
        "BIM og digitale tvillinger af bygninger",
        ["construction", "digital-technologies"],
    ),
    "upcycled-furniture": (
        "Furniture design from recycled materials",
        "Møbeldesign af genbrugsmaterialer",
        ["design-fashion-furniture"],
    ),
    "plant-protein": (
        "Texturisation of plant proteins",
        "Teksturering af planteproteiner",
        ["food-bio-resources"],
    ),
    "precision-ferm": (
        "Precision fermentation pilot plant",
        "Pilotanlæg til præcisionsfermentering",
        ["food-bio-resources", "life-science-welfare-technology"],
    ),
    "ras-aquaculture": (
        "Recirculating aquaculture systems",
        "Recirkulerede akvakulturanlæg",
        ["food-bio-resources"],
    ),
    "gmp-manufacturing": (
        "GMP contract manufacturing of biologics",
        "GMP-kontraktproduktion af biologiske lægemidler",
        ["life-science-welfare-technology"],
    ),
    "clinical-trial": (
        "Hospital clinical investigation site for medical devices",
        "Hospital som afprøvningssted for medicinsk udstyr",
        ["life-science-welfare-technology"],
    ),
    "welfare-testbed": (
        "Municipal test bed for welfare technology in elderly care",
        "Kommunalt testmiljø for velfærdsteknologi i ældreplejen",
        ["life-science-welfare-technology"],
    ),
    "health-data": (
        "Access to health registry data",
        "Adgang til sundhedsregisterdata",
        ["life-science-welfare-technology", "digital-technologies"],
    ),
    "med-image-ai": (
        "AI for medical image analysis",
        "AI til analyse af medicinske billeder",
        ["digital-technologies", "life-science-welfare-technology"],
    ),
    "predictive-maint": (
        "Machine learning for predictive maintenance",
        "Maskinlæring til forudsigende vedligehold",
        ["digital-technologies", "advanced-production"],
    ),
    "ot-security": (
        "Cybersecurity for industrial control systems",
        "Cybersikkerhed for industrielle styresystemer",
        ["digital-technologies", "defence-space-security"],
    ),
    "hpc-compute": (
        "High-performance and GPU computing access",
        "Adgang til supercomputer- og GPU-kapacitet",
        ["digital-technologies"],
    ),
    "earth-obs": (
        "Satellite earth observation data and analysis",
        "Satellitdata og jordobservation",
        ["defence-space-security", "digital-technologies"],
    ),
    "counter-drone": (
        "Drone detection and counter-drone systems",
        "Detektion og afværgning af droner",
        ["defence-space-security", "robot-drone-technology"],
    ),
    "open-banking": (
        "Open banking and payment APIs",
        "Open banking og betalings-API'er",
        ["finance-fintech"],
    ),
    "deeptech-vc": (
        "Venture investment in deep-tech start-ups",
        "Venturekapital til deep tech-startups",
        ["finance-fintech"],
    ),
    "shore-power": (
        "Shore power for ships in port",
        "Landstrøm til skibe i havn",
        ["maritime-logistics", "energy-technology"],
    ),
    "cold-chain": (
        "Temperature monitoring of cold-chain transport",
        "Temperaturovervågning af kølekæder",
        ["maritime-logistics", "digital-technologies", "food-bio-resources"],
    ),
    "visitor-data": (
        "Visitor flow analytics for destinations",
        "Analyse af turiststrømme for destinationer",
        ["tourism", "digital-technologies"],
    ),
    "green-tourism-cert": (
        "Sustainability certification for hotels and attractions",
        "Bæredygtighedscertificering af hoteller og attraktioner",
        ["tourism", "environmental-technology"],
    ),
    "metal-am": (
        "Metal additive manufacturing",
        "3D-print i metal",
        ["advanced-production"],
    ),
    "machine-vision": (
        "Machine vision for quality inspection",
        "Maskinsyn til kvalitetskontrol",
        ["advanced-production", "digital-technologies"],
    ),
}
