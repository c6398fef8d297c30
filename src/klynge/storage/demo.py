"""A synthetic registry for trying the platform and for benchmarks.

Every row it writes is flagged ``synthetic`` and named so ("Syntetisk virksomhed 00042
(synthetic)"); activity and organisation keys start with ``SYN-``. It refuses to write into a
database that holds real rows unless forced, and it replaces earlier demo rows rather than
adding to them, so real and invented figures never mix silently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, or_, select

from klynge.errors import Conflict
from klynge.i18n import Text
from klynge.landscape import Landscape, get_landscape
from klynge.registry.model import ACTIVITY_TYPES, ROLES, cvr_check_digit
from klynge.registry.tables import TABLES
from klynge.storage.account_summary import rebuild_account_summary
from klynge.storage.bulk import bulk_insert, refresh_statistics
from klynge.storage.models import (
    Activity,
    Headcount,
    Membership,
    Organisation,
    Outcome,
    Participation,
)

DEMO_DAY = date(2023, 6, 30)
"""The demo uses the clusters active on this day: the 13 after MARLOG's bankruptcy."""
PERIOD_END = date(2024, 12, 31)

_KINDS = (
    ("company", 88),
    ("university", 1),
    ("gts", 1),
    ("education", 2),
    ("public", 3),
    ("investor", 2),
    ("other", 3),
)
_FOREIGN = ("SE", "DE", "NO", "NL", "FI", "FR", "GB", "US", "PL", "ES")
_SIZE_BANDS = ((1, 9, 45), (10, 49, 30), (50, 249, 15), (250, 5000, 5))
_NACE = ("10.11", "20.14", "25.62", "26.51", "28.11", "28.29", "41.20", "62.01", "71.12", "72.19")
_TYPE_WEIGHTS = {
    "matchmaking": 12,
    "networking": 25,
    "conference": 8,
    "workshop": 20,
    "innovation-project": 10,
    "feasibility-study": 6,
    "rd-project": 5,
    "internationalisation": 6,
    "skills-programme": 8,
}
_PROJECT_TYPES = frozenset({"innovation-project", "feasibility-study", "rd-project"})
_OUTCOME_WEIGHTS = {"competences": 45, "ideas": 30, "products": 15, "partner": 10}


class DemoRefused(Conflict):
    """The database holds real rows and the caller did not force mixing; ``text`` says so."""

    code = "demo-refused"

    def __init__(self, text: Text) -> None:
        super().__init__(
            Text(
                da=f"demodata ikke skrevet: {text.da}",
                en=f"demo data not written: {text.en}",
            )
        )
        self.reason = text


@dataclass
class DemoReport:
    organisations: int
    memberships: int
    activities: int
    participations: int
    outcomes: int
    replaced_synthetic: bool
    mixed_with_real: bool


def _real_rows(conn: Connection) -> int:
    n = 0
    for model in (Organisation, Activity):
        n += conn.execute(
            select(func.count()).select_from(model).where(model.synthetic.is_(False))
        ).scalar_one()
    return int(n)


def _delete_synthetic(conn: Connection) -> bool:
    syn_orgs = select(Organisation.id).where(Organisation.synthetic.is_(True))
    syn_acts = select(Activity.id).where(Activity.synthetic.is_(True))
    found = conn.execute(select(func.count()).select_from(syn_orgs.subquery())).scalar_one()
    found += conn.execute(select(func.count()).select_from(syn_acts.subquery())).scalar_one()
    if not found:
        return False
    for model in (Outcome, Participation):
        conn.execute(
            delete(model).where(
                or_(model.organisation_id.in_(syn_orgs), model.activity_id.in_(syn_acts))
            )
        )
    conn.execute(delete(Membership).where(Membership.organisation_id.in_(syn_orgs)))
    conn.execute(delete(Headcount).where(Headcount.organisation_id.in_(syn_orgs)))
    conn.execute(delete(Activity).where(Activity.synthetic.is_(True)))
    conn.execute(delete(Organisation).where(Organisation.synthetic.is_(True)))
    return True


