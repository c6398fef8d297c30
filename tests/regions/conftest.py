"""Fixtures for the regions tests: a recorded Eurostat response in place of the network."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DIMS = [("1", "freq"), ("2", "unit"), ("3", "wstatus"), ("4", "nace_r2"), ("5", "geo")]


def _replay(
    monkeypatch: pytest.MonkeyPatch, dataset: str, fixture: str, dims: list[tuple[str, str]]
) -> list[str]:
    """Replace the package's HTTP layer with a recorded response; collect the URLs asked."""
    es = pytest.importorskip("eurostat.eurostat")
    recorded_text = (FIXTURES / fixture).read_bytes().decode()
    urls: list[str] = []

    def dims_info(code: str, **kwargs: Any) -> list[Any]:
        assert code == dataset, code
        return ["ESTAT", "EUROSTAT", dims]

    def get_resp(url: str, **kwargs: Any) -> SimpleNamespace:
        """Answer like the API: only the series whose keys match the URL's filter."""
        urls.append(url)
        m = re.search(rf"/data/{dataset}/([^?]*)", url)
        wanted = m.group(1).split(".") if m else []
        lines = recorded_text.split("\r\n")
        keep = [lines[0]]
        for line in lines[1:]:
            if not line:
                continue
            series = line.split("\t")[0].split(",")
            if all(not w or v in w.split("+") for w, v in zip(wanted, series, strict=False)):
                keep.append(line)
        text = "\r\n".join(keep) + "\r\n"
        return SimpleNamespace(content=gzip.compress(text.encode()), ok=True, url=url)

    monkeypatch.setattr(es, "__get_dims_info__", dims_info)
    monkeypatch.setattr(es, "__get_resp__", get_resp)
    return urls


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return _replay(monkeypatch, "nama_10r_3empers", "eurostat_api_nama_10r_3empers.tsv", DIMS)


@pytest.fixture
def recorded_sbs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    dims = [("1", "freq"), ("2", "nace_r2"), ("3", "indic_sbs"), ("4", "geo")]
    return _replay(monkeypatch, "sbs_r_nuts2021", "eurostat_api_sbs_r_nuts2021.tsv", dims)
