"""The shipped migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from registry_helpers import Db
from sqlalchemy import inspect, text

from klynge.storage import current_revision, upgrade
from klynge.storage.engine import downgrade, head_revision, known_revisions
from klynge.storage.models import Base


def test_migrated_schema_matches_the_models(db: Db) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(db.engine) == head_revision() == max(known_revisions())


def test_downgrade_and_upgrade_again(db: Db) -> None:
    downgrade(db.engine, "base")
    with db.engine.connect() as conn:
        assert not set(inspect(conn).get_table_names()) & {"organisation", "participation"}
    upgrade(db.engine)
    with db.engine.connect() as conn:
        assert {"organisation", "membership", "activity", "participation", "outcome"} <= set(
            inspect(conn).get_table_names()
        )


def test_migrating_a_new_database_warns_of_nothing_and_keeps_the_key_index(db: Db) -> None:
    """The batch migrations reflect ``organisation`` on SQLite; the reflector's warning about its
    expression index is not shown (``klynge serve --demo`` printed it on every start), and the
    index itself survives every migration, down and up again."""
    downgrade(db.engine, "base")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        upgrade(db.engine)
        downgrade(db.engine, "0009")
        upgrade(db.engine)
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'organisation'"
        if db.engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'organisation'"
    )
    with db.engine.connect() as conn:
        names = {row[0] for row in conn.execute(text(sql))}
    assert "uq_organisation_key_lower" in names


def test_revisions_read_from_file_names_match_alembic() -> None:
    from alembic.script import ScriptDirectory

    from klynge.storage.engine import _config, known_revisions

    script = ScriptDirectory.from_config(_config())
    assert known_revisions() == {s.revision for s in script.walk_revisions()}
    assert head_revision() == script.get_current_head()


def test_revision_0011_marks_no_existing_slot_cancelled_and_goes_back_keeping_slots(
    db: Db,
) -> None:
    """Slots made before 0011 come out live; going back keeps every slot row (none renumbered)."""
    from sqlalchemy import text

    downgrade(db.engine, "0010")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO match_event (cluster, ref, name, tables, request_days) "
                "VALUES ('made', 'old', 'Old', 2, 14)"
            )
        )
        eid = conn.execute(text("SELECT id FROM match_event WHERE ref = 'old'")).scalar_one()
        for pos in (0, 1):
            conn.execute(
                text(
                    "INSERT INTO match_slot (event_id, position, starts_at, ends_at) VALUES "
                    f"({eid}, {pos}, '2026-11-20 1{pos}:00:00', '2026-11-20 1{pos}:20:00')"
                )
            )
    upgrade(db.engine)
    with db.engine.begin() as conn:
        rows = conn.execute(text("SELECT position, cancelled FROM match_slot ORDER BY position"))
        assert [(p, bool(c)) for p, c in rows] == [(0, False), (1, False)]
        conn.execute(text("UPDATE match_slot SET cancelled = true WHERE position = 1"))
    downgrade(db.engine, "0010")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM match_slot")).scalar_one() == 2
        assert "cancelled" not in {c["name"] for c in inspect(conn).get_columns("match_slot")}
    upgrade(db.engine)


def test_revision_0012_stores_vectors_that_go_with_their_profile_and_goes_back(db: Db) -> None:
    """Profiles made before 0012 keep their rows and have no vectors; a vector is deleted with
    its profile (the foreign key cascades, on both databases); going back drops the table."""
    from sqlalchemy import text

    downgrade(db.engine, "0011")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisation (key, name, kind, country, synthetic) "
                "VALUES ('v-1', 'Vektor ApS', 'company', 'DK', false)"
            )
        )
        oid = conn.execute(text("SELECT id FROM organisation WHERE key = 'v-1'")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO match_profile (organisation_id, language, offers, seeks, areas, "
                "technologies, partner_kinds, countries, hidden, updated_at) VALUES "
                f"({oid}, 'da', 'Droner', 'Data', '', '', '', '', false, '2026-12-05 10:00:00')"
            )
        )
    upgrade(db.engine)
    with db.engine.begin() as conn:
        pid = conn.execute(text("SELECT id FROM match_profile")).scalar_one()
        assert conn.execute(text("SELECT count(*) FROM match_vector")).scalar_one() == 0
        conn.execute(
            text(
                "INSERT INTO match_vector (profile_id, side, text_hash, model, vector) "
                "VALUES (:p, 'query', :h, 'm', :v)"
            ),
            {"p": pid, "h": "0" * 64, "v": bytes(1536)},
        )
        stored = conn.execute(text("SELECT vector FROM match_vector")).scalar_one()
        assert bytes(stored) == bytes(1536)
        conn.execute(text("DELETE FROM match_profile WHERE id = :p"), {"p": pid})
        assert conn.execute(text("SELECT count(*) FROM match_vector")).scalar_one() == 0
    downgrade(db.engine, "0011")
    with db.engine.connect() as conn:
        assert "match_vector" not in set(inspect(conn).get_table_names())
    upgrade(db.engine)
