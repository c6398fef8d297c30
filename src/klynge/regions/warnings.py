"""Warnings about regional data that a reader must see beside the figures.

A damaged or thin input that can still be analysed (a suppressed reference cell, a year where
every value is suppressed) gives a :class:`DataWarning` instead of a silent number. Readers and
computations attach them to the :class:`~klynge.regions.cube.Cube` (``cube.warnings``) or to a
result; services carry them into every output format (tables, JSON, CSV).
"""

from __future__ import annotations

from dataclasses import dataclass

from klynge.errors import Location
from klynge.i18n import Text


@dataclass(frozen=True)
class DataWarning:
    code: str
    text: Text
    location: Location | None = None

    def describe(self, lang: str | None) -> str:
        where = self.location.describe(lang) if self.location is not None else ""
        return f"{where}: {self.text.get(lang)}" if where else self.text.get(lang)


# How a table shows a cell that has no number, so that a reader can tell missing from small:
# Eurostat's own sign for a suppressed or unavailable value in brackets, and a dash for a cell
# the file does not have at all. A number with a flag keeps the flag ("12.5 p").
SUPPRESSED = "(:)"
CONFIDENTIAL = "(: c)"
ABSENT = "–"


def cell_text(value: float | None, flag: str | None = None, digits: int = 2) -> str:
    """A value for a table: the number (with its Eurostat flag), or a marker when there is none.

    ``value`` None or NaN with a flag: the cell was in the file but suppressed (``(:)``, or
    ``(: c)`` for confidential); without a flag: the file has no such cell (``–``).
    """
    if value is not None and value == value:  # not NaN
        text = f"{value:,.{digits}f}"
        return f"{text} {flag}" if flag and flag != ":" else text
    if flag is None or flag == "":
        return ABSENT
    if flag.strip(": ") == "c":
        return CONFIDENTIAL
    return SUPPRESSED
