"""What the models read: sentences without routing signal set aside, æ, ø, å put back."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.routing.embed import INDEX_PATH, KnnHead
from klynge.routing.model import SENTENCE
from klynge.routing.prepare import Respeller, focus
from klynge.routing.router import get_model, get_router
from klynge.routing.text import batch_tokens

ON = date(2021, 6, 1)

VOCAB = Respeller(
    ["møbler", "møbel", "på", "prøve", "løsninger", "står", "sø"],
    frozenset({"producent", "vi", "laver", "og", "does", "aerospace", "aarhus", "software"})
    | frozenset({"maskiner", "laboratorium", "between", "ferries", "grupper", "showing"}),
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Vi laver moebler", "Vi laver møbler"),
        ("Moebelproducent paa Fyn", "Møbelproducent på Fyn"),  # a compound of two known parts
        ("proeverne staar klar", "prøverne står klar"),  # a known word with an inflection
        ("MOEBLER", "MØBLER"),
        ("aerospace software in Aarhus does well", "aerospace software in Aarhus does well"),
        ("Møbler, moebler", "Møbler, moebler"),  # a text with æ, ø or å is left as written
        ("soe og xoe", "sø og xoe"),  # a word it does not know stays as typed
    ],
)
def test_respeller(typed: str, meant: str) -> None:
    assert VOCAB(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("softwrae og maskinner", "software og maskiner"),  # swapped, doubled
        ("et laboratorim", "et laboratorium"),  # a letter dropped inside a long word
        ("betewen", "between"),
        # not mended: a wrong letter, a change at the end, a short word, a name
        ("berries gruppe sowing Softwrae", "berries gruppe sowing Softwrae"),
    ],
)
def test_slips_of_the_finger(typed: str, meant: str) -> None:
    assert VOCAB(typed) == meant


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdeoøå .,")), max_size=40))
def test_respeller_changes_only_letters(text: str) -> None:
    """Only ae, oe, aa become æ, ø, å; the rest of the text stays as it was."""
    out = VOCAB(text)
    assert out.replace("æ", "ae").replace("ø", "oe").replace("å", "aa") == text or out == text


def test_shipped_index_has_the_vocabulary() -> None:
    if not INDEX_PATH.exists():
        pytest.skip("no index")
    head = KnnHead.load()
    assert head.respeller is not None
    assert head.respeller("Vi laver moebler og loesninger til havvindmoeller").count("ø") == 3


FLUFF = "Kunden er altid i centrum for alt, hvad vi gør."
BODY = "Vi udvikler software til banker og forsikringsselskaber."


def test_focus_sets_praise_aside() -> None:
    model = get_model()
    assert focus(f"{BODY} {FLUFF}", model) == BODY
    assert focus(f"{FLUFF} {BODY}", model) == BODY
    assert focus(BODY, model) == BODY  # one sentence: as it is
    assert focus("bl.a. stole og borde til kontorer", model) == "bl.a. stole og borde til kontorer"


def test_fast_path_agrees_with_focus() -> None:
    """The batch path's focus mask scores the text exactly as focus() leaves it."""
    router = get_router()
    texts = [
        f"{BODY} {FLUFF}",
        f"{FLUFF}\n{BODY}",
        "We build offshore wind turbines. Our values are trust and commitment. We also make "
        "foundations for them.",
        BODY,
    ]
    model = get_model()
    whole = router.route_many(texts, on=ON)
    kept = router.route_many([focus(t, model) for t in texts], on=ON)
    for a, b in zip(whole, kept, strict=True):
        assert not isinstance(a, Exception) and not isinstance(b, Exception)
        assert [c.area for c in a.clusters] == [c.area for c in b.clusters]
        assert [c.score for c in a.clusters] == pytest.approx([c.score for c in b.clusters])


def test_batch_tokens_mark_sentences_and_keep_documents() -> None:
    toks = batch_tokens(["Vi laver møbler. Kunden er i centrum.", "bl.a. stole", "x? y"], True)
    assert toks.count("\x1e") == 3
    assert toks.count("\x1f") == 1
    assert get_model().word_ids(["\x1f"])[0] == SENTENCE
