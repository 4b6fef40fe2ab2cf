"""The stub's ZMS citizen API: the status path, expiry, privacy, validation, the calendar.

Each test builds a stub on its own SQLite file with a clock that stands still until the test
moves it, so nothing depends on the day the suite runs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlmodel import Session, col, func, select

from backend_stub.appointments.calendar import (
    HORIZON_DAYS,
    Horizon,
    OfficeHours,
    easter_sunday,
    free_starts,
    is_holiday,
    nrw_holidays,
    taken_by_others,
)
from backend_stub.appointments.housekeeping import housekeeping
from backend_stub.appointments.privacy import anonymise_past
from backend_stub.appointments.processes import expire_due
from backend_stub.clock import CITY_TZ, FixedClock
from backend_stub.main import create_app
from backend_stub.models import AppointmentMail, AppointmentProcess, AppointmentSlot
from backend_stub.seed_data import SERVICES, WEEKDAY_HOURS
from tests.zms_support import (
    ID_CARD,
    INNENSTADT,
    KALK,
    MAILBOX,
    PASSPORT,
    PERSON,
    REGISTRATION,
    ZMS,
    calendar,
    confirmed,
    error_code,
    free_times,
    key,
    ok,
    reserve,
    reserved,
)

STUB = "http://stub.test"
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 23 November 2026, 10:00 Cologne
APP_URL = "https://app.koeln.example"

pytestmark = pytest.mark.anyio


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_10)


@pytest.fixture
def app(tmp_path: Path, clock: FixedClock) -> FastAPI:
    return create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}",
        clock=clock,
        queue_speed=0,
        app_url=APP_URL,
        zms_rate_limit=10_000,
    )


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=STUB) as client:
        yield client
    app.state.engine.dispose()


def rows(app: FastAPI, table: Any, *where: Any) -> int:
    with Session(app.state.engine) as session:
        count: int = session.exec(select(func.count()).select_from(table).where(*where)).one()
        return count


def stored(app: FastAPI, process_id: int) -> AppointmentProcess:
    with Session(app.state.engine) as session:
        row = session.get(AppointmentProcess, process_id - 100_000)
        assert row is not None
        return row


# --- the status path ------------------------------------------------------------------------


async def test_a_booking_goes_reserved_preconfirmed_confirmed_deleted(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    moment = (await free_times(http, clock.now()))[-1]
    process = ok(await reserve(http, KALK, moment))
    assert process["status"] == "reserved" and process["timestamp"] == str(moment)
    assert isinstance(process["processId"], int) and 4 <= len(process["authKey"]) <= 5
    assert process["slotCount"] == 2 and process["serviceName"] == "Personalausweis beantragen"
    assert process["reservedUntil"] == int(clock.now().timestamp()) + 15 * 60
    assert process["scope"]["reservationDuration"] == 15
    assert rows(app, AppointmentSlot) == 2

    updated = ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    assert (updated["familyName"], updated["email"]) == ("Beispiel", "anna@example.org")
    clock.advance(timedelta(minutes=10))
    pre = ok(await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process)))
    assert pre["status"] == "preconfirmed"
    assert pre["reservedUntil"] == int(clock.now().timestamp()) + 15 * 60  # waits anew

    mails = ok(await http.get(MAILBOX, params=key(process)))["mails"]
    assert [m["kind"] for m in mails] == ["preconfirm"]
    link = f"{APP_URL}/appointments/confirm/{process['processId']}/{process['authKey']}"
    assert mails[0]["link"] == link
    assert "Beispiel" not in mails[0]["subject"]  # nothing personal kept with a mail

    done = ok(await http.post(f"{ZMS}/confirm-appointment/", json=key(process)))
    assert done["status"] == "confirmed" and done["reservedUntil"] is None
    clock.advance(timedelta(hours=2))  # a confirmed booking does not expire
    assert ok(await http.get(f"{ZMS}/appointment/", params=key(process)))["status"] == "confirmed"

    gone = ok(await http.post(f"{ZMS}/cancel-appointment/", json=key(process)))
    assert gone["status"] == "deleted"
    assert (gone["familyName"], gone["email"], gone["telephone"]) == ("", "", "")
    assert rows(app, AppointmentSlot) == 0
    again = await http.post(f"{ZMS}/cancel-appointment/", json=key(process))
    once_more = await http.post(f"{ZMS}/cancel-appointment/", json=key(process))
    assert again.status_code == 200 and again.content == once_more.content
    mails = ok(await http.get(MAILBOX, params=key(process)))["mails"]
    assert [m["kind"] for m in mails] == ["preconfirm", "confirm", "cancel"]
    assert [m["link"] for m in mails][1:] == [None, None]


async def test_each_step_only_from_its_status(http: httpx.AsyncClient, clock: FixedClock) -> None:
    process = await reserved(http, clock.now())
    no_mail = await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process))
    assert (no_mail.status_code, error_code(no_mail)) == (400, "invalidEmail")
    early = await http.post(f"{ZMS}/confirm-appointment/", json=key(process))
    assert (early.status_code, error_code(early)) == (409, "invalidProcessStatus")
    ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    ok(await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process)))
    late_update = await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON})
    assert (late_update.status_code, error_code(late_update)) == (409, "invalidProcessStatus")
    twice = await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process))
    assert twice.status_code == 409
    ok(await http.post(f"{ZMS}/confirm-appointment/", json=key(process)))
    again = await http.post(f"{ZMS}/confirm-appointment/", json=key(process))
    assert (again.status_code, error_code(again)) == (409, "invalidProcessStatus")


async def test_a_past_appointment_cannot_be_cancelled(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await confirmed(http, clock.now())
    clock.advance(timedelta(seconds=int(process["timestamp"]) - clock.now().timestamp() + 60))
    refused = await http.post(f"{ZMS}/cancel-appointment/", json=key(process))
    assert (refused.status_code, error_code(refused)) == (400, "appointmentCanNotBeCanceled")
    assert ok(await http.get(f"{ZMS}/appointment/", params=key(process)))["status"] == "confirmed"


# --- slots ----------------------------------------------------------------------------------


async def test_cancelling_frees_the_slot_for_the_next_person(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    times = await free_times(http, clock.now())
    first = ok(await reserve(http, KALK, times[0]))
    taken = await reserve(http, KALK, times[0])
    assert (taken.status_code, error_code(taken)) == (404, "appointmentNotAvailable")
    assert times[0] not in await free_times(http, clock.now())
    ok(await http.post(f"{ZMS}/cancel-appointment/", json=key(first)))
    assert times[0] in await free_times(http, clock.now())
    assert ok(await reserve(http, KALK, times[0]))["status"] == "reserved"


async def test_a_service_of_two_slots_takes_both_or_none(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    # a free slot right after the start of a free double slot: booking it blocks that start
    double = await free_times(http, clock.now(), KALK, [ID_CARD])
    single = set(await free_times(http, clock.now(), KALK, [REGISTRATION]))
    start = next(t for t in double if t + 900 in single)
    ok(await reserve(http, KALK, start + 900, [REGISTRATION]))
    half = await reserve(http, KALK, start, [ID_CARD])
    assert (half.status_code, error_code(half)) == (404, "appointmentNotAvailable")
    assert rows(app, AppointmentSlot) == 1  # nothing half-booked
    assert rows(app, AppointmentSlot, col(AppointmentSlot.slot_start) == start) == 0
    assert start not in await free_times(http, clock.now(), KALK, [ID_CARD])
    assert start in await free_times(http, clock.now(), KALK, [REGISTRATION])


async def test_several_services_add_up_their_slots(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    times = await free_times(http, clock.now(), KALK, [ID_CARD, PASSPORT], [2, 1])
    process = ok(await reserve(http, KALK, times[0], [ID_CARD, PASSPORT], [2, 1]))
    assert process["slotCount"] == 6 and process["serviceCount"] == 2
    assert rows(app, AppointmentSlot) == 6
    single = await free_times(http, clock.now(), KALK, [REGISTRATION])
    assert not {times[0] + n * 900 for n in range(6)} & set(single)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"officeId": 99, "serviceId": [ID_CARD], "timestamp": 1}, "invalidOfficeId"),
        ({"officeId": KALK, "serviceId": [4711], "timestamp": 1}, "invalidServiceId"),
        ({"officeId": 10010, "serviceId": [ID_CARD], "timestamp": 1}, "invalidServiceId"),
        ({"officeId": KALK, "serviceId": [1004], "serviceCount": [2], "timestamp": 1}, None),
        ({"officeId": KALK, "serviceId": [1001, 1001], "timestamp": 1}, "invalidServiceId"),
        ({"officeId": KALK, "serviceId": [1001, 1004], "timestamp": 1}, "invalidServiceId"),
        ({"officeId": KALK, "serviceId": [1001, 1002], "serviceCount": [1], "timestamp": 1}, None),
        ({"officeId": KALK, "serviceId": [ID_CARD], "timestamp": "1795"}, "invalidTimestamp"),
        ({"officeId": KALK, "serviceId": [ID_CARD], "timestamp": -5}, "invalidTimestamp"),
        ({"officeId": True, "serviceId": [ID_CARD], "timestamp": 1}, "invalidOfficeId"),
        ({"officeId": KALK, "serviceId": ID_CARD, "timestamp": 1}, "invalidServiceId"),
        ({"officeId": KALK, "serviceId": [ID_CARD], "timestamp": 1, "name": "x"}, "invalidRequest"),
    ],
)
async def test_a_reservation_names_something_bookable(
    http: httpx.AsyncClient, body: dict[str, Any], code: str | None
) -> None:
    refused = await http.post(f"{ZMS}/reserve-appointment/", json=body)
    assert refused.status_code == 400, refused.text
    assert error_code(refused) == (code or "invalidServiceCount")
    assert "detail" not in refused.json()


async def test_a_time_that_was_never_offered_is_not_available(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    times = await free_times(http, clock.now())
    hours = OfficeHours.parse(KALK, WEEKDAY_HOURS)
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=CITY_TZ)
    others = next(
        s for s in hours.slots(date(2026, 11, 24)) if taken_by_others(KALK, s) and s > times[0]
    )
    for moment in (
        times[0] + 60,  # off the 15-minute grid
        int(sunday.timestamp()),
        int(clock.now().timestamp()) - 900,  # past
        times[0] + (HORIZON_DAYS + 7) * 86400,  # beyond eight weeks
        others,  # booked by somebody else in the sample data
    ):
        refused = await reserve(http, KALK, moment)
        assert (refused.status_code, error_code(refused)) == (404, "appointmentNotAvailable")


# --- the person's data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"familyName": ""}, "invalidFamilyName"),
        ({"familyName": "   "}, "invalidFamilyName"),
        ({"familyName": "x" * 101}, "invalidFamilyName"),
        ({"email": "anna"}, "invalidEmail"),
        ({"email": "anna@example"}, "invalidEmail"),
        ({"email": "an na@example.org"}, "invalidEmail"),
        ({"telephone": "0221 CALL ME"}, "invalidTelephone"),
        ({"telephone": "1" * 31}, "invalidTelephone"),
        ({"processId": "100001"}, "invalidProcessId"),
        ({"authKey": ""}, "invalidAuthKey"),
        ({"customTextfield": "x" * 501}, "invalidCustomTextfield"),
        ({"familyName": None}, "invalidFamilyName"),
    ],
)
async def test_the_persons_data_is_checked(
    http: httpx.AsyncClient, clock: FixedClock, change: dict[str, Any], code: str
) -> None:
    process = await reserved(http, clock.now())
    refused = await http.post(
        f"{ZMS}/update-appointment/", json={**key(process), **PERSON, **change}
    )
    assert (refused.status_code, error_code(refused)) == (400, code), refused.text
    assert "anna@example.org" not in refused.text  # what was sent is not echoed


async def test_a_telephone_number_may_have_the_usual_signs(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await reserved(http, clock.now())
    body = {**key(process), **PERSON, "telephone": "+49 (221) 123-45/6", "customTextfield": "!"}
    updated = ok(await http.post(f"{ZMS}/update-appointment/", json=body))
    assert updated["telephone"] == "+49 (221) 123-45/6" and updated["customTextfield"] == "!"


async def test_wrong_key_and_unknown_process_answer_the_same_404(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await reserved(http, clock.now())
    wrong = {"processId": process["processId"], "authKey": "zzzz"}
    unknown = {"processId": process["processId"] + 1000, "authKey": "zzzz"}
    for method, path in (
        ("GET", f"{ZMS}/appointment/"),
        ("GET", MAILBOX),
        ("POST", f"{ZMS}/preconfirm-appointment/"),
        ("POST", f"{ZMS}/confirm-appointment/"),
        ("POST", f"{ZMS}/cancel-appointment/"),
        ("POST", f"{ZMS}/update-appointment/"),
    ):
        answers = []
        for body in (wrong, unknown):
            if method == "GET":
                answers.append(await http.get(path, params=body))
            else:
                extra = PERSON if "update" in path else {}
                answers.append(await http.post(path, json={**body, **extra}))
        first, second = answers
        assert first.status_code == second.status_code == 404
        assert error_code(first) == "appointmentNotFound"
        assert first.content == second.content
        same = {k: v for k, v in first.headers.items() if k != "x-ratelimit-remaining"}
        assert same == {k: v for k, v in second.headers.items() if k != "x-ratelimit-remaining"}
    # and nothing happened to the booking
    assert ok(await http.get(f"{ZMS}/appointment/", params=key(process)))["status"] == "reserved"


# --- expiry ---------------------------------------------------------------------------------


async def test_a_reservation_expires_after_15_minutes(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    times = await free_times(http, clock.now())
    process = ok(await reserve(http, KALK, times[0]))
    ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    clock.advance(timedelta(minutes=14, seconds=59))
    assert ok(await http.get(f"{ZMS}/appointment/", params=key(process)))["status"] == "reserved"
    clock.advance(timedelta(seconds=1))
    # the next ZMS request of anybody expires it: slots free, data gone at once
    assert times[0] in await free_times(http, clock.now())
    row = stored(app, process["processId"])
    assert row.status == "expired"
    assert (row.family_name, row.email, row.telephone) == ("", "", "")
    assert rows(app, AppointmentSlot) == 0
    for method, path in (
        ("GET", "/appointment/"),
        ("POST", "/update-appointment/"),
        ("POST", "/preconfirm-appointment/"),
        ("POST", "/confirm-appointment/"),
    ):
        body = {**key(process), **PERSON} if "update" in path else key(process)
        if method == "GET":
            answer = await http.get(ZMS + path, params=body)
        else:
            answer = await http.post(ZMS + path, json=body)
        assert (answer.status_code, error_code(answer)) == (410, "reservationExpired"), path
    wrong = await http.get(f"{ZMS}/appointment/", params={**key(process), "authKey": "zzzz"})
    assert (wrong.status_code, error_code(wrong)) == (404, "appointmentNotFound")


async def test_a_preconfirmed_booking_expires_unless_confirmed(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    process = await reserved(http, clock.now())
    ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    ok(await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process)))
    clock.advance(timedelta(minutes=16))
    assert expire_due(app.state.engine, clock.now()) == 1  # the periodic job's sweep
    assert expire_due(app.state.engine, clock.now()) == 0
    late = await http.post(f"{ZMS}/confirm-appointment/", json=key(process))
    assert (late.status_code, error_code(late)) == (410, "reservationExpired")
    assert stored(app, process["processId"]).email == ""


async def test_an_expired_reservation_is_gone_for_cancelling_too(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await reserved(http, clock.now())
    clock.advance(timedelta(minutes=20))
    gone = await http.post(f"{ZMS}/cancel-appointment/", json=key(process))
    assert (gone.status_code, error_code(gone)) == (410, "reservationExpired")


# --- privacy --------------------------------------------------------------------------------


async def test_personal_data_is_anonymised_90_days_after_the_appointment(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    process = await confirmed(http, clock.now())
    day = datetime.fromtimestamp(int(process["timestamp"]), CITY_TZ).date()
    engine = app.state.engine
    ninety = datetime.combine(day + timedelta(days=90), datetime.min.time(), CITY_TZ)
    clock.advance(ninety + timedelta(hours=23) - clock.now())
    assert anonymise_past(engine, clock.now()) == 0  # 90 days are kept
    assert stored(app, process["processId"]).email == "anna@example.org"
    clock.advance(timedelta(hours=2))  # the 91st day
    assert anonymise_past(engine, clock.now()) == 1
    row = stored(app, process["processId"])
    assert (row.family_name, row.email, row.telephone, row.anonymised) == ("", "", "", True)
    assert rows(app, AppointmentMail) == 0
    assert anonymise_past(engine, clock.now()) == 0  # once is enough
    shown = ok(await http.get(f"{ZMS}/appointment/", params=key(process)))
    assert shown["familyName"] == "" and shown["status"] == "confirmed"


# --- the calendar ---------------------------------------------------------------------------


def test_easter_and_the_holidays_of_north_rhine_westphalia() -> None:
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    assert easter_sunday(2000) == date(2000, 4, 23)
    holidays = nrw_holidays(2027)
    assert holidays[date(2027, 5, 27)] == "Fronleichnam"
    assert holidays[date(2027, 3, 26)] == "Karfreitag"
    assert holidays[date(2027, 3, 29)] == "Ostermontag"
    assert holidays[date(2027, 5, 6)] == "Christi Himmelfahrt"
    assert holidays[date(2027, 5, 17)] == "Pfingstmontag"
    assert len(nrw_holidays(2026)) == 11
    for fixed in ("01-01", "05-01", "10-03", "11-01", "12-25", "12-26"):
        assert is_holiday(date.fromisoformat(f"2026-{fixed}"))
    assert not is_holiday(date(2026, 12, 24)) and not is_holiday(date(2027, 2, 8))


@pytest.mark.parametrize(
    ("now", "closed", "open_before", "open_after"),
    [
        (datetime(2026, 12, 21, 9, tzinfo=UTC), date(2026, 12, 25), date(2026, 12, 24), None),
        (datetime(2027, 5, 20, 9, tzinfo=UTC), date(2027, 5, 27), date(2027, 5, 26), 28),
    ],
)
async def test_holidays_and_weekends_have_no_times(
    tmp_path: Path, now: datetime, closed: date, open_before: date, open_after: int | None
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'holiday.sqlite3'}", clock=FixedClock(now))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=STUB) as http:
        found = await calendar(http, now, list(range(10001, 10010)), [REGISTRATION], days=14)
        days = {date.fromisoformat(day["date"]) for day in found["availableDays"]}
        assert closed not in days and open_before in days
        assert all(day.weekday() < 5 for day in days)
        if open_after:
            assert closed.replace(day=open_after) in days
        holiday_time = int(datetime.combine(closed, datetime.min.time(), CITY_TZ).timestamp())
        refused = await reserve(http, KALK, holiday_time + 9 * 3600, [REGISTRATION])
        assert error_code(refused) == "appointmentNotAvailable"
    app.state.engine.dispose()


def test_times_lie_within_the_hours_and_the_sample_data_books_about_40_percent() -> None:
    hours = OfficeHours.parse(KALK, WEEKDAY_HOURS)
    horizon = Horizon.at(MONDAY_10 - timedelta(days=1))
    wednesday = date(2026, 11, 25)  # open until 12:00
    grid = hours.slots(wednesday)
    assert len(grid) == 18  # 07:30 to 12:00
    double = free_starts(hours, wednesday, 2, set(), horizon)
    last = datetime.fromtimestamp(max(double), CITY_TZ)
    assert last.time() <= datetime(2026, 11, 25, 11, 30).time()
    taken = [
        taken_by_others(office, start)
        for office in range(10001, 10010)
        for day in range(23, 28)
        for start in hours.slots(date(2026, 11, day))
    ]
    assert 0.33 < sum(taken) / len(taken) < 0.47
    assert free_starts(hours, wednesday, 2, set(), horizon) == double  # the same every time


async def test_the_calendar_lists_only_future_days_with_free_times(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    found = await calendar(http, clock.now(), [KALK, INNENSTADT], [ID_CARD], days=70)
    days = [date.fromisoformat(day["date"]) for day in found["availableDays"]]
    today = clock.now().astimezone(CITY_TZ).date()
    assert days[0] >= today and days[-1] <= today + timedelta(days=HORIZON_DAYS)
    assert found["nextBookableDate"] == found["availableDays"][0]["date"]
    now = clock.now().timestamp()
    for day in found["availableDays"]:
        assert day["providerIDs"] == ",".join(o["officeId"] for o in day["offices"])
        for office in day["offices"]:
            assert office["appointments"] == sorted(office["appointments"])
            assert all(moment > now and moment % 900 == 0 for moment in office["appointments"])
    later = ok(
        await http.get(
            f"{ZMS}/available-calendar/",
            params={
                "startDate": (today + timedelta(days=3)).isoformat(),
                "endDate": (today + timedelta(days=3)).isoformat(),
                "officeIds": KALK,
                "serviceIds": ID_CARD,
            },
        )
    )
    assert later["prevBookableDate"] is not None
    assert date.fromisoformat(later["prevBookableDate"]) < today + timedelta(days=3)


async def test_an_office_that_does_not_offer_a_service_has_no_times(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    chorweiler = 10002  # no Bewohnerparkausweis there
    found = await calendar(http, clock.now(), [chorweiler, INNENSTADT], [1008])
    assert {o["officeId"] for d in found["availableDays"] for o in d["offices"]} == {"10001"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"startDate": "2026-13-01"}, "invalidStartDate"),
        ({"endDate": "2026-11-01"}, "invalidEndDate"),
        ({"officeIds": "10001,"}, "invalidOfficeId"),
        ({"officeIds": "99"}, "invalidOfficeId"),
        ({"serviceIds": "9999"}, "invalidServiceId"),
        ({"serviceCounts": "1,1"}, "invalidServiceCount"),
        ({"serviceCounts": "9"}, "invalidServiceCount"),
    ],
)
async def test_the_calendar_request_is_checked(
    http: httpx.AsyncClient, params: dict[str, str], code: str
) -> None:
    query = {
        "startDate": "2026-11-23",
        "endDate": "2026-12-23",
        "officeIds": "10001",
        "serviceIds": "1001",
        **params,
    }
    refused = await http.get(f"{ZMS}/available-calendar/", params=query)
    assert (refused.status_code, error_code(refused)) == (400, code), refused.text


def test_the_openapi_documents_zms_errors_and_no_422(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    for path, item in paths.items():
        if not path.startswith("/terminvereinbarung/"):
            continue
        for operation in item.values():
            responses = operation["responses"]
            assert "422" not in responses and "429" in responses, path
            assert "X-RateLimit-Remaining" in responses["200"]["headers"]
            assert "Retry-After" in responses["429"]["headers"]
            for status, entry in responses.items():
                if status != "200":
                    schema = entry["content"]["application/json"]["schema"]
                    assert schema["$ref"].endswith("/ZmsErrors"), (path, status)
    reserve_body = paths[f"{ZMS}/reserve-appointment/"]["post"]["requestBody"]
    assert reserve_body["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ReserveAppointment"
    )


async def test_the_background_job_expires_what_nobody_asks_about(
    http: httpx.AsyncClient, app: FastAPI, clock: FixedClock
) -> None:
    process = await reserved(http, clock.now())
    clock.advance(timedelta(minutes=16))
    job = asyncio.create_task(
        housekeeping(app.state.engine, clock, expiry_every=0.01, privacy_every=0.01)
    )
    try:
        for _ in range(500):  # bounded: the job runs every 10 ms
            if stored(app, process["processId"]).status == "expired":
                break
            await asyncio.sleep(0.01)
    finally:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job
    assert stored(app, process["processId"]).status == "expired"
    assert rows(app, AppointmentSlot) == 0


def test_a_database_from_before_appointments_gets_the_catalogue(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    create_app(url, clock=FixedClock(MONDAY_10)).state.engine.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:  # as the stub left it before appointments existed
        connection.execute(text("DELETE FROM serviceoffer"))
        connection.execute(text("DELETE FROM servicedetail"))
        connection.execute(
            text("DELETE FROM citizenservice WHERE id NOT IN (1001, 1002, 1003, 1004, 1005)")
        )
    engine.dispose()
    app = create_app(url, clock=FixedClock(MONDAY_10))
    catalogue = app.state.catalogue
    assert len(catalogue.services) == len(SERVICES)
    assert catalogue.services[1001].fee == "37.00" and catalogue.offers[(KALK, 1001)] == 2
    assert (10002, 1008) not in catalogue.offers  # not every Kundenzentrum offers everything
    app.state.engine.dispose()
