"""FastAPI dependencies shared by the routers: the session and the stub's clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session


def get_session(request: Request) -> Iterator[Session]:
    """One database session per request."""
    with Session(request.app.state.engine) as session:
        yield session


def get_now(request: Request) -> datetime:
    """The stub's current time (its clock is injectable for tests)."""
    now: datetime = request.app.state.clock.now()
    return now


SessionDep = Annotated[Session, Depends(get_session)]
NowDep = Annotated[datetime, Depends(get_now)]
