"""Admin-only routes, behind `Authorization: Bearer $KOELN_ADMIN_TOKEN`."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlmodel import func, select

from backend_stub.auth import require_admin
from backend_stub.deps import SessionDep
from backend_stub.models import BarrierReport, Office

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/status")
def admin_status(session: SessionDep) -> dict[str, int]:
    """Counts for the operator: Kundenzentren and received barrier reports."""
    return {
        "offices": session.exec(select(func.count()).select_from(Office)).one(),
        "barrier_reports": session.exec(select(func.count()).select_from(BarrierReport)).one(),
    }
