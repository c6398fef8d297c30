"""Import and export of every registry table as CSV or XLSX.

An import is all-or-nothing: inside one transaction the file is streamed in chunks, each row is
validated and its references resolved, valid rows go into a temporary staging table (PostgreSQL:
COPY), and only when the whole file is clean does one ``INSERT ... SELECT ... ON CONFLICT`` merge
the staging table into the real one on its natural key. Any problem, or the process dying, leaves
the database as it was. Re-importing a file changes nothing because the merge only updates rows
whose values differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, MetaData, Table, delete, func, select, union
from sqlalchemy import Integer as SAInteger

from klynge.errors import Forbidden, InvalidInput, Location
from klynge.i18n import Text
from klynge.landscape import get_landscape
from klynge.registry.files import EXTRA_CELLS, FileRefused, open_table, write_csv, write_xlsx
from klynge.registry.tables import (
    TABLES,
    Checks,
    Problem,
    T,
    TableSpec,
    organisation_ref,
    parse_row,
    table_spec,
)
from klynge.storage.account_summary import (
    rebuild_account_summary,
    refresh_account_summary,
    refresh_where,
)
from klynge.storage.bulk import bulk_insert, refresh_statistics
from klynge.storage.engine import write_transaction
from klynge.storage.models import (
    Activity,
    Contact,
    Headcount,
    Membership,
    Organisation,
    Outcome,
    Participation,
)

MAX_PROBLEMS = 1000
"""Stop collecting after this many problems: a wrong file would otherwise flood the screen."""


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run."""


def _details(problems: Sequence[Problem]) -> list[tuple[Text, Location | None]]:
    return [(p.text, Location(file=p.file, row=p.row, column=p.column)) for p in problems]


class ImportFailed(InvalidInput):
    """The file was not imported; ``problems`` lists every reason found (each also a detail of
    the error, with its file, row and column)."""

    code = "import-failed"

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        n = len(problems)
        more_da, more_en = (" (flere ikke vist)", " (more not shown)") if truncated else ("", "")
        super().__init__(
            T(
                f"intet blev indlæst: {n} problem(er){more_da}",
                f"nothing was imported: {n} problem(s){more_en}",
            ),
            details=_details(problems),
        )
        self.problems = problems
        self.truncated = truncated

    def renamed(self, old: str, new: str) -> ImportFailed:
        """The same problems, with the file ``old`` (an upload's temporary copy) called ``new``."""
        problems = [
            Problem(new if p.file == old else p.file, p.row, p.column, p.text)
            for p in self.problems
        ]
        return ImportFailed(problems, self.truncated)


class ImportForbidden(Forbidden):
    """Rows of another cluster in a file imported for one cluster: nothing was imported."""

    code = "other-cluster"

    def __init__(self, cluster: str, problems: list[Problem]) -> None:
        super().__init__(
            T(
                f"intet blev indlæst: {len(problems)} række(r) hører til en anden klynge end "
                f"{cluster}, og denne nøgle må kun skrive {cluster}s rækker",
                f"nothing was imported: {len(problems)} row(s) belong to another cluster than "
                f"{cluster}, and this token may write {cluster}'s rows only",
            ),
            details=_details(problems),
        )
        self.problems = problems


@dataclass
class ImportReport:
    table: str
    file: str
    rows: int
    inserted: int
    updated: int
    notes: list[Text] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    """Columns of the table that the file does not have: existing rows keep their values."""

    @property
    def unchanged(self) -> int:
        return self.rows - self.inserted - self.updated


@dataclass(frozen=True)
class _Target:
    model: type[Any]
    columns: tuple[str, ...]
    """Database columns written by an import, in staging order."""
    conflict: tuple[str, ...]


TARGET_NAMES = {
    "organisation": "organisations",
    "membership": "memberships",
    "activity": "activities",
    "participation": "participations",
    "outcome": "outcomes",
    "contact": "contacts",
    "headcount": "headcounts",
}
TARGETS: dict[str, _Target] = {
    # An organisation row has no foreign keys to resolve: it is stored as the file has it.
    "organisations": _Target(Organisation, TABLES["organisations"].columns, ("key",)),
    "memberships": _Target(
        Membership,
        ("organisation_id", "cluster", "from_date", "to_date"),
        ("organisation_id", "cluster", "from_date"),
    ),
    "activities": _Target(
        Activity,
        TABLES["activities"].columns,
        ("cluster", "ref"),
    ),
    "participations": _Target(
        Participation,
        ("organisation_id", "activity_id", "role"),
        ("organisation_id", "activity_id", "role"),
    ),
    "outcomes": _Target(
        Outcome,
        ("organisation_id", "activity_id", "type", "reported_on", "text"),
        ("organisation_id", "activity_id", "type", "reported_on"),
    ),
    "contacts": _Target(
        Contact,
        ("organisation_id", *TABLES["contacts"].columns[1:]),
        ("organisation_id", "email"),
    ),
    # Dated head counts: one per organisation and day, plus at most one undated count.
    "headcounts": _Target(
        Headcount,
        ("organisation_id", "employees", "counted_on"),
        ("organisation_id", "counted_on"),
    ),
}


