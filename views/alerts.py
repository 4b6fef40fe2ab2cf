"""Alerts of a person's followed tickets, shown on whatever screen the person is."""

from __future__ import annotations

import logging

import flet as ft
import flet_audio as fa

from services.waiting_times.tickets import CALLED_ALERT, Alert
from views.context import ScreenContext, refresh_control
from views.waiting_times.tickets import alert_text

log = logging.getLogger(__name__)

CALLED_SOUND = "sounds/called.wav"  # bundled in assets/, never fetched from elsewhere


class AlertPresenter:
    """Tells one session of the person: a dialog they must confirm, a sound, a vibration."""

    def __init__(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        self._sound: fa.Audio | None = None
        self._shown: ft.AlertDialog | None = None  # the alert on screen, if any

    def prepare(self) -> None:
        """Make the sound ready; call from the session's own start, so it joins its page."""
        self._sound = fa.Audio(src=CALLED_SOUND, autoplay=False, volume=1.0)

    def present(self, alerts: list[Alert]) -> None:
        """Show the newest alert; play the sound when a number has been called."""
        if not alerts:
            return
        ctx = self.ctx
        _ = ctx._
        if self._shown is not None and self._shown.open:
            # "nearly up" is old news once "called" comes: one alert on screen, the newest
            self._shown.open = False
            refresh_control(self._shown)
        self._shown = ft.AlertDialog(
            title=ft.Text(_("Your ticket")),
            content=ft.Text(alert_text(ctx, alerts[-1]), size=20),
            actions=[ft.TextButton(_("OK"), on_click=lambda _e: ctx.page.pop_dialog())],
        )
        ctx.page.show_dialog(self._shown)
        if any(alert.kind == CALLED_ALERT for alert in alerts):
            ctx.page.run_task(self._ring)

    async def _ring(self) -> None:
        try:
            if self._sound is not None:
                await self._sound.play()
        except Exception as exc:  # a browser may refuse sound before the first touch
            log.info("alert sound not played: %s", exc)
        try:
            await ft.HapticFeedback().heavy_impact()
        except Exception as exc:  # no haptics here
            log.debug("no haptic feedback: %s", exc)
