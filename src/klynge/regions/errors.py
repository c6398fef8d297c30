"""One error type for bad regional input, carrying its message in both languages.

:class:`RegionsDataError` is an :class:`~klynge.errors.InvalidInput` (HTTP 422, exit code 2), so
the CLI prints it as one line and the API answers it as ``application/problem+json`` without
either face translating it. Errors about a place in a file also carry that place as a structured
:class:`~klynge.errors.Location` (file, row, column), beside the same place written out at the
start of the message.
"""

from __future__ import annotations

from klynge.errors import InvalidInput, Location
from klynge.i18n import Text


class _Message(Text):
    """The message as :class:`Text` (``.da``, ``.en``, ``.get``) that can also be called.

    ``RegionsDataError.text.da`` has long been the Danish message, while
    :meth:`KlyngeError.text` is a method of the language; this object serves both readings.
    """

    def __call__(self, lang: str | None) -> str:
        return self.get(lang)


class RegionsDataError(InvalidInput):
    """Bad or unusable input. ``str()`` is English; faces show ``text(lang)``.

    The message already names the place (``"file x, row 3, column 'value': ..."``) when there is
    one; ``location`` gives the same place to programs.
    """

    code = "invalid-data"

    def __init__(
        self, da: str, en: str, *, location: Location | None = None, code: str | None = None
    ) -> None:
        super().__init__(Text(da=da, en=en), code=code, location=location)

    @property
    def text(self) -> _Message:
        return _Message(da=self.message.da, en=self.message.en)


def where(file: str | None, row: int | None = None, column: str | None = None) -> Text:
    """'file x, row 3, column geo' in both languages, leaving out what is not known."""
    da: list[str] = []
    en: list[str] = []
    if file is not None:
        da.append(f"fil {file}")
        en.append(f"file {file}")
    if row is not None:
        da.append(f"række {row}")
        en.append(f"row {row}")
    if column is not None:
        da.append(f"kolonne {column!r}")
        en.append(f"column {column!r}")
    return Text(da=", ".join(da) or "input", en=", ".join(en) or "input")


def data_error(
    file: str | None, row: int | None, column: str | None, da: str, en: str
) -> RegionsDataError:
    w = where(file, row, column)
    loc = Location(file=file, row=row, column=column)
    return RegionsDataError(
        f"{w.da}: {da}", f"{w.en}: {en}", location=None if loc.is_empty() else loc
    )
