"""Checks on the hand-written training examples for the company-to-cluster router.

The router is trained on these files, so a wrong label, a stray slug or a copied row would quietly
teach it the wrong thing. These tests catch that before a commit lands.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from klynge.landscape import get_landscape

EXAMPLES = Path(__file__).resolve().parents[2] / "training" / "routing" / "examples"
HEADER = ["text", "language", "label", "also"]
LANGUAGES = {"da", "en"}
NONE = "none"
MIN_PER_AREA = 180
MIN_DANISH_PER_AREA = 85
MIN_NONE = 400
MIN_DANISH_SHARE = 0.45
MIN_WORDS, MAX_WORDS = 4, 60
# Two texts this similar (token-sort ratio, 0-100) are near-duplicates, not different companies.
NEAR_DUPLICATE = 90


@cache
def area_slugs() -> frozenset[str]:
    return frozenset(get_landscape().areas)


@cache
def rows_by_file() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for path in sorted(EXAMPLES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            out[path.stem] = list(csv.DictReader(f))
    return out


def all_rows() -> list[dict[str, str]]:
    return [row for rows in rows_by_file().values() for row in rows]


def normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_one_file_per_label_and_nothing_else() -> None:
    assert set(rows_by_file()) == set(area_slugs()) | {NONE}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.csv")), ids=lambda p: p.name)
def test_header_is_exact(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADER


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.csv")), ids=lambda p: p.name)
def test_file_is_plain_utf8_in_csv_module_form(path: Path) -> None:
    """Files written by hand in an editor drift (BOM, stray quotes, mixed line ends); this pins them
    to what `csv.DictWriter` writes, so diffs stay small and every reader sees the same rows."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "byte-order mark"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    assert out.getvalue() == raw.decode("utf-8")


def test_every_row_is_well_formed() -> None:
    valid = area_slugs() | {NONE}
    problems = []
    for stem, rows in rows_by_file().items():
        for n, row in enumerate(rows, start=2):
            where = f"{stem}.csv row {n}"
            text = row["text"]
            if None in row or any(row[k] is None for k in HEADER):
                problems.append(f"{where}: wrong number of fields")
                continue
            if text != text.strip() or not text:
                problems.append(f"{where}: text empty or padded")
            if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
                problems.append(f"{where}: {len(text.split())} words, want {MIN_WORDS}-{MAX_WORDS}")
            if row["language"] not in LANGUAGES:
                problems.append(f"{where}: language {row['language']!r}")
            if row["label"] not in valid:
                problems.append(f"{where}: label {row['label']!r} is not an area slug or 'none'")
            if row["label"] != stem:
                problems.append(f"{where}: label {row['label']!r} in the file for {stem!r}")
            also = [s for s in row["also"].split("|") if s] if row["also"] else []
            if row["also"] and len(also) != len(row["also"].split("|")):
                problems.append(f"{where}: empty slug in also {row['also']!r}")
            for slug in also:
                if slug not in area_slugs():
                    problems.append(f"{where}: also slug {slug!r} is not an area")
                if slug == row["label"]:
                    problems.append(f"{where}: also repeats the label")
            if len(also) != len(set(also)):
                problems.append(f"{where}: also lists a slug twice")
            if row["label"] == NONE and also:
                problems.append(f"{where}: a 'none' row cannot also belong to an area")
    assert not problems, "\n".join(problems)


def test_texts_are_unique_across_all_files() -> None:
    counts = Counter(normalise(row["text"]) for row in all_rows())
    assert [t for t, c in counts.items() if c > 1] == []


def test_no_near_duplicates() -> None:
    texts = [normalise(row["text"]) for row in all_rows()]
    scores = cdist(texts, texts, scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_DUPLICATE)
    pairs = [
        (texts[i], texts[j])
        for i, j in zip(*scores.nonzero(), strict=True)
        if i < j  # the matrix is symmetric and every text matches itself
    ]
    assert pairs == []


def test_danish_share_overall() -> None:
    rows = all_rows()
    danish = sum(row["language"] == "da" for row in rows)
    assert danish / len(rows) >= MIN_DANISH_SHARE


@pytest.mark.parametrize("label", sorted(rows_by_file()))
def test_minimum_counts(label: str) -> None:
    rows = rows_by_file()[label]
    danish = sum(row["language"] == "da" for row in rows)
    if label == NONE:
        assert len(rows) >= MIN_NONE
    else:
        assert len(rows) >= MIN_PER_AREA
        assert danish >= MIN_DANISH_PER_AREA
    # Neither language may be left out of any label: the router must learn both.
    assert 0 < danish < len(rows)


def test_no_row_names_its_cluster_organisation() -> None:
    """A text naming the cluster would teach the router a shortcut no real company offers."""
    names = {
        name
        for cluster in get_landscape().clusters.values()
        for name in (cluster.name, *cluster.aliases)
    }
    # Case-sensitive whole words: "CLEAN" the cluster, not "clean water".
    pattern = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in sorted(names)))
    offenders = [row["text"] for row in all_rows() if pattern.search(row["text"])]
    assert offenders == []
