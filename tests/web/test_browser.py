"""The pages in a real browser: Playwright drives Debian's headless Chromium against klynge serve.

Playwright cannot download its own browsers here, so the tests use the system's ``chromium``
(``$KLYNGE_CHROMIUM`` to point elsewhere). Without it they skip locally and fail in CI (``CI``
set), the same policy as the PostgreSQL tests. The server is the real one: ``klynge serve`` on a
free port with a temporary SQLite database (the ``live_server`` and ``chromium`` fixtures of
``tests/conftest.py``, shared with the other browser tests).
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, USERS, make_users
from .registry_data import MEMBERSHIPS, PARTICIPATIONS_BAD, PARTICIPATIONS_GOOD

REPO = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
SAMPLE = (
    REPO.parent
    / "shared"
    / "data"
    / "eurostat_employment"
    / "dk_nuts2_employment_a10_2000_2018.csv"
)
#: A day in the fully known 2021-2024 landscape, so that answers do not drift with the calendar.
DAY = "2024-06-01"


@pytest.fixture(scope="module")
def database(
    tmp_path_factory: pytest.TempPathFactory, make_registry: Callable[[], dict[str, str]]
) -> Iterator[tuple[str, dict[str, str]]]:
    """A SQLite registry with a token for every role, made here and served by the server:
    synthetic demo data (for pages worth a screenshot) and the tests' own rows."""
    from klynge.services.auth import LOCAL
    from klynge.services.registry import demo_data, dispose_engines, import_upload

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'klynge.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KLYNGE_DATABASE_URL", url)
        demo_data(organisations=2_000, activities=200, participations=20_000)
        tokens = make_registry()
        import_upload("memberships", MEMBERSHIPS.encode(), "m.csv", principal=LOCAL)
        make_users()
        dispose_engines()
    yield url, tokens


@pytest.fixture(scope="module")
def tokens(database: tuple[str, dict[str, str]]) -> dict[str, str]:
    return database[1]


@pytest.fixture(scope="module")
def server(database: tuple[str, dict[str, str]], live_server: Callable[..., Any]) -> Iterator[str]:
    env = {
        "KLYNGE_SECRET_KEY": "browser-tests-" + "x" * 32,
        # The rate-limit test comes from an address of its own (X-Forwarded-For), so that its
        # blocked address is not the other tests' 127.0.0.1.
        "KLYNGE_TRUST_PROXY": "1",
    }
    if SAMPLE.is_file():
        env["KLYNGE_REGIONS_SAMPLE"] = str(SAMPLE)
    with live_server(database[0], env) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: Callable[..., Any]) -> Iterator[Any]:
    with chromium() as b:
        yield b


def new_page(browser: Any, base: str, locale: str = "en-GB", **kw: Any) -> Any:
    """A fresh browser context: no cookies, ``Accept-Language`` from the locale."""
    # bypass_csp lets the tests inject axe-core; the pages themselves allow no script.
    context = browser.new_context(base_url=base, locale=locale, bypass_csp=True, **kw)
    return context.new_page()


def h1(page: Any) -> str:
    text: str = page.locator("h1").inner_text()
    return text


# -- find your cluster ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("locale", "text", "expect"),
    [
        ("da-DK", "Vi udvikler og producerer høreapparater", "Hvorfor"),
        ("da-DK", "Vi driver en frisørsalon i Vejle", "Ingen klynge passer"),
        ("da-DK", "Vi driver et hotel og et feriecenter ved Vesterhavet", "Turisme"),
        ("en-GB", "We make industrial robots and drones", "Odense Robotics"),
        ("en-GB", "We are a law firm advising on contracts", "No cluster fits"),
        ("en-GB", "We run a hotel and a holiday resort by the sea", "Tourism"),
    ],
)
def test_find_your_cluster(browser: Any, server: str, locale: str, text: str, expect: str) -> None:
    page = new_page(browser, server, locale)
    page.goto(f"/find?on={DAY}")
    danish = locale.startswith("da")
    assert h1(page) == ("Find din klynge" if danish else "Find your cluster")
    label = "Hvad laver din virksomhed?" if danish else "What does your company do?"
    page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Find min klynge" if danish else "Find my cluster").click()
    result = page.locator("section.result")
    result.wait_for()
    body = result.inner_text()
    assert expect in body
    if expect in ("Ingen klynge passer", "No cluster fits", "Turisme", "Tourism"):
        # No cluster: the answer ends with what to do instead (since session 11 the router's
        # own next step, said once, not a second line of the page's).
        assert ("Næste skridt" if danish else "Next step") in body
    if expect in ("Turisme", "Tourism"):
        assert "destination" in body.lower()
    page.context.close()


