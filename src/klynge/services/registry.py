"""The registry's use cases: the database, import, export, demo data and performance accounts.

Every face calls these: the command line as :data:`~klynge.services.auth.LOCAL`, the API with the
principal behind its bearer token. Each function returns a pydantic model (or a file's bytes) and
raises :class:`~klynge.errors.KlyngeError` subclasses only, so no face sees SQLAlchemy.

The database policy:

- The URL comes from ``$KLYNGE_DATABASE_URL``, else a SQLite file in the user's data directory.
  An in-memory SQLite URL is refused: it would vanish with the command, and every API worker
  would have its own.
- One engine per process and URL, made on first use (the API keeps no other state between
  requests, so several workers or machines can share one PostgreSQL database). Its pool is sized
  for the API's thread pool (see :data:`klynge.storage.engine.POOL_SIZE`).
- On first use the schema is brought to the newest revision; a database at a revision this klynge
  does not know (migrated by a newer klynge) is refused with one line.
- A URL that cannot be parsed, a non-numeric port, a driver that is not installed and a server
  that does not answer are each one line (:class:`~klynge.storage.engine.StorageError`).

SQLAlchemy and Alembic load inside these functions, so that importing this module (as every CLI
command does) stays cheap.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import MAXYEAR, MINYEAR, date
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from klynge.errors import InvalidInput, KlyngeError, NotFound, Unavailable
from klynge.i18n import Text, pick
from klynge.registry.tables import TABLES, table_spec
from klynge.services.auth import (
    Principal,
    check_account,
    registry_scope,
    require_token,
    write_scope,
)
from klynge.services.common import MAX_LIMIT, Caveat
from klynge.services.people import ContactFields, Face, log_table_access

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from klynge.accounts.report import Account

R = TypeVar("R")


# -- the database -------------------------------------------------------------------------------
_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_lock = threading.Lock()


def _in_memory(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return False  # make_engine explains
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def _reason(exc: BaseException) -> str:
    """What went wrong, without SQLAlchemy's wrapper text (drivers word their own messages)."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip().splitlines()[0]


@contextmanager
def _database_errors(url: str) -> Iterator[None]:
    """Turn a driver's failure into one bilingual line. (The operating system's failures are
    about files, and each use case words them: a file that cannot be written is not a database
    error.)"""
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage import describe_url

    try:
        yield
    except KlyngeError:
        raise
    except SQLAlchemyError as exc:
        reason = _reason(exc)
        raise Unavailable(
            Text(
                da=f"databasefejl ({describe_url(url)}): {reason}",
                en=f"database error ({describe_url(url)}): {reason}",
            ),
            code="database-error",
        ) from None


def database(*, migrate: bool = True) -> Engine:
    """The process's engine for ``$KLYNGE_DATABASE_URL``, with the schema checked once."""
    from klynge.storage import StorageError, database_url, make_engine
    from klynge.storage.engine import ensure_schema

    url = database_url()
    if _in_memory(url):
        raise StorageError(
            Text(
                da=f"{url} er en database i hukommelsen, som forsvinder, når kommandoen slutter: "
                "giv en fil, fx sqlite:////sti/til/klynge.db",
                en=f"{url} is an in-memory database that vanishes when the command ends: "
                "give a file, e.g. sqlite:////path/to/klynge.db",
            ),
            code="database-in-memory",
        )
    engine = _engines.get(url)
    if engine is not None and (url in _ready or not migrate):
        return engine
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            _engines[url] = engine
        if migrate and url not in _ready:
            with _database_errors(url):
                ensure_schema(engine)
            _ready.add(url)
    return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, and a process about to fork)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _ready.clear()


def with_database(call: Callable[[Engine], R], *, migrate: bool = True) -> R:
    """``call(engine)``, with any database failure turned into one bilingual line."""
    from klynge.storage import database_url

    engine = database(migrate=migrate)
    with _database_errors(database_url()):
        return call(engine)


