"""Helpers for the tests of the stub's ZMS citizen API: find a free time, book it step by step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from backend_stub.clock import CITY_TZ

ZMS = "/terminvereinbarung/api/citizen"
MAILBOX = "/terminvereinbarung/mailbox/"
KALK = 10004  # Kundenzentrum Kalk
INNENSTADT = 10001
ID_CARD = 1001  # Personalausweis beantragen: two slots
PASSPORT = 1002
REGISTRATION = 1003  # Wohnsitz anmelden: one slot
PERSON = {"familyName": "Beispiel", "email": "anna@example.org", "telephone": "0221 12345"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The JSON of an answer that must have `status`."""
    assert response.status_code == status, response.text
    return response.json()


def error_code(response: httpx.Response) -> str:
    """The first errorCode of a ZMS error answer."""
    code: str = response.json()["errors"][0]["errorCode"]
    return code


def key(process: dict[str, Any]) -> dict[str, Any]:
    """processId and authKey of a process."""
    return {"processId": process["processId"], "authKey": process["authKey"]}


async def calendar(
    http: httpx.AsyncClient,
    now: datetime,
    offices: list[int],
    services: list[int],
    counts: list[int] | None = None,
    days: int = 56,
) -> dict[str, Any]:
    """The available calendar from the day of `now` on."""
    today = now.astimezone(CITY_TZ).date()
    params = {
        "startDate": today.isoformat(),
        "endDate": (today + timedelta(days=days)).isoformat(),
        "officeIds": ",".join(map(str, offices)),
        "serviceIds": ",".join(map(str, services)),
    }
    if counts:
        params["serviceCounts"] = ",".join(map(str, counts))
    answer: dict[str, Any] = ok(await http.get(f"{ZMS}/available-calendar/", params=params))
    return answer


async def free_times(
    http: httpx.AsyncClient,
    now: datetime,
    office: int = KALK,
    services: list[int] | None = None,
    counts: list[int] | None = None,
) -> list[int]:
    """Every start time the office has free for the services, earliest first."""
    found = await calendar(http, now, [office], services or [ID_CARD], counts)
    times = [
        moment
        for day in found["availableDays"]
        for entry in day["offices"]
        if entry["officeId"] == str(office)
        for moment in entry["appointments"]
    ]
    assert times, "the sample data leaves free times in the next eight weeks"
    return times


async def reserve(
    http: httpx.AsyncClient,
    office: int,
    timestamp: int,
    services: list[int] | None = None,
    counts: list[int] | None = None,
) -> httpx.Response:
    """Ask to reserve `timestamp`."""
    services = services or [ID_CARD]
    body = {
        "officeId": office,
        "serviceId": services,
        "serviceCount": counts or [1] * len(services),
        "timestamp": timestamp,
    }
    return await http.post(f"{ZMS}/reserve-appointment/", json=body)


async def reserved(
    http: httpx.AsyncClient, now: datetime, office: int = KALK, index: int = 0
) -> dict[str, Any]:
    """A fresh reservation of the office's `index`th free time for an ID card."""
    times = await free_times(http, now, office)
    process: dict[str, Any] = ok(await reserve(http, office, times[index]))
    return process


async def confirmed(
    http: httpx.AsyncClient, now: datetime, office: int = KALK, index: int = 0
) -> dict[str, Any]:
    """A booking taken through every step: reserved, data added, preconfirmed, confirmed."""
    process = await reserved(http, now, office, index)
    ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    ok(await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process)))
    done: dict[str, Any] = ok(await http.post(f"{ZMS}/confirm-appointment/", json=key(process)))
    return done
