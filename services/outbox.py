"""Writes that must not be lost: stored first, sent with an idempotency key, retried later."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from services.clock import Clock
from services.connectivity import Connectivity
from services.errors import Offline, RateLimited, ServiceError, is_transient
from services.listeners import Listeners
from services.local_store import LocalStore, OutboxItem, to_db

log = logging.getLogger(__name__)

# kind -> deliver(payload, idempotency_key)
Deliverer = Callable[[dict[str, Any], str], Awaitable[Any]]

BACKOFF_BASE = timedelta(seconds=10)
RATE_LIMITED = "rate limited: "  # how the last error of a write a server told to wait begins
BACKOFF_CAP = timedelta(minutes=30)


def error_text(error: ServiceError) -> str:
    """The error kept with a write that waits for another try."""
    return (RATE_LIMITED if isinstance(error, RateLimited) else "") + str(error)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 10 s, 20 s, 40 s, ... at most 30 min."""
    exponent = min(max(attempts - 1, 0), 20)  # past 2**20 the cap has long been reached
    delay: timedelta = BACKOFF_BASE * (2**exponent)
    return min(delay, BACKOFF_CAP)


@dataclass(frozen=True)
class FlushResult:
    """What one flush did."""

    delivered: int
    failed: int
    pending: int


class Outbox:
    """The queue of unsent writes in the local store."""

    def __init__(self, store: LocalStore, clock: Clock, deliverers: Mapping[str, Deliverer]):
        self._store = store
        self._clock = clock
        self._deliverers = dict(deliverers)
        self._lock = asyncio.Lock()
        self._flushed = False  # no flush yet in this run
        self._reconnecting: set[asyncio.Task[FlushResult]] = set()
        self.listeners = Listeners()

    def send_when_back(self, connectivity: Connectivity) -> Callable[[], None]:
        """Send everything waiting as soon as `connectivity` is back online (not only when
        each write's backoff is over); returns the unsubscribe function."""

        def changed() -> None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # told from a thread: the scheduled flush sends it
                return
            task = loop.create_task(self.flush(everything=True))
            self._reconnecting.add(task)
            task.add_done_callback(self._reconnecting.discard)

        return connectivity.back.add(changed)

    def delivers(self, kind: str, deliver: Deliverer) -> None:
        """Deliver writes of `kind` with `deliver` (for services built after the outbox)."""
        self._deliverers[kind] = deliver

    def enqueue(self, kind: str, payload: dict[str, Any], *, person: str | None = None) -> str:
        """Store a write (of `person`, if anybody's); returns its idempotency key.

        Delivery happens on the next flush.
        """
        if kind not in self._deliverers:
            raise ValueError(f"no deliverer for {kind!r}")
        key = uuid.uuid4().hex
        now = to_db(self._clock.now())
        with self._store.transaction() as db:
            # every column named: tables made by earlier versions have no defaults
            db.execute(
                "INSERT INTO outboxitem (idempotency_key, person_id, kind, payload, created_at, "
                "attempts, next_attempt_at, state, last_error) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, 'pending', NULL)",
                (key, person, kind, json.dumps(payload), now, now),
            )
        self.listeners.notify()
        return key

    def pending_count(self, person: str | None = None, kind: str | None = None) -> int:
        """How many writes (of `person`, or of everybody; of `kind`, or any) wait for delivery."""
        query = "SELECT count(*) FROM outboxitem WHERE state = 'pending'"
        params: list[str] = []
        if person is not None:
            query += " AND person_id = ?"
            params.append(person)
        if kind is not None:
            query += " AND kind = ?"
            params.append(kind)
        with self._store.transaction() as db:
            return int(db.execute(query, params).fetchone()[0])

    def failed(self) -> list[OutboxItem]:
        """Writes the server refused for good, for the user to see."""
        with self._store.transaction() as db:
            rows = db.execute("SELECT * FROM outboxitem WHERE state = 'failed'").fetchall()
        return [OutboxItem.from_row(row) for row in rows]

    def _item(self, item_id: int) -> OutboxItem | None:
        """One write as it is stored now (its person may have deleted it meanwhile)."""
        with self._store.transaction() as db:
            row = db.execute("SELECT * FROM outboxitem WHERE id = ?", (item_id,)).fetchone()
        return OutboxItem.from_row(row) if row else None

    async def flush(self, *, everything: bool = False) -> FlushResult:
        """Deliver every due write (`everything`: also those waiting out a backoff), oldest
        first; one flush at a time. The first flush of a run sends everything: a restarted
        app (or one whose connection came back) has no reason to wait."""
        async with self._lock:
            everything = everything or not self._flushed
            self._flushed = True
            delivered = failed = 0
            now = self._clock.now()
            with self._store.transaction() as db:
                due = [
                    int(row["id"])
                    for row in db.execute(
                        "SELECT id FROM outboxitem WHERE state = 'pending' AND ("
                        "next_attempt_at <= ? OR (? AND coalesce(last_error, '') NOT LIKE ?)"
                        ") ORDER BY id",
                        # a server that asked us to wait (429) is still waited for
                        (to_db(now), everything, RATE_LIMITED + "%"),
                    )
                ]
            for item_id in due:
                item = self._item(item_id)
                if item is None:
                    continue
                outcome = await self._deliver(item)
                with self._store.transaction() as db:
                    # a write deleted while it was being sent stays deleted
                    if outcome is None:
                        delivered += db.execute(
                            "DELETE FROM outboxitem WHERE id = ?", (item_id,)
                        ).rowcount
                    elif is_transient(outcome):
                        wait = backoff(item.attempts + 1)
                        if isinstance(outcome, RateLimited) and outcome.retry_after:
                            wait = max(wait, timedelta(seconds=outcome.retry_after))
                        db.execute(
                            "UPDATE outboxitem SET attempts = attempts + 1, next_attempt_at = ?, "
                            "last_error = ? WHERE id = ?",
                            (to_db(now + wait), error_text(outcome), item_id),
                        )
                    else:
                        failed += db.execute(
                            "UPDATE outboxitem SET state = 'failed', last_error = ? WHERE id = ?",
                            (str(outcome), item_id),
                        ).rowcount
                if isinstance(outcome, Offline):
                    break  # the others would only fail the same way
            result = FlushResult(delivered, failed, self.pending_count())
        if delivered or failed:
            self.listeners.notify()
        return result

    async def _deliver(self, item: OutboxItem) -> ServiceError | None:
        deliver = self._deliverers.get(item.kind)
        if deliver is None:
            return ServiceError(f"no deliverer for {item.kind!r}")
        try:
            await deliver(json.loads(item.payload), item.idempotency_key)
        except ServiceError as error:
            log.info("outbox %s (%s): %s", item.idempotency_key, item.kind, error)
            return error
        return None
