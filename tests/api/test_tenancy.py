"""Tenancy: a staff token of one cluster gets nothing of another cluster's rows.

Not by listing, by id, by export, by account or by import; on SQLite and PostgreSQL. The sample
(see ``test_registry_api.py``) gives CLEAN an activity with two Danish and Swedish participants,
and MADE an activity with a German company and a university, so that each cluster has rows and
organisations of its own.
"""

from __future__ import annotations

import csv
import io
import json

from . import test_registry_api as shared
from .test_registry_api import SAMPLE, Api

api = shared.api  # the fixture: an app on a fresh database with the sample and a token per role

CLEAN_ORGS = {"29863997", "se-1"}
MADE_ORGS = {"de-1", "aau"}
TABLES = ("organisations", "memberships", "activities", "participations", "outcomes")


def _all(a: Api, table: str, who: str) -> list[dict[str, object]]:
    return list(a.get(f"/registry/{table}?limit=1000", who).json()["items"])


def _organisation(row: dict[str, object]) -> object:
    return row.get("organisation", row.get("key"))


def test_listing_shows_only_the_own_clusters_rows(api: Api) -> None:
    for table in TABLES:
        rows = _all(api, table, "clean")
        assert rows, table
        assert {r["cluster"] for r in rows if "cluster" in r} <= {"clean"}, table
        assert {_organisation(r) for r in rows} - {None} <= CLEAN_ORGS, table
        r = api.get(f"/registry/{table}", "clean")
        assert r.json()["total"] == len(rows)
        assert r.headers["cache-control"] == "private, no-store"
    # The admin sees both clusters: the filter, not the data, keeps them apart.
    assert {_organisation(r) for r in _all(api, "organisations", "admin")} == (
        CLEAN_ORGS | MADE_ORGS
    )


def test_another_clusters_rows_are_not_found_by_id(api: Api) -> None:
    for table in TABLES:
        for row in _all(api, table, "admin"):
            own = row.get("cluster") == "clean" or (
                table == "organisations" and row["key"] in CLEAN_ORGS
            )
            r = api.get(f"/registry/{table}/{row['id']}", "clean")
            if own:
                assert r.status_code == 200 and r.json() == row
            else:
                # Not found, exactly as a row that does not exist: nothing tells them apart.
                missing = api.get(f"/registry/{table}/987654", "clean").json()
                assert r.status_code == 404, (table, row)
                assert r.json()["code"] == missing["code"]


def test_export_holds_only_the_own_clusters_rows(api: Api) -> None:
    for table in TABLES:
        text = api.get(f"/registry/{table}/export?format=csv", "clean").text
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert {r["cluster"] for r in rows if "cluster" in r} <= {"clean"}, table
        assert {r.get("organisation") or r.get("key") for r in rows} - {None} <= CLEAN_ORGS
        for name in ("made", "de-1", "aau", "Robotsvejsning", "Deutsche"):
            assert name not in text.replace("clean", ""), (table, name)


def test_accounts_of_other_clusters_and_the_nation_are_forbidden(api: Api) -> None:
    own = api.get("/accounts/clean?year=2023", "clean")
    assert own.status_code == 200 and own.json()["companies"]["total"] == 2
    assert own.headers["cache-control"] == "private, no-store"
    csv_file = api.get("/accounts/clean?year=2023&format=csv", "clean")
    assert csv_file.headers["cache-control"] == "private, no-store"
    for path in ("/accounts/made?year=2023", "/accounts/MADE?year=2023&format=csv",
                 "/accounts/national?year=2023", "/accounts/national?format=xlsx"):  # fmt: skip
        r = api.get(path, "clean")
        assert r.status_code == 403, path
        assert r.headers["content-type"] == "application/problem+json"
        assert "made" not in r.json()["detail"] or "clean" in r.json()["detail"]
    # The analyst reads every account, but no rows and no writes.
    assert api.get("/accounts/made?year=2023", "analyst").status_code == 200
    assert api.get("/accounts/national?year=2023", "analyst").status_code == 200
    assert api.get("/registry/activities", "analyst").status_code == 403
    r = api.upload("activities", SAMPLE["activities"], "analyst")
    assert r.status_code == 403 and r.json()["code"] == "read-only"


