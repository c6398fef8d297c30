"""The 14 EU industrial ecosystems and an approximate NACE-division mapping to them.

The official table (SWD(2021) 351) works at class level and splits classes between ecosystems;
it is not available offline. The bundled mapping gives each division its single best-fitting
ecosystem, or none; users with the official table pass their own mapping file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from klynge.i18n import Text
from klynge.regions import nace
from klynge.regions.cube import Cube
from klynge.regions.errors import RegionsDataError, data_error
from klynge.regions.lq import Reference

ECOSYSTEMS: dict[str, Text] = {
    "aerospace-defence": Text(da="Rumfart og forsvar", en="Aerospace and defence"),
    "agri-food": Text(da="Agrifødevarer", en="Agri-food"),
    "construction": Text(da="Byggeri", en="Construction"),
    "cultural-creative": Text(
        da="Kulturelle og kreative erhverv", en="Cultural and creative industries"
    ),
    "digital": Text(da="Digital", en="Digital"),
    "electronics": Text(da="Elektronik", en="Electronics"),
    "energy-intensive": Text(da="Energiintensive industrier", en="Energy-intensive industries"),
    "energy-renewables": Text(da="Energi – vedvarende", en="Energy – renewables"),
    "health": Text(da="Sundhed", en="Health"),
    "mobility-transport-automotive": Text(
        da="Mobilitet, transport og biler", en="Mobility, transport and automotive"
    ),
    "proximity-social-economy": Text(
        da="Nærhed, socialøkonomi og civil sikkerhed",
        en="Proximity, social economy and civil security",
    ),
    "retail": Text(da="Detailhandel", en="Retail"),
    "textile": Text(da="Tekstil", en="Textile"),
    "tourism": Text(da="Turisme", en="Tourism"),
}


def ecosystem_label(slug: str, lang: str | None) -> str:
    """The ecosystem's name; a user's own group name is shown as given."""
    t = ECOSYSTEMS.get(slug)
    return t.get(lang) if t is not None else slug


@dataclass(frozen=True)
class Mapping_:
    """NACE code (normalised) to ecosystem, or None for codes outside every ecosystem."""

    codes: dict[str, str | None]
    source: str

    def ecosystem_of(self, code: str) -> str | None:
        """Look up the code itself, then its group and division; sections need an entry."""
        c = nace.normalise(code)
        if c in self.codes:
            return self.codes[c]
        candidates = [c[:4], nace.division_of(c)] if "." in c else []
        for k in candidates:
            if k is not None and k in self.codes:
                return self.codes[k]
        raise RegionsDataError(
            f"aktiviteten {code!r} findes ikke i økosystem-tabellen {self.source}; "
            "økosystemer kræver NACE-hovedgrupper (2 cifre) eller finere, eller en egen tabel",
            f"the activity {code!r} is not in the ecosystem mapping {self.source}; "
            "ecosystems need NACE divisions (2 digits) or finer, or a mapping of your own",
        )

    def assign(self, activities: list[str] | tuple[str, ...]) -> dict[str, str | None]:
        return {a: self.ecosystem_of(a) for a in activities}


def load_mapping(path: str | Path | None = None) -> Mapping_:
    """The bundled division mapping, or a user's CSV with a code column and an ecosystem column.

    A user file may map sections, divisions, groups or classes; an empty ecosystem means the
    code lies outside every ecosystem.
    """
    if path is None:
        res = resources.files("klynge.regions").joinpath("data", "nace_ecosystems.csv")
        text, source = res.read_text(encoding="utf-8"), "nace_ecosystems.csv"
    else:
        p = Path(path)
        if not p.is_file():
            da, en = (
                ("er en mappe, ikke en fil", "is a directory, not a file")
                if p.is_dir()
                else ("filen findes ikke", "the file does not exist")
            )
            raise data_error(str(p), None, None, da, en)
        text, source = p.read_text(encoding="utf-8-sig"), str(p)
    reader = csv.DictReader(io.StringIO(text))
    cols = {c.strip().lower(): c for c in reader.fieldnames or []}
    code_col = next((cols[c] for c in ("division", "nace", "code", "activity") if c in cols), None)
    eco_col = cols.get("ecosystem")
    if code_col is None or eco_col is None:
        raise data_error(
            source,
            1,
            "ecosystem" if eco_col is None else "nace",
            "tabellen skal have en kodekolonne (nace/division/code) og en kolonne 'ecosystem'",
            "the mapping needs a code column (nace/division/code) and an 'ecosystem' column",
        )
    codes: dict[str, str | None] = {}
    for row, rec in enumerate(reader, start=2):
        code = nace.normalise(rec[code_col] or "")
        if not code:
            raise data_error(source, row, code_col, "tom kode", "empty code")
        if code in codes:
            raise data_error(
                source, row, code_col, f"{code!r} står to gange", f"{code!r} appears twice"
            )
        eco = (rec[eco_col] or "").strip()
        codes[code] = eco or None
    return Mapping_(codes, source)


def aggregate(cube: Cube, mapping: Mapping_ | None = None) -> Cube:
    """Sum a NACE cube into ecosystems, in the fixed order of the 14."""
    m = mapping or load_mapping()
    assign = m.assign(cube.activities)
    order = [e for e in ECOSYSTEMS if e in set(assign.values())]
    return cube.aggregate(assign, order=order)


def aggregate_with_reference(
    cube: Cube, reference: Reference, mapping: Mapping_ | None = None
) -> tuple[Cube, Reference, np.ndarray]:
    """Ecosystem cube, ecosystem reference and the regions' whole-economy totals (Y, R).

    Shares and LQs stay relative to all employment, not only to the part in an ecosystem.
    """
    eco = aggregate(cube, mapping)
    assign = (mapping or load_mapping()).assign(cube.activities)
    ref = np.zeros((len(cube.years), len(eco.activities)))
    for j, a in enumerate(cube.activities):
        g = assign[a]
        if g is not None:
            ref[:, eco.activities.index(g)] += np.nan_to_num(reference.activity_totals[:, j])
    totals = cube.data.sum(axis=2)
    return eco, Reference(reference.label, ref, reference.totals.copy()), totals


@dataclass(frozen=True)
class ShareRow:
    ecosystem: str
    country: float  # share of the country's employment in all activities
    reference: float


def shares(
    cube: Cube,
    country: np.ndarray,
    reference: np.ndarray,
    mapping: Mapping_ | None = None,
) -> list[ShareRow]:
    """Each ecosystem's share of total employment, country beside reference (Graph 1).

    ``country`` and ``reference`` are employment by the cube's activities (one year). Shares are
    of employment in all activities, so they need not add up to one. Ordered by the country's
    share, largest first, as in the factsheet's graph.
    """
    m = mapping or load_mapping()
    assign = m.assign(cube.activities)
    c_total, r_total = float(np.nansum(country)), float(np.nansum(reference))
    if c_total <= 0 or r_total <= 0:
        raise RegionsDataError(
            "landets eller referencens samlede beskæftigelse er nul",
            "total employment of the country or the reference is zero",
        )
    used = {v for v in assign.values() if v is not None}
    order = [e for e in ECOSYSTEMS if e in used] + sorted(used - set(ECOSYSTEMS))
    rows: list[ShareRow] = []
    for eco in order:
        idx = [i for i, a in enumerate(cube.activities) if assign[a] == eco]
        rows.append(
            ShareRow(
                eco,
                float(np.nansum(country[idx])) / c_total,
                float(np.nansum(reference[idx])) / r_total,
            )
        )
    return sorted(rows, key=lambda r: -r.country)


def mapping_for(codes: Mapping[str, str | None], source: str = "mapping") -> Mapping_:
    """A mapping built in code, e.g. in tests or from a DataFrame."""
    return Mapping_({nace.normalise(k): v for k, v in codes.items()}, source)
