"""The error bodies the stub answers with, one shape per protocol, and how its OpenAPI names them.

ZMS and the walk-in queues modelled on it answer `{"errors": [{errorCode, statusCode,
errorMessage}]}`; CKAN answers its failure envelope; SensorThings answers FROST-Server's
`{"code", "type", "message"}` (routers/sensorthings.py); everything else (the participation
API, admin, and FastAPI's own checks of a request) answers FastAPI's `{"detail": ...}`.
Each route documents every status it can answer with the matching model.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field


class ZmsError(BaseModel):
    """One error as ZMS reports it."""

    errorCode: str
    statusCode: int
    errorMessage: str


class ZmsErrors(BaseModel):
    """ZMS's error body."""

    errors: list[ZmsError]


class CkanErrorDetail(BaseModel):
    """What went wrong, in CKAN's words (validation errors add a list per field)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    type_: str = Field(alias="__type", description="e.g. `Not Found Error`, `Validation Error`")
    message: str


class CkanFailure(BaseModel):
    """CKAN's failure envelope."""

    help: str
    success: Literal[False]
    error: CkanErrorDetail


class HttpError(BaseModel):
    """FastAPI's error body for an HTTP error the route raised."""

    detail: str


def zms_error(status: int, code: str, message: str) -> JSONResponse:
    """An error in ZMS's shape: `{"errors": [{errorCode, statusCode, errorMessage}]}`."""
    return JSONResponse(
        {"errors": [{"errorCode": code, "statusCode": status, "errorMessage": message}]},
        status_code=status,
    )


def ckan_failure(request: Request, status: int, kind: str, message: str) -> JSONResponse:
    """CKAN's failure envelope."""
    body = {
        "help": str(request.url.replace(query="")),
        "success": False,
        "error": {"__type": kind, "message": message},
    }
    return JSONResponse(body, status_code=status)


Responses = dict[int | str, dict[str, Any]]


def documented(model: type[BaseModel], statuses: dict[int, str]) -> Responses:
    """OpenAPI `responses` for the statuses (with why) that are answered with `model`."""
    return {status: {"model": model, "description": why} for status, why in statuses.items()}


def answer(
    model: type[BaseModel],
    description: str,
    status: int = 200,
    *,
    links: dict[str, Any] | None = None,
) -> Responses:
    """The success answer, documented only: the route builds the JSON, nothing filters it.

    `links` are OpenAPI links: which later request takes which value of this answer.
    """
    documentation: dict[str, Any] = {"model": model, "description": description}
    if links:
        documentation["links"] = links
    return {status: documentation}


def zms(statuses: dict[int, str]) -> Responses:
    """Statuses answered in ZMS's error shape."""
    return documented(ZmsErrors, statuses)


def ckan(statuses: dict[int, str]) -> Responses:
    """Statuses answered in CKAN's failure envelope."""
    return documented(CkanFailure, statuses)


def http_errors(statuses: dict[int, str]) -> Responses:
    """Statuses answered in FastAPI's `{"detail": "..."}`."""
    return documented(HttpError, statuses)


# FastAPI answers 400 itself when a JSON body cannot even be decoded (e.g. invalid UTF-8).
UNREADABLE_BODY = http_errors({400: "The body is not readable JSON (FastAPI's own check)."})
NOT_MODIFIED: Responses = {
    304: {"description": "Not Modified: the client's `If-None-Match` names the current ETag."}
}