@dataclass
class _Lookups:
    organisations: dict[str, int] = field(default_factory=dict)
    """Lower-cased organisation key -> id (references are case-insensitive)."""
    activities: dict[tuple[str, str], tuple[int, date]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    """Lower-cased key -> the key as the registry spells it (organisations import)."""


def _load_lookups(conn: Connection, spec: TableSpec, cluster: str | None) -> _Lookups:
    lk = _Lookups()
    if "organisations" in spec.depends_on:
        keys = select(Organisation.key, Organisation.id)
        lk.organisations = {key.lower(): org_id for key, org_id in conn.execute(keys)}
    if spec.name == "organisations":
        lk.keys = {k.lower(): k for (k,) in conn.execute(select(Organisation.key))}
    if "activities" in spec.depends_on:
        q = select(Activity.cluster, Activity.ref, Activity.id, Activity.start_date)
        if cluster is not None:
            q = q.where(Activity.cluster == cluster)
        lk.activities = {(c, r): (i, s) for c, r, i, s in conn.execute(q)}
    return lk


def _resolve(
    spec: TableSpec, values: dict[str, Any], lk: _Lookups
) -> tuple[dict[str, Any] | None, list[tuple[str, Text]]]:
    """Replace natural-key references by database ids; say which references are unknown."""
    errors: list[tuple[str, Text]] = []
    out = dict(values)
    if "organisations" in spec.depends_on:
        org = values["organisation"]
        org_id = lk.organisations.get(organisation_ref(org))
        if org_id is None:
            errors.append(
                (
                    "organisation",
                    T(
                        f"ukendt organisation {org!r}: indlæs den i organisationer først",
                        f"unknown organisation {org!r}: import it in organisations first",
                    ),
                )
            )
        out["organisation_id"] = org_id
    if "activities" in spec.depends_on:
        key = (values["cluster"], values["activity"])
        found = lk.activities.get(key)
        if found is None:
            errors.append(
                (
                    "activity",
                    T(
                        f"ukendt aktivitet {key[1]!r} i klyngen {key[0]}: indlæs den i "
                        "aktiviteter først",
                        f"unknown activity {key[1]!r} of cluster {key[0]}: import it in "
                        "activities first",
                    ),
                )
            )
        else:
            out["activity_id"] = found[0]
            reported = values.get("reported_on")
            if reported is not None and reported < found[1]:
                errors.append(
                    (
                        "reported_on",
                        T(
                            f"{reported} er før aktiviteten begyndte ({found[1]})",
                            f"{reported} is before the activity started ({found[1]})",
                        ),
                    )
                )
    return (None, errors) if errors else (out, [])


def _staging(target: _Target) -> Table:
    md = MetaData()
    cols = [Column("row_no", SAInteger)]
    for name in target.columns:
        src = target.model.__table__.c[name]
        cols.append(Column(name, src.type))
    return Table(f"klynge_stage_{target.model.__tablename__}", md, *cols, prefixes=["TEMPORARY"])


def _write_chunk(conn: Connection, stage: Table, rows: list[tuple[Any, ...]]) -> None:
    bulk_insert(conn, stage.name, [c.name for c in stage.columns], rows)


_FILE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    # Database columns a file column writes, where they differ from the file column itself.
    "organisations": {"key": (), "cvr": ("cvr", "key"), "employees": (), "employees_on": ()},
    "memberships": {"organisation": (), "cluster": ()},
    "participations": {"organisation": (), "cluster": (), "activity": ()},
    "outcomes": {"organisation": (), "cluster": (), "activity": ()},
    "contacts": {"organisation": ()},
    "headcounts": {"organisation": ()},
}


