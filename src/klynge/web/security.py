"""Sessions, CSRF tokens and the login limiter for the pages people sign in to.

The server keeps no session table: a session is a signed cookie (HMAC-SHA256 over a small JSON
payload) naming the user (or the API token) and an expiry; what that person may do is looked up
on every request, so that disabling a user or revoking a token ends their sessions at once.
Any worker or machine that shares the secret and the database can read it.

- The secret: ``$KLYNGE_SECRET_KEY``; else a random one kept in the user's data folder
  (created once, mode 600), which the workers on one machine share. Several machines behind a
  load balancer must be given the same ``$KLYNGE_SECRET_KEY``.
- The session cookie is HttpOnly and SameSite=Lax, and Secure when the request came over HTTPS
  (or ``$KLYNGE_SECURE_COOKIES=1`` says a proxy terminates HTTPS in front).
- CSRF: every form that changes state carries a hidden token, the HMAC of a random nonce held in
  its own cookie. A cross-site page can neither read the cookie nor compute the token.
- Logins are limited per client address and per account (:class:`LoginLimiter`), and every
  failed login is logged on the ``klynge.web.auth`` logger with the address and the reason, never
  the secret or password tried.
- Behind a reverse proxy, ``$KLYNGE_TRUST_PROXY=1`` makes ``X-Forwarded-Proto`` and
  ``X-Forwarded-For`` count (for Secure cookies and the limiter); without it they are ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from threading import Lock

log = logging.getLogger("klynge.web.auth")

SECRET_ENV = "KLYNGE_SECRET_KEY"
SECURE_ENV = "KLYNGE_SECURE_COOKIES"
PROXY_ENV = "KLYNGE_TRUST_PROXY"
SESSION_COOKIE = "klynge_session"
CSRF_COOKIE = "klynge_csrf"
CSRF_FIELD = "csrf_token"
SESSION_SECONDS = 8 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _secret_file() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("klynge", appauthor=False)) / "secret_key"


@cache
def secret_key() -> bytes:
    """The signing secret (read once per process)."""
    raw = os.environ.get(SECRET_ENV, "").strip()
    if raw:
        if len(raw) < 32:
            raise ValueError(f"${SECRET_ENV} must be at least 32 characters")
        return raw.encode()
    path = _secret_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(fresh)
    return path.read_text().strip().encode()


def _same(given: str, expected: str) -> bool:
    """Timing-safe equality for text from a request: ``hmac.compare_digest`` raises TypeError
    on non-ASCII ``str`` (a 500 for a stray 'é' in a cookie or form), so compare the bytes."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _sign(purpose: str, message: str) -> str:
    mac = hmac.new(secret_key(), f"{purpose}|{message}".encode(), hashlib.sha256)
    return _b64(mac.digest())


# -- sessions -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Session:
    """Which user (``kind`` "user") or token ("token") a session belongs to, and since when.

    The cookie carries no role: each request asks the services who ``ident`` is now
    (``klynge.services.users.session_person``), so that a disabled user, a changed role or a
    revoked token ends the session at once. ``generation`` is the user's at sign-in.
    """

    kind: str
    ident: int
    generation: int
    issued: int
    expires: int


def make_session(kind: str, ident: int, generation: int = 0, *, now: float | None = None) -> str:
    t = int(now if now is not None else time.time())
    payload = _b64(
        json.dumps(
            {"k": kind, "id": ident, "g": generation, "i": t, "e": t + SESSION_SECONDS},
            separators=(",", ":"),
        ).encode()
    )
    return f"{payload}.{_sign('session', payload)}"


def read_session(cookie: str | None, *, now: float | None = None) -> Session | None:
    """The session in a cookie, or None when it is missing, forged, damaged or expired."""
    if not cookie or "." not in cookie:
        return None
    payload, _, mac = cookie.partition(".")
    if not _same(mac, _sign("session", payload)):
        return None
    try:
        data = json.loads(_unb64(payload))
        session = Session(
            kind=str(data["k"]),
            ident=int(data["id"]),
            generation=int(data["g"]),
            issued=int(data["i"]),
            expires=int(data["e"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if session.kind not in ("user", "token"):
        return None
    if session.expires <= (now if now is not None else time.time()):
        return None
    return session


def _trust_proxy() -> bool:
    return os.environ.get(PROXY_ENV, "").strip() in {"1", "true", "yes"}


def request_scheme(scheme: str, forwarded_proto: str | None) -> str:
    """The scheme the browser used: ``X-Forwarded-Proto`` counts only when
    ``$KLYNGE_TRUST_PROXY=1`` says a proxy in front sets it (else anyone could)."""
    if forwarded_proto and _trust_proxy():
        return forwarded_proto.split(",")[0].strip().lower()
    return scheme


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """The client's address for the login limiter: behind a trusted proxy, the address the
    proxy saw (the last one in ``X-Forwarded-For``), else the connection's."""
    if forwarded_for and _trust_proxy():
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer or "unknown"


def secure_cookies(scheme: str) -> bool:
    return scheme == "https" or os.environ.get(SECURE_ENV, "").strip() in {"1", "true", "yes"}


# -- CSRF -----------------------------------------------------------------------------------------
def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(nonce: str) -> str:
    return _sign("csrf", nonce)


def csrf_ok(nonce: str | None, token: str | None) -> bool:
    return bool(nonce and token) and _same(token or "", csrf_token(nonce or ""))


# -- the login limiter ----------------------------------------------------------------------------
class LoginLimiter:
    """At most ``limit`` failed logins per client address in ``window`` seconds.

    Kept in memory per worker process: with several workers an address gets at most
    ``limit`` times the number of workers, which still stops guessing at any useful speed.
    """

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked_for(self, key: str, *, now: float | None = None) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        t = now if now is not None else time.monotonic()
        with self._lock:
            q = self._recent(key, t)
            if len(q) < self.limit:
                return 0.0
            return max(0.0, q[0] + self.window - t)

    def failed(
        self, key: str, reason: str, *, now: float | None = None, quiet: bool = False
    ) -> None:
        """Count a failure; log it unless ``quiet`` (the per-account count: its key is an
        e-mail, which the log does not need)."""
        t = now if now is not None else time.monotonic()
        with self._lock:
            self._recent(key, t).append(t)
            if len(self._failures) > 10_000:  # forget the quiet ones, bounded memory
                for k in [k for k, q in self._failures.items() if not q][:5_000]:
                    del self._failures[k]
        if not quiet:
            log.warning("failed login from %s: %s", key, reason)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


LOGINS = LoginLimiter()
"""Failed sign-ins per client address: 5 in 5 minutes."""
ACCOUNTS = LoginLimiter(limit=10, window=900.0)
"""Failed sign-ins per account (e-mail), from any address: 10 in 15 minutes."""
