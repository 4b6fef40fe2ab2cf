"""Sorting the Kundenzentren: shortest wait, name, or nearest (the position is never stored)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.waiting_times.feed import WaitingTime
from services.waiting_times.queue import Geo

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Position:
    """Where the person is now (WGS84), for one sort; not kept anywhere."""

    lat: float
    lon: float


def distance_km(here: Position, there: Geo) -> float:
    """Great-circle distance in kilometres (haversine)."""
    lat1, lat2 = math.radians(here.lat), math.radians(there.lat)
    dlat = lat2 - lat1
    dlon = math.radians(there.lon - here.lon)
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def sort_by_wait_or_name(
    entries: list[WaitingTime],
    by: str,
    now: datetime | None = None,
    shown: Callable[[str], str] = str,
) -> list[WaitingTime]:
    """Shortest current wait first (old, closed and unknown ones last), or by name.

    `shown` gives the name as the person reads it (the city's German name in their language),
    so that "by name" is alphabetical in what they see."""
    if by == "name":
        return sorted(entries, key=lambda e: shown(e.office).casefold())

    def key(entry: WaitingTime) -> tuple[int, int, str]:
        old = now is not None and not entry.is_current(now)
        unknown = old or not entry.is_open or entry.wait_minutes is None
        return (int(unknown), entry.wait_minutes or 0, entry.office)

    return sorted(entries, key=key)


def sort_by_distance(
    entries: list[WaitingTime], geo_of: dict[str, Geo], here: Position
) -> list[tuple[WaitingTime, float | None]]:
    """Nearest first, each with its distance; offices without coordinates last.

    `geo_of` maps an office's stable key to its coordinates.
    """
    with_distance = [
        (entry, distance_km(here, geo_of[entry.key]) if entry.key in geo_of else None)
        for entry in entries
    ]
    return sorted(with_distance, key=lambda pair: (pair[1] is None, pair[1] or 0.0, pair[0].office))
