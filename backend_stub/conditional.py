"""Conditional GET (ETag / If-None-Match): thousands of polling phones mostly get a bare 304."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request, Response

NOT_MODIFIED = 304


def etag_of(body: bytes) -> str:
    """A strong validator for exactly these bytes."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether the client's `If-None-Match` names this representation."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def conditional_json(request: Request, payload: Any, *, max_age: int = 0) -> Response:
    """`payload` as JSON with an ETag, or 304 without a body when the client has it already."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": f"max-age={max_age}, must-revalidate"}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
