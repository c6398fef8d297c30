"""CSV (and tab-separated text) in any encoding Danish offices produce, streamed in flat memory.

Encodings: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's
"Unicode text"; without one it is recognised by its zero bytes) and Windows-1252 / Latin-1.

UTF-8 is decoded block by block and, where a block is not valid UTF-8, line by line: a line that
is not UTF-8 is decoded as Windows-1252 (Latin-1 for the five bytes Windows-1252 leaves
undefined). So one stray Latin-1 byte in a UTF-8 file changes that one row, never the rest of
the file, and the row is named in a warning. A file whose only non-ASCII text is not UTF-8 is a
Windows-1252 file and gets one note instead of a warning per row.

The delimiter (``,``, ``;`` or tab) is read from the header line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from klynge.errors import Location
from klynge.i18n import Text
from klynge.tables.rows import MAX_LISTED, ROW_PROBLEM, Rows, TableError, TableWarning, cells_to_row
from klynge.tables.rows import normalise_name as _normalise

BLOCK = 1 << 20
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}
_DELIMITER_NAMES_DA = {",": "','", ";": "';'", "\t": "tabulator"}


@dataclass
class _Decoding:
    """What the line decoder saw: bad physical lines waiting for their row, and totals."""

    utf8_text: bool = False  # some non-ASCII text was valid UTF-8
    latin1: bool = False  # some line had a byte Windows-1252 leaves undefined
    nul: bool = False  # some line had a NUL character: binary data, not text
    pending: list[int] = field(default_factory=list)  # physical line numbers, not yet placed
    bad_rows: list[int] = field(default_factory=list)  # spreadsheet rows not valid UTF-8


def _legacy(line: bytes, state: _Decoding) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        state.latin1 = True
        return line.decode("latin-1")


def _utf8_lines(blocks: Iterator[bytes], state: _Decoding) -> Iterator[str]:
    """Lines (ending in ``\\n``) decoded as UTF-8, or one by one as Windows-1252 where not."""
    counter = [0]
    rest = b""
    for block in blocks:
        buf = rest + block
        cut = buf.rfind(b"\n") + 1
        if cut == 0:
            rest = buf
            continue
        rest = buf[cut:]
        yield from _decode_chunk(buf[:cut], state, counter)
    if rest:
        yield from _decode_chunk(rest, state, counter)


def _decode_chunk(chunk: bytes, state: _Decoding, counter: list[int]) -> Iterator[str]:
    if b"\0" in chunk:
        state.nul = True
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        for raw in chunk.splitlines(keepends=True):
            counter[0] += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                state.pending.append(counter[0])
                line = _legacy(raw, state)
            else:
                if not state.utf8_text and not line.isascii():
                    state.utf8_text = True
            yield line
        return
    if not state.utf8_text and not text.isascii():
        state.utf8_text = True
    lines = text.split("\n")
    last = lines.pop()  # empty when the chunk ends in "\n"
    counter[0] += len(lines)
    for line in lines:
        yield line + "\n"
    if last:
        counter[0] += 1
        yield last


def _sniff(header: str) -> str:
    """The delimiter the header line uses most, outside quotes; ',' for a one-column header."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _broken(name: str, row: int, exc: csv.Error) -> TableError:
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit()
        text = Text(
            da=f"en celle er længere end {limit:_} tegn; ".replace("_", ".")
            + "ofte er et anførselstegn ikke lukket",
            en=f"a cell is longer than {limit:,} characters; often a quote is not closed",
        )
    elif "unexpected end of data" in str(exc) or "EOF" in str(exc):
        text = Text(
            da="filen slutter midt i en celle: et anførselstegn er ikke lukket, "
            "eller filen er afkortet",
            en="the file ends inside a cell: a quote is not closed, or the file is truncated",
        )
    else:
        text = Text(
            da=f"rækken kan ikke læses som CSV: {exc}", en=f"the row is not valid CSV: {exc}"
        )
    return TableError(text, file=name, row=row, code="broken-csv")


def _utf16_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return "utf-16-be"
    return None


