"""Text checks, folding and language detection."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.routing.text import (
    MAX_CHARS,
    RoutingInputError,
    check_text,
    content_words,
    detect_language,
    fold,
    tokens,
)


def lang_of(text: str) -> str:
    return detect_language(tokens(fold(text)))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Vi udvikler software til banker og forsikringsselskaber.", "da"),
        ("We develop software for banks and insurers.", "en"),
        ("havvindmøller", "da"),
        ("offshore wind turbines", "en"),
        ("Selskabets formål er at drive hotel og restaurant.", "da"),
        ("A law firm in Copenhagen with a focus on contracts.", "en"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert lang_of(text) == lang


def test_fold_keeps_danish_letters_and_strips_accents() -> None:
    assert fold("ÆØÅ Café Müller Straße") == "æøå cafe muller strasse"
    assert tokens(fold("3D-print, hi-fi og 2024")) == ["3d", "print", "hi", "fi", "og"]


def test_function_words_are_not_features() -> None:
    assert content_words(["vi", "bygger", "the", "ships", "og"]) == ["bygger", "ships"]


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * (MAX_CHARS + 1), "limit"),
        ("a" * 1_000_000, "limit"),
        ("hello\x00world", "binary"),
        ("abc\x07def", "control"),
        ("ok \ufffd broken", "binary"),
        ("bytes \udcff here", "binary"),
        ("1234 5678 !!", "no words"),
    ],
)
def test_bad_text_is_refused_with_a_reason(bad: str, needle: str) -> None:
    with pytest.raises(RoutingInputError) as err:
        check_text(bad)
    assert needle in err.value.message.en
    assert err.value.message.da and err.value.message.da != err.value.message.en
    assert err.value.field == "text"


def test_random_binary_junk_is_refused() -> None:
    junk = os.urandom(4096).decode("latin-1")
    with pytest.raises(RoutingInputError):
        check_text(junk)


def test_non_string_is_refused() -> None:
    with pytest.raises(RoutingInputError):
        check_text(b"bytes")


@given(st.text(max_size=200))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.lists(st.sampled_from(["og", "vi", "the", "and", "møbler", "ship", "x"]), max_size=12))
def test_detection_is_a_function_of_the_words(words: list[str]) -> None:
    assert detect_language(words) == detect_language(list(words))
    assert detect_language(words) in ("da", "en")
