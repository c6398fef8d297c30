"""The web's name for the shared map (:mod:`klynge.maps.svg`), which the factsheet also draws."""

from __future__ import annotations

from klynge.maps.svg import MAP_DIR, MapPoint, MapRegion, Shapes, render, shapes

__all__ = ["MAP_DIR", "MapPoint", "MapRegion", "Shapes", "render", "shapes"]
