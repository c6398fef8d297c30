"""Regional specialisation and the cluster-policy maturity index, as use cases.

Every face (``klynge regions ...``, ``klynge maturity``, ``/api/v1/regions/...``,
``/api/v1/maturity/...``) calls one function here and renders the pydantic model it returns:

* :func:`lq_table`: the location quotient of every region and activity;
* :func:`nodes`: specialisation nodes per region, the factsheet's Table 1 (sectors) and Table 2
  (ecosystems);
* :func:`indices`: Hoover, Krugman and Herfindahl indices and their change;
* :func:`shares`: each ecosystem's share of employment, country beside the reference;
* :func:`organisations`: cluster organisations per NUTS 2 region on a date;
* :func:`chart` / :func:`write_chart`: Graph 1 or Graph 2 as SVG or PNG;
* :func:`fetch`: a download from Eurostat (the only use case that goes online);
* :func:`maturity`: the ECCP maturity index of a country's cluster policy.

The pipeline behind the first four is the same: read the file, drop overlapping aggregates,
split off the reference, optionally sum into ecosystems. Figures are numbers and a missing or
suppressed cell is ``None`` (``null`` in JSON, empty in CSV), never 0.

**Warnings travel with every result.** Whatever the readers and the kernel attach to the cube
(``cube.warnings``: suppressed reference cells, years where every value is suppressed, ...) and
what the pipeline itself has to say (aggregates left out, an approximate ecosystem mapping) ends
up in the result's ``warnings`` list, each with a stable ``code``, a message in the requested
language and, where known, a location. CSV output carries them in a last column, ``warnings``,
repeated on every row so that no filter or sort can lose them (see :func:`warnings_cell`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from klynge.errors import InvalidInput, KlyngeError, Location, NotFound
from klynge.i18n import Lang, Text, pick
from klynge.regions.errors import RegionsDataError
from klynge.regions.thresholds import RELEVANCE, SPEC
from klynge.services.common import Caveat

# NumPy, polars and the regions kernel load inside the functions that use them, so that a face
# importing this module (for its models) starts quickly.
if TYPE_CHECKING:
    import numpy as np

    from klynge.regions.cube import Cube
    from klynge.regions.lq import Reference
    from klynge.regions.warnings import DataWarning

SAMPLE_ENV = "KLYNGE_REGIONS_SAMPLE"
LEVELS = ("nace2", "ecosystem")
REFERENCE_WORDS = ("country", "sum", "eu27", "eu")
MAX_TOP = 100
Level = Literal["nace2", "ecosystem"]
IndexKind = Literal["hoover", "krugman", "herfindahl"]


# -- result models ----------------------------------------------------------------------------
class DataNote(Caveat):
    """A warning or caveat beside a result: damaged-but-usable input, or a limit of the method."""

    location: Location | None = Field(
        default=None, description="Where in the input the warning points, when it points."
    )

    def describe(self, lang: str | None) -> str:
        where = self.location.describe(lang) if self.location is not None else ""
        return f"{where}: {self.message}" if where else self.message


class LQRow(BaseModel):
    region: str
    region_name: str | None = Field(description="The region's name, when known.")
    activity: str = Field(description="NACE code or ecosystem slug.")
    activity_label: str
    year: int
    employment: float | None = Field(description="null when missing or suppressed, never 0.")
    share: float | None = Field(description="Share of the region's employment (0-1).")
    lq: float | None = Field(description="Location quotient; null where it cannot be computed.")
    node: bool = Field(description="LQ above spec and share at least relevance.")
    strong: bool | None = Field(
        default=None, description="US Cluster Mapping 'strong cluster'; null unless asked for."
    )
    flag: str | None = Field(default=None, description="Eurostat's flag on the cell (':', 'c').")


class LQTable(BaseModel):
    level: Level
    reference: str = Field(description="What the regions are measured against.")
    year: int | None = Field(description="The year shown; null when every year is.")
    years: list[int] = Field(description="The years in the rows.")
    spec: float
    relevance: float
    strong: bool = Field(description="Whether the rows carry strong-cluster flags.")
    mapping: str | None = Field(
        default=None, description="The NACE → ecosystem mapping used (ecosystem level)."
    )
    rows: list[LQRow]
    warnings: list[DataNote]


class RegionNodes(BaseModel):
    region: str
    region_name: str | None
    year: int
    nodes: int | None = Field(
        description="Number of nodes in the region; null when no LQ of the region could be "
        "computed (every cell suppressed), which is unknown, not 0."
    )
    top: list[str] = Field(description="The top nodes (codes), by falling LQ.")
    top_lq: list[float]
    top_labels: list[str]


class NodesTable(BaseModel):
    layout: Literal["table1", "table2"] = Field(
        description="table1: sectoral nodes (NACE); table2: ecosystem nodes."
    )
    level: Level
    reference: str
    year: int
    top: int = Field(description="Nodes named per region.")
    spec: float
    relevance: float
    total: int = Field(description="Nodes in all regions.")
    mapping: str | None = None
    regions: list[RegionNodes]
    warnings: list[DataNote]


class IndexRow(BaseModel):
    index: IndexKind
    subject: str = Field(description="The activity (hoover) or the region (krugman, herfindahl).")
    subject_label: str
    first_year: int
    first: float | None
    last_year: int
    last: float | None
    change: float | None = Field(description="last − first; null when either is.")


class IndicesTable(BaseModel):
    reference: str
    first_year: int
    last_year: int
    rows: list[IndexRow]
    warnings: list[DataNote]


class EcosystemShare(BaseModel):
    ecosystem: str
    label: str
    year: int
    country: float = Field(description="Share of the country's employment in all activities.")
    reference: float = Field(description="Share of the reference's employment.")


class SharesTable(BaseModel):
    year: int
    country: str
    reference: str
    mapping: str | None = None
    rows: list[EcosystemShare]
    warnings: list[DataNote]


class RegionOrganisations(BaseModel):
    region: str = Field(description="NUTS 2 code, or 'unknown' for unknown headquarters.")
    name: str | None
    count: int
    clusters: list[str] = Field(description="Slugs of the cluster organisations.")
    cluster_names: list[str]


class OrganisationsResult(BaseModel):
    on: date
    regions: list[RegionOrganisations]
    caveats: list[Caveat]


class MaturityDimension(BaseModel):
    key: str
    name: str
    score: float
    maximum: float
    reason: str


class MaturityResult(BaseModel):
    country: str
    on: date
    total: float
    maximum: float
    dimensions: list[MaturityDimension]
    caveats: list[Caveat]


class Chart(BaseModel):
    """A chart as bytes, for a download, a file or a web page."""

    model_config = ConfigDict(ser_json_bytes="base64")

    kind: Literal["ecosystems", "organisations"]
    format: Literal["svg", "png"]
    media_type: str
    content: bytes
    caveats: list[Caveat]


class WrittenChart(BaseModel):
    kind: Literal["ecosystems", "organisations"]
    format: Literal["svg", "png"]
    path: str
    bytes: int
    caveats: list[Caveat]


class FetchResult(BaseModel):
    dataset: str
    path: str
    format: Literal["csv", "parquet"]
    cells: int
    missing: int = Field(description="Cells missing or suppressed in the download (kept null).")
    regions: list[str]
    activities: list[str]
    years: list[int]
    warnings: list[DataNote]


# -- input: choices, filters, uploads, the sample -------------------------------------------
def _bad(code: str, da: str, en: str) -> InvalidInput:
    return InvalidInput(Text(da=da, en=en), code=code)


def check_choice(value: str, allowed: Sequence[str], what: Text) -> str:
    """``value`` folded to one of ``allowed``; anything else is a clear error."""
    v = value.strip().lower()
    if v not in allowed:
        shown = ", ".join(allowed)
        raise _bad(
            f"unknown-{what.en.replace(' ', '-')}",
            f"ukendt {what.da} {value!r}: brug {shown}",
            f"unknown {what.en} {value!r}: use {shown}",
        )
    return v


def parse_filters(values: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """``DIM=VALUE`` strings (or a mapping) into ``{dim: value}``, dimensions folded to lower."""
    if isinstance(values, Mapping):
        return {k.strip().lower(): v.strip() for k, v in values.items()}
    out: dict[str, str] = {}
    for v in values or []:
        if "=" not in v:
            raise _bad(
                "bad-filter",
                f"filter {v!r} skal være DIM=VÆRDI",
                f"filter {v!r} must be DIM=VALUE",
            )
        k, _, val = v.partition("=")
        out[k.strip().lower()] = val.strip()
    return out


def parse_day(value: str | date | None) -> date | None:
    """A day given as YYYY-MM-DD (None stays None: each use case has its own default)."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _bad(
            "bad-date",
            f"{value!r} er ikke en dato (ÅÅÅÅ-MM-DD)",
            f"{value!r} is not a date (YYYY-MM-DD)",
        ) from None


