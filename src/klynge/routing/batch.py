"""Route a file of companies: CSV, XLSX or Parquet in, CSV out, in chunks.

Files are read by :mod:`klynge.tables` (every encoding and delimiter it knows, standard input,
bytes). Rows stream through in chunks of ``CHUNK`` so memory stays flat whatever the file size; a
bad row gets its error in its own output row and the run goes on. Only a file the reader cannot
parse at all (no header, missing column, broken CSV quoting) stops the run, with the file, line
and reason. The output is written to a temporary file beside the target and moved into place at
the end, so a run that stops leaves no half-written output, and the input is never overwritten.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from klynge.errors import InvalidInput, Location
from klynge.i18n import Text
from klynge.routing.router import Router, RowAnswer, get_router
from klynge.routing.text import RoutingInputError
from klynge.tables import (
    EXTRA_CELLS,
    ROW_PROBLEM,
    SUFFIXES,
    Format,
    Rows,
    Source,
    TableError,
    TableWarning,
    open_rows,
)

CHUNK = 4096
OUTPUT_COLUMNS = [
    "id",
    "cluster",
    "score",
    "cluster_2",
    "score_2",
    "cluster_3",
    "score_3",
    "explanation",
    "error",
]
REQUIRED = ("id", "description")

Progress = Callable[[int, int | None], None]


class BatchFileError(InvalidInput):
    """A file the batch cannot read or write at all; names the file, the line and the reason."""

    code = "batch-file"

    def __init__(
        self, path: Path | str, message: Text, line: int | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(message, code=code, location=Location(file=str(path), row=line))
        self.path = path
        self.line = line

    def text(self, lang: str | None) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", {'linje' if lang == 'da' else 'line'} {self.line}"
        return f"{where}: {self.message.get(lang)}"

    @classmethod
    def from_table(cls, exc: TableError) -> BatchFileError:
        loc = exc.location or Location()
        return cls(loc.file or "", exc.message, loc.row, code=exc.error_code)


@dataclass(slots=True)
class InRow:
    line: int
    id: str
    description: str | None
    nace: str | None
    problem: Text | None = None


@dataclass
class BatchSummary:
    rows: int = 0
    routed: int = 0
    none: int = 0
    no_cluster_for_area: int = 0
    insufficient: int = 0
    errors: int = 0
    per_cluster: Counter[str] = field(default_factory=Counter)
    first_errors: list[int] = field(default_factory=list)
    format: str = "csv"
    encoding: str | None = None
    notes: list[Text] = field(default_factory=list)
    warnings: list[TableWarning] = field(default_factory=list)

    def share(self, n: int) -> float:
        return n / self.rows if self.rows else 0.0


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is str:
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


def _code_cell(value: Any) -> str | None:
    """A nace cell; a number (XLSX, Parquet) gets back the leading zero a spreadsheet drops.

    A code typed 01.11 is stored as 1.11, DB07 011100 as 11100 and division 03 as 3: with one
    digit before the point, or five digits in all, only a lost zero fits a real code.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _cell(value)
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
        return "0" + text if text.index(".") == 1 else text
    text = str(int(value))
    return "0" + text if len(text) in (1, 5) else text


def _check_header(name: str, header: list[str]) -> None:
    # Names are read without case: "Description" and "description" are one name, and a row
    # would silently take the last one's cell. Which one is meant is the person's call.
    for col in (*REQUIRED, "nace"):
        at = [i for i, h in enumerate(header, start=1) if h == col]
        if len(at) > 1:
            where = ", ".join(str(i) for i in at)
            raise BatchFileError(
                name,
                Text(
                    da=f"kolonnen {col} står to gange i overskriften (kolonne {where}); "
                    "omdøb eller fjern den ene",
                    en=f"the column {col} appears twice in the header (columns {where}); "
                    "rename or remove one",
                ),
                line=1,
                code="duplicate-column",
            )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "-"
        raise BatchFileError(
            name,
            Text(
                da=f"kolonnen {', '.join(missing)} mangler (fundet: {found})",
                en=f"missing column {', '.join(missing)} (found: {found})",
            ),
            line=1,
            code="missing-column",
        )


_EMPTY_ID = Text(da="id er tom", en="id is empty")
_NO_ROWS = Text(
    da="filen har ingen rækker under overskriften: intet blev rutet",
    en="the file has no rows under its header: nothing was routed",
)


def _in_rows(table: Rows) -> Iterator[InRow]:
    width = len(table.header)
    try:
        for line, raw in table:
            rid = _cell(raw.get("id"))
            row = InRow(line, rid or "", _cell(raw.get("description")), _code_cell(raw.get("nace")))
            if ROW_PROBLEM in raw:
                row.problem = raw[ROW_PROBLEM]
            elif rid is None:
                row.problem = _EMPTY_ID
            elif EXTRA_CELLS in raw:
                n = raw[EXTRA_CELLS]
                row.problem = Text(
                    da=f"rækken har {n} felter, overskriften {width}",
                    en=f"the row has {n} fields, the header {width}",
                )
            yield row
    except TableError as exc:
        raise BatchFileError.from_table(exc) from None


def open_input(source: Source, *, name: str | None = None, format: Format | None = None) -> Rows:
    """Open a batch input and check that it has the columns a batch needs."""
    try:
        table = open_rows(source, name=name, format=format)
    except TableError as exc:
        raise BatchFileError.from_table(exc) from None
    try:
        _check_header(table.name, table.header)
    except BatchFileError:
        table.close()
        raise
    return table


def read_rows(source: Source, *, name: str | None = None) -> Iterator[InRow]:
    """Rows of a batch input (a path by its suffix, ``-`` for standard input, or bytes)."""
    return _in_rows(open_input(source, name=name))


