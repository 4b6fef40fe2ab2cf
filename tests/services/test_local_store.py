"""The local SQLite store: WAL mode, schema version, recovery from a corrupted file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from services.cache import ResourceCache
from services.clock import FixedClock
from services.local_store import CACHE_FILE_NAME, SCHEMA_VERSION, open_store


def test_new_store_uses_wal_and_records_its_schema(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA user_version")).scalar_one() == SCHEMA_VERSION
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
    with store.engine.begin() as conn:
        conn.execute(text(f"PRAGMA user_version = {SCHEMA_VERSION + 5}"))
    store.dispose()
    assert open_store(tmp_path, now=clock.now()).recovered_from is not None


def test_a_store_of_schema_2_keeps_its_unsent_writes(tmp_path: Path, clock: FixedClock) -> None:
    """App-wide tickets and settings cannot be handed to one person; unsent writes still go."""
    store = open_store(tmp_path, now=clock.now())
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE outboxitem"))
        conn.execute(
            text(
                "CREATE TABLE outboxitem (id INTEGER PRIMARY KEY, idempotency_key VARCHAR, "
                "kind VARCHAR, payload VARCHAR, created_at DATETIME, attempts INTEGER, "
                "next_attempt_at DATETIME, state VARCHAR, last_error VARCHAR)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO outboxitem VALUES (1, 'k1', 'barrier_report', '{}', "
                "'2026-10-05 08:00:00', 0, '2026-10-05 08:00:00', 'pending', NULL)"
            )
        )
        conn.execute(text("PRAGMA user_version = 2"))
    store.dispose()
    again = open_store(tmp_path, now=clock.now())
    assert again.recovered_from is None
    with again.engine.connect() as conn:
        rows = conn.execute(text("SELECT idempotency_key, person_id FROM outboxitem")).all()
    assert [tuple(r) for r in rows] == [("k1", None)]
