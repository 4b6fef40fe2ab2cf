"""The app's one SQLite file: schema, WAL mode, migrations, and recovery from corruption.

Plain `sqlite3` from the standard library: SQLAlchemy alone would add a third of a bare Flet
app's memory to every app process, for a store that is one local file with a few tables.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from services.clock import as_utc

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6  # 2: tickets, waiting; 3: per-person data; 4: appointments; 5: favourites;
# 6: survey submissions
CACHE_FILE_NAME = "koeln-app.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS cachedresource (
    key TEXT PRIMARY KEY, payload TEXT NOT NULL, fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS person (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_person_seen_at ON person (seen_at);
CREATE TABLE IF NOT EXISTS personsetting (
    person_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
);
CREATE TABLE IF NOT EXISTS outboxitem (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    person_id TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS ix_outboxitem_person_id ON outboxitem (person_id);
CREATE TABLE IF NOT EXISTS followedticket (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    office TEXT NOT NULL,
    token TEXT NOT NULL,
    added_at TEXT NOT NULL,
    status TEXT,
    checked_at TEXT,
    problem TEXT,
    alerted_near INTEGER NOT NULL DEFAULT 0,
    alerted_called INTEGER NOT NULL DEFAULT 0,
    UNIQUE (person_id, office, token)
);
CREATE INDEX IF NOT EXISTS ix_followedticket_person_id ON followedticket (person_id);
CREATE TABLE IF NOT EXISTS waitingsample (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    measured_at TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    UNIQUE (office, measured_at)
);
CREATE INDEX IF NOT EXISTS ix_waitingsample_office ON waitingsample (office);
CREATE TABLE IF NOT EXISTS appointment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    process_id INTEGER NOT NULL,
    auth_key TEXT NOT NULL,
    service_id INTEGER NOT NULL,
    service_name TEXT NOT NULL,
    office_id INTEGER NOT NULL,
    office_name TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    status TEXT NOT NULL,
    replaces INTEGER,
    watch INTEGER NOT NULL DEFAULT 0,
    offer TEXT,
    declined TEXT NOT NULL DEFAULT '',
    problem TEXT,
    added_at TEXT NOT NULL,
    UNIQUE (person_id, process_id)
);
CREATE INDEX IF NOT EXISTS ix_appointment_person_id ON appointment (person_id);
CREATE TABLE IF NOT EXISTS favouritedataset (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    package_id TEXT NOT NULL,
    package TEXT NOT NULL,
    preview TEXT,
    resource_id TEXT,
    added_at TEXT NOT NULL,
    UNIQUE (person_id, package_id)
);
CREATE INDEX IF NOT EXISTS ix_favouritedataset_person_id ON favouritedataset (person_id);
CREATE TABLE IF NOT EXISTS surveysubmission (
    idempotency_key TEXT PRIMARY KEY,
    person_id TEXT,
    survey_id TEXT NOT NULL,
    state TEXT NOT NULL,
    receipt TEXT,
    message TEXT,
    code TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_surveysubmission_person_id ON surveysubmission (person_id);
"""


def to_db(moment: datetime) -> str:
    """A time as stored: naive UTC with microseconds, so text order is time order."""
    return as_utc(moment).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def from_db(value: str) -> datetime:
    """A stored time as an aware UTC datetime."""
    return as_utc(datetime.fromisoformat(value))


@dataclass
class OutboxItem:
    """A write that must not be lost, waiting to be delivered exactly once."""

    id: int
    idempotency_key: str
    person_id: str | None  # whose write; None: nobody's
    kind: str
    payload: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    state: str  # pending | failed (delivered items are deleted)
    last_error: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> OutboxItem:
        """One row of `outboxitem`."""
        return cls(
            id=row["id"],
            idempotency_key=row["idempotency_key"],
            person_id=row["person_id"],
            kind=row["kind"],
            payload=row["payload"],
            created_at=from_db(row["created_at"]),
            attempts=row["attempts"],
            next_attempt_at=from_db(row["next_attempt_at"]),
            state=row["state"],
            last_error=row["last_error"],
        )


