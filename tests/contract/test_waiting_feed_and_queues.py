"""The stub's waiting-time feed and queue API, as the city's format and our clients expect."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from services.errors import Conflict, NotFound
from services.hub import AppServices
from services.waiting_times.feed import WaitingFeedClient, parse_local_timestamp
from services.waiting_times.queue import QueueClient
from services.waiting_times.ticket_link import TicketRef
from tests.conftest import ADMIN_TOKEN, AT_MONDAY_10, STUB, T0

FEED = "/externe-dienste/open-data/waiting-od.php"
PERSON = "person-one-aaaaaaaaaaaaaaaa"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
FIELDS = {"title_anz", "timestamp", "link", "status", "sondertext", "wartezeit_minuten"}


@pytest.fixture
async def http(stub_transport: httpx.ASGITransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=stub_transport, base_url=STUB)


@pytest.mark.anyio
async def test_feed_is_the_citys_format_with_strings_only(http: httpx.AsyncClient) -> None:
    body = (await http.get(FEED)).json()
    assert body["success"] is True and len(body["items"]) == 10
    for item in body["items"]:
        assert set(item) == FIELDS
        assert all(isinstance(value, str) for value in item.values())
        assert item["status"] in ("1", "2")
        assert item["wartezeit_minuten"].isdigit()
    kfz = next(i for i in body["items"] if i["title_anz"] == "Kfz-Zulassungsstelle")
    frozen = parse_local_timestamp(kfz["timestamp"])
    assert frozen is not None and T0 - frozen > timedelta(days=365)  # frozen for years
    names = [i["title_anz"] for i in body["items"]]
    assert "Kundenzentrum Ehrenfeld" in names and "Kundenzentrum Rodenkirchen" in names


@pytest.mark.anyio
async def test_a_closed_kundenzentrum_reports_status_2_and_no_wait(
    http: httpx.AsyncClient,
) -> None:
    closed = await http.put("/admin/queues/kalk/open", json={"open": False}, headers=ADMIN)
    assert closed.json()["isOpen"] is False
    item = next(i for i in (await http.get(FEED)).json()["items"] if "Kalk" in i["title_anz"])
    assert (item["status"], item["wartezeit_minuten"]) == ("2", "0")
    drawn = await http.post("/queue/v1/locations/kalk/tickets", json={"serviceId": 1001})
    assert drawn.status_code == 409
    assert drawn.json()["errors"][0]["errorCode"] == "locationClosed"


@pytest.mark.clock(AT_MONDAY_10)
@pytest.mark.anyio
async def test_feed_values_come_from_the_simulated_queues(http: httpx.AsyncClient) -> None:
    locations = {
        loc["name"]: loc for loc in (await http.get("/queue/v1/locations")).json()["locations"]
    }
    items = (await http.get(FEED)).json()["items"]
    for item in items:
        if item["title_anz"] in locations:
            assert (
                int(item["wartezeit_minuten"])
                == locations[item["title_anz"]]["waitingTimeEstimate"]
            )
    assert len({i["wartezeit_minuten"] for i in items}) > 2  # not one constant


@pytest.mark.anyio
async def test_polled_routes_answer_304_when_nothing_changed(http: httpx.AsyncClient) -> None:
    for path in (FEED, "/queue/v1/locations", "/queue/v1/locations/porz/calls"):
        first = await http.get(path)
        etag = first.headers["ETag"]
        again = await http.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert (await http.get(path, headers={"If-None-Match": '"other"'})).status_code == 200


@pytest.mark.anyio
async def test_admin_routes_need_the_token(http: httpx.AsyncClient) -> None:
    assert (await http.put("/admin/queues/speed", json={"speed": 60})).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert (
        await http.post("/admin/queues/kalk/call-next", json={"counter": 1}, headers=wrong)
    ).status_code == 401
    assert (
        await http.put("/admin/queues/speed", json={"speed": 60}, headers=ADMIN)
    ).status_code == 200


@pytest.mark.clock(AT_MONDAY_10)
@pytest.mark.anyio
async def test_a_ticket_is_drawn_followed_and_called(
    http: httpx.AsyncClient, stub_transport: httpx.ASGITransport
) -> None:
    client = QueueClient(STUB + "/queue/v1", transport=stub_transport)
    await http.put("/admin/queues/speed", json={"speed": 0}, headers=ADMIN)
    drawn = await client.draw("nippes", 1002)
    assert drawn.link.endswith(f"/waiting/ticket/nippes/{drawn.token}")
    assert str(drawn.number) not in drawn.token.split(".")[1]
    status = await client.ticket("nippes", drawn.token)
    assert status.display_number == drawn.display_number and status.status == "queued"
    for _ in range(status.numbers_ahead + 1):
        await http.post("/admin/queues/nippes/call-next", json={"counter": 3}, headers=ADMIN)
    called = await client.ticket("nippes", drawn.token)
    assert (called.status, called.counter) == ("called", 3)
    calls = await client.calls("nippes")
    assert calls.calls[0].display_number == drawn.display_number
    with pytest.raises(NotFound) as other:
        await client.ticket("porz", drawn.token)
    assert other.value.code == "ticketOtherLocation"
    with pytest.raises(NotFound) as forged:
        await client.ticket("nippes", drawn.token[:-1] + ("A" if drawn.token[-1] != "A" else "B"))
    assert forged.value.code == "ticketNotFound"
    await client.aclose()


@pytest.mark.clock(AT_MONDAY_10)
@pytest.mark.anyio
async def test_followed_tickets_alert_once_when_near_and_once_when_called(
    services: AppServices, stub_transport: httpx.ASGITransport
) -> None:
    async with httpx.AsyncClient(transport=stub_transport, base_url=STUB) as http:
        await http.put("/admin/queues/speed", json={"speed": 0}, headers=ADMIN)
        drawn = await services.clients.queue.draw("kalk", 1001)
        heard: list[str] = []
        services.tickets.watch(
            PERSON, lambda _n: None, lambda alerts: heard.extend(a.kind for a in alerts)
        )
        followed, error = await services.tickets.follow_checked(
            PERSON, TicketRef("kalk", drawn.token)
        )
        assert followed is not None and error is None
        ahead = followed.status.numbers_ahead if followed.status else 0

        async def round_of_alerts() -> list[str]:
            found = await services.tickets.refresh(PERSON, force=True)
            return [a.kind for a in found.get(PERSON, [])]

        kinds = list(heard)
        kinds += await round_of_alerts()
        for _ in range(ahead + 1):
            await http.post("/admin/queues/kalk/call-next", json={"counter": 1}, headers=ADMIN)
            kinds += await round_of_alerts()
        kinds += await round_of_alerts()
    assert kinds == ["near", "called"]
    assert heard == ["near", "called"]  # the person's session heard each alert once
    refused, why = await services.tickets.follow_checked(
        PERSON, TicketRef("kalk", "2026100500001.AAAAAAAAAAAAAAAA")
    )
    assert refused is None and why is not None and why.code == "ticketNotFound"
    nowhere, why = await services.tickets.follow_checked(PERSON, TicketRef("nowhere", "x.y.z"))
    assert nowhere is None and why is not None and why.code == "locationNotFound"
    assert len(services.tickets.all(PERSON)) == 1


@pytest.mark.clock(AT_MONDAY_10)
@pytest.mark.anyio
async def test_an_offline_ticket_keeps_its_place_and_estimates_the_wait(
    services: AppServices, stub_transport: httpx.ASGITransport, clock
) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(transport=stub_transport, base_url=STUB) as http:
        await http.put("/admin/queues/speed", json={"speed": 0}, headers=ADMIN)
        for _ in range(12):
            await http.post("/queue/v1/locations/kalk/tickets", json={"serviceId": 1003})
    drawn = await services.clients.queue.draw("kalk", 1001)
    followed, _error = await services.tickets.follow_checked(PERSON, TicketRef("kalk", drawn.token))
    assert followed is not None and followed.expected_wait(clock.now()) is not None
    wait, estimated = followed.expected_wait(clock.now())  # type: ignore[misc]
    assert not estimated and wait > 0

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    services.tickets._client = QueueClient(
        STUB + "/queue/v1", transport=httpx.MockTransport(refuse)
    )
    await services.tickets.refresh(PERSON, force=True)
    offline = services.tickets.all(PERSON)[0]
    assert (
        offline.status is not None and offline.status.numbers_ahead == followed.status.numbers_ahead
    )  # type: ignore[union-attr]
    later = clock.now() + timedelta(minutes=3)
    assert offline.expected_wait(later) == (max(0, wait - 3), True)


@pytest.mark.anyio
async def test_expired_tickets_are_refused_as_such(stub_app, stub_transport) -> None:  # type: ignore[no-untyped-def]
    world = stub_app.state.queues
    token = world.signer.sign("porz", (T0 - timedelta(days=1)).date(), 4)
    client = QueueClient(STUB + "/queue/v1", transport=stub_transport)
    with pytest.raises(Conflict) as expired:
        await client.ticket("porz", token)
    assert expired.value.code == "ticketExpired"
    await client.aclose()


@pytest.mark.anyio
async def test_feed_client_reuses_its_copy_on_304(stub_transport: httpx.ASGITransport) -> None:
    seen: list[int] = []

    async def spy(request: httpx.Request) -> httpx.Response:
        response = await stub_transport.handle_async_request(request)
        seen.append(response.status_code)
        return response

    client = WaitingFeedClient(STUB + FEED, transport=httpx.MockTransport(spy))
    first, second = await client.fetch(), await client.fetch()
    assert first == second and seen == [200, 304]
    await client.aclose()