def updated_columns(table: str, header: Sequence[str]) -> list[str]:
    """The database columns an import of a file with ``header`` may change in existing rows.

    A file that lacks a column leaves it as it is (it does not set it to empty); the natural
    key is never updated. Head counts are handled apart (see :func:`_merge`).
    """
    target = TARGETS[table]
    mapping = _FILE_COLUMNS.get(table, {})
    out: list[str] = []
    for col in header:
        for db_col in mapping.get(col, (col,)):
            if db_col in target.columns and db_col not in target.conflict and db_col not in out:
                out.append(db_col)
    return out


def _merge(conn: Connection, stage: Table, target: _Target, header: Sequence[str]) -> int:
    table = target.model.__tablename__
    if table == "headcount":
        return _merge_headcount_file(conn, stage)
    cols = ", ".join(target.columns)
    conflict = ", ".join(target.conflict)
    distinct = "IS DISTINCT FROM" if conn.dialect.name == "postgresql" else "IS NOT"
    rest = updated_columns(TARGET_NAMES[table], header)
    sets = [f"{c} = excluded.{c}" for c in rest]
    changed = [f"{table}.{c} {distinct} excluded.{c}" for c in rest]
    if table == "organisation" and "municipality" in header and "nuts2" not in header:
        # NUTS 2 found from the municipality; an unknown municipality keeps the old one.
        sets.append(f"nuts2 = COALESCE(excluded.nuts2, {table}.nuts2)")
        changed.append(f"(excluded.nuts2 IS NOT NULL AND {table}.nuts2 {distinct} excluded.nuts2)")
    if table == "organisation" and "employees" in header:
        # The organisation shows its newest count; an older count only joins the history.
        newer = (
            f"(excluded.employees IS NOT NULL AND ({table}.employees_on IS NULL OR "
            f"(excluded.employees_on IS NOT NULL AND excluded.employees_on >= "
            f"{table}.employees_on)))"
        )
        for c in ("employees", "employees_on"):
            sets.append(f"{c} = CASE WHEN {newer} THEN excluded.{c} ELSE {table}.{c} END")
        changed.append(
            f"({newer} AND ({table}.employees {distinct} excluded.employees OR "
            f"{table}.employees_on {distinct} excluded.employees_on))"
        )
    if table == "activity" and "end_date" not in header:
        # A one-day event's end follows its start; a later end is kept.
        sets.append(
            f"end_date = CASE WHEN {table}.end_date < excluded.start_date "
            f"THEN excluded.start_date ELSE {table}.end_date END"
        )
    if sets:
        action = f"DO UPDATE SET {', '.join(sets)} WHERE {' OR '.join(changed)}"
    else:
        action = "DO NOTHING"
    # `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    # Rows go in natural-key order so that the unique index is filled in sequence.
    sql = (
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage.name} WHERE 1 = 1 "
        f"ORDER BY {conflict} ON CONFLICT ({conflict}) {action}"
    )
    return int(conn.exec_driver_sql(sql).rowcount or 0)


def _merge_headcounts(conn: Connection, stage: Table) -> int:
    """Add the file's head counts to the history; returns how many dated counts were added or
    changed. A count without a date replaces the organisation's undated count."""
    dated = (
        "INSERT INTO headcount (organisation_id, employees, counted_on) "
        f"SELECT o.id, s.employees, s.employees_on FROM {stage.name} s "
        "JOIN organisation o ON o.key = s.key "
        "WHERE s.employees IS NOT NULL AND s.employees_on IS NOT NULL "
        "ON CONFLICT (organisation_id, counted_on) DO UPDATE SET employees = excluded.employees "
        "WHERE headcount.employees <> excluded.employees"
    )
    n = int(conn.exec_driver_sql(dated).rowcount or 0)
    undated = (
        f"SELECT o.id FROM {stage.name} s JOIN organisation o ON o.key = s.key "
        "WHERE s.employees IS NOT NULL AND s.employees_on IS NULL"
    )
    conn.exec_driver_sql(
        f"DELETE FROM headcount WHERE counted_on IS NULL AND organisation_id IN ({undated})"
    )
    conn.exec_driver_sql(
        "INSERT INTO headcount (organisation_id, employees, counted_on) "
        f"SELECT o.id, s.employees, NULL FROM {stage.name} s "
        "JOIN organisation o ON o.key = s.key "
        "WHERE s.employees IS NOT NULL AND s.employees_on IS NULL"
    )
    return n


