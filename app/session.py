"""One browser session: routing URLs to screens, language switching, cleaning up on leave."""

from __future__ import annotations

import logging
from collections.abc import Callable

import flet as ft

from app.routes import match
from services.hub import AppServices
from services.i18n import Translator
from views import (
    accessibility,
    appointments,
    home,
    not_found,
    open_data,
    participation,
    sensors,
    settings,
)
from views.context import ScreenContext
from views.shell import WIDE, build_kiosk_view, build_view
from views.waiting_times import kiosk, number, office, overview, tickets

log = logging.getLogger(__name__)

SCREENS: dict[str, Callable[..., ft.Control]] = {
    "home": home.build,
    "waiting": overview.build,
    "tickets": tickets.build,
    "ticket": tickets.build_ticket,
    "office": office.build,
    "number": number.build,
    "kiosk": kiosk.build,
    "kiosk_calls": kiosk.build_calls,
    "appointments": appointments.build,
    "data": open_data.build,
    "dataset": open_data.build_dataset,
    "sensors": sensors.build,
    "datastream": sensors.build_datastream,
    "participate": participation.build,
    "survey": participation.build_survey,
    "settings": settings.build,
    "accessibility": accessibility.build,
    "not_found": not_found.build,
}


class AppSession:
    """Owns one page: renders the screen for its route and keeps it current."""

    def __init__(self, page: ft.Page, services: AppServices) -> None:
        self.page = page
        self.services = services
        self.ctx = ScreenContext(
            page,
            services,
            Translator(services.preferences.locale),
            navigate=self.navigate,
            set_locale=self.set_locale,
        )
        self._wide: bool | None = None

    def start(self) -> None:
        """Set up the page and show the screen of the URL it was opened with."""
        page = self.page
        page.title = "Köln App"
        page.theme = ft.Theme(color_scheme_seed=ft.Colors.RED_800)
        page.on_route_change = lambda _e: self.render()
        page.on_resize = lambda _e: self._on_resize()
        page.on_disconnect = lambda _e: self.ctx.leave()
        page.on_close = lambda _e: self.ctx.leave()
        self.render()

    def navigate(self, route: str) -> None:
        """Go to `route` (also updates the browser's address and history)."""
        self.page.navigate(route)

    def set_locale(self, locale: str) -> None:
        """Switch language now and remember it for the next start."""
        self.services.preferences.locale = locale
        self.ctx.tr = Translator(locale)
        self.render()

    def _on_resize(self) -> None:
        wide = (self.page.width or 0) >= WIDE
        if wide != self._wide:  # only a change of layout needs a new frame
            self.render()

    def render(self) -> None:
        """Replace the page's view by the screen of the current route."""
        self.ctx.leave()
        route = match(self.page.route)
        self._wide = (self.page.width or 0) >= WIDE
        params = route.params if route.name != "not_found" else {"path": route.path}
        try:
            body = SCREENS[route.name](self.ctx, **params)
        except Exception:  # a broken screen must not take the app down
            log.exception("screen %s failed", route.name)
            body = ft.Text(self.ctx._("This screen could not be shown. Please try again."))
        if route.is_kiosk:
            view = build_kiosk_view(route.path, body)
        else:
            view = build_view(self.ctx, route.path, route.area, route.parent, body)
        self.page.views.clear()
        self.page.views.append(view)
        self.page.update()


def session_main(services: AppServices) -> Callable[[ft.Page], None]:
    """The Flet entry point for every new browser session."""

    def main(page: ft.Page) -> None:
        AppSession(page, services).start()

    return main
