"""Read and validate the landscape's TOML files.

Every problem is collected before anything is raised, so that a person editing the data sees all
that is wrong at once, each with the file, the record, the field and the reason.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from klynge.errors import Location, Unavailable
from klynge.i18n import Text
from klynge.landscape.model import (
    Area,
    Cluster,
    FocalPoint,
    GeographyClaim,
    Municipality,
    PolicyPeriod,
    Programme,
    Region,
    Source,
)

DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix it."""

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.record:
            where += f", record {self.record}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.reason}"


class LandscapeDataError(Unavailable):
    """The bundled (or a user-supplied) landscape data is invalid.

    Nothing that needs the landscape can answer until the data is fixed, so it is
    :class:`~klynge.errors.Unavailable` (HTTP 503). Each problem travels as a detail located by
    file and field; the record is named in the detail's message.
    """

    code = "landscape-data"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        super().__init__(
            Text(
                da=f"landskabets data har {n} problem(er)",
                en=f"the landscape data has {n} problem(s)",
            ),
            details=[
                (
                    Text(
                        da=f"post {p.record}: {p.reason}" if p.record else p.reason,
                        en=f"record {p.record}: {p.reason}" if p.record else p.reason,
                    ),
                    Location(file=p.file, field=p.field or None),
                )
                for p in problems
            ],
        )

    def __str__(self) -> str:
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return f"the landscape data has {len(self.problems)} problem(s):\n{lines}"


@dataclass(frozen=True)
class RawLandscape:
    regions: list[Region]
    municipalities: list[Municipality]
    areas: list[Area]
    clusters: list[Cluster]
    programmes: list[Programme]
    policy_history: list[PolicyPeriod]
    focal_points: list[FocalPoint]
    geography_claims: list[GeographyClaim]
    sources: list[Source] = dc_field(default_factory=list)


M = TypeVar("M", bound=BaseModel)


