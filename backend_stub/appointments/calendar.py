"""When a Kundenzentrum takes appointments: opening hours, NRW public holidays, 15-minute slots.

Slots run from opening to closing time on weekdays that are no public holiday in North
Rhine-Westphalia, up to eight weeks ahead. About 40 % of them are taken by other citizens: which
ones follows from a hash of office and start time, so the calendar is the same on every run and
nothing random happens while the stub answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from backend_stub.clock import CITY_TZ

SLOT_MINUTES = 15
SLOT_SECONDS = SLOT_MINUTES * 60
HORIZON_DAYS = 56  # eight weeks ahead
TAKEN_PERCENT = 40  # of the slots booked by others (sample data)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def nrw_holidays(year: int) -> dict[date, str]:
    """The public holidays of North Rhine-Westphalia in `year`, by date."""
    easter = easter_sunday(year)
    movable = {
        -2: "Karfreitag",
        1: "Ostermontag",
        39: "Christi Himmelfahrt",
        50: "Pfingstmontag",
        60: "Fronleichnam",
    }
    holidays = {easter + timedelta(days=offset): name for offset, name in movable.items()}
    holidays.update(
        {
            date(year, 1, 1): "Neujahr",
            date(year, 5, 1): "Tag der Arbeit",
            date(year, 10, 3): "Tag der Deutschen Einheit",
            date(year, 11, 1): "Allerheiligen",
            date(year, 12, 25): "1. Weihnachtstag",
            date(year, 12, 26): "2. Weihnachtstag",
        }
    )
    return holidays


def is_holiday(day: date) -> bool:
    """Whether `day` is a public holiday in North Rhine-Westphalia."""
    return day in nrw_holidays(day.year)


@dataclass(frozen=True)
class OfficeHours:
    """A Kundenzentrum's appointment hours: weekday -> (opens, closes), Cologne time."""

    office_id: int
    hours: tuple[tuple[str, time, time], ...]  # (weekday, opens, closes); hashable, for caching

    @classmethod
    def parse(cls, office_id: int, spec: dict[str, str]) -> OfficeHours:
        """From the offices' opening hours, e.g. {"mon": "07:30-18:00"}."""
        hours = []
        for weekday, span in sorted(spec.items()):
            opens, closes = span.split("-")
            hours.append((weekday, time.fromisoformat(opens), time.fromisoformat(closes)))
        return cls(office_id, tuple(hours))

    def span(self, day: date) -> tuple[int, int] | None:
        """Opening and closing time on `day` as unix seconds; None when closed (holidays too)."""
        weekday = WEEKDAYS[day.weekday()]
        hours = next(((o, c) for name, o, c in self.hours if name == weekday), None)
        if hours is None or is_holiday(day):
            return None
        opens = datetime.combine(day, hours[0], tzinfo=CITY_TZ)
        closes = datetime.combine(day, hours[1], tzinfo=CITY_TZ)
        return int(opens.timestamp()), int(closes.timestamp())

    def slots(self, day: date) -> range:
        """The start times of the day's slots (empty when closed); the last one ends by closing."""
        return _grid(self, day)


@lru_cache(maxsize=1 << 14)
def _grid(hours: OfficeHours, day: date) -> range:
    span = hours.span(day)
    if span is None:
        return range(0)
    opens, closes = span
    return range(opens, closes - SLOT_SECONDS + 1, SLOT_SECONDS)


@lru_cache(maxsize=1 << 17)
def taken_by_others(office_id: int, slot_start: int) -> bool:
    """Whether the sample data has this slot booked already (same answer on every run)."""
    digest = hashlib.blake2b(f"{office_id}:{slot_start}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % 100 < TAKEN_PERCENT


def day_start(day: date) -> int:
    """Midnight of `day` in Cologne, as unix seconds."""
    return int(datetime.combine(day, time(0), tzinfo=CITY_TZ).timestamp())


def local_day(moment: int) -> date:
    """The Cologne date of unix time `moment`."""
    return datetime.fromtimestamp(moment, CITY_TZ).date()


@dataclass(frozen=True)
class Horizon:
    """The days one may book on: from today (no start time in the past) to eight weeks ahead."""

    now: int  # unix seconds
    first: date
    last: date

    @classmethod
    def at(cls, now: datetime) -> Horizon:
        """The booking horizon at `now`."""
        today = now.astimezone(CITY_TZ).date()
        return cls(int(now.timestamp()), today, today + timedelta(days=HORIZON_DAYS))

    def days(self, start: date, end: date) -> Iterable[date]:
        """The days of `start`..`end` (inclusive) that lie within the horizon."""
        day = max(start, self.first)
        while day <= min(end, self.last):
            yield day
            day += timedelta(days=1)


def free_starts(
    hours: OfficeHours, day: date, length: int, occupied: set[int], horizon: Horizon
) -> list[int]:
    """Start times on `day` with `length` consecutive free slots before closing, in the future.

    `occupied` are the slot starts of this office booked through the API.
    """
    grid = hours.slots(day)
    if not grid or day < horizon.first or day > horizon.last:
        return []
    if occupied.isdisjoint(grid):  # most days: nobody booked here through the API
        runs = _runs_free_of_others(hours, day)
    else:
        runs = _runs([s not in occupied and not taken_by_others(hours.office_id, s) for s in grid])
    return [
        start
        for start, run in zip(grid, runs, strict=True)
        if run >= length > 0 and start > horizon.now
    ]


def _runs(free: list[bool]) -> tuple[int, ...]:
    """For each slot, how many free slots in a row start there."""
    runs = [0] * len(free)
    run = 0
    for index in range(len(free) - 1, -1, -1):
        run = run + 1 if free[index] else 0
        runs[index] = run
    return tuple(runs)


@lru_cache(maxsize=1 << 14)
def _runs_free_of_others(hours: OfficeHours, day: date) -> tuple[int, ...]:
    """`_runs` of the day's slots that the sample data has not booked."""
    return _runs([not taken_by_others(hours.office_id, s) for s in hours.slots(day)])


def slots_of(hours: OfficeHours, start: int, length: int, horizon: Horizon) -> list[int] | None:
    """The slots an appointment at `start` taking `length` slots occupies, if it may be booked
    there at all (on the grid, within the hours, in the future, within eight weeks, not taken
    by others); None if not. Whether the API booked them already is the database's to say."""
    if not horizon.now < start < day_start(horizon.last + timedelta(days=1)):
        return None
    grid = hours.slots(local_day(start))
    if start not in grid:
        return None
    wanted = [start + n * SLOT_SECONDS for n in range(length)]
    if wanted[-1] not in grid:
        return None
    if any(taken_by_others(hours.office_id, slot) for slot in wanted):
        return None
    return wanted
