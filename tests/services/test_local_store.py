"""The local SQLite store: WAL mode, schema version, migration, recovery from a corrupted file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from services.cache import ResourceCache
from services.clock import FixedClock
from services.local_store import CACHE_FILE_NAME, SCHEMA_VERSION, open_store
from services.outbox import Outbox
from services.waiting_times.history import WaitingHistory
from services.waiting_times.queue import QueueClient
from services.waiting_times.ticket_link import TicketRef
from services.waiting_times.tickets import FollowedTickets


def test_new_store_uses_wal_and_records_its_schema(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    with store.transaction() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.recovered_from is None


def test_corrupted_file_is_moved_aside_and_rebuilt(tmp_path: Path, clock: FixedClock) -> None:
    (tmp_path / CACHE_FILE_NAME).write_bytes(b"this is not a database" * 100)
    store = open_store(tmp_path, now=clock.now())
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes().startswith(b"this is not a database")
    ResourceCache(store).put("k", "[]", clock.now())  # the new one works
    assert ResourceCache(store).get("k") is not None


def test_store_from_a_newer_app_is_not_misread(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    with store.transaction() as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    store.dispose()
    assert open_store(tmp_path, now=clock.now()).recovered_from is not None


# The tables of schema 2 as SQLModel made them (NOT NULL without defaults: those lived in
# Python), with tickets and settings of the whole app.
SCHEMA_2 = """
CREATE TABLE cachedresource (key VARCHAR NOT NULL, payload VARCHAR NOT NULL,
    fetched_at DATETIME NOT NULL, PRIMARY KEY (key));
CREATE TABLE preference (key VARCHAR NOT NULL, value VARCHAR NOT NULL, PRIMARY KEY (key));
CREATE TABLE outboxitem (id INTEGER NOT NULL, idempotency_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, payload VARCHAR NOT NULL, created_at DATETIME NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_at DATETIME NOT NULL, state VARCHAR NOT NULL,
    last_error VARCHAR, PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_outboxitem_idempotency_key ON outboxitem (idempotency_key);
CREATE TABLE followedticket (id INTEGER NOT NULL, office VARCHAR NOT NULL,
    token VARCHAR NOT NULL, added_at DATETIME NOT NULL, status VARCHAR, checked_at DATETIME,
    problem VARCHAR, alerted_near BOOLEAN NOT NULL, alerted_called BOOLEAN NOT NULL,
    PRIMARY KEY (id), UNIQUE (office, token));
CREATE TABLE waitingsample (id INTEGER NOT NULL, office VARCHAR NOT NULL,
    measured_at DATETIME NOT NULL, minutes INTEGER NOT NULL, PRIMARY KEY (id),
    UNIQUE (office, measured_at));
INSERT INTO cachedresource VALUES ('waiting_times', '[]', '2026-10-05 07:59:00.000000');
INSERT INTO preference VALUES ('locale', 'tr');
INSERT INTO outboxitem VALUES (1, 'k1', 'barrier_report', '{}', '2026-10-05 08:00:00.000000',
    0, '2026-10-05 08:00:00.000000', 'pending', NULL);
INSERT INTO followedticket VALUES (1, 'kalk', 't', '2026-10-05 07:00:00.000000', NULL, NULL,
    NULL, 0, 0);
PRAGMA user_version = 2;
"""


def test_a_store_of_schema_2_keeps_its_cache_and_unsent_writes(
    tmp_path: Path, clock: FixedClock
) -> None:
    """App-wide tickets and settings cannot be handed to one person; unsent writes still go."""
    old = sqlite3.connect(tmp_path / CACHE_FILE_NAME)
    old.executescript(SCHEMA_2)
    old.close()
    store = open_store(tmp_path, now=clock.now())
    assert store.recovered_from is None
    with store.transaction() as db:
        rows = db.execute("SELECT idempotency_key, person_id FROM outboxitem").fetchall()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        tickets = db.execute("SELECT count(*) FROM followedticket").fetchone()[0]
    assert [tuple(r) for r in rows] == [("k1", None)]
    assert "preference" not in tables and tickets == 0
    hit = ResourceCache(store).get("waiting_times")
    assert hit is not None and hit.fetched_at.tzinfo is not None
    outbox = Outbox(store, clock, {"barrier_report": lambda p, k: None})  # type: ignore[arg-type, return-value]
    assert outbox.pending_count() == 1
    outbox.enqueue("barrier_report", {"screen": "x", "message": "new"})  # the kept table works
    assert outbox.pending_count() == 2
    WaitingHistory(store).record([], clock.now())
    tickets = FollowedTickets(store, QueueClient("http://queue.test"), clock)
    assert tickets.follow("someone-aaaaaaaaaaaaaaaa", TicketRef("kalk", "t")).office == "kalk"