class DatabaseInfo(BaseModel):
    url: str = Field(description="The database, without its password.")
    backend: str
    revision: str | None = Field(description="The schema revision; null before the first.")
    head: str | None = Field(description="The newest revision this klynge knows.")
    rows: dict[str, int | None] = Field(description="Rows per table; null before migrating.")
    synthetic_organisations: int


class UpgradeResult(BaseModel):
    url: str
    backend: str
    previous: str | None = Field(description="The revision before the upgrade.")
    revision: str | None


def db_info() -> DatabaseInfo:
    from klynge.storage import current_revision, database_url, describe_url
    from klynge.storage.engine import check_known, head_revision
    from klynge.storage.summary import row_counts

    def info(engine: Engine) -> DatabaseInfo:
        revision = current_revision(engine)
        check_known(engine, revision)
        counts, synthetic = row_counts(engine)
        return DatabaseInfo(
            url=describe_url(database_url()),
            backend=engine.dialect.name,
            revision=revision,
            head=head_revision(),
            rows=counts,
            synthetic_organisations=synthetic,
        )

    return with_database(info, migrate=False)


def db_upgrade() -> UpgradeResult:
    from klynge.storage import current_revision, database_url, describe_url, upgrade
    from klynge.storage.engine import check_known

    def run(engine: Engine) -> UpgradeResult:
        previous = current_revision(engine)
        check_known(engine, previous)
        upgrade(engine)
        return UpgradeResult(
            url=describe_url(database_url()),
            backend=engine.dialect.name,
            previous=previous,
            revision=current_revision(engine),
        )

    return with_database(run, migrate=False)


class CheckFinding(BaseModel):
    code: str
    message: str
    count: int = Field(description="How many rows the finding is about (1 for the file itself).")


class CheckResult(BaseModel):
    """``klynge db check``: the database engine's own integrity check plus the registry's rules
    that constraints cannot express. ``ok`` when nothing was found."""

    url: str
    backend: str
    revision: str | None
    ok: bool
    findings: list[CheckFinding]


def db_check(*, lang: str | None = None) -> CheckResult:
    """Check the database: one finding per kind of problem, each with a count and an example."""
    from klynge.storage import current_revision, database_url, describe_url
    from klynge.storage.check import check_database
    from klynge.storage.engine import check_known, head_revision

    def run(engine: Engine) -> CheckResult:
        revision = current_revision(engine)
        check_known(engine, revision)
        findings: list[CheckFinding] = []
        if revision != head_revision():
            findings.append(
                CheckFinding(
                    code="schema-behind",
                    message=pick(
                        lang,
                        f"skemaet er på version {revision or '(ingen)'}, den nyeste er "
                        f"{head_revision()}: kør `klynge db upgrade`",
                        f"the schema is at revision {revision or '(none)'}, the newest is "
                        f"{head_revision()}: run `klynge db upgrade`",
                    ),
                    count=1,
                )
            )
        else:
            findings += [
                CheckFinding(code=code, message=text.get(lang), count=n)
                for code, text, n in check_database(engine)
            ]
        return CheckResult(
            url=describe_url(database_url()),
            backend=engine.dialect.name,
            revision=revision,
            ok=not findings,
            findings=findings,
        )

    return with_database(run, migrate=False)


class SummaryResult(BaseModel):
    url: str
    rows: int = Field(description="Rows of the account summary after the rebuild.")


def db_rebuild_summary() -> SummaryResult:
    """Recompute the account summary from the registry's rows (after ``db check`` found it
    stale, for example because a tool wrote to the tables directly)."""
    from klynge.storage import database_url, describe_url
    from klynge.storage.account_summary import rebuild_account_summary, summary_rows
    from klynge.storage.engine import write_transaction

    def run(engine: Engine) -> SummaryResult:
        with write_transaction(engine) as conn:
            rebuild_account_summary(conn)
            n = summary_rows(conn)
        return SummaryResult(url=describe_url(database_url()), rows=n)

    return with_database(run)


