"""Client for the city's waiting-time feed (`waiting-od.php`), where every value is a string."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import BaseModel

from services.clock import CITY_TZ
from services.errors import BadData
from services.http import JsonClient

FEED_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The city's feed has been seen frozen for weeks: an older value is never shown as current.
STALE_AFTER = timedelta(minutes=20)


class WaitingTime(BaseModel):
    """One Kundenzentrum's current value as the feed reports it."""

    office: str
    measured_at: datetime | None
    wait_minutes: int | None
    is_open: bool | None
    notice: str
    link: str
    # The feed's newest entry for this office was unreadable: this is the last good one.
    kept_from_earlier: bool = False

    def is_current(self, now: datetime) -> bool:
        """Whether the value was measured less than `STALE_AFTER` ago."""
        return self.measured_at is not None and now - self.measured_at <= STALE_AFTER

    @property
    def readable(self) -> bool:
        """Whether the entry says clearly whether the office is open and, if so, the wait."""
        return self.is_open is False or (self.is_open is True and self.wait_minutes is not None)


def keep_last_good(
    fresh: list[WaitingTime], earlier: list[WaitingTime] | None
) -> list[WaitingTime]:
    """Replace unreadable new entries by the last good value of the same office, marked so."""
    good = {e.office: e for e in earlier or [] if e.readable}
    merged = []
    for entry in fresh:
        if not entry.readable and entry.office in good:
            merged.append(good[entry.office].model_copy(update={"kept_from_earlier": True}))
        else:
            merged.append(entry)
    return merged


def parse_feed(body: Any) -> list[WaitingTime]:
    """Read the feed's JSON; skip entries without a name, refuse a feed that is not one."""
    if not isinstance(body, dict) or body.get("success") is not True:
        raise BadData("the waiting-time feed did not report success")
    items = body.get("items")
    if not isinstance(items, list):
        raise BadData("the waiting-time feed has no list of items")
    entries = [entry for item in items if (entry := parse_item(item)) is not None]
    if items and not entries:
        raise BadData("no entry of the waiting-time feed could be read")
    return entries


def parse_item(item: Any) -> WaitingTime | None:
    """One feed entry, or None when it names no Kundenzentrum."""
    if not isinstance(item, dict):
        return None
    title = str(item.get("title_anz") or "").strip()
    if not title:
        return None
    return WaitingTime(
        office=title,
        measured_at=parse_local_timestamp(item.get("timestamp")),
        wait_minutes=parse_minutes(item.get("wartezeit_minuten")),
        is_open={"1": True, "2": False}.get(str(item.get("status", "")).strip()),
        notice=str(item.get("sondertext") or "").strip(),
        link=str(item.get("link") or ""),
    )


def parse_minutes(value: Any) -> int | None:
    """Minutes as the feed sends them ("19"); anything else is unknown, not zero."""
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes if 0 <= minutes < 24 * 60 else None


def parse_local_timestamp(value: Any) -> datetime | None:
    """The feed's local time without zone, as an aware UTC datetime."""
    try:
        local = datetime.strptime(str(value).strip(), FEED_TIME_FORMAT)
    except (TypeError, ValueError):
        return None
    return local.replace(tzinfo=CITY_TZ).astimezone(UTC)


class WaitingFeedClient(JsonClient):
    """Fetches the feed from its full URL (the city's, or the stub's)."""

    def __init__(self, feed_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(feed_url, transport=transport)

    async def fetch(self) -> list[WaitingTime]:
        """The current waiting times of all Kundenzentren in the feed."""
        return parse_feed(await self.poll_json(self.base_url))
