"""Sample registry data shared by the registry tests (a module, so tests can import it)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from klynge.registry.model import cvr_check_digit


@dataclass
class Db:
    engine: Engine
    url: str
    schema: str | None

    @property
    def backend(self) -> str:
        return self.engine.dialect.name


Loader = Callable[[Engine], None]


def make_cvr(n: int) -> str:
    """The n-th valid CVR number after 3100000x: distinct, deterministic, and passing modulus 11."""
    prefix = 3_100_000 + n * 7
    while (digit := cvr_check_digit(str(prefix))) is None:
        prefix += 1
    return f"{prefix}{digit}"


REAL_CVR = "29863997"  # from the CVR register's public API sample in ../shared/data/cvr


def write_csv(path: Path, rows: Sequence[Mapping[str, object]], delimiter: str = ",") -> Path:
    cols: list[str] = []
    for r in rows:
        cols += [c for c in r if c not in cols]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


SAMPLE: dict[str, list[dict[str, object]]] = {
    "organisations": [
        {"cvr": REAL_CVR, "name": "Nr. Nebel Salonskytteforening", "kind": "company",
         "employees": 12, "municipality": "Esbjerg", "nace": "94.99"},
        {"cvr": make_cvr(1), "name": "Stålværk A/S", "kind": "company", "employees": 120,
         "employees_on": "2023-12-31", "municipality": "Aarhus", "nace": "282900"},
        {"cvr": make_cvr(2), "name": "=Formel ApS", "kind": "company", "employees": ""},
        {"key": "aau", "name": "Aalborg Universitet", "kind": "university",
         "municipality": "Aalborg"},
        {"key": "se-1", "name": "Svensk Robot AB", "kind": "company", "employees": 30,
         "country": "SE", "nuts2": "SE22"},
    ],
    "memberships": [
        {"organisation": REAL_CVR, "cluster": "clean", "from_date": "2021-03-01"},
        {"organisation": "aau", "cluster": "made", "from_date": "2021-01-01",
         "to_date": "2024-12-31"},
    ],
    "activities": [
        {"cluster": "clean", "ref": "W1", "type": "workshop", "title": "Vand og varme",
         "start_date": "2023-03-01", "funding_dkk": 100000, "private_cofinancing_dkk": 20000},
        {"cluster": "made", "ref": "P1", "type": "rd-project", "title": "Robotsvejsning",
         "start_date": "2022-01-01", "end_date": "2023-06-30", "nuts2": "DK04",
         "funding_source": "Innovationskraft", "funding_dkk": 1000000,
         "private_cofinancing_dkk": 500000},
        {"cluster": "clean", "ref": "C1", "type": "conference", "title": "Ren energi",
         "start_date": "2024-05-01", "funding_dkk": 50000, "private_cofinancing_dkk": 0},
    ],
    "participations": [
        {"organisation": REAL_CVR, "cluster": "clean", "activity": "W1"},
        {"organisation": REAL_CVR, "cluster": "made", "activity": "P1", "role": "partner"},
        {"organisation": make_cvr(1), "cluster": "made", "activity": "P1", "role": "lead"},
        {"organisation": make_cvr(2), "cluster": "clean", "activity": "W1"},
        {"organisation": "aau", "cluster": "made", "activity": "P1", "role": "partner"},
        {"organisation": "se-1", "cluster": "clean", "activity": "W1"},
        {"organisation": "se-1", "cluster": "clean", "activity": "C1", "role": "speaker"},
    ],
    "outcomes": [
        {"organisation": REAL_CVR, "cluster": "clean", "activity": "W1",
         "type": "competences", "reported_on": "2023-04-01", "text": "Ny viden om varmepumper"},
        {"organisation": REAL_CVR, "cluster": "made", "activity": "P1",
         "type": "competences", "reported_on": "2023-08-01"},
        {"organisation": make_cvr(1), "cluster": "made", "activity": "P1",
         "type": "products", "reported_on": "2023-09-15", "text": "-- ny svejsecelle"},
        {"organisation": "se-1", "cluster": "clean", "activity": "W1",
         "type": "ideas", "reported_on": "2023-03-02"},
    ],
}  # fmt: skip

ORDER = ("organisations", "memberships", "activities", "participations", "outcomes")
