"""API routes for the registry capability: parse, call `klynge.services.registry`, render."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["registry"])
