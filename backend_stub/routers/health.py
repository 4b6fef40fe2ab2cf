"""Liveness of the stub."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from backend_stub.deps import NowDep
from backend_stub.errors import answer

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The stub answers, and its clock says this."""

    status: str
    time: datetime


@router.get("/health", response_model=None, responses=answer(Health, "The stub is up."))
def health(now: NowDep) -> dict[str, str]:
    """The stub answers and knows the time."""
    return {"status": "ok", "time": now.isoformat()}
