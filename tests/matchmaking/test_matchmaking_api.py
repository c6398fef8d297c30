"""Matchmaking over HTTP: the roles of the API issue, CLI and API agreeing, problem+json."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from klynge.api.app import create_app
from klynge.cli.main import app as cli_app
from klynge.services.auth import LOCAL, create_token


def _clients(world: Path) -> tuple[TestClient, dict[str, dict[str, str]]]:
    tokens = {
        "admin": create_token("admin", principal=LOCAL).token,
        "clean": create_token("staff", "clean", principal=LOCAL).token,
        "made": create_token("staff", "made", principal=LOCAL).token,
        "analyst": create_token("analyst", principal=LOCAL).token,
    }
    headers = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    return TestClient(create_app()), headers


def test_recommendations_over_http_equal_the_cli(world: Path) -> None:
    client, h = _clients(world)
    r = client.get(
        "/api/v1/matchmaking/profiles/29863997/recommendations?lang=da", headers=h["clean"]
    )
    assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"
    cli = CliRunner().invoke(cli_app, ["match", "recommend", "29863997", "--json", "--lang", "da"])
    assert r.json() == json.loads(cli.output)
    assert client.get("/api/v1/matchmaking/profiles/29863997/recommendations").status_code == 401
    other = client.get("/api/v1/matchmaking/profiles/aau/recommendations", headers=h["clean"])
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")


def test_profiles_by_role_over_http(world: Path) -> None:
    client, h = _clients(world)

    def keys(who: str) -> set[str]:
        r = client.get("/api/v1/matchmaking/profiles", headers=h[who])
        return {p["organisation"] for p in r.json()["items"]}

    assert keys("clean") == {"29863997", "se-1"} and keys("made") == {"aau", "de-1"}
    body = {"offers": "We weld.", "seeks": "We need robots.", "areas": ["nowhere"]}
    bad = client.put("/api/v1/matchmaking/profiles/de-1", json=body, headers=h["made"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["location"]["field"] == "areas"
    body["areas"] = ["advanced-production"]
    ok = client.put("/api/v1/matchmaking/profiles/de-1", json=body, headers=h["made"])
    assert ok.status_code == 200 and ok.json()["areas"] == ["advanced-production"]
    assert (
        client.put("/api/v1/matchmaking/profiles/de-1", json=body, headers=h["analyst"]).status_code
        == 403
    )
    assert (
        client.put("/api/v1/matchmaking/profiles/de-1", json=body, headers=h["clean"]).status_code
        == 404
    )
    csv_text = client.get("/api/v1/matchmaking/profiles/export", headers=h["clean"]).text
    assert "aau" not in csv_text and "29863997" in csv_text
    up = client.post(
        "/api/v1/matchmaking/profiles/import?dry_run=true",
        files={"file": ("p.csv", csv_text.encode(), "text/csv")},
        headers=h["clean"],
    )
    assert up.status_code == 200 and up.json()["unchanged"] == 2


def test_requests_and_events_over_http(world: Path) -> None:
    client, h = _clients(world)
    sent = client.post(
        "/api/v1/matchmaking/requests",
        json={"sender": "29863997", "receiver": "aau"},
        headers=h["clean"],
    )
    assert sent.status_code == 201
    rid = sent.json()["id"]
    # The sender's cluster cannot answer; the receiver's can.
    assert (
        client.post(
            f"/api/v1/matchmaking/requests/{rid}/answer", json={"accept": True}, headers=h["clean"]
        ).status_code
        == 403
    )
    answered = client.post(
        f"/api/v1/matchmaking/requests/{rid}/answer", json={"accept": True}, headers=h["made"]
    )
    assert answered.json()["state"] == "accepted"
    event = {
        "cluster": "made",
        "ref": "b2b",
        "name": "B2B",
        "tables": 1,
        "slots": [{"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"}],
        "participants": [{"email": "anna@nebel.dk"}, {"email": "lars@aau.dk"}],
    }
    assert (
        client.post("/api/v1/matchmaking/events", json=event, headers=h["clean"]).status_code == 403
    )
    assert (
        client.post("/api/v1/matchmaking/events", json=event, headers=h["made"]).status_code == 201
    )
    doc = client.get("/api/v1/matchmaking/events/b2b/document", headers=h["made"]).json()
    assert len(doc["participants"]) == 2 and doc["tables"] == 1
    assert (
        client.get("/api/v1/matchmaking/events/b2b/document", headers=h["clean"]).status_code == 404
    )
