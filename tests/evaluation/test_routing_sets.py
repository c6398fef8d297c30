"""The nine routing sets (first, outside, third to seventh test sets; two development sets).

A development set that shares an organisation with a test set would leak the test into tuning,
so disjointness by organisation name is checked here on every run, with the same name matching
the development set's own check script uses. These tests read the files, never a router.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from klynge.landscape import get_landscape

REPO = Path(__file__).resolve().parents[2]
SETS = {
    "first": (REPO / "evaluation" / "routing" / "companies.csv", "e{}"),
    "outside": (REPO / "evaluation" / "routing_outside" / "companies.csv", "o{}"),
    "dev": (REPO / "evaluation" / "routing_dev" / "companies.csv", "d{}"),
    "test3": (REPO / "evaluation" / "routing_test3" / "companies.csv", "t{}"),
    "test4": (REPO / "evaluation" / "routing_test4" / "companies.csv", "u{}"),
    "dev2": (REPO / "evaluation" / "routing_dev2" / "companies.csv", "w{}"),
    "test5": (REPO / "evaluation" / "routing_test5" / "companies.csv", "T5-{:03d}"),
    "test6": (REPO / "evaluation" / "routing_test6" / "companies.csv", "T6-{:03d}"),
    "test7": (REPO / "evaluation" / "routing_test7" / "companies.csv", "T7-{:03d}"),
}
#: Each set's id pattern: a prefix and the row number, as the set's writer chose.
#: Name clashes the matcher reports that are different organisations, each checked by hand (a
#: word in common, not a part, parent or alias): the sets' READMEs and check scripts say why.
DISTINCT = {
    ("Brdr. Krüger", "Krüger A/S"),  # a machine shop; Krüger A/S treats water (Veolia)
    ("Salling Bank", "Salling Group A/S"),  # a local bank in Skive; Salling Group is retail
    ("Salling Bank A/S", "Salling Group A/S"),
    ("Vestjyllands Andel", "Andel"),  # a West Jutland co-operative; Andel is the energy group
    ("Dahl Advokatpartnerselskab", "Brødrene Dahl A/S"),  # a law firm; a plumbing wholesaler
    ("DAHL Advokatpartnerselskab", "Brødrene Dahl A/S"),
    ("Vega Salmon A/S", "VEGA"),  # a salmon processor; VEGA makes level sensors
    ("Bach Gruppen A/S", "Jupiter Bach A/S"),  # a builder; Jupiter Bach makes composites
    # The fifth test set: regional TV 2 stations are self-governing public-service institutions,
    # not parts of TV 2 Danmark A/S; the others share a word only (its check's REVIEWED list).
    ("TV 2 Nord", "TV 2 Danmark A/S"),
    ("TV 2 Bornholm", "TV 2 Danmark A/S"),
    ("TV 2 Øst", "TV 2 Danmark A/S"),
    ("TV 2 Kosmopol", "TV 2 Danmark A/S"),
    ("Shape A/S", "Shape Robotics A/S"),  # an app agency; Shape Robotics makes school robots
    ("Jysk Rejsebureau", "JYSK A/S"),  # 'jysk' is Jutlandic: a travel agency; JYSK is retail
    ("Jysk Fynske Medier", "JYSK A/S"),  # a newspaper group
    ("Gaia Solar A/S", "Solar A/S"),  # makes solar modules; Solar A/S is a wholesaler
    # The sixth test set (its check's REVIEWED list and README).
    ("TV 2 Fyn", "TV 2 Danmark A/S"),  # a self-governing regional station, as above
    ("Exotec SAS", "SAS"),  # French warehouse robots; 'SAS' is the company form, not the airline
    ("Sharper Shape Oy", "Shape A/S"),  # Finnish drone inspection; an app agency
    # The seventh test set (its check's REVIEWED list and README).
    ("Georg Jensen Damask", "Georg Jensen A/S"),  # a damask weaving mill; the silversmith
    ("Hotel Hafnia", "Hafnia Limited"),  # a hotel in Tórshavn; a product-tanker owner
    ("Sif Group", "Sif Jakobs Jewellery"),  # Dutch monopiles; a jewellery brand
    ("Autohuset Vestergaard", "Vestergaard Company A/S"),  # a car dealer; de-icing equipment
    ("Nielsen & Christensen", "S.A. Christensen & Co. A/S"),  # an audit firm; engineering
    # Found by this test, not by the set's check: the Nordic countries' international
    # financial institution and a Swedish private bank share the words "investment bank".
    ("Nordic Investment Bank", "Carnegie Investment Bank, Denmark"),
}
COLUMNS = [
    "id", "name", "language", "description", "nace", "expected", "expected_also",
    "kind", "label_source", "notes",
]  # fmt: skip
SLUGS = {
    "clean", "energy-cluster-denmark", "food-bio-cluster-denmark", "marlog",
    "danish-life-science-cluster", "we-build-denmark", "lifestyle-design-cluster", "made",
    "digitallead", "copenhagen-fintech", "odense-robotics", "vision-denmark",
    "danish-sound-cluster", "censec",
}  # fmt: skip


def canon(label: str) -> str:
    """A label as a cluster slug: the third set writes area slugs (the cluster of the area on
    2021-06-01, the date the sets are routed on)."""
    label = label.strip()
    if label in get_landscape().areas:
        held = get_landscape().cluster_for_area(label, date(2021, 6, 1))
        return held.slug if held is not None else label
    return label


def also(value: str) -> list[str]:
    """Further acceptable labels: ``|``-separated in the first sets, ``;`` in the third."""
    return [canon(v) for v in re.split(r"[|;]", value) if v.strip()]


def read(name: str) -> list[dict[str, str]]:
    path, _ = SETS[name]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS, (path, reader.fieldnames)
        return list(reader)


def name_matcher() -> ModuleType:
    path = REPO / "evaluation" / "routing_dev" / "check_disjoint.py"
    spec = importlib.util.spec_from_file_location("check_disjoint", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(SETS))
def test_rows_are_well_formed(name: str) -> None:
    rows = read(name)
    pattern = SETS[name][1]
    assert [r["id"] for r in rows] == [pattern.format(i) for i in range(1, len(rows) + 1)]
    for r in rows:
        assert r["language"] in {"da", "en"}, r["id"]
        expected = canon(r["expected"])
        assert expected in SLUGS | {"none", "tourism"}, r["id"]
        more = also(r["expected_also"])
        assert all(s in SLUGS | {"none", "tourism"} and s != expected for s in more), r["id"]
        assert r["description"].strip() and r["label_source"].strip(), r["id"]
        assert not r["nace"] or re.fullmatch(r"\d\d\.\d\d?", r["nace"]), (r["id"], r["nace"])


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_label_in_both_languages(name: str) -> None:
    seen = Counter((canon(r["expected"]), r["language"]) for r in read(name))
    missing = [
        (slug, lang) for slug in SLUGS | {"none", "tourism"} for lang in ("da", "en")
        if not seen[slug, lang]
    ]  # fmt: skip
    assert not missing


def test_development_set_is_large_enough_to_tune_on() -> None:
    counts = Counter(r["expected"] for r in read("dev"))
    assert sum(counts.values()) >= 320
    assert min(counts[s] for s in SLUGS) >= 18 and counts["none"] >= 40


def within(part: str, whole: str) -> bool:
    """``check_disjoint.contains`` as string search: normalised names are words joined by spaces."""
    return bool(part) and f" {part} " in f" {whole} "


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("dev", "first"),
        ("dev", "outside"),
        ("outside", "first"),
        ("test3", "first"),
        ("test3", "outside"),
        ("test3", "dev"),
        ("test4", "first"),
        ("test4", "outside"),
        ("test4", "dev"),
        ("test4", "test3"),
        ("dev2", "first"),
        ("dev2", "outside"),
        ("dev2", "dev"),
        ("dev2", "test3"),
        ("dev2", "test4"),
        ("test5", "first"),
        ("test5", "outside"),
        ("test5", "dev"),
        ("test5", "test3"),
        ("test5", "test4"),
        ("test5", "dev2"),
        ("test6", "first"),
        ("test6", "outside"),
        ("test6", "dev"),
        ("test6", "test3"),
        ("test6", "test4"),
        ("test6", "dev2"),
        ("test6", "test5"),
    ]
    + [("test7", other) for other in ("first", "outside", "dev", "test3", "test4", "dev2")]
    + [("test7", "test5"), ("test7", "test6")],
)
def test_sets_share_no_organisation(a: str, b: str) -> None:
    matcher = name_matcher()
    # Normalise each name once: the matcher's own pairwise call would redo it 150,000 times.
    keys_b = [
        (r["name"], matcher.norm(r["name"]), matcher.norm_country(r["name"])) for r in read(b)
    ]  # fmt: skip
    clashes = []
    for r in read(a):
        x, x2 = matcher.norm(r["name"]), matcher.norm_country(r["name"])
        for other, y, y2 in keys_b:
            if (
                r["name"].casefold() == other.casefold()
                or x == y
                or within(x, y)
                or within(y, x)
                or x2 == y2
                or (len(y2.split()) >= 2 and within(y2, x2))
                or (len(x2.split()) >= 2 and within(x2, y2))
            ):
                clashes.append((r["name"], other))
    assert not [c for c in clashes if c not in DISTINCT]


def test_name_matching_can_fail() -> None:
    """The matcher sees through legal suffixes and containment, or the test above is empty."""
    matcher = name_matcher()
    assert matcher.overlaps("Danfoss A/S", "Danfoss")
    assert within("dtu space", "dtu space national") == matcher.contains(
        "dtu space", "dtu space national"
    )
    assert within("space", "aerospace") == matcher.contains("space", "aerospace") is False
    assert matcher.overlaps("DTU Space", "DTU Space (National Space Institute)")
    assert not matcher.overlaps("Danfoss", "Grundfos")


@pytest.mark.parametrize(
    "folder",
    [
        "matchmaking_v2",
        "matchmaking_v3",
        "matchmaking_dev4",
        "matchmaking_v5",
        "matchmaking_v6",
        "matchmaking_dev7",
        "matchmaking_v8",
        "matchmaking_dev9",
        "matchmaking_dev10",
        "matchmaking_v11",
        "matchmaking_v12",
    ],
)
def test_matchmaking_pairs_follow_from_the_capabilities(folder: str) -> None:
    """The independent matchmaking sets (test and development): each one's own check passes and
    its truth is derived from the capability columns, not typed."""
    check = REPO / "evaluation" / folder / "check.py"
    done = subprocess.run([sys.executable, str(check)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    with (REPO / "evaluation" / folder / "profiles.csv").open(encoding="utf-8") as fh:
        profiles = list(csv.DictReader(fh))
    with (REPO / "evaluation" / folder / "pairs.csv").open(encoding="utf-8") as fh:
        pairs = {(r["seeker"], r["partner"]) for r in csv.DictReader(fh)}
    derived = {
        (a["id"], b["id"])
        for a in profiles
        for b in profiles
        if a["organisation"] != b["organisation"] and b["offer_capability"] == a["seek_capability"]
    }
    assert pairs == derived and len(profiles) >= 300
    # The check read the set and counted its pairs (each writer words its summary differently).
    assert str(len(pairs)) in done.stdout
