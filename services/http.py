"""The shared HTTP layer: timeouts, JSON decoding and mapping failures into the error tree."""

from __future__ import annotations

import functools
import json
import re
import ssl
import zlib
from dataclasses import dataclass
from typing import Any

import httpx

from services.errors import (
    BadData,
    Conflict,
    NotFound,
    Offline,
    RateLimited,
    Rejected,
    ServerError,
    ServiceError,
    TimedOut,
)

# Connect fast or call it offline; allow a slow server a little longer to answer.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
USER_AGENT = "koeln-app/0.1 (+https://www.stadt-koeln.de)"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# A waiting request (RFC 7240 `Prefer: wait`) may be held this long; it gets this much more.
WAIT_SLACK = 10.0
WAIT_POOLS = 32  # connection pools the waiting requests are spread over
WAIT_APPLIED = re.compile(r"(?:^|,)\s*wait\s*=\s*\d+", re.IGNORECASE)


@dataclass(frozen=True)
class Waited:
    """The answer to a waiting request: new data (or None: unchanged), and how it went."""

    body: Any  # None when unchanged (304)
    etag: str | None  # the validator to send with the next waiting request
    held: bool  # the server honoured `Prefer: wait` (it held the request until a change)


@functools.cache
def shared_tls() -> ssl.SSLContext:
    """One verifying TLS context for every client: each costs ~1 MB and 30 ms to load."""
    return httpx.create_ssl_context()


def error_for_status(
    response: httpx.Response, detail: str | None = None, code: str | None = None
) -> ServiceError:
    """Map an HTTP error status into the error tree, with the server's own words if any."""
    message = detail or f"HTTP {response.status_code} from {response.request.url.host}"
    status = response.status_code
    if status == 404:
        return NotFound(message, code=code)
    if status in (409, 410):
        return Conflict(message, code=code)
    if status == 429:
        retry_after = response.headers.get("Retry-After")
        try:
            seconds = float(retry_after) if retry_after else None
        except ValueError:
            seconds = None
        return RateLimited(message, retry_after=seconds)
    if status >= 500:
        return ServerError(message, code=code)
    return Rejected(message, code=code)


class JsonClient:
    """An async JSON-over-HTTP client for one source, raising only `ServiceError`s."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # URL -> (ETag, decoded body) of the last answer, for conditional GETs of polled data
        self._validators: dict[str, tuple[str, Any]] = {}
        self._options: dict[str, Any] = {
            "base_url": self.base_url,
            "transport": transport,
            "timeout": timeout,
            "verify": shared_tls(),
            "headers": {"User-Agent": USER_AGENT, "Accept": "application/json"},
            "follow_redirects": False,
        }
        self._http = httpx.AsyncClient(
            **self._options,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        # Waiting requests are spread over several pools: httpx looks through every connection
        # of a pool for each request, which a thousand held requests in one pool make slow.
        self._waiting: dict[int, httpx.AsyncClient] = {}

    @property
    def http(self) -> httpx.AsyncClient:
        """The connection pool, for downloads from this source that are not JSON (CSV files)."""
        return self._http

    async def aclose(self) -> None:
        """Close the connection pools."""
        await self._http.aclose()
        for pool in self._waiting.values():
            await pool.aclose()

    def _waiting_pool(self, path: str) -> httpx.AsyncClient:
        shard = zlib.crc32(path.encode()) % WAIT_POOLS
        if shard not in self._waiting:
            self._waiting[shard] = httpx.AsyncClient(
                **self._options, limits=httpx.Limits(max_connections=None)
            )
        return self._waiting[shard]

    def error_detail(self, response: httpx.Response) -> str | None:
        """Pull the protocol's own error message out of an error body; override per protocol."""
        return None

    def error_code(self, response: httpx.Response) -> str | None:
        """Pull the protocol's own error code out of an error body; override per protocol."""
        return None

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON body, or raise from the error tree."""
        response = await self._send(method, path, params=params, json=json_body, headers=headers)
        return self._decode(response)

    async def _send(
        self, method: str, path: str, *, pool: httpx.AsyncClient | None = None, **options: Any
    ) -> httpx.Response:
        http = pool or self._http
        try:
            try:
                return await http.request(method, path, **options)
            except httpx.RemoteProtocolError:
                if method != "GET":
                    raise
                # a kept-alive connection the server closed just as we reused it: a GET is
                # safe to send again, once, on a new connection (as browsers do)
                return await http.request(method, path, **options)
        except httpx.TimeoutException as exc:
            raise TimedOut(f"{self.base_url} did not answer in time") from exc
        except httpx.TransportError as exc:
            raise Offline(f"{self.base_url} is not reachable: {exc.__class__.__name__}") from exc

    def _decode(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise error_for_status(response, self.error_detail(response), self.error_code(response))
        return decode_json(response)

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET `path` and return its JSON."""
        return await self.request_json("GET", path, params=params)

    async def poll_json(self, path: str) -> Any:
        """GET `path` conditionally: a 304 answer reuses the body of the last 200."""
        known = self._validators.get(path)
        headers = {"If-None-Match": known[0]} if known else None
        response = await self._send("GET", path, headers=headers)
        if response.status_code == 304 and known:
            return known[1]
        body = self._decode(response)
        if etag := response.headers.get("ETag"):
            self._validators[path] = (etag, body)
        return body

    async def wait_json(self, path: str, etag: str | None, wait: float) -> Waited:
        """GET `path` once it differs from `etag`: the server may hold the request up to `wait`
        seconds (long polling). A server that does not wait answers at once (`held` is False).
        """
        headers = {"Prefer": f"wait={int(wait)}"}
        if etag:
            headers["If-None-Match"] = etag
        timeout = httpx.Timeout(wait + WAIT_SLACK, connect=DEFAULT_TIMEOUT.connect)
        response = await self._send(
            "GET", path, headers=headers, timeout=timeout, pool=self._waiting_pool(path)
        )
        held = bool(WAIT_APPLIED.search(response.headers.get("Preference-Applied", "")))
        if response.status_code == 304:
            return Waited(None, response.headers.get("ETag") or etag, held)
        body = self._decode(response)
        if new_etag := response.headers.get("ETag"):
            self._validators[path] = (new_etag, body)  # a plain poll_json asks conditionally
        return Waited(body, new_etag, held)

    async def post_json(self, path: str, body: Any, *, idempotency_key: str | None = None) -> Any:
        """POST a JSON body; with a key the server can recognise a retry of the same write."""
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
        return await self.request_json("POST", path, json_body=body, headers=headers)


def decode_json(response: httpx.Response) -> Any:
    """Decode a body as JSON, calling HTML or junk what it is: bad data."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        kind = response.headers.get("content-type", "unknown content")
        raise BadData(f"expected JSON, got {kind}") from exc
