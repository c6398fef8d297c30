"""The find page's answer to a description with nothing to go on, in both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from klynge.server import create_app
from klynge.web.i18n import COOKIE


@pytest.mark.parametrize(
    ("lang", "heading", "advice"),
    [
        ("da", "Ikke nok at gå ud fra", "Skriv, hvad virksomheden laver"),
        ("en", "Not enough to go on", "Say what the company makes"),
    ],
)
def test_not_enough_to_go_on_is_said_not_guessed(lang: str, heading: str, advice: str) -> None:
    client = TestClient(create_app())
    client.cookies.set(COOKIE, lang)
    page = client.get("/find", params={"q": "Holdingselskab.", "on": "2021-06-01"})
    assert page.status_code == 200
    assert heading in page.text and advice in page.text
    # No cluster is named as an answer.
    assert 'class="outcome"' not in page.text


@pytest.mark.parametrize(("lang", "hub"), [("da", "erhvervshus"), ("en", "business hub")])
def test_a_none_answer_gives_its_next_step_once(lang: str, hub: str) -> None:
    """The router's answer already ends with the next step (the regional business hub); the
    page said it a second time under "What to do instead"."""
    client = TestClient(create_app())
    client.cookies.set(COOKIE, lang)
    page = client.get("/find", params={"q": "Frisørsalon med tre stole", "on": "2021-06-01"})
    assert page.status_code == 200
    start = page.text.index('class="outcome none"')
    answer = page.text[start : page.text.index("</div>", start)]
    assert answer.lower().count(hub) == 1


@pytest.mark.parametrize(("lang", "hub"), [("da", "erhvervshus"), ("en", "business hub")])
def test_an_area_without_a_cluster_gives_its_next_step_once(lang: str, hub: str) -> None:
    client = TestClient(create_app())
    client.cookies.set(COOKIE, lang)
    page = client.get("/find", params={"q": "Rederi med containerskibe", "on": "2023-01-01"})
    assert page.status_code == 200
    start = page.text.index('class="outcome"')
    answer = page.text[start : page.text.index("</article>", start)]
    assert "MARLOG" in answer and answer.lower().count(hub) == 1
