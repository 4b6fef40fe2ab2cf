"""The app's one SQLite file: schema, WAL mode, migrations, and recovery from corruption."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlmodel import Field, SQLModel, create_engine

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3  # 2: followed tickets, recorded waiting times; 3: per-person data
CACHE_FILE_NAME = "koeln-app.sqlite3"


class CachedResource(SQLModel, table=True):
    """The last good answer of one remote resource, as JSON, with when it was fetched."""

    key: str = Field(primary_key=True)
    payload: str
    fetched_at: datetime


class Person(SQLModel, table=True):
    """A browser or phone that keeps data here, known only by the random id on its side."""

    id: str = Field(primary_key=True)
    created_at: datetime
    seen_at: datetime = Field(index=True)


class PersonSetting(SQLModel, table=True):
    """One setting of one person (language, ...)."""

    person_id: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    value: str


class OutboxItem(SQLModel, table=True):
    """A write that must not be lost, waiting to be delivered exactly once."""

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, index=True)
    person_id: str | None = Field(default=None, index=True)  # whose write; None: nobody's
    kind: str
    payload: str
    created_at: datetime
    attempts: int = 0
    next_attempt_at: datetime
    state: str = "pending"  # pending | failed (delivered items are deleted)
    last_error: str | None = None


class FollowedTicket(SQLModel, table=True):
    """A queue ticket one person follows (its token only: no name, no personal data)."""

    # AUTOINCREMENT: an id is never given again, so an answer can never land on a newer ticket
    __table_args__ = (
        UniqueConstraint("person_id", "office", "token"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(index=True)
    office: str
    token: str
    added_at: datetime
    status: str | None = None  # the last answer (TicketStatus as JSON)
    checked_at: datetime | None = None
    problem: str | None = None  # the server's errorCode when it refused the ticket
    alerted_near: bool = False
    alerted_called: bool = False


class WaitingSample(SQLModel, table=True):
    """One waiting time as the feed reported it, kept for the day's chart."""

    __table_args__ = (UniqueConstraint("office", "measured_at"),)

    id: int | None = Field(default=None, primary_key=True)
    office: str = Field(index=True)
    measured_at: datetime
    minutes: int


@dataclass
class LocalStore:
    """The opened database, and where a corrupted predecessor was moved, if it was."""

    engine: Engine
    path: Path
    recovered_from: Path | None = None

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the scheduler write while a screen reads; NORMAL sync is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _engine_for(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 5},
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def _migrate(engine: Engine) -> None:
    """Create the schema, or bring an older one up to `SCHEMA_VERSION`."""
    with engine.begin() as conn:
        version = conn.execute(text("PRAGMA user_version")).scalar_one()
        if version > SCHEMA_VERSION:
            raise DatabaseError("schema is newer than this app", None, Exception())
        result = conn.execute(text("PRAGMA quick_check")).scalar_one()
        if result != "ok":
            raise DatabaseError(f"quick_check: {result}", None, Exception())
        if 0 < version < 3:
            # Before 3 tickets and settings belonged to the whole app, so to nobody in
            # particular: they cannot be handed to one person and are dropped.
            for table in ("followedticket", "preference"):
                conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
            # unsent writes stay and are still delivered, as nobody's in particular
            columns = {row[1] for row in conn.execute(text("PRAGMA table_info(outboxitem)"))}
            if columns and "person_id" not in columns:
                conn.execute(text("ALTER TABLE outboxitem ADD COLUMN person_id VARCHAR"))
                conn.execute(
                    text(
                        "CREATE INDEX IF NOT EXISTS ix_outboxitem_person_id "
                        "ON outboxitem (person_id)"
                    )
                )
    SQLModel.metadata.create_all(engine)
    # Future migrations go here, one `if version < N:` step each.
    with engine.begin() as conn:
        conn.execute(text(f"PRAGMA user_version = {SCHEMA_VERSION}"))


def open_store(data_dir: Path, *, now: datetime) -> LocalStore:
    """Open (or create) the store in `data_dir`; a corrupted file is moved aside and rebuilt."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CACHE_FILE_NAME
    engine = _engine_for(path)
    try:
        _migrate(engine)
        return LocalStore(engine=engine, path=path)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        aside = path.with_name(f"{path.name}.corrupt-{now:%Y%m%d-%H%M%S}")
        log.warning("local store %s is unreadable (%s); moved to %s", path, exc, aside)
        path.replace(aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.replace(aside.with_name(aside.name + suffix))
        engine = _engine_for(path)
        _migrate(engine)
        return LocalStore(engine=engine, path=path, recovered_from=aside)
