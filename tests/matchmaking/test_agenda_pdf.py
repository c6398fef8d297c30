"""The printable agenda carries every meeting, however many: a long agenda gets more pages."""

import shutil
import subprocess
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.services import matchmaking as mm
from klynge.services.events import Agenda, AgendaItem


def _agenda(n: int) -> Agenda:
    start = datetime(2026, 3, 2, 9, 0)
    return Agenda(
        participant=1,
        name="Anna Nebel",
        organisation="Nebel ApS",
        event="Brokerage",
        items=[
            AgendaItem(
                slot=i,
                start=start + timedelta(minutes=20 * i),
                end=start + timedelta(minutes=20 * i + 15),
                session=None,
                partner=100 + i,
                partner_name=f"Partner {100 + i}",
                partner_organisation=None,
                table=i % 7,
                booth=None,
            )
            for i in range(n)
        ],
    )


def _text(pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("agenda") / "a.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@settings(max_examples=6, deadline=None)
@given(n=st.integers(min_value=0, max_value=3 * mm.AGENDA_LINES_PER_PAGE + 2))
def test_every_meeting_is_printed(n: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    text = _text(mm._agenda_pdf(_agenda(n), "en"), tmp_path_factory)
    pages = max(1, -(-n // mm.AGENDA_LINES_PER_PAGE))
    assert f"Page {pages} of {pages} · {n} meetings" in text
    for i in range(n):
        assert f"Partner {100 + i}" in text
    if n == 0:
        assert "No meetings." in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_danish_pages_are_numbered(tmp_path_factory: pytest.TempPathFactory) -> None:
    n = mm.AGENDA_LINES_PER_PAGE + 1
    text = _text(mm._agenda_pdf(_agenda(n), "da"), tmp_path_factory)
    assert "Side 1 af 2" in text and "Side 2 af 2" in text
    assert "Personlig mødeplan for Anna Nebel (Nebel ApS)" in text
