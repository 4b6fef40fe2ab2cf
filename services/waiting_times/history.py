"""Waiting times as the app saw them, kept on the device for the day's chart."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.clock import CITY_TZ
from services.local_store import LocalStore, from_db, to_db
from services.waiting_times.feed import WaitingTime

KEEP = timedelta(days=7)


class WaitingHistory:
    """Records each new value of the feed once and reads back one office's day."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def record(self, entries: list[WaitingTime], now: datetime) -> int:
        """Store values not seen before (a frozen feed adds nothing); returns how many.

        Offices are kept by their stable key; a value kept from an earlier answer is not new.
        """
        fresh = [
            (entry.key, to_db(entry.measured_at), entry.wait_minutes)
            for entry in entries
            if entry.measured_at is not None
            and entry.wait_minutes is not None
            and not entry.kept
            and entry.is_open
        ]
        with self._store.transaction() as db:
            db.execute("DELETE FROM waitingsample WHERE measured_at < ?", (to_db(now - KEEP),))
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO waitingsample (office, measured_at, minutes) "
                "VALUES (?, ?, ?)",  # the same value again adds nothing
                fresh,
            )
            return db.total_changes - before

    def today(self, office: str, now: datetime) -> list[tuple[datetime, int]]:
        """(measured at, minutes) of the office with key `office` since local midnight."""
        local_now = now.astimezone(CITY_TZ)
        midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT measured_at, minutes FROM waitingsample "
                "WHERE office = ? AND measured_at >= ? ORDER BY measured_at",
                (office, to_db(midnight)),
            ).fetchall()
        return [(from_db(row["measured_at"]), int(row["minutes"])) for row in rows]
