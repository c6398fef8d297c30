"""A performance account as people read it, in Danish or English, and as JSON, CSV or XLSX.

Company figures use Cluster Excellence Denmark's form: "N companies, of which M have fewer than
50 employees, ...". Every line names the counting rule it follows, because national and
per-cluster figures count the same company differently.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klynge.accounts.compute import Counts, Figures, Period
from klynge.i18n import Text
from klynge.registry.model import ACTIVITY_TYPES, OUTCOME_TYPES, SIZE_CLASSES

RULE_NATIONAL = Text(
    da="national: hver organisation tælles én gang, uanset hvor mange klynger den deltog i "
    "(virksomheder dedubleres på CVR-nummer)",
    en="national: each organisation counts once, however many clusters it took part in "
    "(companies are deduplicated by CVR number)",
)
RULE_CLUSTER = Text(
    da="klynge: en organisation tælles i hver klynge, den deltog i",
    en="per cluster: an organisation counts in every cluster it took part in",
)
RULE_ACTIVITIES = Text(
    da="aktiviteter, der helt eller delvis ligger i perioden",
    en="activities that fall wholly or partly in the period",
)
RULE_FUNDING = Text(
    da="privat medfinansiering i forhold til al finansiering af periodens aktiviteter",
    en="private co-financing as a share of all funding of the period's activities",
)

RULE_HEADCOUNT = Text(
    da="antal ansatte: for hver virksomhed det seneste antal opgjort på eller før periodens "
    "slutning, ellers det tidligste efter den, ellers et udateret antal",
    en="head count: for each company the latest count made on or before the period's end, "
    "else the earliest after it, else an undated count",
)
RULE_FOREIGN = Text(
    da="udenlandske virksomheder (land ikke DK) har intet CVR-nummer og dedubleres ikke efter "
    "CVR-reglen; de tælles med i alt og vises også for sig",
    en="foreign companies (country other than DK) have no CVR number and are not deduplicated "
    "by the CVR rule; they are counted in the total and also shown apart",
)
LABEL_FOREIGN = Text(da="Heraf udenlandske virksomheder", en="Of which foreign companies")
LABEL_KNOWLEDGE = Text(da="Videninstitutioner", en="Knowledge institutions")
LABEL_INTERNATIONAL = Text(da="Internationale deltagere", en="International participants")
LABEL_ORGANISATIONS = Text(
    da="Deltagende organisationer i alt", en="Participating organisations in all"
)
OUTCOME_RULE = Text(
    da="; resultater indberettet i perioden", en="; outcomes reported in the period"
)

_OUTCOME_VERB = {
    "competences": Text(
        da="fik nye kompetencer eller værktøjer",
        en="gained new competences or tools",
    ),
    "ideas": Text(da="udviklede nye idéer", en="developed new ideas"),
    "products": Text(
        da="udviklede nye produkter, services eller processer",
        en="developed new products, services or processes",
    ),
    "partner": Text(da="fandt en ny samarbejdspartner", en="found a new collaboration partner"),
}


def number(n: int, lang: str | None) -> str:
    """Thousands separated the way each language writes them: 6.868 in Danish, 6,868 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "da" else text


def percent(share: float, lang: str | None) -> str:
    """23.4% in English, 23,4 % in Danish."""
    return f"{share * 100:.1f}".replace(".", ",") + " %" if lang == "da" else f"{share:.1%}"


def of_which(counts: Counts, lang: str | None) -> str:
    """Cluster Excellence Denmark's form: "6,868 companies, of which 4,843 have fewer than 50
    employees"."""
    if lang == "da":
        noun = "virksomhed" if counts.total == 1 else "virksomheder"
        return (
            f"{number(counts.total, lang)} {noun}, heraf {number(counts.sme, lang)} "
            "med færre end 50 ansatte"
        )
    noun = "company" if counts.total == 1 else "companies"
    verb = "has" if counts.sme == 1 else "have"
    return (
        f"{number(counts.total, lang)} {noun}, of which {number(counts.sme, lang)} {verb} "
        "fewer than 50 employees"
    )


def outcome_sentence(kind: str, counts: Counts, lang: str | None) -> str:
    return f"{of_which(counts, lang)}, {_OUTCOME_VERB[kind].get(lang)}."


def participants_sentence(counts: Counts, lang: str | None) -> str:
    verb = "deltog i klyngens aktiviteter" if lang == "da" else "took part in cluster activities"
    return f"{of_which(counts, lang)}, {verb}."


@dataclass(frozen=True)
class Line:
    section: str
    key: str
    label: str
    value: int | float | None
    sme: int | None
    rule: str
    sentence: str


