"""The regions use cases: typed results, missing as null, warnings carried everywhere."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from klynge.errors import InvalidInput, KlyngeError, Location, NotFound
from klynge.i18n import Text
from klynge.regions.errors import RegionsDataError, data_error
from klynge.regions.warnings import DataWarning
from klynge.services import regions as svc


@pytest.fixture(scope="module")
def a10(shared_data: Path) -> Path:
    return shared_data / "eurostat_employment" / "dk_nuts2_employment_a10_2000_2018.csv"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Two regions and three divisions, one cell suppressed (': c') in DK01/J62 in 2021."""
    lines = ["region,activity,year,value"]
    values = {
        ("DK01", "A01"): 10,
        ("DK01", "C21"): 50,
        ("DK01", "J62"): 40,
        ("DK02", "A01"): 60,
        ("DK02", "C21"): 30,
        ("DK02", "J62"): 10,
    }
    for year in (2020, 2021):
        for (region, act), v in values.items():
            cell = ": c" if (year, region, act) == (2021, "DK01", "J62") else str(v)
            lines.append(f"{region},{act},{year},{cell}")
    path = tmp_path / "small.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def warned(monkeypatch: pytest.MonkeyPatch) -> DataWarning:
    """Readers attach a warning to the cube, as the hardened readers do for damaged input."""
    from klynge.regions import cube as cube_module

    warning = DataWarning(
        "suppressed-reference",
        Text(da="referencecellen er fortrolig", en="the reference cell is suppressed"),
        Location(file="ignored", row=3, column="value"),
    )
    real = cube_module.from_long

    def from_long(df: Any, *args: Any, **kwargs: Any) -> Any:
        c = real(df, *args, **kwargs)
        c.warnings.append(warning)
        return c

    monkeypatch.setattr(cube_module, "from_long", from_long)
    return warning


def test_nodes_on_the_danish_file(a10: Path) -> None:
    t = svc.nodes(a10, year=2018)
    assert t.layout == "table1" and t.top == 5 and t.reference == "DK0"
    assert [r.region for r in t.regions] == ["DK01", "DK02", "DK03", "DK04", "DK05"]
    dk01 = t.regions[0]
    assert dk01.region_name == "Capital Region of Denmark"
    assert set(dk01.top) == {"J", "K"} and dk01.nodes == 2 == len(dk01.top_lq)
    assert dk01.top_labels[dk01.top.index("J")] == "J - Information and communication"
    assert t.total == sum(r.nodes for r in t.regions)
    # The overlapping aggregates the pipeline left out are said, not silently dropped.
    left_out = [n for n in t.warnings if n.code == "aggregates-left-out"]
    assert left_out and "G-J" in left_out[0].message and "TOTAL" in left_out[0].message
    da = svc.nodes(a10, year=2018, lang="da")
    assert da.regions[0].region_name == "Region Hovedstaden"
    assert da.warnings[0].message.startswith("Udeladt")


def test_missing_is_null_never_zero(small: Path) -> None:
    t = svc.lq_table(small, reference="sum", year=2021)
    cell = next(r for r in t.rows if (r.region, r.activity) == ("DK01", "J62"))
    assert cell.employment is None and cell.share is None and cell.lq is None
    assert cell.node is False and cell.flag == "c"
    other = next(r for r in t.rows if (r.region, r.activity) == ("DK02", "J62"))
    assert other.employment == 10 and other.lq is not None
    dumped = json.loads(t.model_dump_json())
    assert (
        next(r for r in dumped["rows"] if r["region"] == "DK01" and r["activity"] == "J62")[
            "employment"
        ]
        is None
    )
    rows = list(csv.DictReader(io.StringIO(svc.lq_csv(t, "en"))))
    dk01_j = next(r for r in rows if r["region"] == "DK01" and r["activity"] == "J62")
    assert dk01_j["employment"] == "" and dk01_j["lq"] == "" and dk01_j["node"] == "false"


def test_every_result_carries_the_cube_warnings(small: Path, warned: DataWarning) -> None:
    lq = svc.lq_table(small, reference="sum")
    nd = svc.nodes(small, reference="sum")
    ind = svc.indices(small, reference="sum")
    sh = svc.shares(small, reference="sum", country="DK01")
    for r in (lq, nd, ind, sh):
        codes = [n.code for n in r.warnings]
        assert codes.count("suppressed-reference") == 1, (type(r).__name__, codes)
        note = next(n for n in r.warnings if n.code == "suppressed-reference")
        assert note.message == "the reference cell is suppressed"
        assert note.location is not None and note.location.row == 3
    # CSV: every row's last cell holds every warning, located.
    texts = [
        svc.lq_csv(lq, "en"),
        svc.nodes_csv(nd, "en"),
        svc.indices_csv(ind, "en"),
        svc.shares_csv(sh, "en"),
    ]
    for text in texts:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][-1] in ("warnings", "Warnings")
        assert len(rows) > 1
        for row in rows[1:]:
            assert "suppressed-reference: ignored, row 3, column 'value': the reference" in row[-1]
    da = svc.nodes(small, reference="sum", lang="da")
    assert "referencecellen er fortrolig" in svc.nodes_csv(da, "da")
    assert next(csv.reader(io.StringIO(svc.nodes_csv(da, "da"))))[-1] == "Advarsler"


