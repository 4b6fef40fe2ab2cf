"""Settings without a browser: the person's own things first, each radio a 48 px target."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest

from services.hub import AppServices
from services.i18n import LOCALES, Translator
from services.preferences import TEXT_SCALES
from tests.views.controls import texts, walk
from views import settings
from views.context import ScreenContext
from views.widgets import MIN_TOUCH

pytestmark = pytest.mark.anyio


class Recorder:
    """What the screen asked the session to do."""

    def __init__(self) -> None:
        self.scales: list[float] = []
        self.locales: list[str] = []
        self.routes: list[str] = []


def screen_context(
    services: AppServices, recorder: Recorder, locale: str = "en", text_scale: float = 1.0
) -> ScreenContext:
    ctx = ScreenContext(
        SimpleNamespace(),  # type: ignore[arg-type]  # building needs no page
        services,
        Translator(locale),
        recorder.routes.append,
        recorder.locales.append,
        set_text_scale=recorder.scales.append,
    )
    ctx.text_scale = text_scale
    return ctx


def radio_groups(screen: ft.BaseControl) -> dict[str, ft.RadioGroup]:
    """The screen's radio groups by the label screen readers hear for them."""
    return {
        c.label: c.content
        for c in walk(screen)
        if isinstance(c, ft.Semantics) and isinstance(c.content, ft.RadioGroup) and c.label
    }


def change(group: ft.RadioGroup, value: str) -> None:
    """Choose `value` as a person would, through the group's change handler."""
    group.value = value
    handler: Any = group.on_change  # Flet's handler type also allows ones without an event
    handler(SimpleNamespace(control=group))


async def test_own_things_first_and_the_sources_closed_under_advanced(
    offline_services: AppServices,
) -> None:
    screen = settings.build(screen_context(offline_services, Recorder()))
    shown = texts(screen)
    order = ["Language", "Text size", "Local data", "Accessibility", "About", "Advanced"]
    assert [shown.index(name) for name in order] == sorted(shown.index(name) for name in order)

    advanced = [c for c in walk(screen) if isinstance(c, ft.ExpansionTile)]
    assert len(advanced) == 1 and advanced[0].expanded is False
    tile = advanced[0]
    assert isinstance(tile.title, ft.Text) and tile.title.value == "Advanced"
    inside = texts(ft.Column(tile.controls or []))
    urls = [url for _name, url in offline_services.urls.items()]
    assert all(url in inside for url in urls)  # every source's address is in the closed section
    assert sum(shown.count(url) for url in urls) == len(urls)  # and nowhere else


async def test_existing_features_are_kept(offline_services: AppServices) -> None:
    recorder = Recorder()
    screen = settings.build(screen_context(offline_services, recorder))
    identifiers = {c.identifier for c in walk(screen) if isinstance(c, ft.Semantics)}
    assert "deleted-data" in identifiers
    buttons = {c.content: c for c in walk(screen) if isinstance(c, ft.Button)}
    assert "Delete my data on this device" in buttons
    for label, route in [
        ("Accessibility statement and barrier report", "/settings/accessibility"),
        ("The app in easy-to-read German (Leichte Sprache)", "/settings/easy-language"),
    ]:
        handler: Any = buttons[label].on_click
        handler(None)
        assert recorder.routes[-1] == route


async def test_text_size_radio_calls_set_text_scale_with_the_factor(
    offline_services: AppServices,
) -> None:
    recorder = Recorder()
    screen = settings.build(screen_context(offline_services, recorder, text_scale=1.25))
    group = radio_groups(screen)["Text size"]
    radios = [c for c in walk(group) if isinstance(c, ft.Radio)]
    assert [r.label for r in radios] == ["100%", "125%", "150%", "175%", "200%"]
    assert group.value in {r.value for r in radios}
    assert float(group.value or "") == 1.25  # the person's current size is chosen
    change(group, radios[2].value or "")
    assert recorder.scales == [1.5]
    assert all(isinstance(scale, float) for scale in recorder.scales)


async def test_percent_labels_follow_the_language(offline_services: AppServices) -> None:
    screen = settings.build(screen_context(offline_services, Recorder(), locale="de"))
    labels = [c.label for c in walk(screen) if isinstance(c, ft.Radio)]
    assert "150\xa0%" in labels  # German puts a (non-breaking) space before the sign
    assert Translator("tr").percent(TEXT_SCALES[-1]) == "%200"


async def test_language_radio_sets_the_locale(offline_services: AppServices) -> None:
    recorder = Recorder()
    screen = settings.build(screen_context(offline_services, recorder))
    group = radio_groups(screen)["Language of the app"]
    radios = [c for c in walk(group) if isinstance(c, ft.Radio)]
    assert [(r.value, r.label) for r in radios] == list(LOCALES.items())
    assert group.value == "en"
    change(group, "tr")
    assert recorder.locales == ["tr"]


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
async def test_every_radio_is_a_48_px_target_that_grows_with_its_label(
    offline_services: AppServices, scale: float
) -> None:
    ctx = screen_context(offline_services, Recorder())
    ctx.text_scale = scale
    radios = [c for c in walk(settings.build(ctx)) if isinstance(c, ft.Radio)]
    assert len(radios) == len(LOCALES) + len(TEXT_SCALES)
    for radio in radios:
        assert radio.height is None  # a fixed height would cut a label that wraps
        style = radio.label_style
        assert style is not None and style.size and style.height
        # each line of the label, as the person's text size draws it, is a 48 px row
        assert style.size * scale * style.height >= MIN_TOUCH


def test_radio_group_helper_labels_the_group_and_reports_the_value() -> None:
    chosen: list[str] = []
    made: Any = settings.radio_group(
        "Colour", [("r", "Red"), ("g", "Green")], "g", chosen.append, scale=1.0
    )
    assert isinstance(made, ft.Semantics) and made.label == "Colour" and made.container
    group = made.content
    assert isinstance(group, ft.RadioGroup) and group.value == "g"
    change(group, "r")
    assert chosen == ["r"]
