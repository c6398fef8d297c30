"""The registry over HTTP, on SQLite and PostgreSQL: rows, import, export, accounts, tokens.

The fixtures here are shared with ``test_tenancy.py``: a fresh database (a SQLite file, or a
PostgreSQL schema of its own), an app pointed at it, and tokens for every role.
"""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import load_workbook
from sqlalchemy import event
from typer.testing import CliRunner

from klynge.api.app import create_app
from klynge.cli.main import app as cli_app
from klynge.services.auth import LOCAL, create_token
from klynge.services.registry import dispose_engines

PG_URL = os.environ.get(
    "KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

SAMPLE = {
    "organisations": (
        "key,cvr,name,kind,employees,country\n"
        ",29863997,Nr. Nebel Salonskytteforening,company,12,DK\n"
        "se-1,,Svensk Robot AB,company,30,SE\n"
        "de-1,,Deutsche Maschinen GmbH,company,300,DE\n"
        "aau,,Aalborg Universitet,university,,DK\n"
    ),
    "memberships": (
        "organisation,cluster,from_date,to_date\n"
        "29863997,clean,2021-03-01,\n"
        "aau,made,2021-01-01,2024-12-31\n"
    ),
    "activities": (
        "cluster,ref,type,title,start_date,end_date,funding_dkk,private_cofinancing_dkk\n"
        "clean,W1,workshop,Vand og varme,2023-03-01,2023-03-01,100000,20000\n"
        "made,P1,rd-project,Robotsvejsning,2022-01-01,2023-06-30,1000000,500000\n"
    ),
    "participations": (
        "organisation,cluster,activity,role\n"
        "29863997,clean,W1,participant\n"
        "se-1,clean,W1,participant\n"
        "de-1,made,P1,lead\n"
        "aau,made,P1,partner\n"
    ),
    "outcomes": (
        "organisation,cluster,activity,type,reported_on,text\n"
        "29863997,clean,W1,competences,2023-04-01,Ny viden\n"
        "de-1,made,P1,products,2023-09-15,Ny svejsecelle\n"
    ),
}
ORDER = tuple(SAMPLE)


@cache
def _postgres_problem() -> str | None:
    from sqlalchemy import create_engine, text

    try:
        with create_engine(PG_URL, connect_args={"connect_timeout": 3}).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"PostgreSQL at {PG_URL} is unreachable: {exc}"
    return None


@dataclass
class Api:
    client: TestClient
    url: str
    tokens: dict[str, str]

    def get(self, path: str, who: str | None = None) -> Response:
        return self.client.get(f"/api/v1{path}", headers=self.auth(who))

    def auth(self, who: str | None) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {self.tokens[who]}"}

    def upload(
        self, table: str, content: str | bytes, who: str | None, name: str = "x.csv", **q: str
    ) -> Response:
        data = content.encode() if isinstance(content, str) else content
        return self.client.post(
            f"/api/v1/registry/{table}/import",
            files={"file": (name, data, "text/csv")},
            params=q,
            headers=self.auth(who),
        )


def _database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'api.db'}"
        return
    problem = _postgres_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem + " (CI requires it)")
        pytest.skip(problem)
    from sqlalchemy import create_engine, text

    schema = f"klynge_api_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        # The app reads only the URL, so the schema travels in it as the search path.
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Api]:
    """An app on a fresh database holding the sample, and a token for every role."""
    for url in _database(request.param, tmp_path):
        monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
        monkeypatch.delenv("KLYNGE_LANG", raising=False)
        tokens = {
            "admin": create_token("admin", principal=LOCAL).token,
            "analyst": create_token("analyst", principal=LOCAL).token,
            "clean": create_token("staff", "CLEAN", principal=LOCAL).token,
            "made": create_token("staff", "made", principal=LOCAL).token,
        }
        with TestClient(create_app()) as client:
            a = Api(client, url, tokens)
            for table in ORDER:
                r = a.upload(table, SAMPLE[table], "admin", f"{table}.csv")
                assert r.status_code == 200, r.text
            yield a
        dispose_engines()


def _ids(a: Api, table: str) -> dict[str, int]:
    """Row ids by the row's cluster (the first of each), as the admin sees them."""
    out: dict[str, int] = {}
    for row in a.get(f"/registry/{table}", "admin").json()["items"]:
        out.setdefault(row.get("cluster", row.get("key")), row["id"])
    return out


