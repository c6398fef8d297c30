"""The performance account's figures, computed from plain rows.

This is the reference definition of every figure. Storage computes the same figures with a few
aggregate SQL queries for speed; tests hold the two to each other.

Rules:
- A participation falls in the period when its activity overlaps the period; an outcome when it
  was reported in the period; an activity when it overlaps the period.
- Within a cluster, an organisation counts once per cluster it took part in; nationally once in
  all (organisations are keyed by CVR number, so this deduplicates by CVR).
- An SME here is a company with fewer than 50 employees by the count valid in the period: the
  latest count on or before the period's end, else the earliest after it, else an undated count
  (:func:`employees_in`); a company whose count is unknown is not counted as an SME, and the
  account says how many such companies there are, and how many counts came from after the period
  or had no date.
- Foreign companies (country other than DK) have no CVR number, so the national count cannot
  deduplicate them by it; they are counted apart as well as in the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from klynge.registry.model import KNOWLEDGE_KINDS, OUTCOME_TYPES, SME_LIMIT, size_class


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def overlaps(self, start: date, end: date) -> bool:
        return start <= self.end and end >= self.start

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class OrgRow:
    id: int
    kind: str
    employees: int | None
    country: str
    synthetic: bool = False


@dataclass(frozen=True)
class ActivityRow:
    id: int
    cluster: str
    type: str
    start: date
    end: date
    funding_dkk: int = 0
    private_cofinancing_dkk: int = 0
    synthetic: bool = False


@dataclass(frozen=True)
class ParticipationRow:
    organisation_id: int
    activity_id: int


@dataclass(frozen=True)
class OutcomeRow:
    organisation_id: int
    activity_id: int
    type: str
    reported_on: date


@dataclass(frozen=True)
class HeadcountRow:
    organisation_id: int
    employees: int
    counted_on: date | None


BEFORE, AFTER, UNDATED = 0, 1, 2
"""Which count an account used for a company: the latest on or before the period's end, the
earliest after it, or one without a date."""


def employees_in(period: Period, counts: Iterable[HeadcountRow]) -> dict[int, tuple[int, int]]:
    """Organisation id -> (employees, rule) by the count valid in ``period``."""
    best: dict[int, tuple[tuple[int, int], int, int]] = {}
    for c in counts:
        if c.counted_on is None:
            rank = (UNDATED, 0)
        elif c.counted_on <= period.end:
            rank = (BEFORE, -c.counted_on.toordinal())
        else:
            rank = (AFTER, c.counted_on.toordinal())
        found = best.get(c.organisation_id)
        if found is None or rank < found[0]:
            best[c.organisation_id] = (rank, c.employees, rank[0])
    return {i: (e, rule) for i, (_, e, rule) in best.items()}


@dataclass(frozen=True)
class Counts:
    """A number of companies and how many of them have fewer than 50 employees."""

    total: int = 0
    sme: int = 0


@dataclass
class Figures:
    """Every number in one performance account (one cluster, or the whole country)."""

    companies: Counts = field(default_factory=Counts)
    companies_size_unknown: int = 0
    companies_micro: int = 0
    companies_medium: int = 0
    companies_foreign: int = 0
    headcount_after: int = 0
    """Companies whose count is from after the period (none on or before its end)."""
    headcount_undated: int = 0
    outcomes: dict[str, Counts] = field(default_factory=dict)
    knowledge_institutions: int = 0
    international: int = 0
    organisations: int = 0
    activities: dict[str, int] = field(default_factory=dict)
    funding_dkk: int = 0
    private_cofinancing_dkk: int = 0
    synthetic_organisations: int = 0
    synthetic_activities: int = 0

    def __post_init__(self) -> None:
        for t in OUTCOME_TYPES:
            self.outcomes.setdefault(t, Counts())

    @property
    def private_share(self) -> float | None:
        """Private co-financing as a share of all funding, or ``None`` without any funding."""
        total = self.funding_dkk + self.private_cofinancing_dkk
        return None if total == 0 else self.private_cofinancing_dkk / total

    @property
    def size_classes(self) -> dict[str, int]:
        """Participating companies by EU head-count class (micro, small, medium, large)."""
        c = self.companies
        return {
            "micro": self.companies_micro,
            "small": c.sme - self.companies_micro,
            "medium": self.companies_medium,
            "large": c.total - c.sme - self.companies_medium - self.companies_size_unknown,
            "unknown": self.companies_size_unknown,
        }

    @property
    def synthetic(self) -> bool:
        return self.synthetic_organisations > 0 or self.synthetic_activities > 0


def is_sme(employees: int | None) -> bool:
    return employees is not None and employees < SME_LIMIT


def compute(
    organisations: Iterable[OrgRow],
    activities: Iterable[ActivityRow],
    participations: Iterable[ParticipationRow],
    outcomes: Iterable[OutcomeRow],
    period: Period,
    cluster: str | None = None,
    headcounts: Iterable[HeadcountRow] | None = None,
) -> Figures:
    """The account for ``cluster`` (or the whole country when ``None``) over ``period``.

    With ``headcounts`` (the history) each company's size is the count valid in the period;
    an organisation without any count in the history keeps its own ``employees``.
    """
    valid = employees_in(period, headcounts or ())
    orgs = {
        o.id: replace(o, employees=valid[o.id][0]) if o.id in valid else o for o in organisations
    }
    rule = {i: r for i, (_, r) in valid.items()}
    every_activity = {a.id: a for a in activities}
    acts = {
        i: a
        for i, a in every_activity.items()
        if (cluster is None or a.cluster == cluster) and period.overlaps(a.start, a.end)
    }
    taking_part = {p.organisation_id for p in participations if p.activity_id in acts}
    members = [orgs[i] for i in taking_part]
    companies = [o for o in members if o.kind == "company"]
    fig = Figures(
        companies=Counts(len(companies), sum(is_sme(o.employees) for o in companies)),
        companies_size_unknown=sum(o.employees is None for o in companies),
        companies_micro=sum(size_class(o.employees) == "micro" for o in companies),
        companies_medium=sum(size_class(o.employees) == "medium" for o in companies),
        companies_foreign=sum(o.country != "DK" for o in companies),
        headcount_after=sum(rule.get(o.id) == AFTER for o in companies),
        headcount_undated=sum(rule.get(o.id) == UNDATED for o in companies),
        knowledge_institutions=sum(o.kind in KNOWLEDGE_KINDS for o in members),
        international=sum(o.country != "DK" for o in members),
        organisations=len(members),
        synthetic_organisations=sum(o.synthetic for o in members),
    )
    for a in acts.values():
        fig.activities[a.type] = fig.activities.get(a.type, 0) + 1
        fig.funding_dkk += a.funding_dkk
        fig.private_cofinancing_dkk += a.private_cofinancing_dkk
        fig.synthetic_activities += a.synthetic
    # Outcomes are dated by their report, so their activity only has to belong to the cluster.
    gained: dict[str, set[int]] = {t: set() for t in OUTCOME_TYPES}
    for oc in outcomes:
        org = orgs[oc.organisation_id]
        if org.kind != "company" or oc.reported_on not in period:
            continue
        if cluster is not None and every_activity[oc.activity_id].cluster != cluster:
            continue
        gained[oc.type].add(org.id)
    for t, ids in gained.items():
        fig.outcomes[t] = Counts(len(ids), sum(is_sme(orgs[i].employees) for i in ids))
    return fig
