"""The generated factsheet: honest about its data, in both languages, as HTML, PDF and a page."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from klynge import factsheet as fs
from klynge.cli.main import app
from klynge.services import factsheet as svc
from klynge.services import regions as rsvc
from klynge.web.i18n import COOKIE
from klynge.web.render import PAGES

REGIONS = ("DK01", "DK02", "DK03", "DK04", "DK05")
DIVISIONS = ("C21", "C28", "F43", "J62", "K64", "Q86", "Q87", "Q88", "G47", "H49")


@pytest.fixture
def a10(shared_data: Path) -> Path:
    path = shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path


def divisions_file(tmp_path: Path, *, eu: bool = True, suppress_reference: bool = False) -> Path:
    """A long file of NACE divisions for the Danish regions (and an EU27 row), made here.

    DK03 is three times as specialised in C28 as the others, so C28 is a node there.
    """
    lines = ["region,activity,year,value,flag"]
    for year in (2019, 2020):
        for region in (("EU27_2020",) if eu else ()) + REGIONS:
            for k, act in enumerate(DIVISIONS):
                value = (100_000 if region.startswith("EU") else 1_000) * (10 + k)
                if region == "DK03" and act == "C28":
                    value *= 3
                if suppress_reference and region.startswith("EU") and act == "Q88":
                    lines.append(f"{region},{act},{year},,c")
                    continue
                lines.append(f"{region},{act},{year},{value},")
    path = tmp_path / ("divisions.csv" if eu else "divisions-no-eu.csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the domain: what the data allows ---------------------------------------------------------
@given(
    st.lists(
        st.sampled_from(["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]), min_size=1
    )
)
def test_sections_are_sections(codes: list[str]) -> None:
    assert fs.data_level(codes) == "sections"


@given(st.lists(st.sampled_from((*DIVISIONS, "21", "28")), min_size=1))
def test_divisions_in_either_notation_are_divisions(codes: list[str]) -> None:
    assert fs.data_level(codes) == "divisions"


def test_mixed_levels_and_the_notes_they_bring() -> None:
    assert fs.data_level(["C21", "B-E"]) == "mixed"
    assert fs.data_level(["21.10"]) == "finer"
    # Only divisions against the EU average follow the published method: nothing to confess.
    assert fs.honesty_notes("divisions", eu_reference=True) == []
    sections = " ".join(t.en for t in fs.honesty_notes("sections", eu_reference=False))
    assert "cannot reproduce the published factsheet's Table 1" in sections
    assert "the country, not the EU average" in sections
    assert "sbs_r_nuts2021" in sections and "Q87" in sections
    da = " ".join(t.da for t in fs.honesty_notes("sections", eu_reference=True))
    assert "kan ikke genskabe" in da


def test_the_eu_row_is_the_reference_when_the_file_has_one() -> None:
    ref, why = fs.reference_for(["EU27_2020", "DK01"], None)
    assert ref == "EU27" and why is not None and "EU27_2020" in why.en
    ref, why = fs.reference_for(["DK0", "DK01"], None)
    assert ref == "country" and why is not None and "no EU27 row" in why.en
    assert fs.reference_for(["EU27_2020", "DK01"], "sum") == ("sum", None)


# -- the service and its HTML -----------------------------------------------------------------
def test_a10_data_gives_the_layout_not_table_1_in_both_languages(a10: Path) -> None:
    en = svc.factsheet("DK", data=a10, lang="en")
    da = svc.factsheet("DK", data=a10, lang="da")
    assert en.data_level == "sections" and en.table1 is not None and en.table2 is None
    assert not en.table1.published_method
    assert en.table1.year == 2018 and en.years[0] == 2000
    # The Capital Region's A10 nodes, as the regions command finds them.
    nodes = rsvc.nodes(a10, lang="en")
    dk01 = next(r for r in nodes.regions if r.region == "DK01")
    assert en.table1.rows[0].top == dk01.top and en.table1.total == nodes.total
    html_en, html_da = unescape(svc.render_html(en)), unescape(svc.render_html(da))
    assert "Table 1 layout: regionally relevant nodes by NACE section · 2018" in html_en
    assert "Tabel 1's opstilling" in html_da
    assert ">Table 1: Regionally" not in html_en
    assert "NACE sections (A10 aggregates" in html_en and "NACE-hovedafsnit" in html_da
    assert "cannot reproduce the published factsheet" in html_en
    assert "Table 2 is not shown" in html_en and "Tabel 2 vises ikke" in html_da
    # The data's own warnings and the landscape's caveats are on the page.
    assert "aggregates-left-out" in html_en and "default-date" in html_en
    # Map, clusters per region, maturity, programme with its budget, sources.
    assert '<svg class="map"' in html_en and 'id="region-DK03"' in html_en
    assert "Odense Robotics" in html_en
    assert "Evidence of performance" in html_en and "Dokumentation for resultater" in html_da
    assert "Power of Innovation" in html_en and "640" in html_en
    assert "https://erhvervsfremmebestyrelsen.dk/" in html_en
    assert "<script" not in html_en and "http://" not in html_en.split("<body")[0]


def test_divisions_against_the_eu_row_are_table_1_and_2(tmp_path: Path) -> None:
    f = svc.factsheet("DK", data=divisions_file(tmp_path), use_sample=False, lang="en")
    assert f.table1 is not None and f.table2 is not None
    assert f.table1.published_method and f.table1.reference == "EU27_2020"
    assert f.table1.title == "Table 1: Regionally relevant sectoral nodes"
    dk03 = next(r for r in f.table1.rows if r.region == "DK03")
    assert "C28" in dk03.top
    assert [r.region for r in f.table1.rows] == list(REGIONS)  # the EU row is not a region
    html = svc.render_html(f)
    assert "Table 2: Regionally relevant ecosystem nodes" in html
    assert "cannot reproduce" not in html
    assert "approximate-ecosystem-mapping" in html


def test_without_an_eu_row_the_country_is_the_reference_and_it_is_said(tmp_path: Path) -> None:
    f = svc.factsheet("DK", data=divisions_file(tmp_path, eu=False), use_sample=False)
    assert f.table1 is not None and not f.table1.published_method
    assert f.reference_note is not None and "no EU27 row" in f.reference_note
    assert "Table 1 layout" in f.table1.title


def test_a_suppressed_reference_cell_is_warned_on_the_factsheet(tmp_path: Path) -> None:
    path = divisions_file(tmp_path, suppress_reference=True)
    f = svc.factsheet("DK", data=path, use_sample=False, lang="en")
    assert "reference-cell-suppressed" in {w.code for w in f.warnings}
    assert "reference-cell-suppressed" in svc.render_html(f)


def test_without_data_the_tables_are_left_out_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rsvc.SAMPLE_ENV, raising=False)
    f = svc.factsheet("DK", lang="da")
    assert f.table1 is None and f.table2 is None
    assert any("Ingen beskæftigelsesdata" in n for n in f.notes)
    assert f.maturity.dimensions and f.programme is not None


def test_other_countries_and_formats_are_refused(tmp_path: Path) -> None:
    from klynge.errors import InvalidInput, NotFound

    with pytest.raises(NotFound):
        svc.factsheet("SE")
    with pytest.raises(InvalidInput, match=r"\.html or \.pdf"):
        svc.write(tmp_path / "x.docx")


# -- PDF: text and a page as an image ---------------------------------------------------------
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils missing: run scripts/setup-system.sh",
)


@needs_poppler
def test_the_pdf_holds_the_headings_and_figures(a10: Path, tmp_path: Path) -> None:
    out = svc.write(tmp_path / "factsheet.pdf", data=a10, lang="en")
    pdf = Path(out.path)
    assert out.format == "pdf" and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for heading in (
        "Cluster factsheet: Denmark",
        "Cluster organisations in the regions",
        "Table 1 layout: regionally relevant nodes by NACE section · 2018",
        "Cluster policy maturity",
        "The cluster programme",
        "Sources",
    ):
        assert heading in flat, heading
    assert "K - Financial and" in flat and "A - Agriculture," in flat
    assert "640" in flat  # the programme's budget, DKK million
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(png)], check=True
    )
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    assert 300 < width < 400 and 1.3 < height / width < 1.5  # A4 at 40 dpi
    histogram = image.histogram()
    dark = sum(histogram[:128]) / (width * height)
    assert 0.005 < dark < 0.5  # printed, not blank, not a black page


@needs_poppler
def test_the_danish_pdf_is_danish(a10: Path, tmp_path: Path) -> None:
    out = svc.write(tmp_path / "faktaark.pdf", data=a10, lang="da")
    text = subprocess.run(
        ["pdftotext", out.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Klyngefaktaark: Danmark" in flat and "Klyngepolitikkens modenhed" in flat


# -- the CLI -----------------------------------------------------------------------------------
def test_the_command_writes_html_and_lists_the_warnings(a10: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.html"
    r = CliRunner().invoke(
        app, ["factsheet", "DK", "--data", str(a10), "-o", str(out), "--lang", "da"]
    )
    assert r.exit_code == 0, r.output
    assert "Skrev" in r.output and "aggregater" in r.output
    assert 'lang="da"' in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(app, ["factsheet", "DK", "-o", str(tmp_path / "f.txt")])
    assert bad.exit_code != 0 and ".html or .pdf" in bad.output


# -- the web page ------------------------------------------------------------------------------
def _client(lang: str) -> TestClient:
    from klynge.server import create_app

    c = TestClient(create_app())
    c.cookies.set(COOKIE, lang)
    return c


def test_the_page_in_both_languages_with_a_pdf_link(
    a10: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(rsvc.SAMPLE_ENV, str(a10))
    PAGES.clear()
    en, da = _client("en").get("/factsheet"), _client("da").get("/factsheet")
    assert en.status_code == da.status_code == 200
    assert len(en.content) <= 150_000 and len(da.content) <= 150_000
    assert "Table 1 layout" in en.text and "Tabel 1's opstilling" in unescape(da.text)
    assert 'href="/factsheet"' in en.text and ">Faktaark<" in da.text  # the nav link
    assert re.search(r'href="/factsheet\.pdf"[^>]*download=', en.text)
    assert "<style" not in en.text  # the site's CSP allows no inline styles
    css = _client("en").get("/factsheet.css")
    assert css.status_code == 200 and ".fs-table" in css.text
    pdf = _client("da").get("/factsheet.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert _client("en").get("/factsheet?on=2021-13-01").status_code == 422


# -- Graph 1's reference: EU27 when the file has it, else the country, said --------------------
def test_the_ecosystem_chart_falls_back_to_the_country_and_says_so(
    tmp_path: Path, a10: Path
) -> None:
    from klynge.regions.errors import RegionsDataError

    no_eu = divisions_file(tmp_path, eu=False)
    table = rsvc.shares(no_eu, lang="en")
    assert "reference-fallback" in {w.code for w in table.warnings}
    assert not table.reference.upper().startswith("EU")
    chart = rsvc.chart("ecosystems", "svg", file=no_eu, lang="da")
    assert "reference-fallback" in {c.code for c in chart.caveats}
    assert "ingen EU27-række" in chart.content.decode()  # drawn under the chart itself
    # A file with the EU row uses it, without the warning.
    with_eu = rsvc.shares(divisions_file(tmp_path), lang="en")
    assert with_eu.reference == "EU27_2020"
    assert "reference-fallback" not in {w.code for w in with_eu.warnings}
    # Asking for EU27 outright on a file without it stays an error, not a silent swap.
    with pytest.raises(RegionsDataError, match="EU27"):
        rsvc.shares(no_eu, reference="EU27")
    # The shipped Danish A10 file now gets past the reference; what stops it is the real limit:
    # ecosystems need NACE divisions.
    with pytest.raises(RegionsDataError, match="divisions"):
        rsvc.chart("ecosystems", "svg", file=a10)


def test_every_ecosystem_row_names_its_source() -> None:
    import csv
    from importlib import resources

    text = (
        resources.files("klynge.regions")
        .joinpath("data", "nace_ecosystems.csv")
        .read_text(encoding="utf-8")
    )
    rows = {r["division"]: r for r in csv.DictReader(text.splitlines())}
    assert len(rows) == 88 and all(r["source"].strip() for r in rows.values())
    # The five reviewed rows say what the review found, and C28 stays unmapped, not guessed.
    for division in ("28", "88", "53", "68", "36"):
        assert "SWD(2021) 351" in rows[division]["source"], division
        assert "not known" in rows[division]["source"], division
    assert rows["28"]["ecosystem"] == ""


def test_a_region_without_a_known_lq_makes_the_total_unknown_not_smaller(tmp_path: Path) -> None:
    source = divisions_file(tmp_path)
    lines = source.read_text(encoding="utf-8").splitlines()
    # Every DK05 cell of 2020 suppressed: DK05's node count is unknown, so is the total.
    damaged = [
        f"DK05,{line.split(',')[1]},2020,,c"
        if line.startswith("DK05,") and ",2020," in line
        else line
        for line in lines
    ]
    path = tmp_path / "dk05-suppressed.csv"
    path.write_text("\n".join(damaged) + "\n", encoding="utf-8")
    whole = svc.factsheet("DK", data=source, use_sample=False, lang="en", year=2020)
    assert whole.table1 is not None and whole.table1.total is not None
    for lang, word in (("en", "unknown"), ("da", "ukendt")):
        f = svc.factsheet("DK", data=path, use_sample=False, lang=lang, year=2020)
        assert f.table1 is not None
        assert next(r for r in f.table1.rows if r.region == "DK05").nodes is None
        assert f.table1.total is None
        assert f"{f.words['total']}: {word}" in svc.render_html(f)
