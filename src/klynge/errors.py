"""One error family for every layer and every face.

A :class:`KlyngeError` carries what a person needs to act: a stable ``code`` for programs, a
message in Danish and English, and where the problem is (file, row, column, field). The CLI prints
it as one line (or as JSON under ``--json``); the API turns it into ``application/problem+json``
(RFC 9457). Domain packages raise subclasses of it, so no face has to translate exceptions.

The ``status`` is an HTTP status *hint*: it lives here because it classifies the error (bad input,
not found, forbidden, conflict), and the CLI maps the same classes onto exit codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def _number(n: Any) -> Any:
    """A bound as a person writes it: 1, not 1.0."""
    return int(n) if isinstance(n, float) and n.is_integer() else n


def field_problem(err: Mapping[str, Any]) -> Text:
    """One pydantic (or FastAPI) validation error, worded for people in both languages.

    The validator's own messages are English only; the API, the forms and the CLI show these
    instead. An error type not covered keeps the validator's message, marked as such, rather
    than hiding it behind a vague "invalid".
    """
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    msg = str(err.get("msg", ""))
    if kind == "missing":
        return Text(da="skal udfyldes", en="is required")
    if kind in ("greater_than_equal", "greater_than"):
        n = _number(ctx.get("ge", ctx.get("gt")))
        word = ("mindst", "at least") if kind == "greater_than_equal" else ("over", "greater than")
        return Text(da=f"skal være {word[0]} {n}", en=f"must be {word[1]} {n}")
    if kind in ("less_than_equal", "less_than"):
        n = _number(ctx.get("le", ctx.get("lt")))
        if kind == "less_than_equal":
            return Text(da=f"må højst være {n}", en=f"must be at most {n}")
        return Text(da=f"skal være under {n}", en=f"must be less than {n}")
    if kind in ("string_too_short", "too_short"):
        n = ctx.get("min_length")
        if n in (None, 1):
            return Text(da="må ikke være tom", en="must not be empty")
        return Text(
            da=f"mindst {n} (tegn eller punkter)", en=f"at least {n} (characters or entries)"
        )
    if kind in ("string_too_long", "too_long"):
        n = ctx.get("max_length")
        return Text(da=f"højst {n} (tegn eller punkter)", en=f"at most {n} (characters or entries)")
    if kind.startswith("int"):
        return Text(da="skal være et helt tal", en="must be a whole number")
    if kind.startswith("float") or kind.startswith("decimal"):
        return Text(da="skal være et tal", en="must be a number")
    if kind.startswith("bool"):
        return Text(da="skal være sand eller falsk", en="must be true or false")
    if kind.startswith("datetime"):
        return Text(da="ugyldigt tidspunkt", en="not a valid date and time")
    if kind.startswith("date"):
        return Text(da="ugyldig dato (ÅÅÅÅ-MM-DD)", en="not a valid date (YYYY-MM-DD)")
    if kind in ("enum", "literal_error"):
        allowed = ctx.get("expected", "")
        return Text(da=f"skal være en af: {allowed}", en=f"must be one of: {allowed}")
    if kind.startswith("string") or kind == "str_type":
        return Text(da="skal være tekst", en="must be text")
    if kind in ("list_type", "tuple_type", "set_type"):
        return Text(da="skal være en liste", en="must be a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Text(da="skal være et objekt", en="must be an object")
    if kind == "json_invalid":
        return Text(da="ugyldig JSON", en="not valid JSON")
    if kind == "extra_forbidden":
        return Text(da="ukendt felt", en="unknown field")
    if kind == "value_error":
        # A validator of ours raised it: its message is ours, already written for people.
        own = msg.removeprefix("Value error, ")
        return Text(da=f"ugyldig værdi: {own}", en=f"invalid value: {own}")
    return Text(da=f"ugyldig værdi ({msg})", en=f"invalid value ({msg})")
