"""A queue and the simulated clock as JSON-ready dicts and back, so a restarted stub goes on.

Everything the simulation needs to continue exactly as it would have is kept: the day's tickets
with their status and counter, the counters, the call display, the next walk-in, the operator's
open/closed choice and the random generator's state. A snapshot from another version, or one
that does not read, is refused with ValueError and that queue starts afresh.
"""

from __future__ import annotations

import random
from collections import deque
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend_stub.queues.simulation import (
    CALL_DISPLAY_SIZE,
    WALK_IN_PRIORITY,
    Call,
    Counter,
    OfficePlan,
    OfficeQueue,
    QueueTicket,
)

VERSION = 1


def _time(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _read_time(text: Any) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError(f"a time without offset: {text!r}")
    return moment


def _required_time(text: Any) -> datetime:
    moment = _read_time(text)
    if moment is None:
        raise ValueError("a required time is missing")
    return moment


def queue_state(queue: OfficeQueue) -> dict[str, Any]:
    """Everything needed to go on with `queue` later."""
    version, internal, gauss = queue.rng.getstate()
    return {
        "version": VERSION,
        "slug": queue.plan.slug,
        "day": queue.day.isoformat(),
        "now": _time(queue.now),
        "openOverride": queue.open_override,
        "nextArrival": _time(queue.next_arrival),
        "tickets": [
            {
                "number": t.number,
                "displayNumber": t.display_number,
                "serviceId": t.service_id,
                "arrival": _time(t.arrival),
                "drawn": t.drawn,
                "status": t.status,
                "callTime": _time(t.call_time),
                "counter": t.counter,
                "doneTime": _time(t.done_time),
                "willMiss": t.will_miss,
                "priority": t.priority,
            }
            for t in queue.tickets
        ],
        "counters": [
            {
                "number": c.number,
                "ticket": c.ticket.number if c.ticket else None,
                "busyUntil": _time(c.busy_until),
            }
            for c in queue.counters
        ],
        "calls": [
            {"displayNumber": c.display_number, "counter": c.counter, "at": _time(c.at)}
            for c in queue.calls
        ],
        "rng": [version, list(internal), gauss],
    }


def restore_queue(
    state: dict[str, Any],
    plan: OfficePlan,
    tz: ZoneInfo,
    letters: dict[int, str],
    service_ids: list[int],
) -> OfficeQueue:
    """The queue `state` describes, ready to run on; ValueError if it does not read."""
    try:
        if state.get("version") != VERSION or state.get("slug") != plan.slug:
            raise ValueError("a snapshot of another version or Kundenzentrum")
        tickets = [
            QueueTicket(
                number=int(t["number"]),
                display_number=str(t["displayNumber"]),
                service_id=int(t["serviceId"]),
                arrival=_required_time(t["arrival"]),
                drawn=bool(t["drawn"]),
                status=str(t["status"]),
                call_time=_read_time(t["callTime"]),
                counter=None if t["counter"] is None else int(t["counter"]),
                done_time=_read_time(t["doneTime"]),
                will_miss=bool(t["willMiss"]),
                # snapshots from before check-in knew walk-ins only
                priority=int(t.get("priority", WALK_IN_PRIORITY)),
            )
            for t in state["tickets"]
        ]
        if [t.number for t in tickets] != list(range(1, len(tickets) + 1)):
            raise ValueError("tickets out of order")
        counters = [
            Counter(
                number=int(c["number"]),
                ticket=tickets[int(c["ticket"]) - 1] if c["ticket"] is not None else None,
                busy_until=_read_time(c["busyUntil"]),
            )
            for c in state["counters"]
        ]
        calls = deque(
            (
                Call(str(c["displayNumber"]), int(c["counter"]), _required_time(c["at"]))
                for c in state["calls"]
            ),
            maxlen=CALL_DISPLAY_SIZE,
        )
        override = state["openOverride"]
        if override is not None and not isinstance(override, bool):
            raise ValueError(f"openOverride is not true, false or null: {override!r}")
        version, internal, gauss = state["rng"]
        rng = random.Random()
        rng.setstate((int(version), tuple(int(n) for n in internal), gauss))
        return OfficeQueue(
            plan=plan,
            tz=tz,
            letters=letters,
            service_ids=service_ids,
            day=date.fromisoformat(state["day"]),
            now=_required_time(state["now"]),
            tickets=tickets,
            counters=counters,
            calls=calls,
            open_override=override,
            next_arrival=_read_time(state["nextArrival"]),
            rng=rng,
        )
    except (KeyError, TypeError, IndexError) as error:
        raise ValueError(f"unreadable queue snapshot: {error!r}") from error
