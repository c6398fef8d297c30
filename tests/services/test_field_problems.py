"""Validation errors read in both languages: the API's 422s, the event form and the CLI show
:func:`klynge.errors.field_problem`, not the validator's English."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError, field_validator

from klynge.api.app import create_app
from klynge.errors import field_problem


class _Form(BaseModel):
    name: str = Field(min_length=1, max_length=5)
    size: int = Field(ge=1, le=10)
    share: float = Field(gt=0, lt=1)
    day: date
    kind: str = "a"

    @field_validator("kind")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in ("a", "b"):
            raise ValueError("kind must be a or b")
        return v


def _problems(data: dict[str, object]) -> dict[str, tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(data)
    return {
        ".".join(map(str, e["loc"])): (field_problem(e).da, field_problem(e).en)
        for e in caught.value.errors()
    }


GOOD = {"name": "x", "size": 3, "share": 0.5, "day": "2026-12-05"}


def test_each_common_error_in_both_languages() -> None:
    assert _problems({})["name"] == ("skal udfyldes", "is required")
    assert _problems({**GOOD, "name": ""})["name"] == ("må ikke være tom", "must not be empty")
    assert _problems({**GOOD, "name": "abcdefg"})["name"][1] == "at most 5 (characters or entries)"
    assert _problems({**GOOD, "size": 0})["size"] == ("skal være mindst 1", "must be at least 1")
    assert _problems({**GOOD, "size": 11})["size"] == ("må højst være 10", "must be at most 10")
    assert _problems({**GOOD, "size": "many"})["size"][0] == "skal være et helt tal"
    assert _problems({**GOOD, "share": 1})["share"] == ("skal være under 1", "must be less than 1")
    assert _problems({**GOOD, "share": 0})["share"][1] == "must be greater than 0"
    assert _problems({**GOOD, "day": "yesterday"})["day"][0].startswith("ugyldig dato")
    assert _problems({**GOOD, "kind": "c"})["kind"] == (
        "ugyldig værdi: kind must be a or b",
        "invalid value: kind must be a or b",
    )


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.one_of(st.text(max_size=8), st.integers()),
            "size": st.one_of(st.integers(-5, 20), st.text(max_size=3)),
            "share": st.one_of(st.floats(allow_nan=False), st.text(max_size=3)),
            "day": st.text(max_size=12),
            "kind": st.text(max_size=2),
        },
    )
)
def test_every_error_has_two_distinct_wordings(data: dict[str, object]) -> None:
    """Whatever is wrong, each problem is worded in Danish and in English, never left blank."""
    try:
        _Form.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            text = field_problem(e)
            assert text.da.strip() and text.en.strip()


def test_api_422_lists_fields_in_the_asked_language() -> None:
    with TestClient(create_app()) as client:
        da = client.get("/api/v1/clusters?on=yesterday&lang=da").json()
        en = client.get("/api/v1/clusters?on=yesterday&lang=en").json()
    assert da["code"] == en["code"] == "invalid-request"
    assert [e["location"]["field"] for e in da["errors"]] == ["query.on"]
    assert da["errors"][0]["message"].startswith("ugyldig dato")
    assert en["errors"][0]["message"].startswith("not a valid date")


def test_route_api_wrong_lang_is_named_in_danish() -> None:
    with TestClient(create_app()) as client:
        r = client.post(
            "/api/v1/route?lang=fr",
            json={"text": "Vi bygger vindmøller"},
            headers={"accept-language": "da"},
        )
    assert r.status_code == 422
    [err] = r.json()["errors"]
    assert err["location"]["field"] == "query.lang"
    assert "'da', 'en'" in err["message"]
