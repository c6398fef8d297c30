"""People with passwords on the web: sign-in, limits, sessions that end, the admin's users page,
editing rows in the browser, a member's own profile, and a cluster's public figures."""

from __future__ import annotations

import logging
import re

import pytest

from klynge.web import security

from .conftest import PASSWORD, USERS, Site, csrf
from .registry_data import MEMBERSHIPS


@pytest.fixture
def members(site: Site) -> Site:
    from klynge.services.auth import LOCAL
    from klynge.services.registry import import_upload

    import_upload("memberships", MEMBERSHIPS.encode(), "m.csv", principal=LOCAL)
    return site


def ids(c: object, table: str) -> dict[str, int]:
    """Row ids by their first cell's neighbour (key, ref, e-mail) as an admin sees them."""
    html = c.get(f"/registry/{table}").text  # type: ignore[attr-defined]
    found = re.findall(rf'href="/registry/{table}/(\d+)">\d+</a></th><td[^>]*>([^<]+)<', html)
    return {text: int(i) for i, text in found}


def edit(c: object, table: str, row_id: int, **values: str) -> object:
    path = f"/registry/{table}/{row_id}/edit"
    token = csrf(c, path)  # type: ignore[arg-type]
    return c.post(path, data={**values, "csrf_token": token})  # type: ignore[attr-defined]


