"""The stub's database: SQLite by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from backend_stub import models  # noqa: F401  (registers the tables)


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite gets WAL, NORMAL sync and cross-thread use."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False})

        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL sync cannot corrupt the file; a power cut may cost the last few
            # writes, and the queues are saved often, so not waiting for the disk each time pays.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        event.listen(engine, "connect", _pragmas)
        return engine
    return create_engine(database_url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet."""
    SQLModel.metadata.create_all(engine)


def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per request."""
    with Session(engine) as session:
        yield session
