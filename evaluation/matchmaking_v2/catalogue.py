"""Capability catalogue of the matchmaking_v2 test set (written by hand for this set).

Each entry: id -> (English label, Danish label, area slugs). A profile offers exactly one
capability and seeks exactly one other; truth is capability identity (see README.md).
"""

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # energy
    "K01": (
        "Acoustic/ultrasonic leak detection in district heating pipes",
        "Akustisk lækagesøgning på fjernvarmerør",
        ("energy-technology",),
    ),
    "K02": (
        "Drone inspection of wind turbine blades",
        "Droneinspektion af vindmøllevinger",
        ("robot-drone-technology", "energy-technology"),
    ),
    "K03": (
        "Battery storage systems for grid balancing and frequency reserves",
        "Batterilagring til balancering af elnettet og frekvensreserver",
        ("energy-technology",),
    ),
    "K04": (
        "Industrial heat pumps for process heat (design and integration)",
        "Industrielle varmepumper til procesvarme",
        ("energy-technology", "advanced-production"),
    ),
    "K05": (
        "Engineering of electrolysis / Power-to-X plants for green hydrogen",
        "Projektering af elektrolyse- og Power-to-X-anlæg til grøn brint",
        ("energy-technology",),
    ),
    # food
    "K06": (
        "Sensory panels and consumer tests for plant-based dairy alternatives",
        "Sensoriske paneler og forbrugertest af plantebaserede mejerialternativer",
        ("food-bio-resources",),
    ),
    "K07": (
        "Precision fermentation scale-up for food proteins (pilot plant)",
        "Opskalering af præcisionsfermentering af fødevareproteiner",
        ("food-bio-resources", "life-science-welfare-technology"),
    ),
    "K08": (
        "Camera/vision-based quality grading of meat and fish on processing lines",
        "Kamerabaseret kvalitetssortering af kød og fisk på procesliner",
        ("food-bio-resources", "advanced-production"),
    ),
    "K09": (
        "Shelf-life studies and microbiological challenge tests for chilled foods",
        "Holdbarhedsforsøg og mikrobiologiske challengetest af kølevarer",
        ("food-bio-resources",),
    ),
    "K10": (
        "Upcycling of brewery and food side-streams into ingredients",
        "Opcykling af sidestrømme fra bryggerier og fødevareindustri til ingredienser",
        ("food-bio-resources", "environmental-technology"),
    ),
    # life science / welfare
    "K11": (
        "Clinical investigations of medical devices in hospital departments",
        "Klinisk afprøvning af medicinsk udstyr på hospitalsafdelinger",
        ("life-science-welfare-technology",),
    ),
    "K12": (
        "Regulatory support for CE marking of medical device software under MDR",
        "Regulatorisk rådgivning om CE-mærkning af software som medicinsk udstyr (MDR)",
        ("life-science-welfare-technology",),
    ),
    "K13": (
        "Fall detection and night-time monitoring for elderly care",
        "Faldregistrering og natligt tilsyn i ældreplejen",
        ("life-science-welfare-technology",),
    ),
    "K14": (
        "GMP contract manufacturing of biologics (cell lines, fill-finish)",
        "GMP-kontraktproduktion af biologiske lægemidler",
        ("life-science-welfare-technology",),
    ),
    "K15": (
        "AI for reading medical images (radiology, pathology)",
        "Kunstig intelligens til aflæsning af medicinske billeder",
        ("life-science-welfare-technology", "digital-technologies"),
    ),
    # maritime and logistics
    "K16": (
        "Underwater robots for hull inspection and hull cleaning",
        "Undervandsrobotter til skrogeftersyn og skrogrensning",
        ("maritime-logistics", "robot-drone-technology"),
    ),
    "K17": (
        "Voyage and fuel optimisation software for ships",
        "Software til rute- og brændstofoptimering af skibe",
        ("maritime-logistics", "digital-technologies"),
    ),
    "K18": (
        "Conversion of ship engines to methanol or other green fuels",
        "Ombygning af skibsmotorer til metanol og andre grønne brændstoffer",
        ("maritime-logistics", "energy-technology"),
    ),
    "K19": (
        "Container terminal and yard planning optimisation for ports",
        "Optimering af containerterminaler og pladsplanlægning i havne",
        ("maritime-logistics",),
    ),
    # construction
    "K20": (
        "Life-cycle assessment and EPDs for building products",
        "Livscyklusvurdering og miljøvaredeklarationer for byggevarer",
        ("construction", "environmental-technology"),
    ),
    "K21": (
        "Moisture monitoring with embedded sensors in timber buildings",
        "Fugtovervågning med indbyggede sensorer i træbyggeri",
        ("construction",),
    ),
    "K22": (
        "BIM coordination and digital twins for building operation",
        "BIM-koordinering og digitale tvillinger til bygningsdrift",
        ("construction", "digital-technologies"),
    ),
    "K23": (
        "Thermographic drone surveys of roofs and facades",
        "Termografiske droneundersøgelser af tage og facader",
        ("robot-drone-technology", "construction"),
    ),
    "K24": (
        "Low-carbon concrete mixes (clinker substitution)",
        "Betonrecepter med lavt CO2-aftryk",
        ("construction",),
    ),
    # production
    "K25": (
        "Collaborative robots for small-batch welding",
        "Kollaborative robotter til svejsning i små serier",
        ("robot-drone-technology", "advanced-production"),
    ),
    "K26": (
        "Metal additive manufacturing of spare parts",
        "Metal-3D-print af reservedele",
        ("advanced-production",),
    ),
    "K27": (
        "Vibration-based predictive maintenance of rotating machinery",
        "Vibrationsbaseret forudsigende vedligehold af roterende maskiner",
        ("advanced-production", "digital-technologies"),
    ),
    "K28": (
        "Machine vision inspection of injection-moulded plastic parts",
        "Maskinsyn til kvalitetskontrol af sprøjtestøbte plastemner",
        ("advanced-production",),
    ),
    # digital
    "K29": (
        "Cybersecurity of industrial control systems (OT) and NIS2 readiness",
        "Cybersikkerhed for industrielle styresystemer (OT) og NIS2-parathed",
        ("digital-technologies", "defence-space-security"),
    ),
    "K30": (
        "LoRaWAN/IoT sensor networks for water utilities",
        "LoRaWAN- og IoT-sensornet til vandforsyninger",
        ("digital-technologies", "environmental-technology"),
    ),
    "K31": (
        "Danish speech recognition and transcription for public services",
        "Dansk talegenkendelse og transskribering til den offentlige sektor",
        ("digital-technologies",),
    ),
    # finance
    "K32": (
        "Automated AML/KYC screening for banks",
        "Automatiseret hvidvask- og kundekendskabskontrol for banker",
        ("finance-fintech",),
    ),
    "K33": (
        "CSRD/ESG reporting software for SMEs",
        "Software til ESG- og CSRD-rapportering for SMV'er",
        ("finance-fintech", "environmental-technology"),
    ),
    # robots and drones in health
    "K34": (
        "Autonomous mobile robots for hospital internal logistics",
        "Autonome mobile robotter til intern logistik på hospitaler",
        ("robot-drone-technology", "life-science-welfare-technology"),
    ),
    "K35": (
        "Drone transport of blood and lab samples between hospitals",
        "Dronetransport af blodprøver og laboratorieprøver mellem hospitaler",
        ("robot-drone-technology", "life-science-welfare-technology"),
    ),
    # design
    "K36": (
        "Sorting and fibre-to-fibre recycling of textile waste",
        "Sortering og fiber-til-fiber-genanvendelse af tekstilaffald",
        ("design-fashion-furniture", "environmental-technology"),
    ),
    "K37": (
        "Usability / human-factors testing of medical devices",
        "Brugervenligheds- og human factors-test af medicinsk udstyr",
        ("design-fashion-furniture", "life-science-welfare-technology"),
    ),
    # sound
    "K38": (
        "Room acoustics and noise control for offices and schools",
        "Rumakustik og støjdæmpning i kontorer og skoler",
        ("sound-technology", "construction"),
    ),
    "K39": (
        "Audio signal processing for hearing aids and hearables",
        "Lydsignalbehandling til høreapparater og hearables",
        ("sound-technology", "life-science-welfare-technology"),
    ),
    # defence and space
    "K40": (
        "Counter-drone detection (radar/RF) for critical infrastructure",
        "Detektion af uautoriserede droner ved kritisk infrastruktur",
        ("defence-space-security", "robot-drone-technology"),
    ),
    "K41": (
        "Satellite Earth observation for precision agriculture",
        "Satellitbaseret jordobservation til præcisionslandbrug",
        ("defence-space-security", "food-bio-resources"),
    ),
    # environment
    "K42": (
        "Remediation of PFAS-contaminated soil and groundwater",
        "Oprensning af PFAS-forurenet jord og grundvand",
        ("environmental-technology",),
    ),
    "K43": (
        "Phosphorus and nutrient recovery at wastewater treatment plants",
        "Genvinding af fosfor og næringsstoffer på renseanlæg",
        ("environmental-technology",),
    ),
    # games and film
    "K44": (
        "VR training simulators for technicians (wind, offshore, energy)",
        "VR-træningssimulatorer til teknikere i vind, offshore og energi",
        ("animation-games-film", "energy-technology"),
    ),
    "K45": (
        "Motion capture and VFX production for film and games",
        "Motion capture og VFX-produktion til film og spil",
        ("animation-games-film",),
    ),
}