def test_without_a_token_the_registry_is_closed(api: Api) -> None:
    for path in ("/registry/activities", "/registry/activities/1", "/accounts/national",
                 "/accounts/made", "/registry/activities/export", "/tokens"):  # fmt: skip
        r = api.get(path)
        assert r.status_code == 401, path
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "token-required"
    r = api.upload("activities", SAMPLE["activities"], None)
    assert r.status_code == 401
    api.tokens["bad"] = "klynge_not-a-token"
    r = api.get("/registry/activities", "bad")
    assert r.status_code == 401 and r.json()["code"] == "bad-token"


def test_admin_lists_pages_and_reads_rows(api: Api) -> None:
    page = api.get("/registry/participations?limit=3&offset=1", "admin").json()
    assert page["total"] == 4 and page["offset"] == 1 and len(page["items"]) == 3
    first = api.get("/registry/organisations", "admin").json()["items"][0]
    assert first["key"] == "29863997" and first["cvr"] == "29863997"
    one = api.get(f"/registry/organisations/{first['id']}", "admin").json()
    assert one == first
    r = api.get("/registry/organisations/999999", "admin")
    assert r.status_code == 404 and r.json()["code"] == "no-such-row"
    r = api.get("/registry/companies", "admin")
    assert r.status_code == 422


def test_import_reports_and_dry_run_saves_nothing(api: Api) -> None:
    extra = SAMPLE["activities"] + "clean,W2,conference,Ren energi,2024-05-01,,0,0\n"
    r = api.upload("activities", extra, "admin", "aktiviteter.csv", dry_run="true")
    body = r.json()
    assert r.status_code == 200
    assert body["dry_run"] is True and body["imported"] is False
    assert (body["inserted"], body["unchanged"], body["file"]) == (1, 2, "aktiviteter.csv")
    assert api.get("/registry/activities", "admin").json()["total"] == 2
    r = api.upload("activities", extra, "admin", "aktiviteter.csv")
    assert r.json()["imported"] is True
    assert api.get("/registry/activities", "admin").json()["total"] == 3


def test_a_bad_upload_names_every_problem_by_row_and_column(api: Api) -> None:
    bad = "key,cvr,name,kind,employees\n,12345678,Bad,company,-2\n"
    r = api.client.post(
        "/api/v1/registry/organisations/import?lang=da",
        files={"file": ("../../etc/passwd.csv", bad.encode(), "text/csv")},
        headers=api.auth("admin"),
    )
    body = r.json()
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert body["code"] == "import-failed" and body["detail"].startswith("intet blev indlæst")
    where = {(e["location"]["file"], e["location"]["row"], e["location"]["column"])
             for e in body["errors"]}  # fmt: skip
    assert where == {("passwd.csv", 2, "cvr"), ("passwd.csv", 2, "employees")}
    r = api.upload("organisations", b"x", "admin", name="evil.exe")
    assert r.status_code == 422 and r.json()["code"] == "unknown-file-type"


def test_xlsx_upload_and_export_round_trip(api: Api) -> None:
    r = api.get("/registry/activities/export?format=xlsx", "admin")
    assert r.status_code == 200
    assert r.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="activities.xlsx"' in r.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(r.content), read_only=True)["activities"]
    assert next(sheet.iter_rows(values_only=True))[:2] == ("cluster", "ref")
    again = api.upload("activities", r.content, "admin", "activities.xlsx")
    assert again.status_code == 200, again.text
    assert again.json()["unchanged"] == 2


def test_accounts_in_json_csv_and_xlsx(api: Api) -> None:
    doc = api.get("/accounts/national?year=2023", "analyst").json()
    assert doc["scope"] == "national" and doc["from"] == "2023-01-01"
    assert doc["companies"] == {"total": 3, "fewer_than_50_employees": 2}
    assert set(doc["by_cluster"]) == {"clean", "made"}
    made = api.get("/accounts/made?from=2023-01-01&to=2023-12-31", "analyst").json()
    assert made["scope"] == "made" and made["companies"]["total"] == 1
    csv_text = api.get("/accounts/MADE?year=2023&format=csv&lang=da", "made").text
    assert csv_text.splitlines()[0].startswith("afsnit,nøgle,tekst")
    r = api.get("/accounts/made?year=2023&format=xlsx", "made")
    assert "account-made-2023-01-01-2023-12-31.xlsx" in r.headers["content-disposition"]
    r = api.get("/accounts/made?year=2023&from=2023-01-01", "made")
    assert r.status_code == 422 and r.json()["code"] == "bad-period"
    r = api.get("/accounts/tourism?year=2023", "analyst")
    assert r.status_code == 404 and r.json()["code"] == "not-a-cluster"
    r = api.get("/accounts/nonsense?year=2023", "analyst")
    assert r.status_code == 404


