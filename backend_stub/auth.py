"""Admin routes need `Authorization: Bearer $KOELN_ADMIN_TOKEN`; without a token they stay shut."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend_stub.errors import Responses, http_errors

# Declared as a security scheme, so the OpenAPI says which routes want the token.
admin_bearer = HTTPBearer(
    scheme_name="adminToken",
    description="The stub's admin token (`KOELN_ADMIN_TOKEN`).",
    auto_error=False,
)

ADMIN_ERRORS: Responses = http_errors(
    {
        401: "The admin token is missing or wrong.",
        403: "Admin routes are disabled: the stub was started without an admin token.",
    }
)


def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)],
) -> None:
    """Let the request through only with the configured admin token."""
    expected: str | None = request.app.state.admin_token
    if not expected:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin routes are disabled: no token set")
    token = credentials.credentials if credentials else ""
    if not secrets.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "admin token missing or wrong",
            headers={"WWW-Authenticate": "Bearer"},
        )
