"""One session (one open screen of one person): its person, route, language and lifecycle.

A session may lose its connection and come back (a locked phone, a reload): Flet keeps it,
so on reconnect the screen is built anew and catches up at once. What it holds is released
only when Flet closes the session for good.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import flet as ft

from app.display import DISPLAY_KEY, display_value, locale_configuration
from app.identity import DEVICE_TIMEOUT, DeviceStore, person_of
from app.routes import match
from services.appointments.wallet import WalletEntry
from services.hub import AppServices
from services.i18n import Translator
from services.waiting_times.tickets import Alert
from views.alerts import AlertPresenter
from views.appointments.offer import present_offer
from views.context import ScreenContext
from views.shell import build_kiosk_view, build_view, layout
from views.theme import app_theme
from views.waiting_times.kiosk import upright

log = logging.getLogger(__name__)


class AppSession:
    """Owns one page: renders the screen of its route and keeps it current."""

    def __init__(self, page: ft.Page, services: AppServices) -> None:
        self.page = page
        self.services = services
        self.ctx = ScreenContext(
            page,
            services,
            Translator(services.preferences.default_locale),
            navigate=self.navigate,
            set_locale=self.set_locale,
            set_text_scale=self.set_text_scale,
            language_changed=lambda: self.apply_language(),
        )
        self.alerts = AlertPresenter(self.ctx)
        self.connected = True
        self.closed = False
        self._layout: object = None  # the frame's shape the screen was drawn for
        self._unwatch: Callable[[], None] | None = None
        self._unwatch_offers: Callable[[], None] | None = None
        self._missed: list[Alert] = []  # alerts that came while the connection was away
        self._shown: str | None = None  # the route whose screen is on the page
        self._device: Callable[[], DeviceStore] | None = None
        self._published: str | None = None  # the display settings the page was told
        self._title = "Köln App"  # msgid of the shown screen's name
        self._asking: asyncio.Event | None = None  # while the start asks for the person
        self._person_kept = True  # False: a temporary id, the device's store did not answer
        self._asking_again: asyncio.Event | None = None  # while a temporary id asks again

    async def start(self, device: Callable[[], DeviceStore]) -> None:
        """Know the person, set up the page, show the screen of the URL it was opened with."""
        page = self.page
        self._device = device
        page.title = "Köln App"
        page.theme = app_theme()
        page.on_route_change = lambda _e: self._route_changed()
        page.on_resize = lambda _e: self._on_resize()
        page.on_connect = lambda _e: self.reconnected()
        page.on_disconnect = lambda _e: self.disconnected()
        page.on_close = lambda _e: self.close()
        if not match(page.route).spec.kiosk:  # a kiosk keeps nothing per person
            self._asking = asyncio.Event()  # set when the page comes back meanwhile
            try:
                found = await person_of(device(), back=self._asking)
            finally:
                self._asking = None
            if self.closed:  # the session ended while the browser was asked
                return
            self._person_kept = found.kept
            self.alerts.prepare()
            self._become(found.id)
            if not found.kept:  # the store may only have been slow: ask it once more now
                self.page.run_task(self._ask_again)
        self.render()

    def _become(self, person: str) -> None:
        """Serve `person` from now on: their language, text size, tickets and offers."""
        self._release_person()
        self.services.people.touch(person)
        self.ctx.person = person
        self.ctx.tr = Translator(self.services.preferences.locale(person))
        self.ctx.text_scale = self.services.preferences.text_scale(person)
        self._unwatch = self.services.tickets.watch(person, lambda _none: None, self.on_alerts)
        self._unwatch_offers = self.services.appointments.offers.add(person, self.on_offer)
        self.services.tickets.request_catch_up(person)

    def _release_person(self) -> None:
        for unwatch in (self._unwatch, self._unwatch_offers):
            if unwatch is not None:
                unwatch()
        self._unwatch = self._unwatch_offers = None

    async def _ask_again(self) -> None:
        """The session started with a temporary id (its store did not answer): now that the
        page is back, ask again and take the person's own id (and data) if the store has one;
        a store with none keeps the temporary id from now on."""
        if self._device is None or self._asking_again is not None or self.ctx.person is None:
            return
        self._asking_again = asyncio.Event()  # set when the page comes back once more
        try:
            found = await person_of(
                self._device(), back=self._asking_again, proposed=self.ctx.person
            )
        finally:
            self._asking_again = None
        if self.closed or not found.kept:
            return
        self._person_kept = True
        if found.id == self.ctx.person:
            return
        if self.services.people.touch(self.ctx.person):
            # the temporary id keeps something already (a ticket followed meanwhile): it
            # stays for this session, the person's own id comes with their next visit
            log.info("the session's person was found, but keeps its temporary id's data")
            return
        log.info("the session's person was found after all")
        self._become(found.id)
        self.render()

    def navigate(self, route: str) -> None:
        """Go to `route` (also updates the browser's address and history)."""
        self.page.navigate(route)

    def set_locale(self, locale: str) -> None:
        """Switch this person's language now and remember it for their next visit."""
        if self.ctx.person is not None:
            self.services.preferences.set_locale(self.ctx.person, locale)
        self.ctx.tr = Translator(locale)
        self.render()

    def set_text_scale(self, scale: float) -> None:
        """Switch this person's text size now and remember it for their next visit."""
        if self.ctx.person is not None:
            self.services.preferences.set_text_scale(self.ctx.person, scale)
        self.ctx.text_scale = scale
        self.render()

    def apply_language(self, *, update: bool = True) -> None:
        """The page's title, Flutter's own strings and `<html lang>` in the session's
        language (a kiosk visitor may switch it for themselves, without a new render)."""
        _ = self.ctx._
        self.page.title = _("{screen} – Köln App").format(screen=_(self._title))
        self.page.locale_configuration = locale_configuration(self.ctx.tr.locale)
        self.publish_display()
        if update:
            self.page.update()

    def publish_display(self) -> None:
        """Tell the page its language and text size (see app/display.py), when changed."""
        value = display_value(self.ctx.tr.locale, self.ctx.text_scale)
        if value == self._published or self._device is None:
            return
        self._published = value
        device = self._device()

        async def publish() -> None:
            try:
                await asyncio.wait_for(device.set(DISPLAY_KEY, value), DEVICE_TIMEOUT)
            except Exception as exc:  # the page keeps its defaults
                log.info("device store not writable: %s", exc)

        self.page.run_task(publish)

    def on_alerts(self, alerts: list[Alert]) -> None:
        """This person's ticket needs them now: tell them on whatever screen they are."""
        if self.closed:
            return
        if self.connected and self.page.session.connection is not None:
            self.alerts.present(alerts)
        else:  # a locked phone: told as soon as it is back
            self._missed.extend(alerts)

    def on_offer(self, entry: WalletEntry) -> None:
        """An earlier time for one of this person's appointments: ask them now, if they are
        here (otherwise My appointments shows it the next time they look)."""
        if not self.closed and self.connected and self.page.session.connection is not None:
            present_offer(self.ctx, entry)

    def reconnected(self) -> None:
        """The connection is back (a phone woke up, a page was reloaded): catch up at once."""
        self.connected = True
        if self._asking is not None:  # the question went to the page that is gone
            self._asking.set()
            return  # the start draws the screen once the person is known
        if self._asking_again is not None:
            self._asking_again.set()
        elif not self._person_kept and self.ctx.person is not None:
            self.page.run_task(self._ask_again)
        if self.ctx.person is not None:
            self.services.tickets.request_catch_up(self.ctx.person)
        self.render()
        missed, self._missed = self._missed, []
        if missed:
            self.alerts.present(missed)

    def disconnected(self) -> None:
        """The connection dropped; the session lives on, and so do its listeners."""
        self.connected = False

    def close(self) -> None:
        """Flet closed the session for good: release everything it holds."""
        self.closed = True
        self.ctx.leave()
        self._release_person()

    def _route_changed(self) -> None:
        # a reload to another address reconnects (drawn anew) and then reports the route:
        # drawing twice would swap the controls under a person's first tap; and nothing is
        # drawn before the person is known
        if self._asking is None and self.page.route != self._shown:
            self.render()

    def _frame(self) -> object:
        """What the screen's frame depends on: the kiosk lays its choices out upright or
        across, every other screen by `layout`."""
        if match(self.page.route).spec.kiosk:
            return upright(self.page)
        return layout(self.ctx)

    def _on_resize(self) -> None:
        # only a change of layout needs a new frame (and none before the person is known)
        if self._asking is None and self._frame() != self._layout:
            self.render()

    def render(self) -> None:
        """Replace the page's view by the screen of the current route."""
        if self.closed:
            return
        self.ctx.leave()
        self._shown = self.page.route
        route = match(self.page.route)
        self._layout = self._frame()
        try:
            body = route.build(self.ctx)
        except Exception:  # a broken screen must not take the app down
            log.exception("screen %s failed", route.name)
            body = ft.Text(self.ctx._("This screen could not be shown. Please try again."))
        self._title = route.title
        self.apply_language(update=False)
        if route.spec.kiosk:
            view = build_kiosk_view(route.path, body, scrolled=lambda: self.ctx.touched())
        else:
            view = build_view(self.ctx, route.path, route.spec.area, route.spec.parent, body)
        self.page.views.clear()
        self.page.views.append(view)
        self.page.update()


def session_main(
    services: AppServices, *, on_shown: Callable[[], None] | None = None
) -> Callable[[ft.Page], Awaitable[None]]:
    """The Flet entry point for every new session; `on_shown` after each one's first screen."""

    async def main(page: ft.Page) -> None:
        await AppSession(page, services).start(ft.SharedPreferences)
        if on_shown is not None:
            on_shown()

    return main
