"""A session cookie or CSRF token with characters beyond ASCII is refused, not a server error.

``hmac.compare_digest`` raises TypeError for non-ASCII text; a form field or cookie is anyone's
to fill, so a stray 'é' made the page fail with 500 instead of refusing the form.
"""

from __future__ import annotations

import pytest

from klynge.web import security
from klynge.web.security import csrf_ok, csrf_token, make_session, read_session

from .conftest import Site, csrf


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(security.SECRET_ENV, "s" * 40)
    security.secret_key.cache_clear()


@pytest.mark.parametrize("odd", ["é", "\u00ff" * 43, "ø.å", "\u2603"])
def test_non_ascii_is_no_session_and_no_valid_token(odd: str) -> None:
    cookie = make_session("user", 1, 0)
    payload = cookie.split(".")[0]
    assert read_session(f"{payload}.{odd}") is None
    assert read_session(odd + cookie) is None
    assert not csrf_ok("nonce", odd)
    assert not csrf_ok(odd, csrf_token("nonce"))
    assert csrf_ok("nonce", csrf_token("nonce"))  # the real pair still passes


def test_a_non_ascii_csrf_token_gets_the_form_refused(site: Site) -> None:
    c = site.browser()
    csrf(c, "/login")  # the CSRF cookie
    r = c.post(
        "/login",
        data={"email": "x@example.org", "password": "whatever12", "csrf_token": "é"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    r = c.post("/logout", data={"csrf_token": "ünïcode"}, follow_redirects=False)
    assert r.status_code == 403
