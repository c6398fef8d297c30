"""The regions commands and `klynge maturity`, in both languages, for people and programs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from klynge.cli.main import app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def run_fail(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code != 0, result.output
    return result.output


@pytest.fixture(scope="module")
def a10(shared_data: Path) -> str:
    return str(shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv")


@pytest.fixture(scope="module")
def divisions(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small division-level file with an EU27 row, in Eurostat's SDMX-CSV layout."""
    rows = {
        # activity: (DK01, DK02, EU27_2020)
        "C21": (30, 40, 100),
        "J62": (80, 5, 400),
        "Q86": (100, 100, 1000),
        "Q88": (50, 90, 500),
        "G47": (140, 165, 3000),
        "K64": (100, 0, 1000),
    }
    lines = ["DATAFLOW,LAST UPDATE,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"]
    for act, vals in rows.items():
        for geo, v in zip(("DK01", "DK02", "EU27_2020"), vals, strict=True):
            for year in (2020, 2021):
                lines.append(f"ESTAT:X,d,A,EMP_LOC_NR,{act},{geo},{year},{v},")
    path = tmp_path_factory.mktemp("cli") / "div.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        ["regions", "lq", "--help"],
        ["regions", "nodes", "--help"],
        ["regions", "indices", "--help"],
        ["regions", "shares", "--help"],
        ["regions", "organisations", "--help"],
        ["regions", "fetch", "--help"],
        ["regions", "chart", "--help"],
        ["maturity", "--help"],
    ],
)
def test_help(args: list[str]) -> None:
    assert "--lang" in run(*args)


def test_lq_table_in_both_languages(a10: str) -> None:
    en = run("regions", "lq", a10, "--year", "2018")
    da = run("regions", "lq", a10, "--year", "2018", "--lang", "da")
    assert "Location quotients 2018 (reference: DK0)" in en
    assert "Lokaliseringskvotienter 2018" in da and "Information og kommunikation" in da
    assert "Capital Region of Denmark" in en and "Region Hovedstaden" in da


def test_lq_json_and_csv(a10: str) -> None:
    data = json.loads(run("regions", "lq", a10, "--year", "2018", "--format", "json"))["rows"]
    cell = next(r for r in data if r["region"] == "DK01" and r["activity"] == "J")
    assert cell["lq"] > 1.5 and cell["node"] is True and cell["year"] == 2018
    assert {r["region"] for r in data} == {"DK01", "DK02", "DK03", "DK04", "DK05"}
    rows = list(
        csv.DictReader(io.StringIO(run("regions", "lq", a10, "--format", "csv", "--all-years")))
    )
    assert len({r["year"] for r in rows}) == 19
    assert float(next(r for r in rows if r["region"] == "DK01" and r["activity"] == "J")["lq"]) > 1
    strong = json.loads(run("regions", "lq", a10, "--format", "json", "--strong"))["rows"]
    dk01_j = next(r for r in strong if r["region"] == "DK01" and r["activity"] == "J")
    assert dk01_j["strong"] is True
    assert sum(r["strong"] for r in strong) < len(strong)


def test_strong_flags_with_establishments(a10: str, tmp_path: Path) -> None:
    """Few establishments in DK01's J take its strong flag away."""
    lines = ["region,activity,year,value"]
    for region in ("DK01", "DK02", "DK03", "DK04", "DK05"):
        for act in ("A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"):
            value = 1 if (region, act) == ("DK01", "J") else 100
            lines.append(f"{region},{act},2018,{value}")
    est = tmp_path / "est.csv"
    est.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = json.loads(
        run(
            "regions",
            "lq",
            a10,
            "--year",
            "2018",
            "--format",
            "json",
            "--strong",
            "--establishments",
            str(est),
        )
    )["rows"]
    dk01_j = next(r for r in data if r["region"] == "DK01" and r["activity"] == "J")
    assert dk01_j["strong"] is False


def test_region_filter_keeps_lqs(a10: str) -> None:
    every = json.loads(run("regions", "lq", a10, "--format", "json"))["rows"]
    one = json.loads(run("regions", "lq", a10, "--json", "--region", "DK02"))["rows"]
    assert {r["region"] for r in one} == {"DK02"}
    assert one == [r for r in every if r["region"] == "DK02"]
    assert "DK01" not in run("regions", "lq", a10, "--region", "DK02")
    assert "unknown region" in run_fail("regions", "lq", a10, "--region", "DK09")


def test_nodes_table1_layout(a10: str) -> None:
    out = run("regions", "nodes", a10, "--top", "2", "--year", "2018")
    assert "Number of nodes" in out and "Node 2" in out and "Node 3" not in out
    data = json.loads(run("regions", "nodes", a10, "--format", "json", "--year", "2018"))["regions"]
    dk01 = next(r for r in data if r["region"] == "DK01")
    assert "J" in dk01["top"] and dk01["nodes"] == len(dk01["top"])
    assert dk01["top_lq"] == sorted(dk01["top_lq"], reverse=True)


def test_ecosystem_nodes_against_eu27(divisions: str) -> None:
    data = json.loads(
        run(
            "regions",
            "nodes",
            divisions,
            "--reference",
            "EU27",
            "--level",
            "ecosystem",
            "--format",
            "json",
        )
    )["regions"]
    dk01 = next(r for r in data if r["region"] == "DK01")
    # DK01 digital: 80/500 = 16 % against 400/6000 ≈ 6.7 % → LQ 2.4.
    assert dk01["top"][0] == "digital" and dk01["top_lq"][0] == pytest.approx(2.4)
    da = run("regions", "nodes", divisions, "-r", "EU27", "--level", "ecosystem", "--lang", "da")
    assert "økosystem" in da and "Digital" in da
    assert "Knudepunkt 3" in da and "Knudepunkt 4" not in da  # Table 2 names three
    assert "Node 5" in run("regions", "nodes", divisions, "-r", "EU27")  # Table 1 names five
    assert "at least 1" in run_fail("regions", "nodes", divisions, "--top", "0")


def test_shares_and_indices(divisions: str, a10: str) -> None:
    data = json.loads(run("regions", "shares", divisions, "--format", "json"))["rows"]
    health = next(r for r in data if r["ecosystem"] == "health")
    # DK (DK01 + DK02): C21 + Q86 = 270 of 900; EU27: 1100 of 6000.
    assert health["country"] == pytest.approx(270 / 900)
    assert health["reference"] == pytest.approx(1100 / 6000)
    assert "Sundhed" in run("regions", "shares", divisions, "--lang", "da")
    dk01 = json.loads(run("regions", "shares", divisions, "--country", "DK01", "--json"))["rows"]
    assert next(r for r in dk01 if r["ecosystem"] == "digital")["country"] == pytest.approx(0.16)
    ind = list(csv.DictReader(io.StringIO(run("regions", "indices", a10, "--format", "csv"))))
    assert {r["index"] for r in ind} == {"hoover", "krugman", "herfindahl"}
    assert "Ændring" in run("regions", "indices", a10, "--lang", "da")


def test_organisations_and_charts(divisions: str, tmp_path: Path) -> None:
    data = json.loads(run("regions", "organisations", "--on", "2022-01-01", "--json"))["regions"]
    assert sum(r["count"] for r in data) == 14
    assert "Region Hovedstaden" in run(
        "regions", "organisations", "--lang", "da", "--on", "2022-01-01"
    )
    svg = tmp_path / "org.svg"
    run("regions", "chart", "organisations", "--output", str(svg), "--on", "2022-01-01")
    assert svg.stat().st_size > 1000
    png = tmp_path / "eco.png"
    run("regions", "chart", "ecosystems", "--file", divisions, "--output", str(png), "--lang", "da")
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "--file" in run_fail("regions", "chart", "ecosystems", "--output", str(png))


def test_maturity(a10: str) -> None:
    en = run("maturity", "DK")
    assert "Total 6.5 of 7" in en and "Policy scope" in en
    da = run("maturity", "DK", "--lang", "da")
    assert "I alt 6.5 af 7" in da and "Instrumenter" in da
    data = json.loads(run("maturity", "DK", "--json"))
    assert [d["score"] for d in data["dimensions"]] == [2, 2, 0.5, 2]
    assert "Total 7 of 7" in run("maturity", "NO", "--on", "2021-06-30")
    assert [d["maximum"] for d in data["dimensions"]] == [2, 2, 1, 2]
    assert "no policy data" in run_fail("maturity", "SE")
    assert "ingen politikdata" in run_fail("maturity", "SE", "--lang", "da")


