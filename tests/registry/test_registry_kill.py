"""SIGKILL in the middle of an import leaves none or all of it, the account summary included, on
SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from registry_helpers import Db, write_csv
from sqlalchemy import func, select

from klynge.storage.account_summary import summary_differences
from klynge.storage.demo import generate
from klynge.storage.models import Activity, Organisation, Participation
from klynge.storage.transfer import import_table

ROWS = 30_000

CHILD = textwrap.dedent(
    """
    import sys
    from klynge.storage import make_engine
    from klynge.storage.transfer import import_table

    url, schema, path = sys.argv[1], sys.argv[2] or None, sys.argv[3]

    def progress(stage: str) -> None:
        print(stage, flush=True)

    import_table(make_engine(url, schema=schema), "participations", path, chunk_size=2000,
                 progress=progress)
    print("done", flush=True)
    """
)


def _participations_file(db: Db, tmp_path: Path) -> Path:
    generate(db.engine, organisations=600, activities=60, participations=0, seed=5)
    with db.engine.connect() as conn:
        orgs = list(conn.execute(select(Organisation.key)).scalars())
        acts = list(conn.execute(select(Activity.cluster, Activity.ref)))
    rows = [
        {"organisation": k, "cluster": c, "activity": r, "role": "participant"}
        for k in orgs
        for c, r in acts
    ][:ROWS]
    assert len(rows) == ROWS
    return write_csv(tmp_path / "participations.csv", rows)


@pytest.mark.parametrize("kill_at", ["staged 10000 rows", "merging", "summarising"])
def test_sigkill_leaves_none_or_all(db: Db, tmp_path: Path, kill_at: str) -> None:
    path = _participations_file(db, tmp_path)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, str(script), db.url, db.schema or "", str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        if line.strip() == kill_at:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert kill_at in seen, f"the import never reached {kill_at!r}: {seen}"
    assert child.returncode == -signal.SIGKILL
    db.engine.dispose()  # drop pooled connections opened before the child ran
    with db.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(Participation)).scalar_one()
    assert n in (0, ROWS)
    with db.engine.begin() as conn:  # the account summary went (or stayed) with the rows
        assert summary_differences(conn) == 0
    # The database is usable afterwards and the import completes.
    report = import_table(db.engine, "participations", path)
    assert report.inserted == ROWS - n
