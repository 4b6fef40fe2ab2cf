"""The city's waiting-time feed in its real format: strings only, local time without zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import col, select

from backend_stub.clock import CITY_TZ
from backend_stub.conditional import conditional_json
from backend_stub.deps import NowDep, SessionDep
from backend_stub.errors import NOT_MODIFIED, answer
from backend_stub.models import Office
from backend_stub.queues.simulation import OfficeQueue
from backend_stub.routers.queues import WorldDep

router = APIRouter(tags=["waiting times (city feed)"])

FEED_PATH = "/externe-dienste/open-data/waiting-od.php"
CITY_SITE = "https://www.stadt-koeln.de"


class FeedItem(BaseModel):
    """One office in the city's feed: every value is a string, as the city sends it."""

    title_anz: str
    timestamp: str = Field(description="local time without zone, `YYYY-MM-DD HH:MM:SS`")
    link: str
    status: Literal["1", "2"] = Field(description='"1" open, "2" closed')
    sondertext: str
    wartezeit_minuten: str = Field(pattern=r"^[0-9]+$")


class WaitingFeed(BaseModel):
    """The city's waiting-time feed."""

    success: bool
    items: list[FeedItem]


def feed_item(office: Office, queue: OfficeQueue | None, now: datetime) -> dict[str, str]:
    """One entry exactly as the city's feed spells it; the values come from the queue."""
    if queue is None or office.frozen_at is not None:
        # The real feed's vehicle office entry has not moved for years: neither does ours.
        measured = office.frozen_at or now
        if measured.tzinfo is None:  # SQLite hands back naive UTC
            measured = measured.replace(tzinfo=UTC)
        is_open, minutes = office.is_open, office.base_wait_minutes if office.is_open else 0
    else:
        # measured once a minute, as the city's feed is: polls within the minute get a 304
        measured = queue.now.replace(second=0, microsecond=0)
        is_open, minutes = queue.is_open(), queue.current_wait()
    return {
        "title_anz": office.name,
        "timestamp": measured.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        "link": f"{CITY_SITE}/service/adressen/{office.slug}",
        "status": "1" if is_open else "2",
        "sondertext": office.notice,
        "wartezeit_minuten": str(minutes),
    }


@router.get(
    FEED_PATH,
    response_model=None,
    responses={**answer(WaitingFeed, "Every office's current wait."), **NOT_MODIFIED},
)
def waiting_feed(request: Request, session: SessionDep, world: WorldDep, now: NowDep) -> Response:
    """`{"success": true, "items": [...]}` for the nine Kundenzentren and the vehicle office."""
    offices = session.exec(select(Office).order_by(col(Office.id))).all()
    with world.at(now) as queues:
        items = [feed_item(office, queues.get(office.slug), now) for office in offices]
    return conditional_json(request, {"success": True, "items": items})
