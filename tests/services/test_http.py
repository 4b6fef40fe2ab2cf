"""The shared HTTP layer: a GET on a connection the server just closed is sent once more."""

from __future__ import annotations

import httpx
import pytest

from services.errors import Offline
from services.http import JsonClient

pytestmark = pytest.mark.anyio


def flaky_server(failures: int) -> tuple[httpx.MockTransport, list[str]]:
    """Drops the first `failures` requests the way a closing kept-alive connection does."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) <= failures:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return httpx.Response(200, json={"ok": True})

    return httpx.MockTransport(handle), seen


async def test_a_get_is_sent_again_once() -> None:
    transport, seen = flaky_server(failures=1)
    client = JsonClient("http://x.test", transport=transport)
    assert await client.get_json("/a") == {"ok": True}
    assert seen == ["GET", "GET"]


async def test_a_server_that_keeps_dropping_is_offline() -> None:
    transport, seen = flaky_server(failures=5)
    with pytest.raises(Offline):
        await JsonClient("http://x.test", transport=transport).get_json("/a")
    assert seen == ["GET", "GET"]  # once more, not forever


async def test_a_write_is_never_sent_twice_by_the_http_layer() -> None:
    transport, seen = flaky_server(failures=1)
    with pytest.raises(Offline):  # the outbox retries it, with its idempotency key
        await JsonClient("http://x.test", transport=transport).post_json("/a", {"x": 1})
    assert seen == ["POST"]
