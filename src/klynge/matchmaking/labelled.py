"""Labelled profile sets: the writers' evaluation folders (``profiles.csv`` and ``pairs.csv``).

The benchmark, the fitting scripts and the recall floors all read these folders; one reader
keeps them reading a profile the same way (a field read differently by one of them would score
a different set than the one fitted on).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from klynge.matchmaking.recommend import MatchProfile


def _split(value: str) -> frozenset[str]:
    return frozenset(x for x in value.split(";") if x)


def profile_from_row(row: dict[str, str]) -> MatchProfile:
    """One row of ``profiles.csv`` as the recommender's profile; the label columns
    (``offer_capability``, ``seek_capability``, ``split``) stay out of it."""
    return MatchProfile(
        id=row["id"],
        organisation=row["organisation"],
        offers=row["offers"],
        seeks=row["seeks"],
        organisation_kind=row["organisation_kind"],
        areas=_split(row["areas"]),
        partner_kinds=_split(row["partner_kinds"]),
        countries=_split(row["countries"]),
    )


@dataclass(frozen=True)
class LabelledProfiles:
    """A folder's rows as written, the profiles built from them (same order) and, per seeker
    id, the ids of its true partners."""

    rows: list[dict[str, str]]
    profiles: list[MatchProfile]
    partners: dict[str, set[str]]


def read_labelled(folder: Path) -> LabelledProfiles:
    """Read ``folder/profiles.csv`` and ``folder/pairs.csv``; a pair naming an unknown profile
    is an error, not a pair that can never be found."""
    with (folder / "profiles.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["id"] for r in rows}
    partners: dict[str, set[str]] = defaultdict(set)
    with (folder / "pairs.csv").open(encoding="utf-8", newline="") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            for column in ("seeker", "partner"):
                if r[column] not in ids:
                    raise ValueError(
                        f"{folder / 'pairs.csv'}, row {line}, {column}: "
                        f"no profile {r[column]!r} in profiles.csv"
                    )
            partners[r["seeker"]].add(r["partner"])
    return LabelledProfiles(rows, [profile_from_row(r) for r in rows], dict(partners))
