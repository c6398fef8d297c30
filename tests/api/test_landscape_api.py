"""The landscape over HTTP: status codes, problem documents, caching, pages, languages, caveats,
and the same JSON as the CLI's ``--json``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from klynge.api import landscape as api_landscape
from klynge.api.app import create_app
from klynge.cli.main import app as cli_app
from klynge.landscape import DATA_DIR, load_landscape
from klynge.services import landscape as svc

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    api_landscape.clear_cache()
    with TestClient(create_app()) as c:
        yield c
    api_landscape.clear_cache()


def get(client: TestClient, url: str, **headers: str) -> dict:
    r = client.get(url, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()


def problem(client: TestClient, url: str, status: int, **headers: str) -> dict:
    r = client.get(url, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == status and body["detail"]
    return body


# -- lists ----------------------------------------------------------------------------------
def test_clusters_on_a_date(client: TestClient) -> None:
    data = get(client, "/api/v1/clusters?on=2021-01-01")
    assert data["on"] == "2021-01-01" and data["total"] == 14 and len(data["items"]) == 14
    assert data["offset"] == 0 and data["limit"] is None
    assert [c["code"] for c in data["caveats"]] == ["headquarters-unknown"]
    after = get(client, "/api/v1/clusters?on=2023-01-01")
    assert after["total"] == 13


def test_caveats_for_2026(client: TestClient) -> None:
    for url in ("/api/v1/clusters?on=2026-01-01", "/api/v1/areas?on=2026-01-01"):
        codes = [c["code"] for c in get(client, url)["caveats"]]
        assert "list-unknown" in codes, url
    caveat = get(client, "/api/v1/areas?on=2026-01-01")["caveats"][0]
    assert "11" in caveat["message"] and "31 December 2024" in caveat["message"]


def test_region_by_name_and_kind(client: TestClient) -> None:
    by_name = get(client, "/api/v1/clusters?on=2021-06-01&region=Midtjylland")
    by_en = get(client, "/api/v1/clusters?on=2021-06-01&region=Central%20Denmark")
    by_code = get(client, "/api/v1/clusters?on=2021-06-01&region=DK04")
    assert by_name == by_en == by_code and by_code["total"] == 4
    emerging = get(client, "/api/v1/clusters?on=2021-06-01&kind=emerging")
    assert {c["slug"] for c in emerging["items"]} == {
        "odense-robotics",
        "vision-denmark",
        "danish-sound-cluster",
        "censec",
    }


def test_pagination(client: TestClient) -> None:
    page = get(client, "/api/v1/clusters?on=2021-01-01&offset=10&limit=5")
    whole = get(client, "/api/v1/clusters?on=2021-01-01")
    assert (page["total"], page["offset"], page["limit"]) == (14, 10, 5)
    assert page["items"] == whole["items"][10:]
    assert len(get(client, "/api/v1/areas?limit=3")["items"]) == 3
    for bad in ("limit=0", "offset=-1", "limit=100000", "limit=x"):
        problem(client, f"/api/v1/clusters?{bad}", 422)


def test_areas_programmes_regions_focal_points(client: TestClient) -> None:
    areas = get(client, "/api/v1/areas?on=2021-06-01&kind=stronghold")
    assert areas["total"] == 11 and areas["kind"] == "stronghold"
    programmes = get(client, "/api/v1/programmes?on=2022-01-01")
    assert [p["in_force"] for p in programmes["items"]] == [True, True, False]
    regions = get(client, "/api/v1/regions?on=2021-01-01")
    assert [r["code"] for r in regions["items"]] == ["DK01", "DK02", "DK03", "DK04", "DK05"]
    assert sum(len(r["clusters"]) for r in regions["items"]) == 11
    fps = get(client, "/api/v1/focal-points")
    assert fps["total"] == 4 and fps["items"][0]["slug"] == "one-national-organisation"


def test_geography_and_the_export_document(client: TestClient) -> None:
    geo = get(client, "/api/v1/geography?on=2021-01-01")
    assert geo["on"] == "2021-01-01" and geo["by_part"]["jutland"] == 6
    assert geo["claims"][0]["verdict"] == "possible"
    doc = get(client, "/api/v1/landscape")
    assert len(doc["clusters"]) == 14 and doc["areas"][0]["name"]["da"]


# -- one record -----------------------------------------------------------------------------
def test_one_record_by_path_and_by_lookup(client: TestClient) -> None:
    area = get(client, "/api/v1/areas/energy-technology?on=2021-06-01")
    assert area["type"] == "area" and area["cluster"] == "energy-cluster-denmark"
    cluster = get(client, "/api/v1/clusters/odense-robotics?on=2021-06-01")
    assert cluster["type"] == "cluster" and cluster["active"] is True
    assert cluster["record"]["terms"]
    prog = get(client, "/api/v1/programmes/innovationskraft")
    assert prog["type"] == "programme" and prog["record"]["budget_dkk_million"] == 640
    looked_up = get(client, "/api/v1/lookup?name=Odense%20Robotic&on=2021-06-01")
    assert looked_up == cluster
    checks = get(client, "/api/v1/clusters/marlog/focal-points?on=2023-01-01")
    assert checks["checks"][0]["outcome"] == "not-met"


def test_names_that_fail(client: TestClient) -> None:
    body = problem(client, "/api/v1/lookup?name=sound", 409)
    assert body["code"] == "ambiguous-name"
    assert {e["message"].split()[0] for e in body["errors"]} == {
        "danish-sound-cluster",
        "sound-technology",
    }
    missing = problem(client, "/api/v1/lookup?name=robotic%20odense%20cluster%20center", 404)
    assert "odense-robotics" in missing["detail"]
    assert problem(client, "/api/v1/clusters/innovationskraft", 404)["code"] == ("not-a-cluster")
    problem(client, "/api/v1/areas/hairdressers", 404)
    problem(client, "/api/v1/lookup", 422)  # the name is required


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("on", ["2023-13-01", "yesterday", "2021-02-30", "0", "20210101", ""])
def test_bad_date_is_a_problem_document(client: TestClient, on: str) -> None:
    body = problem(client, f"/api/v1/clusters?on={on}", 422)
    assert body["code"] == "invalid-request"


def test_unknown_region_and_kind(client: TestClient) -> None:
    body = problem(client, "/api/v1/clusters?region=Atlantis&lang=da", 422)
    assert body["code"] == "unknown-region" and "Region Midtjylland" in body["detail"]
    assert problem(client, "/api/v1/areas?kind=sleepy", 422)["code"] == "invalid-request"
    problem(client, "/api/v1/clusters?lang=fr", 422)


# -- languages ------------------------------------------------------------------------------
def test_language_by_query_and_by_header(client: TestClient) -> None:
    url = "/api/v1/areas?on=2021-06-01"
    by_query = client.get(url + "&lang=da")
    by_header = client.get(url, headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})
    english = client.get(url)
    assert by_query.json()["items"][0]["name"] == "Miljøteknologi"
    assert by_header.json() == by_query.json()
    assert english.json()["items"][0]["name"] == "Environmental technology"
    assert by_query.headers["content-language"] == "da"
    assert english.headers["content-language"] == "en"
    assert by_query.headers["etag"] != english.headers["etag"]
    # ?lang= wins over the header
    assert client.get(url + "&lang=en", headers={"Accept-Language": "da"}).json() == english.json()


# -- caching --------------------------------------------------------------------------------
def test_etag_and_not_modified(client: TestClient) -> None:
    url = "/api/v1/clusters?on=2021-01-01"
    first = client.get(url)
    tag = first.headers["etag"]
    assert tag.startswith('"') and "max-age" in first.headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.content == first.content
    for path in ("/api/v1/areas", "/api/v1/regions", "/api/v1/geography", "/api/v1/landscape"):
        r = client.get(path)
        assert r.headers["etag"] and r.headers["cache-control"], path
        assert client.get(path, headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_cached_answers_equal_fresh_ones(client: TestClient) -> None:
    url = "/api/v1/clusters?on=2021-06-01&region=DK04&lang=da"
    first = client.get(url).content
    assert client.get(url).content == first  # from the cache of raw requests
    api_landscape.clear_cache()
    assert client.get(url).content == first  # computed again
    fresh = svc.list_clusters(date(2021, 6, 1), "da", region="DK04").model_dump(mode="json")
    assert json.loads(first) == fresh


def test_openapi_documents_the_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/api/v1/clusters"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/ClusterList")
    params = {p["name"] for p in spec["paths"]["/api/v1/clusters"]["get"]["parameters"]}
    assert params == {"on", "lang", "kind", "region", "offset", "limit"}
    for path in (
        "/api/v1/areas/{slug}",
        "/api/v1/programmes",
        "/api/v1/regions",
        "/api/v1/lookup",
        "/api/v1/focal-points",
        "/api/v1/landscape",
    ):
        assert path in spec["paths"], path


def test_broken_data_is_503(client: TestClient, tmp_path: Path, monkeypatch) -> None:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    (root / "regions.toml").write_text("not = [valid", encoding="utf-8")
    monkeypatch.setattr(svc, "get_landscape", lambda: load_landscape(root))
    api_landscape.clear_cache()
    try:
        body = problem(client, "/api/v1/clusters?on=2021-01-01", 503)
        assert body["code"] == "landscape-data"
        assert body["errors"][0]["location"]["file"] == "regions.toml"
    finally:
        api_landscape.clear_cache()


# -- the CLI and the API agree -------------------------------------------------------------------
runner = CliRunner()


def cli_json(*args: str) -> dict:
    result = runner.invoke(cli_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("cli", "url"),
    [
        (("clusters", "--on", "2021-01-01"), "/api/v1/clusters?on=2021-01-01"),
        (
            ("clusters", "--on", "2021-06-01", "--region", "Midtjylland", "--lang", "da"),
            "/api/v1/clusters?on=2021-06-01&region=Midtjylland&lang=da",
        ),
        (("areas", "--on", "2021-06-01", "--lang", "da"), "/api/v1/areas?on=2021-06-01&lang=da"),
        (("areas", "--on", "2026-01-01"), "/api/v1/areas?on=2026-01-01"),
        (
            ("show", "odense-robotics", "--on", "2021-06-01"),
            "/api/v1/clusters/odense-robotics?on=2021-06-01",
        ),
        (
            ("show", "Odense Robotic", "--on", "2021-06-01"),
            "/api/v1/lookup?name=Odense%20Robotic&on=2021-06-01",
        ),
        (("programmes", "--on", "2022-01-01"), "/api/v1/programmes?on=2022-01-01"),
        (("geography",), "/api/v1/geography"),
        (("clusters",), "/api/v1/clusters"),  # the one default date, stated in both
        (("clusters", "--on", "2022-04-10"), "/api/v1/clusters?on=2022-04-10"),
        (("show", "marlog", "--on", "2030-01-01"), "/api/v1/clusters/marlog?on=2030-01-01"),
        (
            ("areas", "--on", "2020-01-01", "--lang", "da"),
            "/api/v1/areas?on=2020-01-01&lang=da",
        ),
        (("focal-points", "--lang", "da"), "/api/v1/focal-points?lang=da"),
        (
            ("focal-points", "marlog", "--on", "2023-01-01"),
            "/api/v1/clusters/marlog/focal-points?on=2023-01-01",
        ),
    ],
)
def test_cli_json_equals_api_json(client: TestClient, cli: tuple[str, ...], url: str) -> None:
    from_cli = cli_json(*cli)
    from_api = get(client, url)
    assert from_cli == from_api
    if "items" in from_api:
        assert from_cli["items"] and from_cli["items"] == from_api["items"]


def test_export_landscape_equals_the_api_document(client: TestClient, tmp_path: Path) -> None:
    target = tmp_path / "landscape.json"
    result = runner.invoke(cli_app, ["export-landscape", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == get(client, "/api/v1/landscape")