def test_import_cannot_write_or_probe_another_clusters_rows(api: Api) -> None:
    before = {t: _all(api, t, "admin") for t in TABLES}
    # Rows of another cluster are refused whole, naming the rows, before anything is looked up.
    r = api.upload("participations", SAMPLE["participations"], "clean", dry_run="true")
    assert r.status_code == 403 and r.json()["code"] == "other-cluster"
    assert {e["location"]["row"] for e in r.json()["errors"]} == {4, 5}
    r = api.upload(
        "activities", "cluster,ref,type,title,start_date\nmade,P1,workshop,Overtaget,2023-01-01\n",
        "clean",
    )  # fmt: skip
    assert r.status_code == 403
    # Organisations are shared by clusters: only an admin imports them.
    r = api.upload("organisations", SAMPLE["organisations"], "clean")
    assert r.status_code == 403 and r.json()["code"] == "shared-table"
    # Another cluster's activity cannot be referred to: from CLEAN's side it does not exist,
    # and the answer is the same as for an activity nobody has.
    probe = "organisation,cluster,activity,role\n29863997,clean,P1,participant\n"
    nobody = "organisation,cluster,activity,role\n29863997,clean,NOPE,participant\n"
    found = api.upload("participations", probe, "clean").json()
    absent = api.upload("participations", nobody, "clean").json()
    assert found["code"] == absent["code"] == "import-failed"
    assert [e["message"].replace("P1", "X") for e in found["errors"]] == [
        e["message"].replace("NOPE", "X") for e in absent["errors"]
    ]
    assert {t: _all(api, t, "admin") for t in TABLES} == before
    # Its own rows it may write.
    own = "cluster,ref,type,title,start_date\nclean,W2,conference,Ren energi,2024-05-01\n"
    r = api.upload("activities", own, "clean")
    assert r.status_code == 200 and r.json()["inserted"] == 1
    assert {a["ref"] for a in _all(api, "activities", "clean")} == {"W1", "W2"}
    assert [a["ref"] for a in _all(api, "activities", "made")] == ["P1"]


# -- contact persons and GDPR (issue 14) ---------------------------------------------------------
CONTACTS = (
    "organisation,name,email,phone,role,language,newsletter,matchmaking,last_active_on\n"
    "29863997,Mette Hansen,Mette@Nebel.dk,+45 12 34 56 78,formand,da,ja,nej,2023-04-01\n"
    "aau,Mette Hansen,mette@nebel.dk,,adjunkt,da,nej,ja,2015-01-01\n"
    "aau,Ole Olsen,ole@aau.dk,,,en,,,2016-05-01\n"
    "de-1,Hans Müller,hans@dm.de,,CEO,DE,,,\n"
)
NAMING_OUTCOME = (
    "organisation,cluster,activity,type,reported_on,text\n"
    "29863997,clean,W1,ideas,2023-05-01,Mette Hansen foreslog varmepumper (mette@nebel.dk)\n"
)


def _with_contacts(a: Api) -> None:
    r = a.upload("contacts", CONTACTS, "admin", "contacts.csv")
    assert r.status_code == 200 and r.json()["inserted"] == 4, r.text
    assert a.upload("outcomes", NAMING_OUTCOME, "admin", "o.csv").status_code == 200


def test_contact_emails_are_checked_and_unique_per_organisation_in_any_case(api: Api) -> None:
    bad = (
        "organisation,name,email\n"
        "aau,A,not-an-email\n"
        "aau,B,b@aau.dk\n"
        "aau,C,B@AAU.DK\n"
        "29863997,D,b@aau.dk\n"  # the same person at another organisation is fine
    )
    r = api.upload("contacts", bad, "admin", "c.csv")
    assert r.status_code == 422
    found = {(e["location"]["row"], e["location"].get("column")) for e in r.json()["errors"]}
    assert found == {(2, "email"), (4, None)}
    assert "not an e-mail address" in r.text and "duplicates row 3" in r.text
    # Staff may not import personal data.
    r = api.upload("contacts", CONTACTS, "clean", "c.csv")
    assert r.status_code == 403 and r.json()["code"] == "personal-data"


def test_staff_see_only_their_own_members_contacts(api: Api) -> None:
    _with_contacts(api)
    clean = {(r["organisation"], r["email"]) for r in _all(api, "contacts", "clean")}
    assert clean == {("29863997", "mette@nebel.dk")}
    made = {(r["organisation"], r["email"]) for r in _all(api, "contacts", "made")}
    # de-1 took part in MADE's activity but is no member: its contact stays hidden.
    assert made == {("aau", "mette@nebel.dk"), ("aau", "ole@aau.dk")}
    assert api.get("/registry/contacts", "analyst").status_code == 403
    # Reading personal data is logged, naming the token.
    log = api.client.get("/api/v1/people/audit", headers=api.auth("admin")).json()["entries"]
    assert any(e["action"] == "read" and "staff, made" in e["actor"] for e in log)


