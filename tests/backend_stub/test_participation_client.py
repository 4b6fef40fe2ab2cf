"""The app's participation client against the stub in-process: surveys as before, a response
sent twice with one key counted once, and the server's reasons in the error."""

from __future__ import annotations

import httpx
import pytest

from services.errors import ServiceError
from services.hub import SourceUrls
from services.participation.client import ParticipationClient

pytestmark = pytest.mark.anyio

ANSWERS = [
    {"question": "reihenfolge", "ranking": ["wlan", "sensoren", "zwilling", "schulen"]},
    {"question": "sensordaten_helfen", "value": 5},
    {"question": "orte", "choices": ["parks"]},
]


async def test_the_client_reads_sends_once_and_says_why_not(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    client = ParticipationClient(stub_urls.participation, transport=stub_transport)
    listed = await client.surveys()
    assert listed.problems == [] and {s.state for s in listed.entries} == {"open"}
    assert all(s.opens_at and s.measure_id for s in listed.entries)
    assert len(await client.measures()) == 3
    event = await client.event("kdw7px")
    assert [s.id for s in event.surveys] == ["smart-city-sensoren", "offene-daten"]
    body = {"device_token": "device-0123456789abcdef", "answers": ANSWERS}
    first = await client.send_response("smart-city-sensoren", body, "key-0001-abcdef")
    again = await client.send_response("smart-city-sensoren", body, "key-0001-abcdef")
    assert again == first
    with pytest.raises(ServiceError) as refused:
        await client.send_response("smart-city-sensoren", body, "key-0002-abcdef")
    assert "already_answered" in str(refused.value)
    results = await client.results("smart-city-sensoren")
    assert results.responses == 1 and results.questions[0].shown is False
    await client.aclose()
