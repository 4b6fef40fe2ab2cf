"""Every route of the stub's ZMS citizen API answers in the shape of the city's recorded answers.

tests/fixtures/zms/ holds our own answers in the shape of the recorded ones in
shared/reference/zms/ (same keys, plus the stub's documented extensions): each route's answer
must have exactly the keys of its fixture, with values of the same JSON types, all the way down.
The recorded answers' keys (no values) are kept in tests/fixtures/zms/recorded-keys.json, so
this runs in any checkout; where the recorded answers are at hand, the two are compared too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.clock import FixedClock
from tests.conftest import AT_MONDAY_10, STUB
from tests.zms_support import (
    KALK,
    MAILBOX,
    PERSON,
    REGISTRATION,
    ZMS,
    calendar,
    key,
    ok,
    reserve,
    reserved,
)

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zms"
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "zms"
# What the stub adds to the recorded shapes (docs/zms-contract.md calls them stub extensions)
EXTENSIONS = {
    "offices-and-services": {"openingHours", "fee", "documents", "description", "sample"},
    "process": {"reservedUntil"},
    "available-calendar": set(),
}
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def same_shape(answer: Any, model: Any, where: str = "$") -> None:
    """`answer` has the keys of `model` and values of its types, recursively (null is allowed
    where either side has it: the fields that may be empty)."""
    if answer is None or model is None:
        return
    assert json_type(answer) == json_type(model), f"{where}: {answer!r} is not like {model!r}"
    if isinstance(model, dict):
        assert set(answer) == set(model), (
            f"{where}: extra {sorted(set(answer) - set(model))}, "
            f"missing {sorted(set(model) - set(answer))}"
        )
        for name, value in model.items():
            same_shape(answer[name], value, f"{where}.{name}")
    elif isinstance(model, list) and model:
        for index, item in enumerate(answer):
            same_shape(item, model[0], f"{where}[{index}]")


def has_reference_keys(ours: Any, recorded: Any, extensions: set[str], where: str = "$") -> None:
    """Our fixture has every key of the recorded answer, and beyond them only `extensions`."""
    if isinstance(ours, dict) and isinstance(recorded, dict):
        assert set(recorded) <= set(ours), f"{where}: missing {set(recorded) - set(ours)}"
        assert set(ours) - set(recorded) <= extensions, f"{where}: {set(ours) - set(recorded)}"
        for name in recorded:
            has_reference_keys(ours[name], recorded[name], extensions, f"{where}.{name}")
    elif isinstance(ours, list) and isinstance(recorded, list) and ours and recorded:
        has_reference_keys(ours[0], recorded[0], extensions, f"{where}[0]")


@pytest.fixture
async def http(stub_transport: httpx.ASGITransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=stub_transport, base_url=STUB)


@pytest.mark.parametrize(
    ("ours", "recorded", "kind"),
    [
        ("offices-and-services", "offices-and-services", "offices-and-services"),
        ("available-calendar", "available-calendar", "available-calendar"),
        ("reserve-appointment", "reserve-appointment", "process"),
        ("confirm-appointment", "confirm-appointment", "process"),
        ("cancel-appointment", "cancel-appointment", "process"),
    ],
)
def test_our_fixtures_have_the_shape_of_the_recorded_answers(
    ours: str, recorded: str, kind: str
) -> None:
    keys = json.loads((FIXTURES / "recorded-keys.json").read_text(encoding="utf-8"))[recorded]
    has_reference_keys(fixture(ours), keys, EXTENSIONS[kind])


def skeleton(value: Any) -> Any:
    """An answer's keys without its values (lists by their first entry)."""
    if isinstance(value, dict):
        return {name: skeleton(item) for name, item in value.items()}
    if isinstance(value, list):
        return [skeleton(value[0])] if value else []
    return None


def test_the_recorded_keys_are_those_of_the_recorded_answers() -> None:
    """recorded-keys.json holds only the keys of shared/reference/zms (no values), so the test
    above runs in any checkout; where the recorded answers are at hand, they must agree."""
    keys = json.loads((FIXTURES / "recorded-keys.json").read_text(encoding="utf-8"))
    assert set(keys) >= {"offices-and-services", "available-calendar", "reserve-appointment"}
    recorded = sorted(REFERENCE.glob("*.expected.json"))
    for path in recorded:
        name = path.name.removesuffix(".expected.json")
        assert keys[name] == skeleton(json.loads(path.read_text(encoding="utf-8"))), name


