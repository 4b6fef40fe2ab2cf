"""Where the queue world lives between runs: the stub's own database.

The ticket-signing secret is made once and kept, so a token printed before a restart is still
genuine after it; each Kundenzentrum's queue is one JSON row, written when it changed; the
simulated clock (its anchors and speed) is one more row.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend_stub.models import QueueSnapshot, StubSetting

SECRET_KEY = "ticket_secret"
CLOCK_KEY = "queue_clock"

log = logging.getLogger(__name__)


class QueueStore:
    """Reads and writes the queue world's rows."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._rows: set[str] = set()  # Kundenzentren that have a saved queue row

    def ticket_secret(self) -> bytes:
        """The stub's ticket-signing secret, made on first use and the same ever after."""
        with Session(self._engine) as session:
            row = session.get(StubSetting, SECRET_KEY)
            if row is None:
                session.add(StubSetting(key=SECRET_KEY, value=secrets.token_hex(32)))
                try:
                    session.commit()
                except IntegrityError:  # another process made it first: use theirs
                    session.rollback()
                row = session.get(StubSetting, SECRET_KEY)
            assert row is not None
            return bytes.fromhex(row.value)

    def clock_state(self) -> dict[str, Any] | None:
        """The simulated clock as last saved, if ever."""
        with Session(self._engine) as session:
            row = session.get(StubSetting, CLOCK_KEY)
        return _json_object(row.value, CLOCK_KEY) if row else None

    def save_clock_state(self, state: dict[str, Any]) -> None:
        """Keep the simulated clock's anchors and speed."""
        with Session(self._engine) as session:
            session.merge(StubSetting(key=CLOCK_KEY, value=json.dumps(state)))
            session.commit()

    def queue_states(self) -> dict[str, dict[str, Any]]:
        """Every saved queue by Kundenzentrum."""
        with Session(self._engine) as session:
            rows = session.exec(select(QueueSnapshot)).all()
        self._rows.update(row.slug for row in rows)
        states = {row.slug: _json_object(row.state, row.slug) for row in rows}
        return {slug: state for slug, state in states.items() if state is not None}

    def save_queue_states(self, states: dict[str, dict[str, Any]], now: datetime) -> None:
        """Keep these queues (one row each), in one transaction."""
        rows = [{"key": slug, "state": json.dumps(state)} for slug, state in states.items()]
        updates = [row for row in rows if row["key"] in self._rows]
        inserts = [row for row in rows if row["key"] not in self._rows]
        with self._engine.begin() as connection:
            if updates:
                # plain statements, not the ORM's merge: this runs after many requests
                connection.execute(
                    update(QueueSnapshot)
                    .where(col(QueueSnapshot.slug) == bindparam("key"))
                    .values(state=bindparam("state"), saved_at=now),
                    updates,
                )
            if inserts:
                connection.execute(
                    insert(QueueSnapshot),
                    [{"slug": r["key"], "state": r["state"], "saved_at": now} for r in inserts],
                )
        self._rows.update(row["key"] for row in inserts)


def _json_object(text: str, what: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        log.warning("ignoring the unreadable saved state of %s", what)
        return None
    return value