def _merge_headcount_file(conn: Connection, stage: Table) -> int:
    """Merge a head-count file: dated counts on (organisation, day); an undated count replaces
    the organisation's undated count (NULL days never conflict in a unique index). Returns the
    rows added or changed. The organisation then shows its newest count, as an organisations
    import leaves it."""
    s = stage.name
    n = int(
        conn.exec_driver_sql(
            "INSERT INTO headcount (organisation_id, employees, counted_on) "
            f"SELECT organisation_id, employees, counted_on FROM {s} WHERE counted_on IS NOT NULL "
            "ORDER BY organisation_id, counted_on ON CONFLICT (organisation_id, counted_on) "
            "DO UPDATE SET employees = excluded.employees "
            "WHERE headcount.employees <> excluded.employees"
        ).rowcount
        or 0
    )
    undated = f"SELECT organisation_id FROM {s} WHERE counted_on IS NULL"
    n += int(
        conn.exec_driver_sql(
            f"UPDATE headcount SET employees = (SELECT st.employees FROM {s} st WHERE "
            "st.organisation_id = headcount.organisation_id AND st.counted_on IS NULL) "
            f"WHERE counted_on IS NULL AND organisation_id IN ({undated}) AND employees <> "
            f"(SELECT st.employees FROM {s} st WHERE st.organisation_id = "
            "headcount.organisation_id AND st.counted_on IS NULL)"
        ).rowcount
        or 0
    )
    n += int(
        conn.exec_driver_sql(
            "INSERT INTO headcount (organisation_id, employees, counted_on) "
            f"SELECT organisation_id, employees, NULL FROM {s} st WHERE st.counted_on IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM headcount h WHERE h.organisation_id = "
            "st.organisation_id AND h.counted_on IS NULL)"
        ).rowcount
        or 0
    )
    # The newest dated count, else the undated one, is what the organisation shows.
    newest = (
        "FROM headcount h WHERE h.organisation_id = organisation.id ORDER BY "
        "CASE WHEN h.counted_on IS NULL THEN 0 ELSE 1 END DESC, h.counted_on DESC LIMIT 1"
    )
    conn.exec_driver_sql(
        f"UPDATE organisation SET employees = (SELECT h.employees {newest}), "
        f"employees_on = (SELECT h.counted_on {newest}) "
        f"WHERE id IN (SELECT organisation_id FROM {s})"
    )
    return n


def _duplicates(
    conn: Connection, stage: Table, target: _Target, spec: TableSpec, file: str
) -> list[Problem]:
    """Rows that repeat an earlier row's natural key, found in the staging table.

    Doing this in SQL rather than in a Python set keeps memory flat however long the file is.
    """

    # Organisation keys are case-insensitive: "acme-se" repeats "ACME-SE"; two undated head
    # counts of one organisation repeat each other (NULL equals nothing in a join).
    def fold(column: str) -> str:
        if target.model is Organisation:
            return f"lower({column})"
        if column.endswith("counted_on"):
            return f"COALESCE({column}, '0001-01-01')"
        return column

    keys = ", ".join(f"{fold(c)} AS {c}" for c in target.conflict)
    groups = ", ".join(fold(c) for c in target.conflict)
    same = " AND ".join(f"{fold('s.' + c)} = f.{c}" for c in target.conflict)
    sql = (
        f"SELECT s.row_no, f.first_row FROM {stage.name} s JOIN (SELECT {keys}, "
        f"MIN(row_no) AS first_row FROM {stage.name} GROUP BY {groups} HAVING COUNT(*) > 1) f "
        f"ON {same} WHERE s.row_no <> f.first_row ORDER BY s.row_no LIMIT {MAX_PROBLEMS}"
    )
    what = ", ".join(spec.key)
    return [
        Problem(
            file,
            int(row_no),
            None,
            T(f"gentager række {first} (samme {what})", f"duplicates row {first} (same {what})"),
        )
        for row_no, first in conn.exec_driver_sql(sql)
    ]


_OPEN_END = "'9999-12-31'"


