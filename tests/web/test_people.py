"""Signing in, sessions, CSRF, the login limiter, and the tenant rule on the people's pages."""

from __future__ import annotations

import base64
import json
import logging
import re

import pytest

from klynge.web import security

from .conftest import Site, csrf
from .registry_data import PARTICIPATIONS_BAD, PARTICIPATIONS_GOOD


def test_private_pages_send_strangers_to_sign_in(site: Site) -> None:
    c = site.browser()
    for path in ("/me", "/account", "/admin/tokens", "/import"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login?next=")


def test_sign_in_sets_a_safe_session_cookie(site: Site) -> None:
    c = site.browser(https=True)
    r = c.post(
        "/login",
        data={"token": site.tokens["clean"], "csrf_token": csrf(c, "/login"), "next": "/me"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/me"
    cookie = next(v for k, v in r.headers.multi_items() if v.startswith("klynge_session="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" in cookie
    me = c.get("/me")
    assert "staff of CLEAN" in me.text
    # Over plain HTTP the cookie is not marked Secure (it would never come back).
    plain = site.sign_in("clean")
    assert plain.get("/me").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(site: Site) -> None:
    c = site.browser()
    c.get("/login")
    r = c.post("/login", data={"token": site.tokens["admin"], "csrf_token": "forged"})
    assert r.status_code == 403
    signed = site.sign_in("admin")
    for path, data in (
        ("/logout", {}),
        ("/admin/tokens", {"role": "analyst"}),
        ("/admin/tokens/1/revoke", {}),
    ):
        r = signed.post(path, data={**data, "csrf_token": "forged"}, follow_redirects=False)
        assert r.status_code == 403, path
    assert signed.get("/me").status_code == 200  # still signed in: the forged logout did nothing


def test_failed_sign_ins_are_logged_and_limited(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    c = site.browser()
    token = csrf(c, "/login")
    with caplog.at_level(logging.WARNING, logger="klynge.web.auth"):
        for _ in range(security.LOGINS.limit):
            r = c.post("/login", data={"token": "klynge_wrong", "csrf_token": token})
            assert r.status_code == 401
            assert "unknown or has been revoked" in r.text
    assert len([r for r in caplog.records if "failed login" in r.getMessage()]) == 5
    assert all("klynge_wrong" not in r.getMessage() for r in caplog.records)
    # Now even the right token waits.
    r = c.post("/login", data={"token": site.tokens["admin"], "csrf_token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_a_tampered_session_is_no_session(site: Site) -> None:
    c = site.sign_in("clean")
    value = c.cookies.get(security.SESSION_COOKIE)
    assert value
    payload, mac = value.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["k"], data["id"] = "token", 1  # the admin's token
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    c.cookies.clear()
    c.cookies.set(security.SESSION_COOKIE, value)  # the genuine cookie still works
    assert c.get("/me", follow_redirects=False).status_code == 200
    c.cookies.clear()
    c.cookies.set(security.SESSION_COOKIE, f"{forged}.{mac}")
    assert c.get("/admin/tokens", follow_redirects=False).status_code == 303


def test_staff_see_their_own_account_and_nothing_of_another_cluster(site: Site) -> None:
    c = site.sign_in("clean")
    own = c.get("/account")
    assert own.status_code == 200 and "CLEAN" in own.text
    for path in ("/account?cluster=made", "/account?cluster=MADE", "/admin/tokens"):
        r = c.get(path)
        assert r.status_code == 403, path
        assert "Made" not in r.text.split("<main")[1].split("</main>")[0].replace("made", "")


def test_the_analyst_reads_every_account_side_by_side(site: Site) -> None:
    c = site.sign_in("analyst")
    national = c.get("/account?year=2023")
    assert national.status_code == 200
    assert "Every cluster side by side" in national.text
    assert c.get("/account?cluster=made&year=2023").status_code == 200
    assert c.get("/import").status_code == 403  # analysts import nothing: not even the form
    assert c.get("/admin/tokens").status_code == 403


def test_import_all_or_nothing_then_the_account_changes(site: Site) -> None:
    c = site.sign_in("clean")

    def companies() -> str:
        page = c.get("/account?year=2023").text
        row = re.search(
            r"<th scope=\"row\">[^<]*compan[^<]*</th>\s*<td class=\"num\">([^<]+)<", page
        )
        assert row, "no company line in the account"
        return row.group(1).strip()

    before = companies()
    token = csrf(c, "/import")
    bad = c.post(
        "/import",
        data={"table": "participations", "csrf_token": token},
        files={"file": ("p.csv", PARTICIPATIONS_BAD.encode(), "text/csv")},
    )
    assert bad.status_code == 422
    assert "Nothing was imported" in bad.text and "row 3" in bad.text
    assert companies() == before  # nothing written
    good = c.post(
        "/import",
        data={"table": "participations", "csrf_token": token},
        files={"file": ("p.csv", PARTICIPATIONS_GOOD.encode(), "text/csv")},
    )
    assert good.status_code == 200 and "Imported" in good.text
    assert companies() != before
    # Another cluster's rows cannot be imported by this staff member.
    other = c.post(
        "/import",
        data={"table": "participations", "csrf_token": token},
        files={"file": ("p.csv", b"organisation,cluster,activity\n31000009,made,P1\n", "text/csv")},
    )
    assert other.status_code in (403, 422)
    assert "Imported" not in other.text


def test_admin_makes_and_revokes_a_token(site: Site) -> None:
    c = site.sign_in("admin")
    token = csrf(c, "/admin/tokens")
    made = c.post("/admin/tokens", data={"role": "analyst", "label": "web", "csrf_token": token})
    assert made.status_code == 200
    secret = re.search(r'<code class="secret">([^<]+)</code>', made.text)
    assert secret and secret.group(1).startswith("klynge_")
    new_id = max(int(i) for i in re.findall(r"/admin/tokens/(\d+)/revoke", made.text))
    r = c.post(f"/admin/tokens/{new_id}/revoke", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    # The revoked token no longer signs anyone in.
    other = site.browser()
    r = other.post("/login", data={"token": secret.group(1), "csrf_token": csrf(other, "/login")})
    assert r.status_code == 401


def test_sign_out(site: Site) -> None:
    c = site.sign_in("clean")
    r = c.post("/logout", data={"csrf_token": csrf(c, "/me")}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/me", follow_redirects=False).status_code == 303