# -- the language switch --------------------------------------------------------------------------
def test_language_switch_survives_navigation(browser: Any, server: str) -> None:
    page = new_page(browser, server, "en-GB")
    page.goto("/")
    assert h1(page) == "Denmark's cluster organisations"
    page.get_by_role("link", name="Dansk").click()
    assert h1(page) == "Danmarks klyngeorganisationer"
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("link", name="Find din klynge").first.click()
    assert h1(page) == "Find din klynge"
    page.goto("/clusters/odense-robotics")
    assert page.get_by_text("Hovedsæde", exact=True).count() == 1
    # The browser asks for English, but the reader chose Danish: the choice wins on a new page.
    page.goto("/regions/DK03")
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/regions/DK03")
    assert h1(page) == "Region of Southern Denmark"
    page.context.close()


# -- accessibility --------------------------------------------------------------------------------
PAGES = [
    "/",
    f"/?on={DAY}",
    "/find",
    f"/find?q=We+make+hearing+aids&on={DAY}",
    f"/find?q=We+run+a+hair+salon&on={DAY}",
    "/clusters/danish-sound-cluster",
    "/regions/DK01",
    "/specialisation?year=2018",
    "/no-such-page",
]


@pytest.mark.parametrize("locale", ["da-DK", "en-GB"])
def test_no_serious_accessibility_violations(browser: Any, server: str, locale: str) -> None:
    page = new_page(browser, server, locale)
    problems = []
    for path in PAGES:
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                problems.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} {targets}")
    page.context.close()
    assert problems == []


# -- the keyboard alone ---------------------------------------------------------------------------
def test_find_your_cluster_with_the_keyboard_alone(browser: Any, server: str) -> None:
    page = new_page(browser, server, "en-GB")
    page.goto(f"/find?on={DAY}")

    def focused() -> str:
        value: str = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.id || e.getAttribute('href') || e.tagName; }"
        )
        return value

    # The first Tab reaches the skip link, and it leads to the content.
    page.keyboard.press("Tab")
    assert focused() == "#main"
    page.keyboard.press("Enter")
    # From the content, Tab reaches the form's fields in order, then the button.
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused() == "q":
            break
    assert focused() == "q"
    page.keyboard.type("We make industrial robots and drones")
    page.keyboard.press("Tab")
    assert focused() == "nace"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    page.locator("section.result").wait_for()
    assert "Odense Robotics" in page.locator("section.result").inner_text()
    # A visible focus ring: the focused element has an outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.context.close()


# -- people: staff, tenancy -----------------------------------------------------------------------
def sign_in(browser: Any, server: str, token: str, locale: str = "en-GB") -> Any:
    page = new_page(browser, server, locale)
    page.goto("/me")  # not signed in: sent to the sign-in page, and back afterwards
    assert "/login" in page.url
    page.get_by_label("Access token" if locale.startswith("en") else "Adgangsnøgle").fill(token)
    en = locale.startswith("en")
    page.get_by_role(
        "button", name="Sign in with the token" if en else "Log ind med nøglen"
    ).click()
    assert page.url.endswith("/me")
    return page


def log_in(browser: Any, server: str, who: str, locale: str = "en-GB", **kw: Any) -> Any:
    """Sign in with the e-mail and password of a test user (conftest's USERS)."""
    page = new_page(browser, server, locale, **kw)
    page.goto("/me")
    assert "/login" in page.url
    en = locale.startswith("en")
    page.get_by_label("E-mail").fill(USERS[who][0])
    page.get_by_label("Password" if en else "Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Sign in" if en else "Log ind", exact=True).click()
    assert page.url.endswith("/me"), page.url
    return page


