"""The regions API: uploads, the operator's sample, problems, and the same JSON as the CLI."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from klynge.api.app import create_app
from klynge.cli.main import app as cli_app
from klynge.services.regions import SAMPLE_ENV

V1 = "/api/v1"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def a10(shared_data: Path) -> Path:
    return shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"


@pytest.fixture
def sample(a10: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SAMPLE_ENV, str(a10))
    return a10


def cli_json(*args: str) -> object:
    result = CliRunner().invoke(cli_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def upload(path: Path, name: str | None = None) -> dict[str, tuple[str, bytes]]:
    return {"file": (name or path.name, path.read_bytes())}


def problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert isinstance(body, dict)
    return body


# -- CLI JSON and API JSON are the same model ------------------------------------------------
def test_nodes_json_is_the_same_from_cli_upload_and_sample(
    client: TestClient, sample: Path
) -> None:
    cli = cli_json("regions", "nodes", str(sample), "--year", "2010")
    posted = client.post(f"{V1}/regions/nodes?year=2010", files=upload(sample))
    assert posted.status_code == 200, posted.text
    assert posted.json() == cli
    got = client.get(f"{V1}/regions/nodes", params={"year": 2010})
    assert got.json() == cli
    # The same holds in Danish, and for the ecosystem-free defaults of every option.
    cli_da = cli_json("regions", "nodes", str(sample), "--lang", "da")
    assert client.get(f"{V1}/regions/nodes?lang=da").json() == cli_da
    assert cli_da != cli_json("regions", "nodes", str(sample))


def test_maturity_json_is_the_same_from_cli_and_api(client: TestClient) -> None:
    assert client.get(f"{V1}/maturity/DK").json() == cli_json("maturity", "DK")
    da = client.get(f"{V1}/maturity/DK", headers={"Accept-Language": "da"})
    assert da.json() == cli_json("maturity", "DK", "--lang", "da")
    assert da.headers["content-language"] == "da"
    on = client.get(f"{V1}/maturity/DK?on=2026-01-01").json()
    assert on == cli_json("maturity", "DK", "--on", "2026-01-01")
    assert [c["code"] for c in on["caveats"]] == ["unknown-organisations"]


def test_lq_and_indices_agree_with_the_cli(client: TestClient, sample: Path) -> None:
    cli = cli_json("regions", "lq", str(sample), "--year", "2005", "--region", "DK04", "--strong")
    api = client.get(f"{V1}/regions/lq?year=2005&region=DK04&strong=true").json()
    assert api == cli and {r["region"] for r in api["rows"]} == {"DK04"}
    cli = cli_json("regions", "indices", str(sample), "--from", "2003", "--to", "2012")
    api = client.post(f"{V1}/regions/indices?from=2003&to=2012", files=upload(sample)).json()
    assert api == cli and (api["first_year"], api["last_year"]) == (2003, 2012)


def test_organisations_agree_with_the_cli(client: TestClient) -> None:
    api = client.get(f"{V1}/regions/organisations?on=2022-01-01").json()
    assert api == cli_json("regions", "organisations", "--on", "2022-01-01")
    assert sum(r["count"] for r in api["regions"]) == 14


# -- uploads ---------------------------------------------------------------------------------
def test_upload_formats(client: TestClient, tmp_path: Path, a10: Path) -> None:
    import polars as pl

    long_rows = ["region,activity,year,value"]
    for region, vals in (("DK01", (80, 20)), ("DK02", (10, 90))):
        for act, v in zip(("J62", "C21"), vals, strict=True):
            long_rows.append(f"{region},{act},2020,{v}")
    text = "\n".join(long_rows) + "\n"
    tsv = "unit,nace_r2,geo\\time\t2020\nTHS,J62,DK01\t80\nTHS,C21,DK01\t20\n"
    tsv += "THS,J62,DK02\t10\nTHS,C21,DK02\t: c\n"
    sdmx = "DATAFLOW,LAST UPDATE,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    sdmx += "".join(
        f"ESTAT:X,d,A,{a},{g},2020,{v},\n"
        for g, a, v in (("DK01", "J62", 80), ("DK01", "C21", 20), ("DK02", "J62", 10))
    )
    buf = io.BytesIO()
    pl.read_csv(io.StringIO(text)).write_parquet(buf)
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    for line in long_rows:
        sheet.append([int(c) if c.isdigit() else c for c in line.split(",")])
    xlsx = io.BytesIO()
    wb.save(xlsx)
    cases = {
        "long.csv": text.encode(),
        "eurostat.tsv": tsv.encode(),
        "sdmx.csv": sdmx.encode(),
        "data.parquet": buf.getvalue(),
        "no-ending": buf.getvalue(),  # Parquet told by its magic bytes
        "tal.xlsx": xlsx.getvalue(),
        "workbook": xlsx.getvalue(),
    }
    for name, content in cases.items():
        r = client.post(f"{V1}/regions/lq?reference=sum", files={"file": (name, content)})
        assert r.status_code == 200, (name, r.text)
        rows = {(x["region"], x["activity"]): x for x in r.json()["rows"]}
        assert rows[("DK01", "J62")]["employment"] == 80, name
    # The suppressed TSV cell stays null, never 0.
    r = client.post(f"{V1}/regions/lq?reference=sum", files={"file": ("e.tsv", tsv.encode())})
    cell = next(x for x in r.json()["rows"] if (x["region"], x["activity"]) == ("DK02", "C21"))
    assert cell["employment"] is None and cell["lq"] is None and cell["flag"] == "c"


def test_csv_answers_carry_the_warnings(client: TestClient, a10: Path) -> None:
    r = client.post(f"{V1}/regions/nodes?format=csv&lang=da", files=upload(a10))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["Region", "Antal knudepunkter", "Knudepunkt 1"]
    assert rows[0][-1] == "Advarsler"
    assert all(row[-1].startswith("aggregates-left-out: Udeladt") for row in rows[1:])
    # A10 sections: the CSV says too that this is Table 1's layout, not the published table.
    assert all("table1-layout-only: Dataene er NACE-hovedafsnit" in row[-1] for row in rows[1:])
    assert r.headers["x-klynge-warnings"] == "2"
    lq = client.post(f"{V1}/regions/lq?format=csv&all_years=true", files=upload(a10))
    recs = list(csv.DictReader(io.StringIO(lq.text)))
    assert len({r["year"] for r in recs}) == 19 and all(r["warnings"] for r in recs)


def test_ecosystem_nodes_with_an_uploaded_mapping(client: TestClient) -> None:
    rows = ["region,activity,year,value"]
    for region, vals in (("DK01", (30, 80, 100)), ("EU27_2020", (100, 400, 1000))):
        for act, v in zip(("C21", "J62", "Q86"), vals, strict=True):
            rows.append(f"{region},{act},2020,{v}")
    data = ("\n".join(rows) + "\n").encode()
    bundled = client.post(
        f"{V1}/regions/nodes?reference=EU27&level=ecosystem", files={"file": ("d.csv", data)}
    ).json()
    assert bundled["layout"] == "table2" and bundled["mapping"] is None
    assert "approximate-ecosystem-mapping" in [w["code"] for w in bundled["warnings"]]
    mapping = b"nace,ecosystem\nC21,health\nJ62,digital\nQ86,\n"
    own = client.post(
        f"{V1}/regions/nodes?reference=EU27&level=ecosystem",
        files={"file": ("d.csv", data), "mapping": ("mine.csv", mapping)},
    ).json()
    assert own["mapping"] == "mine.csv"  # the client's name, not a server path
    # Q86 outside every ecosystem: health is C21 alone, 30/210 against 100/1500.
    assert bundled["regions"][0]["top"] == []
    assert own["regions"][0]["top"] == ["health"]
    assert own["regions"][0]["top_lq"] == [pytest.approx((30 / 210) / (100 / 1500))]


# -- problems --------------------------------------------------------------------------------
def test_a_bad_file_is_a_422_naming_file_row_and_column(client: TestClient) -> None:
    bad = b"region,activity,year,value\nDK01,J,2018,12\nDK02,J,2018,x\n"
    body = problem(
        client.post(f"{V1}/regions/lq", files={"file": ("bad.csv", bad)}), 422, "invalid-data"
    )
    assert body["location"] == {"file": "bad.csv", "row": 3, "column": "value"}
    assert str(body["detail"]).startswith("file bad.csv, row 3, column 'value'")
    assert tempfile.gettempdir() not in json.dumps(body)
    da = client.post(f"{V1}/regions/lq?lang=da", files={"file": ("bad.csv", bad)})
    assert "række 3" in da.json()["detail"]
    # Bytes that are no text: refused, named by the client's file name, whatever the reader's code.
    junk = client.post(f"{V1}/regions/nodes", files={"file": ("x.tsv", b"\xff\xfe\x00junk\t1\n")})
    assert junk.status_code == 422
    assert junk.headers["content-type"] == "application/problem+json"
    assert junk.json()["location"]["file"] == "x.tsv" and "x.tsv" in junk.json()["detail"]
    problem(client.post(f"{V1}/regions/nodes", files={"file": ("e.csv", b"")}), 422, "invalid-data")


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\evil.csv", "a/b.csv", ".env"])
def test_path_traversal_in_file_names_is_refused(client: TestClient, name: str) -> None:
    good = b"region,activity,year,value\nDK01,J,2018,1\nDK02,J,2018,2\n"
    body = problem(
        client.post(f"{V1}/regions/nodes", files={"file": (name, good)}), 422, "bad-file-name"
    )
    assert body["location"] == {"field": "file"}


def test_a_reference_is_never_a_server_path(client: TestClient, a10: Path) -> None:
    for ref in (str(a10), "../x", "a.csv"):
        r = client.post(f"{V1}/regions/nodes", params={"reference": ref}, files=upload(a10))
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    problem(
        client.post(f"{V1}/regions/nodes?reference=XX", files=upload(a10)), 422, "unknown-reference"
    )


def test_no_sample_configured(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SAMPLE_ENV, raising=False)
    for what in ("lq", "nodes", "indices"):
        body = problem(client.get(f"{V1}/regions/{what}"), 404, "no-sample")
        assert SAMPLE_ENV in str(body["detail"]) and "POST" in str(body["detail"])
    da = client.get(f"{V1}/regions/nodes?lang=da").json()
    assert "eksempeldatasæt" in da["detail"]


def test_bad_parameters(client: TestClient, sample: Path) -> None:
    problem(client.get(f"{V1}/regions/nodes?top=0"), 422, "invalid-request")
    problem(client.get(f"{V1}/regions/nodes?level=bogus"), 422, "invalid-request")
    problem(client.get(f"{V1}/regions/lq?relevance=2"), 422, "invalid-request")
    problem(client.get(f"{V1}/regions/lq?spec=nan"), 422, "invalid-request")
    problem(client.get(f"{V1}/regions/lq?year=2030"), 422, "invalid-data")
    problem(client.get(f"{V1}/regions/lq?region=DK09"), 422, "invalid-data")
    problem(client.get(f"{V1}/regions/lq?filter=nodim"), 422, "invalid-request")
    problem(client.get(f"{V1}/regions/organisations?on=yesterday"), 422, "invalid-request")
    problem(client.get(f"{V1}/regions/organisations?on=0"), 422, "invalid-request")  # not 1970
    problem(client.get(f"{V1}/maturity/DK?on=2023-02-30"), 422, "bad-date")
    problem(client.get(f"{V1}/maturity/SE"), 404, "no-policy-data")
    problem(client.post(f"{V1}/regions/nodes"), 422, "invalid-request")  # no file


def test_openapi_describes_the_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/regions/lq", "/api/v1/regions/nodes", "/api/v1/regions/indices"):
        assert {"get", "post"} <= set(paths[path])
        ok = paths[path]["post"]["responses"]["200"]["content"]
        assert "application/json" in ok and "text/csv" in ok
    schema = paths["/api/v1/maturity/{country}"]["get"]["responses"]["200"]["content"]
    assert schema["application/json"]["schema"]["$ref"].endswith("/MaturityResult")
    assert "NodesTable" in spec["components"]["schemas"]


def test_other_methods_name_both_get_and_post(client: TestClient) -> None:
    for path in ("lq", "nodes", "indices"):
        r = client.put(f"{V1}/regions/{path}")
        assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
        assert r.headers["content-type"] == "application/problem+json"


def test_organisations_chart(client: TestClient) -> None:
    svg = client.get(f"{V1}/regions/organisations/chart?on=2026-01-01&lang=da")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "Klyngeorganisationer" in svg.text and "2026-01-01" in svg.text
    assert svg.headers["x-klynge-warnings"] == "2"  # an unknown list, unknown headquarters
    png = client.get(f"{V1}/regions/organisations/chart?format=png")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
