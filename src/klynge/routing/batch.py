"""Route a file of companies: CSV, XLSX or Parquet in, CSV out, in chunks.

Rows stream through in chunks of ``CHUNK`` so memory stays flat whatever the file size; a bad row
gets its error in its own output row and the run goes on. Only a file the reader cannot parse at
all (no header, missing column, broken CSV quoting) stops the run, with the file, line and reason.
Heavy readers (openpyxl, pyarrow) are imported only when such a file is read.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from klynge.i18n import Text
from klynge.routing.router import Router, RowAnswer, get_router
from klynge.routing.text import RoutingInputError

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
SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}

Progress = Callable[[int, int | None], None]


class BatchFileError(Exception):
    """A file the batch cannot read at all; names the file, the line and the reason."""

    def __init__(self, path: Path, message: Text, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(self.text("en"))

    def text(self, lang: str | None) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", {'linje' if lang == 'da' else 'line'} {self.line}"
        return f"{where}: {self.message.get(lang)}"


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
    errors: int = 0
    per_cluster: Counter[str] = field(default_factory=Counter)

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


def _header(path: Path, names: Sequence[object]) -> dict[str, int]:
    cols = {str(n).strip().lower(): i for i, n in enumerate(names) if n is not None}
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        found = ", ".join(str(n) for n in names if n is not None) or "-"
        raise BatchFileError(
            path,
            Text(
                da=f"kolonnen {', '.join(missing)} mangler (fundet: {found})",
                en=f"missing column {', '.join(missing)} (found: {found})",
            ),
            line=1,
        )
    return cols


_EMPTY_ID = Text(da="id er tom", en="id is empty")


def _make_row(line: int, cols: dict[str, int], values: Sequence[Any]) -> InRow:
    n = len(values)
    i, d, c = cols["id"], cols["description"], cols.get("nace")
    rid = _cell(values[i]) if i < n else None
    desc = _cell(values[d]) if d < n else None
    nace = _cell(values[c]) if c is not None and c < n else None
    return InRow(line, rid or "", desc, nace, None if rid else _EMPTY_ID)


def _read_csv(path: Path) -> Iterator[InRow]:
    # surrogateescape keeps undecodable bytes as lone surrogates, so that only the row holding
    # them fails (the text check rejects them) instead of the whole file.
    with path.open("rb") as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise BatchFileError(path, Text(da="filen er tom", en="the file is empty"))
            cols = _header(path, list(header))
            width = len(header)
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                row = _make_row(line, cols, values)
                # Fewer fields is fine (a trailing optional column left off); more is not.
                if len(values) > width and row.problem is None:
                    row = InRow(
                        line,
                        row.id,
                        row.description,
                        row.nace,
                        Text(
                            da=f"rækken har {len(values)} felter, overskriften {width}",
                            en=f"the row has {len(values)} fields, the header {width}",
                        ),
                    )
                yield row
        except csv.Error as exc:
            raise BatchFileError(
                path,
                Text(da=f"ugyldig CSV: {exc}", en=f"malformed CSV: {exc}"),
                line=reader.line_num,
            ) from exc


def _read_xlsx(path: Path) -> Iterator[InRow]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise BatchFileError(
            path, Text(da=f"kan ikke læse XLSX: {exc}", en=f"cannot read XLSX: {exc}")
        ) from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise BatchFileError(path, Text(da="arket er tomt", en="the sheet is empty"))
        cols = _header(path, list(header))
        for line, values in enumerate(rows, start=2):
            if all(v is None for v in values):
                continue
            yield _make_row(line, cols, list(values))
    finally:
        wb.close()


def _read_parquet(path: Path) -> Iterator[InRow]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise BatchFileError(
            path, Text(da=f"kan ikke læse Parquet: {exc}", en=f"cannot read Parquet: {exc}")
        ) from exc
    names = list(pf.schema_arrow.names)
    cols = _header(path, list(names))
    wanted = [names[cols[c]] for c in ("id", "description", "nace") if c in cols]
    present = [c for c in ("id", "description", "nace") if c in cols]
    index: dict[str, int] = {c: i for i, c in enumerate(present)}
    line = 1
    for batch in pf.iter_batches(batch_size=CHUNK, columns=wanted):
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for values in zip(*columns, strict=True):
            line += 1
            yield _make_row(line, index, list(values))


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


def read_rows(path: Path) -> Iterator[InRow]:
    """Rows of ``path`` by its suffix: .csv, .xlsx or .parquet."""
    if not path.is_file():
        raise BatchFileError(path, Text(da="filen findes ikke", en="the file does not exist"))
    kind = SUFFIXES.get(path.suffix.lower())
    if kind == "csv":
        return _read_csv(path)
    if kind == "xlsx":
        return _read_xlsx(path)
    if kind == "parquet":
        return _read_parquet(path)
    raise BatchFileError(
        path,
        Text(
            da=f"ukendt filtype {path.suffix!r}: brug .csv, .xlsx eller .parquet",
            en=f"unknown file type {path.suffix!r}: use .csv, .xlsx or .parquet",
        ),
    )


def output_row(row: InRow, answer: RowAnswer | RoutingInputError | Text, lang: str) -> list[str]:
    """One output line: best cluster (or ``none`` / ``no-cluster:<area>``), two runners-up."""
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
    src: Path,
    dst: Path,
    on: date | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
    router: Router | None = None,
    chunk: int = CHUNK,
) -> BatchSummary:
    """Route every row of ``src`` into CSV ``dst``; return counts for the summary table."""
    if dst.suffix.lower() != ".csv":
        raise BatchFileError(
            dst,
            Text(
                da="uddata skrives som CSV: giv en fil der ender på .csv",
                en="output is written as CSV: give a file ending in .csv",
            ),
        )
    router = router or get_router()
    rows = read_rows(src)
    # Read the header (and first row) before creating the output, so a file that cannot be read
    # leaves nothing half-written behind.
    first_row = next(rows, None)
    total = count_rows(src) if progress is not None else None
    summary = BatchSummary()
    out_lang = lang or "en"
    with dst.open("w", encoding="utf-8", newline="") as fh:
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
                    else:
                        summary.no_cluster_for_area += 1
                    summary.per_cluster[label] += 1
                else:
                    summary.errors += 1
            buffer.clear()
            if progress is not None:
                progress(summary.rows, total)

        for row in itertools.chain([first_row] if first_row is not None else [], rows):
            buffer.append(row)
            if len(buffer) >= chunk:
                flush()
        if buffer:
            flush()
    return summary