def test_cli_account_json_equals_the_api_account(api: Api) -> None:
    runner = CliRunner()
    for args, path in (
        (["--year", "2023"], "/accounts/national?year=2023"),
        (["--cluster", "made", "--from", "2022-06-01", "--to", "2023-12-31"],
         "/accounts/made?from=2022-06-01&to=2023-12-31"),
        (["--year", "2026", "--lang", "da"], "/accounts/national?year=2026&lang=da"),
    ):  # fmt: skip
        cli = runner.invoke(cli_app, ["account", *args, "--json"])
        assert cli.exit_code == 0, cli.output
        assert json.loads(cli.stdout) == api.get(path, "admin").json()


def test_tokens_over_http(api: Api) -> None:
    r = api.client.post(
        "/api/v1/tokens",
        json={"role": "staff", "cluster": "Odense Robotics", "label": "robot"},
        headers=api.auth("admin"),
    )
    assert r.status_code == 201
    made = r.json()
    assert made["cluster"] == "odense-robotics" and made["token"].startswith("klynge_")
    listed = api.get("/tokens", "admin").json()["tokens"]
    assert made["id"] in [t["id"] for t in listed]
    assert all("token" not in t for t in listed)
    api.tokens["robot"] = made["token"]
    assert api.get("/registry/activities", "robot").json()["total"] == 0
    r = api.client.delete(f"/api/v1/tokens/{made['id']}", headers=api.auth("admin"))
    assert r.status_code == 200 and r.json()["active"] is False
    assert api.get("/registry/activities", "robot").status_code == 401
    for who in ("made", "analyst"):
        assert api.get("/tokens", who).status_code == 403
    r = api.client.post("/api/v1/tokens", json={"role": "staff"}, headers=api.auth("admin"))
    assert r.status_code == 422 and r.json()["code"] == "cluster-required"
    r = api.client.post(
        "/api/v1/tokens", json={"role": "root", "extra": 1}, headers=api.auth("admin")
    )
    assert r.status_code == 422
    assert api.client.delete("/api/v1/tokens/9999", headers=api.auth("admin")).status_code == 404


def test_fifty_concurrent_requests_do_not_drain_the_pool(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """50 clients at once. AnyIO runs 40 sync endpoints at a time, each holding a connection;
    with SQLAlchemy's default pool (5 + 10) the rest wait for one. Here every statement is slowed
    down and a wait of more than a second fails the request, so only a pool sized for the thread
    pool answers them all."""
    import klynge.storage.engine as storage_engine
    from klynge.services.registry import database

    monkeypatch.setattr(storage_engine, "POOL_TIMEOUT", 1)
    dispose_engines()
    engine = database()

    @event.listens_for(engine, "before_cursor_execute")
    def _slow(*_args: object) -> None:
        time.sleep(0.2)

    paths = ["/registry/participations", "/accounts/national?year=2023", "/registry/outcomes"]

    def call(i: int) -> int:
        return api.get(paths[i % len(paths)], "admin").status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(call, range(200)))
    assert codes == [200] * 200


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_national_account_over_200k_participations_within_a_second(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's target, through HTTP. On SQLite the database works inside this process, so
    its CPU time is the server's whole cost and is steadier than the wall clock on a shared
    machine; PostgreSQL works in its own process, so there the wall clock counts."""
    from klynge.services.registry import demo_data

    for url in _database(kind, tmp_path):
        monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
        demo_data(organisations=20_000, activities=2_000, participations=200_000)
        token = create_token("analyst", principal=LOCAL).token
        with TestClient(create_app()) as client:
            headers = {"Authorization": f"Bearer {token}"}
            timings = []
            for _ in range(5):  # the best of five: the machine is shared
                wall, cpu = time.perf_counter(), time.process_time()
                r = client.get("/api/v1/accounts/national?year=2023", headers=headers)
                timings.append(
                    time.process_time() - cpu if kind == "sqlite" else time.perf_counter() - wall
                )
                assert r.status_code == 200
            assert r.json()["synthetic"] is True and r.json()["organisations"] > 10_000
        dispose_engines()
        assert min(timings) <= 1.0, timings
