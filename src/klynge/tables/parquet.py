"""Parquet through pyarrow, in record batches (imported only when a Parquet file is read)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from klynge.i18n import Text
from klynge.tables.rows import Rows, TableError, cells_to_row, normalise_name

BATCH = 4096


def _empty(v: Any) -> bool:
    return v is None or (type(v) is str and not v.strip())


def read_parquet(data: Any, name: str, normalise: bool) -> Rows:
    """Rows of a Parquet file (path or bytes); row 1 is the header, as in a spreadsheet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise TableError(
            Text(da=f"ikke en læsbar Parquet-fil: {exc}", en=f"not a readable Parquet file: {exc}"),
            file=name,
            code="unreadable-parquet",
        ) from None
    names = list(pf.schema_arrow.names)
    header = [normalise_name(n) if normalise else n for n in names]

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        row_no = 1
        try:
            for batch in pf.iter_batches(batch_size=BATCH):
                columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                for values in zip(*columns, strict=True):
                    row_no += 1
                    row = cells_to_row(header, list(values), _empty)
                    if row is not None:
                        yield row_no, row
        except (pa.ArrowException, OSError) as exc:
            raise TableError(
                Text(
                    da=f"Parquet-filen er beskadiget: {exc}",
                    en=f"the Parquet file is damaged: {exc}",
                ),
                file=name,
                row=row_no + 1,
                code="unreadable-parquet",
            ) from None

    return Rows(name=name, format="parquet", header=header, _rows=rows(), _close=pf.close)