def test_staff_import_a_file_with_a_bad_row_fix_it_and_see_the_account_change(
    browser: Any, server: str, tokens: dict[str, str], tmp_path: Path
) -> None:
    page = sign_in(browser, server, tokens["clean"])
    assert "staff of CLEAN" in page.locator("main").inner_text()

    def companies() -> str:
        page.goto("/account?year=2023")
        row = page.locator("tr", has=page.locator("th", has_text="compan")).first
        text: str = row.locator("td").first.inner_text()
        return text.strip()

    def upload(name: str, content: str) -> None:
        path = tmp_path / name
        path.write_text(content)
        page.goto("/import")
        page.get_by_label("Table").select_option("participations")
        page.get_by_label("File (CSV or XLSX)").set_input_files(str(path))
        page.get_by_role("button", name="Import").click()

    before = companies()
    upload("participations.csv", PARTICIPATIONS_BAD)
    report = page.get_by_role("alert").inner_text()
    assert "Nothing was imported" in report and "row 3" in report and "boss" in report
    assert companies() == before

    upload("participations-fixed.csv", PARTICIPATIONS_GOOD)
    assert "Imported" in page.get_by_role("status").inner_text()
    assert companies() != before
    page.context.close()


def test_staff_of_one_cluster_are_refused_another_clusters_pages(
    browser: Any, server: str, tokens: dict[str, str]
) -> None:
    page = sign_in(browser, server, tokens["made"])
    for path in ("/account?cluster=clean", "/account?cluster=CLEAN&year=2023", "/admin/tokens"):
        response = page.goto(path)
        assert response is not None and response.status == 403, path
        assert "CLEAN" not in page.locator("main").inner_text().replace("clean", "")
    # CLEAN's own member and activity pages, by the ids CLEAN's token reads through the API.
    own = {"Authorization": f"Bearer {tokens['clean']}"}
    for table in ("memberships", "activities"):
        rows = page.request.get(f"/api/v1/registry/{table}?limit=5", headers=own).json()["items"]
        assert rows and all(r["cluster"] == "clean" for r in rows)
        for row in rows:
            response = page.goto(f"/registry/{table}/{row['id']}")
            assert response is not None and response.status == 404, (table, row["id"])
            assert row.get("title", "\0") not in page.locator("main").inner_text()
        # ...while their own page lists MADE's rows only.
        page.goto(f"/registry/{table}")
        listed = page.locator("main table tbody tr").all_inner_texts()
        assert listed and all("clean" not in r.split("\t") for r in listed), table
    # The API refuses the same rows to the same role (the pages and the API share the services).
    api = page.request.get(
        "/api/v1/registry/participations",
        headers={"Authorization": f"Bearer {tokens['made']}"},
    )
    assert all(row.get("cluster") != "clean" for row in api.json().get("items", []))
    page.context.close()


def test_log_in_with_a_password(browser: Any, server: str) -> None:
    page = log_in(browser, server, "clean")
    main = page.locator("main").inner_text()
    assert "staff of CLEAN" in main and USERS["clean"][0] in main
    page.get_by_role("button", name="Sign out").click()
    page.goto("/me")
    assert "/login" in page.url
    page.context.close()


def test_a_wrong_password_shows_an_error_and_repeated_failures_are_limited(
    browser: Any, server: str
) -> None:
    # An address of its own, so that blocking it leaves the other tests' address alone.
    page = new_page(
        browser, server, "da-DK", extra_http_headers={"X-Forwarded-For": "203.0.113.41"}
    )

    def attempt(password: str) -> int:
        page.goto("/login")
        page.get_by_label("E-mail").fill(USERS["analyst"][0])
        page.get_by_label("Adgangskode").fill(password)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Log ind", exact=True).click()
        status: int = answer.value.status
        return status

    assert attempt("forkert kodeord") == 401
    alert = page.get_by_role("alert").inner_text()
    assert "Forkert e-mail eller adgangskode." in alert
    assert page.get_by_label("E-mail").input_value() == USERS["analyst"][0]
    for _ in range(4):
        assert attempt("forkert kodeord") == 401
    assert attempt(PASSWORD) == 429  # even the right password waits now
    assert "For mange mislykkede forsøg" in page.get_by_role("alert").inner_text()
    page.context.close()
    # The same person from their usual address is not blocked by that.
    log_in(browser, server, "analyst").context.close()


