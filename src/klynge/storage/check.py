"""``klynge db check``: the engine's own integrity check and the registry's rules that
constraints cannot express (or that an older klynge did not enforce).

Each check gives one finding: a code, a bilingual line with the count and a first example, and
the count. Nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine

from klynge.i18n import Text

Finding = tuple[str, Text, int]


def _sqlite_integrity(conn: Connection) -> list[Finding]:
    out: list[Finding] = []
    problems = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    if problems != ["ok"]:
        first = problems[0]
        out.append(
            (
                "sqlite-integrity",
                Text(
                    da=f"SQLite-filen er beskadiget ({len(problems)} fund, fx {first}): gendan "
                    "den fra en sikkerhedskopi",
                    en=f"the SQLite file is damaged ({len(problems)} findings, e.g. {first}): "
                    "restore it from a backup",
                ),
                len(problems),
            )
        )
    broken = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
    if broken:
        table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
        out.append(
            (
                "foreign-keys",
                Text(
                    da=f"{len(broken)} række(r) henviser til rækker, der ikke findes, fx "
                    f"{table} række {rowid} -> {parent}",
                    en=f"{len(broken)} row(s) refer to rows that do not exist, e.g. {table} "
                    f"row {rowid} -> {parent}",
                ),
                len(broken),
            )
        )
    return out


def _rule(
    code: str, sql: str, da: Callable[[int, str], str], en: Callable[[int, str], str]
) -> Callable[[Connection], list[Finding]]:
    def check(conn: Connection) -> list[Finding]:
        rows = list(conn.exec_driver_sql(sql))
        if not rows:
            return []
        n = len(rows)
        example = str(rows[0][0])
        return [(code, Text(da=da(n, example), en=en(n, example)), n)]

    return check


_RULES = [
    _rule(
        "outcome-without-participation",
        "SELECT o.key || ' / ' || a.cluster || ' ' || a.ref FROM outcome oc "
        "JOIN organisation o ON o.id = oc.organisation_id JOIN activity a ON a.id = oc.activity_id "
        "WHERE NOT EXISTS (SELECT 1 FROM participation p WHERE p.organisation_id = "
        "oc.organisation_id AND p.activity_id = oc.activity_id)",
        lambda n, e: f"{n} resultat(er) fra organisationer, der ikke deltog i aktiviteten, fx {e}",
        lambda n, e: (
            f"{n} outcome(s) of organisations that did not take part in the activity, e.g. {e}"
        ),
    ),
    _rule(
        "overlapping-memberships",
        "SELECT o.key || ' / ' || m.cluster FROM membership m JOIN membership n "
        "ON n.organisation_id = m.organisation_id AND n.cluster = m.cluster "
        "AND m.from_date < n.from_date AND (m.to_date IS NULL OR m.to_date >= n.from_date) "
        "JOIN organisation o ON o.id = m.organisation_id",
        lambda n, e: f"{n} overlappende medlemskab(er) i samme klynge, fx {e}",
        lambda n, e: f"{n} overlapping membership(s) in the same cluster, e.g. {e}",
    ),
    _rule(
        "cvr-key-mismatch",
        "SELECT key FROM organisation WHERE cvr IS NOT NULL AND key <> cvr",
        lambda n, e: f"{n} organisation(er), hvis nøgle ikke er CVR-nummeret, fx {e}",
        lambda n, e: f"{n} organisation(s) whose key is not their CVR number, e.g. {e}",
    ),
    _rule(
        "headcount-missing",
        "SELECT o.key FROM organisation o WHERE o.employees IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM headcount h WHERE h.organisation_id = o.id)",
        lambda n, e: (
            f"{n} organisation(er) har et antal ansatte uden historik, fx {e}: "
            "indlæs dem igen med employees_on"
        ),
        lambda n, e: (
            f"{n} organisation(s) have a head count without history, e.g. {e}: "
            "import them again with employees_on"
        ),
    ),
    _rule(
        "activity-outcome-before-start",
        "SELECT a.cluster || ' ' || a.ref FROM outcome oc JOIN activity a "
        "ON a.id = oc.activity_id WHERE oc.reported_on < a.start_date",
        lambda n, e: f"{n} resultat(er) indberettet før aktiviteten begyndte, fx {e}",
        lambda n, e: f"{n} outcome(s) reported before their activity started, e.g. {e}",
    ),
]


def _summary(conn: Connection) -> list[Finding]:
    """The account summary against a full recomputation (rolled back): a write path that
    bypassed it would make accounts wrong without a sign."""
    from klynge.storage.account_summary import summary_differences

    n = summary_differences(conn)
    if not n:
        return []
    return [
        (
            "account-summary",
            Text(
                da=f"resultatregnskabets oversigtstabel afviger fra registret i {n} række(r): "
                "kør `klynge db rebuild-summary`",
                en=f"the account summary differs from the registry in {n} row(s): run "
                "`klynge db rebuild-summary`",
            ),
            n,
        )
    ]


def check_database(engine: Engine) -> list[Finding]:
    """Every finding; an empty list when the database is sound."""
    with engine.connect() as conn:
        out = _sqlite_integrity(conn) if conn.dialect.name == "sqlite" else []
        for rule in _RULES:
            out += rule(conn)
        out += _summary(conn)
    return out
