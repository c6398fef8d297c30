"""The checks on a long table held as arrays: codes into sorted names, years and values.

NumPy only (no polars, no pyarrow), so that a long Parquet file can reach the cube through
:mod:`klynge.regions.parquet` without loading a data-frame library, while every other reader
(:mod:`klynge.regions.readers`) runs the very same checks on the codes of its frame. What is
checked: empty codes, NUTS codes and levels (on the distinct codes, not on every row), negative
values (one vectorised pass) and a cell given twice (no positions at all when the rows are every
cell once in the cube's order; else each row's flat cube position, which must be strictly rising
or, failing that, all different).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from klynge.regions.errors import data_error

# The names a long table's columns go by, in any case (Eurostat's, SDMX's, Danish).
REGION_NAMES = ("region", "geo", "nuts", "nuts_id", "nuts2", "geo\\time", "geo\\time_period")
ACTIVITY_NAMES = ("activity", "nace_r2", "nace", "nace_r1", "sector", "ecosystem")
YEAR_NAMES = ("year", "time", "time_period", "period", "aar", "år")
VALUE_NAMES = ("value", "obs_value", "employment", "persons", "beskaeftigede", "values")
FLAG_NAMES = ("flag", "obs_flag", "flags")


def find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` among ``columns`` (compared in lower case, spaces stripped)."""
    lower = {c.strip().lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


# Countries with NUTS codes or Eurostat's statistical regions: EU, EFTA, the United Kingdom and
# the candidate and neighbouring countries Eurostat publishes regional tables for.
_COUNTRIES = (
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "CH IS LI NO UK AL BA ME MK RS TR XK MD UA GE"
)
NUTS_COUNTRIES = frozenset(_COUNTRIES.split(" "))
_NUTS = re.compile(r"^([A-Z]{2})([0-9A-Z]{0,3})$")
_EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")
_AGGREGATE = re.compile(r"^(EU\d{0,2}(_\d{4})?|EA\d{0,2}(_\d{4})?|EFTA|EEA\d{0,2})$")


def is_extra_regio(code: str) -> bool:
    """Eurostat's Extra-Regio codes (DKZ, DKZZ, DKZZZ): employment no region can be given."""
    return _EXTRA_REGIO.match(code) is not None


def nuts_level(code: str) -> int | None:
    """0 for a country (DK), 1–3 for NUTS 1–3 (DK0, DK01, DK011); None for other codes."""
    m = _NUTS.match(code)
    if m is None or m.group(1) not in NUTS_COUNTRIES:
        return None
    return len(m.group(2))


def is_aggregate_code(code: str) -> bool:
    """EU27_2020, EA20, EFTA and the like: several countries, never a region."""
    return _AGGREGATE.match(code) is not None


@dataclass(frozen=True)
class Cells:
    """Where each row of a long table falls in the cube: the axes and one flat position a row."""

    years: list[int]
    regions: list[str]
    activities: list[str]
    # (year · R + region) · A + activity; -1 for an activity left out; None when the rows are
    # every cell once, in the cube's own order (row i is cell i)
    flat: np.ndarray | None
    ordered: bool = False  # rows in the cube's own order (flat strictly rising): no duplicate
    values: np.ndarray | None = None  # each row's value, NaN where null (as checked)
    flags: tuple[np.ndarray, list[str]] | None = None  # each row's flag code (-1 none), names


def cells_from_codes(
    year: np.ndarray,
    r_codes: np.ndarray,
    regions: list[str],
    a_codes: np.ndarray,
    activities: list[str],
    activity_order: list[str] | None = None,
) -> Cells:
    """Each row's flat cube position from dense codes (codes index the sorted names)."""
    low, high = int(year.min()), int(year.max())
    acts = activity_order if activity_order is not None else activities
    block = len(regions) * len(acts)
    flat: np.ndarray
    if high - low >= 10_000:
        # Years far apart (a Parquet year may be any int32): a table as long as their span
        # would cost memory for every year between (gigabytes for one odd row). Sort instead.
        present, inverse = np.unique(year, return_inverse=True)
        years = [int(y) for y in present]
        size = len(years) * block
        it = np.int32 if size < 2**31 - 1 else np.int64
        flat = inverse.reshape(-1).astype(it)
        flat *= block
        del inverse
    else:
        # Years index a small table directly (no subtracted copy) when they are ordinary years.
        base = 0 if low >= 0 and high < 10_000 else low
        index = year if base == 0 else year.astype(np.int64) - base
        seen = np.zeros(high - base + 1, dtype=bool)
        seen[index] = True
        years = [base + int(i) for i in np.flatnonzero(seen)]
        size = len(years) * block
        it = np.int32 if size < 2**31 - 1 else np.int64
        # Each year's first flat position, so that one gather and two additions give it.
        ylook = np.full(len(seen), -1, dtype=it)
        ylook[np.asarray(years) - base] = np.arange(len(years), dtype=it) * block
        flat = ylook[index]
        del index
    flat += (np.arange(len(regions), dtype=it) * len(acts))[r_codes]
    if activity_order is None:
        flat += a_codes
    else:
        apos = {a: i for i, a in enumerate(activity_order)}
        alook = np.asarray([apos.get(a, -1) for a in activities], dtype=it)
        a_idx = alook[a_codes]
        flat += a_idx
        flat[a_idx < 0] = -1
    return Cells(years, list(regions), list(acts), flat)


def complete_in_order(
    year: np.ndarray, r_codes: np.ndarray, n_r: int, a_codes: np.ndarray, n_a: int
) -> list[int] | None:
    """The years, when the rows are every cell exactly once in the cube's order (year, then
    region, then activity, each sorted): comparisons of small integers, no positions computed.
    None otherwise."""
    n = len(year)
    block = n_r * n_a
    if n == 0 or block == 0 or n % block:
        return None
    n_y = n // block
    firsts = year[::block]
    if n_y > 1 and not bool((firsts[1:] > firsts[:-1]).all()):
        return None
    # A part at a time (whole region rows, about a million cells), so that the comparisons'
    # temporary arrays stay small and are reused rather than fresh memory the size of the file.
    acts = np.arange(n_a, dtype=a_codes.dtype)
    regs = np.arange(n_r, dtype=r_codes.dtype)
    rows = max(1, _PART // n_a)
    for y in range(n_y):
        ys = year[y * block : (y + 1) * block]
        if ys.min() != firsts[y] or ys.max() != firsts[y]:
            return None
        for r in range(0, n_r, rows):
            lo, hi = y * block + r * n_a, y * block + min(r + rows, n_r) * n_a
            if not bool((a_codes[lo:hi].reshape(-1, n_a) == acts).all()):
                return None
            if not bool((r_codes[lo:hi].reshape(-1, n_a) == regs[r : r + rows, None]).all()):
                return None
    return [int(y) for y in firsts]


_PART = 1 << 20


def check_regions(
    regions: list[str], row_of: Callable[[str], tuple[int, str]], source: str
) -> None:
    """Every region code must be NUTS (or an aggregate such as EU27_2020), of one NUTS level."""
    for code in regions:
        if nuts_level(code) is not None or is_aggregate_code(code):
            continue
        upper = code.upper().replace(" ", "")
        if upper != code and (nuts_level(upper) is not None or is_aggregate_code(upper)):
            da = f"{code!r} er skrevet med små bogstaver; NUTS-koder skrives {upper!r}"
            en = f"{code!r} is in lower case; NUTS codes are written {upper!r}"
        elif _NUTS.match(code):
            da = (
                f"{code!r} er ikke en NUTS-kode: {code[:2]!r} er ikke en landekode i NUTS "
                "(fx DK, DE, SE)"
            )
            en = (
                f"{code!r} is not a NUTS code: {code[:2]!r} is not a NUTS country code "
                "(e.g. DK, DE, SE)"
            )
        else:
            da = (
                f"{code!r} er ikke en NUTS-kode (to store bogstaver for landet og op til tre "
                "bogstaver eller cifre, fx DK01); regionsnavne kan ikke bruges"
            )
            en = (
                f"{code!r} is not a NUTS code (two capital letters for the country, then up to "
                "three letters or digits, e.g. DK01); region names cannot be used"
            )
        raise data_error(source, *row_of(code), da, en)
    # Levels: a code that prefixes another is an aggregate of it (DK0 over DK01). What is left
    # must be of one level, or a region would be compared with a part of another region.
    plain = [c for c in regions if nuts_level(c) is not None and not is_extra_regio(c)]
    prefixes = {c[:k] for c in plain for k in range(2, len(c))}
    by_level: dict[int, list[str]] = {}
    for c in plain:
        if c not in prefixes:
            by_level.setdefault(len(c) - 2, []).append(c)
    if len(by_level) > 1:
        levels = sorted(by_level)
        finest = by_level[levels[-1]]
        listed = "; ".join(f"NUTS {lv}: {', '.join(by_level[lv][:6])}" for lv in levels)
        hidden = sorted(c for c in prefixes & set(plain) if any(f.startswith(c) for f in finest))
        hidden = [c for c in hidden if len(c) > 2]
        also_da = f" {', '.join(hidden[:6])} ville blive læst som sum af dem." if hidden else ""
        also_en = f" {', '.join(hidden[:6])} would be read as a sum of them." if hidden else ""
        raise data_error(
            source,
            *row_of(finest[0]),
            f"filen blander NUTS-niveauer ({listed}): en region kan ikke sammenlignes med en "
            f"del af en anden.{also_da} Behold ét niveau i filen.",
            f"the file mixes NUTS levels ({listed}): a region cannot be compared with a part "
            f"of another.{also_en} Keep one level in the file.",
        )


def code_dtype(n: int) -> type[np.signedinteger]:
    """The smallest signed integer that holds codes 0…n-1 and -1."""
    if n < 2**7:
        return np.int8
    if n < 2**15:
        return np.int16
    return np.int32


def first(mask: np.ndarray) -> int:
    """The index of the first True."""
    return int(np.flatnonzero(mask)[0])


# Row i of the table as a person sees it (line, column); and its cell as text for a message.
Origin = Callable[[int, str], tuple[int, str]]
Describe = Callable[[int], tuple[str, str, int, float]]


def check_long(
    source: str,
    r_codes: np.ndarray | None,
    regions: list[str],
    a_codes: np.ndarray | None,
    activities: list[str],
    year: np.ndarray | None,
    vals: np.ndarray,
    origin: Origin,
    describe: Describe,
    *,
    named_column: bool = False,
    in_order: list[int] | None = None,
) -> Cells:
    """Every check on codes and numbers; the rows' places in the cube when they pass.

    ``r_codes`` and ``a_codes`` index the sorted ``regions`` and ``activities``; ``vals`` holds
    NaN where a value is null. ``origin`` turns a row index into the line and column to name,
    ``describe`` into (region, activity, year, value). ``named_column``: name the column of a
    cell given twice (a wide or Eurostat file, where the column is the year or the activity).
    ``in_order``: the years, when the reader has found the rows to be every cell once in the
    cube's order (row i is cell i); the codes and years of the rows may then be None.
    """
    n_a = len(activities)

    def first_row(codes: np.ndarray | None, code: int, step: int) -> int:
        if in_order is not None:
            return code * step  # region r's first row is r · A, activity a's is a
        assert codes is not None
        return first(codes == code)

    for col, names, codes, step in (
        ("region", regions, r_codes, n_a),
        ("activity", activities, a_codes, 1),
    ):
        if "" in names:
            i = first_row(codes, names.index(""), step)
            raise data_error(source, *origin(i, col), "cellen er tom", "the cell is empty")

    def row_of(code: str) -> tuple[int, str]:
        return origin(first_row(r_codes, regions.index(code), n_a), "region")

    check_regions(regions, row_of, source)
    # The smallest value (NaN skipped) first: no array of comparisons unless one is negative.
    with np.errstate(invalid="ignore"):
        negative = bool(vals.size) and bool(np.fmin.reduce(vals) < 0)
    if negative:
        i = first(vals < 0)
        region, activity, yr, value = describe(i)
        raise data_error(
            source,
            *origin(i, "value"),
            f"negativ beskæftigelse {value} for {region}/{activity}/{yr}",
            f"negative employment {value} for {region}/{activity}/{yr}",
        )
    # The largest value (NaN skipped): an infinite figure would pass as an ordinary one.
    infinite = bool(vals.size) and bool(np.isinf(np.fmax.reduce(vals)))
    if infinite:
        i = first(np.isinf(vals))
        region, activity, yr, value = describe(i)
        raise data_error(
            source,
            *origin(i, "value"),
            f"uendelig beskæftigelse ({value}) for {region}/{activity}/{yr}",
            f"infinite employment ({value}) for {region}/{activity}/{yr}",
        )
    if in_order is not None:
        return Cells(list(in_order), list(regions), list(activities), None, ordered=True)
    assert year is not None and r_codes is not None and a_codes is not None
    years = complete_in_order(year, r_codes, len(regions), a_codes, len(activities))
    if years is not None:
        # Every cell once, in the cube's order: no positions to compute, nothing given twice.
        return Cells(years, list(regions), list(activities), None, ordered=True)
    cells = cells_from_codes(year, r_codes, regions, a_codes, activities)
    flat = cells.flat
    assert flat is not None
    # A file in the cube's own order (year, region, activity, as Eurostat and klynge write long
    # files) has strictly rising positions, which rules out a cell given twice in one pass.
    ordered = len(flat) < 2 or bool((flat[1:] > flat[:-1]).all())
    if not ordered:
        size = len(cells.years) * len(cells.regions) * len(cells.activities)
        seen = np.zeros(size, dtype=bool)
        seen[flat] = True
        if int(np.count_nonzero(seen)) != len(flat):
            _raise_duplicate(flat, source, origin, describe, named_column)
        del seen
    return replace(cells, ordered=ordered)


def _raise_duplicate(
    flat: np.ndarray, source: str, origin: Origin, describe: Describe, named_column: bool
) -> None:
    """The second occurrence is the one to name, with the line of the first."""
    order = np.argsort(flat, kind="stable")
    s = flat[order]
    again = order[1:][s[1:] == s[:-1]]
    i = int(again.min())
    earlier = first(flat == flat[i])
    region, activity, yr, _ = describe(i)
    line, column = origin(i, "value")
    before = origin(earlier, "value")[0]
    raise data_error(
        source,
        line,
        column if named_column else None,
        f"cellen {region}/{activity}/{yr} står der allerede (række {before})",
        f"the cell {region}/{activity}/{yr} was already given (row {before})",
    )