def _overlapping_memberships(conn: Connection, stage: Table, file: str) -> list[Problem]:
    """Spells of one organisation in one cluster that overlap, in the file or with the registry.

    An organisation is a member of a cluster or not on any given day; two overlapping spells
    are the same membership entered twice with different start dates. A registry spell that the
    file itself restates (same start date) is judged by the file's version.
    """
    in_file = (
        f"SELECT t.row_no, s.row_no, s.from_date, s.to_date FROM {stage.name} s "
        f"JOIN {stage.name} t ON t.organisation_id = s.organisation_id AND t.cluster = s.cluster "
        "AND s.from_date < t.from_date AND (s.to_date IS NULL OR s.to_date >= t.from_date) "
        f"ORDER BY t.row_no LIMIT {MAX_PROBLEMS}"
    )
    problems = [
        Problem(
            file,
            int(row_no),
            "from_date",
            T(
                f"overlapper medlemskabet i række {other} ({start}..{end or ''}) i samme klynge",
                f"overlaps the membership in row {other} ({start}..{end or ''}) in the same "
                "cluster",
            ),
        )
        for row_no, other, start, end in conn.exec_driver_sql(in_file)
    ]
    in_registry = (
        f"SELECT s.row_no, m.from_date, m.to_date FROM {stage.name} s JOIN membership m "
        "ON m.organisation_id = s.organisation_id AND m.cluster = s.cluster "
        "AND m.from_date <> s.from_date "
        f"AND m.from_date <= COALESCE(s.to_date, {_OPEN_END}) "
        f"AND s.from_date <= COALESCE(m.to_date, {_OPEN_END}) "
        f"WHERE NOT EXISTS (SELECT 1 FROM {stage.name} r WHERE r.organisation_id = "
        "m.organisation_id AND r.cluster = m.cluster AND r.from_date = m.from_date) "
        f"ORDER BY s.row_no LIMIT {MAX_PROBLEMS}"
    )
    problems += [
        Problem(
            file,
            int(row_no),
            "from_date",
            T(
                f"overlapper medlemskabet {start}..{end or ''}, som registret allerede har i "
                "samme klynge",
                f"overlaps the membership {start}..{end or ''} the registry already holds in "
                "the same cluster",
            ),
        )
        for row_no, start, end in conn.exec_driver_sql(in_registry)
    ]
    return problems


def _outcome_without_participation(conn: Connection, stage: Table, file: str) -> list[Problem]:
    sql = (
        f"SELECT s.row_no FROM {stage.name} s WHERE NOT EXISTS (SELECT 1 FROM participation p "
        "WHERE p.organisation_id = s.organisation_id AND p.activity_id = s.activity_id) "
        f"ORDER BY s.row_no LIMIT {MAX_PROBLEMS}"
    )
    return [
        Problem(
            file,
            int(row_no),
            "organisation",
            T(
                "organisationen deltog ikke i denne aktivitet: indlæs deltagelsen først",
                "the organisation did not take part in this activity: import the participation "
                "first",
            ),
        )
        for (row_no,) in conn.exec_driver_sql(sql)
    ]


def import_table(
    engine: Engine,
    table: str,
    path: Path | str,
    *,
    checks: Checks | None = None,
    chunk_size: int = 5000,
    progress: Callable[[str], None] | None = None,
    dry_run: bool = False,
    cluster: str | None = None,
    name: str | None = None,
    replacing: int | None = None,
) -> ImportReport:
    """Import one table file all-or-nothing; raise :class:`ImportFailed` listing every problem.

    With ``dry_run`` everything runs, including the merge, and is then rolled back, so the report
    says what an import would change. With ``cluster`` every row must belong to that cluster
    (else :class:`ImportForbidden`, naming the rows, before any reference is looked up), and only
    that cluster's activities can be referred to. ``name`` is what reports call the file (an
    upload's own name rather than its temporary copy). ``replacing`` is the id of a row that
    the file's row replaces (an edit that changes the row's natural key): it is deleted in the
    same transaction, before the checks, so a refused file leaves it as it was.
    """
    try:
        report = _import_table(
            engine, table, Path(path), checks, chunk_size, progress, dry_run, cluster, replacing
        )
    except ImportFailed as exc:
        if name is None:
            raise
        raise exc.renamed(str(path), name) from None
    if name is not None:
        report.file = name
    return report


