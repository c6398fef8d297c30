"""The whole landscape as one plain, bilingual, versioned document for other programs."""

from __future__ import annotations

from typing import Any

from klynge import __version__
from klynge.landscape.landscape import Landscape


def landscape_document(ls: Landscape) -> dict[str, Any]:
    """Every record with both languages, keyed by kind, in a stable order."""
    return {
        "klynge_version": __version__,
        "regions": [r.model_dump(mode="json") for r in ls.regions.values()],
        "municipalities": [
            {**m.model_dump(mode="json"), "nuts2": m.nuts2, "part": m.part}
            for m in ls.municipalities.values()
        ],
        "areas": [a.model_dump(mode="json") for a in ls.areas.values()],
        "clusters": [c.model_dump(mode="json") for c in ls.clusters.values()],
        "programmes": [p.model_dump(mode="json") for p in ls.programmes.values()],
        "policy_history": [p.model_dump(mode="json") for p in ls.policy_history],
        "focal_points": [f.model_dump(mode="json") for f in ls.focal_points],
        "geography_claims": [g.model_dump(mode="json") for g in ls.geography_claims],
    }
