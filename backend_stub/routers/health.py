"""Liveness of the stub."""

from __future__ import annotations

from fastapi import APIRouter

from backend_stub.deps import NowDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(now: NowDep) -> dict[str, str]:
    """The stub answers and knows the time."""
    return {"status": "ok", "time": now.isoformat()}
