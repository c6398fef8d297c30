"""Capability catalogue of the dev10 matchmaking set.

Each capability is narrow on purpose, and several have look-alikes (same technique in
another sector, or same sector with another technique) so that a recommender must read
the text rather than the sector to rank well.
"""

from __future__ import annotations

from typing import NamedTuple


class Capability(NamedTuple):
    """One thing a profile can offer or seek; areas and partner kind feed the CSV columns."""

    definition: str
    areas: tuple[str, ...]
    partner_kind: str


CAPABILITIES: dict[str, Capability] = {
    # advanced production
    "salt-spray-corrosion-testing": Capability(
        "Accelerated corrosion testing of metal parts and surface treatments in "
        "salt-spray and cyclic chambers (ISO 9227, ISO 16701).",
        ("advanced-production",), "knowledge-transfer"),
    "offshore-coating-qualification": Capability(
        "Qualification of protective coating systems for offshore and splash-zone "
        "exposure (ISO 12944-9, NORSOK M-501).",
        ("energy-technology", "maritime-logistics"), "knowledge-transfer"),
    "metal-additive-manufacturing": Capability(
        "Laser powder-bed fusion of metal parts, from design for AM to heat treatment "
        "and finished part.",
        ("advanced-production",), "supplier"),
    "recycled-polymer-moulding": Capability(
        "Injection moulding of technical parts in post-consumer recycled polymers with "
        "stable properties.",
        ("advanced-production", "environmental-technology"), "supplier"),
    "industrial-ct-inspection": Capability(
        "Non-destructive inspection and metrology of parts by industrial X-ray computed "
        "tomography.",
        ("advanced-production",), "knowledge-transfer"),
    "vibration-shock-testing": Capability(
        "Vibration, shock and fatigue testing of products on electrodynamic shakers (IEC "
        "60068, MIL-STD-810).",
        ("advanced-production", "defence-space-security"), "knowledge-transfer"),
    "machine-vision-inspection": Capability(
        "Camera and deep-learning systems that inspect products for defects inline on a "
        "production line.",
        ("advanced-production", "digital-technologies"), "supplier"),
    "emc-testing": Capability(
        "Electromagnetic compatibility testing and pre-compliance of electronics (IEC "
        "61000, CISPR, MIL-STD-461).",
        ("defence-space-security", "advanced-production"), "knowledge-transfer"),
    # robots and drones
    "cobot-palletising": Capability(
        "Collaborative-robot cells for end-of-line case packing and palletising.",
        ("robot-drone-technology", "advanced-production"), "supplier"),
    "drone-bvlos-operations": Capability(
        "Beyond-visual-line-of-sight drone operations, including SORA risk assessment "
        "and operating approval.",
        ("robot-drone-technology",), "supplier"),
    "drone-thermal-inspection": Capability(
        "Drone-borne thermography and close visual inspection of roofs, blades, panels "
        "and facades.",
        ("robot-drone-technology", "energy-technology"), "supplier"),
    "field-robot-weeding": Capability(
        "Autonomous field robots that hoe or spot-spray weeds in row crops.",
        ("robot-drone-technology", "food-bio-resources"), "supplier"),
    # digital
    "ot-cybersecurity": Capability(
        "Security assessment and hardening of industrial control systems and OT networks "
        "(IEC 62443).",
        ("digital-technologies", "defence-space-security"), "supplier"),
    "danish-speech-recognition": Capability(
        "Speech-to-text and language models trained for Danish, including dialects and "
        "domain vocabulary.",
        ("digital-technologies",), "supplier"),
    "synthetic-data-generation": Capability(
        "Generation of privacy-preserving synthetic versions of personal or sensitive "
        "tabular data.",
        ("digital-technologies",), "supplier"),
    # energy
    "battery-cell-testing": Capability(
        "Cycle-life, calendar-ageing and abuse testing of lithium-ion cells and modules.",
        ("energy-technology",), "knowledge-transfer"),
    "electrolyser-testing": Capability(
        "Performance and degradation testing of PEM, alkaline and solid-oxide "
        "electrolyser cells and stacks.",
        ("energy-technology",), "research-partner"),
    "district-heating-optimisation": Capability(
        "Lowering supply temperatures and losses in district-heating networks by "
        "hydraulic modelling and meter data.",
        ("energy-technology",), "supplier"),
    "blade-erosion-testing": Capability(
        "Rain-erosion testing of wind-turbine blade leading-edge protection on a whirling-arm rig.",
        ("energy-technology",), "knowledge-transfer"),
    # environment
    "pfas-analysis": Capability(
        "Accredited trace analysis of PFAS compounds in water, soil, biota and products "
        "(LC-MS/MS).",
        ("environmental-technology",), "knowledge-transfer"),
    "pfas-removal": Capability(
        "Treatment plants that remove PFAS from groundwater or leachate, e.g. foam "
        "fractionation or ion exchange.",
        ("environmental-technology",), "supplier"),
    "microplastics-analysis": Capability(
        "Counting and identifying microplastic particles in water, sediment or food by "
        "µFTIR or pyrolysis GC-MS.",
        ("environmental-technology",), "knowledge-transfer"),
    "lca-epd": Capability(
        "Life-cycle assessment and third-party-verifiable environmental product "
        "declarations (EN 15804, ISO 14025).",
        ("environmental-technology", "construction"), "knowledge-transfer"),
    "cloudburst-modelling": Capability(
        "Hydraulic modelling of rainfall runoff and sewer capacity to plan climate "
        "adaptation against cloudbursts.",
        ("environmental-technology", "construction"), "supplier"),
    # food
    "sensory-panel-testing": Capability(
        "Descriptive sensory profiling with a trained panel plus consumer preference tests.",
        ("food-bio-resources",), "knowledge-transfer"),
    "fermentation-scale-up": Capability(
        "Scaling microbial and precision fermentation from flask to pilot fermenters "
        "with downstream recovery.",
        ("food-bio-resources", "life-science-welfare-technology"), "research-partner"),
    "listeria-challenge-testing": Capability(
        "Microbiological challenge tests and shelf-life studies for Listeria and other "
        "pathogens in ready-to-eat food.",
        ("food-bio-resources",), "knowledge-transfer"),
    "plant-protein-extrusion": Capability(
        "High-moisture extrusion of plant proteins into fibrous meat-analogue textures.",
        ("food-bio-resources",), "research-partner"),
    "livestock-health-sensors": Capability(
        "Sensors and algorithms that detect disease, heat or distress in cattle and pigs early.",
        ("food-bio-resources", "digital-technologies"), "supplier"),
    # life science and welfare technology
    "mdr-regulatory-affairs": Capability(
        "Regulatory strategy, technical documentation and clinical evaluation for CE "
        "marking under the EU MDR.",
        ("life-science-welfare-technology",), "supplier"),
    "biocompatibility-testing": Capability(
        "Biological evaluation of medical-device materials: cytotoxicity, sensitisation, "
        "irritation (ISO 10993).",
        ("life-science-welfare-technology",), "knowledge-transfer"),
    "medical-usability-engineering": Capability(
        "Human-factors and summative usability testing of medical devices (IEC 62366-1).",
        ("life-science-welfare-technology", "design-fashion-furniture"), "knowledge-transfer"),
    "welfare-tech-evaluation": Capability(
        "Independent evaluation of welfare technology in municipal care: effect, staff "
        "time and business case.",
        ("life-science-welfare-technology",), "research-partner"),
    # maritime and logistics
    "hull-performance-monitoring": Capability(
        "Monitoring hull and propeller fouling from vessel sensor and noon-report data "
        "to time cleanings.",
        ("maritime-logistics", "digital-technologies"), "supplier"),
    "cold-chain-monitoring": Capability(
        "Wireless temperature logging and alarms across the cold chain with documented "
        "traceability.",
        ("maritime-logistics", "food-bio-resources"), "supplier"),
    "methanol-retrofit-engineering": Capability(
        "Engineering of vessel conversions to methanol dual-fuel propulsion, including "
        "class approval.",
        ("maritime-logistics", "energy-technology"), "supplier"),
    # construction
    "moisture-mould-diagnostics": Capability(
        "Building-physics diagnostics of moisture, mould and indoor climate in existing buildings.",
        ("construction",), "knowledge-transfer"),
    "low-carbon-concrete": Capability(
        "Concrete mixes with calcined clay and other supplementary binders that cut cement CO2.",
        ("construction",), "supplier"),
    "building-acoustics-measurement": Capability(
        "Field and laboratory measurement of sound insulation, impact noise and "
        "reverberation in buildings.",
        ("construction", "sound-technology"), "knowledge-transfer"),
    # sound
    "hearing-audio-dsp": Capability(
        "Signal-processing algorithms for hearing aids and earbuds: noise reduction, "
        "beamforming, feedback control.",
        ("sound-technology", "life-science-welfare-technology"), "research-partner"),
    "anechoic-transducer-measurement": Capability(
        "Anechoic-chamber measurement of loudspeakers, microphones and transducers: "
        "response, directivity, distortion.",
        ("sound-technology",), "knowledge-transfer"),
    # finance
    "aml-transaction-monitoring": Capability(
        "Machine-learning monitoring of payment transactions for money laundering and fraud.",
        ("finance-fintech", "digital-technologies"), "supplier"),
    "eu-taxonomy-reporting": Capability(
        "Screening of activities against the EU taxonomy and preparing CSRD/ESRS "
        "sustainability disclosures.",
        ("finance-fintech", "environmental-technology"), "supplier"),
    "deeptech-seed-investment": Capability(
        "Seed and pre-series-A equity for hardware and deep-tech start-ups, with board support.",
        ("finance-fintech",), "investor"),
    # creative, design, tourism
    "motion-capture": Capability(
        "Optical motion capture of body, hands and face, with clean-up and retargeting to rigs.",
        ("animation-games-film",), "supplier"),
    "textile-fibre-recycling": Capability(
        "Sorting post-consumer textiles by fibre with NIR and recycling them fibre-to-fibre.",
        ("design-fashion-furniture", "environmental-technology"), "supplier"),
    "furniture-durability-testing": Capability(
        "Strength, durability and stability testing of furniture to EN standards (EN "
        "16139, EN 1728, EN 12520).",
        ("design-fashion-furniture",), "knowledge-transfer"),
    "visitor-flow-analytics": Capability(
        "Counting and mapping visitor flows at destinations from mobile, wifi and sensor data.",
        ("tourism", "digital-technologies"), "supplier"),
    # defence and space, export brokerage
    "satellite-sar-analytics": Capability(
        "Analysis of satellite radar (SAR) imagery: ship detection, ground motion, flooding.",
        ("defence-space-security", "digital-technologies"), "supplier"),
    "dach-export-distribution": Capability(
        "Distribution and sales-channel partnership for entering Germany, Austria and Switzerland.",
        ("advanced-production",), "export-partner"),
}