def _activities(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    return [a.strip() for a in items if a.strip()] or None


_UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f]|^\.+$|^\.")
# Binary formats told by their first bytes, for uploads whose name has no known ending.
_SNIFF = ((b"PAR1", ".parquet"), (b"PK\x03\x04", ".xlsx"), (b"\x1f\x8b", ".gz"))
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".gz", ".parquet", ".pq", ".xlsx")


def safe_upload_name(name: str | None, content: bytes = b"", default: str = "upload.csv") -> str:
    """The uploaded file's name, safe to create in a fresh folder; path tricks are refused.

    A name holding a folder separator, a control character, or starting with a dot ('..',
    '.bashrc') is refused, not cleaned: a client sending one is confused or hostile, and
    guessing what it meant would hide that. A name without a known ending gets one (Parquet and
    XLSX are recognised by their first bytes), because the readers tell formats apart by it.
    """
    sniffed = next((end for magic, end in _SNIFF if content.startswith(magic)), None)
    if name is None or not name.strip():
        name = "upload" + sniffed if sniffed else default
    name = name.strip()
    if _UNSAFE.search(name) or len(name) > 200:
        raise InvalidInput(
            Text(
                da=f"filnavnet {name!r} er ikke tilladt: et navn uden mapper og uden '.' forrest",
                en=f"the file name {name!r} is not allowed: give a name without folders "
                "that does not start with '.'",
            ),
            code="bad-file-name",
            location=Location(field="file"),
        )
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        name += sniffed or ".csv"
    return name


@dataclass(frozen=True)
class Upload:
    """An uploaded file written to a private folder, and the name it is shown by."""

    path: Path
    name: str


