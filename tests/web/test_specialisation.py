"""The regional specialisation page: the server's sample, an uploaded file, and refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from klynge.server import create_app
from klynge.web.i18n import COOKIE
from klynge.web.render import PAGES


@pytest.fixture
def sample(shared_data: Path) -> Path:
    path = shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path


def client(lang: str = "en") -> TestClient:
    c = TestClient(create_app())
    c.cookies.set(COOKIE, lang)
    return c


def test_without_a_sample_the_page_says_how_and_offers_the_upload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KLYNGE_REGIONS_SAMPLE", raising=False)
    r = client("da").get("/specialisation")
    assert r.status_code == 200
    assert "Intet eksempeldatasæt på denne server" in r.text
    assert "KLYNGE_REGIONS_SAMPLE" in r.text
    assert 'enctype="multipart/form-data"' in r.text


def test_the_sample_in_both_languages(monkeypatch: pytest.MonkeyPatch, sample: Path) -> None:
    monkeypatch.setenv("KLYNGE_REGIONS_SAMPLE", str(sample))
    PAGES.clear()
    da = client("da").get("/specialisation?year=2018")
    en = client("en").get("/specialisation?year=2018")
    assert da.status_code == en.status_code == 200
    assert "Tabel 1-opstilling: specialiseringsknuder efter sektor · 2018" in da.text
    assert "Table 1 layout: specialisation nodes by sector · 2018" in en.text
    # A10 sections cannot reproduce the published Table 1: the page says so in both languages.
    assert "cannot reproduce the published factsheet's Table 1" in en.text.replace("&#39;", "'")
    assert "kan ikke genskabe" in da.text
    # Location quotients in the reader's number format.
    assert re.search(r"\(\d,\d\d\)", da.text) and re.search(r"\(\d\.\d\d\)", en.text)
    # Ecosystems need NACE divisions; the sample has sections: said, not hidden.
    table2 = en.text.split("<h3>Table 2 layout: specialisation nodes by industrial ecosystem")[1]
    assert "NACE" in table2.split("</p>")[0]
    # Downloads of every table through the API, and Graph 2 as an image with a text alternative.
    links = re.findall(r'href="(/api/v1/regions/[^"]+)"', en.text)
    assert len(links) == 3  # no Table 2: the sample has no ecosystems
    for link in links:
        got = client("en").get(link.replace("&amp;", "&"))
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv"), link
    assert 'alt="Graph 2: cluster organisations by region"' in en.text
    assert len(en.content) < 150 * 1024


def test_an_uploaded_file(sample: Path) -> None:
    r = client("en").post(
        "/specialisation", files={"file": ("mine.csv", sample.read_bytes())}, data={"year": "2010"}
    )
    assert r.status_code == 200
    assert "Results for mine.csv" in r.text
    assert "Table 1 layout: specialisation nodes by sector · 2010" in r.text
    downloads = re.findall(r'href="data:text/csv;base64,[^"]+" download="([^"]+)"', r.text)
    assert "table1.csv" in downloads and "indices.csv" in downloads


def test_refusals(sample: Path) -> None:
    c = client("en")
    bad_name = c.post("/specialisation", files={"file": ("../evil.csv", sample.read_bytes())})
    assert bad_name.status_code == 422
    assert 'role="alert"' in bad_name.text and "not allowed" in bad_name.text
    junk = c.post("/specialisation", files={"file": ("junk.csv", b"nothing,useful\n1,2\n")})
    assert junk.status_code == 422 and 'role="alert"' in junk.text
    assert c.get("/specialisation?year=20x8").status_code == 422
