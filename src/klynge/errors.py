"""One error family for every layer and every face.

A :class:`KlyngeError` carries what a person needs to act: a stable ``code`` for programs, a
message in Danish and English, and where the problem is (file, row, column, field). The CLI prints
it as one line (or as JSON under ``--json``); the API turns it into ``application/problem+json``
(RFC 9457). Domain packages raise subclasses of it, so no face has to translate exceptions.

The ``status`` is an HTTP status *hint*: it lives here because it classifies the error (bad input,
not found, forbidden, conflict), and the CLI maps the same classes onto exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from klynge.i18n import Text


class Location(BaseModel):
    """Where a problem sits. Every part is optional; only what is known is given."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def describe(self, lang: str | None) -> str:
        da = lang == "da"
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"{'række' if da else 'row'} {self.row}")
        if self.column is not None:
            parts.append(f"{'kolonne' if da else 'column'} {self.column!r}")
        if self.field is not None:
            parts.append(f"{'felt' if da else 'field'} {self.field}")
        return ", ".join(parts)

    def is_empty(self) -> bool:
        return all(v is None for v in (self.file, self.row, self.column, self.field))


class Detail(BaseModel):
    """One of several problems behind an error (every bad row of an import, say)."""

    model_config = ConfigDict(frozen=True)

    message: str
    location: Location | None = None


class ErrorBody(BaseModel):
    """The JSON form of an error, shared by the CLI's ``--json`` and the API's problem+json."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    location: Location | None = None
    errors: list[Detail] = []


class KlyngeError(Exception):
    """The base of every error a user may see.

    Subclasses set ``code``, ``status`` and ``exit_code``; an instance may override ``code`` for
    a more specific reason (``"unknown-region"`` within :class:`InvalidInput`, say).
    """

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    exit_code: ClassVar[int] = 1
    title: ClassVar[Text] = Text(da="Fejl", en="Error")

    def __init__(
        self,
        message: Text,
        *,
        code: str | None = None,
        location: Location | None = None,
        details: Sequence[tuple[Text, Location | None]] = (),
    ) -> None:
        super().__init__(message.en)
        self.message = message
        self.error_code = code or self.code
        self.location = location
        self.details = list(details)

    def text(self, lang: str | None) -> str:
        """The message with its location first, as one line (details follow on their own)."""
        where = self.location.describe(lang) if self.location else ""
        msg = self.message.get(lang)
        return f"{where}: {msg}" if where else msg

    def body(self, lang: str | None) -> ErrorBody:
        return ErrorBody(
            type=f"https://klynge.dk/problems/{self.error_code}",
            title=self.title.get(lang),
            status=self.status,
            code=self.error_code,
            detail=self.message.get(lang),
            location=self.location,
            errors=[Detail(message=t.get(lang), location=loc) for t, loc in self.details],
        )

    def as_json(self, lang: str | None) -> dict[str, Any]:
        return self.body(lang).model_dump(mode="json", exclude_none=True)


class InvalidInput(KlyngeError):
    """The request or file cannot be used as given: the user can fix it."""

    code = "invalid-input"
    status = 422
    exit_code = 2
    title = Text(da="Ugyldigt input", en="Invalid input")


class NotFound(KlyngeError):
    code = "not-found"
    status = 404
    exit_code = 2
    title = Text(da="Ikke fundet", en="Not found")


class Ambiguous(KlyngeError):
    code = "ambiguous"
    status = 409
    exit_code = 2
    title = Text(da="Tvetydigt", en="Ambiguous")


class Conflict(KlyngeError):
    code = "conflict"
    status = 409
    exit_code = 1
    title = Text(da="Konflikt", en="Conflict")


class Unauthorized(KlyngeError):
    code = "unauthorized"
    status = 401
    exit_code = 3
    title = Text(da="Ikke logget ind", en="Not authenticated")


class Forbidden(KlyngeError):
    code = "forbidden"
    status = 403
    exit_code = 3
    title = Text(da="Ingen adgang", en="Forbidden")


class TooLarge(KlyngeError):
    code = "too-large"
    status = 413
    exit_code = 2
    title = Text(da="For stort", en="Too large")


class RateLimited(KlyngeError):
    code = "rate-limited"
    status = 429
    exit_code = 1
    title = Text(da="For mange forespørgsler", en="Too many requests")


class Unavailable(KlyngeError):
    """A resource the request needs (the database, a data file) cannot be used right now."""

    code = "unavailable"
    status = 503
    exit_code = 1
    title = Text(da="Ikke tilgængelig", en="Unavailable")


class InternalError(KlyngeError):
    """Something klynge did not expect: a bug. Faces show this instead of a traceback."""

    code = "internal"
    status = 500
    exit_code = 70
    title = Text(da="Intern fejl", en="Internal error")

    @classmethod
    def wrap(cls, exc: BaseException) -> InternalError:
        what = f"{type(exc).__name__}: {exc}"
        return cls(
            Text(
                da=f"uventet fejl ({what}). Sæt KLYNGE_DEBUG=1 for at se detaljerne.",
                en=f"unexpected error ({what}). Set KLYNGE_DEBUG=1 to see the details.",
            )
        )
