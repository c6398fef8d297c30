"""Editing one registry row, and a cluster's public figures.

An edit is an import of a one-row file: the row as it stands with the edited fields put in is
written to a temporary CSV file and imported (:func:`klynge.storage.transfer.import_table`), so
an edit meets every check an import does (the validators of :mod:`klynge.registry.tables`, the
references, overlapping memberships, outcomes without a participation, the head-count history)
and is all or nothing. The natural key identifies the row, so the columns that refer to other
rows (organisation, cluster, activity) and an organisation's key and CVR number cannot be edited;
where the key holds a plain value (a membership's start, a participation's role, an outcome's type
and day, a contact's e-mail) a change replaces the row in the same transaction.

Who may edit what (the tenant rule, applied here and not in a face):

- **staff** edit their own cluster's memberships, activities, participations and outcomes, and the
  organisations that are (or were) members of their cluster and those members' contacts;
- a **member** edits its own organisation's profile (name, head count, municipality, region,
  industry code), nothing else; any other row is "not found";
- an **admin** edits any row; an **analyst** none.

Changes to contacts and outcomes (personal data, or free text that may hold it) are written to
the audit log.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from threading import Lock
from typing import Any

from pydantic import BaseModel, Field

from klynge.errors import Forbidden, InvalidInput, KlyngeError, Location, NotFound
from klynge.i18n import Text
from klynge.services.auth import LOCAL, Principal, registry_scope, require_token
from klynge.services.people import Face
from klynge.services.registry import ROW_MODELS, RegistryRow, table_name

EDITABLE: dict[str, tuple[str, ...]] = {
    "organisations": (
        "name",
        "kind",
        "employees",
        "employees_on",
        "municipality",
        "nuts2",
        "nace",
        "country",
    ),
    "memberships": ("from_date", "to_date"),
    "activities": (
        "type",
        "title",
        "start_date",
        "end_date",
        "nuts2",
        "funding_source",
        "funding_dkk",
        "private_cofinancing_dkk",
    ),
    "participations": ("role",),
    "outcomes": ("type", "reported_on", "text"),
    "contacts": (
        "name",
        "email",
        "phone",
        "role",
        "language",
        "newsletter",
        "matchmaking",
        "last_active_on",
    ),
}
"""The columns a person may change, per table (the rest identify the row or refer to others)."""

MEMBER_EDITABLE = ("name", "employees", "employees_on", "municipality", "nuts2", "nace")
"""What a member organisation's contact may change in its own profile."""

BOOLEAN = {"newsletter", "matchmaking", "synthetic"}
AUDITED = {"contacts", "outcomes"}


class RowForm(BaseModel):
    """A row as its edit form shows it: every column, and which of them may be changed."""

    table: str
    id: int
    row: RegistryRow
    editable: list[str]
    personal_data: list[str] = Field(default_factory=list)


class RowSaved(BaseModel):
    table: str
    id: int = Field(description="The row's id now (a changed key gives the row a new id).")
    changed: list[str] = Field(description="The columns whose value changed.")
    notes: list[str]
    row: RegistryRow


def _not_found(name: str, row_id: int) -> NotFound:
    from klynge.registry.tables import table_spec

    return NotFound(
        Text(
            da=f"{table_spec(name).sheet_da} har ingen række {row_id}",
            en=f"{name} has no row {row_id}",
        ),
        code="no-such-row",
    )


def _target(
    name: str, row_id: int, principal: Principal | None
) -> tuple[dict[str, Any], str | None]:
    """The row as it stands (file form) and the cluster the edit is confined to, after the
    tenant rule: another's row is "not found", exactly as if it did not exist."""
    from klynge.services.registry import with_database
    from klynge.storage.rows import is_member
    from klynge.storage.transfer import read_row

    p = require_token(principal)
    if p.role == "member":
        if name != "organisations":
            raise Forbidden(
                Text(
                    da="et medlem retter kun sin egen organisations profil",
                    en="a member edits its own organisation's profile only",
                ),
                code="role-forbidden",
            )
        row = with_database(lambda e: read_row(e, name, row_id, cluster=None))
        if row is None or str(row["key"]).lower() != (p.organisation or "").lower():
            raise _not_found(name, row_id)
        return row, None
    scope = registry_scope(p)  # analysts are refused here
    row = with_database(lambda e: read_row(e, name, row_id, cluster=scope))
    if row is None:
        raise _not_found(name, row_id)
    if scope is not None and name == "organisations":
        key = str(row["key"])
        if not with_database(lambda e: is_member(e, key, scope)):
            raise Forbidden(
                Text(
                    da="en organisation deles af de klynger, den arbejder med: kun dens egne "
                    "klyngers medarbejdere (og en administrator) retter den",
                    en="an organisation is shared by the clusters it works with: only the staff "
                    "of clusters it is a member of (and an administrator) edit it",
                ),
                code="not-a-member",
            )
    return row, scope


