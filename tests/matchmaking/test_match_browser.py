"""A small brokerage event end to end in a real browser (Debian's Chromium via Playwright)
against ``klynge serve``: two companies ask to meet each other at the event, each accepts the
other's request, staff schedule the event, and both download their agenda (.ics and PDF).

Needs the scheduler core (``klynge.services.events``) and Chromium; without Chromium the test
skips locally and fails in CI, as the other browser tests do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from match_helpers import PROFILES, REGISTRY

pytest.importorskip("klynge.services.events")

PASSWORD = "correct horse battery staple 7"
AXE = Path(__file__).resolve().parents[1] / "web" / "vendor" / "axe.min.js"
EVENT = {
    "cluster": "made",
    "ref": "b2b",
    "name": "MADE B2B",
    "tables": 1,
    "slots": [
        {"start": "2026-11-20T10:00:00", "end": "2026-11-20T10:20:00"},
        {"start": "2026-11-20T10:20:00", "end": "2026-11-20T10:40:00"},
    ],
    "participants": [{"email": "anna@nebel.dk"}, {"email": "ute@rotorblatt.de"}],
}
#: An event of its own for the slots editor (nobody takes part, so the members' pages of the
#: first test are as before), so that no other test depends on what it changes.
SLOTS_EVENT = {
    **EVENT,
    "ref": "slots",
    "name": "MADE Slots",
    "participants": [],
    "slots": [
        {"start": "2026-11-22T10:00:00", "end": "2026-11-22T10:20:00", "session": "Morning"},
        {"start": "2026-11-22T10:20:00", "end": "2026-11-22T10:40:00", "session": "Morning"},
    ],
}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, live_server: Callable[..., Any]
) -> Iterator[tuple[str, str]]:
    from klynge.services import matchmaking as mm
    from klynge.services.auth import LOCAL, create_token
    from klynge.services.registry import dispose_engines, import_path
    from klynge.services.users import create_user

    folder = tmp_path_factory.mktemp("match-browser")
    url = f"sqlite:///{folder / 'klynge.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KLYNGE_DATABASE_URL", url)
        for table, text in REGISTRY.items():
            (folder / f"{table}.csv").write_text(text, encoding="utf-8")
            import_path(table, folder / f"{table}.csv", principal=LOCAL)
        (folder / "profiles.csv").write_text(PROFILES, encoding="utf-8")
        mm.import_profiles(folder / "profiles.csv", principal=LOCAL)
        mm.create_event(mm.EventIn.model_validate(EVENT), principal=LOCAL)
        mm.create_event(mm.EventIn.model_validate(SLOTS_EVENT), principal=LOCAL)
        create_user("anna@nebel.dk", PASSWORD, "member", organisation="29863997", principal=LOCAL)
        create_user("ute@rotorblatt.de", PASSWORD, "member", organisation="de-1", principal=LOCAL)
        staff = create_token("staff", "made", principal=LOCAL).token
        dispose_engines()
    with live_server(url, {"KLYNGE_SECRET_KEY": "m" * 40}) as base:
        yield base, staff


@pytest.fixture(scope="module")
def browser(chromium: Callable[..., Any]) -> Iterator[Any]:
    with chromium() as b:
        yield b


def _member(browser: Any, base: str, email: str, locale: str) -> Any:
    # bypass_csp lets the test inject axe-core; the pages themselves allow no script.
    page = browser.new_context(
        base_url=base, locale=locale, accept_downloads=True, bypass_csp=True
    ).new_page()
    page.goto("/login")
    danish = locale.startswith("da")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode" if danish else "Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log ind" if danish else "Sign in", exact=True).click()
    page.wait_for_url("**/me")
    return page


def test_two_companies_meet_at_a_scheduled_event(browser: Any, server: tuple[str, str]) -> None:
    base, staff_token = server
    anna = _member(browser, base, "anna@nebel.dk", "en-GB")
    ute = _member(browser, base, "ute@rotorblatt.de", "da-DK")

    # Each asks the other for a meeting at the event, from their recommendations.
    anna.goto("/match/recommendations/29863997")
    anna.get_by_role("button", name="Deutsche Rotorblatt GmbH").click()
    anna.wait_for_url("**/match")
    ute.goto("/match/recommendations/de-1")
    ute.get_by_role("button", name="Nebel Droner ApS").click()
    ute.wait_for_url("**/match")
    assert "Gensidig" in ute.content()

    # Each accepts the other's request.
    for page, accept in ((anna, "Accept"), (ute, "Accepter")):
        page.goto("/match")
        page.get_by_role("button", name=accept, exact=True).first.click()
        page.wait_for_url("**/match")

    # Staff of MADE schedule their event.
    staff = browser.new_context(base_url=base, locale="en-GB", bypass_csp=True).new_page()
    staff.goto("/login")
    staff.get_by_label("Access token").fill(staff_token)
    staff.get_by_role("button", name="Sign in with the token").click()
    staff.wait_for_url("**/me")
    staff.goto("/match/events/b2b")
    staff.get_by_role("button", name="Schedule now").click()
    staff.wait_for_url("**/match/events/b2b")
    assert "1 meetings placed; at most 1 can be placed" in staff.content()

    # Both download their agenda.
    for page, meets, link, suffix in (
        (anna, "Ute Blatt", "Download for your calendar (.ics)", ".ics"),
        (ute, "Anna Nebel", "Mødeplan til udskrift (PDF)", ".pdf"),
    ):
        page.goto("/match")
        page.locator("a[href='/match/events/b2b/agenda']").click()
        assert meets in page.content()
        with page.expect_download() as info:
            page.get_by_role("link", name=link).click()
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        content = Path(download.path()).read_bytes()
        assert content.startswith(b"BEGIN:VCALENDAR" if suffix == ".ics" else b"%PDF")
        if suffix == ".ics":
            assert meets.encode() in content

    # No serious accessibility problem on any matchmaking page, in either language.
    problems = []
    for page, paths in (
        (
            anna,
            [
                "/match",
                "/match/profiles/29863997",
                "/match/recommendations/29863997",
                "/match/events/b2b/agenda",
            ],
        ),
        (ute, ["/match", "/match/events/b2b/agenda"]),
        (staff, ["/match", "/match/events/b2b"]),
    ):
        for path in paths:
            page.goto(path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            problems += [
                f"{path}: {v['id']} ({v['impact']}): {v['help']}"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
    assert problems == []


def test_staff_create_a_small_event_with_the_form(browser: Any, server: tuple[str, str]) -> None:
    """Staff fill in the new-event form: a mistake comes back beside its field (nothing saved),
    the corrected event is created, and its page shows the slots with the break, the tables
    and the participants with their availability."""
    base, staff_token = server
    staff = browser.new_context(base_url=base, locale="en-GB", bypass_csp=True).new_page()
    staff.goto("/login")
    staff.get_by_label("Access token").fill(staff_token)
    staff.get_by_role("button", name="Sign in with the token").click()
    staff.wait_for_url("**/me")
    staff.goto("/match")
    staff.get_by_role("link", name="Create an event").click()
    staff.wait_for_url("**/match/events/new")
    staff.get_by_label("Short reference (used in links)").fill("day")
    staff.get_by_label("Name", exact=True).fill("MADE Matchmaking Day")
    staff.get_by_label("Tables or rooms").fill("2")
    staff.get_by_label("Slots, one a line").fill(
        "2026-11-21 09:00-09:20 Morning\n2026-11-21 09:20-09:40 Morning\n"
        "2026-11-21 10:00-10:20 After the break\n"
    )
    people = staff.get_by_label("Participants, one a line")
    people.fill("anna@nebel.dk; 0-2\nute@rotorblatt.de; 1, 5\n")
    staff.get_by_role("button", name="Create the event").click()
    error = staff.locator("#e-participants")
    assert "line 2: availability outside the event: slots [5]" in error.inner_text()
    assert people.get_attribute("aria-invalid") == "true"

    # Nothing was saved; fix the line and send again (the form kept what was typed).
    people.fill("anna@nebel.dk; 0-2\nute@rotorblatt.de; 1, 2; 1\n")
    staff.get_by_role("button", name="Create the event").click()
    staff.wait_for_url("**/match/events/day")
    html = staff.content()
    assert "MADE Matchmaking Day" in html
    assert "3 slots, 2 tables, 2 participants." in html
    row = staff.locator("tr", has_text="Ute Blatt")
    assert row.locator("td").nth(1).inner_text() == "1, 2"
    staff.goto("/match/events/new")
    staff.add_script_tag(path=str(AXE))
    result = staff.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []


def test_staff_move_add_and_cancel_slots_on_the_events_page(
    browser: Any, server: tuple[str, str]
) -> None:
    """The slots editor: an overlap comes back beside the slot's field (nothing saved), a slot
    is moved and renamed, one is added at the next number, one is cancelled and keeps its
    number; the page reads in Danish too and has no serious accessibility problem."""
    base, staff_token = server
    staff = browser.new_context(base_url=base, locale="en-GB", bypass_csp=True).new_page()
    staff.goto("/login")
    staff.get_by_label("Access token").fill(staff_token)
    staff.get_by_role("button", name="Sign in with the token").click()
    staff.wait_for_url("**/me")
    staff.goto("/match/events/slots")
    second = staff.get_by_label("Slot 1: date, start-end, session")
    assert second.input_value() == "2026-11-22 10:20-10:40 Morning"
    second.fill("2026-11-22 10:10-10:30 Morning")
    staff.get_by_role("button", name="Save slot 1").click()
    assert "slot 1 overlaps slot 0" in staff.locator("#se-1").inner_text()
    assert staff.get_by_label("Slot 1: date, start-end, session").get_attribute("aria-invalid")
    # Moved after a break and renamed.
    staff.get_by_label("Slot 1: date, start-end, session").fill("2026-11-22 11:00-11:20 Late")
    staff.get_by_role("button", name="Save slot 1").click()
    assert "Slot 1 saved." in staff.locator("#slot-done").inner_text()
    row = staff.locator("tbody tr").nth(1)
    assert row.locator("td").nth(3).inner_text() == "Late"
    # A new slot earlier in the day takes the next number.
    staff.get_by_label("Add a slot").fill("2026-11-22 09:40-10:00 Early")
    staff.get_by_role("button", name="Add the slot").click()
    assert "Slot 2 saved." in staff.locator("#slot-done").inner_text()
    assert "2 slots" not in staff.locator(".lead").inner_text()
    staff.get_by_role("button", name="Cancel the slot 0").click()
    assert "Slot 0 is cancelled." in staff.locator("#slot-done").inner_text()
    first = staff.locator("tbody tr").nth(0)
    assert first.locator("td").nth(3).inner_text() == "cancelled"
    assert "2 slots, 1 tables" in staff.locator(".lead").inner_text()
    staff.add_script_tag(path=str(AXE))
    result = staff.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
    # The same page in Danish.
    dansk = browser.new_context(base_url=base, locale="da-DK", bypass_csp=True).new_page()
    dansk.goto("/login")
    dansk.get_by_label("Adgangsnøgle").fill(staff_token)
    dansk.get_by_role("button", name="Log ind med nøglen").click()
    dansk.wait_for_url("**/me")
    dansk.goto("/match/events/slots")
    assert dansk.locator("tbody tr").nth(0).locator("td").nth(3).inner_text() == "aflyst"
    assert dansk.get_by_role("button", name="Tilføj tidsrummet").is_visible()
