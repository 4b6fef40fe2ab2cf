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

from sqlmodel import Session, col, select

from services.clock import Clock, as_utc
from services.errors import Offline, RateLimited, ServiceError, is_transient
from services.listeners import Listeners
from services.local_store import LocalStore, OutboxItem

log = logging.getLogger(__name__)

# kind -> deliver(payload, idempotency_key)
Deliverer = Callable[[dict[str, Any], str], Awaitable[Any]]

BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(minutes=30)


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
        self.listeners = Listeners()

    def enqueue(self, kind: str, payload: dict[str, Any], *, person: str | None = None) -> str:
        """Store a write (of `person`, if anybody's); returns its idempotency key.

        Delivery happens on the next flush.
        """
        if kind not in self._deliverers:
            raise ValueError(f"no deliverer for {kind!r}")
        key = uuid.uuid4().hex
        now = self._clock.now()
        with Session(self._store.engine) as session:
            session.add(
                OutboxItem(
                    idempotency_key=key,
                    person_id=person,
                    kind=kind,
                    payload=json.dumps(payload),
                    created_at=now,
                    next_attempt_at=now,
                )
            )
            session.commit()
        self.listeners.notify()
        return key

    def pending_count(self, person: str | None = None) -> int:
        """How many writes (of `person`, or of everybody) still wait for delivery."""
        query = select(OutboxItem.id).where(OutboxItem.state == "pending")
        if person is not None:
            query = query.where(OutboxItem.person_id == person)
        with Session(self._store.engine) as session:
            return len(session.exec(query).all())

    def failed(self) -> list[OutboxItem]:
        """Writes the server refused for good, for the user to see."""
        with Session(self._store.engine) as session:
            return list(session.exec(select(OutboxItem).where(OutboxItem.state == "failed")).all())

    async def flush(self) -> FlushResult:
        """Deliver every due write, oldest first; one flush at a time."""
        async with self._lock:
            delivered = failed = 0
            now = self._clock.now()
            with Session(self._store.engine) as session:
                due = session.exec(
                    select(OutboxItem.id)
                    .where(OutboxItem.state == "pending")
                    .order_by(col(OutboxItem.id))
                ).all()
            for item_id in due:
                with Session(self._store.engine) as session:
                    # read anew: its person may have deleted their data while others were sent
                    item = session.get(OutboxItem, item_id)
                    if item is None or as_utc(item.next_attempt_at) > now:
                        continue
                    outcome = await self._deliver(item)
                    still_there = select(OutboxItem.id).where(OutboxItem.id == item_id)
                    if session.exec(still_there).first() is None:
                        continue  # its person deleted their data while it was being sent
                    if outcome is None:
                        session.delete(item)
                        delivered += 1
                    elif is_transient(outcome):
                        item.attempts += 1
                        wait = backoff(item.attempts)
                        if isinstance(outcome, RateLimited) and outcome.retry_after:
                            wait = max(wait, timedelta(seconds=outcome.retry_after))
                        item.next_attempt_at = now + wait
                        item.last_error = str(outcome)
                        session.add(item)
                    else:
                        item.state, item.last_error = "failed", str(outcome)
                        session.add(item)
                        failed += 1
                    session.commit()
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