def _import_table(
    engine: Engine,
    table: str,
    path: Path,
    checks: Checks | None,
    chunk_size: int,
    progress: Callable[[str], None] | None,
    dry_run: bool,
    cluster: str | None,
    replacing: int | None = None,
) -> ImportReport:
    spec = table_spec(table)
    target = TARGETS[spec.name]
    if cluster is not None and "cluster" not in spec.columns:
        raise ValueError(f"{spec.name} rows have no cluster")
    file = str(path)
    checks = checks or Checks.from_landscape(get_landscape())
    try:
        source, problems = open_table(path, spec)
    except FileRefused as exc:
        raise ImportFailed([exc.problem]) from None
    if problems:  # a wrong header would make every row wrong: report the header alone
        source.close()
        raise ImportFailed(problems)
    truncated = False
    rows = 0
    try:
        with write_transaction(engine) as conn:
            replaced: list[int] = []  # organisations whose account summary the edit touches
            if replacing is not None:
                if "organisation_id" in target.columns:
                    owner = target.model.organisation_id
                    replaced = list(
                        conn.execute(select(owner).where(target.model.id == replacing)).scalars()
                    )
                conn.execute(delete(target.model).where(target.model.id == replacing))
            lookups = _load_lookups(conn, spec, cluster)
            stage = _staging(target)
            stage.create(conn)
            buffer: list[tuple[Any, ...]] = []
            warnings: dict[str, list[Problem]] = {}
            foreign: list[Problem] = []
            for row_no, raw in source.rows:
                rows += 1
                if len(problems) >= MAX_PROBLEMS:
                    truncated = True
                    break
                if EXTRA_CELLS in raw:
                    problems.append(
                        Problem(
                            file,
                            row_no,
                            None,
                            T(
                                "rækken har flere celler end overskriften",
                                "the row has more cells than the header",
                            ),
                        )
                    )
                    continue
                values, errors, row_warnings = parse_row(spec, raw, checks)
                for w in row_warnings:
                    warnings.setdefault(w.column, []).append(
                        Problem(file, row_no, w.column, w.text)
                    )
                if values is None:
                    problems.extend(Problem(file, row_no, e.column, e.text) for e in errors)
                    continue
                if cluster is not None and values["cluster"] != cluster:
                    if len(foreign) < MAX_PROBLEMS:
                        other = values["cluster"]
                        foreign.append(
                            Problem(
                                file,
                                row_no,
                                "cluster",
                                T(f"rækken hører til {other}", f"the row belongs to {other}"),
                            )
                        )
                    continue
                if lookups.keys and values["key"] is not None:  # the registry's spelling
                    values["key"] = lookups.keys.get(values["key"].lower(), values["key"])
                resolved, ref_errors = _resolve(spec, values, lookups)
                if resolved is None:
                    problems.extend(Problem(file, row_no, c, r) for c, r in ref_errors)
                    continue
                # Valid rows are staged even after a problem, so that duplicates among them
                # are found in the same run; the transaction is rolled back in the end.
                buffer.append((row_no, *(resolved[c] for c in target.columns)))
                if len(buffer) >= chunk_size:
                    _write_chunk(conn, stage, buffer)
                    buffer.clear()
                    if progress:
                        progress(f"staged {rows} rows")
            _write_chunk(conn, stage, buffer)
            buffer.clear()
            if foreign:
                raise ImportForbidden(cluster or "", foreign)
            problems.extend(_duplicates(conn, stage, target, spec, file))
            if spec.name == "memberships":
                problems.extend(_overlapping_memberships(conn, stage, file))
            if spec.name == "outcomes":  # staged rows are the valid ones: check them too
                problems.extend(_outcome_without_participation(conn, stage, file))
            if problems:
                problems.sort(key=lambda p: (p.row or 0, p.column or ""))
                raise ImportFailed(
                    problems[:MAX_PROBLEMS], truncated or len(problems) > MAX_PROBLEMS
                )
            model_table = target.model.__table__
            before = conn.execute(select(func.count()).select_from(model_table)).scalar_one()
            if progress:
                progress("merging")
            changed = _merge(conn, stage, target, source.header)
            after = conn.execute(select(func.count()).select_from(model_table)).scalar_one()
            history = 0
            if spec.name == "organisations" and "employees" in source.header:
                history = _merge_headcounts(conn, stage)
            if (changed or replaced) and spec.name in SUMMARISED:
                if progress:
                    progress("summarising")
                # The account summary changes in the same transaction as the rows it counts;
                # a file that touches most organisations is cheaper to count again whole.
                if rows > WHOLE_SUMMARY_ROWS:
                    rebuild_account_summary(conn)
                else:
                    refresh_where(conn, _summary_scope(spec.name, stage))
                    refresh_account_summary(conn, replaced)
            mixed = _beside_demo_data(conn, stage, target)
            stage.drop(conn)
            if dry_run:
                raise _RollBack
            if after - before > 10_000:
                refresh_statistics(conn, [target.model.__tablename__])
            if progress:
                progress("committing")
    except _RollBack:
        pass
    except FileRefused as exc:  # the file turned out damaged part-way: nothing was written
        raise ImportFailed([exc.problem]) from None
    finally:
        source.close()
    inserted = after - before
    notes = list(source.notes) + [_warning_note(found) for found in warnings.values()]
    if mixed:
        notes.append(MIXED_NOTE)
    derived = {"key"} if spec.name == "organisations" and "cvr" in source.header else set()
    untouched = [c for c in spec.columns if c not in source.header and c not in derived]
    if untouched and changed > inserted:  # existing rows were updated: say what stayed
        listed = ", ".join(untouched)
        notes.append(
            T(
                f"filen har ikke kolonnerne {listed}: eksisterende rækker beholder deres "
                "værdier dér",
                f"the file lacks the columns {listed}: existing rows keep their values there",
            )
        )
    if history:
        notes.append(
            T(
                f"{history} dateret(e) antal ansatte tilføjet til historikken",
                f"{history} dated head count(s) added to the history",
            )
        )
    report = ImportReport(spec.name, file, rows, inserted, changed - inserted, notes)
    report.untouched = untouched
    return report


