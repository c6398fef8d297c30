"""Validate the labelled routing evaluation set so that a broken row never skews a measurement.

The set lives in ``evaluation/routing/companies.csv``; these tests check the file itself, not any
router.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CSV_PATH = REPO / "evaluation" / "routing" / "companies.csv"
NACE_PATH = REPO / ".." / "shared" / "data" / "nace_rev2" / "codes-2.0.csv"

COLUMNS = [
    "id",
    "name",
    "language",
    "description",
    "nace",
    "expected",
    "expected_also",
    "kind",
    "label_source",
    "notes",
]
CLUSTERS = {
    "clean",
    "energy-cluster-denmark",
    "food-bio-cluster-denmark",
    "marlog",
    "danish-life-science-cluster",
    "we-build-denmark",
    "lifestyle-design-cluster",
    "made",
    "digitallead",
    "copenhagen-fintech",
    "odense-robotics",
    "vision-denmark",
    "danish-sound-cluster",
    "censec",
}
EXPECTED_VALUES = CLUSTERS | {"none", "tourism"}
KINDS = {"company", "knowledge-institution"}

# Function words that are frequent in one language and rare or absent in the other. Ambiguous
# forms ("i", "for", "under") are left out on purpose.
DA_WORDS = {
    "og", "vi", "til", "af", "med", "som", "er", "et", "der", "det", "den", "på", "vores",
    "har", "kan", "eller", "hos", "fra", "så", "fx", "bl.a.", "både", "samt", "hele",
}  # fmt: skip
EN_WORDS = {
    "the", "and", "we", "of", "to", "with", "our", "that", "is", "a", "an", "from", "by",
    "their", "its", "such", "as", "which", "who", "use", "used", "make",
}  # fmt: skip
WORD = re.compile(r"[\w.]+", re.UNICODE)


def language_scores(text: str) -> tuple[int, int]:
    """Count Danish and English evidence: function words, plus lower-case words with æ, ø or å.

    Capitalised words are ignored for the æøå signal because English descriptions of Danish
    firms name Danish places and people (Sønderborg, Kjærholm).
    """
    words = WORD.findall(text)
    lower = [w.lower().strip(".") for w in words]
    da = sum(w in DA_WORDS for w in lower)
    da += sum(1 for w in words if w[:1].islower() and re.search("[æøå]", w))
    en = sum(w in EN_WORDS for w in lower)
    return da, en


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS, f"{CSV_PATH}: header is {reader.fieldnames}"
        data = list(reader)
    for number, row in enumerate(data, start=2):
        assert None not in row, f"{CSV_PATH}, line {number}: too many fields"
        assert None not in row.values(), f"{CSV_PATH}, line {number}: too few fields"
    return data


def test_enough_rows(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 150


def test_ids_unique_and_well_formed(rows: list[dict[str, str]]) -> None:
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    bad = [i for i in ids if not re.fullmatch(r"e[1-9][0-9]*", i)]
    assert not bad, f"ids not of the form e<N>: {bad}"


def test_names_present_and_unique(rows: list[dict[str, str]]) -> None:
    names = [row["name"].strip().casefold() for row in rows]
    assert all(names)
    assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]


def test_labels_allowed(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["expected"] in EXPECTED_VALUES, f"{row['id']}: expected={row['expected']!r}"
        also = [s for s in row["expected_also"].split("|") if s]
        for slug in also:
            assert slug in CLUSTERS, f"{row['id']}: expected_also has {slug!r}"
        assert row["expected"] not in also, f"{row['id']}: expected repeated in expected_also"
        assert len(also) == len(set(also)), f"{row['id']}: duplicate in expected_also"
        if row["expected"] in {"none", "tourism"}:
            assert not also, f"{row['id']}: a no-cluster row cannot list clusters"
        assert row["kind"] in KINDS, f"{row['id']}: kind={row['kind']!r}"
        assert row["label_source"].strip(), f"{row['id']}: label_source is empty"


def test_coverage_per_cluster(rows: list[dict[str, str]]) -> None:
    counts = Counter(row["expected"] for row in rows)
    thin = {slug: counts[slug] for slug in CLUSTERS if counts[slug] < 8}
    assert not thin, f"clusters with fewer than 8 rows: {thin}"
    assert counts["none"] >= 12
    assert counts["tourism"] >= 5
    multi = sum(1 for row in rows if row["expected_also"])
    assert multi >= 10


def test_descriptions_nonempty_and_distinct(rows: list[dict[str, str]]) -> None:
    normalised = [" ".join(row["description"].split()).casefold() for row in rows]
    empty = [row["id"] for row, text in zip(rows, normalised, strict=True) if len(text) < 20]
    assert not empty, f"empty or trivial descriptions: {empty}"
    dupes = [text for text, n in Counter(normalised).items() if n > 1]
    assert not dupes, f"duplicated descriptions: {dupes}"


def test_language_shares(rows: list[dict[str, str]]) -> None:
    langs = Counter(row["language"] for row in rows)
    assert set(langs) <= {"da", "en"}, langs
    assert langs["da"] / len(rows) >= 0.25
    assert langs["en"] / len(rows) >= 0.25


def test_language_matches_text(rows: list[dict[str, str]]) -> None:
    wrong = []
    for row in rows:
        da, en = language_scores(row["description"])
        looks = "da" if da > en else "en" if en > da else "?"
        if looks != row["language"]:
            wrong.append((row["id"], row["language"], da, en))
    assert not wrong, f"rows whose text does not look like their language: {wrong}"


def test_language_heuristic_can_fail() -> None:
    """The heuristic must separate clear cases, or the check above proves nothing."""
    assert language_scores("Vi laver møbler af træ og sælger dem til butikker.")[0] > 2
    da, en = language_scores("We make furniture from wood and sell it to shops in Kjøge.")
    assert en > da


def test_nace_codes_exist(rows: list[dict[str, str]]) -> None:
    if not NACE_PATH.is_file():
        pytest.skip(f"shared NACE file not found at {NACE_PATH}")
    with NACE_PATH.open(encoding="utf-8", newline="") as handle:
        known: set[str] = set()
        for rec in csv.DictReader(handle):
            known.update(
                v.strip() for k, v in rec.items() if k in {"Section", "Division", "Group", "Class"}
            )
    known.discard("")
    given = [(row["id"], row["nace"].strip()) for row in rows if row["nace"].strip()]
    unknown = [(i, code) for i, code in given if code not in known]
    assert not unknown, f"NACE codes not in {NACE_PATH.name}: {unknown}"
    assert len(given) >= len(rows) // 4, "too few rows carry a NACE code"