def test_person_export_is_for_admins_and_the_cli_gives_the_same(api: Api) -> None:
    from typer.testing import CliRunner

    from klynge.cli.main import app

    _with_contacts(api)
    for who in ("clean", "analyst"):
        assert api.get("/people/Mette@nebel.dk", who).status_code == 403
    r = api.get("/people/Mette@nebel.dk", "admin")
    assert r.status_code == 200
    doc = r.json()
    assert {c["organisation"] for c in doc["contacts"]} == {"29863997", "aau"}
    assert [t["possible_personal_data"] for t in doc["free_text"]] == [True]
    assert "foreslog varmepumper" in doc["free_text"][0]["text"]
    assert doc["audit"][0]["action"] == "access-export"
    cli = CliRunner().invoke(app, ["person", "export", "mette@nebel.dk", "--json"])
    assert cli.exit_code == 0, cli.stderr
    from_cli = json.loads(cli.stdout)
    assert from_cli["contacts"] == doc["contacts"] and from_cli["free_text"] == doc["free_text"]
    assert from_cli["audit"][0]["actor"] == "cli: local administrator"
    assert api.get("/people/nobody@example.com", "admin").status_code == 404
    assert api.get("/people/not-an-email", "admin").status_code == 422


def test_erasure_removes_the_person_everywhere_and_keeps_the_accounts(api: Api) -> None:
    _with_contacts(api)
    before = api.get("/accounts/national?year=2023", "admin").json()
    api.get("/registry/contacts", "clean")  # a logged read, which the erasure must forget
    r = api.client.delete("/api/v1/people/METTE@nebel.dk", headers=api.auth("admin"))
    assert r.status_code == 200, r.text
    assert r.json() | {"email": ""} == {
        "email": "",
        "contacts_removed": 2,
        "texts_scrubbed": 1,
        "audit_entries_removed": 0,
    }
    assert api.get("/people/mette@nebel.dk", "admin").status_code == 404
    after = api.get("/accounts/national?year=2023", "admin").json()
    assert after["companies"] == before["companies"] and after["outcomes"] == before["outcomes"]
    outcomes = api.get("/registry/outcomes/export?format=csv", "admin")
    assert "mette" not in outcomes.text.lower() and "[slettet/erased]" in outcomes.text
    assert outcomes.headers["x-klynge-personal-data"] == "text"
    log = api.client.get("/api/v1/people/audit", headers=api.auth("admin")).text.lower()
    assert "mette" not in log and "nebel" not in log
    entries = api.client.get("/api/v1/people/audit", headers=api.auth("admin")).json()["entries"]
    assert entries[0]["action"] == "erasure" and entries[0]["subject"] is None


def test_retention_lists_and_erases_contacts_without_activity(api: Api) -> None:
    _with_contacts(api)
    r = api.client.get("/api/v1/people/retention?years=5", headers=api.auth("admin"))
    listed = {(c["organisation"], c["email"]) for c in r.json()["contacts"]}
    assert listed == {("aau", "mette@nebel.dk"), ("aau", "ole@aau.dk")}
    assert (
        api.client.get("/api/v1/people/retention?years=5", headers=api.auth("clean")).status_code
        == 403
    )
    r = api.client.post("/api/v1/people/retention/erase?years=5", headers=api.auth("admin"))
    assert r.status_code == 200 and r.json()["erased"] == 2
    left = {(c["organisation"], c["email"]) for c in _all(api, "contacts", "admin")}
    # Mette is still active for Nr. Nebel: that contact stays.
    assert left == {("29863997", "mette@nebel.dk"), ("de-1", "hans@dm.de")}


def test_the_audit_log_records_the_face_of_each_read(api: Api) -> None:
    """The web signs in with the same tokens as the API: only the face each passes tells its
    reads apart in the audit log."""
    from klynge.services import registry as service
    from klynge.services.auth import authenticate

    _with_contacts(api)
    assert api.get("/registry/contacts", "made").status_code == 200
    made = authenticate(api.tokens["made"])
    assert made is not None and made.token_id is not None
    page = service.list_rows("contacts", principal=made, face="web")  # as the web's rows page
    assert page.total == 2
    service.export_file("contacts", "csv", principal=made, face="web")  # its download
    log = api.client.get("/api/v1/people/audit", headers=api.auth("admin")).json()["entries"]
    reads = [(e["action"], e["actor"]) for e in log if e["detail"].startswith("contacts:")]
    who = f"token {made.token_id} (staff, made)"
    assert ("read", f"api: {who}") in reads
    assert ("read", f"web: {who}") in reads
    assert ("export", f"web: {who}") in reads
    assert any(act == "import" and a.startswith("api: token") for act, a in reads)
    assert not any(a.startswith("web:") for act, a in reads if act == "import")
