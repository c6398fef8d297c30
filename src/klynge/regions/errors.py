"""One error type for bad regional input, carrying its message in both languages."""

from __future__ import annotations

from klynge.i18n import Text


class RegionsDataError(ValueError):
    """Bad or unusable input. ``str()`` is English; the CLI shows ``text.get(lang)``."""

    def __init__(self, da: str, en: str) -> None:
        super().__init__(en)
        self.text = Text(da=da, en=en)


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
    return RegionsDataError(f"{w.da}: {da}", f"{w.en}: {en}")
