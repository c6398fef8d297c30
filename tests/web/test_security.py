"""Sessions, CSRF tokens and the login limiter."""

from __future__ import annotations

import logging

import pytest

from klynge.web import security
from klynge.web.security import (
    LoginLimiter,
    csrf_ok,
    csrf_token,
    make_session,
    new_nonce,
    read_session,
)


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(security.SECRET_ENV, "s" * 40)
    security.secret_key.cache_clear()


def test_a_session_round_trips_and_expires() -> None:
    cookie = make_session("user", 7, 3, now=1000)
    s = read_session(cookie, now=1001)
    assert s is not None and (s.kind, s.ident, s.generation) == ("user", 7, 3)
    assert read_session(cookie, now=1000 + security.SESSION_SECONDS) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # the signature
        lambda c: "x" + c,  # the payload
        lambda c: c.split(".")[0],  # no signature
        lambda c: "",
        lambda c: "garbage.garbage",
    ],
)
def test_a_forged_or_damaged_session_is_no_session(tamper) -> None:  # type: ignore[no-untyped-def]
    cookie = make_session("token", 1, now=1000)
    assert read_session(tamper(cookie), now=1001) is None


def test_a_session_made_with_another_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    cookie = make_session("token", 1)
    monkeypatch.setenv(security.SECRET_ENV, "t" * 40)
    security.secret_key.cache_clear()
    assert read_session(cookie) is None


def test_another_user_cannot_be_named_by_editing_the_payload() -> None:
    import base64
    import json

    cookie = make_session("user", 3, 0)
    payload, mac = cookie.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["id"] = 1
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert read_session(f"{forged}.{mac}") is None


def test_csrf_tokens() -> None:
    nonce = new_nonce()
    assert csrf_ok(nonce, csrf_token(nonce))
    assert not csrf_ok(nonce, csrf_token(new_nonce()))
    assert not csrf_ok(None, csrf_token(nonce))
    assert not csrf_ok(nonce, None)
    assert not csrf_ok(nonce, "")


def test_the_secret_file_is_made_once_and_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(security.SECRET_ENV)
    monkeypatch.setattr(security, "_secret_file", lambda: tmp_path / "k" / "secret_key")
    security.secret_key.cache_clear()
    first = security.secret_key()
    security.secret_key.cache_clear()
    assert security.secret_key() == first and len(first) >= 32
    assert (tmp_path / "k" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_short_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(security.SECRET_ENV, "short")
    security.secret_key.cache_clear()
    with pytest.raises(ValueError, match=security.SECRET_ENV):
        security.secret_key()


def test_the_login_limiter(caplog: pytest.LogCaptureFixture) -> None:
    limiter = LoginLimiter(limit=3, window=60)
    with caplog.at_level(logging.WARNING, logger="klynge.web.auth"):
        for i in range(3):
            assert limiter.blocked_for("10.0.0.1", now=100 + i) == 0
            limiter.failed("10.0.0.1", "unknown token", now=100 + i)
    assert limiter.blocked_for("10.0.0.1", now=103) == pytest.approx(57)
    assert limiter.blocked_for("10.0.0.2", now=103) == 0  # another address
    assert limiter.blocked_for("10.0.0.1", now=161) == 0  # the window has passed
    assert [r.getMessage() for r in caplog.records] == [
        "failed login from 10.0.0.1: unknown token"
    ] * 3
    limiter.failed("10.0.0.3", "x", now=1)
    limiter.succeeded("10.0.0.3")
    assert limiter.blocked_for("10.0.0.3", now=2) == 0


def test_forwarded_headers_count_only_behind_a_trusted_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(security.PROXY_ENV, raising=False)
    assert security.request_scheme("http", "https") == "http"
    assert security.client_address("10.0.0.1", "203.0.113.9") == "10.0.0.1"
    monkeypatch.setenv(security.PROXY_ENV, "1")
    assert security.request_scheme("http", "https, http") == "https"
    assert security.client_address("10.0.0.1", "1.2.3.4, 203.0.113.9") == "203.0.113.9"
