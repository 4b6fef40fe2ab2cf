"""What a screen gets from the app: services, the session's language, navigation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import flet as ft

from services.hub import AppServices
from services.i18n import Translator

log = logging.getLogger(__name__)


class ScreenContext:
    """One browser session's handle for its screens."""

    def __init__(
        self,
        page: ft.Page,
        services: AppServices,
        translator: Translator,
        navigate: Callable[[str], None],
        set_locale: Callable[[str], None],
    ) -> None:
        self.page = page
        self.services = services
        self.tr = translator
        self.navigate = navigate
        self.set_locale = set_locale
        self._cleanups: list[Callable[[], None]] = []

    def _(self, message: str) -> str:
        """The message in the session's language."""
        return self.tr.gettext(message)

    def now(self) -> datetime:
        """The app's current time."""
        return self.services.clock.now()

    def on_leave(self, cleanup: Callable[[], None]) -> None:
        """Run `cleanup` when the screen is left (unsubscribe from services)."""
        self._cleanups.append(cleanup)

    def leave(self) -> None:
        """The screen is being replaced: run every cleanup once."""
        cleanups, self._cleanups = self._cleanups, []
        for cleanup in cleanups:
            cleanup()

    def show_message(self, text: str) -> None:
        """A short confirmation at the bottom of the screen."""
        self.page.show_dialog(ft.SnackBar(ft.Text(text), show_close_icon=True))


def refresh_control(control: ft.Control) -> None:
    """Push a changed control to the browser, unless its screen is already gone."""
    try:
        control.update()
    except (RuntimeError, AssertionError) as exc:  # not (or no longer) on the page
        log.debug("skipped update of a detached control: %s", exc)
