"""The simulated observations: a pure function of (Datastream, time slot), never stored.

Every Datastream reports on the same 15-minute grid counted from `EPOCH`, so an observation's
id (`stream id * ID_FACTOR + slot`) never changes, every run gives the same values for the same
moment, and new observations appear as the stub's clock runs. The stub serves the last
`HISTORY` (30 days) up to its clock's now. Values follow daily and weekly cycles in Cologne
time, plus slow "weather" and a little deterministic noise.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from backend_stub.clock import CITY_TZ
from backend_stub.sensors.network import DATASTREAMS_BY_ID, Datastream, Profile

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
STEP = timedelta(minutes=15)
HISTORY = timedelta(days=30)
ID_FACTOR = 10_000_000  # slots per Datastream in the id space: 285 years of 15 minutes
SLOTS_PER_DAY = int(timedelta(days=1) / STEP)
_STEP_US = STEP // timedelta(microseconds=1)
_MASK = (1 << 64) - 1


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def slot_floor(moment: datetime) -> int:
    """The last slot at or before `moment`."""
    return _micros(moment) // _STEP_US


def slot_ceil(moment: datetime) -> int:
    """The first slot at or after `moment`."""
    return -(-_micros(moment) // _STEP_US)


def slot_time(slot: int) -> datetime:
    """When a slot's observation was made (UTC)."""
    return EPOCH + slot * STEP


def window(now: datetime) -> tuple[int, int]:
    """The first and last slot served at `now` (30 days, both ends included)."""
    return slot_ceil(now - HISTORY), slot_floor(now)


def observation_id(stream_id: int, slot: int) -> int:
    """The stable id of a Datastream's observation in a slot."""
    return stream_id * ID_FACTOR + slot


def split_id(observation: int) -> tuple[int, int]:
    """(stream id, slot) of an observation id."""
    return divmod(observation, ID_FACTOR)


@lru_cache(maxsize=8192)  # all Datastreams share the slots: time zones are looked up once
def _local(slot: int) -> tuple[float, int]:
    """The hour (with its fraction) and weekday (Monday 0) of a slot in Cologne."""
    local = slot_time(slot).astimezone(CITY_TZ)
    return local.hour + local.minute / 60, local.weekday()


def _hash(seed: int, number: int) -> float:
    """A deterministic number in [-1, 1) for a pair of numbers (splitmix64 mixing)."""
    x = (seed * 0x9E3779B97F4A7C15 + number * 0xBF58476D1CE4E5B9) & _MASK
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & _MASK
    return (x ^ (x >> 31)) / 2**63 - 1.0


@lru_cache(maxsize=4096)
def _knot(seed: int, knot: int) -> float:
    return _hash(seed, knot)


def _smooth(seed: int, slot: int, every: int) -> float:
    """Noise in [-1, 1) that changes smoothly over `every` slots."""
    knot, rest = divmod(slot, every)
    a, b = _knot(seed, knot), _knot(seed, knot + 1)
    weight = (1 - math.cos(math.pi * rest / every)) / 2
    return a + (b - a) * weight


def _step(x: float) -> float:
    """0 below 0, 1 above 1, smooth between."""
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def _bell(hour: float, centre: float, width: float) -> float:
    return math.exp(-(((hour - centre) / width) ** 2))


def value(stream: Datastream, slot: int) -> float:
    """The result of a Datastream's observation in a slot."""
    day, index = divmod(slot, SLOTS_PER_DAY)
    return _day(stream.id, day)[index]


@lru_cache(maxsize=4096)  # a month of every Datastream, a few MB: a scan of all is computed once
def _day(stream_id: int, day: int) -> tuple[float, ...]:
    stream = DATASTREAMS_BY_ID[stream_id]
    start = day * SLOTS_PER_DAY
    return tuple(_compute(stream, slot) for slot in range(start, start + SLOTS_PER_DAY))


def _compute(stream: Datastream, slot: int) -> float:
    hour, weekday = _local(slot)
    profile = stream.profile
    jitter = profile.spread * _hash(stream.id, slot)
    if profile.shape == "air":
        raw = _air(profile, stream.thing.id, slot, hour, weekday)
    elif profile.shape == "rhine":
        raw = _rhine(profile, slot)
    elif profile.shape == "parking":
        raw = _parking(profile, hour, weekday)
    elif profile.shape == "soil":
        raw = _soil(profile, stream.id, slot, hour)
    else:
        raw = _noise(profile, hour, weekday)
    result = max(0.0, raw + jitter)
    if profile.shape == "parking":
        result = min(100.0, result)
    return round(result, profile.digits)


def _air(profile: Profile, site: int, slot: int, hour: float, weekday: int) -> float:
    traffic = (0.45, 0.35)[weekday - 5] if weekday >= 5 else 1.0
    rush = _bell(hour, 8.0, 2.0) + 0.85 * _bell(hour, 17.5, 2.2)
    weather = 1.0 + 0.15 * _smooth(site, slot, SLOTS_PER_DAY)  # the same at all of a site
    night = 0.85 + 0.15 * _step((hour - 5) / 3)
    return (profile.base * night + profile.peak * rush * traffic) * weather


def _rhine(profile: Profile, slot: int) -> float:
    days = slot / SLOTS_PER_DAY
    wave = 0.7 * math.sin(2 * math.pi * days / 17.0) + 0.3 * math.sin(2 * math.pi * days / 6.3)
    return profile.base + profile.peak * wave + 0.15 * _smooth(31, slot, 2 * SLOTS_PER_DAY)


def _parking(profile: Profile, hour: float, weekday: int) -> float:
    open_hours = _step((hour - 6.5) / 3) * (1 - _step((hour - 18) / 3))
    busy = (1.0, 1.0, 1.0, 1.0, 1.0, 1.03, 0.45)[weekday]
    evening = 0.0
    if weekday in (4, 5):  # events on Friday and Saturday evenings (the arena's car park)
        evening = profile.extra * _step((hour - 17.5) / 2) * (1 - _step((hour - 22.5) / 1.5))
    return profile.base + profile.peak * open_hours * busy + evening


def _soil(profile: Profile, stream: int, slot: int, hour: float) -> float:
    days = slot / SLOTS_PER_DAY
    wetness = math.pow(0.5 + 0.5 * math.sin(2 * math.pi * days / 9.0 + stream), 1.5)
    midday = 0.3 * _bell(hour, 15.0, 3.0)  # the sun dries the top soil a little
    return profile.base + profile.peak * wetness - midday


def _noise(profile: Profile, hour: float, weekday: int) -> float:
    day = _step((hour - 6) / 2) * (1 - _step((hour - 21) / 2))
    # Friday and Saturday nights (until 4 in the morning of the next day) are loud out there
    late = (weekday in (4, 5) and hour >= 22) or (weekday in (5, 6) and hour < 4)
    return profile.base + profile.peak * day + (profile.extra if late else 0.0)
