"""API routes for the routing capability: parse, call `klynge.services.routing`, render."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["routing"])