def count_rows(path: Path) -> int | None:
    """A quick row count for the progress bar, or None when it would cost a full parse."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    if kind == "csv":
        n = 0
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                n += block.count(b"\n")
        return max(n - 1, 0)
    return None


def check_output(src: Source, dst: Path) -> None:
    """Refuse an output that is not a .csv file in an existing folder, or that is the input."""
    if dst.suffix.lower() != ".csv":
        raise BatchFileError(
            dst,
            Text(
                da="uddata skrives som CSV: giv en fil der ender på .csv",
                en="output is written as CSV: give a file ending in .csv",
            ),
            code="output-not-csv",
        )
    if isinstance(src, str | Path) and str(src) != "-":
        same = Path(src).resolve() == dst.resolve()
        if not same and dst.exists() and Path(src).exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(src, dst)
        if same:
            raise BatchFileError(
                dst,
                Text(
                    da="uddata-filen er den samme som inddata-filen; den ville blive "
                    "overskrevet: vælg et andet navn til --output",
                    en="the output file is the input file, which would be overwritten: "
                    "choose another name for --output",
                ),
                code="output-is-input",
            )
    folder = dst.parent
    if not folder.is_dir():
        raise BatchFileError(
            dst,
            Text(
                da=f"mappen {str(folder)!r} findes ikke: opret den først",
                en=f"the folder {str(folder)!r} does not exist: create it first",
            ),
            code="no-such-folder",
        )
    if dst.is_dir():
        raise BatchFileError(
            dst,
            Text(da="er en mappe, ikke en fil", en="is a folder, not a file"),
            code="output-is-folder",
        )


def _cannot_write(dst: Path, exc: OSError) -> BatchFileError:
    reason = exc.strerror or str(exc)
    return BatchFileError(
        dst,
        Text(da=f"kan ikke skrive filen: {reason}", en=f"cannot write the file: {reason}"),
        code="cannot-write",
    )


def output_row(row: InRow, answer: RowAnswer | RoutingInputError | Text, lang: str) -> list[str]:
    """One output line: best cluster (or ``none`` / ``no-cluster:<area>`` / ``insufficient``),
    two runners-up."""
    if isinstance(answer, Text):
        return [row.id, "", "", "", "", "", "", "", answer.get(lang)]
    if isinstance(answer, RoutingInputError):
        return [row.id, "", "", "", "", "", "", "", answer.text(lang)]
    _, label, score, rest, explanation = answer
    cells = [row.id, label, f"{score:.4f}"]
    for other, other_score in rest:
        cells += [other, f"{other_score:.4f}"]
    cells += [""] * (7 - len(cells))
    cells += [explanation, ""]
    return cells


def route_file(
    src: Source,
    dst: Path | IO[str],
    on: date | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
    router: Router | None = None,
    chunk: int = CHUNK,
    *,
    name: str | None = None,
    format: Format | None = None,
) -> BatchSummary:
    """Route every row of ``src`` into CSV ``dst`` (a path or a text stream); return counts.

    ``src`` is anything :func:`klynge.tables.open_rows` reads: a path, ``-`` or bytes.
    """
    if isinstance(dst, Path):
        check_output(src, dst)
    router = router or get_router()
    table = open_input(src, name=name, format=format)
    try:
        # The header is read before the output is created, so a file that cannot be read leaves
        # nothing behind; a file that breaks part-way leaves nothing either (temporary output).
        total = (
            count_rows(Path(src))
            if progress is not None and isinstance(src, str | Path) and str(src) != "-"
            else None
        )
        if not isinstance(dst, Path):
            summary = _route_rows(table, dst, on, lang, progress, router, chunk, total)
        else:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
            except OSError as exc:
                raise _cannot_write(dst, exc) from None
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    summary = _route_rows(table, fh, on, lang, progress, router, chunk, total)
                os.replace(tmp, dst)
            except OSError as exc:
                raise _cannot_write(dst, exc) from None
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        summary.notes = table.notes
        if summary.rows == 0:
            summary.notes = [*summary.notes, _NO_ROWS]
        summary.warnings = table.warnings
        summary.format = table.format
        summary.encoding = table.encoding
        return summary
    finally:
        table.close()


MAX_FIRST_ERRORS = 10


def _route_rows(
    table: Rows,
    fh: IO[str],
    on: date | None,
    lang: str | None,
    progress: Progress | None,
    router: Router,
    chunk: int,
    total: int | None,
) -> BatchSummary:
    summary = BatchSummary()
    out_lang = lang or "en"
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    buffer: list[InRow] = []

    def flush() -> None:
        good = [r for r in buffer if r.problem is None]
        answers = router.route_rows(
            [r.description for r in good], [r.nace for r in good], on=on, lang=lang
        )
        by_line = {r.line: res for r, res in zip(good, answers, strict=True)}
        for r in buffer:
            res: RowAnswer | RoutingInputError | Text = (
                r.problem if r.problem is not None else by_line[r.line]
            )
            writer.writerow(output_row(r, res, out_lang))
            summary.rows += 1
            if isinstance(res, tuple):
                outcome, label = res[0], res[1]
                if outcome == "routed":
                    summary.routed += 1
                elif outcome == "none":
                    summary.none += 1
                elif outcome == "insufficient":
                    summary.insufficient += 1
                else:
                    summary.no_cluster_for_area += 1
                summary.per_cluster[label] += 1
            else:
                summary.errors += 1
                if len(summary.first_errors) < MAX_FIRST_ERRORS:
                    summary.first_errors.append(r.line)
        buffer.clear()
        if progress is not None:
            progress(summary.rows, total)

    for row in _in_rows(table):
        buffer.append(row)
        if len(buffer) >= chunk:
            flush()
    if buffer:
        flush()
    return summary
