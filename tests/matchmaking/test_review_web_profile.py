"""The web profile form must not shorten what a person typed and save the rest silently:
too long a text or too many entries is refused with a visible reason, and nothing is saved."""

from __future__ import annotations

import pytest
from test_match_web import _csrf, _log_in, site  # noqa: F401  (fixture)

from klynge.services import matchmaking as mm
from klynge.services.auth import LOCAL

GOOD = {
    "offers": "Vi udvikler droner til inspektion af havvindmøller.",
    "seeks": "Vi søger forskning i maskinlæring og prognoser til vindmølleparker.",
}


@pytest.mark.parametrize(
    ("field", "value", "most"),
    [
        ("offers", "droner " * 714 + "SLUTORD", 5000),  # 5005 characters
        ("seeks", "prognoser " * 500 + "SLUTORD", 5000),
        ("technologies", ";".join(f"tech{i}" for i in range(21)), 20),
    ],
)
def test_too_much_input_is_refused_not_cut(site: object, field: str, value: str, most: int) -> None:  # noqa: F811
    anna = _log_in(site, "anna@nebel.dk")
    before = mm.get_profile("29863997", principal=LOCAL)
    r = anna.post(
        "/match/profiles/29863997",
        data={**GOOD, field: value, "csrf_token": _csrf(anna, "/match/profiles/29863997")},
    )
    assert r.status_code == 422
    assert f"{field}: at most {most}" in r.text  # the reason names the field and the limit
    assert mm.get_profile("29863997", principal=LOCAL) == before  # nothing saved
