"""Every screen leaves its controls room to grow with the text: at 200 % a label wraps onto
more lines, and a control with a fixed height or width would cut it (the kiosk's buttons once
cut "Meine Wartemarke [verfolgen]"). The browser test at 200 % looks at the drawn result."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace

import flet as ft
import pytest

from app.routes import match
from services.hub import AppServices
from services.i18n import Translator
from tests.accessibility.screens import APP_SCREENS, KIOSK_SCREENS
from tests.conftest import AT_MONDAY_10
from tests.views.controls import walk
from views.context import ScreenContext

pytestmark = [pytest.mark.anyio, pytest.mark.clock(AT_MONDAY_10)]

# Controls whose label is text that a person's text size makes larger.
LABELLED = (
    ft.Button,
    ft.FilledButton,
    ft.FilledTonalButton,
    ft.OutlinedButton,
    ft.TextButton,
    ft.Radio,
    ft.Checkbox,
    ft.Switch,
    ft.TextField,
    ft.ListTile,
    ft.ExpansionTile,
)


@pytest.mark.parametrize("address", APP_SCREENS + KIOSK_SCREENS)
async def test_no_control_with_a_label_has_a_fixed_size(
    address: str, services: AppServices
) -> None:
    await services.coordinators.locations.refresh()
    await services.coordinators.waiting_times.refresh()
    ctx = ScreenContext(
        # a phone whose background tasks never run: the screen is only read
        SimpleNamespace(run_task=lambda _work, *_args: Future(), width=400, height=860),  # type: ignore[arg-type]
        services,
        Translator("de"),
        lambda _route: None,
        lambda _locale: None,
        person="room-to-grow-person-0123456789",
    )
    ctx.text_scale = 2.0
    screen = match(address).build(ctx)
    fixed = [
        f"{type(c).__name__} {getattr(c, 'label', None) or getattr(c, 'content', '')!r}"
        for c in walk(screen)
        if isinstance(c, LABELLED) and (c.height is not None or c.width is not None)
    ]
    ctx.leave()
    assert not fixed, f"{address}: fixed size, a label at 200 % would be cut: {fixed}"