SUMMARISED = ("activities", "participations", "outcomes")
WHOLE_SUMMARY_ROWS = 20_000
"""Above this many rows an import recomputes the whole account summary rather than the rows of
the organisations it touched (measured: about the same cost once most organisations are hit)."""
"""The tables the account summary is derived from (see :mod:`klynge.storage.account_summary`)."""


def _summary_scope(table: str, stage: Table) -> str:
    """The organisations whose account summary an import of ``table`` may have changed."""
    if table != "activities":
        return f"SELECT organisation_id FROM {stage.name}"
    # An activity's dates moved: the organisations that took part in it or reported on it.
    staged = f"JOIN {stage.name} s ON s.cluster = a.cluster AND s.ref = a.ref"
    return (
        f"SELECT p.organisation_id FROM participation p JOIN activity a ON a.id = p.activity_id "
        f"{staged} UNION SELECT oc.organisation_id FROM outcome oc JOIN activity a "
        f"ON a.id = oc.activity_id {staged}"
    )


MIXED_NOTE = T(
    "Advarsel: databasen indeholder syntetiske demodata; de indlæste rækker ligger nu sammen med "
    "dem, og resultatregnskabet vil sige, at det omfatter syntetiske data "
    "(start med en tom database for at holde dem adskilt)",
    "Warning: the database holds synthetic demo data; the imported rows now sit beside it, and "
    "the performance account will say that it includes synthetic data "
    "(start from an empty database to keep them apart)",
)


def _beside_demo_data(conn: Connection, stage: Table, target: _Target) -> bool:
    """Whether real rows were just put into a database that holds demo rows.

    demo-data refuses to write beside real rows; this is the other direction, which must not
    pass silently either.
    """
    demo = select(Organisation.id).where(Organisation.synthetic.is_(True)).limit(1)
    demo_act = select(Activity.id).where(Activity.synthetic.is_(True)).limit(1)
    if conn.execute(demo).first() is None and conn.execute(demo_act).first() is None:
        return False
    if "synthetic" in target.columns:
        real = select(stage.c.row_no).where(stage.c.synthetic.is_(False)).limit(1)
        return conn.execute(real).first() is not None
    # Links (memberships, participations, outcomes) are real when they touch a real row.
    for column, model in (("organisation_id", Organisation), ("activity_id", Activity)):
        if column in target.columns:
            touches = (
                select(stage.c.row_no)
                .join(model, model.id == stage.c[column])
                .where(model.synthetic.is_(False))
                .limit(1)
            )
            if conn.execute(touches).first() is not None:
                return True
    return False


def _warning_note(found: list[Problem]) -> Text:
    """One note per kind of warning: how many rows, and the first one in full."""
    first = found[0]
    return T(
        f"{len(found)} række(r) med advarsel, fx {first.describe('da')}",
        f"{len(found)} row(s) with a warning, e.g. {first.describe('en')}",
    )


# -- export and reading ------------------------------------------------------------------------
def visible_organisations(cluster: str) -> Any:
    """Ids of the organisations a cluster may see: its members and its activities' participants."""
    m, p, a = Membership, Participation, Activity
    return union(
        select(m.organisation_id).where(m.cluster == cluster),
        select(p.organisation_id).join(a, a.id == p.activity_id).where(a.cluster == cluster),
    )


