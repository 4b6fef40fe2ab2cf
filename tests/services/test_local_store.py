"""The local SQLite store: WAL mode, schema version, recovery from a corrupted file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from services.cache import ResourceCache
from services.clock import FixedClock
from services.local_store import CACHE_FILE_NAME, SCHEMA_VERSION, clear_all, open_store
from services.preferences import Preferences


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


def test_clear_all_forgets_cache_and_settings(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    ResourceCache(store).put("k", "[]", clock.now())
    Preferences(store).locale = "tr"
    clear_all(store)
    assert ResourceCache(store).get("k") is None
    assert Preferences(store).locale == "de"
