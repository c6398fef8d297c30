"""The public pages through the composed application: language, formats, map, cache, errors."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from klynge.server import create_app
from klynge.web.i18n import COOKIE, dkk_million, long_date, negotiate, number, percent
from klynge.web.render import PAGES


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    return create_app()


@pytest.fixture
def client(app) -> TestClient:  # type: ignore[no-untyped-def]
    """A fresh browser: no cookies carried over from another test."""
    return TestClient(app)


def with_lang(app, lang: str) -> TestClient:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    c.cookies.set(COOKIE, lang)
    return c


def h1(html: str) -> str:
    m = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert m, "page has no h1"
    return m.group(1).strip()


def test_negotiation_order() -> None:
    assert negotiate(None, None) == "en"
    assert negotiate(None, "da-DK,da;q=0.9,en;q=0.8") == "da"
    assert negotiate(None, "de-DE,en;q=0.5,da;q=0.4") == "en"
    assert negotiate(None, "fr, da;q=0.1") == "da"
    assert negotiate(None, "da;q=0, en") == "en"
    # The switch's cookie beats the browser's header.
    assert negotiate("en", "da") == "en"
    assert negotiate("da", "en") == "da"
    assert negotiate("xx", "da") == "da"


def test_numbers_amounts_and_dates_follow_the_language() -> None:
    assert dkk_million(1234.5, "da") == "1.234,5 mio. kr."
    assert dkk_million(1234.5, "en") == "DKK 1,234.5 million"
    assert dkk_million(662, "da") == "662 mio. kr."
    assert dkk_million(None, "da") is None
    assert number(1234567, "da", decimals=0) == "1.234.567"
    assert percent(0.25, "da") == "25\u00a0%" and percent(0.25, "en") == "25%"
    assert long_date(date(2024, 12, 31), "da") == "31. december 2024"
    assert long_date(date(2024, 12, 31), "en") == "31 December 2024"


def test_home_in_both_languages(client: TestClient) -> None:
    en = client.get("/?on=2022-06-01", headers={"Accept-Language": "en"})
    da = client.get("/?on=2022-06-01", headers={"Accept-Language": "da"})
    assert en.status_code == da.status_code == 200
    assert h1(en.text) == "Denmark's cluster organisations"
    assert h1(da.text) == "Danmarks klyngeorganisationer"
    assert '<html lang="da">' in da.text and '<html lang="en">' in en.text
    assert en.headers["content-language"] == "en" and da.headers["content-language"] == "da"
    # Amounts in the reader's format: the 2021-2024 programme's DKK 640 million.
    assert "640 mio. kr." in da.text
    assert "DKK 640 million" in en.text


def test_home_shows_unknowns_as_unknown(client: TestClient) -> None:
    page = client.get("/?on=2026-06-01", headers={"Accept-Language": "en"}).text
    # The 2025-2028 list is not given by the sources: said, not hidden.
    assert re.search(r"[Ss]ources name only 1 of", page)
    assert "Unknown for this day. Last known:" in page
    assert "list unknown" in page
    # Three headquarters are not in the sources.
    assert page.count("Unknown: the sources do not give it") == 3
    assert "MADE, Vision Denmark, CenSec" in page or all(
        n in page for n in ("MADE", "Vision Denmark", "CenSec")
    )
    known = client.get("/?on=2024-06-01", headers={"Accept-Language": "en"}).text
    assert not re.search(r"[Ss]ources name only", known)
    assert "Unknown for this day" not in known


def test_dates_change_the_landscape(client: TestClient) -> None:
    before = client.get("/?on=2021-06-01").text
    after = client.get("/?on=2023-01-01").text
    assert 'href="/clusters/marlog' in before
    # After the bankruptcy the maritime area has no cluster; MARLOG is named as the last one.
    assert "No cluster organisation on this day. The last one:" in after
    bad = client.get("/?on=2023-13-45", headers={"Accept-Language": "da"})
    assert bad.status_code == 422
    assert "2023-13-45" in bad.text and "ikke en dato" in bad.text


def test_map_is_inline_svg_with_links_tooltips_points_and_attribution(client: TestClient) -> None:
    page = client.get("/?on=2024-06-01").text
    svg = page[page.index('<svg class="map"') : page.index("</svg>", page.index('class="map"'))]
    regions = re.findall(r'<a href="/regions/(DK0\d)[^"]*" aria-label="([^"]+)"><path', svg)
    assert [code for code, _ in regions] == ["DK01", "DK02", "DK03", "DK04", "DK05"]
    assert all("headquarters" in label for _, label in regions)
    assert svg.count("<title>") >= 1 + 5 + 10  # the map, the regions, at least the placed HQs
    # 13 clusters after MARLOG's bankruptcy; the sources do not give 3 headquarters.
    assert len(re.findall(r'<circle class="hq"', svg)) == 10
    assert '<circle class="office"' in svg
    assert "© EuroGeographics for the administrative boundaries" in svg
    assert "<script" not in page


def test_region_and_cluster_pages(client: TestClient) -> None:
    region = client.get("/regions/DK04?on=2024-06-01", headers={"Accept-Language": "en"})
    assert region.status_code == 200
    assert h1(region.text) == "Central Denmark Region"
    assert "/clusters/digitallead" in region.text
    page = client.get("/clusters/danish-sound-cluster", headers={"Accept-Language": "da"})
    assert page.status_code == 200
    assert h1(page.text) == "Danish Sound Cluster"
    for text in ("Fokus", "Hovedsæde", "Struer", "https://danishsoundcluster.dk", "Kilder"):
        assert text in page.text
    made = client.get("/clusters/made", headers={"Accept-Language": "en"}).text
    assert "Unknown: the sources do not give it" in made


def test_a_cluster_page_shows_what_the_landscape_has_and_invents_no_figures(
    client: TestClient,
) -> None:
    """Over an empty registry the page says there are no figures (never zeros), and shows the
    landscape's facts: area, terms with their programme, places, sources."""
    from klynge.web.render import PAGES

    PAGES.clear()
    en = client.get("/clusters/made", headers={"Accept-Language": "en"}).text
    assert "Public figures" in en and "The registry is empty" in en
    for text in ("Area", "Terms as national cluster", "Sources", "Offices"):
        assert text in en
    assert "(Power of Innovation: Danish clusters for knowledge and business 2021-2024)" in en
    assert "(The Danish cluster programme 2025-2028)" in en
    da = client.get("/clusters/made", headers={"Accept-Language": "da"}).text
    assert "Offentlige tal" in da and "Registret er tomt" in da
    assert "(Det danske klyngeprogram 2025-2028)" in da
    # No number from a registry or an account appears: the page has no figures list.
    figures = en.split("Public figures", 1)[1].split("Sources", 1)[0]
    assert "<table" not in figures and "<dl" not in figures
    assert not re.search(r">\s*0\s*<", figures)


