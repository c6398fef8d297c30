"""Boilerplate stripping: footer lines and contact details go, what a company does stays."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.routing.clean import _WORDS, _maybe, _strip_once, strip_boilerplate, strip_many

PROBES = Path(__file__).resolve().parents[1] / "routing_data" / "probes"


def probe_texts() -> list[str]:
    with (PROBES / "boundary.csv").open(encoding="utf-8", newline="") as fh:
        return [r["text"] for r in csv.DictReader(fh)]


BOILERPLATE = [
    "Havnegade 4, 6700 Esbjerg.",
    "Vestergade 12, 2. sal, 8000 Aarhus C",
    "CVR 12345678",
    "CVR-nr.: 12 34 56 78",
    "VAT no. DK12345678",
    "Moms-nr. DK 12 34 56 78",
    "Tlf. +45 12 34 56 78",
    "Phone: 70 20 30 40",
    "info@example.dk",
    "www.example.com",
    "https://example.dk/om-os",
    "Kontakt os",
    "Contact us today for a quote.",
    "Vi bruger cookies for at give dig den bedste oplevelse.",
    "This website uses cookies.",
    "Åbningstider: man-fre 8.00-16.00",
    "Opening hours: Mon-Fri 9:00-17:00",
    "© 2024 Example A/S. Alle rettigheder forbeholdes.",
    "Copyright 2023. All rights reserved.",
    "Følg os på LinkedIn",
    "Follow us on Facebook",
    "Læs vores privatlivspolitik",
    "Tilmeld dig vores nyhedsbrev",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_footer_lines_go(line: str) -> None:
    assert strip_boilerplate(line) == ""


@pytest.mark.parametrize("line", BOILERPLATE)
def test_a_footer_line_after_a_description_leaves_the_description(line: str) -> None:
    text = "Vi udvikler høreapparater til børn."
    assert strip_boilerplate(f"{text} {line}") == text
    assert strip_boilerplate(f"{text}\n{line}") == text


def test_contact_details_inside_a_sentence_go_and_the_sentence_stays() -> None:
    out = strip_boilerplate(
        "We build offshore wind foundations, Havnegade 4, 6700 Esbjerg, phone 12 34 56 78."
    )
    assert "offshore wind foundations" in out
    for gone in ("Havnegade", "6700", "Esbjerg", "12 34"):
        assert gone not in out


@pytest.mark.parametrize("text", probe_texts())
def test_no_probe_sentence_loses_a_word(text: str) -> None:
    """Every sentence of the probe sets says what a company does: none of it may go."""
    out = strip_boilerplate(text)
    assert out.split() == text.split()


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_idempotent_on_any_text(text: str) -> None:
    once = strip_boilerplate(text)
    assert strip_boilerplate(once) == once


@given(
    st.lists(st.sampled_from(probe_texts()), min_size=1, max_size=3),
    st.lists(st.sampled_from(BOILERPLATE), max_size=4),
    st.randoms(use_true_random=False),
    st.sampled_from(["\n", " | ", " • ", ". "]),
)
@settings(max_examples=200, deadline=None)
def test_mixed_descriptions_and_footers(
    sentences: list[str], footers: list[str], rnd: object, sep: str
) -> None:
    """Footers shuffled among description sentences: all footers go, every sentence stays.

    Parts are joined as pasted text joins them: by lines, footer separators or full stops.
    """
    parts = sentences + footers
    rnd.shuffle(parts)  # type: ignore[attr-defined]
    if sep == ". ":
        parts = [p.rstrip(".") for p in parts]
        sentences = [p.rstrip(".") for p in sentences]
    out = strip_boilerplate(sep.join(parts))
    assert strip_boilerplate(out) == out
    assert words(out) == words(" ".join(sentences_in_order(parts, sentences)))


def words(text: str) -> list[str]:
    return [w.strip(".") for w in text.split() if w.strip(".")]


def sentences_in_order(parts: list[str], sentences: list[str]) -> list[str]:
    wanted = list(sentences)
    kept = []
    for p in parts:
        if p in wanted:
            wanted.remove(p)
            kept.append(p)
    return kept


def test_text_without_boilerplate_is_returned_as_is() -> None:
    text = "Vi laver møbler i egetræ"
    assert strip_boilerplate(text) is text


def test_no_training_example_loses_a_word() -> None:
    """The 6,500 hand-written descriptions mention newsletters, opening hours, phones and
    privacy in sentences that say what a company does: all of them must come through whole."""
    examples = Path(__file__).resolve().parents[2] / "training" / "routing" / "examples"
    changed = []
    for path in sorted(examples.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if strip_boilerplate(row["text"]).split() != row["text"].split():
                    changed.append(row["text"])
    assert changed == []


PIECES = st.sampled_from(
    [
        "Vi laver møbler.",
        "We build ships",
        "Ring 12 34 56 78",
        "CVR 12345678",
        "Følg os",
        "www.example.dk",
        "Fabriksvej 9",
        "2021 Aarhus",
        "cookies",
        "|",
        "\n",
        "İ",
        "kontakt os",
        " ",
        "Kontakt",
        "kontaktlinser",
        "reservedele",
        " Opening hours:",
        "Havnevej 3",
        "\t4",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=6).map("".join), min_size=8, max_size=30))
def test_a_batch_is_stripped_as_each_text_alone(texts: list[str]) -> None:
    """The one-scan batch test finds every text the per-text test would."""
    assert strip_many(texts) == [strip_boilerplate(t) for t in texts]


@pytest.mark.parametrize(
    "footer",
    [
        "Kontakt os på tlf. 70 20 30 40 eller info@firma.dk.",
        "Vi bruger cookies for at give dig den bedste oplevelse på vores hjemmeside.",
        "Åbningstider: man-fre 8.00-16.00.",
        "Follow us on LinkedIn",
    ],
)
def test_a_footer_after_a_description_without_a_full_stop_goes_alone(footer: str) -> None:
    description = "Lasere og optiske løsninger til industri og forskning"
    assert strip_boilerplate(f"{description} {footer}") == description


# Words that hold a footer cue's letters without being one ("reservedele", "kontaktlinser"),
# the cues themselves, and the separators that make segments.
NEAR_CUES = st.sampled_from(
    [
        "Vi", "leverer", "reservedele", "rights", "reserved", "All", "alle", "rettigheder",
        "musikrettigheder", "Kontakt", "kontaktlinser", "kontakt", "os", "Contact", "contact",
        "materials", "us", "Ring", "til", "Skriv", "privacy", "policy", "nyhedsbrev", "Tilmeld",
        "opening", "hours", "Åbningstider", "Copyright", "Følg", "Sign", "up", ":", ".", "!",
        ",", "get", "in", "touch", "cookies", "evening",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(NEAR_CUES, min_size=1, max_size=12), st.sampled_from([" ", "  ", "\t"]))
def test_a_text_the_quick_test_passes_over_has_nothing_to_strip(
    words: list[str], space: str
) -> None:
    """The quick test may let a text through (it then costs a full strip), but a text it passes
    over must be one the full strip would not have cut a word from."""
    text = space.join(words)
    if not _maybe(text):
        assert _WORDS.findall(_strip_once(text)) == _WORDS.findall(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vi leverer reservedele til skibsmotorer.",
        "We test food contact materials for packaging makers.",
        "Vi fremstiller kontaktlinser og linsevæske.",
        "Forvaltningsorganisation, der opkræver musikrettigheder for komponister.",
        "Our dental practice has evening opening hours for working patients.",
    ],
)
def test_words_that_only_resemble_a_footer_cue_skip_the_strip(text: str) -> None:
    assert not _maybe(text)
    assert strip_boilerplate(text) is text
