"""The registry's vocabulary: organisation kinds, activity and outcome types, roles and CVR numbers.

Every code is a stable identifier stored in the database and written in files; every label a
person reads exists in Danish and English. Activity types follow the instruments of the national
cluster programme so that the performance account can be read against the programme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from klynge.i18n import Text

# -- organisations ----------------------------------------------------------------------------
ORGANISATION_KINDS: dict[str, Text] = {
    "company": Text(da="virksomhed", en="company"),
    "university": Text(da="universitet", en="university"),
    "gts": Text(da="GTS-institut", en="approved technological service institute (GTS)"),
    "education": Text(da="uddannelsesinstitution", en="educational institution"),
    "public": Text(da="offentlig aktør", en="public actor"),
    "investor": Text(da="investor", en="investor"),
    "other": Text(da="anden", en="other"),
}
KNOWLEDGE_KINDS: frozenset[str] = frozenset({"university", "gts", "education"})
SME_LIMIT = 50
"""Cluster Excellence Denmark splits its figures at fewer than 50 employees."""

SIZE_CLASSES: dict[str, Text] = {
    "micro": Text(da="mikro (under 10 ansatte)", en="micro (fewer than 10 employees)"),
    "small": Text(da="lille (10-49 ansatte)", en="small (10-49 employees)"),
    "medium": Text(da="mellemstor (50-249 ansatte)", en="medium (50-249 employees)"),
    "large": Text(da="stor (250 ansatte eller flere)", en="large (250 employees or more)"),
    "unknown": Text(da="ukendt størrelse", en="size unknown"),
}


def size_class(employees: int | None) -> str:
    """The EU size class by head count alone (turnover is not in the registry)."""
    if employees is None:
        return "unknown"
    if employees < 0:
        raise ValueError(f"a number of employees cannot be negative (got {employees})")
    if employees < 10:
        return "micro"
    if employees < SME_LIMIT:
        return "small"
    if employees < 250:
        return "medium"
    return "large"


# -- activities -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActivityType:
    """An activity type and the programme instrument it belongs to."""

    code: str
    label: Text
    instrument: Text


_MATCHMAKING = Text(da="Matchmaking og netværk", en="Matchmaking and networks")
_PROJECTS = Text(da="Samarbejdsprojekter", en="Collaborative projects")
_INTERNATIONAL = Text(da="Internationalisering", en="Internationalisation")
_SKILLS = Text(da="Kompetenceudvikling", en="Skills development")

ACTIVITY_TYPES: dict[str, ActivityType] = {
    a.code: a
    for a in (
        ActivityType("matchmaking", Text(da="matchmaking", en="matchmaking event"), _MATCHMAKING),
        ActivityType(
            "networking",
            Text(da="netværksarrangement", en="networking event"),
            _MATCHMAKING,
        ),
        ActivityType("conference", Text(da="konference", en="conference"), _MATCHMAKING),
        ActivityType("workshop", Text(da="workshop", en="workshop"), _MATCHMAKING),
        ActivityType(
            "innovation-project",
            Text(da="innovationssamarbejde", en="collaborative innovation project"),
            _PROJECTS,
        ),
        ActivityType(
            "feasibility-study", Text(da="forundersøgelse", en="feasibility study"), _PROJECTS
        ),
        ActivityType("rd-project", Text(da="FoU-projekt", en="R&D project"), _PROJECTS),
        ActivityType(
            "internationalisation",
            Text(
                da="internationalisering (delegationer, EU- og Interreg-projekter)",
                en="internationalisation (delegations, EU and Interreg projects)",
            ),
            _INTERNATIONAL,
        ),
        ActivityType(
            "skills-programme", Text(da="kompetenceforløb", en="skills programme"), _SKILLS
        ),
    )
}

ROLES: dict[str, Text] = {
    "participant": Text(da="deltager", en="participant"),
    "partner": Text(da="projektpartner", en="project partner"),
    "lead": Text(da="projektleder", en="project lead"),
    "speaker": Text(da="oplægsholder", en="speaker"),
    "host": Text(da="vært", en="host"),
}

# -- outcomes ---------------------------------------------------------------------------------
OUTCOME_TYPES: dict[str, Text] = {
    "competences": Text(da="nye kompetencer eller værktøjer", en="new competences or tools"),
    "ideas": Text(da="nye idéer", en="new ideas"),
    "products": Text(
        da="nye produkter, services eller processer",
        en="new products, services or processes",
    ),
    "partner": Text(da="ny samarbejdspartner", en="a new collaboration partner"),
}

# -- CVR --------------------------------------------------------------------------------------
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
_CVR_RE = re.compile(r"^[1-9]\d{7}$")


def cvr_problem(value: str) -> str | None:
    """Why ``value`` is not a CVR number, or ``None`` when it is one.

    A CVR number has eight digits, does not start with 0, and its digits weighted 2,7,6,5,4,3,2,1
    add up to a multiple of 11 (the register's modulus-11 check).
    """
    if not _CVR_RE.match(value):
        return f"{value!r} is not a CVR number: it must be 8 digits not starting with 0"
    total = sum(int(d) * w for d, w in zip(value, _CVR_WEIGHTS, strict=True))
    if total % 11:
        return f"{value!r} is not a valid CVR number: its modulus-11 check digit does not match"
    return None


def cvr_problem_da(value: str) -> str | None:
    """:func:`cvr_problem` in Danish."""
    if not _CVR_RE.match(value):
        return f"{value!r} er ikke et CVR-nummer: det skal have 8 cifre og ikke starte med 0"
    if cvr_problem(value):
        return f"{value!r} er ikke et gyldigt CVR-nummer: modulus 11-kontrollen passer ikke"
    return None


def is_cvr(value: str) -> bool:
    return cvr_problem(value) is None


def cvr_check_digit(first7: str) -> int | None:
    """The last digit that makes ``first7`` a valid CVR number, or ``None`` if none can."""
    partial = sum(int(d) * w for d, w in zip(first7, _CVR_WEIGHTS[:7], strict=True))
    digit = (-partial) % 11
    return None if digit == 10 else digit


# ISO 3166-1 alpha-2, the 249 officially assigned codes, plus XK (Kosovo), which the EU uses.
_COUNTRY_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ  EC EE EG EH ER ES ET  FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY  HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT  JE JM JO JP  KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ  OM  PA PE PF PG PH PK PL PM PN PR PS PT PW PY  QA
    RE RO RS RU RW  SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ  UA UG UM US UY UZ
    VA VC VE VG VI VN VU  WF WS  XK  YE YT  ZA ZM ZW
"""
COUNTRIES: frozenset[str] = frozenset(_COUNTRY_CODES.split())
COUNTRY_ALIASES: dict[str, str] = {"UK": "GB", "EL": "GR"}
"""Eurostat's and the EU's own codes for two countries whose ISO codes differ."""
