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
