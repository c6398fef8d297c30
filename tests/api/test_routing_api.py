"""POST /api/v1/route and /api/v1/route/batch: answers, refusals, limits and the CLI's twin."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from typer.testing import CliRunner

from klynge.api.app import create_app
from klynge.api.routing import TokenBucket
from klynge.cli.main import app as cli_app

ROUTE = "/api/v1/route"
BATCH = "/api/v1/route/batch"
ON = "2021-06-01"


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.delenv("KLYNGE_ROUTE_RATE_PER_MINUTE", raising=False)
    return TestClient(create_app())


def is_problem(r: Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"]
    return body


def test_route_one_text(client: TestClient) -> None:
    r = client.post(ROUTE, json={"text": "Vi bygger havvindmøller", "on": ON})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["outcome"] == "routed" and body["language"] == "da" and body["on"] == ON
    top = body["clusters"][0]
    assert top["slug"] == "energy-cluster-denmark" and top["name"] == "Energy Cluster Denmark"
    assert r.headers["content-language"] == "da"  # the description's language by default


def test_route_by_nace_and_in_the_asked_language(client: TestClient) -> None:
    r = client.post(ROUTE + "?lang=en", json={"nace": "64.19", "on": ON})
    assert r.status_code == 200
    assert r.json()["clusters"][0]["slug"] == "copenhagen-fintech"
    assert r.headers["content-language"] == "en"
    da = client.post(
        ROUTE, json={"text": "We build wind turbines", "on": ON}, params={"lang": "da"}
    )
    assert da.json()["clusters"][0]["area_name"] == "Energiteknologi"


def test_bad_json_is_a_problem(client: TestClient) -> None:
    r = client.post(ROUTE, content=b'{"text": ', headers={"content-type": "application/json"})
    is_problem(r, 422)
    is_problem(client.post(ROUTE, content=b""), 422)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": 5}, "body.text"),
        ({"text": ["a"]}, "body.text"),
        ({"text": "ships", "on": "yesterday"}, "body.on"),
        ([1, 2], "body"),
    ],
)
def test_wrong_types_are_422(client: TestClient, body: object, field: str) -> None:
    problem = is_problem(client.post(ROUTE, json=body), 422)
    assert [e["location"]["field"] for e in problem["errors"]] == [field]


def test_unknown_fields_are_refused(client: TestClient) -> None:
    problem = is_problem(client.post(ROUTE, json={"text": "ships", "sector": "x"}), 422)
    assert problem["errors"][0]["location"]["field"] == "body.sector"


def test_unknown_language_is_refused(client: TestClient) -> None:
    is_problem(client.post(ROUTE + "?lang=fr", json={"text": "ships"}), 422)


def test_input_the_router_refuses_is_a_bilingual_problem(client: TestClient) -> None:
    problem = is_problem(client.post(ROUTE + "?lang=da", json={"text": ""}), 422)
    assert problem["code"] == "invalid-routing-input"
    assert problem["detail"] == "beskrivelsen er tom"
    assert problem["location"] == {"field": "text"}
    problem = is_problem(client.post(ROUTE, json={"nace": "99.99"}), 422)
    assert "99.99" in str(problem["detail"])


def test_sql_looking_text_is_plain_text(client: TestClient) -> None:
    text = "Robert'); DROP TABLE organisations;-- we build ships"
    r = client.post(ROUTE, json={"text": text, "on": ON})
    assert r.status_code == 200
    assert r.json()["outcome"] in {"routed", "none", "no-cluster-for-area", "insufficient"}


def test_cli_json_equals_api_json(client: TestClient) -> None:
    text = "Vi laver høreapparater og hovedtelefoner"
    for lang in ("da", "en"):
        cli = CliRunner().invoke(
            cli_app,
            ["route", text, "--on", ON, "--json", "--lang", lang, "--model", "fast"],
            env={"KLYNGE_LANG": None},
        )
        assert cli.exit_code == 0, cli.output
        api = client.post(ROUTE, json={"text": text, "on": ON}, params={"lang": lang})
        assert json.loads(cli.stdout) == api.json()


def test_body_over_the_limit_is_413() -> None:
    small = TestClient(create_app(max_body=100))
    problem = is_problem(small.post(ROUTE, json={"text": "x" * 200}), 413)
    assert problem["code"] == "too-large"


# -- batch ------------------------------------------------------------------------------------
def test_batch_upload_round_trip(client: TestClient) -> None:
    data = "id;description\n1;Vi bygger havvindmøller\n2;Frisørsalon\n3;\n".encode("cp1252")
    r = client.post(BATCH, params={"on": ON}, files={"file": ("firmaer.csv", data, "text/csv")})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"firmaer-routed.csv\"; filename*=UTF-8''firmaer-routed.csv"
    )
    assert r.headers["x-klynge-rows"] == "3" and r.headers["x-klynge-errors"] == "1"
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert [row["id"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["cluster"] == "energy-cluster-denmark"
    assert "havvindmøller" in rows[0]["explanation"]  # cp1252 read right, written as UTF-8
    assert rows[2]["error"]


def test_batch_xlsx_upload_without_a_telling_name(client: TestClient) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "description"])
    ws.append(["a", "We build wind turbines"])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post(
        BATCH, params={"on": ON}, files={"file": ("Virksomheder på Ærø", buf.getvalue())}
    )
    assert r.status_code == 200, r.text
    assert "energy-cluster-denmark" in r.text
    assert 'filename="Virksomheder p_ _r_-routed.csv"' in r.headers["content-disposition"]
    assert "Virksomheder%20p%C3%A5%20%C3%86r%C3%B8-routed.csv" in r.headers["content-disposition"]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a/b.csv", ".."]
)
def test_batch_refuses_path_like_file_names(client: TestClient, name: str) -> None:
    r = client.post(BATCH, files={"file": (name, b"id,description\n1,ships\n")})
    problem = is_problem(r, 422)
    assert problem["code"] == "unsafe-file-name"


def test_batch_file_problems_are_422(client: TestClient) -> None:
    r = client.post(BATCH, files={"file": ("x.csv", b"id,text\n1,ships\n")})
    problem = is_problem(r, 422)
    assert "description" in str(problem["detail"])
    assert problem["location"] == {"file": "x.csv", "row": 1}
    is_problem(client.post(BATCH, files={"file": ("x.xlsx", b"PK\x03\x04 broken")}), 422)
    is_problem(client.post(BATCH), 422)  # no file at all


def test_batch_upload_over_the_limit_is_413() -> None:
    small = TestClient(create_app(max_body=1000))
    data = b"id,description\n" + b"1,we build ships\n" * 200
    is_problem(small.post(BATCH, files={"file": ("x.csv", data)}), 413)


# -- rate limit -------------------------------------------------------------------------------
def test_rate_limit_answers_429_with_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLYNGE_ROUTE_RATE_PER_MINUTE", "2")
    limited = TestClient(create_app())
    body = {"text": "We build ships", "on": ON}
    assert limited.post(ROUTE, json=body).status_code == 200
    assert limited.post(ROUTE, json=body).status_code == 200
    r = limited.post(ROUTE, json=body)
    problem = is_problem(r, 429)
    assert problem["code"] == "rate-limited" and "2" in str(problem["detail"])
    assert int(r.headers["retry-after"]) >= 1
    is_problem(limited.post(BATCH, files={"file": ("x.csv", b"id,description\n1,a\n")}), 429)
    # another app (another worker process) has its own budget
    assert TestClient(create_app()).post(ROUTE, json=body).status_code == 200


def test_rate_limit_zero_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLYNGE_ROUTE_RATE_PER_MINUTE", "0")
    unlimited = TestClient(create_app())
    for _ in range(5):
        assert unlimited.post(ROUTE, json={"nace": "64.19"}).status_code == 200


def test_token_bucket_refills(monkeypatch: pytest.MonkeyPatch) -> None:
    import klynge.api.routing as routing

    now = [100.0]
    monkeypatch.setattr(routing.time, "monotonic", lambda: now[0])
    bucket = TokenBucket(60)  # one a second, a burst of 60
    assert all(bucket.take("a") == 0.0 for _ in range(60))
    assert bucket.take("a") == pytest.approx(1.0)
    assert bucket.take("b") == 0.0  # per address
    now[0] += 1.0
    assert bucket.take("a") == 0.0
    assert bucket.take("a") > 0


def test_batch_without_a_date_routes_on_the_default_day_and_says_so(client: TestClient) -> None:
    """An upload without ?on= is routed on the same day as one description and as the CLI's
    files (the last day the records cover in full), not on today's date, whose list of
    clusters may be unknown; the headers name the day and the caveats' codes."""
    data = b"id,description\n1,We build offshore wind turbines\n"
    r = client.post(BATCH, files={"file": ("c.csv", data, "text/csv")})
    assert r.status_code == 200, r.text
    one = client.post(ROUTE, json={"text": "We build offshore wind turbines"}).json()
    assert r.headers["x-klynge-on"] == one["on"]
    assert r.headers["x-klynge-caveats"] == "default-date"
    row = next(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert row["explanation"] == one["explanation"]
    dated = client.post(BATCH, params={"on": ON}, files={"file": ("c.csv", data, "text/csv")})
    assert dated.headers["x-klynge-on"] == ON and dated.headers["x-klynge-caveats"] == ""
