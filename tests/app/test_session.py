"""A session's lifecycle without a browser: connect, disconnect, reconnect, close."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest

from app.session import AppSession
from services.hub import AppServices
from services.people import PERSON_KEY, is_person_id
from services.waiting_times.tickets import Alert
from tests.views.controls import texts

pytestmark = pytest.mark.anyio


class FakeDevice:
    """A browser's local storage."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values = values if values is not None else {}

    async def get(self, key: str) -> Any:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> bool:
        self.values[key] = value
        return True


class FakePage:
    """What a session uses of Flet's page, with no browser behind it."""

    def __init__(self, route: str) -> None:
        self.route = route
        self.width = 400.0
        self.height = 860.0
        self.views: list[ft.View] = []
        self.dialogs: list[ft.Control] = []
        self.updates = 0
        self.title = ""
        self.theme: ft.Theme | None = None
        self.on_route_change: Callable[[Any], None] | None = None
        self.on_resize: Callable[[Any], None] | None = None
        self.on_connect: Callable[[Any], None] | None = None
        self.on_disconnect: Callable[[Any], None] | None = None
        self.on_close: Callable[[Any], None] | None = None
        self.session = SimpleNamespace(connection=object())  # None while disconnected

    def update(self) -> None:
        self.updates += 1

    def navigate(self, route: str) -> None:
        self.route = route
        assert self.on_route_change is not None
        self.on_route_change(None)

    def run_task(self, work: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(work(*args), asyncio.get_running_loop())

    def show_dialog(self, dialog: ft.Control) -> None:
        self.dialogs.append(dialog)

    def pop_dialog(self) -> None:
        self.dialogs.pop()


async def open_session(services: AppServices, route: str, device: FakeDevice) -> AppSession:
    page = FakePage(route)
    session = AppSession(page, services)  # type: ignore[arg-type]
    await session.start(lambda: device)
    return session


def held(services: AppServices) -> int:
    """Everything open screens hold in the shared services."""
    return sum(services.live_counts().values())


async def test_listeners_live_through_a_lost_connection_and_end_with_the_session(
    offline_services: AppServices,
) -> None:
    services = offline_services
    assert held(services) == 0
    device = FakeDevice()
    session = await open_session(services, "/waiting/tickets", device)
    person = device.values[PERSON_KEY]
    assert is_person_id(person) and session.ctx.person == person
    assert services.tickets.watched() == {person}
    holding = held(services)
    assert holding > 0

    session.page.on_disconnect(None)  # type: ignore[misc]  # the phone's screen locks
    session.page.session.connection = None  # type: ignore[attr-defined]
    assert held(services) == holding and services.tickets.watched() == {person}
    # the number is called while the phone is locked: it is told when it is back
    services.tickets.alerts.publish(person, [Alert("called", 1, "A017", "kalk", 2, 0)])
    assert session.page.dialogs == []  # type: ignore[attr-defined]
    session.page.session.connection = object()  # type: ignore[attr-defined]

    session.page.route = "/waiting/number/kalk/A017"  # came back on another screen
    updates = session.page.updates  # type: ignore[attr-defined]
    session.page.on_connect(None)  # type: ignore[misc]
    assert session.page.updates > updates  # type: ignore[attr-defined]  # drawn anew
    assert len(session.page.dialogs) == 1  # type: ignore[attr-defined]  # the missed call
    assert services.live_counts()["call_display_pollers"] == 1
    await asyncio.sleep(0)

    session.page.on_close(None)  # type: ignore[misc]  # Flet gave up on the session
    assert held(services) == 0
    assert session.ctx.holds == 0
    assert services.tickets.watched() == set()


async def test_two_tabs_are_one_person_and_another_browser_is_another(
    offline_services: AppServices,
) -> None:
    anna_device, bert_device = FakeDevice(), FakeDevice()
    first = await open_session(offline_services, "/", anna_device)
    second = await open_session(offline_services, "/settings", anna_device)
    other = await open_session(offline_services, "/", bert_device)
    assert first.ctx.person == second.ctx.person != other.ctx.person
    for session in (first, second, other):
        session.close()
    assert held(offline_services) == 0


async def test_a_kiosk_session_keeps_nothing(offline_services: AppServices) -> None:
    device = FakeDevice()
    session = await open_session(offline_services, "/kiosk", device)
    assert session.ctx.person is None and device.values == {}
    assert "Türkçe" in texts(session.page.views[0])  # the kiosk itself, not an error screen
    assert offline_services.tickets.watched() == set()
    session.close()
    assert held(offline_services) == 0 and offline_services.people.count() == 0


class SilentDevice(FakeDevice):
    """A browser store that never answers (the connection went while it was asked)."""

    async def get(self, key: str) -> Any:
        await asyncio.sleep(3600)


async def test_a_store_that_does_not_answer_is_not_overwritten(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    device = SilentDevice({PERSON_KEY: "stays-as-it-is-aaaaaaaaaaaa"})
    session = await open_session(offline_services, "/", device)
    assert is_person_id(session.ctx.person)  # a temporary id for this session
    assert device.values == {PERSON_KEY: "stays-as-it-is-aaaaaaaaaaaa"}
    session.close()


class SlowDevice(FakeDevice):
    """A browser store that writes, but takes its time (a busy phone)."""

    async def set(self, key: str, value: str) -> Any:
        await asyncio.sleep(0.3)
        return await super().set(key, value)


async def test_a_slow_store_still_keeps_the_new_id(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    device = SlowDevice({})
    session = await open_session(offline_services, "/", device)  # not held up by the write
    assert PERSON_KEY not in device.values
    await asyncio.sleep(0.5)
    assert device.values[PERSON_KEY] == session.ctx.person, "the id must reach the browser"
    session.close()


class GoneThenBackDevice(FakeDevice):
    """A browser store asked through a page that went away: the first question is never
    answered, the ones after the page came back are."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.silent = 1

    async def get(self, key: str) -> Any:
        if self.silent > 0:
            self.silent -= 1
            await asyncio.sleep(3600)
        return await super().get(key)


ANNA = "anna-keeps-this-id-aaaaaaaa"  # the id Anna's browser keeps


async def still_asking(
    services: AppServices, route: str
) -> tuple[FakePage, AppSession, asyncio.Future[None]]:
    """A session starting on Anna's browser, whose first question went to a page that is gone."""
    page = FakePage(route)
    session = AppSession(page, services)  # type: ignore[arg-type]
    device = GoneThenBackDevice({PERSON_KEY: ANNA})
    starting = asyncio.ensure_future(session.start(lambda: device))
    await asyncio.sleep(0.05)
    return page, session, starting


async def test_a_page_that_comes_back_while_asked_is_asked_again(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 30.0)  # far longer than this test
    page, session, starting = await still_asking(offline_services, "/data")
    assert page.views == []  # nothing drawn while the person is unknown
    page.on_connect(None)  # type: ignore[misc]  # a reload reached the session meanwhile
    await asyncio.wait_for(starting, 2)  # at once, not after the timeout
    assert session.ctx.person == ANNA and len(page.views) == 1
    session.close()


class LateDevice(FakeDevice):
    """A browser store that answers only after a while (a phone busy while the app started)."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.answering = False

    async def get(self, key: str) -> Any:
        if not self.answering:
            await asyncio.sleep(3600)
        return await super().get(key)


async def test_a_session_started_without_its_person_finds_them_when_the_page_is_back(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    offline_services.preferences.set_locale(ANNA, "en")
    device = LateDevice({PERSON_KEY: ANNA})
    session = await open_session(offline_services, "/", device)
    temporary = session.ctx.person
    assert temporary != ANNA and session.ctx.tr.locale == "de"
    assert offline_services.tickets.watched() == {temporary}

    device.answering = True
    updates = session.page.updates  # type: ignore[attr-defined]
    session.page.on_connect(None)  # type: ignore[misc]
    await until(lambda: session.ctx.person == ANNA)
    assert session.ctx.person == ANNA and session.ctx.tr.locale == "en"  # her own settings
    assert offline_services.tickets.watched() == {ANNA}  # her tickets, not the temporary's
    assert session.page.updates > updates  # type: ignore[attr-defined]
    assert device.values[PERSON_KEY] == ANNA  # never overwritten
    session.close()
    assert held(offline_services) == 0


async def test_a_temporary_id_is_kept_once_the_store_answers_with_none(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    device = LateDevice({})
    session = await open_session(offline_services, "/", device)
    temporary = session.ctx.person
    device.answering = True
    session.page.on_connect(None)  # type: ignore[misc]
    await until(lambda: PERSON_KEY in device.values)
    assert device.values[PERSON_KEY] == temporary and session.ctx.person == temporary
    session.close()


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)


async def test_a_second_return_while_asking_again_asks_once_more(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    device = LateDevice({PERSON_KEY: ANNA})
    session = await open_session(offline_services, "/", device)
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 30.0)
    session.page.on_connect(None)  # type: ignore[misc]  # asked again: the page goes again
    await asyncio.sleep(0.05)
    assert session.ctx.person != ANNA
    device.answering = True
    session.page.on_connect(None)  # type: ignore[misc]  # and is back: asked at once
    await until(lambda: session.ctx.person == ANNA)
    assert session.ctx.person == ANNA
    session.close()


async def test_a_temporary_id_that_keeps_something_is_not_dropped(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    device = LateDevice({PERSON_KEY: ANNA})
    session = await open_session(offline_services, "/", device)
    temporary = session.ctx.person
    assert temporary is not None
    offline_services.preferences.set_locale(temporary, "en")  # chosen meanwhile: kept
    device.answering = True
    session.page.on_connect(None)  # type: ignore[misc]
    await asyncio.sleep(0.2)
    assert session.ctx.person == temporary  # what was done under it stays in view
    session.close()


class SlowFirstDevice(FakeDevice):
    """A browser store too slow for the first question only (a phone busy while it woke)."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.asked = 0

    async def get(self, key: str) -> Any:
        self.asked += 1
        if self.asked == 1:
            await asyncio.sleep(3600)
        return await super().get(key)


async def test_a_store_too_slow_at_first_is_asked_once_more_without_waiting_for_a_return(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 0.05)
    device = SlowFirstDevice({PERSON_KEY: ANNA})
    session = await open_session(offline_services, "/", device)
    await until(lambda: session.ctx.person == ANNA)  # no reconnect needed
    assert session.ctx.person == ANNA and device.asked == 2
    session.close()


class FullDevice(FakeDevice):
    """A browser store that reads but cannot write while it is full (or in private mode)."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.full = True

    async def set(self, key: str, value: str) -> bool:
        if self.full:
            raise RuntimeError("QuotaExceededError")
        return await super().set(key, value)


async def test_an_id_the_browser_did_not_take_is_offered_again_when_it_is_back(
    offline_services: AppServices,
) -> None:
    device = FullDevice({})
    session = await open_session(offline_services, "/", device)
    first = session.ctx.person
    device.full = False  # room again
    session.page.on_connect(None)  # type: ignore[misc]
    await until(lambda: PERSON_KEY in device.values)
    assert device.values[PERSON_KEY] == first == session.ctx.person
    session.close()


async def test_nothing_is_drawn_before_the_person_is_known(
    offline_services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.identity.DEVICE_TIMEOUT", 30.0)
    page, session, starting = await still_asking(offline_services, "/")
    page.route = "/waiting/tickets"  # a reload to another address, while the browser is asked
    page.on_route_change(None)  # type: ignore[misc]
    page.on_resize(None)  # type: ignore[misc]
    assert page.views == []
    page.on_connect(None)  # type: ignore[misc]
    await asyncio.wait_for(starting, 2)
    assert session.ctx.person == ANNA and len(page.views) == 1
    session.close()


async def test_a_junk_id_in_the_browser_is_replaced(offline_services: AppServices) -> None:
    device = FakeDevice({PERSON_KEY: "<script>alert(1)</script>"})
    session = await open_session(offline_services, "/", device)
    assert is_person_id(session.ctx.person) and device.values[PERSON_KEY] == session.ctx.person
    session.close()
