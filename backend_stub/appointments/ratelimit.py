"""ZMS's rate limit: so many requests per client IP and minute, counted on the stub's clock.

Every answer below the guarded paths carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
`X-RateLimit-Reset` (unix seconds when the minute ends); past the limit the answer is 429 in
ZMS's error shape with `Retry-After`. The window is the clock's minute (fixed windows), so a
test that moves the clock a minute on has a fresh allowance.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend_stub.clock import Clock

WINDOW_SECONDS = 60
DEFAULT_LIMIT = 60
MAX_CLIENTS = 10_000  # clients remembered before those of past windows are forgotten


@dataclass(frozen=True)
class Verdict:
    """Whether one more request is allowed, and what the headers say about it."""

    allowed: bool
    limit: int
    remaining: int
    reset: int  # unix seconds
    retry_after: int  # seconds; 0 when allowed

    def headers(self) -> list[tuple[bytes, bytes]]:
        """The rate-limit headers of the answer (with `Retry-After` when refused)."""
        pairs = [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(self.reset).encode()),
        ]
        if not self.allowed:
            pairs.append((b"retry-after", str(self.retry_after).encode()))
        return pairs


class RateLimiter:
    """Counts requests per client in fixed one-minute windows of `clock`."""

    def __init__(self, limit: int, clock: Clock) -> None:
        if limit < 1:
            raise ValueError("the rate limit must allow at least one request a minute")
        self.limit = limit
        self._clock = clock
        self._counts: dict[str, tuple[int, int]] = {}  # client -> (window start, requests)

    def hit(self, client: str) -> Verdict:
        """Count a request of `client` and say whether it may be answered."""
        now = self._clock.now().timestamp()
        window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
        reset = window + WINDOW_SECONDS
        start, count = self._counts.get(client, (window, 0))
        if start != window:
            count = 0
        if len(self._counts) >= MAX_CLIENTS:
            self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        if count >= self.limit:
            self._counts[client] = (window, count)
            retry = max(1, math.ceil(reset - now))
            return Verdict(False, self.limit, 0, reset, retry)
        count += 1
        self._counts[client] = (window, count)
        return Verdict(True, self.limit, self.limit - count, reset, 0)


def _too_many(verdict: Verdict) -> tuple[list[tuple[bytes, bytes]], bytes]:
    body = json.dumps(
        {
            "errors": [
                {
                    "errorCode": "rateLimitExceeded",
                    "statusCode": 429,
                    "errorMessage": f"more than {verdict.limit} requests a minute; "
                    f"try again in {verdict.retry_after} s",
                }
            ]
        }
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *verdict.headers(),
    ]
    return headers, body


class RateLimitMiddleware:
    """ASGI middleware: the rate limit for requests whose path starts with one of `prefixes`;
    every other request passes untouched."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.limiter = limiter
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request, refuse it with 429 past the limit, else add the headers."""
        if scope["type"] != "http" or not str(scope["path"]).startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        verdict = self.limiter.hit(client[0] if client else "unknown")
        if not verdict.allowed:
            headers, body = _too_many(verdict)
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        extra = verdict.headers()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
