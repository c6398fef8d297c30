"""Database fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL tests use a fresh schema each, so parallel workers share one database safely. When the
server is unreachable they skip locally but fail in CI (``CI`` set), where they must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from registry_helpers import ORDER, SAMPLE, Db, Loader, write_csv
from sqlalchemy import Engine, create_engine, text

from klynge.storage import make_engine, upgrade

PG_URL = os.environ.get(
    "KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@cache
def _postgres_problem() -> str | None:
    try:
        with create_engine(PG_URL, connect_args={"connect_timeout": 3}).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"PostgreSQL at {PG_URL} is unreachable: {exc}"
    return None


def _sqlite(tmp_path: Path) -> Iterator[Db]:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = make_engine(url)
    upgrade(engine)
    yield Db(engine, url, None)
    engine.dispose()


def _postgres() -> Iterator[Db]:
    problem = _postgres_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem + " (CI requires it)")
        pytest.skip(problem)
    schema = f"klynge_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, schema=schema)
    try:
        upgrade(engine)
        yield Db(engine, PG_URL, schema)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    if request.param == "sqlite":
        yield from _sqlite(tmp_path)
    else:
        yield from _postgres()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Db]:
    yield from _sqlite(tmp_path)


@pytest.fixture
def sample_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "sample"
    folder.mkdir()
    return {t: write_csv(folder / f"{t}.csv", SAMPLE[t]) for t in ORDER}


@pytest.fixture
def load_sample(sample_files: dict[str, Path]) -> Loader:
    from klynge.storage.transfer import import_table

    def load(engine: Engine) -> None:
        for t in ORDER:
            import_table(engine, t, sample_files[t])

    return load


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    """Each test's database URL gets its own engine; close them so none outlives its test."""
    from klynge.services.registry import dispose_engines

    yield
    dispose_engines()
