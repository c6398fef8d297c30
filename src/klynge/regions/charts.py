"""Charts for reports and the web layer: SVG or PNG, labels in Danish or English.

Uses matplotlib's object API (``Figure``) rather than pyplot, so no global state or display
backend is involved and charts can be drawn from a server thread.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from klynge.i18n import pick
from klynge.regions.ecosystems import ShareRow, ecosystem_label
from klynge.regions.errors import RegionsDataError
from klynge.regions.organisations import UNKNOWN, RegionCount

FORMATS = (".svg", ".png")


def chart_format(path: str | Path) -> str:
    """'svg' or 'png' from a file name; anything else is refused."""
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise RegionsDataError(
            f"{p}: diagrammer gemmes som .svg eller .png",
            f"{p}: charts are saved as .svg or .png",
        )
    return p.suffix.lower()[1:]


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes, for a file, a download or a web page."""
    if "." + fmt not in FORMATS:
        raise RegionsDataError(
            f"ukendt diagramformat {fmt!r}: brug svg eller png",
            f"unknown chart format {fmt!r}: use svg or png",
        )
    meta = {"Date": None} if fmt == "svg" else {}
    buf = io.BytesIO()
    # Text stays text in SVG, so that a browser can search, copy and translate the labels.
    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format=fmt, bbox_inches="tight", dpi=150, metadata=meta)
    return buf.getvalue()


def _save(fig: Figure, path: str | Path) -> Path:
    p = Path(path)
    data = render(fig, chart_format(p))
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def ecosystem_chart(
    rows: Sequence[ShareRow],
    path: str | Path,
    lang: str | None,
    country: str = "DK",
    reference: str = "EU27",
    note: str | None = None,
) -> Path:
    """Graph 1: each ecosystem's share of employment, country beside the reference.

    ``note`` goes under the axis: the shares rest on a NACE → ecosystem mapping, and a reader of
    the picture alone should learn which (the bundled one is approximate).
    """
    return _save(ecosystem_figure(rows, lang, country, reference, note), path)


def ecosystem_figure(
    rows: Sequence[ShareRow],
    lang: str | None,
    country: str = "DK",
    reference: str = "EU27",
    note: str | None = None,
) -> Figure:
    """Graph 1 as a figure; :func:`render` turns it into bytes."""
    fig = Figure(figsize=(8, 0.45 * len(rows) + 1.5))
    ax = fig.add_subplot()
    ordered = list(rows)[::-1]  # largest at the top
    ys = range(len(ordered))
    h = 0.38
    ax.barh([y + h / 2 for y in ys], [r.country * 100 for r in ordered], h, label=country)
    ax.barh([y - h / 2 for y in ys], [r.reference * 100 for r in ordered], h, label=reference)
    ax.set_yticks(list(ys), [ecosystem_label(r.ecosystem, lang) for r in ordered])
    ax.set_xlabel(pick(lang, "Andel af beskæftigelsen (%)", "Share of employment (%)"))
    ax.set_title(pick(lang, "Beskæftigelse i økosystemerne", "Employment in the ecosystems"))
    ax.legend(loc="lower right")
    if note:
        fig.text(0.01, 0.0, textwrap.fill(note, 120), fontsize=7, va="top")
    return fig


def organisations_chart(
    counts: Sequence[RegionCount],
    path: str | Path,
    lang: str | None,
    names: Mapping[str, str] | None = None,
    on: date | None = None,
    note: str | None = None,
) -> Path:
    """Graph 2: cluster organisations per NUTS 2 region, unknown headquarters shown apart.

    The date goes in the title and ``note`` under the axis, because a count on a day whose list of
    organisations the sources do not give would otherwise look like a real count.
    """
    return _save(organisations_figure(counts, lang, names, on, note), path)


def organisations_figure(
    counts: Sequence[RegionCount],
    lang: str | None,
    names: Mapping[str, str] | None,
    on: date | None,
    note: str | None,
) -> Figure:
    fig = Figure(figsize=(8, 4))
    ax = fig.add_subplot()
    labels = [
        pick(lang, "Ukendt", "Unknown")
        if c.region == UNKNOWN
        else (names or {}).get(c.region, c.region)
        for c in counts
    ]
    colours = ["#bbbbbb" if c.region == UNKNOWN else "#1f77b4" for c in counts]
    bars = ax.bar(labels, [c.count for c in counts], color=colours)
    ax.bar_label(bars)  # so that a region with none shows a 0, not an empty slot
    ax.margins(y=0.1)
    ax.set_ylabel(pick(lang, "Klyngeorganisationer", "Cluster organisations"))
    title = pick(lang, "Klyngeorganisationer pr. region", "Cluster organisations per region")
    ax.set_title(f"{title} ({on.isoformat()})" if on else title)
    if note:
        fig.subplots_adjust(bottom=0.34)
        fig.text(0.01, 0.01, textwrap.fill(note, 150), fontsize=7, va="bottom")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Slanted labels are anchored at their right end, under their own bar; centred, a long name
    # drifts left and sits under the bar before it.
    for tick in ax.get_xticklabels():
        tick.set_rotation(20)
        tick.set_horizontalalignment("right")
        tick.set_rotation_mode("anchor")
    return fig