def _first_id(page: Any, table: str) -> int:
    page.goto(f"/registry/{table}")
    href: str = page.locator("main table tbody tr th a").first.get_attribute("href")
    return int(href.rsplit("/", 1)[1])


def test_staff_edit_a_row_and_see_it_changed(browser: Any, server: str) -> None:
    page = log_in(browser, server, "clean")
    row = _first_id(page, "activities")
    page.goto(f"/registry/activities/{row}")
    page.get_by_role("link", name="Edit this row").click()
    title = page.get_by_label("Title")
    title.fill("Vand, varme og køling")
    page.get_by_label("Funding (DKK)").fill("125000")
    page.get_by_role("button", name="Save").click()
    assert "Saved" in page.get_by_role("status").inner_text()
    page.goto(f"/registry/activities/{row}")
    facts = page.locator("dl.facts").inner_text()
    assert "Vand, varme og køling" in facts and "125,000" in facts
    # A bad value is refused beside its field, and nothing is saved.
    page.goto(f"/registry/activities/{row}/edit")
    page.get_by_label("Funding (DKK)").fill("a lot")
    page.get_by_role("button", name="Save").click()
    assert "Not saved" in page.get_by_role("alert").inner_text()
    field = page.get_by_label("Funding (DKK)")
    assert field.get_attribute("aria-invalid") == "true"
    assert "is not a whole number" in page.locator("#e-funding_dkk").inner_text()
    page.goto(f"/registry/activities/{row}")
    assert "125,000" in page.locator("dl.facts").inner_text()
    page.context.close()


def test_edit_pages_refuse_another_clusters_rows_by_url(
    browser: Any, server: str, tokens: dict[str, str]
) -> None:
    own = {"Authorization": f"Bearer {tokens['clean']}"}
    page = log_in(browser, server, "made")
    for table in ("activities", "memberships"):
        rows = page.request.get(f"/api/v1/registry/{table}?limit=3", headers=own).json()["items"]
        assert rows
        for r in rows:
            response = page.goto(f"/registry/{table}/{r['id']}/edit")
            assert response is not None and response.status == 404, (table, r["id"])
    page.context.close()


def test_a_member_edits_its_own_profile_and_is_refused_anothers(
    browser: Any, server: str, tokens: dict[str, str]
) -> None:
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    page = log_in(browser, server, "alfa", "da-DK")
    page.get_by_role("link", name="Din organisations profil").click()
    assert "/registry/organisations/" in page.url and page.url.endswith("/edit")
    page.get_by_label("Navn").fill("Alfa Robotik ApS")
    page.get_by_label("Ansatte", exact=True).fill("21")
    page.get_by_role("button", name="Gem").click()
    assert "Gemt" in page.get_by_role("status").inner_text()
    own = page.request.get("/api/v1/registry/organisations?limit=100", headers=admin).json()
    mine = next(o for o in own["items"] if o["key"] == "31000009")
    assert mine["name"] == "Alfa Robotik ApS" and mine["employees"] == 21
    other = next(o for o in own["items"] if o["key"] == "31000076")
    response = page.goto(f"/registry/organisations/{other['id']}/edit")
    assert response is not None and response.status == 404
    response = page.goto("/registry/organisations")
    assert response is not None and response.status == 403
    page.context.close()


