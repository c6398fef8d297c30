"""The staff area: a cluster's rows page by page, downloads, and the tenant rule by URL."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from klynge.web import rows

from .conftest import Site
from .registry_data import MEMBERSHIPS


@pytest.fixture
def staffed(site: Site) -> Site:
    from klynge.services.auth import LOCAL
    from klynge.services.registry import import_upload

    import_upload("memberships", MEMBERSHIPS.encode(), "m.csv", principal=LOCAL)
    return site


def ids(html: str, table: str) -> list[int]:
    return [int(i) for i in re.findall(rf'href="/registry/{table}/(\d+)"', html)]


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_staff_browse_their_own_rows_only(staffed: Site) -> None:
    c = staffed.sign_in("clean")
    index = c.get("/registry")
    assert index.status_code == 200
    counts = dict(
        re.findall(r'href="/registry/(\w+)">[^<]+</a></th><td class="num">(\d+)<', index.text)
    )
    assert counts == {
        "organisations": "2",  # its two members (no participants yet)
        "memberships": "2",
        "activities": "1",
        "participations": "0",
        "outcomes": "0",
        "contacts": "0",
        "headcounts": "2",  # its two members' counts
    }
    members = c.get("/registry/memberships")
    assert members.status_code == 200
    assert "31000009" in members.text and "31000076" in members.text
    assert "31000149" not in members.text  # MADE's member
    activities = c.get("/registry/activities")
    assert "Vand og varme" in activities.text and "Robotter" not in activities.text
    # Amounts follow the language.
    assert "100,000" in activities.text
    c.cookies.set("klynge_lang", "da")
    da = c.get("/registry/activities")
    assert "100.000" in da.text and "Aktiviteter" in da.text and "01.03.2023" in da.text


def test_a_row_page_and_another_clusters_rows_by_url(staffed: Site) -> None:
    admin = staffed.sign_in("admin")
    clean_member = ids(admin.get("/registry/memberships").text, "memberships")
    clean_activity = [
        i
        for i in ids(admin.get("/registry/activities").text, "activities")
        if "Vand og varme" in admin.get(f"/registry/activities/{i}").text
    ]
    assert len(clean_member) == 3 and len(clean_activity) == 1
    clean = staffed.sign_in("clean")
    own = ids(clean.get("/registry/memberships").text, "memberships")
    page = clean.get(f"/registry/memberships/{own[0]}")
    assert page.status_code == 200 and "From" in page.text
    made = staffed.sign_in("made")
    for path in (
        *(f"/registry/memberships/{i}" for i in own),  # CLEAN's member pages
        f"/registry/activities/{clean_activity[0]}",  # CLEAN's activity page
    ):
        r = made.get(path)
        assert r.status_code == 404, path
        assert "Vand og varme" not in r.text and "31000009" not in main_of(r.text)
    r = made.get("/account?cluster=clean")  # CLEAN's account page
    assert r.status_code == 403
    r = made.get("/account/download?format=csv&cluster=clean")
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    # MADE's own member is there.
    assert len(ids(made.get("/registry/memberships").text, "memberships")) == 1


def test_who_may_browse(staffed: Site) -> None:
    stranger = staffed.browser()
    for path in ("/registry", "/registry/activities", "/registry/activities/1"):
        r = stranger.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    r = stranger.get("/registry/activities/download?format=csv", follow_redirects=False)
    assert r.status_code == 303
    analyst = staffed.sign_in("analyst")
    assert analyst.get("/registry/activities").status_code == 403  # accounts, not rows
    assert analyst.get("/registry/activities/download?format=csv").status_code == 403
    admin = staffed.sign_in("admin")
    assert "Robotter" in admin.get("/registry/activities").text
    assert admin.get("/registry/contacts").status_code == 200  # read, and the read is logged
    assert admin.get("/registry/nothing").status_code == 404
    assert admin.get("/registry/activities/download?format=pdf").status_code == 404


def test_pagination(staffed: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "PAGE_SIZE", 2)
    c = staffed.sign_in("admin")
    first = c.get("/registry/organisations")
    assert "Rows 1–2 of 3." in first.text
    assert 'rel="next" href="/registry/organisations?offset=2"' in first.text
    assert 'rel="prev"' not in first.text
    second = c.get("/registry/organisations?offset=2")
    assert "Rows 3–3 of 3." in second.text
    assert 'rel="prev" href="/registry/organisations?offset=0"' in second.text
    assert 'rel="next"' not in second.text
    assert set(ids(first.text, "organisations")).isdisjoint(ids(second.text, "organisations"))
    assert c.get("/registry/organisations?offset=-1").status_code == 422


def test_staff_download_their_rows_as_csv_and_xlsx(staffed: Site) -> None:
    c = staffed.sign_in("clean")
    r = c.get("/registry/memberships/download?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert "memberships.csv" in r.headers["content-disposition"]
    assert r.headers["cache-control"] == "no-store"
    got = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(row["organisation"] for row in got) == ["31000009", "31000076"]
    assert {row["cluster"] for row in got} == {"clean"}
    x = c.get("/registry/activities/download?format=xlsx")
    assert x.status_code == 200 and "spreadsheetml" in x.headers["content-type"]
    with zipfile.ZipFile(io.BytesIO(x.content)) as z:
        text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "Vand og varme" in text and "Robotter" not in text


def test_staff_download_their_account(staffed: Site) -> None:
    c = staffed.sign_in("clean")
    page = c.get("/account?year=2023")
    assert 'href="/account/download?format=xlsx&amp;year=2023"' in page.text
    r = c.get("/account/download?format=csv&year=2023")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "account-clean-2023-01-01-2023-12-31.csv" in r.headers["content-disposition"]
    c.cookies.set("klynge_lang", "da")
    x = c.get("/account/download?format=xlsx&year=2023")
    assert x.status_code == 200 and "spreadsheetml" in x.headers["content-type"]
    assert "resultatregnskab-clean-2023" in x.headers["content-disposition"]
    assert x.content[:2] == b"PK"
    # The analyst downloads the national account.
    a = staffed.sign_in("analyst").get("/account/download?format=csv&year=2023")
    assert a.status_code == 200 and "account-national-2023" in a.headers["content-disposition"]


def test_the_staff_pages_are_bilingual(staffed: Site) -> None:
    c = staffed.sign_in("clean")
    for lang, words in (
        ("en", ("Registry rows", "Memberships", "Download")),
        ("da", ("Registrets rækker", "Medlemskaber", "Hent")),
    ):
        c.cookies.set("klynge_lang", lang)
        index = c.get("/registry")
        assert f'<html lang="{lang}">' in index.text
        assert all(w in index.text for w in words), lang
    me = c.get("/me")
    assert 'href="/registry"' in me.text


def test_a_full_page_of_the_widest_table_stays_under_150_kb(site: Site) -> None:
    from klynge.services.registry import demo_data

    demo_data(organisations=200, activities=10, participations=300, force=True)
    c = site.sign_in("admin")
    body = c.get("/registry/organisations").content
    assert len(ids(body.decode(), "organisations")) == rows.PAGE_SIZE
    css = c.get("/static/site.css").content
    icon = c.get("/static/favicon.svg").content
    assert len(body) + len(css) + len(icon) < 150 * 1024