def _loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _read_toml(path: Path, root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    rel = _rel(path, root)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(rel, "", "", f"not valid TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(rel, "", "", f"cannot be read: {exc.strerror or exc}"))
    return None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _validate(
    model: type[M], raw: Any, file: str, record: str, problems: list[Problem]
) -> M | None:
    if not isinstance(raw, dict):
        problems.append(Problem(file, record, "", "expected a table of fields"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            reason = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                reason = "required field is missing"
            elif err["type"] == "extra_forbidden":
                reason = "unknown field (check the spelling)"
            problems.append(Problem(file, record, _loc(err["loc"]), reason))
        return None


def _record_name(raw: Any, index: int, key: str) -> str:
    if isinstance(raw, dict) and isinstance(raw.get(key), str):
        return str(raw[key])
    return f"#{index + 1}"


def _load_list(
    path: Path, root: Path, table: str, model: type[M], key: str, problems: list[Problem]
) -> list[M]:
    data = _read_toml(path, root, problems)
    if data is None:
        return []
    rel = _rel(path, root)
    items = data.get(table)
    if not isinstance(items, list):
        problems.append(Problem(rel, "", table, f"expected one or more [[{table}]] tables"))
        return []
    out: list[M] = []
    for i, raw in enumerate(items):
        rec = _validate(model, raw, rel, _record_name(raw, i, key), problems)
        if rec is not None:
            out.append(rec)
    return out


def _load_dir(directory: Path, root: Path, model: type[M], problems: list[Problem]) -> list[M]:
    if not directory.is_dir():
        problems.append(Problem(_rel(directory, root), "", "", "folder is missing"))
        return []
    out: list[M] = []
    for path in sorted(directory.glob("*.toml")):
        data = _read_toml(path, root, problems)
        if data is None:
            continue
        rel = _rel(path, root)
        name = data["slug"] if isinstance(data.get("slug"), str) else path.stem
        rec = _validate(model, data, rel, name, problems)
        if rec is None:
            continue
        slug = getattr(rec, "slug", None)
        if slug is not None and slug != path.stem:
            problems.append(Problem(rel, slug, "slug", f"must match the file name {path.stem!r}"))
        out.append(rec)
    return out


def read_raw(root: Path = DATA_DIR) -> RawLandscape:
    """Read every file under ``root`` and validate each record on its own."""
    problems: list[Problem] = []
    raw = RawLandscape(
        regions=_load_list(root / "regions.toml", root, "region", Region, "code", problems),
        municipalities=_load_list(
            root / "municipalities.toml", root, "municipality", Municipality, "name", problems
        ),
        areas=_load_dir(root / "areas", root, Area, problems),
        clusters=_load_dir(root / "clusters", root, Cluster, problems),
        programmes=_load_dir(root / "programmes", root, Programme, problems),
        policy_history=_load_list(
            root / "policy_history.toml", root, "period", PolicyPeriod, "start_year", problems
        ),
        focal_points=_load_list(
            root / "focal_points.toml", root, "focal_point", FocalPoint, "slug", problems
        ),
        geography_claims=_load_list(
            root / "geography.toml", root, "claim", GeographyClaim, "on", problems
        ),
        sources=_load_list(root / "sources.toml", root, "source", Source, "ref", problems),
    )
    # References are checked only between valid records: a broken record would otherwise show up
    # again as a dangling reference everywhere it is named.
    if not problems:
        problems += list(check_references(raw))
    if problems:
        raise LandscapeDataError(problems)
    return raw


def _duplicates(keys: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    dup: set[str] = set()
    for k in keys:
        (dup if k in seen else seen).add(k)
    return dup


def cited(raw: RawLandscape) -> Iterator[tuple[str, str, str, str]]:
    """Every source reference in the records, as (file, record, field, ref)."""
    for r in raw.regions:
        yield from (("regions.toml", r.code, "sources", s) for s in r.sources)
    for m in raw.municipalities:
        yield from (("municipalities.toml", m.name, "sources", s) for s in m.sources)
    for a in raw.areas:
        yield from ((f"areas/{a.slug}.toml", a.slug, "sources", s) for s in a.sources)
    for c in raw.clusters:
        f = f"clusters/{c.slug}.toml"
        yield from ((f, c.slug, "sources", s) for s in c.sources)
        for i, e in enumerate(c.events):
            yield from ((f, c.slug, f"events[{i}].sources", s) for s in e.sources)
    for p in raw.programmes:
        f = f"programmes/{p.slug}.toml"
        yield from ((f, p.slug, "sources", s) for s in p.sources)
        for i, fu in enumerate(p.funders):
            yield from ((f, p.slug, f"funders[{i}].sources", s) for s in fu.sources)
        for i, ev in enumerate(p.evaluations):
            yield from ((f, p.slug, f"evaluations[{i}].sources", s) for s in ev.sources)
    for pp in raw.policy_history:
        rec = str(pp.start_year)
        yield from (("policy_history.toml", rec, "sources", s) for s in pp.sources)
    for fp in raw.focal_points:
        yield from (("focal_points.toml", fp.slug, "sources", s) for s in fp.sources)
    for g in raw.geography_claims:
        yield from (("geography.toml", str(g.on), "sources", s) for s in g.sources)


def check_references(raw: RawLandscape) -> Iterator[Problem]:
    """Check what no single record can: names that point elsewhere, and one cluster per area."""
    for ref in _duplicates(s.ref for s in raw.sources):
        yield Problem("sources.toml", ref, "ref", "appears more than once")
    registered = {s.ref for s in raw.sources}
    for file, record, fld, ref in cited(raw):
        if ref not in registered:
            yield Problem(
                file,
                record,
                fld,
                f"source {ref!r} is not in sources.toml (add its title, "
                "publisher, date and address there)",
            )
    for code in _duplicates(r.code for r in raw.regions):
        yield Problem("regions.toml", code, "code", "appears more than once")
    for name in _duplicates(m.name for m in raw.municipalities):
        yield Problem("municipalities.toml", name, "name", "appears more than once")
    region_codes = {r.code for r in raw.regions}
    for m in raw.municipalities:
        if m.nuts2 not in region_codes:
            yield Problem(
                "municipalities.toml", m.name, "nuts3", f"region {m.nuts2} is not defined"
            )

    area_slugs = {a.slug for a in raw.areas}
    cluster_slugs = {c.slug for c in raw.clusters}
    programme_slugs = {p.slug for p in raw.programmes}
    municipalities = {m.name for m in raw.municipalities}
    areas = {a.slug: a for a in raw.areas}

    for c in raw.clusters:
        f = f"clusters/{c.slug}.toml"
        if c.area not in area_slugs:
            yield Problem(f, c.slug, "area", f"unknown area {c.area!r}")
        elif not areas[c.area].cluster_effort:
            yield Problem(f, c.slug, "area", f"area {c.area!r} has no cluster effort")
        offices = ([("headquarters", c.headquarters)] if c.headquarters else []) + [
            (f"offices[{i}]", o) for i, o in enumerate(c.offices)
        ]
        for field, office in offices:
            if (
                office is not None
                and office.municipality
                and office.municipality not in municipalities
            ):
                yield Problem(
                    f,
                    c.slug,
                    f"{field}.municipality",
                    f"unknown municipality {office.municipality!r} (add it to municipalities.toml)",
                )
        for i, t in enumerate(c.terms):
            if t.programme is not None and t.programme not in programme_slugs:
                yield Problem(
                    f, c.slug, f"terms[{i}].programme", f"unknown programme {t.programme!r}"
                )

    for p in raw.programmes:
        f = f"programmes/{p.slug}.toml"
        for i, s in enumerate(p.clusters or []):
            if s not in cluster_slugs:
                yield Problem(f, p.slug, f"clusters[{i}]", f"unknown cluster {s!r}")
        for i, s in enumerate(p.areas or []):
            if s not in area_slugs:
                yield Problem(f, p.slug, f"areas[{i}]", f"unknown area {s!r}")
        if p.end is not None and p.end < p.start:
            yield Problem(f, p.slug, "end", f"{p.end} is before start {p.start}")

    yield from _one_cluster_per_area(raw.clusters)


def _one_cluster_per_area(clusters: list[Cluster]) -> Iterator[Problem]:
    """At most one organisation may hold an area on any day: check every pair of terms."""
    far = date.max - timedelta(days=1)
    by_area: dict[str, list[tuple[date, date, str]]] = {}
    for c in clusters:
        for t in c.terms:
            by_area.setdefault(c.area, []).append((t.start, t.end or far, c.slug))
    for area, spans in by_area.items():
        spans.sort()
        reach, holder = spans[0][1], spans[0][2]
        for start, end, slug in spans[1:]:
            if slug != holder and start <= reach:
                yield Problem(
                    f"clusters/{slug}.toml",
                    slug,
                    "terms",
                    f"area {area!r} would have two active clusters ({holder} and {slug}) "
                    f"from {start}",
                )
            if end > reach:
                reach, holder = end, slug