def _next_id(conn: Connection, model: Any) -> int:
    return int(conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()) + 1


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(
    engine: Engine,
    *,
    organisations: int = 20_000,
    activities: int = 2_000,
    participations: int = 200_000,
    outcome_rate: float = 0.25,
    seed: int = 1,
    force: bool = False,
    landscape: Landscape | None = None,
) -> DemoReport:
    """Write a synthetic registry in one transaction; see the module docstring for the rules."""
    if organisations < 1 or activities < 1 or participations < 0:
        raise ValueError("need at least one organisation and one activity")
    ls = landscape or get_landscape()
    rng = random.Random(seed)
    clusters = ls.clusters_on(DEMO_DAY)
    with engine.begin() as conn:
        real = _real_rows(conn)
        if real and not force:
            raise DemoRefused(
                Text(
                    da=f"databasen har {real} rigtige organisationer eller aktiviteter; demodata "
                    "ville blive blandet med dem (brug --force for at tilføje dem alligevel, "
                    "mærket som syntetiske)",
                    en=f"the database holds {real} real organisations or activities; demo data "
                    "would mix with them (use --force to add it anyway, flagged as synthetic)",
                )
            )
        replaced = _delete_synthetic(conn)
        used_cvr = set(conn.execute(select(Organisation.cvr)).scalars())
        used_keys = set(conn.execute(select(Organisation.key)).scalars())

        # -- organisations ----------------------------------------------------------------
        org_id0 = _next_id(conn, Organisation)
        municipalities = [(m.name, m.nuts2) for m in ls.municipalities.values()]
        org_rows: list[tuple[Any, ...]] = []
        org_kind: list[str] = []
        prefix = 3_000_000 + rng.randrange(3_000_000)  # 7 digits, no leading zero
        kinds, kind_w = zip(*_KINDS, strict=True)
        for i in range(organisations):
            kind = rng.choices(kinds, weights=kind_w)[0]
            foreign = rng.random() < 0.07
            country = rng.choice(_FOREIGN) if foreign else "DK"
            cvr: str | None = None
            while not foreign and (cvr is None or cvr in used_cvr):
                prefix += 1
                digit = cvr_check_digit(str(prefix))
                cvr = None if digit is None else f"{prefix}{digit}"
            if cvr is not None:
                used_cvr.add(cvr)
            key = cvr or f"SYN-{seed}-{i + 1:06d}"
            if key in used_keys:
                raise DemoRefused(
                    Text(
                        da=f"demonøglen {key} findes allerede; vælg et andet --seed",
                        en=f"demo key {key} already exists; choose another --seed",
                    )
                )
            employees: int | None = None
            if kind == "company" and rng.random() > 0.05:
                lo, hi, _ = rng.choices(_SIZE_BANDS, weights=[b[2] for b in _SIZE_BANDS])[0]
                employees = rng.randint(lo, hi)
            muni, nuts2 = rng.choice(municipalities) if not foreign else (None, None)
            label = _kind_name(kind)
            org_rows.append(
                (
                    org_id0 + i,
                    key,
                    cvr,
                    f"{label} {i + 1:06d} (synthetic)",
                    kind,
                    employees,
                    date(2023, 12, 31) if employees is not None else None,
                    muni,
                    nuts2,
                    rng.choice(_NACE) if kind == "company" else None,
                    country,
                    True,
                )
            )
            org_kind.append(kind)
        bulk_insert(
            conn,
            "organisation",
            ("id", *TABLES["organisations"].columns),
            org_rows,
        )
        bulk_insert(  # the history holds the same counts
            conn,
            "headcount",
            ("organisation_id", "employees", "counted_on"),
            [(r[0], r[5], r[6]) for r in org_rows if r[5] is not None],
        )
        del org_rows

        # -- activities -------------------------------------------------------------------
        act_id0 = _next_id(conn, Activity)
        act_rows: list[tuple[Any, ...]] = []
        by_cluster: dict[str, list[int]] = {c.slug: [] for c in clusters}
        act_span: list[tuple[date, date]] = []
        for j in range(activities):
            c = clusters[j % len(clusters)] if j < len(clusters) else rng.choice(clusters)
            term = next(t for t in c.terms if t.covers(DEMO_DAY))
            first = term.start
            last = min(term.end or PERIOD_END, PERIOD_END)
            typ = _pick(rng, _TYPE_WEIGHTS)
            length = rng.randint(90, 720) if typ in _PROJECT_TYPES else rng.choice((0, 0, 0, 1))
            start = first + timedelta(days=rng.randrange(max(1, (last - first).days - length)))
            end = min(start + timedelta(days=length), last)
            funding = (
                rng.randint(200_000, 5_000_000)
                if typ in _PROJECT_TYPES
                else rng.randint(5_000, 150_000)
            )
            private = int(funding * rng.uniform(0.0, 0.6))
            act_rows.append(
                (
                    act_id0 + j,
                    c.slug,
                    f"SYN-{seed}-{j + 1:05d}",
                    typ,
                    f"Syntetisk {ACTIVITY_TYPES[typ].label.da} {j + 1:05d} (synthetic)",
                    start,
                    end,
                    ls.cluster_nuts2(c.slug),
                    "Demo: Danmarks Erhvervsfremmebestyrelse",
                    funding,
                    private,
                    True,
                )
            )
            by_cluster[c.slug].append(j)
            act_span.append((start, end))
        bulk_insert(
            conn,
            "activity",
            ("id", *TABLES["activities"].columns),
            act_rows,
        )
        act_cluster = [r[1] for r in act_rows]
        del act_rows

        # -- memberships: each organisation has a home cluster it mostly works with ----------
        slugs = [c.slug for c in clusters]
        home = [rng.choice(slugs) for _ in range(organisations)]
        mem_id0 = _next_id(conn, Membership)
        mem_rows = [
            (
                mem_id0 + n,
                org_id0 + i,
                home[i],
                date(2021, 1, 1) + timedelta(days=rng.randrange(700)),
            )
            for n, i in enumerate(rng.sample(range(organisations), k=organisations // 3))
        ]
        bulk_insert(conn, "membership", ("id", "organisation_id", "cluster", "from_date"), mem_rows)

        # -- participations -----------------------------------------------------------------
        roles = list(ROLES)
        part_id0 = _next_id(conn, Participation)
        seen: set[tuple[int, int, str]] = set()
        part_rows: list[tuple[int, int, int, str]] = []
        limit = min(participations, organisations * activities * len(roles))
        while len(part_rows) < limit:
            i = rng.randrange(organisations)
            pool = by_cluster[home[i]] if rng.random() < 0.8 else None
            j = rng.choice(pool) if pool else rng.randrange(activities)
            role = "participant" if rng.random() < 0.85 else rng.choice(roles)
            k = (i, j, role)
            if k in seen:
                continue
            seen.add(k)
            part_rows.append((part_id0 + len(part_rows), org_id0 + i, act_id0 + j, role))
        bulk_insert(
            conn, "participation", ("id", "organisation_id", "activity_id", "role"), part_rows
        )

        # -- outcomes: a share of company participations report something -------------------
        out_id0 = _next_id(conn, Outcome)
        out_seen: set[tuple[int, int, str]] = set()
        out_rows: list[tuple[Any, ...]] = []
        for _, org, act, _role in part_rows:
            i, j = org - org_id0, act - act_id0
            if org_kind[i] != "company" or rng.random() >= outcome_rate:
                continue
            typ = _pick(rng, _OUTCOME_WEIGHTS)
            if (i, j, typ) in out_seen:
                continue
            out_seen.add((i, j, typ))
            reported = act_span[j][1] + timedelta(days=rng.randrange(120))
            out_rows.append(
                (
                    out_id0 + len(out_rows),
                    org,
                    act,
                    typ,
                    min(reported, PERIOD_END),
                    f"Syntetisk resultat i {act_cluster[j]} (synthetic)",
                )
            )
        bulk_insert(
            conn,
            "outcome",
            ("id", "organisation_id", "activity_id", "type", "reported_on", "text"),
            out_rows,
        )
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        rebuild_account_summary(conn)
        refresh_statistics(
            conn,
            ("organisation", "headcount", "membership", "activity", "participation", "outcome"),
        )
    return DemoReport(
        organisations,
        len(mem_rows),
        activities,
        len(part_rows),
        len(out_rows),
        replaced,
        bool(real),
    )


def _kind_name(kind: str) -> str:
    return {
        "company": "Syntetisk virksomhed",
        "university": "Syntetisk universitet",
        "gts": "Syntetisk GTS-institut",
        "education": "Syntetisk uddannelsesinstitution",
        "public": "Syntetisk offentlig aktør",
        "investor": "Syntetisk investor",
        "other": "Syntetisk organisation",
    }[kind]


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids bypass PostgreSQL's sequences; move them past the rows just written."""
    for table in ("organisation", "membership", "activity", "participation", "outcome"):
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )
