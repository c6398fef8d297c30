"""The landscape commands, in Danish and English, for people and for programs."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from klynge import __version__
from klynge.cli.main import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def run_fail(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code != 0, result.output
    return result.output


def test_version() -> None:
    assert run("--version").strip() == f"klynge {__version__}"


@pytest.mark.parametrize(
    "command", ["areas", "clusters", "programmes", "show", "geography", "focal-points", "tour"]
)
def test_help_on_every_command(command: str) -> None:
    out = run(command, "--help")
    assert "--lang" in out


def test_areas_in_both_languages() -> None:
    en = run("areas", "--on", "2021-06-01")
    da = run("areas", "--on", "2021-06-01", "--lang", "da")
    assert "Environmental technology" in en and "stronghold" in en
    assert "Miljøteknologi" in da and "styrkeposition" in da
    assert "no cluster effort" in en and "ingen klyngeindsats" in da


def test_language_from_environment() -> None:
    out = run("areas", "--on", "2021-06-01", env={"KLYNGE_LANG": "da"})
    assert "Miljøteknologi" in out


def test_bad_language_is_refused() -> None:
    assert "use 'da'" in run_fail("areas", "--lang", "fr")


def test_areas_json_shape() -> None:
    page = json.loads(run("areas", "--json", "--on", "2021-06-01", "--lang", "da"))
    assert page["total"] == 15 and page["on"] == "2021-06-01" and page["caveats"] == []
    data = page["items"]
    assert len(data) == 15
    first = data[0]
    assert set(first) >= {
        "slug",
        "kind",
        "designated_by",
        "name",
        "scope",
        "cluster",
        "cluster_state",
        "nace",
    }
    assert first["name"] == "Miljøteknologi" and first["cluster"] == "clean"
    tourism = next(a for a in data if a["slug"] == "tourism")
    assert tourism["cluster"] is None and tourism["cluster_state"] == "no-cluster-effort"


def test_areas_kind_filter() -> None:
    emerging = json.loads(run("areas", "--kind", "emerging", "--json"))["items"]
    assert {a["slug"] for a in emerging} == {
        "robot-drone-technology",
        "animation-games-film",
        "defence-space-security",
        "sound-technology",
    }
    assert "unknown kind" in run_fail("areas", "--kind", "sleepy")


def test_clusters_on_dates() -> None:
    assert len(json.loads(run("clusters", "--json", "--on", "2021-01-01"))["items"]) == 14
    after = json.loads(run("clusters", "--json", "--on", "2023-01-01"))["items"]
    assert len(after) == 13 and "marlog" not in {c["slug"] for c in after}


def test_clusters_region_filter_and_json_shape() -> None:
    page = json.loads(run("clusters", "--json", "--on", "2021-06-01", "--region", "dk04"))
    assert page["region"] == {"code": "DK04", "name": "Central Denmark Region"}
    data = page["items"]
    assert {c["slug"] for c in data} == {
        "food-bio-cluster-denmark",
        "lifestyle-design-cluster",
        "digitallead",
        "danish-sound-cluster",
    }
    c = data[0]
    assert set(c) >= {
        "slug",
        "name",
        "aliases",
        "area",
        "active_from",
        "active_to",
        "headquarters",
        "website",
    }
    assert c["headquarters"]["nuts2"] == "DK04"
    assert "unknown region" in run_fail("clusters", "--region", "DK09")


@pytest.mark.parametrize(
    "region", ["Midtjylland", "region midtjylland", "Central Denmark", "central denmark region"]
)
def test_clusters_region_by_name(region: str) -> None:
    by_name = json.loads(run("clusters", "--json", "--on", "2021-06-01", "--region", region))
    by_code = json.loads(run("clusters", "--json", "--on", "2021-06-01", "--region", "DK04"))
    assert by_name == by_code and by_name["total"] == 4


def test_clusters_region_table_names_the_region() -> None:
    out = run("clusters", "--on", "2021-06-01", "--region", "Midtjylland", "--lang", "da")
    assert "DK04 Region Midtjylland" in out and "Danish Sound Cluster" in out
    assert "hovedsædet for" in out  # the unknown headquarters are named


def test_clusters_kind_emerging() -> None:
    data = json.loads(run("clusters", "--json", "--on", "2021-06-01", "--kind", "emerging"))[
        "items"
    ]
    assert {c["slug"] for c in data} == {
        "odense-robotics",
        "vision-denmark",
        "danish-sound-cluster",
        "censec",
    }


def test_today_warns_about_the_partly_known_programme() -> None:
    out = run("clusters", "--on", "2026-01-01")
    assert "funds 11 organisations" in out and "--on 2024-12-31" in out


def test_show_cluster_by_alias_and_typo() -> None:
    out = run("show", "Odense Robotic")
    assert "Odense Robotics (odense-robotics)" in out and "Odense" in out
    da = run("show", "life science klyngen", "--lang", "da")
    assert "Danish Life Science Cluster" in da and "Hovedsæde" in da


def test_show_marlog_events() -> None:
    out = run("show", "marlog")
    # The sources give the month of the bankruptcy and of the founding, not the day.
    assert "April 2022" in out and "May 2020" in out and "bankruptcy" in out
    assert "2022-04-20" not in out and "2020-05-01" not in out


def test_show_area_and_programme_json() -> None:
    area = json.loads(run("show", "energiteknologi området", "--json", "--on", "2021-06-01"))
    assert area["type"] == "area" and area["cluster"] == "energy-cluster-denmark"
    prog = json.loads(run("show", "innovationskraft", "--json"))
    assert prog["type"] == "programme" and prog["record"]["budget_dkk_million"] == 640


def test_show_ambiguous_and_unknown() -> None:
    out = run_fail("show", "sound")
    assert "ambiguous" in out and "danish-sound-cluster" in out and "sound-technology" in out
    assert "no area, cluster or programme" in run_fail("show", "frisørsalon")


def test_geography_json_and_claim_check() -> None:
    data = json.loads(run("geography", "--json", "--on", "2021-01-01"))
    assert data["on"] == "2021-01-01" and data["on_default"] is False
    assert data["by_part"]["jutland"] == 6 and data["by_part"]["funen"] == 1
    assert data["by_part"]["copenhagen-area"] == 4
    assert sorted(data["unknown"]) == ["censec", "made", "vision-denmark"]
    (claim,) = data["claims"]
    assert claim["verdict"] == "possible"
    assert claim["missing"] == {"jutland": 1, "copenhagen-area": 2}


def test_geography_tables_in_danish() -> None:
    out = run("geography", "--lang", "da", "--on", "2021-01-01")
    assert "Jylland" in out and "Hovedstadsområdet" in out and "Kan ikke bekræftes" in out
    # The verdict names clusters, not slugs, in a Danish sentence.
    assert "MADE, Vision Denmark og CenSec" in " ".join(out.split())
    assert "vision-denmark" not in out


def test_tour_runs_in_both_languages() -> None:
    en = run("tour")
    da = run("tour", "--lang", "da")
    assert "13 clusters on 1 January 2023" in en
    assert "13 klynger den 1. januar 2023" in da


def test_focal_points_listed_and_checked() -> None:
    listed = json.loads(run("focal-points", "--json"))["items"]
    assert [fp["slug"] for fp in listed] == [
        "one-national-organisation",
        "independent-private-organisation",
        "neutral-open-platform",
        "shared-responsibility",
    ]
    before = json.loads(run("focal-points", "marlog", "--json", "--on", "2021-06-01"))
    after = json.loads(
        run("focal-points", "marlog", "--json", "--on", "2023-01-01", "--lang", "da")
    )
    assert before["checks"][0]["outcome"] == "met"
    assert after["checks"][0]["outcome"] == "not-met"
    assert {c["outcome"] for c in after["checks"][1:]} == {"not-decidable"}
    assert "ikke" in after["checks"][0]["reason"]
    assert "not a cluster organisation" in run_fail("focal-points", "Miljøteknologi")


def test_export_landscape_round_trips_through_the_models(tmp_path) -> None:
    from klynge.landscape.model import Area, Cluster, Programme

    target = tmp_path / "landscape.json"
    run("export-landscape", "--output", str(target))
    doc = json.loads(target.read_text(encoding="utf-8"))
    clusters = [Cluster.model_validate(c) for c in doc["clusters"]]
    areas = [Area.model_validate(a) for a in doc["areas"]]
    programmes = [Programme.model_validate(p) for p in doc["programmes"]]
    assert len(clusters) == 14 and len(areas) == 15 and len(programmes) == 3
    assert all(a.name.da and a.name.en for a in areas)


def test_bad_date_is_refused_with_the_expected_form() -> None:
    result = runner.invoke(app, ["clusters", "--on", "2023-13-01"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_errors_are_prefixed_in_the_reader_language() -> None:
    da = runner.invoke(app, ["show", "[ingenting]", "--lang", "da"])
    en = runner.invoke(app, ["show", "[nothing]", "--lang", "en"])
    assert da.exit_code != 0 and en.exit_code != 0
    assert "fejl: " in da.output and "error: " not in da.output
    # Square brackets in a message are text, not Rich markup.
    assert "error: " in en.output and "[nothing]" in en.output


def test_programmes_table_and_json() -> None:
    out = run("programmes", "--on", "2022-01-01", "--lang", "da")
    assert "innovationskraft-2021-2024" in out and "640" in out and "I kraft" in out
    data = json.loads(run("programmes", "--json", "--on", "2022-01-01"))
    assert [p["in_force"] for p in data["items"]] == [True, True, False]


def test_pages_on_the_command_line() -> None:
    page = json.loads(run("clusters", "--json", "--on", "2021-01-01", "--offset", "12"))
    assert page["total"] == 14 and len(page["items"]) == 2
    assert "--limit" in run_fail("areas", "--limit", "0")


def test_errors_under_json_are_json() -> None:
    result = runner.invoke(app, ["clusters", "--region", "Atlantis", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert error["code"] == "unknown-region" and error["status"] == 422
