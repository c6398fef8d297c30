"""The application as a whole: problem documents, the body limit, language, health."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from klynge import __version__
from klynge.api.app import create_app
from klynge.api.common import negotiate_lang


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(max_body=1024), raise_server_exceptions=False)


def test_health_names_the_version(client: TestClient) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": __version__}


def test_an_unknown_path_is_a_problem_document(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 404


def test_a_body_over_the_limit_is_refused_with_413_in_the_readers_language(
    client: TestClient,
) -> None:
    r = client.post(
        "/api/v1/route",
        content=b'{"text": "' + b"x" * 4096 + b'"}',
        headers={"content-type": "application/json", "accept-language": "da"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "too-large"
    assert "grænsen" in body["detail"]


def test_a_chunked_body_over_the_limit_is_refused_too(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"y" * 512

    r = client.post("/api/v1/route", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_missing_token_names_the_bearer_scheme(client: TestClient) -> None:
    r = client.get("/api/v1/accounts/national")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("da", "en", "da"),
        (None, "da-DK,da;q=0.9,en;q=0.8", "da"),
        (None, "en-GB,da;q=0.5", "en"),
        (None, "de-DE,da;q=0.7,en;q=0.3", "da"),
        (None, "fr, de", "en"),
        (None, "da;q=0, en;q=0.1", "en"),
        (None, "garbage;;q=x", "en"),
        (None, None, "en"),
    ],
)
def test_the_language_is_negotiated(query: str | None, header: str | None, expected: str) -> None:
    assert negotiate_lang(query, header) == expected


def test_a_body_limit_that_is_not_a_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from klynge.errors import Unavailable

    monkeypatch.setenv("KLYNGE_MAX_UPLOAD_BYTES", "20MB")
    with pytest.raises(Unavailable, match="KLYNGE_MAX_UPLOAD_BYTES"):
        create_app()
    monkeypatch.setenv("KLYNGE_MAX_UPLOAD_BYTES", "2048")
    assert create_app() is not None
