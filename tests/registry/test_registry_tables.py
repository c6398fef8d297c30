"""Row validation and the formula-injection guard, without a database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from registry_helpers import REAL_CVR

from klynge.landscape import get_landscape
from klynge.registry.tables import (
    Checks,
    escape_cell,
    parse_row,
    table_spec,
    unescape_cell,
)

CHECKS = Checks.from_landscape(get_landscape(), today=date(2025, 6, 1))


def errors(table: str, row: dict[str, Any]) -> dict[str, str]:
    values, errs, _ = parse_row(table_spec(table), row, CHECKS)
    assert (values is None) == bool(errs)
    found: dict[str, str] = {}
    for e in errs:
        found[e.column] = f"{found.get(e.column, '')} {e.reason}".strip()
    return found


@given(st.text())
def test_escaping_round_trips_and_disarms_formulas(value: str) -> None:
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_formula_cells_get_an_apostrophe() -> None:
    assert escape_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert escape_cell("-5") == "'-5"
    assert escape_cell("Aarhus") == "Aarhus"


def test_valid_company_takes_its_cvr_as_key_and_region_from_municipality() -> None:
    values, errs, _ = parse_row(
        table_spec("organisations"),
        {"cvr": REAL_CVR, "name": "X", "kind": "Company", "employees": "12",
         "municipality": "aarhus"},
        CHECKS,
    )  # fmt: skip
    assert errs == []
    assert values is not None
    assert values["key"] == REAL_CVR
    assert values["kind"] == "company"
    assert values["municipality"] == "Aarhus"
    assert values["nuts2"] == "DK04"
    assert values["country"] == "DK"


@pytest.mark.parametrize("written", ["29 86 39 97", "DK29863997", "dk-29863997", "DK 29863997"])
def test_cvr_as_printed_on_invoices_or_as_vat_number_is_read(written: str) -> None:
    values, errs, _ = parse_row(
        table_spec("organisations"), {"cvr": written, "name": "X", "kind": "company"}, CHECKS
    )
    assert errs == [] and values is not None
    assert values["cvr"] == values["key"] == REAL_CVR


@pytest.mark.parametrize("written", ["29 86 39 96", "DK2986399", "SE29863997", "29-86-39-97"])
def test_other_spellings_still_fail_the_cvr_check(written: str) -> None:
    assert "cvr" in errors("organisations", {"cvr": written, "name": "X", "kind": "company"})


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ({"cvr": "29863996", "name": "X", "kind": "company"}, "cvr", "modulus-11"),
        ({"name": "X", "kind": "company"}, "cvr", "needs its CVR"),
        ({"cvr": REAL_CVR, "name": "X", "kind": "company", "employees": "-4"}, "employees",
         "negative"),
        ({"cvr": REAL_CVR, "name": "X", "kind": "company", "employees": "many"}, "employees",
         "whole number"),
        ({"key": "k", "name": "X", "kind": "castle"}, "kind", "unknown value"),
        ({"key": "12345678", "name": "X", "kind": "other"}, "key", "looks like a CVR"),
        ({"cvr": REAL_CVR, "name": "X", "kind": "company", "country": "SE"}, "cvr", "Danish"),
        ({"cvr": REAL_CVR, "name": "X", "kind": "company", "municipality": "Aarhus",
          "nuts2": "DK01"}, "nuts2", "DK04"),
        ({"cvr": REAL_CVR, "name": "X", "kind": "company", "employees_on": "2030-01-01"},
         "employees_on", "future"),
        ({"cvr": REAL_CVR, "kind": "company"}, "name", "required"),
        ({"key": "k", "name": "X", "kind": "other", "country": "XX"}, "country", "ISO 3166"),
        ({"key": "k", "name": "X", "kind": "other", "country": "SE", "employees": "3000000000"},
         "employees", "more than any organisation"),
        ({"key": "k", "name": "X", "kind": "other", "country": "uk"}, "country", "is GB"),
        ({"key": "k", "name": "X", "kind": "other", "country": "SWE"}, "country", "ISO 3166"),
    ],
)  # fmt: skip
def test_bad_organisations_name_the_column_and_reason(
    row: dict[str, Any], column: str, fragment: str
) -> None:
    assert fragment in errors("organisations", row)[column]


ACTIVITY = {"cluster": "clean", "ref": "A", "type": "workshop", "title": "T",
            "start_date": "2023-01-10"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"cluster": "atlantis"}, "cluster", "unknown cluster"),
        ({"start_date": "2025-07-01"}, "start_date", "future"),
        ({"end_date": "2023-01-09"}, "end_date", "before it starts"),
        ({"start_date": "2023-13-45"}, "start_date", "not a date"),
        ({"type": "party"}, "type", "unknown value"),
        ({"funding_dkk": "-1"}, "funding_dkk", "negative"),
        (
            {"private_cofinancing_dkk": "10000000000000000000000"},
            "private_cofinancing_dkk",
            "implausibly large",
        ),
        # MARLOG went bankrupt in April 2022: an activity of it in 2023 cannot be right.
        ({"cluster": "marlog"}, "start_date", "outside marlog's terms"),
        # Before the 2021-2024 programme began, no cluster held a national term.
        ({"start_date": "2020-06-01", "end_date": "2021-02-01"}, "start_date", "outside"),
    ],
)
def test_bad_activities_name_the_column_and_reason(
    change: dict[str, str], column: str, fragment: str
) -> None:
    assert fragment in errors("activities", {**ACTIVITY, **change})[column]


def test_activity_without_end_is_a_one_day_event_and_danish_dates_parse() -> None:
    values, errs, _ = parse_row(
        table_spec("aktiviteter"), {**ACTIVITY, "start_date": "10-01-2023"}, CHECKS
    )
    assert errs == [] and values is not None
    assert values["start_date"] == values["end_date"] == date(2023, 1, 10)


def test_one_bad_row_reports_every_bad_cell() -> None:
    found = errors(
        "outcomes",
        {"organisation": "", "cluster": "nowhere", "activity": "A", "type": "fame",
         "reported_on": "2099-01-01"},
    )  # fmt: skip
    assert set(found) == {"organisation", "cluster", "type", "reported_on"}


def test_membership_dates_must_be_in_order() -> None:
    found = errors(
        "memberships",
        {"organisation": "x", "cluster": "made", "from_date": "2022-01-01",
         "to_date": "2021-01-01"},
    )  # fmt: skip
    assert "before it starts" in found["to_date"]


def test_unknown_table_names_the_tables() -> None:
    with pytest.raises(KeyError, match="organisations"):
        table_spec("companies")


def test_activity_in_a_programme_whose_clusters_are_unknown_is_accepted_with_a_warning() -> None:
    # The landscape names no clusters for 2025-2028 except MADE: CLEAN's 2025 work is unchecked.
    values, errs, warnings = parse_row(
        table_spec("activities"), {**ACTIVITY, "start_date": "2025-03-01"}, CHECKS
    )
    assert errs == [] and values is not None
    [w] = warnings
    assert w.column == "start_date" and "could not be checked" in w.reason
    assert "kunne ikke kontrolleres" in w.text.da


def test_control_characters_are_refused() -> None:
    found = errors("organisations", {"key": "k", "name": "Bad\x00Name", "kind": "other"})
    assert "control characters" in found["name"]


@settings(deadline=None, max_examples=60)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_any_clean_name_survives_csv_and_xlsx(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    from klynge.registry.files import open_table, write_csv, write_xlsx
    from klynge.registry.tables import CONTROL_RE

    name = name.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not name or CONTROL_RE.search(name):
        return
    folder = tmp_path_factory.mktemp("names")
    spec = table_spec("organisations")
    for path in (folder / "o.csv", folder / "o.xlsx"):
        row = ["k1", None, name, "other", None, None, None, None, None, "DK", False]
        if path.suffix == ".csv":
            write_csv(path, spec.columns, [row])
        else:
            write_xlsx(path, spec.name, spec.columns, [row])
        source, problems = open_table(path, spec)
        [(_, raw)] = list(source.rows)
        source.close()
        values, errs, _ = parse_row(spec, raw, CHECKS)
        assert problems == [] and errs == [] and values is not None
        assert values["name"] == name
