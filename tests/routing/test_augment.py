"""Robustness of the fast model by construction: æ/ø/å folding, and the training augmentation."""

from __future__ import annotations

import dataclasses
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.routing.features import word_features, word_hashes
from klynge.routing.model import LinearModel
from klynge.routing.router import Router, RoutingResult
from klynge.routing.text import DA_WORDS, STOPWORDS, ascii_danish, content_words, fold, tokens

REPO = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


augment = _load("routing_augment", REPO / "training" / "routing" / "augment.py")

danish_words = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=1, max_size=14)


def no_letters(text: str) -> str:
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


@given(danish_words)
def test_ascii_danish_is_idempotent_and_leaves_no_danish_letters(word: str) -> None:
    once = ascii_danish(word)
    assert ascii_danish(once) == once
    assert not set(once) & set("æøå")
    assert ascii_danish(no_letters(word)) == once


@settings(max_examples=50, deadline=None)
@given(st.lists(danish_words, min_size=1, max_size=6))
def test_features_are_the_same_with_or_without_danish_letters(words: list[str]) -> None:
    plain = [no_letters(w) for w in words]
    for a, b in zip(word_features(words), word_features(plain), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(word_hashes(words), word_hashes(plain))


def test_function_words_typed_without_danish_letters_are_still_function_words() -> None:
    assert {"paa", "ogsaa", "naar", "vaere"} <= DA_WORDS
    text = "Vi er ogsaa med paa havvindmoeller naar det gaelder fundamenter"
    assert content_words(tokens(fold(text))) == ["havvindmoeller", "gaelder", "fundamenter"]
    assert "på" in STOPWORDS


def _ascii_router() -> Router:
    """The shipped weights read as a model trained on ascii features (the flag train.py sets)."""
    m = LinearModel.load()
    meta = {**m.meta, "ascii_danish": 1.0}
    return Router(dataclasses.replace(m, meta=meta))


def test_a_description_without_danish_letters_gets_the_same_answer() -> None:
    text = "Vi designer og fremstiller møbler og lamper i egen fabrik på Fyn."
    a, b = _ascii_router().route_many([text, no_letters(text)])
    assert isinstance(a, RoutingResult) and isinstance(b, RoutingResult)
    assert [c.slug for c in a.clusters] == [c.slug for c in b.clusters]
    assert [c.score for c in a.clusters] == [c.score for c in b.clusters]
    # The explanation names the words as the user wrote them.
    assert "møbler" in a.explanation
    assert "moebler" in b.explanation


def test_fluff_is_put_before_or_after_and_keeps_the_text() -> None:
    assert augment.with_fluff("Vi laver øl", "Kvalitet først.", before=False) == (
        "Vi laver øl. Kvalitet først."
    )
    assert augment.with_fluff("We brew beer.", "Quality first.", before=True) == (
        "Quality first. We brew beer."
    )


rows_strategy = st.lists(
    st.builds(
        augment.Row,
        text=st.text(alphabet="abcdeøæå .,", min_size=1, max_size=60),
        label=st.sampled_from(["food", "energy", "none"]),
        weight=st.floats(0.1, 3.0),
        origin=st.just(""),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=50)
@given(rows_strategy, st.integers(0, 10_000))
def test_fluff_rows_keep_labels_and_scale_weights(rows: list, seed: int) -> None:
    langs = ["da" if i % 2 else "en" for i in range(len(rows))]
    out = augment.fluff_rows(rows, langs, 0.3, seed)
    assert out == augment.fluff_rows(rows, langs, 0.3, seed)  # seeded
    assert [r.label for r in out] == [r.label for r in rows]
    assert [r.origin for r in out] == [r.origin for r in rows]
    for src, new, lang in zip(rows, out, langs, strict=True):
        assert new.weight == src.weight * 0.3
        assert src.text.strip() in new.text
        assert any(s in new.text for s in augment.FLUFF[lang])


@settings(max_examples=50)
@given(rows_strategy, st.integers(0, 10_000))
def test_typo_rows_keep_labels_and_word_count(rows: list, seed: int) -> None:
    out = augment.typo_rows(rows, 0.5, seed, rate=0.5)
    assert [r.label for r in out] == [r.label for r in rows]
    for src, new in zip(rows, out, strict=True):
        a, b = src.text.split(" "), new.text.split(" ")
        assert len(a) == len(b)
        assert all(abs(len(x) - len(y)) <= 1 for x, y in zip(a, b, strict=True))


def test_typos_change_long_words_only() -> None:
    rng = random.Random(1)
    words = [augment.typo("vindmøller", rng) for _ in range(50)]
    assert any(w != "vindmøller" for w in words)
    assert augment.typo("øl", rng) == "øl"


def test_neutral_rows_are_a_uniform_target() -> None:
    classes = ["food", "energy", "none"]
    out = augment.neutral_rows(classes, 0.9)
    sentences = {s for lang in augment.FLUFF for s in augment.FLUFF[lang]}
    assert {r.text for r in out} == sentences
    for s in sentences:
        mine = [r for r in out if r.text == s]
        assert sorted(r.label for r in mine) == sorted(classes)
        assert abs(sum(r.weight for r in mine) - 0.9) < 1e-9


def test_training_fluff_differs_from_the_measurement_banks() -> None:
    train_bank = {s for lang in augment.FLUFF for s in augment.FLUFF[lang]}
    assert len(train_bank) == 40
    assert sum(len(v) for v in augment.FLUFF.values()) == 40
    for path in ("benchmarks/robustness_oof.py", "benchmarks/eval_routing.py"):
        source = (REPO / path).read_text(encoding="utf-8")
        assert not [s for s in train_bank if s in source], path