def test_the_private_pages_pass_the_accessibility_check(
    browser: Any, server: str, tokens: dict[str, str]
) -> None:
    problems = []
    ask = urllib.request.Request(
        server + "/api/v1/registry/memberships?limit=1",
        headers={"Authorization": f"Bearer {tokens['clean']}"},
    )
    with urllib.request.urlopen(ask, timeout=10) as r:
        member = json.loads(r.read())["items"][0]["id"]
    staff_pages = ["/registry", "/registry/organisations", f"/registry/memberships/{member}"]
    edits = [f"/registry/memberships/{member}/edit", "/registry/contacts"]
    for who, paths in (
        ("admin", ["/me", "/account?year=2023", "/admin/tokens", "/admin/users", "/import"]),
        ("clean", ["/me", "/account", *staff_pages, *edits]),
    ):
        for locale in ("da-DK", "en-GB"):
            page = sign_in(browser, server, tokens[who], locale)
            for path in ["/login", *paths]:
                page.goto(path)
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("async () => await axe.run(document)")
                problems += [
                    f"{who} {locale} {path}: {v['id']} ({v['impact']}): {v['help']}"
                    for v in result["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
            page.context.close()
    for locale in ("da-DK", "en-GB"):  # a member's own profile, signed in with a password
        page = log_in(browser, server, "alfa", locale)
        page.goto("/profile")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        problems += [
            f"member {locale} /profile: {v['id']} ({v['impact']}): {v['help']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        page.context.close()
    assert problems == []


# -- screenshots ----------------------------------------------------------------------------------
SHOTS = [
    ("home", f"/?on={DAY}"),
    ("home-unknown-2026", "/?on=2026-06-01"),
    ("find", f"/find?q={{q}}&on={DAY}"),
    ("find-no-fit", f"/find?q={{none}}&on={DAY}"),
    ("cluster", "/clusters/danish-sound-cluster"),
    ("specialisation", "/specialisation?year=2018"),
]
QUERIES = {
    "da": {"q": "Vi+udvikler+og+producerer+høreapparater", "none": "Vi+driver+en+frisørsalon"},
    "en": {"q": "We+develop+and+make+hearing+aids", "none": "We+run+a+hair+salon"},
}


def test_screenshots_of_the_main_pages(
    browser: Any, server: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    """Renders the main pages in both languages; ``KLYNGE_SCREENSHOTS=1`` keeps them in docs/."""
    keep = bool(os.environ.get("KLYNGE_SCREENSHOTS"))
    out = SCREENSHOTS if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    for lang, locale in (("da", "da-DK"), ("en", "en-GB")):
        page = new_page(browser, server, locale, viewport={"width": 1200, "height": 900})
        for name, path in SHOTS:
            page.goto(path.format(**QUERIES[lang]))
            assert page.locator("html").get_attribute("lang") == lang
            target = out / f"{name}-{lang}.png"
            full = name.startswith(("home", "specialisation"))
            page.screenshot(path=str(target), full_page=full)
            assert target.stat().st_size > 10_000
        page.context.close()
        # Signed in as staff: their cluster's activities, page by page.
        page = sign_in(browser, server, tokens["clean"], locale)
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto("/registry/activities")
        page.screenshot(path=str(out / f"registry-staff-{lang}.png"))
        page.context.close()
        # Signed in as the national analyst: every cluster's account side by side.
        page = sign_in(browser, server, tokens["analyst"], locale)
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto("/account?year=2023")
        page.screenshot(path=str(out / f"account-analyst-{lang}.png"), full_page=True)
        page.context.close()
        # The sign-in page; staff editing a row; a member's own profile; the admin's users.
        page = new_page(browser, server, locale, viewport={"width": 1200, "height": 900})
        page.goto("/login")
        page.screenshot(path=str(out / f"login-{lang}.png"))
        page.context.close()
        page = log_in(browser, server, "clean", locale)
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(f"/registry/activities/{_first_id(page, 'activities')}/edit")
        page.screenshot(path=str(out / f"edit-staff-{lang}.png"), full_page=True)
        page.context.close()
        page = log_in(browser, server, "alfa", locale)
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto("/profile")
        page.screenshot(path=str(out / f"profile-member-{lang}.png"), full_page=True)
        page.context.close()
        page = log_in(browser, server, "admin", locale)
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto("/admin/users")
        page.screenshot(path=str(out / f"users-admin-{lang}.png"), full_page=True)
        page.context.close()