@contextmanager
def uploads(files: Mapping[str, tuple[str | None, bytes] | None]) -> Iterator[dict[str, Upload]]:
    """Write uploaded files to a fresh private folder for the length of the ``with`` block.

    ``files`` maps a role (``"file"``, ``"mapping"``) to ``(client's file name, content)``. Each
    lands as ``<folder>/<role>/<safe name>``, so two uploads with one name do not collide and no
    name can leave the folder. The folder is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="klynge-regions-") as folder:
        out: dict[str, Upload] = {}
        for role, given in files.items():
            if given is None:
                continue
            name, content = given
            safe = safe_upload_name(name, content)
            where = Path(folder) / role
            where.mkdir()
            path = where / safe
            path.write_bytes(content)
            out[role] = Upload(path, safe)
        yield out


def sample() -> Upload:
    """The sample dataset the operator named in ``$KLYNGE_REGIONS_SAMPLE``.

    Raw reference data stays outside the package, so there is no bundled sample: without the
    variable, or when it names no file, this says how to set it up (404, code ``no-sample``: the
    resource does not exist on this server, and no request can fix that by trying again).
    """
    raw = os.environ.get(SAMPLE_ENV, "").strip()
    path = Path(raw) if raw else None
    if path is None or not path.is_file():
        what_da = (
            f"${SAMPLE_ENV} er ikke sat" if path is None else f"${SAMPLE_ENV} peger ikke på en fil"
        )
        what_en = (
            f"${SAMPLE_ENV} is not set" if path is None else f"${SAMPLE_ENV} does not name a file"
        )
        raise NotFound(
            Text(
                da=f"intet eksempeldatasæt: {what_da}. Sæt den på serveren til en "
                "beskæftigelsesfil (Eurostat TSV, SDMX-CSV, lang CSV eller Parquet), eller send "
                "din egen fil med POST",
                en=f"no sample dataset: {what_en}. Set it on the server to an employment file "
                "(Eurostat TSV, SDMX-CSV, long CSV or Parquet), or send your own file with POST",
            ),
            code="no-sample",
        )
    return Upload(path, path.name)


# -- shown names: uploads and the sample are named as the client knows them --------------------
@dataclass(frozen=True)
class _Shown:
    """Real paths to the names to show for them (an upload's own name, not its temp path)."""

    names: Mapping[str, str]

    def text(self, s: str) -> str:
        for real, shown in self.names.items():
            s = s.replace(real, shown)
        return s

    def location(self, loc: Location | None) -> Location | None:
        if loc is None or loc.file is None or not self.names:
            return loc
        return loc.model_copy(update={"file": self.text(loc.file)})


def _shown(shown_as: Mapping[str | Path, str] | None) -> _Shown:
    return _Shown({str(k): v for k, v in (shown_as or {}).items()})


@contextmanager
def _naming(shown: _Shown) -> Iterator[None]:
    """Errors raised inside name files as ``shown`` says, never by a server's temp path."""
    try:
        yield
    except KlyngeError as exc:
        if shown.names:
            exc.message = Text(da=shown.text(exc.message.da), en=shown.text(exc.message.en))
            exc.location = shown.location(exc.location)
            exc.details = [
                (Text(da=shown.text(t.da), en=shown.text(t.en)), shown.location(loc))
                for t, loc in exc.details
            ]
            exc.args = (exc.message.en,)
        raise


# -- warnings --------------------------------------------------------------------------------
def _notes(sources: Iterable[Any], lang: Lang, shown: _Shown) -> list[DataNote]:
    """Every DataWarning on the given cubes, references and results, once each, in order."""
    seen: set[tuple[str, str, str, Location | None]] = set()
    out: list[DataNote] = []
    for src in sources:
        for w in _warnings_of(src):
            key = (w.code, w.text.da, w.text.en, w.location)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                DataNote(
                    code=w.code,
                    message=shown.text(w.text.get(lang)),
                    location=shown.location(w.location),
                )
            )
    return out


def _warnings_of(src: Any) -> list[DataWarning]:
    if src is None:
        return []
    if isinstance(src, list):
        return src
    found = getattr(src, "warnings", None)
    return list(found) if isinstance(found, list | tuple) else []


def _note(code: str, da: str, en: str) -> DataWarning:
    from klynge.regions.warnings import DataWarning

    return DataWarning(code, Text(da=da, en=en))


def _mapping_warning(mapping: Path | None) -> DataWarning | None:
    """The bundled NACE → ecosystem mapping is approximate: every ecosystem figure says so."""
    if mapping is not None:
        return None
    return _note(
        "approximate-ecosystem-mapping",
        "Økosystemtabellen er omtrentlig (hovedgruppeniveau, ikke SWD(2021) 351).",
        "The ecosystem mapping is approximate (division level, not SWD(2021) 351).",
    )


def warnings_cell(notes: Sequence[DataNote], lang: str | None) -> str:
    """All of a result's warnings in one CSV cell: ``code: message`` joined by `` | ``."""
    return " | ".join(f"{n.code}: {n.describe(lang)}" for n in notes)


# -- the shared pipeline ---------------------------------------------------------------------
@dataclass
class _Prepared:
    cube: Cube
    reference: Reference
    totals: np.ndarray | None
    level: Level
    label: Callable[[str], str]
    mapping: str | None
    notes: list[Any]  # cubes, references and lists of DataWarning to gather warnings from


def _level(level: str) -> Level:
    v = check_choice(level, LEVELS, Text(da="niveau", en="level"))
    return "ecosystem" if v == "ecosystem" else "nace2"


