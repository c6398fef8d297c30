"""Training-time copies of the labelled rows that teach the linear model what to ignore.

A bag-of-words model lets every word vote. Marketing sentences ("we put the customer first",
"kvalitet og bæredygtighed") appear in every kind of company, but in the training rows they occur
by chance more often in some areas than others, so a pasted sentence of praise moves the answer.
Three kinds of extra rows correct that, all cheap and all seeded:

- **Fluff copies**: a labelled row with one sentence from :data:`FLUFF` put before or after it,
  in the row's language, keeping its label. The model learns that the praise does not change the
  area.
- **Neutral rows**: each fluff sentence on its own, once per class with ``1/K`` of the weight.
  For a softmax model, ``K`` copies with one label each and equal weights are the same loss as
  one row whose target is the uniform distribution, which plain logistic regression cannot take
  directly; it pulls the sentence's words towards no lean at all.
- **Typo copies**: a row with a few letters swapped, dropped or doubled, keeping its label, so
  the character n-grams of misspelt words still point the right way.

Nothing here reads the evaluation sets; the fluff sentences were written for training only (the
robustness measurement uses a separate bank, ``benchmarks/robustness_oof.py``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

#: Generic marketing sentences in Danish and English, written for training. They name no
#: industry: quality, customers, passion, values, sustainability, growth, people, innovation.
FLUFF: dict[str, tuple[str, ...]] = {
    "da": (
        "Kvalitet og service går hånd i hånd hos os.",
        "Kunden er altid i centrum for alt, hvad vi gør.",
        "Vi er drevet af passion og et ønske om at gøre en forskel.",
        "Bæredygtighed er en naturlig del af vores DNA.",
        "Vores værdier er troværdighed, engagement og nytænkning.",
        "Vi tror på langvarige relationer og tæt dialog med vores kunder.",
        "Innovation og kvalitet er kernen i vores forretning.",
        "Vi har mange års erfaring og et stærkt netværk.",
        "Vores engagerede team står altid klar til at hjælpe.",
        "Vi er stolte af vores høje faglighed og kvalitetsbevidsthed.",
        "Vi sætter en ære i at levere til tiden og i topkvalitet.",
        "Ansvarlighed og ordentlighed præger alt, hvad vi foretager os.",
        "Sammen med vores partnere skaber vi værdi for fremtiden.",
        "Vi er en familieejet virksomhed med stolte traditioner.",
        "Med fokus på vækst og trivsel bygger vi en stærk kultur.",
        "Vi stræber efter at overgå vores kunders forventninger hver dag.",
        "Vores mission er at skabe værdi for kunder, medarbejdere og samfund.",
        "Hos os er der kort vej fra idé til handling.",
        "Vi arbejder målrettet med FN's verdensmål og grøn omstilling.",
        "Fleksibilitet, pålidelighed og personlig service kendetegner os.",
    ),
    "en": (
        "Quality and service go hand in hand with us.",
        "Our customers are at the heart of everything we do.",
        "We are driven by passion and a desire to make a difference.",
        "Sustainability is part of our DNA.",
        "Our values are trust, commitment and fresh thinking.",
        "We believe in long-term relationships and close dialogue with our clients.",
        "Innovation and excellence are at the core of our business.",
        "We bring many years of experience and a strong network.",
        "Our dedicated team is always ready to help.",
        "We take pride in our high standards and attention to detail.",
        "We pride ourselves on delivering on time and to the highest quality.",
        "Responsibility and integrity guide everything we do.",
        "Together with our partners we create value for the future.",
        "We are a family-owned business with proud traditions.",
        "With a focus on growth and well-being we are building a strong culture.",
        "We strive to exceed our customers' expectations every day.",
        "Our mission is to create value for customers, employees and society.",
        "We move quickly from idea to action.",
        "We work purposefully with the UN Sustainable Development Goals and the green transition.",
        "Flexibility, reliability and personal service set us apart.",
    ),
}


@dataclass(frozen=True)
class Row:
    """A training text with its label and weight; ``origin`` is the text it was made from."""

    text: str
    label: str
    weight: float
    origin: str


def with_fluff(text: str, sentence: str, before: bool) -> str:
    """``text`` with ``sentence`` put before or after it, as a website would."""
    body = text.strip()
    if body and body[-1] not in ".!?":
        body += "."
    return f"{sentence} {body}" if before else f"{body} {sentence}"


def typo(word: str, rng: random.Random) -> str:
    """``word`` with two neighbouring letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word
    k = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    if kind == 1:
        return word[:k] + word[k + 1 :]
    return word[: k + 1] + word[k:]


def with_typos(text: str, rng: random.Random, rate: float = 0.15) -> str:
    """``text`` with about ``rate`` of its words of four letters or more misspelt."""
    words = text.split(" ")
    out = [typo(w, rng) if w.isalpha() and rng.random() < rate else w for w in words]
    return " ".join(out)


def fluff_rows(
    rows: Sequence[Row],
    languages: Sequence[str],
    weight: float,
    seed: int = 0,
    bank: dict[str, tuple[str, ...]] = FLUFF,
) -> list[Row]:
    """One copy of every row with a fluff sentence in its language, at ``weight`` times its own."""
    rng = random.Random(seed)
    out: list[Row] = []
    for row, lang in zip(rows, languages, strict=True):
        sentences = bank.get(lang) or bank["en"]
        sentence = sentences[rng.randrange(len(sentences))]
        text = with_fluff(row.text, sentence, before=rng.random() < 0.5)
        out.append(Row(text, row.label, row.weight * weight, row.origin))
    return out


def typo_rows(rows: Sequence[Row], weight: float, seed: int = 0, rate: float = 0.15) -> list[Row]:
    """One copy of every row with typos, at ``weight`` times its own."""
    rng = random.Random(seed)
    return [Row(with_typos(r.text, rng, rate), r.label, r.weight * weight, r.origin) for r in rows]


def neutral_rows(
    classes: Sequence[str], weight: float, bank: dict[str, tuple[str, ...]] = FLUFF
) -> list[Row]:
    """Every fluff sentence once per class at ``weight / K``: a uniform target, as plain rows."""
    share = weight / len(classes)
    return [
        Row(sentence, label, share, sentence)
        for lang in sorted(bank)
        for sentence in bank[lang]
        for label in classes
    ]
