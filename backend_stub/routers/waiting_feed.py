"""The city's waiting-time feed in its real format: strings only, local time without zone."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from fastapi import APIRouter
from sqlmodel import col, select

from backend_stub.clock import CITY_TZ
from backend_stub.deps import NowDep, SessionDep
from backend_stub.models import Office

router = APIRouter(tags=["waiting times (city feed)"])

FEED_PATH = "/externe-dienste/open-data/waiting-od.php"
CITY_SITE = "https://www.stadt-koeln.de"


def sample_wait(office: Office, when: datetime) -> int:
    """A sample waiting time that rises towards midday; replaced by the queue simulation."""
    local = when.astimezone(CITY_TZ)
    hour = local.hour + local.minute / 60
    curve = max(0.0, math.sin(math.pi * (hour - 7) / 11))
    return round(office.base_wait_minutes * (0.4 + curve))


def feed_item(office: Office, now: datetime) -> dict[str, str]:
    """One entry exactly as the city's feed spells it."""
    measured = office.frozen_at or now
    if measured.tzinfo is None:  # SQLite hands back naive UTC
        measured = measured.replace(tzinfo=UTC)
    measured_local = measured.astimezone(CITY_TZ)
    return {
        "title_anz": office.name,
        "timestamp": measured_local.strftime("%Y-%m-%d %H:%M:%S"),
        "link": f"{CITY_SITE}/service/adressen/{office.slug}",
        "status": "1" if office.is_open else "2",
        "sondertext": office.notice,
        "wartezeit_minuten": str(sample_wait(office, measured)) if office.is_open else "0",
    }


@router.get(FEED_PATH)
def waiting_feed(session: SessionDep, now: NowDep) -> dict[str, object]:
    """`{"success": true, "items": [...]}` for the nine Kundenzentren and the vehicle office."""
    offices = session.exec(select(Office).order_by(col(Office.id))).all()
    return {"success": True, "items": [feed_item(office, now) for office in offices]}