def _check_reference(reference: str, cube: Cube, allow_files: bool) -> None:
    s = reference.strip()
    if allow_files or s.lower() in REFERENCE_WORDS or s in cube.regions:
        return
    raise RegionsDataError(
        f"ukendt reference {reference!r}: brug country, sum, EU27 eller en regionskode i filen",
        f"unknown reference {reference!r}: use country, sum, EU27 or a region code in the file",
        code="unknown-reference",
    )


def _read(file: Path, filters: Mapping[str, str]) -> Cube:
    from klynge.regions import cube

    try:
        return cube.read(file, filters)
    except Exception as exc:
        # Damage the readers do not name themselves (bytes that are not text, a broken
        # Parquet footer) is still the file's fault, not klynge's: say which file. polars is
        # not loaded on the Parquet path; if it is not loaded, no polars error was raised.
        pl = sys.modules.get("polars")
        damaged = isinstance(exc, UnicodeDecodeError) or (
            pl is not None and isinstance(exc, pl.exceptions.PolarsError)
        )
        if not damaged:
            raise
        raise RegionsDataError(
            f"fil {file}: kan ikke læses ({type(exc).__name__}); er det en CSV-, TSV- eller "
            "Parquet-fil i UTF-8?",
            f"file {file}: cannot be read ({type(exc).__name__}); is it a CSV, TSV or Parquet "
            "file in UTF-8?",
            location=Location(file=str(file)),
            code="unreadable-file",
        ) from exc


def _prepare(
    file: Path,
    *,
    reference: str,
    level: str,
    activities: str | Sequence[str] | None,
    mapping: Path | None,
    filters: Iterable[str] | Mapping[str, str] | None,
    lang: Lang,
    reference_files: bool,
) -> _Prepared:
    from klynge.regions import ecosystems, lq, nace

    lvl = _level(level)
    source = _read(file, parse_filters(filters))
    notes: list[Any] = [source]
    chosen = _activities(activities)
    if chosen:
        cube = source.select(activities=chosen)
    else:
        kept, dropped = nace.resolve_overlaps(source.activities)
        if dropped:
            notes.append(
                [
                    _note(
                        "aggregates-left-out",
                        "Udeladt (overlappende aggregater eller totaler): " + ", ".join(dropped),
                        "Left out (overlapping aggregates or totals): " + ", ".join(dropped),
                    )
                ]
            )
        cube = source.select(activities=kept)
    _check_reference(reference, cube, reference_files)
    analysed, ref = lq.choose(cube, reference)
    notes += [cube, analysed, ref]
    if lvl == "ecosystem":
        m = ecosystems.load_mapping(mapping)
        eco, eref, totals = ecosystems.aggregate_with_reference(analysed, ref, m)
        approx = _mapping_warning(mapping)
        notes += [eco, eref, [approx] if approx else []]
        return _Prepared(
            eco,
            eref,
            totals,
            lvl,
            lambda e: ecosystems.ecosystem_label(e, lang),
            None if mapping is None else str(mapping),
            notes,
        )
    return _Prepared(analysed, ref, None, lvl, lambda a: nace.label(a, lang), None, notes)


def _year(cube: Cube, year: int | None) -> int:
    if year is None:
        return cube.years[-1]
    cube.year_index(year)
    return year


def _region_names(lang: Lang) -> dict[str, str]:
    from klynge.regions.names import region_names

    return region_names(lang)


# -- use cases -------------------------------------------------------------------------------
class DataSummary(BaseModel):
    """What a file holds, before any computation: for choosing a reference and naming the level."""

    regions: list[str]
    activities: list[str] = Field(description="After overlapping aggregates are left out.")
    years: list[int]


def inspect(
    file: str | Path,
    *,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    shown_as: Mapping[str | Path, str] | None = None,
) -> DataSummary:
    """The regions, activities (overlaps resolved, as the tables use them) and years of a file."""
    from klynge.regions import nace

    shown = _shown(shown_as)
    with _naming(shown):
        cube = _read(Path(file), parse_filters(filters))
        kept, _ = nace.resolve_overlaps(cube.activities)
    return DataSummary(regions=list(cube.regions), activities=kept, years=list(cube.years))