def editable_columns(name: str, principal: Principal) -> list[str]:
    return list(MEMBER_EDITABLE if principal.role == "member" else EDITABLE[name])


def row_form(table: str, row_id: int, *, principal: Principal | None) -> RowForm:
    """A row for its edit form, after the tenant rule."""
    from klynge.services.registry import personal_columns

    name = table_name(table)
    row, _ = _target(name, row_id, principal)
    assert principal is not None
    return RowForm(
        table=name,
        id=row_id,
        row=ROW_MODELS[name].model_validate(row),  # type: ignore[arg-type]
        editable=editable_columns(name, principal),
        personal_data=personal_columns(name),
    )


def can_edit(table: str, row_id: int, *, principal: Principal | None) -> bool:
    """Whether the principal may edit this row (the row page offers the edit form only then)."""
    try:
        _target(table_name(table), row_id, principal)
    except (Forbidden, NotFound):
        return False
    return True


def my_organisation(*, principal: Principal | None) -> int:
    """The row id of the organisation a member speaks for."""
    from klynge.services.registry import with_database
    from klynge.storage.rows import organisation_id

    p = require_token(principal)
    if p.role != "member" or not p.organisation:
        raise Forbidden(
            Text(
                da="kun en medlemsorganisations kontaktperson har en profil her",
                en="only a member organisation's contact has a profile here",
            ),
            code="role-forbidden",
        )
    key = p.organisation
    found = with_database(lambda e: organisation_id(e, key))
    if found is None:
        raise NotFound(
            Text(
                da=f"registret har ikke længere organisationen {key}",
                en=f"the registry no longer holds the organisation {key}",
            ),
            code="no-such-organisation",
        )
    return found


def _cell(value: Any) -> Any:
    """A submitted value as a file cell: text as typed, a tick box as true or false."""
    if isinstance(value, bool) or value is None:
        return value
    return str(value)


def _refused(problems: list[tuple[Text, str | None]]) -> InvalidInput:
    n = len(problems)
    return InvalidInput(
        Text(
            da=f"rækken blev ikke gemt: {n} problem(er)",
            en=f"the row was not saved: {n} problem(s)",
        ),
        code="row-refused",
        details=[(text, Location(column=column)) for text, column in problems],
    )


def update_row(
    table: str,
    row_id: int,
    values: Mapping[str, Any],
    *,
    principal: Principal | None,
    lang: str | None = None,
    face: Face | None = None,
) -> RowSaved:
    """Change one row: the editable columns in ``values`` (others are ignored), checked as an
    import checks them, all or nothing. A refusal names each bad field (``details``)."""
    from klynge.landscape import get_landscape
    from klynge.registry.files import write_csv
    from klynge.registry.tables import Checks, parse_row, table_spec
    from klynge.services.people import log
    from klynge.services.registry import with_database
    from klynge.storage.rows import row_id_by_key
    from klynge.storage.transfer import ImportFailed, import_table

    name = table_name(table)
    current, scope = _target(name, row_id, principal)
    assert principal is not None
    spec = table_spec(name)
    editable = editable_columns(name, principal)
    merged = {c: current.get(c) for c in spec.columns}
    for c in editable:
        if c in values:
            merged[c] = _cell(values[c])
    parsed, errors, _ = parse_row(spec, merged, Checks.from_landscape(get_landscape()))
    if parsed is None:
        raise _refused([(e.text, e.column) for e in errors])
    changed = [c for c in editable if parsed.get(c) != current.get(c)]
    if not changed:
        return RowSaved(
            table=name,
            id=row_id,
            changed=[],
            notes=[],
            row=ROW_MODELS[name].model_validate(current),  # type: ignore[arg-type]
        )
    fixed_refs = {"organisation", "cluster", "activity"}
    key_changed = any(k in changed for k in spec.key if k not in fixed_refs)
    if key_changed:
        # The import merges by natural key: a new key that another row already has would
        # silently overwrite that row (and delete this one). Refuse it instead.
        new_key = {
            k: current[k] if k in fixed_refs else parsed[k] for k in spec.key if k in spec.columns
        }
        taken = with_database(lambda e: row_id_by_key(e, name, new_key))
        if taken is not None and taken != row_id:
            moved = [k for k in spec.key if k in changed and k not in fixed_refs]
            raise _refused(
                [
                    (
                        Text(
                            da=f"en anden række (nr. {taken}) har allerede denne nøgle: "
                            "ret den række i stedet",
                            en=f"another row (no. {taken}) already has this key: "
                            "edit that row instead",
                        ),
                        column,
                    )
                    for column in moved
                ]
            )
    with tempfile.TemporaryDirectory(prefix="klynge-edit-") as tmp:
        path = Path(tmp) / f"{name}.csv"
        write_csv(path, spec.columns, [[merged[c] for c in spec.columns]])
        try:
            report = with_database(
                lambda e: import_table(
                    e,
                    name,
                    path,
                    cluster=scope if "cluster" in spec.columns else None,
                    name=f"{name} {row_id}",
                    replacing=row_id if key_changed else None,
                )
            )
        except ImportFailed as exc:
            raise _refused([(p.text, p.column) for p in exc.problems]) from None
    new_id = row_id
    if key_changed:
        key = {
            k: current[k] if k in fixed_refs else parsed[k] for k in spec.key if k in spec.columns
        }
        found = with_database(lambda e: row_id_by_key(e, name, key))
        new_id = found if found is not None else row_id
    if name in AUDITED:
        subject = str(current.get("email")) if name == "contacts" else None
        detail = f"{name} row {row_id} changed ({', '.join(changed)})"
        log(principal, "change", subject, detail, face=face)
        if name == "contacts" and parsed.get("email") != current.get("email"):
            log(principal, "change", str(parsed["email"]), detail, face=face)
    from klynge.storage.transfer import read_row

    after = with_database(lambda e: read_row(e, name, new_id, cluster=None))
    _FIGURES.clear()  # the public figures are recounted on the next cluster page
    return RowSaved(
        table=name,
        id=new_id,
        changed=changed,
        notes=[n.get(lang) for n in report.notes],
        row=ROW_MODELS[name].model_validate(after or current),  # type: ignore[arg-type]
    )


