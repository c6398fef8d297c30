"""Explicit downloads from Eurostat through the ``eurostat`` package (an optional extra).

Nothing here runs unless a user asks for it: ``klynge regions fetch DATASET --output FILE``.
The package is imported only then, so the rest of klynge works without it or a network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from klynge.i18n import Text
from klynge.regions.errors import RegionsDataError
from klynge.regions.readers import SCHEMA, _checked


@dataclass(frozen=True)
class Dataset:
    code: str
    title: Text
    defaults: dict[str, str] = field(default_factory=dict)
    establishments: dict[str, str] | None = None


DATASETS: dict[str, Dataset] = {
    "sbs_r_nuts06_r2": Dataset(
        "sbs_r_nuts06_r2",
        Text(
            da="Strukturel erhvervsstatistik efter NUTS 2 og NACE Rev. 2 (2008-2020)",
            en="Structural business statistics by NUTS 2 and NACE Rev. 2 (2008-2020)",
        ),
        {"indic_sb": "V16110"},
        {"indic_sb": "V11210"},
    ),
    "sbs_r_nuts2021": Dataset(
        "sbs_r_nuts2021",
        Text(
            da="Strukturel erhvervsstatistik efter NUTS 2021 og NACE Rev. 2 (fra 2021)",
            en="Structural business statistics by NUTS 2021 and NACE Rev. 2 (2021 on)",
        ),
        {"indic_sbs": "EMP_LOC_NR"},
        {"indic_sbs": "LOC_NR"},
    ),
    "nama_10r_3empers": Dataset(
        "nama_10r_3empers",
        Text(
            da="Beskæftigelse (personer) efter NUTS 3 og A10-brancher, nationalregnskab",
            en="Employment (persons) by NUTS 3 and A10 industries, national accounts",
        ),
        {"unit": "THS", "wstatus": "EMP"},
    ),
}
_YEAR_VALUE = re.compile(r"^(\d{4})(?:-\d\d)?_value$")


def _package() -> Any:
    try:
        import eurostat
    except ImportError as exc:
        raise RegionsDataError(
            "pakken 'eurostat' er ikke installeret: pip install 'klynge[connectors]'",
            "the 'eurostat' package is not installed: pip install 'klynge[connectors]'",
        ) from exc
    return eurostat


def fetch(
    dataset: str,
    *,
    geo: Sequence[str] | None = None,
    filters: Mapping[str, str] | None = None,
    start: int | None = None,
    end: int | None = None,
    establishments: bool = False,
) -> pl.DataFrame:
    """Download one dataset's employment (or local units) as the long table.

    ``geo`` narrows the download to regions (NUTS codes, e.g. DK01 or just DK for all of
    Denmark's levels are given as they are to the API); ``filters`` override the dataset's
    default dimension values.
    """
    key = dataset.strip().lower()
    if key not in DATASETS:
        raise RegionsDataError(
            f"ukendt datasæt {dataset!r}: brug {', '.join(DATASETS)}",
            f"unknown dataset {dataset!r}: use {', '.join(DATASETS)}",
        )
    ds = DATASETS[key]
    if establishments and ds.establishments is None:
        raise RegionsDataError(
            f"{ds.code} har ingen tal for arbejdssteder",
            f"{ds.code} has no figures for local units",
        )
    chosen = ds.establishments if establishments and ds.establishments else ds.defaults
    pars: dict[str, Any] = dict(chosen)
    pars.update(filters or {})
    if geo:
        pars["geo"] = list(geo)
    if start is not None:
        pars["startPeriod"] = start
    if end is not None:
        pars["endPeriod"] = end
    es = _package()
    try:
        df = es.get_data_df(ds.code, flags=True, filter_pars=pars)
    except RegionsDataError:
        raise
    except Exception as exc:
        raise RegionsDataError(
            f"download af {ds.code} mislykkedes: {exc}",
            f"downloading {ds.code} failed: {exc}",
        ) from exc
    if df is None or len(df) == 0:
        raise RegionsDataError(
            f"{ds.code}: ingen data for filtrene {pars}",
            f"{ds.code}: no data for the filters {pars}",
        )
    return response_to_long(df, ds.code, pars)


def response_to_long(df: Any, source: str, pars: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Turn the package's wide frame (``2018_value``, ``2018_flag``...) into the long table."""
    frame = pl.from_pandas(df) if not isinstance(df, pl.DataFrame) else df
    cols = list(frame.columns)
    geo = next((c for c in cols if c.lower().startswith("geo")), None)
    act = next((c for c in cols if c.lower() == "nace_r2"), None)
    if geo is None or act is None:
        raise RegionsDataError(
            f"{source}: svaret mangler geo eller nace_r2 (kolonner: {', '.join(cols[:8])})",
            f"{source}: the response lacks geo or nace_r2 (columns: {', '.join(cols[:8])})",
        )
    year_cols = [(c, int(m.group(1))) for c in cols if (m := _YEAR_VALUE.match(c))]
    dims = [c for c in cols if c not in (geo, act) and not c.endswith(("_value", "_flag"))]
    for d in dims:
        values = frame[d].unique().to_list()
        if d != "freq" and len(values) > 1:
            raise RegionsDataError(
                f"{source}: dimensionen {d} har flere værdier ({values[:6]}); angiv et filter",
                f"{source}: the dimension {d} has several values ({values[:6]}); add a filter",
            )
    rows: list[tuple[str, str, int, float | None, str | None]] = []
    for rec in frame.iter_rows(named=True):
        for col, year in year_cols:
            value = rec[col]
            flag_col = col[: -len("_value")] + "_flag"
            flag = rec.get(flag_col)
            flag = str(flag).strip() or None if flag is not None else None
            if value is None or value != value:  # None or NaN
                # The package reports a suppressed cell as ': c'; keep the flag as the readers do.
                value, flag = None, (flag or "").lstrip(":").strip() or ":"
            rows.append((str(rec[geo]), str(rec[act]), year, value, flag))
    out = pl.DataFrame(rows, schema=SCHEMA, orient="row")
    return _checked(out, source)


def save(df: pl.DataFrame, path: str | Path) -> Path:
    """Write the long table as CSV or, for a .parquet name, Parquet."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    if p.suffix.lower() in (".parquet", ".pq"):
        df.write_parquet(p)
    else:
        df.write_csv(p)
    return p