def _export_query(table: str, cluster: str | None = None, with_id: bool = False) -> Any:
    """Rows of ``table`` in file form, in natural-key order; with ``cluster`` only the rows that
    cluster owns (organisations: those it may see); with ``with_id`` the database id first."""
    o, a, m, p, oc = Organisation, Activity, Membership, Participation, Outcome
    model = TARGETS[table].model
    ident = [model.id] if with_id else []
    if table == "contacts":  # a cluster's staff see the contacts of its members only
        ct = Contact
        q = (
            select(*ident, o.key, *(getattr(ct, c) for c in TARGETS[table].columns[1:]))
            .join(o, o.id == ct.organisation_id)
            .order_by(o.key, ct.email)
        )
        members = select(m.organisation_id).where(m.cluster == cluster)
        return q if cluster is None else q.where(ct.organisation_id.in_(members))
    if table == "headcounts":  # undated first on both engines (NULLs sort apart otherwise)
        h = Headcount
        q = (
            select(*ident, o.key, h.employees, h.counted_on)
            .join(o, o.id == h.organisation_id)
            .order_by(o.key, h.counted_on.is_not(None), h.counted_on)
        )
        return q if cluster is None else q.where(o.id.in_(visible_organisations(cluster)))
    if table == "organisations":
        q = select(*ident, *(getattr(o, c) for c in TARGETS[table].columns)).order_by(o.key)
        return q if cluster is None else q.where(o.id.in_(visible_organisations(cluster)))
    if table == "activities":
        q = select(*ident, *(getattr(a, c) for c in TARGETS[table].columns))
        q = q.order_by(a.cluster, a.ref)
        return q if cluster is None else q.where(a.cluster == cluster)
    if table == "memberships":
        q = (
            select(*ident, o.key, m.cluster, m.from_date, m.to_date)
            .join(o, o.id == m.organisation_id)
            .order_by(o.key, m.cluster, m.from_date)
        )
        return q if cluster is None else q.where(m.cluster == cluster)
    if table == "participations":
        q = (
            select(*ident, o.key, a.cluster, a.ref, p.role)
            .join(o, o.id == p.organisation_id)
            .join(a, a.id == p.activity_id)
            .order_by(o.key, a.cluster, a.ref, p.role)
        )
        return q if cluster is None else q.where(a.cluster == cluster)
    q = (
        select(*ident, o.key, a.cluster, a.ref, oc.type, oc.reported_on, oc.text)
        .join(o, o.id == oc.organisation_id)
        .join(a, a.id == oc.activity_id)
        .order_by(o.key, a.cluster, a.ref, oc.type, oc.reported_on)
    )
    return q if cluster is None else q.where(a.cluster == cluster)


def _stream(conn: Connection, query: Any) -> Iterator[Sequence[Any]]:
    result = conn.execution_options(yield_per=5000).execute(query)
    for row in result:
        yield tuple(row)


def export_table(
    engine: Engine, table: str, path: Path | str, *, cluster: str | None = None
) -> int:
    """Write a table in the same shape :func:`import_table` reads; returns the row count.

    With ``cluster`` only that cluster's rows are written (see :func:`read_rows`).
    """
    spec = table_spec(table)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{path}: unknown file type {suffix!r}: use .csv or .xlsx")
    with engine.connect() as conn:
        rows = _stream(conn, _export_query(spec.name, cluster))
        if suffix == ".csv":
            return write_csv(path, spec.columns, rows)
        return write_xlsx(path, spec.name, spec.columns, rows)


def read_rows(
    engine: Engine, table: str, *, cluster: str | None, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a table in file form, each row with its ``id``, and how many rows there are.

    With ``cluster`` only that cluster's rows count: its activities and memberships, the
    participations and outcomes of its activities, and the organisations it may see.
    """
    spec = table_spec(table)
    query = _export_query(spec.name, cluster, with_id=True)
    columns = ("id", *spec.columns)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.offset(offset).limit(limit)).all()
    return [dict(zip(columns, r, strict=True)) for r in rows], int(total)


def read_row(
    engine: Engine, table: str, row_id: int, *, cluster: str | None
) -> dict[str, Any] | None:
    """One row by id in file form; ``None`` when there is none that ``cluster`` may see."""
    spec = table_spec(table)
    model = TARGETS[spec.name].model
    query = _export_query(spec.name, cluster, with_id=True).where(model.id == row_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else dict(zip(("id", *spec.columns), row, strict=True))
