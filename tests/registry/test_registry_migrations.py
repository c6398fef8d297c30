"""The shipped migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from registry_helpers import Db
from sqlalchemy import inspect

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


def test_revisions_read_from_file_names_match_alembic() -> None:
    from alembic.script import ScriptDirectory

    from klynge.storage.engine import _config, known_revisions

    script = ScriptDirectory.from_config(_config())
    assert known_revisions() == {s.revision for s in script.walk_revisions()}
    assert head_revision() == script.get_current_head()