def test_uploads_are_named_as_the_client_named_them(small: Path, warned: DataWarning) -> None:
    content = small.read_bytes()
    with svc.uploads({"file": ("mine.csv", content)}) as saved:
        up = saved["file"]
        assert up.name == "mine.csv" and up.path.read_bytes() == content
        folder = up.path.parent.parent
        t = svc.nodes(up.path, reference="sum", shown_as={up.path: up.name})
        assert str(folder) not in t.model_dump_json()
    assert not folder.exists()  # the private folder is gone afterwards
    bad = b"region,activity,year,value\nDK01,J,2018,x\n"
    with svc.uploads({"file": ("bad.csv", bad)}) as saved:
        up = saved["file"]
        with pytest.raises(RegionsDataError) as err:
            svc.nodes(up.path, shown_as={up.path: up.name})
    assert err.value.location == Location(file="bad.csv", row=2, column="value")
    assert "tmp" not in err.value.message.en and "bad.csv, row 2" in err.value.message.en
    assert "bad.csv, række 2" in err.value.message.da


@pytest.mark.parametrize(
    "name", ["../x.csv", "..\\x.csv", "a/b.csv", "/etc/passwd", "..", ".hidden", "x\x00.csv"]
)
def test_path_tricks_in_upload_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as err:
        svc.safe_upload_name(name)
    assert err.value.error_code == "bad-file-name"


def test_upload_names_get_an_ending() -> None:
    assert svc.safe_upload_name("data.tsv") == "data.tsv"
    assert svc.safe_upload_name("Beskæftigelse 2020.csv") == "Beskæftigelse 2020.csv"
    assert svc.safe_upload_name(None) == "upload.csv"
    assert svc.safe_upload_name("export", b"PAR1....") == "export.parquet"
    assert svc.safe_upload_name("export") == "export.csv"
    assert svc.safe_upload_name("regnskab.xlsx") == "regnskab.xlsx"
    assert svc.safe_upload_name(None, b"PK\x03\x04...") == "upload.xlsx"
    assert svc.safe_upload_name("tal", b"\x1f\x8b\x08\x08") == "tal.gz"


def test_the_sample_must_be_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, a10: Path
) -> None:
    monkeypatch.delenv(svc.SAMPLE_ENV, raising=False)
    with pytest.raises(NotFound) as err:
        svc.sample()
    assert err.value.error_code == "no-sample" and svc.SAMPLE_ENV in err.value.message.en
    assert svc.SAMPLE_ENV in err.value.message.da
    monkeypatch.setenv(svc.SAMPLE_ENV, str(tmp_path / "gone.csv"))
    with pytest.raises(NotFound, match="does not name a file"):
        svc.sample()
    monkeypatch.setenv(svc.SAMPLE_ENV, str(a10))
    assert svc.sample() == svc.Upload(a10, a10.name)


def test_a_reference_file_can_be_refused(small: Path) -> None:
    """The API never lets a request name a file on the server as the reference."""
    with pytest.raises(RegionsDataError) as err:
        svc.nodes(small, reference=str(small), reference_files=False)
    assert err.value.error_code == "unknown-reference"
    assert svc.nodes(small, reference="DK02", reference_files=False).reference == "DK02"
    assert svc.nodes(small, reference="sum", reference_files=False).regions


def test_choices_and_thresholds_are_checked(small: Path) -> None:
    with pytest.raises(InvalidInput, match="nace2"):
        svc.nodes(small, level="bogus")
    with pytest.raises(InvalidInput, match="at least 1"):
        svc.nodes(small, top=0)
    with pytest.raises(InvalidInput, match="DIM=VALUE"):
        svc.lq_table(small, filters=["unit"])
    assert svc.parse_filters(["Unit = THS", "x=1"]) == {"unit": "THS", "x": "1"}