def lq_table(
    file: str | Path,
    *,
    reference: str = "country",
    year: int | None = None,
    all_years: bool = False,
    level: str = "nace2",
    activities: str | Sequence[str] | None = None,
    mapping: str | Path | None = None,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    spec: float = SPEC,
    relevance: float = RELEVANCE,
    strong: bool = False,
    establishments: str | Path | None = None,
    regions: Sequence[str] | None = None,
    lang: Lang = "en",
    reference_files: bool = True,
    shown_as: Mapping[str | Path, str] | None = None,
) -> LQTable:
    """The location quotient of every region and activity, in one year or in all of them.

    ``regions`` only narrows the rows: the LQs are those of the whole table. ``strong`` adds the
    US Cluster Mapping flag, with the establishments criterion when a file of establishments is
    given. ``reference_files=False`` refuses a reference that is a file path (the API's rule).
    """
    from klynge.regions import ecosystems, lq, nace
    from klynge.regions.cube import align

    shown = _shown(shown_as)
    with _naming(shown):
        p = _prepare(
            Path(file),
            reference=reference,
            level=level,
            activities=activities,
            mapping=None if mapping is None else Path(mapping),
            filters=filters,
            lang=lang,
            reference_files=reference_files,
        )
        res = lq.compute(p.cube, p.reference, spec=spec, rel=relevance, totals=p.totals)
        y = None if all_years else _year(p.cube, year)
        est = None
        notes = list(p.notes)
        if strong and establishments is not None:
            other = _read(Path(establishments), parse_filters(filters))
            notes.append(other)
            if p.level == "ecosystem":
                kept = [a for a in other.activities if nace.division_of(a) is not None]
                other = ecosystems.aggregate(
                    other.select(activities=kept), ecosystems.load_mapping(p.mapping)
                )
            est = align(other, p.cube)
        for code in regions or []:
            p.cube.region_index(code)
        frame = res.frame(None if y is None else [y], strong=strong, establishments=est)
        notes.append(res)
    names = _region_names(lang)
    wanted = set(regions or [])
    labels = {a: p.label(a) for a in p.cube.activities}
    cols = frame.to_dict(as_series=False)
    rows = [
        LQRow(
            region=region,
            region_name=names.get(region),
            activity=act,
            activity_label=labels[act],
            year=yr,
            employment=emp,
            share=share,
            lq=q,
            node=node,
            strong=cols["strong"][i] if strong else None,
            flag=cols["flag"][i],
        )
        for i, (region, act, yr, emp, share, q, node) in enumerate(
            zip(
                cols["region"],
                cols["activity"],
                cols["year"],
                cols["employment"],
                cols["share"],
                cols["lq"],
                cols["node"],
                strict=True,
            )
        )
        if not wanted or region in wanted
    ]
    return LQTable(
        level=p.level,
        reference=shown.text(p.reference.label),
        year=y,
        years=list(p.cube.years) if y is None else [y],
        spec=spec,
        relevance=relevance,
        strong=strong,
        mapping=None if p.mapping is None else shown.text(p.mapping),
        rows=rows,
        warnings=_notes(notes, lang, shown),
    )


def nodes(
    file: str | Path,
    *,
    reference: str = "country",
    year: int | None = None,
    level: str = "nace2",
    top: int | None = None,
    activities: str | Sequence[str] | None = None,
    mapping: str | Path | None = None,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    spec: float = SPEC,
    relevance: float = RELEVANCE,
    lang: Lang = "en",
    reference_files: bool = True,
    shown_as: Mapping[str | Path, str] | None = None,
) -> NodesTable:
    """Specialisation nodes per region: the factsheet's Table 1 (NACE) or Table 2 (ecosystems).

    ``top`` nodes are named per region, by falling LQ: by default five for sectors and three
    for ecosystems, as in the factsheet.
    """
    from klynge.regions import lq

    lvl = _level(level)
    if top is not None and not 1 <= top <= MAX_TOP:
        raise _bad(
            "bad-top",
            f"top skal være mindst 1 og højst {MAX_TOP}",
            f"top must be at least 1 and at most {MAX_TOP}",
        )
    n = top if top is not None else (3 if lvl == "ecosystem" else 5)
    shown = _shown(shown_as)
    with _naming(shown):
        p = _prepare(
            Path(file),
            reference=reference,
            level=lvl,
            activities=activities,
            mapping=None if mapping is None else Path(mapping),
            filters=filters,
            lang=lang,
            reference_files=reference_files,
        )
        res = lq.compute(p.cube, p.reference, spec=spec, rel=relevance, top_n=n, totals=p.totals)
        y = _year(p.cube, year)
    names = _region_names(lang)
    counts = res.node_counts(y)  # None where no LQ is known: unknown, not 0
    # The kernel of the year shown only (not of every year in the file).
    top_nodes = res.top_nodes(y)
    labels: dict[str, str] = {}
    out: list[RegionNodes] = []
    for r, region in enumerate(p.cube.regions):
        top_r = top_nodes[r]
        for a, _ in top_r:
            if a not in labels:
                labels[a] = p.label(a)
        out.append(
            RegionNodes(
                region=region,
                region_name=names.get(region),
                year=y,
                nodes=counts[r],
                top=[a for a, _ in top_r],
                top_lq=[q for _, q in top_r],
                top_labels=[labels[a] for a, _ in top_r],
            )
        )
    return NodesTable(
        layout="table2" if p.level == "ecosystem" else "table1",
        level=p.level,
        reference=shown.text(p.reference.label),
        year=y,
        top=n,
        spec=spec,
        relevance=relevance,
        total=sum(c for c in counts if c is not None),
        mapping=None if p.mapping is None else shown.text(p.mapping),
        regions=out,
        warnings=_notes([*p.notes, res, _layout_notes(p.level, p.cube.activities)], lang, shown),
    )


LAYOUT_ONLY = "table1-layout-only"


def _layout_notes(level: str, activities: Sequence[str]) -> list[DataWarning]:
    """Sectoral nodes of A10 sections have Table 1's layout, not the published Table 1 (which is
    built on NACE divisions): said beside the table in every format, never left to the reader."""
    from klynge.factsheet import data_level

    if level == "ecosystem" or data_level(activities) != "sections":
        return []
    return [
        _note(
            LAYOUT_ONLY,
            "Dataene er NACE-hovedafsnit (A10), ikke hovedgrupper: tabellen har Tabel 1's "
            "opstilling, men kan ikke genskabe det offentliggjorte faktaarks Tabel 1, som bygger "
            "på NACE-hovedgrupper.",
            "The data are NACE sections (A10), not divisions: the table has Table 1's layout but "
            "cannot reproduce the published factsheet's Table 1, which is built on NACE "
            "divisions.",
        )
    ]


