"""Routing: from a company description or industry code to its cluster (see docs/routing.md).

``route`` and friends load lazily, so importing a submodule (the text helpers, say) does not load
the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klynge.routing.router import ClusterHit, Router, RoutingResult, get_router, route
    from klynge.routing.text import RoutingInputError

__all__ = ["ClusterHit", "Router", "RoutingInputError", "RoutingResult", "get_router", "route"]


def __getattr__(name: str) -> Any:
    if name == "RoutingInputError":
        from klynge.routing import text

        return text.RoutingInputError
    if name in __all__:
        from klynge.routing import router

        return getattr(router, name)
    raise AttributeError(name)
