"""The recommender as pure Python: seeks against offers, across languages, with reasons."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from klynge.matchmaking.lexicon import CONCEPTS, concepts_in
from klynge.matchmaking.recommend import Index, MatchProfile, recommend
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
