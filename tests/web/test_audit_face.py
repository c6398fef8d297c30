"""Issue 14 in the web: the audit log tells a web read of contacts from an API read with the same
token, and staff download their members' dated head counts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import Site


def test_a_web_read_and_an_api_read_of_contacts_each_log_their_face(site: Site) -> None:
    from klynge.api.app import create_app
    from klynge.services.auth import LOCAL, authenticate
    from klynge.services.people import audit_log
    from klynge.services.registry import import_upload

    import_upload(
        "contacts", b"organisation,name,email\n31000009,Alma Alfa,alma@alfa.dk\n", "c.csv",
        principal=LOCAL,
    )  # fmt: skip
    token = site.tokens["admin"]
    admin = authenticate(token)
    assert admin is not None and admin.token_id is not None
    web = site.sign_in("admin")
    assert "alma@alfa.dk" in web.get("/registry/contacts").text
    api = TestClient(create_app())
    r = api.get("/api/v1/registry/contacts", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["total"] >= 1
    reads = [e.actor for e in audit_log(principal=LOCAL).entries if e.action == "read"]
    who = f"token {admin.token_id} (admin)"
    assert f"web: {who}" in reads
    assert f"api: {who}" in reads


def test_staff_download_their_members_head_counts(site: Site) -> None:
    from klynge.services.auth import LOCAL
    from klynge.services.registry import import_upload

    from .registry_data import MEMBERSHIPS

    import_upload("memberships", MEMBERSHIPS.encode(), "m.csv", principal=LOCAL)
    older = "organisation,employees,counted_on\n31000009,9,2020-06-30\n31000149,5,2020-06-30\n"
    import_upload("headcounts", older.encode(), "h.csv", principal=LOCAL)
    c = site.sign_in("clean")
    r = c.get("/registry/headcounts/download?format=csv")
    assert r.status_code == 200
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "organisation,employees,counted_on",
        "31000009,12,",  # the undated count first, then by day
        "31000009,9,2020-06-30",
        "31000076,300,",
    ]  # 31000149 is MADE's member: not CLEAN's to see
    c.cookies.set("klynge_lang", "da")
    assert "Ansattetal" in c.get("/registry/headcounts").text
