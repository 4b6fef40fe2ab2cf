"""What matters now, for the start screen: chosen from saved data only, never waited for.

Each function picks from what the app holds already (the cache, the person's tickets and
wallet) and leaves the wording to the screen. A value that is not current is never picked as
if it were: the waiting-time rules are those of `services.waiting_times`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from services.appointments.wallet import CANCELLING, WalletEntry
from services.appointments.zms import EXPIRED, NOT_FOUND
from services.checked import Checked
from services.participation.client import SurveySummary
from services.sensors.readings import StreamList, StreamNames
from services.waiting_times.feed import CLOSED, UNKNOWN, WaitingTime, WaitingTimes
from services.waiting_times.sorting import sort_by_wait_or_name
from services.waiting_times.ticket_link import TicketRef
from services.waiting_times.tickets import Followed

# why no Kundenzentrum is named as the quickest
NOTHING_SAVED = "nothing_saved"  # no waiting times saved on this device yet
NONE_CURRENT = "none_current"  # no open office has a current waiting time
ALL_CLOSED = "all_closed"  # every office says, by a current value, that it is closed

GONE = (EXPIRED, NOT_FOUND)  # the appointment service no longer knows the appointment
# how the Rhine-level datastream is recognised by its name or its sensor's name
RHINE = ("rhein", "rhine")
WATER_LEVEL = ("pegel", "wasserstand", "water level", "level")
S = TypeVar("S", bound=StreamNames)


@dataclass(frozen=True)
class Quickest:
    """The open Kundenzentrum with the shortest current wait, or why there is none."""

    office: WaitingTime | None
    why_none: str = ""


def is_current_value(entry: WaitingTime, now: datetime) -> bool:
    """A value the waiting-time screens call current: measured lately, from the latest answer."""
    return entry.state != UNKNOWN and entry.is_current(now) and not entry.kept


def quickest_office(times: WaitingTimes | None, now: datetime) -> Quickest:
    """The open office with the shortest current waiting time (an old value never counts)."""
    if times is None:
        return Quickest(None, NOTHING_SAVED)
    current = [o for o in times.offices if is_current_value(o, now)]
    open_with_wait = [o for o in current if o.is_open and o.wait_minutes is not None]
    if open_with_wait:
        return Quickest(sort_by_wait_or_name(open_with_wait, "wait", now)[0])
    everyone_closed = bool(current) and len(current) == len(times.offices)
    if everyone_closed and all(o.state == CLOSED for o in current):
        return Quickest(None, ALL_CLOSED)
    return Quickest(None, NONE_CURRENT)


def office_route(key: str, known: set[str]) -> str:
    """The office's own screen if the app knows the office, else the list of all."""
    return f"/waiting/office/{key}" if key in known else "/waiting"


def open_tickets(followed: list[Followed]) -> list[Followed]:
    """The followed tickets still waiting or called, called ones first (else as given)."""
    waiting = [t for t in followed if not t.done]
    return sorted(waiting, key=lambda t: not t.is_called)


def ticket_route(ticket: Followed) -> str:
    """The route that shows a followed ticket."""
    return TicketRef(ticket.office, ticket.token).route


def next_appointment(entries: list[WalletEntry], now: datetime) -> WalletEntry | None:
    """The soonest appointment not yet over that still stands (not cancelled, not gone)."""
    ahead = [
        e
        for e in entries
        if e.status != CANCELLING
        and e.problem not in GONE
        and e.starts_at + timedelta(minutes=max(e.minutes, 0)) > now
    ]
    return min(ahead, key=lambda e: (e.starts_at, e.id), default=None)


def appointment_route(entry: WalletEntry) -> str:
    """The route that shows one appointment with its check-in code."""
    return f"/appointments/view/{entry.key}"


def open_survey(surveys: Checked[SurveySummary] | None, now: datetime) -> SurveySummary | None:
    """An open survey: the one that closes soonest, else the first listed without an end."""
    if surveys is None:
        return None
    still_open = [s for s in surveys.entries if s.closes_at is None or s.closes_at > now]
    closing = [s for s in still_open if s.closes_at is not None]
    if closing:
        return min(closing, key=lambda s: s.closes_at or now)
    return still_open[0] if still_open else None


def survey_route(survey: SurveySummary) -> str:
    """The route of one survey."""
    return f"/participate/{survey.id}"


def rhine_level(streams: StreamList[S] | None) -> S | None:
    """The datastream of the Rhine's water level, if the saved list has one."""
    if streams is None:
        return None

    def words(stream: S) -> str:
        return " ".join(p for p in (stream.name, stream.thing_name or "") if p).lower()

    def is_rhine_level(stream: S) -> bool:
        if getattr(stream, "kind", None) == "rhine_level":  # the overview knows its kind
            return True
        return any(w in words(stream) for w in RHINE) and any(
            w in words(stream) for w in WATER_LEVEL
        )

    return next((s for s in streams.entries if is_rhine_level(s)), None)


def datastream_route(stream: StreamNames) -> str:
    """The route of one sensor's datastream."""
    return f"/sensors/{stream.id}"