def indices(
    file: str | Path,
    *,
    reference: str = "country",
    first: int | None = None,
    last: int | None = None,
    activities: str | Sequence[str] | None = None,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    lang: Lang = "en",
    reference_files: bool = True,
    shown_as: Mapping[str | Path, str] | None = None,
) -> IndicesTable:
    """Hoover (per activity), Krugman and Herfindahl (per region) at two years, and the change."""
    from klynge.regions import indices as ind
    from klynge.regions import lq

    shown = _shown(shown_as)
    with _naming(shown):
        p = _prepare(
            Path(file),
            reference=reference,
            level="nace2",
            activities=activities,
            mapping=None,
            filters=filters,
            lang=lang,
            reference_files=reference_files,
        )
        result = ind.compute(p.cube, p.reference)
        change = result.change(first, last)
    region_label = lq.region_labeller(_region_names(lang))
    rows = [
        IndexRow(
            index=r["index"],
            subject=r["subject"],
            subject_label=p.label(r["subject"])
            if r["index"] == "hoover"
            else region_label(r["subject"]),
            first_year=r["first_year"],
            first=r["first"],
            last_year=r["last_year"],
            last=r["last"],
            change=r["change"],
        )
        for r in change.iter_rows(named=True)
    ]
    return IndicesTable(
        reference=shown.text(p.reference.label),
        first_year=int(change["first_year"][0]),
        last_year=int(change["last_year"][0]),
        rows=rows,
        warnings=_notes([*p.notes, result], lang, shown),
    )


def shares(
    file: str | Path,
    *,
    reference: str | None = None,
    country: str | None = None,
    year: int | None = None,
    mapping: str | Path | None = None,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    lang: Lang = "en",
    reference_files: bool = True,
    shown_as: Mapping[str | Path, str] | None = None,
) -> SharesTable:
    """Each ecosystem's share of all employment: the country (or one region) beside the reference.

    Without ``country`` the regions' own country is used, which must then be only one. Without
    ``reference`` the EU27 row is used when the file has one, as the factsheet's Graph 1 does;
    otherwise the country itself, and a ``reference-fallback`` warning says so (the Danish A10
    file, for one, has no EU row). An explicit ``EU27`` on a file without it stays an error.
    """
    from klynge.regions import ecosystems, lq, nace

    shown = _shown(shown_as)
    mpath = None if mapping is None else Path(mapping)
    with _naming(shown):
        cube = _read(Path(file), parse_filters(filters))
        notes: list[Any] = [cube]
        kept, _ = nace.resolve_overlaps(cube.activities)
        cube = cube.select(activities=kept)
        if reference is None:
            if any(r.upper().startswith("EU27") for r in cube.regions):
                reference = "EU27"
            else:
                reference = "country"
                notes.append(
                    [
                        _note(
                            "reference-fallback",
                            "Filen har ingen EU27-række: økosystemandelene sammenlignes med "
                            "landet selv, ikke med EU-gennemsnittet som i faktaarkets Graf 1. "
                            "Angiv --reference for et andet valg.",
                            "The file has no EU27 row: the ecosystem shares are compared with "
                            "the country itself, not with the EU average as in the factsheet's "
                            "Graph 1. Give --reference for another choice.",
                        )
                    ]
                )
        _check_reference(reference, cube, reference_files)
        analysed, ref = lq.choose(cube, reference)
        notes += [cube, analysed, ref]
        y = _year(cube, year)
        i = cube.year_index(y)
        if country is not None:
            crow = cube.data[i, cube.region_index(country)]
            clabel = country
        else:
            countries = sorted({r[:2] for r in analysed.regions})
            if len(countries) > 1:
                raise RegionsDataError(
                    f"filen har flere lande ({', '.join(countries)}); vælg ét med --country",
                    f"the file holds several countries ({', '.join(countries)}); pick one with "
                    "--country",
                    code="several-countries",
                )
            crow = analysed.data[i].sum(axis=0)
            clabel = countries[0]
        found = ecosystems.shares(
            cube, crow, ref.activity_totals[i], ecosystems.load_mapping(mpath)
        )
    approx = _mapping_warning(mpath)
    return SharesTable(
        year=y,
        country=clabel,
        reference=shown.text(ref.label),
        mapping=None if mpath is None else shown.text(str(mpath)),
        rows=[
            EcosystemShare(
                ecosystem=r.ecosystem,
                label=ecosystems.ecosystem_label(r.ecosystem, lang),
                year=y,
                country=r.country,
                reference=r.reference,
            )
            for r in found
        ],
        warnings=_notes([*notes, [approx] if approx else []], lang, shown),
    )


def organisations(on: date | None = None, *, lang: Lang = "en") -> OrganisationsResult:
    """Cluster organisations per NUTS 2 region on a day (Graph 2), unknown headquarters apart."""
    from klynge.landscape import get_landscape
    from klynge.regions import organisations as orgs
    from klynge.services.landscape import default_day

    day = on or default_day()
    ls = get_landscape()
    names = _region_names(lang)
    rows = [
        RegionOrganisations(
            region=c.region,
            name=None if c.region == orgs.UNKNOWN else names.get(c.region),
            count=c.count,
            clusters=list(c.clusters),
            cluster_names=[ls.clusters[k].name if k in ls.clusters else k for k in c.clusters],
        )
        for c in orgs.per_region(day, ls)
    ]
    caveats = _organisation_caveats(rows, on, lang)
    return OrganisationsResult(on=day, regions=rows, caveats=caveats)