@dataclass
class FollowedTicket:
    """A queue ticket one person follows (its token only: no name, no personal data)."""

    id: int
    person_id: str
    office: str
    token: str
    added_at: datetime
    status: str | None = None  # the last answer (TicketStatus as JSON)
    checked_at: datetime | None = None
    problem: str | None = None  # the server's errorCode when it refused the ticket
    alerted_near: bool = False
    alerted_called: bool = False

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> FollowedTicket:
        """One row of `followedticket`."""
        return cls(
            id=row["id"],
            person_id=row["person_id"],
            office=row["office"],
            token=row["token"],
            added_at=from_db(row["added_at"]),
            status=row["status"],
            checked_at=from_db(row["checked_at"]) if row["checked_at"] else None,
            problem=row["problem"],
            alerted_near=bool(row["alerted_near"]),
            alerted_called=bool(row["alerted_called"]),
        )


@dataclass
class LocalStore:
    """The opened database, and where a corrupted predecessor was moved, if it was.

    One connection, used by one caller at a time: the scheduler's jobs and the sessions'
    handlers (some on worker threads) each hold it only for a few statements.
    """

    db: sqlite3.Connection
    path: Path
    recovered_from: Path | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _depth: int = field(default=0, repr=False)  # transactions open inside each other

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection for a few statements, committed together (or not at all). A
        transaction opened inside another (same thread) is part of it: only the outermost
        commits, so two rows written together arrive together or not at all."""
        with self._lock:
            self._depth += 1
            try:
                yield self.db
            except BaseException:
                if self._depth == 1:
                    self.db.rollback()
                raise
            else:
                if self._depth == 1:
                    self.db.commit()
            finally:
                self._depth -= 1

    def dispose(self) -> None:
        """Close the connection."""
        with self._lock:
            self.db.close()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=5, check_same_thread=False)
    db.row_factory = sqlite3.Row
    # WAL lets the scheduler write while a screen reads; NORMAL sync is safe with WAL.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Create the schema, or bring an older one up to `SCHEMA_VERSION`."""
    # One transaction, taken at once: a second process starting now waits, then sees it all.
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError("schema is newer than this app")
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {result}")
        if 0 < version < 3:
            # Before 3 tickets and settings belonged to the whole app, so to nobody in
            # particular: they cannot be handed to one person and are dropped.
            db.execute("DROP TABLE IF EXISTS followedticket")
            db.execute("DROP TABLE IF EXISTS preference")
            # unsent writes stay and are still delivered, as nobody's in particular
            columns = {row[1] for row in db.execute("PRAGMA table_info(outboxitem)")}
            if columns and "person_id" not in columns:
                db.execute("ALTER TABLE outboxitem ADD COLUMN person_id TEXT")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        # Future migrations go here, one `if version < N:` step each.
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.rollback()
        raise
    db.commit()


def open_store(data_dir: Path, *, now: datetime) -> LocalStore:
    """Open (or create) the store in `data_dir`; a corrupted file is moved aside and rebuilt."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CACHE_FILE_NAME
    db: sqlite3.Connection | None = None
    try:
        db = _connect(path)
        _migrate(db)
        return LocalStore(db=db, path=path)
    except sqlite3.OperationalError:
        # locked by another process, no permission, disk full: not a damaged file
        if db is not None:
            db.close()
        raise
    except sqlite3.DatabaseError as exc:
        if db is not None:
            db.close()
        aside = path.with_name(f"{path.name}.corrupt-{now:%Y%m%d-%H%M%S}")
        log.warning("local store %s is unreadable (%s); moved to %s", path, exc, aside)
        path.replace(aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.replace(aside.with_name(aside.name + suffix))
        db = _connect(path)
        _migrate(db)
        return LocalStore(db=db, path=path, recovered_from=aside)