# -- tables -------------------------------------------------------------------------------------
TableName = Literal[
    "organisations",
    "memberships",
    "activities",
    "participations",
    "outcomes",
    "contacts",
    "headcounts",
]


def table_name(name: str) -> str:
    """A table's English name from its English or Danish name (``deltagelser``)."""
    try:
        return table_spec(name).name
    except KeyError:
        raise InvalidInput(
            Text(
                da=f"ukendt tabel {name!r}: brug en af {', '.join(TABLES)}",
                en=f"unknown table {name!r}: use one of {', '.join(TABLES)}",
            ),
            code="unknown-table",
        ) from None


class ImportResult(BaseModel):
    """What an import did, or (``dry_run``) would do. A refused import is an error instead, with
    every problem as a detail naming its file, row and column."""

    imported: bool = Field(description="Whether rows were saved (false on a dry run).")
    dry_run: bool
    table: str
    file: str
    rows: int = Field(description="Data rows read.")
    inserted: int
    updated: int
    unchanged: int
    notes: list[str] = Field(description="Warnings that did not stop the import.")
    untouched_columns: list[str] = Field(
        default_factory=list,
        description="Columns of the table the file does not have: existing rows keep them.",
    )


def _import(
    table: str,
    path: Path,
    name: str | None,
    dry_run: bool,
    principal: Principal | None,
    lang: str | None,
    face: Face | None = None,
) -> ImportResult:
    from klynge.storage.transfer import import_table

    spec_name = table_name(table)
    cluster = write_scope(principal, spec_name)
    report = with_database(
        lambda engine: import_table(
            engine, spec_name, path, dry_run=dry_run, cluster=cluster, name=name
        )
    )
    if not dry_run:
        log_table_access(principal, spec_name, "import", report.rows, face)
    return ImportResult(
        imported=not dry_run,
        dry_run=dry_run,
        table=report.table,
        file=report.file,
        rows=report.rows,
        inserted=report.inserted,
        updated=report.updated,
        unchanged=report.unchanged,
        notes=[n.get(lang) for n in report.notes],
        untouched_columns=report.untouched,
    )


def import_path(
    table: str,
    path: Path,
    *,
    dry_run: bool = False,
    principal: Principal | None,
    lang: str | None = None,
    face: Face | None = None,
) -> ImportResult:
    """Import a CSV or XLSX file all or nothing (see ``docs/registry.md`` for the rules).
    ``face`` (``cli``, ``api``, ``web``) is what the audit log records for contacts."""
    return _import(table, path, None, dry_run, principal, lang, face)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def upload_name(filename: str | None) -> str:
    """An uploaded file's name as reports show it: the last path part only, no control
    characters, at most 200 characters. The name is never used as a path."""
    base = PureWindowsPath(filename or "").name  # splits on both / and \
    base = _UNSAFE.sub("", base).strip()[-200:]
    return base or "upload"


