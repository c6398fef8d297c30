"""The date rules: the records' span, dates with their source's precision, one default date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from klynge.api.app import create_app
from klynge.cli.main import app
from klynge.landscape import get_landscape
from klynge.landscape.model import Event, Term
from klynge.services import landscape as svc

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def codes(caveats: list) -> list[str]:
    return [c.code if hasattr(c, "code") else c["code"] for c in caveats]


# -- after the records end: unknown, not empty ------------------------------------------------
def test_after_the_records_the_landscape_is_unknown_not_empty() -> None:
    ls = get_landscape()
    assert ls.records_end == date(2028, 12, 31)
    result = svc.list_clusters(date(2030, 1, 1), "en")
    assert result.total == 0 and "after-records" in codes(result.caveats)
    assert "unknown, not empty" in result.caveats[0].message
    areas = svc.list_areas(date(2030, 1, 1), "en")
    assert {a.cluster_state for a in areas.items} == {"unknown", "no-cluster-effort"}


def test_after_the_records_show_does_not_say_marlog_ended() -> None:
    area = svc.show_area("maritime-logistics", date(2030, 1, 1), "en")
    assert area.cluster_state == "unknown" and "after-records" in codes(area.caveats)
    out = run("show", "maritime-logistics", "--on", "2030-01-01")
    assert "unknown for this date" in out and "The records end on 31 December 2028" in out
    marlog = json.loads(run("show", "marlog", "--on", "2030-01-01", "--json"))
    assert "after-records" in codes(marlog["caveats"])


def test_the_last_recorded_day_is_not_after_the_records() -> None:
    assert "after-records" not in codes(svc.caveats_on(date(2028, 12, 31), "en"))


# -- before the first appointment: innovation networks, not covered --------------------------
def test_before_the_first_programme_the_answer_says_what_it_does_not_cover() -> None:
    result = svc.list_clusters(date(2020, 1, 1), "en")
    assert result.total == 0
    (caveat,) = [c for c in result.caveats if c.code == "before-records"]
    assert "innovation networks" in caveat.message and "1 January 2021" in caveat.message
    da = svc.list_clusters(date(2020, 1, 1), "da").caveats[0].message
    assert "innovationsnetværk" in da
    out = run("clusters", "--on", "2020-01-01", "--lang", "da")
    assert "afløste tidligere innovationsnetværk" in " ".join(out.split())


def test_the_first_day_of_the_records_has_no_before_caveat() -> None:
    assert "before-records" not in codes(svc.caveats_on(date(2021, 1, 1), "en"))


# -- dates with the precision their sources give ------------------------------------------------
def test_dates_keep_the_precision_of_their_source() -> None:
    ls = get_landscape()
    marlog, made = ls.clusters["marlog"], ls.clusters["made"]
    events = {e.kind: e for e in marlog.events}
    assert events["founded"].when == "2020-05" and events["founded"].precision == "month"
    assert events["bankrupt"].when == "2022-04"
    assert events["appointed"].when == "2020-10-01"
    assert marlog.terms[0].end_text == "2022-04" and marlog.active_to == date(2022, 4, 30)
    (grant,) = [e for e in made.events if e.kind == "reappointed"]
    assert grant.when == "2025" and grant.precision == "year"
    assert made.terms[1].start_text == "2025"


@pytest.mark.parametrize(
    ("slug", "day", "status"),
    [
        ("marlog", date(2022, 3, 31), "yes"),  # before the month of the bankruptcy
        ("marlog", date(2022, 4, 1), "yes"),  # the earliest end is still a day of the term
        ("marlog", date(2022, 4, 10), "maybe"),  # inside it: no source gives the day
        ("marlog", date(2022, 4, 30), "maybe"),
        ("marlog", date(2022, 5, 1), "no"),
        ("made", date(2024, 12, 31), "yes"),  # the 2021-2024 term
        ("made", date(2025, 1, 1), "maybe"),  # the 2025 grant has no day
        ("made", date(2025, 12, 30), "maybe"),
        ("made", date(2025, 12, 31), "yes"),  # begun by then, whatever the day
        ("made", date(2026, 1, 1), "yes"),
    ],
)
def test_a_day_inside_an_imprecise_date_is_uncertain(slug: str, day: date, status: str) -> None:
    assert get_landscape().clusters[slug].status_on(day) == status


def test_queries_treat_an_imprecise_date_honestly() -> None:
    result = svc.list_clusters(date(2022, 4, 10), "en")
    marlog = next(c for c in result.items if c.slug == "marlog")
    assert marlog.status == "uncertain" and marlog.active_to_precision == "month"
    assert "date-imprecise" in codes(result.caveats)
    assert result.total == 14  # 13 surely active, MARLOG possibly
    area = svc.show_area("maritime-logistics", date(2022, 4, 10), "en")
    assert area.cluster_state == "unknown" and area.last_known is not None
    assert get_landscape().cluster_for_area("maritime-logistics", date(2022, 4, 10)) is None
    shown = svc.show_cluster("marlog", date(2022, 4, 10), "en")
    assert shown.active is False and shown.status == "uncertain"
    assert svc.list_clusters(date(2022, 5, 1), "en").total == 13


def test_the_cli_prints_dates_as_precisely_as_the_source() -> None:
    out = run("show", "made", "--lang", "da")
    assert "2025: Fik bevilling" in out and "2025-01-01" not in out
    out = run("show", "marlog", "--lang", "da")
    assert "maj 2020: Stiftet" in out and "april 2022: Bestyrelsen" in out


@pytest.mark.parametrize("bad", ["2020-13", "20-05", "May 2020", "2020-5"])
def test_a_date_must_be_a_year_a_month_or_a_day(bad: str) -> None:
    with pytest.raises(ValidationError):
        Event.model_validate(
            {"on": bad, "kind": "founded", "text": {"da": "x", "en": "x"}, "sources": ["s"]}
        )


def test_an_imprecise_end_is_its_last_possible_day() -> None:
    term = Term.model_validate({"start": "2021", "end": "2022-02"})
    assert term.start == date(2021, 1, 1) and term.end == date(2022, 2, 28)
    assert term.start_text == "2021" and term.end_text == "2022-02"
    again = Term.model_validate(term.model_dump(mode="json"))
    assert again == term


# -- the 2025-2028 caveat reaches every face ------------------------------------------------------
def test_the_2025_2028_caveat_reaches_json_api_and_every_dated_answer() -> None:
    day = date(2026, 1, 1)
    for result in (
        svc.list_areas(day, "en"),
        svc.list_clusters(day, "en"),
        svc.list_regions(day, "en"),
        svc.geography(day, "en"),
        svc.show_cluster("made", day, "en"),
        svc.show_area("energy-technology", day, "en"),
        svc.show_programme("klyngeprogram-2025-2028", day, "en"),
        svc.check_focal_points("made", day, "en"),
    ):
        assert "list-unknown" in codes(result.caveats), type(result).__name__
    for command in ("areas", "clusters", "programmes", "geography"):
        data = json.loads(run(command, "--on", "2026-01-01", "--json"))
        assert "list-unknown" in codes(data["caveats"]), command
    data = json.loads(run("show", "made", "--on", "2026-01-01", "--json"))
    assert "list-unknown" in codes(data["caveats"])
    client = TestClient(create_app())
    body = client.get("/api/v1/clusters/made?on=2026-01-01").json()
    assert "list-unknown" in codes(body["caveats"])


def test_the_programmes_clusters_do_not_depend_on_a_start_day() -> None:
    # MADE's 2025 term has no start day, so it is not surely active on 2025-01-01, but the
    # records still place it in the programme.
    ls = get_landscape()
    assert ls.clusters_on(date(2025, 1, 1)) == []
    assert [c.slug for c in ls.clusters_in("klyngeprogram-2025-2028")] == ["made"]
    assert len(ls.clusters_in("innovationskraft-2021-2024")) == 14


def test_caveats_on_is_what_other_capabilities_call() -> None:
    # regions organisations and the charts carry these (see docs/landscape.md).
    assert codes(svc.caveats_on(date(2026, 1, 1), "da")) == ["list-unknown"]
    assert codes(svc.caveats_on(None, "en"))[0] == "default-date"
    assert svc.caveats_on(date(2023, 1, 1), "en") == []


# -- one default date, stated in every output ----------------------------------------------------
def test_the_default_is_the_last_fully_covered_day() -> None:
    ls = get_landscape()
    assert ls.default_day(today=date(2026, 12, 5)) == date(2024, 12, 31)
    assert ls.default_day(today=date(2023, 3, 1)) == date(2023, 3, 1)  # never in the future
    assert svc.default_day() == min(date.today(), date(2024, 12, 31))


def test_every_dated_answer_states_the_default() -> None:
    for result in (
        svc.list_areas(None, "en"),
        svc.list_clusters(None, "en"),
        svc.list_programmes(None, "en"),
        svc.list_regions(None, "en"),
        svc.geography(None, "en"),
        svc.lookup("marlog", None, "en"),
        svc.check_focal_points("clean", None, "en"),
    ):
        assert result.on == svc.default_day() and result.on_default
        assert codes(result.caveats)[0] == "default-date"
        assert "the last day the records cover in full" in result.caveats[0].message
    given = svc.list_clusters(date(2023, 1, 1), "en")
    assert not given.on_default and "default-date" not in codes(given.caveats)


def test_geography_follows_the_same_default_and_checks_claims_on_their_own_date() -> None:
    geo = svc.geography(None, "en")
    assert geo.on == svc.default_day() and geo.on_default
    assert geo.claims[0].on == date(2021, 1, 1) and geo.claims[0].verdict == "possible"


def test_the_cli_and_the_api_state_the_default() -> None:
    out = run("clusters", "--lang", "da")
    assert "Ingen dato angivet" in out and "31. december 2024" in out
    data = json.loads(run("geography", "--json"))
    assert data["on_default"] is True and data["caveats"][0]["code"] == "default-date"
    client = TestClient(create_app())
    body = client.get("/api/v1/areas").json()
    assert body["on_default"] is True and body["on"] == svc.default_day().isoformat()
    assert body["caveats"][0]["code"] == "default-date"