@dataclass
class Account:
    period: Period
    figures: Figures
    cluster: str | None = None
    cluster_name: str | None = None
    by_cluster: dict[str, Figures] = field(default_factory=dict)
    cluster_names: dict[str, str] = field(default_factory=dict)
    """Names to show people for the slugs in ``by_cluster``; a slug without one is shown as is."""
    outcomes_after_period: int = 0
    """Outcome reports of the period's activities made after its end (not counted)."""

    def rule(self) -> Text:
        return RULE_NATIONAL if self.cluster is None else RULE_CLUSTER

    def title(self, lang: str | None) -> str:
        span = f"{self.period.start}..{self.period.end}"
        if self.cluster is None:
            return (
                f"Resultatregnskab for hele landet, {span}"
                if lang == "da"
                else f"Performance account for the whole country, {span}"
            )
        name = self.cluster_name or self.cluster
        return (
            f"Resultatregnskab for {name}, {span}"
            if lang == "da"
            else f"Performance account for {name}, {span}"
        )

    def synthetic_note(self, lang: str | None) -> str | None:
        f = self.figures
        if not f.synthetic:
            return None
        if lang == "da":
            return (
                f"OBS: omfatter syntetiske demodata ({number(f.synthetic_organisations, lang)} "
                f"organisationer, {number(f.synthetic_activities, lang)} aktiviteter). "
                "Tallene beskriver ikke virkeligheden."
            )
        return (
            f"Note: includes synthetic demo data ({number(f.synthetic_organisations, lang)} "
            f"organisations, {number(f.synthetic_activities, lang)} activities). "
            "The figures do not describe reality."
        )

    def size_note(self, lang: str | None) -> str | None:
        n = self.figures.companies_size_unknown
        if n == 0:
            return None
        if lang == "da":
            noun = "virksomhed" if n == 1 else "virksomheder"
            return f"{number(n, lang)} {noun} uden kendt antal ansatte tælles ikke som SMV."
        if n == 1:
            return "1 company with no known head count is not counted as an SME."
        return f"{number(n, lang)} companies with no known head count are not counted as SMEs."

    def headcount_note(self, lang: str | None) -> str | None:
        """Which count the account used where it was not one from within or before the period."""
        f = self.figures
        if not (f.headcount_after or f.headcount_undated):
            return None
        if lang == "da":
            return (
                f"Antal ansatte: {number(f.headcount_after, lang)} virksomhed(er) havde kun et "
                f"antal opgjort efter perioden, som er brugt; {number(f.headcount_undated, lang)} "
                "havde kun et udateret antal."
            )
        return (
            f"Head counts: {number(f.headcount_after, lang)} company(ies) had only a count made "
            f"after the period, which was used; {number(f.headcount_undated, lang)} had only an "
            "undated count."
        )

    def foreign_note(self, lang: str | None) -> str | None:
        n = self.figures.companies_foreign
        if n == 0:
            return None
        total = number(self.figures.companies.total, lang)
        if lang == "da":
            return (
                f"{number(n, lang)} af de {total} virksomheder er udenlandske; de har intet "
                "CVR-nummer og er talt efter deres nøgle i registret, ikke dedubleret efter CVR."
            )
        return (
            f"{number(n, lang)} of the {total} companies are foreign; they have no CVR number "
            "and are counted by their registry key, not deduplicated by CVR number."
        )

    def lines(self, lang: str | None) -> list[Line]:
        f = self.figures
        rule = self.rule().get(lang)
        da = lang == "da"
        out = [
            Line(
                "participants",
                "companies",
                "Deltagende virksomheder" if da else "Participating companies",
                f.companies.total,
                f.companies.sme,
                rule,
                participants_sentence(f.companies, lang),
            )
        ]
        for kind, outcome_label in OUTCOME_TYPES.items():
            c = f.outcomes[kind]
            out.append(
                Line(
                    "outcomes",
                    kind,
                    outcome_label.get(lang),
                    c.total,
                    c.sme,
                    rule + OUTCOME_RULE.get(lang),
                    outcome_sentence(kind, c, lang),
                )
            )
        out.append(
            Line(
                "participants",
                "foreign-companies",
                LABEL_FOREIGN.get(lang),
                f.companies_foreign,
                None,
                RULE_FOREIGN.get(lang),
                f"{LABEL_FOREIGN.get(lang)}: {number(f.companies_foreign, lang)}",
            )
        )
        plain = (
            ("knowledge", LABEL_KNOWLEDGE, f.knowledge_institutions),
            ("international", LABEL_INTERNATIONAL, f.international),
            ("organisations", LABEL_ORGANISATIONS, f.organisations),
        )
        for key, text, value in plain:
            sentence = f"{text.get(lang)}: {number(value, lang)}"
            out.append(Line("participants", key, text.get(lang), value, None, rule, sentence))
        for code, n in f.size_classes.items():
            size_label = SIZE_CLASSES[code].get(lang)
            sentence = f"{size_label}: {number(n, lang)}"
            out.append(Line("size-classes", code, size_label, n, None, rule, sentence))
        act_rule = RULE_ACTIVITIES.get(lang)
        for code, t in ACTIVITY_TYPES.items():
            n = f.activities.get(code, 0)
            sentence = f"{t.label.get(lang)}: {number(n, lang)}"
            out.append(Line("activities", code, t.label.get(lang), n, None, act_rule, sentence))
        share = f.private_share
        share_text = "-" if share is None else percent(share, lang)
        label = "Privat medfinansiering" if da else "Private co-financing share"
        private = number(f.private_cofinancing_dkk, lang)
        total = number(f.funding_dkk + f.private_cofinancing_dkk, lang)
        out.append(
            Line(
                "funding",
                "private-share",
                label,
                None if share is None else round(share, 4),
                None,
                RULE_FUNDING.get(lang),
                f"{label}: {share_text} ({private} {'af' if da else 'of'} {total} DKK)",
            )
        )
        for slug, cf in self.by_cluster.items():
            name = self.cluster_names.get(slug, slug)
            out.append(
                Line(
                    "by-cluster",
                    slug,
                    name,
                    cf.companies.total,
                    cf.companies.sme,
                    RULE_CLUSTER.get(lang),
                    f"{name}: {participants_sentence(cf.companies, lang)}",
                )
            )
        return out

    def to_json(self, lang: str | None) -> dict[str, Any]:
        f = self.figures
        return {
            "scope": self.cluster or "national",
            "cluster_name": self.cluster_name,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "rule": self.rule().get(lang),
            "rules": {
                "participants": self.rule().get(lang),
                "outcomes": self.rule().get(lang) + OUTCOME_RULE.get(lang),
                "activities_by_type": RULE_ACTIVITIES.get(lang),
                "private_cofinancing_share": RULE_FUNDING.get(lang),
                "headcount": RULE_HEADCOUNT.get(lang),
                "foreign_companies": RULE_FOREIGN.get(lang),
            },
            "synthetic": f.synthetic,
            "notes": self.notes(lang),
            "companies": {"total": f.companies.total, "fewer_than_50_employees": f.companies.sme},
            "companies_size_unknown": f.companies_size_unknown,
            "companies_foreign": f.companies_foreign,
            "headcount_after_period": f.headcount_after,
            "headcount_undated": f.headcount_undated,
            "companies_by_size_class": f.size_classes,
            "outcomes": {
                k: {
                    "total": c.total,
                    "fewer_than_50_employees": c.sme,
                    "text": outcome_sentence(k, c, lang),
                }
                for k, c in f.outcomes.items()
            },
            "knowledge_institutions": f.knowledge_institutions,
            "international_participants": f.international,
            "organisations": f.organisations,
            "activities_by_type": {k: f.activities.get(k, 0) for k in ACTIVITY_TYPES},
            "funding_dkk": f.funding_dkk,
            "private_cofinancing_dkk": f.private_cofinancing_dkk,
            "private_cofinancing_share": f.private_share,
            "by_cluster": {
                slug: {
                    "name": self.cluster_names.get(slug, slug),
                    "rule": RULE_CLUSTER.get(lang),
                    "companies": cf.companies.total,
                    "fewer_than_50_employees": cf.companies.sme,
                    "outcomes": {k: c.total for k, c in cf.outcomes.items()},
                }
                for slug, cf in self.by_cluster.items()
            },
        }

    def table_rows(self, lang: str | None) -> list[list[Any]]:
        header = (
            ["afsnit", "nøgle", "tekst", "antal", "heraf under 50 ansatte", "regel"]
            if lang == "da"
            else ["section", "key", "label", "value", "fewer_than_50_employees", "rule"]
        )
        rows: list[list[Any]] = [header]
        for ln in self.lines(lang):
            rows.append([ln.section, ln.key, ln.label, ln.value, ln.sme, ln.rule])
        return rows

    def notes(self, lang: str | None) -> list[str]:
        """What a reader must know before the figures: synthetic data first."""
        return [n for n in self._notes(lang) if n]

    def _notes(self, lang: str | None) -> list[str | None]:
        return [
            self.synthetic_note(lang),
            self.size_note(lang),
            self.headcount_note(lang),
            self.foreign_note(lang),
        ]

    def to_csv(self, lang: str | None) -> str:
        """The table, with the notes as rows of section ``notes`` right after the header, so
        that a CSV of synthetic figures says so as plainly as the other formats."""
        rows = self.table_rows(lang)
        keys = ("synthetic", "size-unknown", "headcount", "foreign-companies")
        notes = self._notes(lang)
        extra = [["notes", k, n, None, None, None] for k, n in zip(keys, notes, strict=True) if n]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerows([rows[0], *extra, *rows[1:]])
        return buf.getvalue()

    def to_xlsx(self, lang: str | None) -> bytes:
        """One sheet: the title, the notes, then the table."""
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("resultatregnskab" if lang == "da" else "account")
        ws.append([self.title(lang)])
        for note in self._notes(lang):
            if note:
                ws.append([note])
        for row in self.table_rows(lang):
            ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def write(self, path: Path, lang: str | None) -> None:
        """Write CSV or XLSX by the file's suffix."""
        suffix = path.suffix.lower()
        if suffix == ".csv":
            path.write_text(self.to_csv(lang), encoding="utf-8-sig")
            return
        if suffix != ".xlsx":
            raise ValueError(f"{path}: use a .csv or .xlsx file name")
        path.write_bytes(self.to_xlsx(lang))