# -- signing in with a password -------------------------------------------------------------------
def test_sign_in_with_a_password(site: Site) -> None:
    c = site.browser(https=True)
    r = c.post(
        "/login",
        data={
            "email": "STAFF@clean.example.dk",
            "password": PASSWORD,
            "csrf_token": csrf(c, "/login"),
            "next": "/registry",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/registry"
    cookie = next(v for k, v in r.headers.multi_items() if v.startswith("klynge_session="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" in cookie
    me = c.get("/me").text
    assert "staff of CLEAN" in me and "staff@clean.example.dk" in me


def test_a_wrong_password_is_refused_logged_and_limited(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    c = site.browser()
    token = csrf(c, "/login")
    email = USERS["clean"][0]
    with caplog.at_level(logging.WARNING, logger="klynge.web.auth"):
        r = c.post("/login", data={"email": email, "password": "wrong", "csrf_token": token})
        assert r.status_code == 401 and "Wrong e-mail or password." in r.text
        c.cookies.set("klynge_lang", "da")
        r = c.post("/login", data={"email": email, "password": "wrong", "csrf_token": token})
        assert r.status_code == 401 and "Forkert e-mail eller adgangskode." in r.text
        assert 'value="staff@clean.example.dk"' in r.text  # the e-mail stays in the form
        for _ in range(security.LOGINS.limit - 2):
            c.post("/login", data={"email": email, "password": "wrong", "csrf_token": token})
    lines = [rec.getMessage() for rec in caplog.records if "failed login" in rec.getMessage()]
    assert len(lines) == security.LOGINS.limit
    # The address and the reason; never the password tried, nor the e-mail.
    assert all("bad-login" in line and "wrong" not in line for line in lines)
    assert not any(email in line for line in lines)
    r = c.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "For mange mislykkede forsøg" in r.text


def test_one_account_is_limited_from_every_address(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(security.PROXY_ENV, "1")
    c = site.browser()
    token = csrf(c, "/login")
    email = USERS["made"][0]
    for i in range(security.ACCOUNTS.limit):
        r = c.post(
            "/login",
            data={"email": email, "password": f"guess {i}", "csrf_token": token},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        )
        assert r.status_code == 401
    fresh = {"X-Forwarded-For": "203.0.113.77"}
    r = c.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, headers=fresh
    )
    assert r.status_code == 429
    # Another account from the same fresh address still signs in.
    r = c.post(
        "/login",
        data={"email": USERS["clean"][0], "password": PASSWORD, "csrf_token": token},
        headers=fresh,
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_disabling_a_user_ends_their_session_at_once(site: Site) -> None:
    staff = site.log_in("clean")
    assert staff.get("/me", follow_redirects=False).status_code == 200
    admin = site.log_in("admin")
    users_page = admin.get("/admin/users").text
    user_id = re.search(r'action="/admin/users/(\d+)/disable".{0,400}staff@clean', users_page, re.S)
    row = re.search(r"<tr><td>(\d+)</td><td>staff@clean\.example\.dk", users_page)
    assert row, users_page
    del user_id
    r = admin.post(
        f"/admin/users/{row.group(1)}/disable",
        data={"csrf_token": csrf(admin, "/admin/users")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = staff.get("/me", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    c = site.browser()
    r = c.post(
        "/login",
        data={"email": USERS["clean"][0], "password": PASSWORD, "csrf_token": csrf(c, "/login")},
    )
    assert r.status_code == 403 and "disabled" in r.text


def test_revoking_a_token_ends_its_session_at_once(site: Site) -> None:
    analyst = site.sign_in("analyst")
    assert analyst.get("/me", follow_redirects=False).status_code == 200
    admin = site.log_in("admin")
    page = admin.get("/admin/tokens").text
    (token_id,) = [
        i for i, role in re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td>", page) if role == "analyst"
    ]
    admin.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf(admin, "/admin/tokens")}
    )
    assert analyst.get("/me", follow_redirects=False).status_code == 303


def test_the_admin_makes_a_user_and_changes_the_role(members: Site) -> None:
    admin = members.log_in("admin")
    token = csrf(admin, "/admin/users")
    r = admin.post(
        "/admin/users",
        data={
            "email": "ny@beta.example.dk",
            "password": "short",
            "role": "member",
            "organisation": "31000076",
            "csrf_token": token,
        },
    )
    assert r.status_code == 422
    assert "between 10 and 1024 characters" in r.text
    r = admin.post(
        "/admin/users",
        data={
            "email": "ny@beta.example.dk",
            "password": PASSWORD,
            "role": "member",
            "organisation": "31000076",
            "csrf_token": token,
        },
    )
    assert r.status_code == 200 and "ny@beta.example.dk can now sign in as member" in r.text
    assert "Beta A/S (31000076)" in r.text
    c = members.browser()
    r = c.post(
        "/login",
        data={"email": "ny@beta.example.dk", "password": PASSWORD, "csrf_token": csrf(c, "/login")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "member organisation (Beta A/S, 31000076)" in c.get("/me").text
    user_id = re.search(r"<tr><td>(\d+)</td><td>ny@beta\.example\.dk", r.text or "") or re.search(
        r"<tr><td>(\d+)</td><td>ny@beta\.example\.dk", admin.get("/admin/users").text
    )
    assert user_id
    r = admin.post(
        f"/admin/users/{user_id.group(1)}/role",
        data={"role": "staff", "cluster": "clean", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # The new role applies at once: the old session is over.
    assert c.get("/me", follow_redirects=False).status_code == 303
    # Only an admin reaches the users page; a form without its token changes nothing.
    assert members.log_in("clean").get("/admin/users").status_code == 403
    r = admin.post(f"/admin/users/{user_id.group(1)}/disable", data={"csrf_token": "forged"})
    assert r.status_code == 403
    da = members.log_in("admin")
    da.cookies.set("klynge_lang", "da")
    assert "Brugere og roller" in da.get("/admin/users").text


# -- editing rows ---------------------------------------------------------------------------------
def test_staff_edit_a_row_and_see_it_changed(members: Site) -> None:
    admin = members.log_in("admin")
    acts = ids(admin, "activities")
    staff = members.log_in("clean")
    form = staff.get(f"/registry/activities/{acts['clean']}/edit")
    assert form.status_code == 200 and 'name="title"' in form.text
    assert 'name="cluster"' not in form.text  # what identifies the row is shown, not edited
    r = edit(
        staff,
        "activities",
        acts["clean"],
        title="Vand, varme og køl",
        funding_dkk="150000",
        type="workshop",
        start_date="2023-03-01",
        end_date="2023-03-01",
    )
    assert r.status_code == 200 and "Saved" in r.text  # type: ignore[attr-defined]
    row = staff.get(f"/registry/activities/{acts['clean']}").text
    assert "Vand, varme og køl" in row and "150,000" in row
    # A bad value: nothing saved, the reason beside its field, in the page's language.
    staff.cookies.set("klynge_lang", "da")
    r = edit(
        staff,
        "activities",
        acts["clean"],
        title="Andet",
        funding_dkk="mange",
        type="workshop",
        start_date="2023-03-01",
        end_date="2023-03-01",
    )
    assert r.status_code == 422  # type: ignore[attr-defined]
    text = r.text  # type: ignore[attr-defined]
    assert "Ikke gemt" in text
    field = text.split('id="f-funding_dkk"', 1)[1].split("</p>", 1)[0]
    assert 'aria-invalid="true"' in field and "er ikke et helt tal" in field
    assert 'value="mange"' in field  # what was typed stays for fixing
    assert "Vand, varme og køl" in staff.get(f"/registry/activities/{acts['clean']}").text


def test_tenant_refusal_by_url_for_edit_pages(members: Site) -> None:
    admin = members.log_in("admin")
    acts = ids(admin, "activities")
    orgs = ids(admin, "organisations")
    staff = members.log_in("clean")
    for path in (
        f"/registry/activities/{acts['made']}/edit",
        f"/registry/organisations/{orgs['31000149']}/edit",  # MADE's member
    ):
        assert staff.get(path).status_code == 404, path
    r = staff.post(
        f"/registry/activities/{acts['made']}/edit",
        data={"title": "Taken over", "csrf_token": csrf(staff, "/me")},
    )
    assert r.status_code == 404
    assert "Robotter" in admin.get(f"/registry/activities/{acts['made']}").text
    analyst = members.log_in("analyst")
    assert analyst.get(f"/registry/activities/{acts['clean']}/edit").status_code == 403
    # Without the CSRF token nothing is saved.
    r = staff.post(
        f"/registry/activities/{acts['clean']}/edit",
        data={"title": "Forged", "csrf_token": "forged"},
    )
    assert r.status_code == 403


def test_staff_see_and_edit_their_members_contacts(members: Site) -> None:
    from klynge.services.auth import LOCAL
    from klynge.services.people import audit_log
    from klynge.services.registry import import_upload

    import_upload(
        "contacts",
        b"organisation,name,email\n31000009,Anna Alfa,anna@alfa.dk\n31000149,Gert,g@gamma.dk\n",
        "c.csv",
        principal=LOCAL,
    )
    staff = members.log_in("clean")
    listing = staff.get("/registry/contacts").text
    assert "anna@alfa.dk" in listing and "g@gamma.dk" not in listing
    (contact_id,) = re.findall(r'href="/registry/contacts/(\d+)"', listing)
    r = edit(
        staff,
        "contacts",
        int(contact_id),
        name="Anna Alfa",
        email="anna@alfa.dk",
        phone="+45 11 22 33 44",
        newsletter="true",
    )
    assert r.status_code == 200  # type: ignore[attr-defined]
    row = staff.get(f"/registry/contacts/{contact_id}").text
    assert "+45 11 22 33 44" in row
    entries = audit_log(principal=LOCAL).entries
    assert any(e.action == "change" and e.subject == "anna@alfa.dk" for e in entries)
    assert any(e.actor.startswith("web: user") for e in entries)


# -- a member's own profile -----------------------------------------------------------------------
def test_a_member_edits_its_own_profile_and_is_refused_anothers(members: Site) -> None:
    admin = members.log_in("admin")
    orgs = ids(admin, "organisations")
    member = members.log_in("alfa")
    me = member.get("/me").text
    assert "/profile" in me and "/registry" not in me.split("<main", 1)[1]
    r = member.get("/profile", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/registry/organisations/{orgs['31000009']}/edit"
    form = member.get(r.headers["location"]).text
    assert "Your organisation's profile" in form and 'name="kind"' not in form
    r = edit(
        member,
        "organisations",
        orgs["31000009"],
        name="Alfa Robotics ApS",
        employees="25",
        municipality="Aarhus",
    )
    assert r.status_code == 200 and "Saved" in r.text  # type: ignore[attr-defined]
    assert "Alfa Robotics ApS" in admin.get(f"/registry/organisations/{orgs['31000009']}").text
    for other in ("31000076", "31000149"):
        path = f"/registry/organisations/{orgs[other]}/edit"
        assert member.get(path).status_code == 404
        r = member.post(path, data={"name": "Mine now", "csrf_token": csrf(member, "/me")})
        assert r.status_code == 404
    assert "Mine now" not in admin.get("/registry/organisations").text
    for path in ("/registry", "/registry/organisations", "/account", "/import"):
        assert member.get(path).status_code == 403, path


# -- a cluster's public figures -------------------------------------------------------------------
def test_a_cluster_page_shows_the_registrys_public_figures(members: Site) -> None:
    from klynge.web.render import PAGES

    PAGES.clear()
    c = members.browser()
    page = c.get("/clusters/clean").text
    figures = page.split("Public figures", 1)[1].split("Sources", 1)[0]
    assert "Members today" in figures and "<dd>2</dd>" in figures
    assert "Companies taking part in 2023" in figures
    assert "SYNTHETIC" not in figures
    other = c.get("/clusters/danish-sound-cluster").text
    assert "holds no members or activities of this cluster" in other


def test_counting_contacts_on_the_registry_page_reads_no_personal_data(members: Site) -> None:
    from klynge.services.auth import LOCAL
    from klynge.services.people import audit_log
    from klynge.services.registry import import_upload

    import_upload(
        "contacts",
        b"organisation,name,email\n31000009,Anna,anna@alfa.dk\n",
        "c.csv",
        principal=LOCAL,
    )
    before = len(audit_log(principal=LOCAL).entries)
    index = members.log_in("clean").get("/registry").text
    assert re.search(r'href="/registry/contacts">[^<]+</a></th><td class="num">1<', index)
    assert len(audit_log(principal=LOCAL).entries) == before


def test_secure_cookies_behind_a_trusted_proxy_only(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def session_cookie() -> str:
        c = site.browser()
        r = c.post(
            "/login",
            data={
                "email": USERS["analyst"][0],
                "password": PASSWORD,
                "csrf_token": csrf(c, "/login"),
            },
            headers={"X-Forwarded-Proto": "https"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        return next(v for k, v in r.headers.multi_items() if v.startswith("klynge_session="))

    monkeypatch.delenv(security.PROXY_ENV, raising=False)
    assert "Secure" not in session_cookie()  # anyone can send the header
    monkeypatch.setenv(security.PROXY_ENV, "1")
    assert "Secure" in session_cookie()


def test_the_row_page_offers_the_edit_form_only_to_who_may_edit(members: Site) -> None:
    from klynge.services.auth import LOCAL
    from klynge.services.registry import import_upload

    # Gamma takes part in CLEAN's workshop but is MADE's member: CLEAN's staff see it, not edit it.
    import_upload(
        "participations",
        b"organisation,cluster,activity,role\n31000149,clean,W1,participant\n",
        "p.csv",
        principal=LOCAL,
    )
    admin = members.log_in("admin")
    orgs = ids(admin, "organisations")
    staff = members.log_in("clean")
    gamma = staff.get(f"/registry/organisations/{orgs['31000149']}")
    assert gamma.status_code == 200 and "Edit this row" not in gamma.text
    assert staff.get(f"/registry/organisations/{orgs['31000149']}/edit").status_code == 403
    alfa = staff.get(f"/registry/organisations/{orgs['31000009']}")
    assert "Edit this row" in alfa.text
