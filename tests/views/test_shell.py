"""The frame around every screen, without a browser: where the navigation is, what it marks,
and when its words give way to icons."""

from __future__ import annotations

from types import SimpleNamespace

import flet as ft
import pytest

from app.routes import NOT_FOUND, ROUTES, RouteSpec
from services.i18n import Translator
from tests.views.controls import walk
from views.areas import BAR, WIDE_BAR, bar_area
from views.context import ScreenContext
from views.shell import WIDE, build_view, layout

PHONE_WIDTH, WIDE_WIDTH = 400, 1280


def context(width: int, *, scale: float = 1.0, locale: str = "de") -> ScreenContext:
    services = SimpleNamespace(
        connectivity=SimpleNamespace(offline=False, subscribe=lambda _f: lambda: None),
        notices=[],
    )
    ctx = ScreenContext(
        SimpleNamespace(width=width, height=860),  # type: ignore[arg-type]
        services,  # type: ignore[arg-type]  # the frame reads no more of them
        Translator(locale),
        lambda _route: None,
        lambda _locale: None,
    )
    ctx.text_scale = scale
    return ctx


def bar_of(view: ft.View) -> ft.NavigationBar:
    return next(c for c in walk(view) if isinstance(c, ft.NavigationBar))


SCREENS = [r for r in ROUTES if not r.kiosk] + [NOT_FOUND]


@pytest.mark.parametrize("width", [PHONE_WIDTH, WIDE_WIDTH])
@pytest.mark.parametrize("spec", SCREENS, ids=[r.name for r in SCREENS])
def test_every_screen_is_framed_with_its_area_marked(spec: RouteSpec, width: int) -> None:
    ctx = context(width)
    view = build_view(ctx, spec.pattern, spec.area, spec.parent, ft.Text("…"))
    bar = bar_of(view)
    marked = bar.destinations[bar.selected_index].label
    # at the top, above the screen: keyboard focus reaches it after "Back", before the screen
    assert view.navigation_bar is None and view.controls[0] is bar
    if width >= WIDE:
        areas = {a.key: a for a in WIDE_BAR}
        expected = areas[spec.area].label if spec.area in areas else "Start"
    else:
        areas = {a.key: a for a in BAR}
        key = bar_area(spec.area)
        expected = areas[key].label if key else "Start"
    assert marked == ctx._(expected)
    assert (view.appbar is not None and view.appbar.leading is not None) == bool(spec.parent)


@pytest.mark.parametrize(
    ("width", "scale", "locale", "labels"),
    [
        (PHONE_WIDTH, 1.0, "de", True),
        (PHONE_WIDTH, 1.25, "de", False),  # "Wartezeiten" would break inside the word
        (PHONE_WIDTH, 2.0, "de", False),
        (WIDE_WIDTH, 1.0, "tr", True),
        (WIDE_WIDTH, 2.0, "de", True),
        (900, 2.0, "de", False),
        (320, 1.0, "en", False),  # "Participation" does not fit a fifth of 320 px
        (400, 1.0, "tr", True),  # "Bekleme süreleri" wraps between its words
    ],
)
def test_the_bars_words_show_only_where_they_fit(
    width: int, scale: float, locale: str, labels: bool
) -> None:
    ctx = context(width, scale=scale, locale=locale)
    assert layout(ctx).labels is labels
    bar = bar_of(build_view(ctx, "/waiting", "waiting", None, ft.Text("…")))
    hidden = bar.label_behavior == ft.NavigationBarLabelBehavior.ALWAYS_HIDE
    assert hidden is not labels
    # without words each entry is still named for screen readers
    assert all(d.label for d in bar.destinations)
