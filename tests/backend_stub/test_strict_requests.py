"""The stub reads request bodies strictly, and its OpenAPI names every error it answers with."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from backend_stub.clock import FixedClock
from backend_stub.main import create_app

ADMIN_TOKEN = "strict-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
MONDAY_10 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)  # 10:00 in Cologne, walk-in hours

pytestmark = pytest.mark.anyio


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}",
        admin_token=ADMIN_TOKEN,
        clock=FixedClock(MONDAY_10),
        queue_speed=0,
    )


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://stub.test"
    ) as client:
        yield client
    app.state.engine.dispose()


@pytest.mark.parametrize(
    "body",
    [
        {"serviceId": True},
        {"serviceId": "1001"},
        {"serviceId": 1001.5},
        {"serviceId": None},
        {"serviceId": 1001, "name": "Erika"},
        {},
        [1001],
    ],
)
async def test_a_draw_takes_a_whole_number_and_nothing_else(
    http: httpx.AsyncClient, body: Any
) -> None:
    refused = await http.post("/queue/v1/locations/ehrenfeld/tickets", json=body)
    assert refused.status_code == 422, refused.text
    assert "detail" in refused.json()


async def test_a_whole_number_may_be_written_with_a_point(http: httpx.AsyncClient) -> None:
    # JSON does not tell 1001 from 1001.0, and neither does JSON Schema's `integer`
    drawn = await http.post("/queue/v1/locations/ehrenfeld/tickets", json={"serviceId": 1001.0})
    assert drawn.status_code == 201 and drawn.json()["serviceId"] == 1001


async def test_an_unknown_service_or_counter_is_not_found_in_zms_shape(
    http: httpx.AsyncClient,
) -> None:
    drawn = await http.post("/queue/v1/locations/ehrenfeld/tickets", json={"serviceId": 2001})
    assert drawn.status_code == 404
    assert drawn.json()["errors"][0] == {
        "errorCode": "serviceNotFound",
        "statusCode": 404,
        "errorMessage": "this service has no walk-in queue",
    }
    called = await http.post(
        "/admin/queues/ehrenfeld/call-next", json={"counter": 99}, headers=ADMIN
    )
    assert called.status_code == 404
    assert called.json()["errors"][0]["errorCode"] == "counterNotFound"


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("/admin/queues/ehrenfeld/call-next", "POST", {"counter": True}),
        ("/admin/queues/ehrenfeld/call-next", "POST", {"counter": "1"}),
        ("/admin/queues/ehrenfeld/call-next", "POST", {"counter": 1, "also": 2}),
        ("/admin/queues/ehrenfeld/open", "PUT", {"open": 1}),
        ("/admin/queues/ehrenfeld/open", "PUT", {"open": "false"}),
        ("/admin/queues/ehrenfeld/open", "PUT", {"open": False, "until": "12:00"}),
        ("/admin/queues/speed", "PUT", {"speed": False}),
        ("/admin/queues/advance", "POST", {"minutes": True}),
    ],
)
async def test_operator_bodies_are_strict(
    http: httpx.AsyncClient, app: FastAPI, path: str, method: str, body: dict[str, Any]
) -> None:
    before = app.state.queues.clock.state()
    refused = await http.request(method, path, json=body, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    assert app.state.queues.clock.state() == before  # `false` paused nothing


@pytest.mark.parametrize(
    "body",
    [
        {"screen": "overview", "message": "The button is too small", "email": "a@b.de"},
        {"screen": 7, "message": "The button is too small"},
        {"screen": "overview", "message": ["The button is too small"]},
    ],
)
async def test_a_barrier_report_is_anonymous_and_strict(
    http: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    refused = await http.post("/participation/v1/barrier-reports", json=body)
    assert refused.status_code == 422, refused.text


async def test_a_body_that_is_not_json_text_is_a_documented_400(http: httpx.AsyncClient) -> None:
    refused = await http.post(
        "/participation/v1/barrier-reports",
        content=b"\xff\xfe{",
        headers={"Content-Type": "application/json"},
    )
    assert refused.status_code == 400 and isinstance(refused.json()["detail"], str)


def test_the_openapi_names_each_status_with_its_protocols_error_model(app: FastAPI) -> None:
    paths = app.openapi()["paths"]

    def documented(path: str, method: str) -> dict[str, str]:
        responses = paths[path][method]["responses"]
        return {
            status: answer.get("content", {})
            .get("application/json", {})
            .get("schema", {})
            .get("$ref", "")
            .rsplit("/", 1)[-1]
            for status, answer in responses.items()
        }

    assert documented("/queue/v1/locations/{slug}/tickets", "post") == {
        "201": "DrawnTicket",
        "400": "HttpError",
        "404": "ZmsErrors",
        "409": "ZmsErrors",
        "422": "HTTPValidationError",
    }
    assert documented("/queue/v1/locations/{slug}/tickets/{token}", "get") == {
        "200": "Ticket",
        "304": "",
        "404": "ZmsErrors",
        "410": "ZmsErrors",
        "422": "HTTPValidationError",
    }
    assert documented("/api/3/action/package_show", "get") == {
        "200": "PackageAnswer",
        "404": "CkanFailure",
        "422": "HTTPValidationError",
    }
    assert documented("/api/3/action/package_search", "get")["409"] == "CkanFailure"
    speed = documented("/admin/queues/speed", "put")
    assert (speed["401"], speed["403"], speed["422"]) == (
        "HttpError",
        "HttpError",
        "HTTPValidationError",
    )
    assert paths["/admin/queues/speed"]["put"]["security"] == [{"adminToken": []}]
    ckan_error = app.openapi()["components"]["schemas"]["CkanErrorDetail"]
    assert set(ckan_error["required"]) == {"__type", "message"}
