"""Waiting times as the app saw them, kept on the device for the day's chart."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from services.clock import CITY_TZ, as_utc
from services.local_store import LocalStore, WaitingSample
from services.waiting_times.feed import WaitingTime

KEEP = timedelta(days=7)


class WaitingHistory:
    """Records each new value of the feed once and reads back one office's day."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def record(self, entries: list[WaitingTime], now: datetime) -> int:
        """Store values not seen before (a frozen feed adds nothing); returns how many."""
        added = 0
        with Session(self._store.engine) as session:
            session.exec(
                delete(WaitingSample).where(col(WaitingSample.measured_at) < as_utc(now) - KEEP)
            )
            session.commit()
            for entry in entries:
                if entry.measured_at is None or entry.wait_minutes is None:
                    continue
                if entry.kept_from_earlier or entry.is_open is not True:
                    continue
                session.add(
                    WaitingSample(
                        office=entry.office,
                        measured_at=as_utc(entry.measured_at),
                        minutes=entry.wait_minutes,
                    )
                )
                try:
                    session.commit()
                    added += 1
                except IntegrityError:  # the same value again
                    session.rollback()
        return added

    def today(self, office: str, now: datetime) -> list[tuple[datetime, int]]:
        """(measured at, minutes) of `office` since local midnight, oldest first."""
        local_now = now.astimezone(CITY_TZ)
        # SQLite keeps the digits only, so compare in UTC as everything is stored
        midnight = as_utc(local_now.replace(hour=0, minute=0, second=0, microsecond=0))
        with Session(self._store.engine) as session:
            rows = session.exec(
                select(WaitingSample)
                .where(WaitingSample.office == office)
                .where(col(WaitingSample.measured_at) >= midnight)
                .order_by(col(WaitingSample.measured_at))
            ).all()
            return [(as_utc(r.measured_at), r.minutes) for r in rows]
