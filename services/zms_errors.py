"""ZMS's error shape, shared by the appointment API and the walk-in queues modelled on it."""

from __future__ import annotations

from typing import Any

import httpx

from services.http import JsonClient


def first_zms_error(response: httpx.Response) -> dict[str, Any] | None:
    """The first entry of `{"errors": [{"errorCode", "statusCode", "errorMessage"}]}`, if any."""
    try:
        errors = response.json().get("errors") or []
        first = errors[0]
    except (ValueError, AttributeError, IndexError, TypeError):
        return None
    return first if isinstance(first, dict) else None


class ZmsStyleClient(JsonClient):
    """A client whose server reports errors the way ZMS does."""

    def error_detail(self, response: httpx.Response) -> str | None:
        """ "errorCode: errorMessage" of the first error."""
        first = first_zms_error(response)
        return f"{first.get('errorCode')}: {first.get('errorMessage')}" if first else None

    def error_code(self, response: httpx.Response) -> str | None:
        """The machine-readable `errorCode`, so the app can say exactly what went wrong."""
        first = first_zms_error(response)
        code = first.get("errorCode") if first else None
        return code if isinstance(code, str) else None
