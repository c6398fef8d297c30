"""Check a cluster organisation against the four focal points, as far as the landscape data can.

Only the first focal point (one organisation per area) is decidable from the landscape alone.
The others need facts about the organisation's governance, openness and co-financing, which live
in the registry; they are reported as not decidable here rather than assumed to hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from klynge.i18n import Text
from klynge.landscape.landscape import Landscape
from klynge.landscape.model import FocalPoint

Outcome = Literal["met", "not-met", "not-decidable"]


@dataclass(frozen=True)
class FocalPointCheck:
    focal_point: FocalPoint
    outcome: Outcome
    reason: Text


_MET = Text(
    da="Eneste nationale klyngeorganisation på sit område den {on}.",
    en="The only national cluster organisation in its area on {on}.",
)
_NOT_MET = Text(
    da="Var ikke områdets nationale klyngeorganisation den {on}.",
    en="Was not the area's national cluster organisation on {on}.",
)
_UNKNOWN_DAY = Text(
    da="Data kan ikke sige, hvem der havde området den {on}.",
    en="The records cannot say who held the area on {on}.",
)
_NOT_DECIDABLE = Text(
    da="Kan ikke afgøres ud fra landskabsdata; kræver oplysninger fra klyngens register.",
    en="Cannot be decided from the landscape data; needs facts from the cluster's registry.",
)


def _dated(t: Text, on: date) -> Text:
    from klynge.landscape import fmt  # Babel loads only when a date is worded

    return Text(da=t.da.format(on=fmt.day(on, "da")), en=t.en.format(on=fmt.day(on, "en")))


def check_cluster(ls: Landscape, slug: str, on: date) -> list[FocalPointCheck]:
    cluster = ls.clusters[slug]
    out: list[FocalPointCheck] = []
    for fp in ls.focal_points:
        if fp.slug == "one-national-organisation":
            holder = ls.cluster_for_area(cluster.area, on)
            if holder is not None and holder.slug == slug:
                out.append(FocalPointCheck(fp, "met", _dated(_MET, on)))
            elif holder is None and ls.area_status(cluster.area, on).state == "unknown":
                out.append(FocalPointCheck(fp, "not-decidable", _dated(_UNKNOWN_DAY, on)))
            else:
                out.append(FocalPointCheck(fp, "not-met", _dated(_NOT_MET, on)))
        else:
            out.append(FocalPointCheck(fp, "not-decidable", _NOT_DECIDABLE))
    return out