def test_unreadable_bytes_are_the_files_fault(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tsv"
    junk.write_bytes(b"\xff\xfe\x00\x01garbage\tmore\n")
    with pytest.raises(RegionsDataError) as err:
        svc.nodes(junk)
    assert err.value.status == 422 and err.value.location is not None
    assert err.value.location.file == str(junk)


def test_regions_errors_are_invalid_input() -> None:
    err = data_error("f.csv", 4, "geo", "tom", "empty")
    assert isinstance(err, InvalidInput) and isinstance(err, KlyngeError)
    assert err.status == 422 and err.exit_code == 2
    assert err.location == Location(file="f.csv", row=4, column="geo")
    assert err.text.da == "fil f.csv, række 4, kolonne 'geo': tom"  # the old Text reading
    assert err.text("en") == "file f.csv, row 4, column 'geo': empty"  # and the new method
    body = err.as_json("da")
    assert body["detail"] == "fil f.csv, række 4, kolonne 'geo': tom"
    assert body["location"] == {"file": "f.csv", "row": 4, "column": "geo"}
    plain = RegionsDataError("dansk", "english")
    assert str(plain) == "english" and plain.location is None and plain.text.get("da") == "dansk"


def test_ecosystem_level_says_its_mapping(tmp_path: Path) -> None:
    path = tmp_path / "div.csv"
    rows = ["region,activity,year,value"]
    for region, vals in (("DK01", (30, 80, 100)), ("EU27_2020", (100, 400, 1000))):
        for act, v in zip(("C21", "J62", "Q86"), vals, strict=True):
            rows.append(f"{region},{act},2020,{v}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    t = svc.nodes(path, reference="EU27", level="ecosystem")
    assert t.layout == "table2" and t.top == 3 and t.mapping is None
    assert "approximate-ecosystem-mapping" in [n.code for n in t.warnings]
    own = tmp_path / "own.csv"
    own.write_text("nace,ecosystem\nC21,health\nJ62,digital\nQ86,health\n", encoding="utf-8")
    mine = svc.nodes(path, reference="EU27", level="ecosystem", mapping=own)
    assert mine.mapping == str(own)
    assert "approximate-ecosystem-mapping" not in [n.code for n in mine.warnings]
    shares = svc.shares(path, reference="EU27")
    assert {r.ecosystem for r in shares.rows} == {"health", "digital"}
    assert shares.country == "DK" and shares.reference == "EU27_2020"


def test_organisations_and_their_caveats() -> None:
    from datetime import date

    known = svc.organisations(date(2022, 1, 1))
    assert sum(r.count for r in known.regions) == 14
    # MADE, Vision Denmark and CenSec: headquarters not in the sources, counted apart.
    assert [c.code for c in known.caveats] == ["unknown-headquarters"]
    assert "MADE" in known.caveats[0].message
    dk01 = next(r for r in known.regions if r.region == "DK01")
    assert "copenhagen-fintech" in dk01.clusters and "Copenhagen FinTech" in dk01.cluster_names
    later = svc.organisations(date(2026, 1, 1), lang="da")
    # The landscape's own caveat for 2025-2028 (the same code as every landscape answer's).
    assert {c.code for c in later.caveats} == {"list-unknown", "unknown-headquarters"}
    defaulted = svc.organisations(None)
    assert defaulted.on == date(2024, 12, 31)
    assert next(c.code for c in defaulted.caveats) == "default-date"
    assert later.regions[-1].region == "unknown" and later.regions[-1].name is None
    text = svc.organisations_csv(later, "da")
    assert "unknown-headquarters" in text.splitlines()[1]


def test_maturity_model() -> None:
    m = svc.maturity("DK")
    assert (m.total, m.maximum) == (6.5, 7)
    assert [(d.key, d.score) for d in m.dimensions] == [
        ("scope", 2),
        ("consistency", 2),
        ("evidence", 0.5),
        ("instruments", 2),
    ]
    assert svc.maturity("dk", lang="da").dimensions[0].name == "Politikkens omfang"
    assert svc.maturity("NO").country == "NO"
    with pytest.raises(NotFound, match="Denmark") as err:
        svc.maturity("SE")
    assert err.value.error_code == "no-policy-data" and "Norges (NO)" in err.value.message.da


def test_charts_as_bytes_and_files(small: Path, tmp_path: Path) -> None:
    from datetime import date

    svg = svc.chart("organisations", "svg", on=date(2022, 1, 1))
    assert svg.media_type == "image/svg+xml" and b"<svg" in svg.content
    png = svc.chart("ecosystems", "png", file=small, reference="sum")
    assert png.content[:4] == b"\x89PNG"
    assert "approximate-ecosystem-mapping" in [c.code for c in png.caveats]
    assert json.loads(png.model_dump_json())["content"].startswith("iVBOR")  # base64, not bytes
    written = svc.write_chart("organisations", tmp_path / "out" / "g2.svg", on=date(2026, 1, 1))
    assert written.format == "svg" and written.bytes == (tmp_path / "out" / "g2.svg").stat().st_size
    assert "list-unknown" in [c.code for c in written.caveats]
    with pytest.raises(InvalidInput, match="--file"):
        svc.chart("ecosystems")
    with pytest.raises(InvalidInput, match=r"\.svg or \.png"):
        svc.write_chart("organisations", tmp_path / "g2.pdf")


def test_a_region_without_any_value_has_unknown_nodes_not_zero(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    lines = ["region,activity,year,value"]
    for region, vals in (("DK01", ("10", "90")), ("DK02", (": c", ":")), ("DK03", ("90", "10"))):
        for act, v in zip(("A01", "J62"), vals, strict=True):
            lines.append(f"{region},{act},2020,{v}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t = svc.nodes(path, reference="sum")
    by = {r.region: r for r in t.regions}
    assert by["DK02"].nodes is None and by["DK02"].top == []
    assert by["DK01"].nodes == 1 and by["DK01"].top == ["J62"]
    assert t.total == 2 and by["DK03"].top == ["A01"]
    row = next(
        r for r in csv.reader(io.StringIO(svc.nodes_csv(t, "en"))) if r[0] == "DK02: Region Zealand"
    )
    assert row[1] == ""  # empty, never 0