def import_upload(
    table: str,
    data: bytes,
    filename: str | None,
    *,
    dry_run: bool = False,
    principal: Principal | None,
    lang: str | None = None,
    face: Face | None = None,
) -> ImportResult:
    """Import an uploaded file's bytes; ``filename`` gives the format by its suffix."""
    write_scope(principal, table_name(table))  # who asks comes before what they sent
    name = upload_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise InvalidInput(
            Text(
                da=f"{name}: ukendt filtype {suffix or '(ingen)'}: send .csv eller .xlsx",
                en=f"{name}: unknown file type {suffix or '(none)'}: send .csv or .xlsx",
            ),
            code="unknown-file-type",
        )
    with tempfile.TemporaryDirectory(prefix="klynge-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        return _import(table, path, name, dry_run, principal, lang, face)


class ExportResult(BaseModel):
    table: str
    file: str
    rows: int
    possible_personal_data: list[str] = Field(
        default_factory=list,
        description="Columns that hold, or as free text may hold, personal data.",
    )


class FileResult(BaseModel):
    """A file for a face to save or send: its suggested name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes
    possible_personal_data: list[str] = Field(default_factory=list)


MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_target(path: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output file that cannot be written before any work is done (and before a
    writer half-creates it)."""
    if path.suffix.lower() not in suffixes:
        raise InvalidInput(
            Text(
                da=f"{path}: ukendt filtype {path.suffix!r}: brug {' eller '.join(suffixes)}",
                en=f"{path}: unknown file type {path.suffix!r}: use {' or '.join(suffixes)}",
            ),
            code="unknown-file-type",
        )
    if path.is_dir():
        raise InvalidInput(
            Text(da=f"{path} er en mappe, ikke en fil", en=f"{path} is a folder, not a file"),
            code="is-a-folder",
        )
    if not path.parent.is_dir():
        raise InvalidInput(
            Text(
                da=f"{path}: mappen {path.parent} findes ikke",
                en=f"{path}: the folder {path.parent} does not exist",
            ),
            code="no-such-folder",
        )


def cannot_write(path: Path, exc: OSError) -> InvalidInput:
    reason = exc.strerror or str(exc)
    return InvalidInput(
        Text(da=f"kan ikke skrive {path}: {reason}", en=f"cannot write {path}: {reason}"),
        code="cannot-write",
    )


def _export(table: str, path: Path, principal: Principal | None, face: Face | None) -> int:
    from klynge.registry.files import TooManyRows
    from klynge.storage.transfer import export_table

    name = table_name(table)
    cluster = registry_scope(principal)
    try:
        rows = with_database(lambda engine: export_table(engine, name, path, cluster=cluster))
        log_table_access(principal, name, "export", rows, face)
        return rows
    except TooManyRows as exc:
        path.unlink(missing_ok=True)
        raise InvalidInput(exc.text, code="too-many-rows") from None
    except OSError as exc:
        raise cannot_write(path, exc) from None


def export_path(
    table: str, path: Path, *, principal: Principal | None, face: Face | None = None
) -> ExportResult:
    """Write a table to a .csv or .xlsx file in the form import reads."""
    check_target(path, (".csv", ".xlsx"))
    rows = _export(table, path, principal, face)
    name = table_name(table)
    return ExportResult(
        table=name, file=str(path), rows=rows, possible_personal_data=personal_columns(name)
    )


def personal_columns(table: str) -> list[str]:
    """The columns of ``table`` that hold, or (free text) may hold, personal data."""
    from klynge.registry.tables import PERSONAL_DATA

    return list(PERSONAL_DATA.get(table, ()))


def export_file(
    table: str, fmt: str, *, principal: Principal | None, face: Face | None = None
) -> FileResult:
    """A table as the bytes of a CSV or XLSX file (for a download)."""
    if fmt not in MEDIA_TYPES:
        raise InvalidInput(
            Text(da="format: brug csv eller xlsx", en="format: use csv or xlsx"),
            code="unknown-format",
        )
    name = table_name(table)
    with tempfile.TemporaryDirectory(prefix="klynge-export-") as tmp:
        path = Path(tmp) / f"{name}.{fmt}"
        _export(name, path, principal, face)
        content = path.read_bytes()
    return FileResult(
        filename=f"{name}.{fmt}",
        media_type=MEDIA_TYPES[fmt],
        content=content,
        possible_personal_data=personal_columns(name),
    )


# -- reading rows -------------------------------------------------------------------------------
class OrganisationRow(BaseModel):
    id: int
    key: str
    cvr: str | None
    name: str
    kind: str
    employees: int | None
    employees_on: date | None
    municipality: str | None
    nuts2: str | None
    nace: str | None
    country: str
    synthetic: bool


class MembershipRow(BaseModel):
    id: int
    organisation: str = Field(description="The organisation's key.")
    cluster: str
    from_date: date
    to_date: date | None


class ActivityRow(BaseModel):
    id: int
    cluster: str
    ref: str
    type: str
    title: str
    start_date: date
    end_date: date
    nuts2: str | None
    funding_source: str | None
    funding_dkk: int
    private_cofinancing_dkk: int
    synthetic: bool


class ParticipationRow(BaseModel):
    id: int
    organisation: str
    cluster: str
    activity: str = Field(description="The activity's ref within its cluster.")
    role: str


class OutcomeRow(BaseModel):
    id: int
    organisation: str
    cluster: str
    activity: str
    type: str
    reported_on: date
    text: str | None


class ContactRow(ContactFields):
    """A contact person: personal data."""

    id: int


class HeadcountRow(BaseModel):
    """One dated head count of an organisation (the history the accounts size companies by)."""

    id: int
    organisation: str = Field(description="The organisation's key.")
    employees: int
    counted_on: date | None = Field(description="The day counted; null for an undated count.")


RegistryRow = (
    OrganisationRow
    | MembershipRow
    | ActivityRow
    | ParticipationRow
    | OutcomeRow
    | ContactRow
    | HeadcountRow
)
ROW_MODELS: dict[str, type[BaseModel]] = {
    "organisations": OrganisationRow,
    "memberships": MembershipRow,
    "activities": ActivityRow,
    "participations": ParticipationRow,
    "outcomes": OutcomeRow,
    "contacts": ContactRow,
    "headcounts": HeadcountRow,
}


class RegistryPage(BaseModel):
    """A page of one table, in file form (organisations by key, activities by cluster and ref),
    each row with its database id."""

    table: str
    items: list[RegistryRow]
    total: int
    offset: int
    limit: int


def _check_page(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            Text(
                da=f"offset må ikke være negativ, og limit skal være mellem 1 og {MAX_LIMIT}",
                en=f"offset must not be negative, and limit must be between 1 and {MAX_LIMIT}",
            ),
            code="bad-page",
        )


def list_rows(
    table: str,
    *,
    offset: int = 0,
    limit: int = 100,
    principal: Principal | None,
    face: Face | None = None,
) -> RegistryPage:
    """One page of a table; staff see their own cluster's rows only."""
    from klynge.storage.transfer import read_rows

    name = table_name(table)
    cluster = registry_scope(principal)
    _check_page(offset, limit)
    rows, total = with_database(
        lambda engine: read_rows(engine, name, cluster=cluster, offset=offset, limit=limit)
    )
    log_table_access(principal, name, "read", len(rows), face)
    model = ROW_MODELS[name]
    return RegistryPage(
        table=name,
        items=[model.model_validate(r) for r in rows],  # type: ignore[misc]
        total=total,
        offset=offset,
        limit=limit,
    )


def get_row(
    table: str, row_id: int, *, principal: Principal | None, face: Face | None = None
) -> RegistryRow:
    """One row by id. A row another cluster owns is "not found", as if it did not exist."""
    from klynge.storage.transfer import read_row

    name = table_name(table)
    cluster = registry_scope(principal)
    row = with_database(lambda engine: read_row(engine, name, row_id, cluster=cluster))
    if row is None:
        raise NotFound(
            Text(
                da=f"{table_spec(name).sheet_da} har ingen række {row_id}",
                en=f"{name} has no row {row_id}",
            ),
            code="no-such-row",
        )
    log_table_access(principal, name, "read", 1, face)
    return ROW_MODELS[name].model_validate(row)  # type: ignore[return-value]


# -- demo data ----------------------------------------------------------------------------------
class DemoResult(BaseModel):
    url: str
    organisations: int
    memberships: int
    activities: int
    participations: int
    participations_asked: int
    outcomes: int
    replaced_synthetic: bool = Field(description="Earlier demo data was replaced.")
    mixed_with_real: bool = Field(description="Demo data now sits beside real rows (--force).")


def demo_data(
    *,
    organisations: int = 20_000,
    activities: int = 2_000,
    participations: int = 200_000,
    seed: int = 1,
    force: bool = False,
) -> DemoResult:
    """Fill the database with a synthetic registry, every row flagged and named as such."""
    from klynge.storage import database_url, describe_url
    from klynge.storage.demo import generate

    r = with_database(
        lambda engine: generate(
            engine,
            organisations=organisations,
            activities=activities,
            participations=participations,
            seed=seed,
            force=force,
        )
    )
    return DemoResult(
        url=describe_url(database_url()),
        organisations=r.organisations,
        memberships=r.memberships,
        activities=r.activities,
        participations=r.participations,
        participations_asked=participations,
        outcomes=r.outcomes,
        replaced_synthetic=r.replaced_synthetic,
        mixed_with_real=r.mixed_with_real,
    )


# -- clusters -----------------------------------------------------------------------------------
class ClusterRef(BaseModel):
    slug: str
    name: str


def resolve_cluster(name: str) -> ClusterRef:
    """A cluster organisation by slug or name, through the landscape's one resolver (a tie
    between a cluster and its own area, "fintech" or "sound", means the cluster here)."""
    from klynge.services.landscape import resolve_cluster as resolve

    cluster = resolve(name)
    return ClusterRef(slug=cluster.slug, name=cluster.name)


# -- accounts -----------------------------------------------------------------------------------
class CompanyCount(BaseModel):
    total: int
    fewer_than_50_employees: int


class OutcomeFigure(CompanyCount):
    text: str = Field(description="The figure in Cluster Excellence Denmark's wording.")


class AccountRules(BaseModel):
    participants: str
    outcomes: str
    activities_by_type: str
    private_cofinancing_share: str
    headcount: str = ""
    foreign_companies: str = ""


class ClusterFigures(BaseModel):
    name: str
    rule: str
    companies: int
    fewer_than_50_employees: int
    outcomes: dict[str, int]


class AccountLine(BaseModel):
    """One line of the account as tables, CSV and XLSX show it."""

    section: str
    key: str
    label: str
    value: int | float | None
    sme: int | None = Field(description="Of which companies with fewer than 50 employees.")
    rule: str
    sentence: str


class AccountResult(BaseModel):
    """A performance account (resultatregnskab), nationally or for one cluster."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    scope: str = Field(description="'national' or the cluster's slug.")
    cluster_name: str | None
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    title: str
    rule: str
    rules: AccountRules
    synthetic: bool
    notes: list[str] = Field(
        description="What to know first: synthetic data, unknown sizes, and the coverage caveats."
    )
    caveats: list[Caveat]
    companies: CompanyCount
    companies_size_unknown: int
    companies_foreign: int = Field(
        0, description="Participating companies outside Denmark (no CVR number to deduplicate)."
    )
    headcount_after_period: int = Field(
        0, description="Companies sized by a count made after the period (none before its end)."
    )
    headcount_undated: int = Field(0, description="Companies sized by an undated count.")
    outcomes_after_period: int = Field(
        0,
        description="Outcome reports of the period's activities made after its end (not counted).",
    )
    companies_by_size_class: dict[str, int]
    outcomes: dict[str, OutcomeFigure]
    knowledge_institutions: int
    international_participants: int
    organisations: int
    activities_by_type: dict[str, int]
    funding_dkk: int
    private_cofinancing_dkk: int
    private_cofinancing_share: float | None
    by_cluster: dict[str, ClusterFigures]
    lines: list[AccountLine]


def _bad_period(da: str, en: str) -> InvalidInput:
    return InvalidInput(Text(da=da, en=en), code="bad-period")


def _period(source: Any, year: int | None, start: date | None, end: date | None) -> Any:
    """The account's period; a missing end is the later of the last activity's end and the
    last outcome report, a missing start the first activity's start (``source``: an engine or
    an account reader; ``None`` when the period needs no database)."""
    from klynge.accounts import Period

    if year is not None and (start or end):
        raise _bad_period(
            "brug enten et år (--year) eller en periode (--from/--to)",
            "use either a year (--year) or a period (--from/--to)",
        )
    if year is not None:
        if not MINYEAR <= year <= MAXYEAR:
            raise _bad_period(
                f"år {year} er ikke et årstal mellem {MINYEAR} og {MAXYEAR}",
                f"year {year} is not a year between {MINYEAR} and {MAXYEAR}",
            )
        return Period.year(year)
    if (start is None or end is None) and source is not None:
        from klynge.storage.account_sql import Reader, spans

        if isinstance(source, Reader):
            first, last, reported = spans(source)
        else:
            with source.connect() as conn:
                first, last, reported = spans(Reader.of(conn))
        if last is not None and reported is not None and reported > last:
            last = reported  # outcomes reported after the last activity ended count too
        start = start or first
        end = end or last
    start = start or date.today()
    end = end or date.today()
    if end < start:
        raise _bad_period(
            f"perioden slutter ({end}) før den begynder ({start})",
            f"the period ends ({end}) before it starts ({start})",
        )
    return Period(start, end)


def coverage_caveats(start: date, end: date, lang: str | None) -> list[Caveat]:
    """Say when the period reaches into a programme whose clusters the landscape does not list."""
    from klynge.landscape import get_landscape

    ls = get_landscape()
    out: list[Caveat] = []
    for p in ls.programmes.values():
        if p.kind != "cluster-programme" or p.clusters is not None:
            continue
        if p.start <= end and (p.end is None or p.end >= start):
            known = len(ls.clusters_on(p.start))
            n = "?" if p.organisations_funded is None else str(p.organisations_funded)
            message = (
                f"{p.name.da}: landskabet kender kun {known} af programmets {n} klynger, så "
                "aktiviteternes datoer er ikke kontrolleret mod deres perioder."
                if lang == "da"
                else f"{p.name.en}: the landscape lists only {known} of the programme's {n} "
                "clusters, so activity dates were not checked against their terms."
            )
            out.append(Caveat(code="clusters-unknown", message=message))
    return sorted(out, key=lambda c: c.message)


def _cluster_names(slugs: Any) -> dict[str, str]:
    from klynge.landscape import get_landscape

    clusters = get_landscape().clusters
    return {s: clusters[s].name for s in slugs if s in clusters}


@contextmanager
def _sqlite_errors(url: str) -> Iterator[None]:
    """:func:`_database_errors` for the plain ``sqlite3`` path, which has no SQLAlchemy."""
    import sqlite3

    try:
        yield
    except sqlite3.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unavailable(
            Text(da=f"databasefejl ({url}): {reason}", en=f"database error ({url}): {reason}"),
            code="database-error",
        ) from None


def _read(engine: Engine | None, call: Callable[[Any], R]) -> R:
    """``call(reader)`` on an account reader (:class:`klynge.storage.account_sql.Reader`).

    A command on a SQLite file at the newest revision reads it through ``sqlite3`` directly:
    importing SQLAlchemy would cost more than the account itself. Everything else (PostgreSQL,
    a file to create or migrate, a process that already holds an engine) goes through the
    engine, with the same SQL on its driver connection.
    """
    from klynge.storage.account_sql import Reader

    if engine is None:
        from klynge.storage.light import database_url, open_current_sqlite

        url = database_url()
        raw = None if url in _engines else open_current_sqlite(url)
        if raw is not None:
            try:
                with _sqlite_errors(url):
                    return call(Reader(raw, "sqlite"))
            finally:
                raw.close()
        engine = database()
    with _database_errors(str(engine.url)), engine.connect() as conn:
        return call(Reader.of(conn))


_EMPTY = Text(
    da="registret er tomt: der er intet at tælle; indlæs organisationer og "
    "aktiviteter med `klynge import` (eller prøv `klynge demo-data`)",
    en="the registry is empty: there is nothing to count; import "
    "organisations and activities with `klynge import` (or try "
    "`klynge demo-data`)",
)


def _compute(
    cluster: str | None,
    year: int | None,
    start: date | None,
    end: date | None,
    principal: Principal | None,
    engine: Engine | None = None,
) -> Account:
    from klynge.accounts.report import Account
    from klynge.storage.account_sql import account_of, is_empty, outcomes_after

    require_token(principal)
    ref = resolve_cluster(cluster) if cluster is not None else None
    check_account(principal, ref.slug if ref else None)
    slug = ref.slug if ref else None
    # A period that needs no database is checked before the database is opened.
    given = year is not None or (start is not None and end is not None)
    known = _period(None, year, start, end) if given else None

    def read(r: Any) -> tuple[Any, Any, Any, int]:
        if is_empty(r):
            raise NotFound(_EMPTY, code="registry-empty")
        period = known or _period(r, year, start, end)
        figures, by_cluster = account_of(r, period, slug)
        return period, figures, by_cluster, outcomes_after(r, period, slug)

    period, figures, by_cluster, late = _read(engine, read)
    acc = Account(
        period,
        figures,
        slug,
        ref.name if ref else None,
        by_cluster,
        _cluster_names(by_cluster),
    )
    acc.outcomes_after_period = late
    return acc


def _late_caveat(n: int, end: date, lang: str | None) -> list[Caveat]:
    if n == 0:
        return []
    message = (
        f"{n} resultat(er) fra periodens aktiviteter er indberettet efter {end} og tælles ikke "
        "med her (resultater tælles i den periode, de blev indberettet i)."
        if lang == "da"
        else f"{n} outcome report(s) of the period's activities were made after {end} and are "
        "not counted here (outcomes count in the period they were reported in)."
    )
    return [Caveat(code="outcomes-after-period", message=message)]


def _result(acc: Account, lang: str | None) -> AccountResult:
    doc = acc.to_json(lang)
    late = acc.outcomes_after_period
    doc["outcomes_after_period"] = late
    caveats = _late_caveat(late, acc.period.end, lang)
    caveats += coverage_caveats(acc.period.start, acc.period.end, lang)
    doc["notes"] += [c.message for c in caveats]
    doc["caveats"] = caveats
    doc["title"] = acc.title(lang)
    doc["lines"] = [AccountLine(**vars(ln)) for ln in acc.lines(lang)]
    return AccountResult.model_validate(doc)


def account(
    cluster: str | None = None,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    lang: str | None = None,
    principal: Principal | None,
) -> AccountResult:
    """The performance account for one cluster (slug or name) or, without one, the country.

    The period is a calendar ``year``, or ``start``..``end``; a missing end defaults to the first
    start or last end of any activity (today on an empty registry).
    """
    return _result(_compute(cluster, year, start, end, principal), lang)


def account_file(
    cluster: str | None = None,
    *,
    fmt: str,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    lang: str | None = None,
    principal: Principal | None,
) -> FileResult:
    """The account as CSV (its notes as the first rows) or XLSX, with a file name that says
    what it holds: ``account-made-2023-01-01-2023-12-31.xlsx``."""
    if fmt not in MEDIA_TYPES:
        raise InvalidInput(
            Text(da="format: brug json, csv eller xlsx", en="format: use json, csv or xlsx"),
            code="unknown-format",
        )
    acc = _compute(cluster, year, start, end, principal)
    scope = acc.cluster or ("hele-landet" if lang == "da" else "national")
    stem = "resultatregnskab" if lang == "da" else "account"
    filename = f"{stem}-{scope}-{acc.period.start}-{acc.period.end}.{fmt}"
    content = acc.to_csv(lang).encode("utf-8") if fmt == "csv" else acc.to_xlsx(lang)
    return FileResult(filename=filename, media_type=MEDIA_TYPES[fmt], content=content)


def tour_account(lang: str | None, year: int = 2023) -> AccountResult:
    """A national account over a small synthetic registry in a temporary SQLite file, which is
    deleted afterwards: the tour touches nothing of the user's."""
    from klynge.services.auth import LOCAL
    from klynge.storage import make_engine, upgrade
    from klynge.storage.demo import generate

    with tempfile.TemporaryDirectory(prefix="klynge-tour-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'tour.db'}")
        try:
            upgrade(engine)
            generate(engine, organisations=2_000, activities=200, participations=20_000)
            return _result(_compute(None, year, None, None, LOCAL, engine), lang)
        finally:
            engine.dispose()
