"""Danish that reads as a Dane writes it: wording, numbers and amounts, and 80-column tables."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app
from klynge.cli.output import console
from klynge.landscape import DATA_DIR, fmt, get_landscape
from klynge.services import landscape as svc

runner = CliRunner()


@pytest.fixture(autouse=True)
def _eighty_columns() -> object:
    """The CLI's console as in an 80-column terminal (it reads the width once, at import)."""
    before = console.width
    console.width = 80
    yield
    console.width = before


def run80(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def _all_danish() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA_DIR.rglob("*.toml")))


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("Bygge digitale løsninger ind", "Integrere digitale løsninger"),
        ("Hjælpe virksomhederne til kompetencer", "Styrke virksomhedernes adgang til"),
        ("samarbejdende robotter mod mangel på arbejdskraft", "der kan afhjælpe manglen på"),
        ("mødes mellem finans og it", "i snitfladen mellem finans og it"),
        ("Samfinansiering", "Medfinansiering"),
        ("og de erhverv som detailhandlen, der mærker turismen", "mærker turismens effekt"),
        ("miljørigtige lydløsninger", "lydmiljø"),
    ],
)
def test_the_danish_fixes(wrong: str, right: str) -> None:
    text = _all_danish()
    assert wrong not in text and right in text


def test_no_comma_before_samt_and_one_short_form_of_the_board() -> None:
    text = _all_danish()
    assert ", samt" not in text
    short = set(re.findall(r"(?<!Danmarks )Erhvervsfremme\w*bestyrelse\w*", text))
    assert short <= {"Erhvervsfremmebestyrelsen"}, short


def test_mades_event_has_a_verb() -> None:
    (grant,) = [e for e in get_landscape().clusters["made"].events if e.kind == "reappointed"]
    assert grant.text.da.startswith("Fik bevilling")


def test_babel_formats_numbers_and_amounts() -> None:
    assert fmt.number(0.98, "da") == "0,98" and fmt.number(0.98, "en") == "0.98"
    assert fmt.number(1234.5, "da") == "1.234,5"
    assert fmt.percent(0.23, "da") == "23,0 %" and fmt.percent(0.23, "en") == "23.0%"
    assert fmt.dkk_million(640, "da") == "640 mio. kr."
    assert fmt.dkk_million(640, "en") == "DKK 640 million"
    assert fmt.when(date(2022, 4, 1), "month", "da") == "april 2022"
    assert fmt.day(date(2024, 12, 31), "da") == "31. december 2024"


def test_danish_output_uses_mio_kr_and_no_english_terms() -> None:
    for args in (("programmes",), ("show", "innovationskraft"), ("clusters",), ("areas",)):
        out = run80(*args, "--lang", "da")
        assert "DKK" not in out and "Slug" not in out, args
        assert not re.search(r"\d\.\d", out.replace("mio.", "")), args  # no decimal points
    prog = run80("show", "innovationskraft", "--lang", "da")
    assert "640 mio. kr." in prog and "80 mio. kr. om året" in prog
    assert "kortnavn" in run80("clusters", "--lang", "da")


def _words(texts: list[str]) -> set[str]:
    return {w for t in texts for w in t.split() if len(w) > 3}


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("on", ["2021-01-01", "2026-01-01"])
def test_tables_fit_80_columns_without_breaking_a_word(lang: str, on: str) -> None:
    day = date.fromisoformat(on)
    areas = svc.list_areas(day, lang)
    clusters = svc.list_clusters(day, lang)
    programmes = svc.list_programmes(day, lang)
    expected = {
        "areas": _words([a.name for a in areas.items] + [a.slug for a in areas.items]),
        "clusters": _words(
            [c.name for c in clusters.items]
            + [c.area_name for c in clusters.items]
            + [c.slug for c in clusters.items]
        ),
        "programmes": _words(
            [p.name for p in programmes.items] + [p.slug for p in programmes.items]
        ),
    }
    for command, words in expected.items():
        out = run80(command, "--lang", lang, "--on", on)
        lines = out.splitlines()
        assert all(len(line) <= 80 for line in lines), command
        found = set(out.split())
        broken = sorted(w for w in words if w not in found and w.rstrip(",.") not in found)
        assert broken == [], (command, broken)


def test_geography_verdict_names_clusters_not_slugs() -> None:
    geo = svc.geography(date(2021, 1, 1), "da")
    explanation = geo.claims[0].explanation
    assert "MADE, Vision Denmark og CenSec" in explanation
    assert "vision-denmark" not in explanation and "censec" not in explanation
    assert "1 i Jylland og 2 i hovedstadsområdet" in explanation
