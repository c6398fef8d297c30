"""The checkable facts of each record, as keys a source in ``sources.toml`` can say it supports.

A key names a record and one fact of it: ``marlog:office:Rønne``, ``made:event:reappointed``,
``innovationskraft-2021-2024:budget``. :func:`unsupported` lists every fact that no source in the
record's own source list supports, so that a test can insist on none (see
``tests/landscape/test_sources.py``). Facts are checked against the sources a record cites:

* a cluster's headquarters, offices (with their notes), website, full name, aliases and note
  against the cluster's ``sources``; a term also against its programme's ``sources``; an event
  against the event's own ``sources``;
* a programme's name, dates, budget, count, appointment day, policy focus and note against the
  programme's ``sources``; each funder and evaluation against its own ``sources``;
* a policy period and a geography claim against their own ``sources``.

A note that only says what the sources do not give ("The sources do not give the
headquarters.") states no fact and is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from klynge.landscape.landscape import Landscape
from klynge.landscape.model import Cluster, Programme, Text


@dataclass(frozen=True)
class Fact:
    key: str
    sources: tuple[str, ...]
    where: str


def _states_something(note: Text | None) -> bool:
    return note is not None and not note.en.startswith("The sources do not give")


def cluster_facts(ls: Landscape, c: Cluster) -> Iterator[Fact]:
    own = tuple(c.sources)
    where = f"clusters/{c.slug}.toml"
    hq = c.headquarters
    if hq is not None:
        yield Fact(f"{c.slug}:hq:{hq.town}", own, where)
        if hq.note is not None:
            yield Fact(f"{c.slug}:hq-note", own, where)
    for o in c.offices:
        yield Fact(f"{c.slug}:office:{o.town}", own, where)
        if o.note is not None:
            yield Fact(f"{c.slug}:office-note:{o.town}", own, where)
    if c.website is not None:
        yield Fact(f"{c.slug}:website", own, where)
    if c.full_name is not None and c.full_name.en != c.name:
        yield Fact(f"{c.slug}:full-name", own, where)
    for alias in c.aliases:
        yield Fact(f"{c.slug}:alias:{alias}", own, where)
    if _states_something(c.note):
        yield Fact(f"{c.slug}:note", own, where)
    for t in c.terms:
        prog = ls.programmes.get(t.programme or "")
        extra = tuple(prog.sources) if prog is not None else ()
        yield Fact(f"{c.slug}:term:{t.start_text}", own + extra, where)
    for e in c.events:
        yield Fact(f"{c.slug}:event:{e.kind}", tuple(e.sources), where)


def programme_facts(p: Programme) -> Iterator[Fact]:
    own = tuple(p.sources)
    where = f"programmes/{p.slug}.toml"
    yield Fact(f"{p.slug}:name", own, where)
    yield Fact(f"{p.slug}:dates", own, where)
    if p.budget_dkk_million is not None:
        yield Fact(f"{p.slug}:budget", own, where)
    if p.organisations_funded is not None:
        yield Fact(f"{p.slug}:organisations", own, where)
    if p.appointed_on is not None:
        yield Fact(f"{p.slug}:appointed", own, where)
    if p.policy_focus is not None:
        yield Fact(f"{p.slug}:policy-focus", own, where)
    if _states_something(p.note):
        yield Fact(f"{p.slug}:note", own, where)
    for f in p.funders:
        yield Fact(f"{p.slug}:funders", tuple(f.sources), where)
    for ev in p.evaluations:
        yield Fact(f"{p.slug}:evaluation", tuple(ev.sources), where)


def all_facts(ls: Landscape) -> Iterator[Fact]:
    for c in ls.clusters.values():
        yield from cluster_facts(ls, c)
    for p in ls.programmes.values():
        yield from programme_facts(p)
    for pp in ls.policy_history:
        yield Fact(f"policy:{pp.start_year}", tuple(pp.sources), "policy_history.toml")
    for g in ls.geography_claims:
        yield Fact(f"geography:{g.on.isoformat()}", tuple(g.sources), "geography.toml")


def unsupported(ls: Landscape) -> list[Fact]:
    """Every fact that no source in its own source list says it supports."""
    return [
        f
        for f in all_facts(ls)
        if not any(f.key in ls.sources[ref].supports for ref in f.sources if ref in ls.sources)
    ]
