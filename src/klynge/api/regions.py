"""API routes for the regions capability: parse, call `klynge.services.regions`, render."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["regions"])