def test_unknown_pages_are_html_in_the_language(client: TestClient) -> None:
    for path in ("/clusters/no-such-cluster", "/regions/DK09", "/no/such/page"):
        r = client.get(path, headers={"Accept-Language": "da"})
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html")
        assert "Siden findes ikke" in r.text
    api = client.get("/api/v1/no-such-endpoint")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def test_language_switch_sets_a_cookie_and_returns(client: TestClient) -> None:
    r = client.get("/lang/da?next=/find%3Fq%3Dx", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/find?q=x"
    cookie = r.headers["set-cookie"]
    assert f"{COOKIE}=da" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    page = client.get("/", headers={"Accept-Language": "en"})  # the cookie is now set
    assert h1(page.text) == "Danmarks klyngeorganisationer"
    # No open redirect: only paths on this site.
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        r = client.get("/lang/en", params={"next": evil}, follow_redirects=False)
        assert r.headers["location"] == "/"


@pytest.mark.parametrize(
    ("lang", "text", "expect"),
    [
        ("en", "We make loudspeakers and headphones", "Danish Sound Cluster"),
        ("da", "Vi udvikler og producerer høreapparater", "Danish Sound Cluster"),
        ("en", "We run a hair salon", "No cluster fits"),
        ("da", "Vi driver en frisørsalon", "Ingen klynge passer"),
        ("en", "We run a hotel and holiday resort", "Tourism: no cluster organisation"),
        ("da", "Vi driver et hotel og et feriecenter", "Turisme: ingen klyngeorganisation"),
    ],
)
def test_find_your_cluster(app, lang: str, text: str, expect: str) -> None:  # type: ignore[no-untyped-def]
    r = with_lang(app, lang).get("/find", params={"q": text, "on": "2024-06-01"})
    assert r.status_code == 200
    assert expect in r.text
    if "No cluster" in expect or "Ingen klynge" in expect or "ingen klynge" in expect:
        # Says what to do instead.
        assert "Erhvervshus" in r.text or "erhvervshus" in r.text


@pytest.mark.parametrize(
    ("lang", "text", "label", "sentence"),
    [
        ("en", "We make loudspeakers and headphones", "How sure", "about that share are right"),
        ("da", "Vi udvikler og producerer høreapparater", "Hvor sikkert", "andel rigtige"),
    ],
)
def test_find_says_how_sure_each_answer_is(  # type: ignore[no-untyped-def]
    app, lang: str, text: str, label: str, sentence: str
) -> None:
    """Each fitting cluster shows its calibrated score as a percentage, the same number the CLI
    and the API give, in the page's language."""
    from klynge.services import routing as routing_service

    r = with_lang(app, lang).get("/find", params={"q": text, "on": "2024-06-01"})
    assert r.status_code == 200
    shown = re.findall(rf"<strong>{label}:</strong> ([0-9]+)\u00a0?%\.", r.text)
    assert shown and sentence in r.text
    answer = routing_service.route_text(text, None, on=date(2024, 6, 1), lang=lang)
    expected = [round(100 * c.score) for c in answer.clusters]
    assert [int(n) for n in shown] == expected


def test_find_by_industry_code_and_bad_input(client: TestClient) -> None:
    r = client.get("/find", params={"nace": "26.60", "on": "2024-06-01"})
    assert r.status_code == 200 and "/clusters/" in r.text
    bad = client.get("/find", params={"q": "!!!", "nace": "ZZ"})
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text


def test_public_pages_are_cached_per_language(client: TestClient) -> None:
    PAGES.clear()
    a = client.get("/?on=2022-01-01", headers={"Accept-Language": "en"})
    b = client.get("/?on=2022-01-01", headers={"Accept-Language": "da"})
    assert a.headers["etag"] != b.headers["etag"]
    again = client.get(
        "/?on=2022-01-01", headers={"Accept-Language": "en", "If-None-Match": a.headers["etag"]}
    )
    assert again.status_code == 304
    assert len(PAGES._items) == 2
    assert "Cookie" in a.headers["vary"] and "Accept-Language" in a.headers["vary"]


def test_static_assets_come_from_the_package(client: TestClient) -> None:
    page = client.get("/").text
    for ref in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        r = client.get(ref)
        assert r.status_code == 200, ref
        assert "immutable" in r.headers["cache-control"]
    # Nothing from another host.
    assert not re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', page)


@pytest.mark.parametrize(
    "path", ["/", "/?on=2021-06-01", "/clusters/made", "/regions/DK01", "/find", "/find?q=robots"]
)
def test_pages_stay_under_150_kb_with_their_assets(client: TestClient, path: str) -> None:
    r = client.get(path)
    total = len(r.content)
    for ref in set(re.findall(r'(?:href|src)="(/static/[^"?]+)', r.text)):
        total += len(client.get(ref).content)
    assert total < 150 * 1024, (path, total)


def test_a_cluster_address_forgives_names_and_case(client: TestClient) -> None:
    r = client.get("/clusters/Odense-Robotic?on=2022-01-01", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == "/clusters/odense-robotics?on=2022-01-01"
    # An area is not a cluster.
    assert client.get("/clusters/tourism").status_code == 404


def test_pages_allow_no_script_and_no_framing(client: TestClient) -> None:
    for path in ("/", "/find?q=robots", "/no-such-page"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
        assert r.headers["x-content-type-options"] == "nosniff"


def test_the_page_cache_can_be_turned_off_for_a_baseline() -> None:
    from starlette.requests import Request

    from klynge.web.render import PageCache

    off = PageCache(0)
    scope = {"type": "http", "path": "/x", "query_string": b"", "headers": [], "method": "GET"}
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return "<p>x</p>"

    for _ in range(3):
        assert off.get_or_render(Request(scope), "en", date(2024, 1, 1), build).status_code == 200
    assert len(calls) == 3 and len(off._items) == 0