def _organisation_caveats(
    rows: Sequence[RegionOrganisations], on: date | None, lang: Lang
) -> list[Caveat]:
    """The landscape's own caveats for the day (the same as every landscape answer's), then
    the headquarters the sources leave unknown, counted apart."""
    from klynge.regions import organisations as orgs
    from klynge.services.landscape import caveats_on

    out = [
        Caveat(code=c.code, message=c.message)
        for c in caveats_on(on, lang)
        if c.code != "headquarters-unknown"
    ]
    unknown = next((r for r in rows if r.region == orgs.UNKNOWN), None)
    if unknown is not None:
        out.append(
            Caveat(
                code="unknown-headquarters",
                message=pick(
                    lang,
                    f"Kilderne giver ikke hovedsædet for {unknown.count} organisation(er) "
                    f"({', '.join(unknown.cluster_names)}); de tælles som ukendte, ikke gættet.",
                    f"The sources do not give the headquarters of {unknown.count} "
                    f"organisation(s) ({', '.join(unknown.cluster_names)}); they count as "
                    "unknown, not guessed.",
                ),
            )
        )
    return out


def chart(
    kind: str,
    fmt: str = "svg",
    *,
    file: str | Path | None = None,
    reference: str | None = None,
    year: int | None = None,
    mapping: str | Path | None = None,
    on: date | None = None,
    lang: Lang = "en",
    reference_files: bool = True,
    shown_as: Mapping[str | Path, str] | None = None,
) -> Chart:
    """Graph 1 (``ecosystems``, needs ``file``) or Graph 2 (``organisations``) as bytes."""
    from klynge.regions import charts
    from klynge.regions import organisations as orgs

    k = check_choice(kind, ("ecosystems", "organisations"), Text(da="diagram", en="chart"))
    f = check_choice(fmt, ("svg", "png"), Text(da="diagramformat", en="chart format"))
    caveats: list[Caveat]
    if k == "organisations":
        result = organisations(on, lang=lang)
        caveats = list(result.caveats)
        fig = charts.organisations_figure(
            [orgs.RegionCount(r.region, r.count, r.clusters) for r in result.regions],
            lang,
            _region_names(lang),
            on=result.on,
            note=" ".join(c.message for c in caveats if c.code == "unknown-organisations") or None,
        )
    else:
        if file is None:
            raise _bad(
                "missing-file",
                "økosystemdiagrammet kræver en beskæftigelsesfil (--file)",
                "the ecosystems chart needs an employment file (--file)",
            )
        table = shares(
            file,
            reference=reference,
            year=year,
            mapping=mapping,
            lang=lang,
            reference_files=reference_files,
            shown_as=shown_as,
        )
        caveats = [Caveat(code=n.code, message=n.describe(lang)) for n in table.warnings]
        from klynge.regions.ecosystems import ShareRow

        note = (
            pick(lang, f"Økosystemtabel: {table.mapping}.", f"Ecosystem mapping: {table.mapping}.")
            if table.mapping is not None
            else " ".join(c.message for c in caveats if c.code == "approximate-ecosystem-mapping")
        )
        # The chart itself says when it compares with the country instead of the EU.
        fallback = " ".join(c.message for c in caveats if c.code == "reference-fallback")
        note = f"{fallback} {note}".strip() if fallback else note
        fig = charts.ecosystem_figure(
            [ShareRow(r.ecosystem, r.country, r.reference) for r in table.rows],
            lang,
            table.country,
            table.reference,
            note=note or None,
        )
    media = "image/svg+xml" if f == "svg" else "image/png"
    return Chart(
        kind="ecosystems" if k == "ecosystems" else "organisations",
        format="svg" if f == "svg" else "png",
        media_type=media,
        content=charts.render(fig, f),
        caveats=caveats,
    )


def write_chart(
    kind: str,
    output: str | Path,
    *,
    file: str | Path | None = None,
    reference: str | None = None,
    year: int | None = None,
    mapping: str | Path | None = None,
    on: date | None = None,
    lang: Lang = "en",
) -> WrittenChart:
    """Draw a chart into ``output``, whose ending (.svg or .png) gives the format."""
    from klynge.regions import charts

    path = Path(output)
    fmt = charts.chart_format(path)
    drawn = chart(
        kind, fmt, file=file, reference=reference, year=year, mapping=mapping, on=on, lang=lang
    )
    _write(path, drawn.content)
    return WrittenChart(
        kind=drawn.kind,
        format=drawn.format,
        path=str(path),
        bytes=len(drawn.content),
        caveats=drawn.caveats,
    )


