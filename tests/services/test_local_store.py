"""The local SQLite store: WAL mode, schema version, migration, recovery from a corrupted file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from services.cache import ResourceCache
from services.clock import FixedClock
from services.local_store import CACHE_FILE_NAME, SCHEMA_VERSION, open_store
from services.outbox import Outbox


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


# The tables of schema 2 as the app wrote them then (tickets and settings of the whole app).
SCHEMA_2 = """
CREATE TABLE cachedresource (key VARCHAR PRIMARY KEY, payload VARCHAR, fetched_at DATETIME);
CREATE TABLE preference (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE outboxitem (id INTEGER PRIMARY KEY, idempotency_key VARCHAR UNIQUE, kind VARCHAR,
    payload VARCHAR, created_at DATETIME, attempts INTEGER, next_attempt_at DATETIME,
    state VARCHAR, last_error VARCHAR);
CREATE TABLE followedticket (id INTEGER PRIMARY KEY, office VARCHAR, token VARCHAR,
    added_at DATETIME, status VARCHAR, checked_at DATETIME, problem VARCHAR,
    alerted_near BOOLEAN, alerted_called BOOLEAN);
CREATE TABLE waitingsample (id INTEGER PRIMARY KEY, office VARCHAR, measured_at DATETIME,
    minutes INTEGER, UNIQUE (office, measured_at));
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
    assert Outbox(store, clock, {"barrier_report": lambda p, k: None}).pending_count() == 1  # type: ignore[arg-type, return-value]
