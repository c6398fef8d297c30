"""The ECCP-style cluster factsheet, assembled from klynge's own records and a user's data.

Pure domain code: what the data allows the factsheet to claim. The service
(:mod:`klynge.services.factsheet`) reads the files, runs the regions pipeline and renders; this
package decides the words that keep the page honest:

* :func:`data_level` tells NACE sections (the A10 aggregates of national accounts) from NACE
  divisions, because the published factsheet's Table 1 is at division level and cannot be
  reproduced from sections;
* :func:`eu_row` finds an EU27 row, whose EU average the published factsheet uses as reference;
* :func:`honesty_notes` says, in both languages, how a generated table differs from the
  published one;
* :func:`programme_on` picks the cluster programme in force (or appointed) on the day.

Every text is a :class:`~klynge.i18n.Text`, so each face picks its language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from klynge.i18n import Text
from klynge.landscape.model import Programme

DataLevel = Literal["sections", "divisions", "finer", "mixed", "none"]

_SECTION = re.compile(r"^[A-U](-[A-U])?$")
_DIVISION = re.compile(r"^[A-U]?\d{2}$")
_FINER = re.compile(r"^[A-U]?\d{2}\.?\d{1,2}$")

#: The public dataset that holds NACE divisions by NUTS 2 region, and what it lacks. Checked
#: against Eurostat's own pages (see docs/regions.md, "Reproducing the published Table 1").
REPRODUCE = Text(
    da="Den offentliggjorte Tabel 1 bygger på NACE-hovedgrupper (2 cifre) målt mod "
    "EU-gennemsnittet, med data fra Eurostat og nationale statistikkontorer. Eurostats regionale "
    "erhvervsstatistik giver beskæftigede pr. NUTS 2-region og hovedgruppe: sbs_r_nuts2021 (fra "
    "2021) dækker erhvervsøkonomien inklusive finansiering (K), sbs_r_nuts06_r2 (til 2020) uden K. "
    "Ingen af dem dækker landbrug (A), offentlig administration (O) eller de (overvejende) "
    "ikke-markedsmæssige tjenester som undervisning og sundhed: faktaarkets knudepunkter i Q87 og "
    "Q88 (plejehjem, sociale tilbud) kan ikke genskabes derfra, og R91/R93 skal kontrolleres i "
    "datasættets kodeliste. De kræver nationale registerdata (Danmarks Statistik, beskæftigede "
    "pr. region og branche, fx RAS). nama_10r_3empers dækker alle brancher, men kun som "
    "A10-hovedafsnit.",
    en="The published Table 1 is built on NACE divisions (2 digits) against the EU average, from "
    "Eurostat and national statistical offices' data. Eurostat's regional business statistics "
    "give persons employed by NUTS 2 region and division: sbs_r_nuts2021 (from 2021) covers the "
    "business economy including finance (K), sbs_r_nuts06_r2 (to 2020) without K. Neither covers "
    "agriculture (A), public administration (O) or the (largely) non-market services such as "
    "education and health: the factsheet's nodes in Q87 and Q88 (residential care, social work) "
    "cannot be reproduced from them, and R91/R93 must be checked in the dataset's code list. "
    "They need national register data (Statistics Denmark, employment by region and industry, "
    "e.g. RAS). nama_10r_3empers covers every activity, but only as A10 sections.",
)


def _kind(code: str) -> str:
    c = code.strip().upper()
    if _SECTION.match(c):
        return "sections"
    if _DIVISION.match(c):
        return "divisions"
    if _FINER.match(c):
        return "finer"
    return "other"


def data_level(activities: Iterable[str]) -> DataLevel:
    """The NACE level of a file's activities (after overlapping aggregates are dropped).

    ``sections``: letters and ranges such as ``B-E`` (the A10 aggregates); ``divisions``: two
    digits (``C21`` or ``21``); ``finer``: groups or classes; ``mixed`` when levels differ.
    """
    kinds = {_kind(a) for a in activities}
    if not kinds:
        return "none"
    if len(kinds) == 1 and "other" not in kinds:
        return kinds.pop()  # type: ignore[return-value]
    return "mixed"


LEVEL_TEXT: dict[DataLevel, Text] = {
    "sections": Text(
        da="NACE-hovedafsnit (A10-aggregater, fx B-E, G-I)",
        en="NACE sections (A10 aggregates such as B-E, G-I)",
    ),
    "divisions": Text(da="NACE-hovedgrupper (2 cifre)", en="NACE divisions (2 digits)"),
    "finer": Text(da="NACE-grupper eller -undergrupper", en="NACE groups or classes"),
    "mixed": Text(da="blandede NACE-niveauer", en="mixed NACE levels"),
    "none": Text(da="ingen aktiviteter", en="no activities"),
}


def eu_row(regions: Sequence[str]) -> str | None:
    """The file's EU27 row (``EU27_2020``...), the published factsheet's reference."""
    return next((r for r in regions if r.upper().startswith("EU27")), None)


def reference_for(regions: Sequence[str], asked: str | None) -> tuple[str, Text | None]:
    """What to measure against: the reader's choice, else EU27 when the file has it, else the
    country. The note says which and why, so the page never leaves the reference implicit."""
    if asked is not None and asked.strip():
        return asked.strip(), None
    eu = eu_row(regions)
    if eu is not None:
        return "EU27", Text(
            da=f"Reference: EU-gennemsnittet (rækken {eu} i filen), som i det offentliggjorte "
            "faktaark.",
            en=f"Reference: the EU average (the file's {eu} row), as in the published factsheet.",
        )
    return "country", Text(
        da="Filen har ingen EU27-række, så regionerne måles mod landet selv, ikke mod "
        "EU-gennemsnittet som i det offentliggjorte faktaark. Knudepunkter mod landet er ikke de "
        "samme som mod EU.",
        en="The file has no EU27 row, so the regions are measured against the country itself, not "
        "against the EU average as in the published factsheet. Nodes against the country are not "
        "the same as nodes against the EU.",
    )


def honesty_notes(
    level: DataLevel, eu_reference: bool, *, reference_said: bool = False
) -> list[Text]:
    """How a generated Table 1 differs from the published one, given the data's level and
    reference. Empty only for divisions against the EU average, which is the published method.
    ``reference_said``: the page already explains a country reference (:func:`reference_for`)."""
    out: list[Text] = []
    if level == "sections":
        out.append(
            Text(
                da="Dataene er NACE-hovedafsnit (A10), ikke hovedgrupper: tabellen har Tabel 1's "
                "opstilling, men kan ikke genskabe det offentliggjorte faktaarks Tabel 1, som "
                "bygger på 88 hovedgrupper målt mod EU-gennemsnittet. Et afsnit som O-Q rummer "
                "både offentlig administration og sundhed; specialiseringer inden for det bliver "
                "usynlige.",
                en="The data are NACE sections (A10), not divisions: the table has Table 1's "
                "layout but cannot reproduce the published factsheet's Table 1, which is built on "
                "the 88 divisions against the EU average. A section such as O-Q holds public "
                "administration and health together; specialisations inside it become invisible.",
            )
        )
    elif level in ("mixed", "finer"):
        out.append(
            Text(
                da="Dataene er ikke rene NACE-hovedgrupper; tabellen følger Tabel 1's opstilling, "
                "men ikke nødvendigvis dens niveau.",
                en="The data are not NACE divisions throughout; the table follows Table 1's "
                "layout, not necessarily its level.",
            )
        )
    if not eu_reference and level != "none" and not reference_said:
        out.append(
            Text(
                da="Referencen er landet, ikke EU-gennemsnittet: det offentliggjorte faktaark "
                "måler mod EU27.",
                en="The reference is the country, not the EU average: the published factsheet "
                "measures against EU27.",
            )
        )
    if level != "none" and (level != "divisions" or not eu_reference):
        out.append(REPRODUCE)
    return out


def programme_on(programmes: Iterable[Programme], day: date) -> Programme | None:
    """The cluster programme in force on ``day``, or appointed by then for a later start."""
    found = [
        p
        for p in programmes
        if p.kind == "cluster-programme"
        and (p.start <= day or (p.appointed_on is not None and p.appointed_on <= day))
        and (p.end is None or day <= p.end)
    ]
    return max(found, key=lambda p: p.start) if found else None


#: Headings and fixed words of the factsheet, in both languages.
WORDS: dict[str, Text] = {
    "title": Text(da="Klyngefaktaark: {country}", en="Cluster factsheet: {country}"),
    "subtitle": Text(
        da="Genereret af klynge efter forbillede i ECCP's landefaktaark, ud fra registreringerne "
        "pr. {day}.",
        en="Generated by klynge in the manner of the ECCP country factsheets, on the records "
        "for {day}.",
    ),
    "map": Text(da="Klyngeorganisationer i regionerne", en="Cluster organisations in the regions"),
    "map_desc": Text(
        da="Store prikker er hovedsæder, små prikker afdelinger. Regionerne står i listen under "
        "kortet.",
        en="Large dots are headquarters, small dots offices. The regions are listed below the map.",
    ),
    "per_region": Text(da="Klynger pr. region", en="Clusters per region"),
    "hq_unknown": Text(da="Hovedsæde ukendt", en="Headquarters unknown"),
    "none": Text(da="Ingen kendte.", en="None known."),
    "total_unknown": Text(
        da="ukendt (en regions LQ kan ikke beregnes)",
        en="unknown (a region's LQ cannot be computed)",
    ),
    "table1": Text(
        da="Tabel 1: Regionalt relevante sektorielle knudepunkter",
        en="Table 1: Regionally relevant sectoral nodes",
    ),
    "table1_layout": Text(
        da="Tabel 1's opstilling: regionalt relevante knudepunkter efter NACE-hovedafsnit",
        en="Table 1 layout: regionally relevant nodes by NACE section",
    ),
    "table2": Text(
        da="Tabel 2: Regionalt relevante økosystemknudepunkter",
        en="Table 2: Regionally relevant ecosystem nodes",
    ),
    "no_data": Text(
        da="Ingen beskæftigelsesdata angivet: Tabel 1 og 2 kræver en fil (--data FILE eller "
        "$KLYNGE_REGIONS_SAMPLE på serveren). Resten af faktaarket bygger på klynges egne "
        "registreringer.",
        en="No employment data given: Tables 1 and 2 need a file (--data FILE, or "
        "$KLYNGE_REGIONS_SAMPLE on the server). The rest of the factsheet rests on klynge's own "
        "records.",
    ),
    "table2_missing": Text(
        da="Tabel 2 vises ikke: økosystemer kræver NACE-hovedgrupper eller finere.",
        en="Table 2 is not shown: ecosystems need NACE divisions or finer.",
    ),
    "data": Text(da="Data", en="Data"),
    "level": Text(da="Niveau", en="Level"),
    "year": Text(da="År", en="Year"),
    "reference": Text(da="Reference", en="Reference"),
    "thresholds": Text(
        da="Knudepunkt: LQ > {spec} og mindst {rel} af regionens beskæftigelse.",
        en="Node: LQ > {spec} and at least {rel} of the region's employment.",
    ),
    "maturity": Text(da="Klyngepolitikkens modenhed", en="Cluster policy maturity"),
    "dimension": Text(da="Dimension", en="Dimension"),
    "score": Text(da="Point", en="Score"),
    "maximum": Text(da="Maksimum", en="Maximum"),
    "reason": Text(da="Begrundelse", en="Reason"),
    "total": Text(da="I alt", en="Total"),
    "programme": Text(da="Klyngeprogrammet", en="The cluster programme"),
    "no_programme": Text(
        da="Intet klyngeprogram i kraft på dagen.", en="No cluster programme in force on the day."
    ),
    "period": Text(da="Periode", en="Period"),
    "budget": Text(da="Budget", en="Budget"),
    "budget_unknown": Text(da="ikke oplyst i kilderne", en="not given in the sources"),
    "funded": Text(da="Klyngeorganisationer finansieret", en="Cluster organisations funded"),
    "funders": Text(da="Finansieret af", en="Funded by"),
    "per_year": Text(da="mio. kr. om året", en="DKK million a year"),
    "objectives": Text(da="Mål", en="Objectives"),
    "instruments": Text(da="Instrumenter", en="Instruments"),
    "sources": Text(da="Kilder", en="Sources"),
    "warnings": Text(da="Advarsler om data og metode", en="Warnings about the data and method"),
    "about": Text(da="Om tabellerne", en="About the tables"),
    "region": Text(da="Region", en="Region"),
    "nodes": Text(da="Antal knudepunkter", en="Number of nodes"),
    "node": Text(da="Knudepunkt {n}", en="Node {n}"),
    "download_pdf": Text(da="Hent som PDF", en="Download as PDF"),
    "other_lang": Text(da="Read in English", en="Læs på dansk"),
}