def test_errors_are_clear_and_bilingual(tmp_path: Path, a10: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("region,activity,year,value\nDK01,J,2018,x\n", encoding="utf-8")
    out = run_fail("regions", "lq", str(bad))
    assert str(bad) in out and "row 2" in out and "'value'" in out
    out = run_fail("regions", "lq", str(bad), "--lang", "da")
    assert "række 2" in out
    assert "does not exist" in run_fail("regions", "lq", str(tmp_path / "none.csv"))
    assert "unknown reference" in run_fail("regions", "lq", a10, "--reference", "XX")
    assert "2030" in run_fail("regions", "lq", a10, "--year", "2030")
    assert "nace2" in run_fail("regions", "lq", a10, "--level", "bogus")
    assert "divisions" in run_fail("regions", "nodes", a10, "--level", "ecosystem")
    two = tmp_path / "two.csv"
    two.write_text(
        "region,activity,year,value\nDK01,C21,2020,5\nSE11,C21,2020,6\nDK01,J62,2020,1\n"
        "SE11,J62,2020,2\n",
        encoding="utf-8",
    )
    assert "several countries" in run_fail("regions", "lq", str(two))
    # Regions outside Denmark are named from GISCO's NUTS list.
    assert "SE11: Stockholm" in run("regions", "nodes", str(two), "--reference", "sum")
    assert "--country" in run_fail("regions", "shares", str(two), "--reference", "sum")
    assert "Digital" in run("regions", "shares", str(two), "-r", "sum", "--country", "SE11")
    assert "unknown dataset" in run_fail(
        "regions", "fetch", "nope", "--output", str(tmp_path / "o.csv")
    )


def test_fetch_through_the_cli(recorded: list[str], tmp_path: Path) -> None:
    out = tmp_path / "dk.csv"
    text = run("regions", "fetch", "nama_10r_3empers", "--output", str(out), "--lang", "da")
    assert "Skrev 8 celler (2 regioner)" in text
    assert recorded and "format=TSV" in recorded[0]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["region"] for r in rows} == {"DK01", "DK02"}
    # The downloaded file feeds straight into the analysis.
    data = json.loads(run("regions", "lq", str(out), "-r", "sum", "--format", "json"))["rows"]
    assert next(r for r in data if r["region"] == "DK01" and r["activity"] == "J")["lq"] > 1


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["en", "da"])
def test_tables_fit_the_terminal(
    a10: str, divisions: str, width: int, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No table line runs past the terminal, no cell folds onto a second line, no label is lost."""
    from klynge.cli import output

    monkeypatch.setattr(output.console, "_width", width)
    for args, heading in (
        (["nodes", divisions, "-r", "EU27"], "Node"),
        (["nodes", a10, "--year", "2018"], "Node"),
        (["lq", a10, "--year", "2018"], "Activit"),
    ):
        out = run("regions", *args, "--lang", lang)
        lines = out.splitlines()
        body = [ln for ln in lines if ln.startswith("│")]
        assert body and all(len(ln) <= width for ln in lines)
        # One line per row: a continuation line would start with an empty first cell.
        assert all(not ln.startswith("│  ") for ln in body)
        # Every full label is on screen: in a cell or, when shortened, in the legend below.
        recs = json.loads(run("regions", *args, "--format", "json", "--lang", lang))
        recs = recs.get("rows") or recs["regions"]
        codes = {c for r in recs for c in r.get("top", [r.get("activity")]) if c}
        from klynge.regions import nace

        flat = " ".join(out.split())  # legend lines may wrap at a space
        for code in codes:
            assert nace.label(code, lang) in flat, (code, out)
        assert "Region Hovedstaden" in out if lang == "da" else "Capital Region" in out
        assert heading in out or "Knudepunkt" in out or "Aktivitet" in out


def test_nodes_csv_keeps_the_factsheet_layout_and_full_labels(divisions: str) -> None:
    rows = list(
        csv.reader(io.StringIO(run("regions", "nodes", divisions, "-r", "EU27", "-f", "csv")))
    )
    assert rows[0] == [
        "Region",
        "Number of nodes",
        "Node 1",
        "Node 2",
        "Node 3",
        "Node 4",
        "Node 5",
        "Warnings",
    ]
    dk01 = next(r for r in rows if r[0].startswith("DK01"))
    assert dk01[0] == "DK01: Capital Region of Denmark"
    assert "J62 - Computer programming, consultancy and related activities" in dk01
    assert not any("…" in c for r in rows for c in r)


def test_directory_is_not_called_missing(tmp_path: Path, divisions: str) -> None:
    out = run_fail("regions", "lq", str(tmp_path))
    assert "directory" in out and "does not exist" not in out
    assert "mappe" in run_fail("regions", "lq", str(tmp_path), "--lang", "da")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    said = run_fail("regions", "lq", str(empty))
    assert "empty.csv" in said and "the file is empty" in " ".join(said.split())
    assert "filen er tom" in run_fail("regions", "lq", str(empty), "--lang", "da")
    mapping_dir = run_fail(
        "regions", "nodes", divisions, "--level", "ecosystem", "--mapping", str(tmp_path)
    )
    assert "directory" in mapping_dir


def test_strong_flags_in_the_table_match_the_csv(a10: str) -> None:
    """--strong used to be ignored without a word in the table; now it is a column there too."""
    table_out = run("regions", "lq", a10, "--year", "2018", "--strong", "--lang", "da")
    assert "Stærk" in table_out and "US Cluster Mapping" in table_out
    recs = json.loads(run("regions", "lq", a10, "--year", "2018", "--strong", "-f", "json"))["rows"]
    strong = [r for r in recs if r["strong"]]
    nodes = [r for r in recs if r["node"]]
    assert strong and len(strong) != len(nodes)
    body = [ln for ln in table_out.splitlines() if ln.startswith("│")]
    assert sum(ln.count("✓") for ln in body) == len(strong) + len(nodes)
    assert "Stærk" not in run("regions", "lq", a10, "--year", "2018", "--lang", "da")


def test_all_years_in_a_table_is_refused_not_ignored(a10: str) -> None:
    assert "--format csv" in run_fail("regions", "lq", a10, "--all-years")
    recs = json.loads(run("regions", "lq", a10, "--all-years", "-f", "json"))["rows"]
    years = {r["year"] for r in recs}
    assert years == set(range(2000, 2019))


def test_ecosystem_output_says_which_mapping(
    divisions: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ecosystem tables and Graph 1 say the bundled mapping is approximate, or name yours."""
    from klynge.cli import output

    monkeypatch.setattr(output.console, "_width", 200)
    out = run("regions", "nodes", divisions, "-r", "EU27", "--level", "ecosystem")
    assert "approximate" in out
    assert "approximate" not in run("regions", "nodes", divisions, "-r", "EU27")
    da = run("regions", "lq", divisions, "-r", "EU27", "--level", "ecosystem", "--lang", "da")
    assert "omtrentlig" in da
    own = tmp_path / "own.csv"
    own.write_text(
        "nace,ecosystem\nC21,health\nQ86,health\nQ88,health\nJ62,digital\nG47,\nK64,\n",
        encoding="utf-8",
    )
    mine = run(
        "regions", "nodes", divisions, "-r", "EU27", "--level", "ecosystem", "--mapping", str(own)
    )
    assert str(own) in mine and "approximate" not in mine
    svg = tmp_path / "eco.svg"
    run("regions", "chart", "ecosystems", "--file", divisions, "--output", str(svg))
    assert "approximate" in svg.read_text(encoding="utf-8")


def test_indices_and_organisations_tables_read_well(
    a10: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klynge.cli import output

    monkeypatch.setattr(output.console, "_width", 80)
    out = run("regions", "indices", a10)
    lines = out.splitlines()
    assert all(len(ln) <= 80 for ln in lines)
    assert all(not ln.startswith("│  ") for ln in lines if ln.startswith("│"))
    flat = " ".join(out.split())
    assert "G-I - Wholesale and retail trade, transport, accommodation and food services" in flat
    orgs = run("regions", "organisations", "--on", "2022-01-01")
    assert "Copenhagen FinTech" in orgs and "copenhagen-fintech" not in orgs
    data = json.loads(run("regions", "organisations", "--on", "2022-01-01", "--json"))["regions"]
    assert any("copenhagen-fintech" in r["clusters"] for r in data)  # programs keep the slugs


@pytest.mark.parametrize(
    ("args", "danish"),
    [
        (["clusters", "--help"], "hovedsæde"),
        (["focal-points", "--help"], "sigtelinjerne"),
        (["regions", "--help"], "lokaliseringskvotienter"),
        (["regions", "lq", "--help"], "arbejdssteder"),
        (["regions", "fetch", "--help"], "Regionskoder"),
    ],
)
def test_help_is_in_danish_too(args: list[str], danish: str) -> None:
    assert danish in run(*args)


def test_every_option_and_argument_help_is_bilingual() -> None:
    """Every help text of the landscape and regions commands reads 'English. / Dansk.'."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    regions = root.commands["regions"]
    assert isinstance(regions, TyperGroup)
    assert regions.help is not None
    assert " / " in regions.help
    landscape = ["areas", "clusters", "show", "geography", "focal-points", "export-landscape"]
    commands = [root.commands[name] for name in [*landscape, "maturity"]]
    commands += list(regions.commands.values())
    english_only = [
        f"{command.name} {param.name}: {help_text!r}"
        for command in commands
        for param in command.params
        if param.name != "help"
        and (help_text := getattr(param, "help", None)) is not None
        and " / " not in help_text
    ]
    assert english_only == []


def test_every_command_prints_its_model_under_json(
    a10: str, divisions: str, tmp_path: Path
) -> None:
    """`--json` prints exactly the service's model; `--format json` is the same thing."""
    from datetime import date

    from klynge.services import regions as svc

    cases = [
        (["regions", "lq", a10, "--year", "2010"], svc.lq_table(a10, year=2010)),
        (
            ["regions", "nodes", divisions, "-r", "EU27", "--level", "ecosystem"],
            svc.nodes(divisions, reference="EU27", level="ecosystem"),
        ),
        (["regions", "indices", a10, "--from", "2001"], svc.indices(a10, first=2001)),
        (["regions", "shares", divisions], svc.shares(divisions)),
        (
            ["regions", "organisations", "--on", "2023-05-01"],
            svc.organisations(date(2023, 5, 1)),
        ),
        (["maturity", "DK", "--on", "2019-01-01"], svc.maturity("DK", date(2019, 1, 1))),
    ]
    for args, model in cases:
        assert json.loads(run(*args, "--json")) == model.model_dump(mode="json"), args
        if args[0] == "regions" and args[1] != "organisations":
            assert json.loads(run(*args, "--format", "json")) == model.model_dump(mode="json")
    svg = tmp_path / "g.svg"
    written = json.loads(
        run("regions", "chart", "organisations", "-o", str(svg), "--on", "2026-01-01", "--json")
    )
    assert written == {
        "kind": "organisations",
        "format": "svg",
        "path": str(svg),
        "bytes": svg.stat().st_size,
        "caveats": svc.organisations(date(2026, 1, 1)).model_dump(mode="json")["caveats"],
    }
    png = tmp_path / "eco.png"
    summary = json.loads(
        run("regions", "chart", "ecosystems", "--file", divisions, "-o", str(png), "--json")
    )
    assert summary["format"] == "png" and summary["bytes"] == png.stat().st_size
    assert [c["code"] for c in summary["caveats"]] == ["approximate-ecosystem-mapping"]


def test_fetch_json_summary(recorded: list[str], tmp_path: Path) -> None:
    out = tmp_path / "dk.parquet"
    summary = json.loads(run("regions", "fetch", "nama_10r_3empers", "-o", str(out), "--json"))
    assert summary["dataset"] == "nama_10r_3empers" and summary["format"] == "parquet"
    assert summary["path"] == str(out) and out.is_file()
    assert summary["cells"] == 8 and summary["regions"] == ["DK01", "DK02"]
    # One cell of the recorded response is ': c': it stays missing, and the summary says so.
    assert summary["missing"] == 1
    assert [w["code"] for w in summary["warnings"]] == ["suppressed-cells"]
    assert "1 of 8 cells" in summary["warnings"][0]["message"]


def test_errors_under_json_are_json(tmp_path: Path, a10: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("region,activity,year,value\nDK01,J,2018,x\n", encoding="utf-8")
    for args in (
        ["regions", "lq", str(bad), "--json"],
        ["regions", "nodes", str(bad), "--format", "json"],
        ["regions", "indices", str(bad), "--json"],
        ["regions", "shares", str(bad), "--json"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        err = json.loads(result.stdout)["error"]
        assert err["status"] == 422 and err["code"] == "invalid-data"
        assert err["location"] == {"file": str(bad), "row": 2, "column": "value"}
    result = runner.invoke(app, ["maturity", "SE", "--json", "--lang", "da"])
    assert (
        result.exit_code == 2
        and "ingen politikdata" in json.loads(result.stdout)["error"]["detail"]
    )
    result = runner.invoke(
        app, ["regions", "fetch", "nope", "-o", str(tmp_path / "x.csv"), "--json"]
    )
    assert (
        result.exit_code == 2 and "unknown dataset" in json.loads(result.stdout)["error"]["detail"]
    )
    result = runner.invoke(
        app, ["regions", "chart", "ecosystems", "-o", str(tmp_path / "x.svg"), "--json"]
    )
    assert json.loads(result.stdout)["error"]["code"] == "missing-file"
    assert "contradict" in run_fail("regions", "nodes", a10, "--json", "--format", "csv")


def test_warnings_reach_tables_csv_and_json(a10: str, divisions: str) -> None:
    """The aggregates the pipeline leaves out are a warning in every output form."""
    table_out = run("regions", "nodes", a10)
    assert "Warnings:" in table_out and "Left out (overlapping aggregates" in table_out
    assert "Advarsler:" in run("regions", "indices", a10, "--lang", "da")
    result = runner.invoke(app, ["regions", "lq", a10, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert all(r["warnings"].startswith("aggregates-left-out: Left out") for r in rows)
    assert "warning: Left out" in result.stderr
    data = json.loads(run("regions", "shares", divisions, "--json"))
    assert {w["code"] for w in data["warnings"]} == {"approximate-ecosystem-mapping"}


def test_damaged_input_is_marked_and_warned_in_every_form(tmp_path: Path) -> None:
    """Suppressed cells read '(:)' or '(: c)' in tables and stay null in JSON; what the readers
    and the kernel warn about (a year with no value, a reference gap) reaches every output."""
    gap = tmp_path / "gap.csv"
    gap.write_text(
        "region,activity,year,value\n"
        "DK01,A01,2020,10\nDK01,J62,2020,90\nDK02,A01,2020,:\nDK02,J62,2020,: c\n"
        "DK0,A01,2020,:\nDK0,J62,2020,100\n"
        "DK01,A01,2021,:\nDK01,J62,2021,:\nDK02,A01,2021,:\nDK02,J62,2021,:\n"
        "DK0,A01,2021,:\nDK0,J62,2021,:\n",
        encoding="utf-8",
    )
    out = run("regions", "lq", str(gap))
    assert "(: c)" in out and "(:)" in out and "Warnings:" in out
    flat = " ".join(out.split())
    assert "every value is suppressed or missing in 2021" in flat
    data = json.loads(run("regions", "lq", str(gap), "--json"))
    codes = {w["code"] for w in data["warnings"]}
    assert {"year-all-suppressed", "reference-cell-suppressed"} <= codes
    dk02 = [r for r in data["rows"] if r["region"] == "DK02"]
    assert all(r["employment"] is None and r["lq"] is None for r in dk02)
    rows = list(csv.reader(io.StringIO(run("regions", "nodes", str(gap), "--format", "csv"))))
    dk02_row = next(r for r in rows if r[0].startswith("DK02"))
    assert dk02_row[1] == "" and "year-all-suppressed" in dk02_row[-1]
    nodes = json.loads(run("regions", "nodes", str(gap), "--json"))
    assert next(r for r in nodes["regions"] if r["region"] == "DK02")["nodes"] is None
    assert "(:)" in run("regions", "nodes", str(gap))
