"""Session 11 probe of the first stage (development sets only; nothing ships from it).

Two questions, on the requests of the development writers that have true partners:

* ``--errors``: how recall@10 is lost. For each request: is the first partner listed a true one,
  how many true partners reach the top 10, and where the missed ones are (ranks 11-20, lower,
  not listed). It shows whether the recommender fails by finding the wrong kind of partner
  altogether or by finding only some of the right ones.
* ``--weights``: does reading the request's clauses apart help? A request often puts its
  context first and its ask last ("Skal lave et MUDP-projekt med et slagteri og har brug for
  hjælp til ansøgningen"), and one vector for the whole request leans on the topic. Each clause
  (split at sentence marks, commas, "og/and/men/but" and dashes; two words or more) is embedded
  as a ``query:``, centred by its language's mean over the pool's requests and mapped as the
  request is; the term is the candidates' standardised best similarity over the clauses,
  added to the score with a weight. ``max`` reads every clause, ``ask`` only those with an ask
  verb (søger, mangler, har brug for, looking for, need ...).

First stage only (``Weights(reranked=False)``), the shipped map, the same run for every weight.
Run from the repository root (embeds every text of the sets named; minutes a set):
``PYTHONPATH=src .venv/bin/python training/matchmaking/clause_probe.py --sets dev9,dev10
--weights 0.3:ask,0.5:max [--errors]``
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "src"), str(REPO / "benchmarks")]

from eval_matchmaking import SETS, load, profile  # noqa: E402
from klynge.matchmaking import guess  # noqa: E402
from klynge.matchmaking import recommend as rec  # noqa: E402
from klynge.matchmaking.recommend import Index, Weights  # noqa: E402

SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+|,\s+|\s+(?:og|men|samt|and|but|so)\s+|\s+-\s+", re.I)
ASK = re.compile(
    r"\b(søger|mangler|leder efter|har brug for|brug for|skal bruge|vil gerne have|ønsker|"
    r"efterlyser|looking for|seeking|seek|needs?|wants?|requires?)\b",
    re.I,
)
#: The probe's setting, read by the patched method below (one process measures several).
SETTING: dict[str, Any] = {"weight": 0.0, "mode": "max"}


def clauses(text: str) -> list[str]:
    """The request's clauses, or nothing when it has only one."""
    parts = [c.strip() for c in SPLIT.split(text) if c and len(c.strip().split()) >= 2]
    return parts if len(parts) > 1 else []


_original = Index._meaning_terms


def _with_clauses(self: Index, me: Any, w: Weights, day: Any) -> Any:
    t = _original(self, me, w, day)
    weight, mode = SETTING["weight"], SETTING["mode"]
    if t is None or weight == 0:
        return t
    found = clauses(me.profile.seeks or "")
    if mode == "ask":
        found = [c for c in found if ASK.search(c)]
    if not found:
        return t
    means = getattr(self, "_probe_means", None)
    if means is None:
        seeks = guess.vectors([e.profile.seeks or "-" for e in self.entries], "query")
        langs = np.array([e.language for e in self.entries])
        means = rec._language_means(seeks, langs)
        self._probe_means = means  # type: ignore[attr-defined]
    v = guess.vectors(found, "query")
    if me.language in means:
        v = v - means[me.language]
    v = rec._unit(v)
    mapping = self.meaning_map if self.meaning_map is not None else rec.meaning_map()
    if w.learned and mapping is not None:
        v = rec._unit(v @ mapping)
    offers = self._vectors[2]
    term = rec._standard((offers[np.array(t.rows)] @ v.T).max(axis=1))
    return dataclasses.replace(t, score=t.score + weight * term)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="dev9,dev10")
    ap.add_argument("--weights", default="", help="WEIGHT:MODE,... (MODE max or ask)")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    Index._meaning_terms = _with_clauses  # type: ignore[method-assign]
    configs = [(0.0, "max")] + [
        (float(c.split(":")[0]), c.split(":")[1]) for c in args.weights.split(",") if c
    ]
    for name in args.sets.split(","):
        rows, relevant = load(SETS[name])
        index = Index.build([profile(r) for r in rows], weights=Weights(reranked=False))
        capability = {r["id"]: r["offer_capability"] for r in rows}
        for weight, mode in configs:
            SETTING.update(weight=weight, mode=mode)
            recall: list[float] = []
            tally: collections.Counter[str] = collections.Counter()
            when_first_right: list[float] = []
            for r in rows:
                rel = relevant.get(r["id"])
                if not rel:
                    continue
                order = [str(x.profile.id) for x in index.recommend(r["id"], limit=len(rows))]
                hits = len(rel & set(order[:10]))
                recall.append(hits / len(rel))
                if not args.errors or weight:
                    continue
                right = bool(order) and order[0] in rel
                tally["requests"] += 1
                tally["first right"] += right
                if right:
                    when_first_right.append(hits / len(rel))
                found = "all" if hits == len(rel) else "none" if not hits else "some"
                tally[f"{found} found"] += 1
                for x in rel - set(order[:10]):
                    at = order.index(x) if x in order else -1
                    where = "not listed" if at < 0 else "11-20" if at < 20 else "21+"
                    tally[f"missed, {where}"] += 1
                wrong = collections.Counter(capability[x] for x in order[:10] if x not in rel)
                tally["largest wrong group in top 10 (sum)"] += max(wrong.values(), default=0)
            print(f"{name} weight {weight} {mode}: recall@10 {np.mean(recall):.4f}", flush=True)
            if tally:
                first = np.mean(when_first_right)
                print("   ", dict(tally), f"recall@10 when the first is right {first:.4f}")


if __name__ == "__main__":
    main()
