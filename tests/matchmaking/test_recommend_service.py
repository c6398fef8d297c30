"""Recommendations from the database: the right partner first, opt-out, expiry, tenancy."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from match_helpers import ADMIN, ANALYST, CLEAN, MADE, member

from klynge.errors import InvalidInput, NotFound
from klynge.services import matchmaking as mm
from klynge.services.matchmaking import ProfileInput


def test_the_complementary_partner_comes_first_with_reasons(world: Path) -> None:
    result = mm.recommend("29863997", principal=CLEAN, lang="en")
    keys = [p.organisation for p in result.partners]
    assert keys[0] == "aau"
    assert "29863997" not in keys  # never itself
    assert "se-1" not in keys  # hidden: opted out
    top = result.partners[0]
    assert {
        "request-meets-offer",
        "complementary-kinds",
        "across-clusters",
        "across-languages",
    } <= set(top.reason_codes)
    assert "contact" not in top.model_dump()  # no personal data of the other side
    danish = mm.recommend("29863997", principal=CLEAN, lang="da").partners[0].reasons
    assert danish != top.reasons and any("på tværs af sprog" in r for r in danish)


def test_an_expired_partner_is_not_recommended_after_its_last_day(world: Path) -> None:
    day = date(2026, 3, 1)
    current = mm.get_profile("aau", principal=ADMIN)
    body = ProfileInput(offers=current.offers, seeks=current.seeks, language="en", expires_on=day)
    mm.save_profile("aau", body, principal=MADE)
    on_the_day = mm.recommend("29863997", principal=ADMIN, today=day)
    after = mm.recommend("29863997", principal=ADMIN, today=day + timedelta(days=1))
    assert "aau" in [p.organisation for p in on_the_day.partners]
    assert "aau" not in [p.organisation for p in after.partners]


def test_a_hidden_profile_still_gets_recommendations_but_says_it_is_hidden(world: Path) -> None:
    result = mm.recommend("se-1", principal=CLEAN, lang="en")
    assert not result.profile_active
    assert any("hidden" in n for n in result.notes)
    assert "se-1" not in [p.organisation for p in result.partners]


def test_recommendations_follow_the_tenancy(world: Path) -> None:
    with pytest.raises(NotFound):
        mm.recommend("aau", principal=CLEAN)
    with pytest.raises(NotFound):
        mm.recommend("aau", principal=member("29863997"))
    assert mm.recommend("aau", principal=ANALYST).partners
    assert mm.recommend("29863997", principal=member("29863997")).partners
    with pytest.raises(InvalidInput):
        mm.recommend("29863997", principal=ADMIN, limit=0)


def test_an_organisation_without_a_profile_is_not_found(world: Path) -> None:
    mm.delete_profile("de-1", principal=MADE)
    with pytest.raises(NotFound) as exc:
        mm.recommend("de-1", principal=MADE)
    assert exc.value.error_code == "no-such-profile"
    assert "de-1" not in [p.organisation for p in mm.recommend("aau", principal=ADMIN).partners]
