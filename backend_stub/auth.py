"""Admin routes need `Authorization: Bearer $KOELN_ADMIN_TOKEN`; without a token they stay shut."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Header, HTTPException, Request, status


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let the request through only with the configured admin token."""
    expected: str | None = request.app.state.admin_token
    if not expected:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin routes are disabled: no token set")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "admin token missing or wrong",
            headers={"WWW-Authenticate": "Bearer"},
        )
