"""Slips of the finger in unknown words: the fast model reads the one known word meant."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from klynge.routing.model import MEND_MIN_LETTERS, LinearModel
from klynge.routing.router import Router
from klynge.routing.text import KEY_NEIGHBOURS, ascii_danish

ON = date(2021, 6, 1)


@lru_cache(maxsize=1)
def model() -> LinearModel:
    return LinearModel.load()


def known(word: str) -> bool:
    m = model()
    return (ascii_danish(word) if m.ascii else word) in m.static_index


LONG_WORDS = sorted(
    w for w in model().static_words if len(w) >= MEND_MIN_LETTERS and w.isalpha() and w.isascii()
)


def test_the_keyboard_is_symmetric() -> None:
    """A slip onto a neighbouring key is undone by trying that key's neighbours."""
    for key, near in KEY_NEIGHBOURS.items():
        assert key not in near
        for other in near:
            assert key in KEY_NEIGHBOURS[other], (key, other)


@pytest.mark.parametrize(
    ("slip", "meant"),
    [
        ("produktoin", "produktion"),  # two letters swapped
        ("produktionn", "produktion"),  # a key pressed twice
        ("produltion", "produktion"),  # the key next to it
        ("investmnets", "investments"),
    ],
)
def test_a_slip_in_a_long_word_is_mended(slip: str, meant: str) -> None:
    assert known(meant) and not known(slip)
    assert model().mend(slip) == meant


@pytest.mark.parametrize(
    "word",
    [
        "horsens",  # a town the vocabulary lacks, one letter from "horses": too short to mend
        "slukker",  # "puts out", not "sukker" (sugar)
        "rpoduktion",  # the first letter is never changed
        "produktionx",  # nor the last: a letter added at the end is left alone
        "qwxzvbnmkl",  # nothing known is near
        "produktion",  # a known word is itself
    ],
)
def test_what_is_not_mended(word: str) -> None:
    assert model().mend(word) == word


@pytest.mark.parametrize(
    ("slip", "near"),
    [("baktterier", ("bakterier", "batterier")), ("employeers", ("employees", "employers"))],
)
def test_a_slip_two_known_words_are_near_is_left_as_typed(slip: str, near: tuple[str, ...]) -> None:
    """Bacteria or batteries, employees or employers: one slip from each, so nothing is guessed."""
    assert all(known(w) for w in near) and not known(slip)
    assert model().mend(slip) == slip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LONG_WORDS), st.data())
def test_a_mended_slip_is_the_word_meant_or_left_as_typed(word: str, data: st.DataObject) -> None:
    """Whatever slip is made inside a known word, mending gives back that word, or, when another
    known word is as near, the slip as typed: never a third word."""
    i = data.draw(st.integers(1, len(word) - 2))
    kind = data.draw(st.sampled_from(["swap", "near", "extra"]))
    if kind == "swap":
        assume(i < len(word) - 1 and word[i - 1] != word[i])
        slip = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        assume(i - 1 >= 1)
    else:
        near = KEY_NEIGHBOURS.get(word[i], "")
        assume(near)
        key = data.draw(st.sampled_from(sorted(near)))
        slip = word[:i] + key + word[i + 1 :] if kind == "near" else word[:i] + key + word[i:]
    assume(not known(slip))
    assert model().mend(slip) in (word, slip)


def test_a_description_with_slips_routes_like_the_one_without() -> None:
    clean = "Vi udvikler produktionsudstyr og automatisering til fødevareindustrien."
    slipped = "Vi udvikler produktoinsudstyr og automatisreing til fødevareindustrien."
    on = Router(model=LinearModel.load())
    off = Router(model=LinearModel.load())
    off.model.mend_slips = False
    want = on.route_rows([clean], None, on=ON)[0]
    got = on.route_rows([slipped], None, on=ON)[0]
    assert got[1] == want[1] and abs(got[2] - want[2]) < 0.05
    # Without mending, the slips cost the answer some of its confidence.
    assert off.route_rows([slipped], None, on=ON)[0][2] < got[2]
