"""API routes for the landscape capability: parse, call `klynge.services.landscape`, render."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["landscape"])
