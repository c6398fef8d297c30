"""Every fact is checked against the record's own source list, and every source is registered."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klynge.cli.main import app
from klynge.landscape import DATA_DIR, LandscapeDataError, get_landscape, load_landscape
from klynge.landscape.facts import all_facts, unsupported
from klynge.landscape.loader import cited

runner = CliRunner()


def test_every_fact_is_supported_by_a_source_in_its_records_list() -> None:
    ls = get_landscape()
    missing = [f"{f.where}: {f.key} (sources: {', '.join(f.sources)})" for f in unsupported(ls)]
    assert missing == []


def test_the_check_catches_a_fact_its_source_does_not_state(tmp_path: Path) -> None:
    # MARLOG's Rønne node is stated by transportnyhederne.dk/?Id=70845 only: without that
    # source in the record's list, the fact stands unsupported.
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    f = root / "clusters" / "marlog.toml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace('"https://www.transportnyhederne.dk/?Id=70845", ', ""), "utf-8")
    keys = {x.key for x in unsupported(load_landscape(root))}
    assert {"marlog:office:Esbjerg", "marlog:office:Rønne"} <= keys
    assert "marlog:office:Frederikshavn" not in keys  # hjec.dk states that one too


def test_every_supports_key_names_a_fact_of_the_data() -> None:
    ls = get_landscape()
    keys = {f.key for f in all_facts(ls)}
    stray = [(s.ref, k) for s in ls.sources.values() for k in s.supports if k not in keys]
    assert stray == []


def test_every_cited_source_is_registered_with_title_publisher_and_address() -> None:
    ls = get_landscape()
    for _file, _record, _field, ref in cited(ls.raw):
        src = ls.sources[ref]
        assert src.title and src.publisher, ref
        if src.kind == "document" and ref.startswith("http"):
            assert src.url, ref


def test_an_unregistered_source_is_a_data_problem(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    f = root / "clusters" / "censec.toml"
    f.write_text(
        f.read_text(encoding="utf-8").replace(
            'sources = ["001_b36b5ebe3cbc469e.txt", ',
            'sources = ["https://example.org/never-read", "001_b36b5ebe3cbc469e.txt", ',
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(LandscapeDataError) as info:
        load_landscape(root)
    (problem,) = info.value.problems
    assert problem.file == "clusters/censec.toml" and "not in sources.toml" in problem.reason


@pytest.mark.parametrize(
    ("slug", "gone"),
    [
        ("copenhagen-fintech", "Copenhagen Fintech Lab"),  # a separate co-working space
        ("energy-cluster-denmark", "Energiklyngen"),
        ("made", "MADE Cluster"),
    ],
)
def test_unsourced_aliases_are_gone(slug: str, gone: str) -> None:
    assert gone not in get_landscape().clusters[slug].aliases


def test_facts_whose_sources_did_not_state_them_are_fixed() -> None:
    ls = get_landscape()
    marlog = ls.clusters["marlog"]
    assert {o.town for o in marlog.offices} == {"Frederikshavn", "Svendborg", "Esbjerg", "Rønne"}
    assert "https://www.transportnyhederne.dk/?Id=70845" in marlog.sources
    ldc = ls.clusters["lifestyle-design-cluster"]
    assert ldc.headquarters is not None and ldc.headquarters.note is not None
    assert "Birk Centerpark" in ldc.headquarters.note.da
    assert any("herningfolkeblad.dk" in s for s in ldc.sources)
    made = ls.clusters["made"]
    assert all(o.town != "Ikast" for o in made.offices)  # no read source places DAMRC in Ikast
    note = ls.programmes["innovationskraft-2021-2024"].note
    assert note is not None and "175" in note.en
    assert any("175-mio-kr" in s for s in ls.programmes["innovationskraft-2021-2024"].sources)
    robotics = ls.clusters["odense-robotics"]
    assert any("packm.dk" in s for s in robotics.sources)


def test_the_missing_sourced_facts_are_added() -> None:
    ls = get_landscape()
    dlsc = ls.clusters["danish-life-science-cluster"]
    assert dlsc.website == "https://www.danishlifesciencecluster.dk"
    # Headquarters in Copenhagen, hubs in the other four regions (Zealand's not yet placed).
    places = {dlsc.headquarters.town if dlsc.headquarters else None} | {
        o.town for o in dlsc.offices
    }
    assert places == {"København", "Aalborg", "Aarhus", "Odense", "Region Sjælland"}
    marlog = ls.clusters["marlog"]
    assert len([marlog.headquarters, *marlog.offices]) == 5
    assert (
        ls.programmes["innovationskraft-2021-2024"].name.da
        == "Innovationskraft: Danske klynger for viden og erhverv 2021-2024"
    )


def test_a_source_not_read_here_says_so() -> None:
    ls = get_landscape()
    unread = [s.ref for s in ls.sources.values() if not s.read]
    assert unread == [
        "https://dfir.faellesweb.dk/english/dfirbriefs/2025/september/"
        "dfirbrief-55-the-new-cluster-programme-2025-2028"
    ]
    out = runner.invoke(app, ["show", "klyngeprogram-2025-2028"], env={"COLUMNS": "200"}).output
    assert "not read for klynge" in out


def test_nace_lists_are_labelled_as_the_projects_own_mapping() -> None:
    for path in (DATA_DIR / "areas").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if "\nnace = " in text:
            assert "klynge's own routing mapping" in text, path.name
    out = runner.invoke(app, ["show", "energiteknologi området", "--lang", "da"]).output
    assert "klynges egen kobling til routing, ikke fra kilderne" in " ".join(out.split())
    data = json.loads(runner.invoke(app, ["areas", "--json"]).output)
    assert data["items"][0]["nace"]  # the mapping itself is still there for routing


def test_show_lists_sources_by_title_publisher_date_and_address() -> None:
    out = runner.invoke(app, ["show", "marlog"], env={"COLUMNS": "200"}).output
    assert "001_b36b5ebe3cbc469e.txt" not in out  # a seed with a known address shows it
    assert "Meet Denmark's 14 new business clusters (TechBBQ, 11 December 2020)" in out
    assert "https://www.transportnyhederne.dk/?Id=70845" in out
    data = json.loads(runner.invoke(app, ["show", "marlog", "--json"]).output)
    first = data["sources"][0]
    assert set(first) == {"ref", "title", "publisher", "date", "url", "read"}
    assert first["ref"] == "001_b36b5ebe3cbc469e.txt" and first["publisher"] == "TechBBQ"
