"""Demo data: labelled synthetic, deterministic, valid, and never mixed silently with real rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from registry_helpers import Db, Loader
from sqlalchemy import func, select

from klynge.landscape import get_landscape
from klynge.registry.model import is_cvr
from klynge.registry.tables import Checks
from klynge.storage.demo import DemoRefused, generate
from klynge.storage.models import Activity, Organisation, Outcome, Participation
from klynge.storage.transfer import export_table, import_table


def test_demo_rows_are_flagged_and_named_synthetic(db: Db) -> None:
    r = generate(db.engine, organisations=200, activities=30, participations=900, seed=2)
    assert (r.organisations, r.activities, r.participations) == (200, 30, 900)
    assert r.outcomes > 0 and not r.mixed_with_real
    with db.engine.connect() as conn:
        orgs = conn.execute(select(Organisation.name, Organisation.cvr, Organisation.synthetic))
        for name, cvr, synthetic in orgs:
            assert synthetic and "(synthetic)" in name and name.startswith("Syntetisk")
            assert cvr is None or is_cvr(cvr)
        assert all(conn.execute(select(Activity.synthetic)).scalars())
        clusters = set(conn.execute(select(Activity.cluster)).scalars())
        assert len(clusters) == 13 and "marlog" not in clusters
        n_out = conn.execute(select(func.count()).select_from(Outcome)).scalar_one()
    assert n_out == r.outcomes


def test_demo_data_passes_the_import_validation(db: Db, tmp_path: Path) -> None:
    generate(db.engine, organisations=150, activities=25, participations=600, seed=4)
    checks = Checks.from_landscape(get_landscape())
    for table in ("organisations", "activities", "participations", "outcomes"):
        path = tmp_path / f"{table}.csv"
        export_table(db.engine, table, path)
        report = import_table(db.engine, table, path, checks=checks)
        assert (report.inserted, report.updated) == (0, 0), table


def test_same_seed_same_data_and_rerun_replaces(db: Db) -> None:
    def snapshot() -> list[tuple[object, ...]]:
        with db.engine.connect() as conn:
            q = select(Organisation.key, Organisation.employees).order_by(Organisation.key)
            return [tuple(r) for r in conn.execute(q)]

    generate(db.engine, organisations=80, activities=10, participations=300, seed=9)
    first = snapshot()
    again = generate(db.engine, organisations=80, activities=10, participations=300, seed=9)
    assert again.replaced_synthetic
    assert snapshot() == first
    with db.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(Participation)).scalar_one()
    assert n == 300


def test_refuses_to_mix_with_real_rows_unless_forced(db: Db, load_sample: Loader) -> None:
    load_sample(db.engine)
    with pytest.raises(DemoRefused, match="real"):
        generate(db.engine, organisations=20, activities=5, participations=50)
    r = generate(db.engine, organisations=20, activities=5, participations=50, force=True)
    assert r.mixed_with_real
    with db.engine.connect() as conn:
        real = conn.execute(
            select(func.count()).select_from(Organisation).where(Organisation.synthetic.is_(False))
        ).scalar_one()
    assert real == 5
