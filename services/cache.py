"""Last good answers of remote resources, kept in the local store as JSON."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from services.local_store import LocalStore, from_db, to_db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CacheHit:
    """A cached payload and when it was fetched."""

    payload: str
    fetched_at: datetime


class ResourceCache:
    """Read and write cached payloads by resource key."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def get(self, key: str) -> CacheHit | None:
        """The cached payload of `key`, if any."""
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT payload, fetched_at FROM cachedresource WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return CacheHit(payload=row["payload"], fetched_at=from_db(row["fetched_at"]))

    def put(self, key: str, payload: str, fetched_at: datetime) -> None:
        """Replace the cached payload of `key`."""
        with self._store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO cachedresource (key, payload, fetched_at) VALUES (?, ?, ?)",
                (key, payload, to_db(fetched_at)),
            )

    def drop(self, key: str) -> None:
        """Forget `key` (for a payload that no longer decodes)."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM cachedresource WHERE key = ?", (key,))