def read_csv(raw: IO[bytes], head: bytes, name: str, close: Any, normalise: bool = True) -> Rows:
    """Rows of a CSV stream; ``head`` is what was already read from ``raw`` (for sniffing)."""
    state = _Decoding()
    utf16 = _utf16_encoding(head)
    notes: list[Text] = []
    if utf16 is not None:
        wrapper = io.TextIOWrapper(
            io.BufferedReader(_Prefixed(head, raw)), encoding=utf16, errors="strict", newline=""
        )
        lines: Iterator[str] = iter(wrapper)
        encoding = "utf-16"
        notes.append(
            Text(
                da="filen er UTF-16 (Excels 'Unicode-tekst'); den blev læst som UTF-16",
                en="the file is UTF-16 (Excel's 'Unicode text'); it was read as UTF-16",
            )
        )
    else:
        _refuse_binary(head, name, close)
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        blocks = itertools.chain([head], iter(lambda: raw.read(BLOCK), b""))
        lines = _utf8_lines(blocks, state)
        encoding = "utf-8"
    try:
        first = next(lines, None)
        while first is not None and not first.strip():  # blank lines above the header
            first = next(lines, None)
    except UnicodeDecodeError as exc:
        close()
        raise _not_utf16(name, exc) from None
    if first is None:
        close()
        raise TableError(
            Text(da="filen er tom: ingen overskriftsrække", en="the file is empty: no header row"),
            file=name,
            row=1,
            code="empty-table",
        )
    delimiter = _sniff(first)
    if delimiter != ",":
        notes.append(
            Text(
                da=f"kolonnerne er adskilt med {_DELIMITER_NAMES_DA[delimiter]}",
                en=f"columns are separated by {_DELIMITER_NAMES[delimiter]}",
            )
        )
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    try:
        header = [_normalise(c) if normalise else c.lstrip("\ufeff") for c in next(reader)]
    except csv.Error as exc:
        close()
        raise _broken(name, 1, exc) from None
    except UnicodeDecodeError as exc:
        close()
        raise _not_utf16(name, exc) from None
    if state.pending:
        state.pending.clear()
        state.bad_rows.append(1)
    if "\0" in first:
        close()
        raise _binary(name, 1)
    empty = _blank

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        row_no = 1
        while True:
            row_no += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _broken(name, row_no, exc) from None
            except UnicodeDecodeError as exc:
                raise _not_utf16(name, exc, row_no) from None
            except (OSError, EOFError) as exc:  # a compressed file cut short, a vanished mount
                raise TableError(
                    Text(
                        da=f"filen kan ikke læses til ende; beskadiget eller afkortet: {exc}",
                        en=f"the file cannot be read to the end; damaged or truncated: {exc}",
                    ),
                    file=name,
                    row=row_no,
                    code="unreadable-file",
                ) from None
            if state.pending:
                state.pending.clear()
                state.bad_rows.append(row_no)
            row = cells_to_row(header, values, empty)
            if row is not None:
                if state.nul and any("\0" in v for v in values):
                    row[ROW_PROBLEM] = _BINARY
                yield row_no, row

    def file_notes() -> list[Text]:
        out = list(notes)
        legacy = Text(
            da="Windows-1252 (Latin-1)" if not state.latin1 else "Latin-1 (ISO-8859-1)",
            en="Windows-1252 (Latin-1)" if not state.latin1 else "Latin-1 (ISO-8859-1)",
        )
        if state.bad_rows and not state.utf8_text:
            out.insert(
                0,
                Text(
                    da=f"filen er ikke UTF-8; den blev læst som {legacy.da}",
                    en=f"the file is not UTF-8; it was read as {legacy.en}",
                ),
            )
        elif state.bad_rows:
            n = len(state.bad_rows)
            listed = ", ".join(str(r) for r in state.bad_rows[:MAX_LISTED])
            more = n - MAX_LISTED
            out.insert(
                0,
                Text(
                    da=f"filen er UTF-8, men {n} række(r) er ikke ({listed}"
                    + (f" og {more} flere" if more > 0 else "")
                    + f"); de blev læst som {legacy.da}: kontrollér æ, ø og å i dem",
                    en=f"the file is UTF-8 but {n} row(s) are not ({listed}"
                    + (f" and {more} more" if more > 0 else "")
                    + f"); they were read as {legacy.en}: check æ, ø and å in them",
                ),
            )
        return out

    def row_warnings() -> list[TableWarning]:
        if not state.utf8_text:
            return []
        return [
            TableWarning(
                Text(
                    da="rækken er ikke gyldig UTF-8; den blev læst som Windows-1252",
                    en="the row is not valid UTF-8; it was read as Windows-1252",
                ),
                Location(file=name, row=r),
            )
            for r in state.bad_rows
        ]

    def encoding_now() -> str:
        if encoding == "utf-8" and state.bad_rows and not state.utf8_text:
            return "latin-1" if state.latin1 else "cp1252"
        return encoding

    return Rows(
        name=name,
        format="csv",
        header=header,
        _rows=rows(),
        _encoding=encoding_now,
        delimiter=delimiter,
        _notes=file_notes,
        _warnings=row_warnings,
        _close=close,
    )


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _refuse_binary(head: bytes, name: str, close: Any) -> None:
    """Refuse a file that is plainly not text: an old .xls workbook, a picture, a zip."""
    if head.startswith(_OLE_MAGIC):
        close()
        raise TableError(
            Text(
                da="filen er i Excels gamle .xls-format: gem den som .xlsx eller CSV UTF-8",
                en="the file is in Excel's old .xls format: save it as .xlsx or CSV UTF-8",
            ),
            file=name,
            code="not-text",
        )
    controls = len(head) - len(head.translate(None, _CONTROL))
    if controls >= 8 and controls > len(head) * 0.05:
        close()
        raise TableError(
            Text(
                da="filen er ikke tekst (CSV): den indeholder binære data",
                en="the file is not text (CSV): it contains binary data",
            ),
            file=name,
            code="not-text",
        )


_BINARY = Text(
    da="rækken indeholder binære data (nul-bytes): filen er beskadiget her",
    en="the row contains binary data (NUL bytes): the file is damaged here",
)


def _binary(name: str, row: int) -> TableError:
    return TableError(
        Text(
            da="overskriften indeholder binære data (nul-bytes): filen er ikke tekst (CSV)",
            en="the header contains binary data (NUL bytes): the file is not text (CSV)",
        ),
        file=name,
        row=row,
        code="not-text",
    )


def _blank(v: str) -> bool:
    return not v.strip()


def _not_utf16(name: str, exc: UnicodeDecodeError, row: int | None = None) -> TableError:
    return TableError(
        Text(
            da="filen begynder som UTF-16, men kan ikke læses som UTF-16 (afkortet eller blandet "
            "tegnsæt): gem den igen som 'CSV UTF-8'",
            en="the file starts as UTF-16 but cannot be read as UTF-16 (truncated or mixed "
            "encodings): save it again as 'CSV UTF-8'",
        ),
        file=name,
        row=row,
        code="bad-encoding",
    )


class _Prefixed(io.RawIOBase):
    """A binary stream that first gives back bytes already read from it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        view = memoryview(b)
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