async def test_offices_and_services_has_the_recorded_shape(http: httpx.AsyncClient) -> None:
    answer = await http.get(f"{ZMS}/offices-and-services/")
    body = ok(answer)
    same_shape(body, fixture("offices-and-services"))
    assert all(name in answer.headers for name in RATE_HEADERS)
    assert len(body["services"]) >= 12 and len(body["offices"]) == 10


async def test_the_calendar_has_the_recorded_shape(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    body = await calendar(http, clock.now(), [KALK, 10003], [REGISTRATION])
    same_shape(body, fixture("available-calendar"))
    assert body["availableDays"] and all(
        isinstance(moment, int)
        for day in body["availableDays"]
        for office in day["offices"]
        for moment in office["appointments"]
    )


async def test_every_step_of_a_booking_answers_a_process_of_the_recorded_shape(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process_shape = fixture("confirm-appointment")
    first = await reserved(http, clock.now())
    same_shape(first, fixture("reserve-appointment"))
    answers = [
        await http.post(f"{ZMS}/update-appointment/", json={**key(first), **PERSON}),
        await http.post(f"{ZMS}/preconfirm-appointment/", json=key(first)),
        await http.post(f"{ZMS}/confirm-appointment/", json=key(first)),
        await http.get(f"{ZMS}/appointment/", params=key(first)),
    ]
    for answer in answers:
        same_shape(ok(answer), process_shape)
        assert all(name in answer.headers for name in RATE_HEADERS)
    cancelled = ok(await http.post(f"{ZMS}/cancel-appointment/", json=key(first)))
    same_shape(cancelled, fixture("cancel-appointment"))
    assert cancelled["status"] == "deleted"
    same_shape(ok(await http.get(MAILBOX, params=key(first))), fixture("mailbox"))


async def test_a_booking_of_two_services_lists_the_second_as_a_sub_request(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    body = await calendar(http, clock.now(), [KALK], [1002, 1001])
    moment = body["availableDays"][0]["offices"][0]["appointments"][0]
    process = ok(await reserve(http, KALK, moment, [1002, 1001]))
    same_shape(process, fixture("reserve-appointment"))
    assert process["slotCount"] == 4
    assert process["subRequestCounts"] == [
        {"id": 1001, "name": "Personalausweis beantragen", "count": 1}
    ]


@pytest.mark.parametrize(
    ("method", "path", "options"),
    [
        ("GET", "/appointment/", {"params": {"processId": 999999, "authKey": "abcd"}}),
        ("POST", "/confirm-appointment/", {"json": {"processId": 999999, "authKey": "abcd"}}),
        ("POST", "/reserve-appointment/", {"json": {"officeId": 1}}),
        ("GET", "/available-calendar/", {"params": {"startDate": "x"}}),
    ],
)
async def test_errors_have_the_zms_error_shape_and_rate_headers(
    http: httpx.AsyncClient, method: str, path: str, options: dict[str, Any]
) -> None:
    answer = await http.request(method, ZMS + path, **options)
    assert answer.status_code in (400, 404)
    same_shape(answer.json(), fixture("error"))
    assert answer.json()["errors"][0]["statusCode"] == answer.status_code
    assert all(name in answer.headers for name in RATE_HEADERS)


@pytest.mark.clock(AT_MONDAY_10)
async def test_a_kiosk_check_in_answers_a_drawn_ticket(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    # a time within the hour at some Kundenzentrum: check-in opens 60 minutes before
    found = await calendar(http, clock.now(), list(range(10001, 10010)), [REGISTRATION], days=0)
    soon = clock.now().timestamp() + 3600
    office, moment = next(
        (int(entry["officeId"]), start)
        for day in found["availableDays"]
        for entry in day["offices"]
        for start in entry["appointments"]
        if start <= soon
    )
    process = ok(await reserve(http, office, moment, [REGISTRATION]))
    ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    ok(await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process)))
    ok(await http.post(f"{ZMS}/confirm-appointment/", json=key(process)))
    slug = process["scope"]["shortName"]
    ticket = ok(await http.post(f"/queue/v1/locations/{slug}/check-in", json=key(process)), 201)
    drawn = ok(
        await http.post(f"/queue/v1/locations/{slug}/tickets", json={"serviceId": 1001}), 201
    )
    same_shape(ticket, drawn)  # the same ticket JSON as drawing one
    assert ticket["displayNumber"].startswith("T")
    again = ok(await http.get(f"{ZMS}/appointment/", params=key(process)))
    assert again["status"] == "queued" and again["displayNumber"] == ticket["displayNumber"]
