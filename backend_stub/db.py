"""The stub's database: SQLite by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

from backend_stub import models  # noqa: F401  (registers the tables)
from backend_stub.participation import models as participation_models  # noqa: F401

# The driver PostgreSQL URLs without one get (the dependency brings psycopg 3, not psycopg2).
POSTGRES_DRIVER = "postgresql+psycopg"


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite gets WAL, NORMAL sync and cross-thread use.

    PostgreSQL (`postgresql+psycopg://user:password@host:port/db`, or plain `postgresql://`,
    which means the same) talks UTC in every session: the tables keep times without a zone, as
    SQLite does, so both hand back naive UTC whatever the server's own time zone is.
    """
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
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername=POSTGRES_DRIVER)
    if url.get_backend_name() != "postgresql":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, pool_pre_ping=True, connect_args=_utc_session(url))
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    return engine


def _utc_session(url: URL) -> dict[str, Any]:
    """Server options that set the session's time zone to UTC (added to any the URL sets)."""
    given = url.query.get("options", "")
    options = " ".join(given) if isinstance(given, tuple) else given
    return {"options": f"{options} -c timezone=UTC".strip()}


def _without_nul(
    _connection: Any,
    _cursor: Any,
    statement: str,
    parameters: Any,
    _context: Any,
    _executemany: bool,
) -> tuple[str, Any]:
    """PostgreSQL's text cannot hold NUL, which SQLite stores and JSON may carry: such a value
    (a fuzzed id, a report's text) is sent with U+FFFD in its place instead of failing."""
    if isinstance(parameters, dict):
        return statement, _nul_free(parameters)
    if isinstance(parameters, list):
        return statement, [_nul_free(p) if isinstance(p, dict) else p for p in parameters]
    return statement, parameters


def _nul_free(parameters: dict[str, Any]) -> dict[str, Any]:
    if not any(isinstance(v, str) and "\x00" in v for v in parameters.values()):
        return parameters
    return {
        key: value.replace("\x00", "\ufffd") if isinstance(value, str) else value
        for key, value in parameters.items()
    }


def create_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet."""
    SQLModel.metadata.create_all(engine)


def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per request."""
    with Session(engine) as session:
        yield session
