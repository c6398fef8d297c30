"""An edit that changes a row's natural key onto another row's key must not overwrite that row.

The edit deletes the edited row and imports the new one, and the import merges by natural key:
without a check, the other row would silently take the edited row's values and the edited row
would be gone.
"""

from __future__ import annotations

import pytest

# The registry fixture (SQLite and PostgreSQL) and helpers of the users' service tests.
from test_users_service import CLEAN, _ids, db  # noqa: F401

from klynge.errors import KlyngeError
from klynge.services import rows
from klynge.services.auth import LOCAL
from klynge.services.registry import get_row, import_upload


def test_a_contacts_new_email_may_not_take_over_another_contact(db: str) -> None:  # noqa: F811
    import_upload(
        "contacts",
        b"organisation,name,email,phone\n31000009,Bo Alfa,bo@alfa.dk,+45 11 22 33 44\n",
        "c.csv",
        principal=LOCAL,
    )
    before = _ids("contacts")
    with pytest.raises(KlyngeError) as caught:
        rows.update_row(
            "contacts", before["anna@alfa.dk"], {"email": "bo@alfa.dk"}, principal=CLEAN
        )
    assert caught.value.status in (400, 409, 422)
    assert _ids("contacts") == before
    bo = get_row("contacts", before["bo@alfa.dk"], principal=LOCAL)
    assert bo.name == "Bo Alfa"  # type: ignore[union-attr]
    assert bo.phone == "+45 11 22 33 44"  # type: ignore[union-attr]
    anna = get_row("contacts", before["anna@alfa.dk"], principal=LOCAL)
    assert anna.name == "Anna Alfa"  # type: ignore[union-attr]


def test_an_outcomes_new_type_may_not_overwrite_another_outcome(db: str) -> None:  # noqa: F811
    import_upload(
        "outcomes",
        (
            b"organisation,cluster,activity,type,reported_on,text\n"
            b"31000009,clean,W1,ideas,2023-05-01,Two new ideas\n"
            b"31000009,clean,W1,partner,2023-05-01,Met Beta\n"
        ),
        "o.csv",
        principal=LOCAL,
    )
    before = _ids("outcomes")
    texts = {
        get_row("outcomes", i, principal=LOCAL).type: i  # type: ignore[union-attr]
        for i in before.values()
    }
    with pytest.raises(KlyngeError):
        rows.update_row("outcomes", texts["ideas"], {"type": "partner"}, principal=CLEAN)
    assert _ids("outcomes") == before
    kept = get_row("outcomes", texts["partner"], principal=LOCAL)
    assert kept.text == "Met Beta"  # type: ignore[union-attr]
    assert get_row("outcomes", texts["ideas"], principal=LOCAL).text == "Two new ideas"  # type: ignore[union-attr]


def test_a_key_change_onto_a_free_key_still_works(db: str) -> None:  # noqa: F811
    before = _ids("contacts")
    saved = rows.update_row(
        "contacts", before["anna@alfa.dk"], {"email": "anna.a@alfa.dk"}, principal=CLEAN
    )
    assert saved.row.email == "anna.a@alfa.dk"  # type: ignore[union-attr]
    after = _ids("contacts")
    assert "anna@alfa.dk" not in after and after["anna.a@alfa.dk"] == saved.id
