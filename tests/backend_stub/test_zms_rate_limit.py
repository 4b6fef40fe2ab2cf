"""ZMS's rate limit: per client IP and minute of the stub's clock, with its headers and 429."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from backend_stub.appointments.ratelimit import RateLimiter
from backend_stub.cli import parse_args
from backend_stub.clock import FixedClock
from backend_stub.main import create_app
from tests.zms_support import MAILBOX, ZMS, error_code

STUB = "http://stub.test"
NOW = datetime(2026, 11, 23, 9, 0, 20, tzinfo=UTC)  # 20 s into a minute

pytestmark = pytest.mark.anyio


async def test_past_the_limit_the_answer_is_429_with_retry_after(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    app = create_app(f"sqlite:///{tmp_path / 's.sqlite3'}", clock=clock, zms_rate_limit=3)
    reset = str(int(NOW.timestamp()) - 20 + 60)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=STUB) as http:
        remaining = []
        for _ in range(3):
            answer = await http.get(f"{ZMS}/offices-and-services/")
            assert answer.status_code == 200
            assert answer.headers["X-RateLimit-Limit"] == "3"
            assert answer.headers["X-RateLimit-Reset"] == reset
            remaining.append(answer.headers["X-RateLimit-Remaining"])
        assert remaining == ["2", "1", "0"]
        # every ZMS route counts, whatever it answers
        refused = await http.get(f"{ZMS}/appointment/", params={"processId": 1, "authKey": "x"})
        assert (refused.status_code, error_code(refused)) == (429, "rateLimitExceeded")
        assert refused.headers["Retry-After"] == "40"
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        assert refused.json()["errors"][0]["statusCode"] == 429
        assert (await http.get(MAILBOX, params={"processId": 1, "authKey": "x"})).status_code == 429
        # other protocols are not limited, and carry no such headers
        health = await http.get("/queue/v1/locations")
        assert health.status_code == 200 and "X-RateLimit-Limit" not in health.headers
        # another client has its own allowance
        other = httpx.ASGITransport(app=app, client=("127.0.0.2", 4711))
        async with httpx.AsyncClient(transport=other, base_url=STUB) as neighbour:
            assert (await neighbour.get(f"{ZMS}/offices-and-services/")).status_code == 200
        clock.advance(timedelta(seconds=40))  # the next minute of the stub's clock
        again = await http.get(f"{ZMS}/offices-and-services/")
        assert again.status_code == 200 and again.headers["X-RateLimit-Remaining"] == "2"
    app.state.engine.dispose()


async def test_a_request_refused_for_its_form_counts_and_carries_the_headers(
    tmp_path: Path,
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 's.sqlite3'}", clock=FixedClock(NOW))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=STUB) as http:
        bad = await http.post(f"{ZMS}/reserve-appointment/", content=b"\xff{")
        assert bad.status_code == 400 and bad.headers["X-RateLimit-Limit"] == "60"
        assert bad.headers["X-RateLimit-Remaining"] == "59"
        wrong_method = await http.delete(f"{ZMS}/appointment/")
        assert wrong_method.status_code == 405 and wrong_method.headers["X-RateLimit-Remaining"]
    app.state.engine.dispose()


def test_the_limit_is_at_least_one_and_set_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, FixedClock(NOW))
    assert parse_args([], {}).zms_rate_limit == 60
    assert parse_args(["--zms-rate-limit", "600"], {}).zms_rate_limit == 600
    with pytest.raises(SystemExit):
        parse_args(["--zms-rate-limit", "0"], {})
    with pytest.raises(SystemExit):
        parse_args(["--zms-rate-limit", "many"], {})
