"""Last good answers of remote resources, kept in the local store as JSON."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete

from services.clock import as_utc
from services.local_store import CachedResource, LocalStore

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
        with Session(self._store.engine) as session:
            row = session.get(CachedResource, key)
            if row is None:
                return None
            return CacheHit(payload=row.payload, fetched_at=as_utc(row.fetched_at))

    def put(self, key: str, payload: str, fetched_at: datetime) -> None:
        """Replace the cached payload of `key`."""
        with Session(self._store.engine) as session:
            session.merge(CachedResource(key=key, payload=payload, fetched_at=fetched_at))
            session.commit()

    def drop(self, key: str) -> None:
        """Forget `key` (for a payload that no longer decodes)."""
        with Session(self._store.engine) as session:
            session.exec(delete(CachedResource).where(col(CachedResource.key) == key))
            session.commit()
