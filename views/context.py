"""What a screen gets from the app: services, the person, the session's language, navigation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from datetime import datetime
from typing import Any

import flet as ft

from services.hub import AppServices
from services.i18n import Translator

log = logging.getLogger(__name__)


class ScreenContext:
    """One session's handle for its screens; what a screen holds is released when it is left."""

    def __init__(
        self,
        page: ft.Page,
        services: AppServices,
        translator: Translator,
        navigate: Callable[[str], None],
        set_locale: Callable[[str], None],
        *,
        person: str | None = None,
        set_text_scale: Callable[[float], None] | None = None,
        language_changed: Callable[[], None] | None = None,
    ) -> None:
        self.page = page
        self.services = services
        self.tr = translator
        self.navigate = navigate
        self.set_locale = set_locale
        # the person's text size, a factor of the normal size (see Preferences.TEXT_SCALES)
        self.text_scale = 1.0
        self.set_text_scale: Callable[[float], None] = set_text_scale or (lambda _scale: None)
        # a screen changed `tr` for a moment (a kiosk visitor's language): tell the page
        self.language_changed: Callable[[], None] = language_changed or (lambda: None)
        # The random id kept in this browser or phone; None on a kiosk, which keeps nothing.
        self.person = person
        self._cleanups: list[Callable[[], None]] = []
        self._tasks: set[Future[Any]] = set()
        # ticket links this session opened already: a redraw must not follow them again
        self.opened_links: set[str] = set()
        # what a person entered in a form that spans several steps (a booking), by form name:
        # kept while the session lasts, so going back and forth loses nothing
        self.drafts: dict[str, Any] = {}
        # what each live region said last, so a redraw speaks only when that changed
        self.announced: dict[str, Any] = {}
        # somebody scrolled the screen: a shared screen's idle watch counts that as a touch
        self.touched: Callable[[], None] = lambda: None

    def _(self, message: str) -> str:
        """The message in the session's language."""
        return self.tr.gettext(message)

    def now(self) -> datetime:
        """The app's current time."""
        return self.services.clock.now()

    def on_leave(self, cleanup: Callable[[], None]) -> None:
        """Run `cleanup` when the screen is left (unsubscribe from services)."""
        self._cleanups.append(cleanup)

    def run_task(self, work: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> None:
        """Run `work` in the background for as long as the screen is shown."""
        task = self.page.run_task(work, *args)
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._tasks.discard(done))

    def leave(self) -> None:
        """The screen is being replaced or the session closed: release everything it holds."""
        cleanups, self._cleanups = self._cleanups, []
        for cleanup in cleanups:
            try:
                cleanup()
            except Exception:
                log.exception("cleanup of a screen failed")
        tasks, self._tasks = list(self._tasks), set()
        for task in tasks:
            task.cancel()

    @property
    def holds(self) -> int:
        """How many listeners and tasks the current screen holds (for tests and status)."""
        return len(self._cleanups) + sum(1 for task in self._tasks if not task.done())

    def show_message(self, text: str) -> None:
        """A short confirmation at the bottom of the screen."""
        self.page.show_dialog(ft.SnackBar(ft.Text(text), show_close_icon=True))


def refresh_control(control: ft.Control) -> None:
    """Push a changed control to the browser, unless its screen is already gone."""
    try:
        control.update()
    except (RuntimeError, AssertionError) as exc:  # not (or no longer) on the page
        log.debug("skipped update of a detached control: %s", exc)