def count_rows(table: str, *, principal: Principal | None) -> int:
    """How many rows of ``table`` the principal may see, reading none of them (so counting
    contacts is no read of personal data for the audit log)."""
    from klynge.services.registry import with_database
    from klynge.storage.transfer import read_rows

    name = table_name(table)
    scope = registry_scope(principal)
    _, total = with_database(lambda e: read_rows(e, name, cluster=scope, offset=0, limit=0))
    return total


# -- a cluster's public figures -------------------------------------------------------------------
class PublicFigures(BaseModel):
    """What the registry says of a cluster in public: counts and its account's headline."""

    cluster: str
    state: str = Field(description="'figures', 'registry-empty', 'no-rows' or 'unavailable'.")
    synthetic: bool = Field(description="The figures come from SYNTHETIC demo data.")
    members_now: int | None = None
    activities: int | None = None
    year: int | None = Field(default=None, description="The year of the account's headline.")
    companies: int | None = None
    companies_fewer_than_50: int | None = None
    activities_in_year: int | None = None
    funding_dkk: int | None = None
    counted_at: float = Field(description="When the figures were counted (Unix time).")


FIGURES_SECONDS = 600.0
"""How long a cluster's public figures are kept before they are counted again."""
_FIGURES: dict[str, PublicFigures] = {}
_figures_lock = Lock()


def public_figures(cluster: str, *, today: date | None = None) -> PublicFigures:
    """A cluster's public figures, counted at most every ten minutes per process (and again
    after an edit): members today, activities, and the headline of its latest year's account.
    An empty registry, or one without this cluster's rows, says so instead of showing zeros."""
    now = time.time()
    hit = _FIGURES.get(cluster)
    if hit is not None and now - hit.counted_at < FIGURES_SECONDS:
        return hit
    figures = _count(cluster, today or date.today(), now)
    with _figures_lock:
        _FIGURES[cluster] = figures
    return figures


def _count(cluster: str, today: date, now: float) -> PublicFigures:
    from klynge.services.registry import account, with_database
    from klynge.storage.rows import cluster_counts

    try:
        counts = with_database(lambda e: cluster_counts(e, cluster, today))
    except KlyngeError:
        return PublicFigures(cluster=cluster, state="unavailable", synthetic=False, counted_at=now)
    if counts.registry_empty:
        return PublicFigures(
            cluster=cluster, state="registry-empty", synthetic=False, counted_at=now
        )
    if counts.activities == 0 and counts.members_now == 0:
        return PublicFigures(cluster=cluster, state="no-rows", synthetic=False, counted_at=now)
    out = PublicFigures(
        cluster=cluster,
        state="figures",
        synthetic=counts.synthetic,
        members_now=counts.members_now,
        activities=counts.activities,
        counted_at=now,
    )
    year = counts.last_activity_year
    if year is not None:
        year = min(year, today.year)
        try:
            acc = account(cluster, year=year, principal=LOCAL)
        except KlyngeError:
            return out
        out.year = year
        out.companies = acc.companies.total
        out.companies_fewer_than_50 = acc.companies.fewer_than_50_employees
        out.activities_in_year = sum(acc.activities_by_type.values())
        out.funding_dkk = acc.funding_dkk
        out.synthetic = out.synthetic or acc.synthetic
    return out