def _write(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc


def _cannot_write(path: str | Path, exc: OSError) -> InvalidInput:
    return InvalidInput(
        Text(
            da=f"kan ikke skrive {path}: {exc.strerror or exc}",
            en=f"cannot write {path}: {exc.strerror or exc}",
        ),
        code="cannot-write",
        location=Location(file=str(path)),
    )


def fetch(
    dataset: str,
    output: str | Path,
    *,
    geo: Sequence[str] | None = None,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    start: int | None = None,
    end: int | None = None,
    establishments: bool = False,
    lang: Lang = "en",
) -> FetchResult:
    """Download employment (or local units) from Eurostat into a CSV or Parquet file.

    The only use case that goes online, and only when asked. Suppressed cells stay missing.
    """
    from klynge.regions import connector
    from klynge.regions.readers import reader_warnings

    df = connector.fetch(
        dataset,
        geo=geo,
        filters=parse_filters(filters),
        start=start,
        end=end,
        establishments=establishments,
    )
    try:
        path = connector.save(df, output)
    except OSError as exc:
        raise _cannot_write(output, exc) from exc
    missing = int(df["value"].null_count())
    notes: list[Any] = [reader_warnings(df)]
    if missing:
        notes.append(
            [
                _note(
                    "suppressed-cells",
                    f"{missing} af {df.height} celler mangler eller er fortrolige (':'); de "
                    "står tomme i filen, aldrig som 0",
                    f"{missing} of {df.height} cells are missing or suppressed (':'); they stay "
                    "empty in the file, never 0",
                )
            ]
        )
    return FetchResult(
        dataset=dataset.strip().lower(),
        path=str(path),
        format="parquet" if path.suffix.lower() in (".parquet", ".pq") else "csv",
        cells=df.height,
        missing=missing,
        regions=sorted(df["region"].unique().to_list()),
        activities=sorted(df["activity"].unique().to_list()),
        years=sorted(int(y) for y in df["year"].unique().to_list()),
        warnings=_notes(notes, lang, _shown(None)),
    )


def maturity(country: str = "DK", on: date | None = None, *, lang: Lang = "en") -> MaturityResult:
    """The ECCP maturity index of a country's cluster policy, scored from its programme records
    (Denmark's landscape; Norway's entered file). ``on`` defaults to the factsheet's day of
    reference (2021-06-30).
    """
    from klynge.landscape import get_landscape
    from klynge.regions import maturity as mat

    if country.strip().upper() not in mat.COUNTRIES:
        # No record of the country's policy: a resource that does not exist, not a bad request.
        raise NotFound(
            Text(
                da=f"ingen politikdata for {country!r}: klynge har Danmarks (DK) og Norges (NO)",
                en=f"no policy data for {country!r}: klynge holds Denmark's (DK) and Norway's (NO)",
            ),
            code="no-policy-data",
        )
    m = mat.score(country, on or mat.FACTSHEET_DAY)
    caveats: list[Caveat] = []
    coverage = get_landscape().coverage_note(m.on) if m.country == "DK" else None
    if coverage is not None:
        caveats.append(Caveat(code="unknown-organisations", message=coverage.get(lang)))
    return MaturityResult(
        country=m.country,
        on=m.on,
        total=m.total,
        maximum=m.maximum,
        dimensions=[
            MaturityDimension(
                key=d.key,
                name=d.name.get(lang),
                score=d.score,
                maximum=d.maximum,
                reason=d.reason.get(lang),
            )
            for d in m.dimensions
        ],
        caveats=caveats,
    )


# -- CSV: one writer for the CLI and the API -------------------------------------------------
def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else _cell(v) for v in row])
    return buf.getvalue()


def _cell(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def lq_csv(t: LQTable, lang: Lang) -> str:
    """One row per region, activity and year; the last column holds every warning."""
    notes = warnings_cell(t.warnings, lang)
    header = ["region", "activity", "year", "employment", "share", "lq", "node"]
    header += ["strong"] if t.strong else []
    header += ["flag", "warnings"]
    return _csv(
        header,
        (
            [
                r.region,
                r.activity,
                r.year,
                r.employment,
                r.share,
                r.lq,
                r.node,
                *([r.strong] if t.strong else []),
                r.flag,
                notes,
            ]
            for r in t.rows
        ),
    )


def region_label(code: str, name: str | None) -> str:
    return f"{code}: {name}" if name else code


def nodes_csv(t: NodesTable, lang: Lang) -> str:
    """The factsheet's layout with full labels ('-' where a region has fewer nodes), then the
    warnings column."""
    from klynge.regions.lq import node_headers

    notes = warnings_cell(t.warnings, lang)
    return _csv(
        [*node_headers(lang, t.top), pick(lang, "Advarsler", "Warnings")],
        (
            [
                region_label(r.region, r.region_name),
                r.nodes,
                *r.top_labels,
                *["-"] * (t.top - len(r.top_labels)),
                notes,
            ]
            for r in t.regions
        ),
    )


def indices_csv(t: IndicesTable, lang: Lang) -> str:
    notes = warnings_cell(t.warnings, lang)
    return _csv(
        ["index", "subject", "first_year", "first", "last_year", "last", "change", "warnings"],
        (
            [r.index, r.subject, r.first_year, r.first, r.last_year, r.last, r.change, notes]
            for r in t.rows
        ),
    )


def shares_csv(t: SharesTable, lang: Lang) -> str:
    notes = warnings_cell(t.warnings, lang)
    return _csv(
        ["ecosystem", "year", "country", "reference", "warnings"],
        ([r.ecosystem, r.year, r.country, r.reference, notes] for r in t.rows),
    )


def organisations_csv(t: OrganisationsResult, lang: Lang) -> str:
    notes = " | ".join(f"{c.code}: {c.message}" for c in t.caveats)
    return _csv(
        ["region", "name", "count", "clusters", "warnings"],
        ([r.region, r.name, r.count, ";".join(r.clusters), notes] for r in t.regions),
    )
