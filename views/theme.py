"""The app's look in one place: colours, button sizes that grow with the text, the focus ring.

Two rules of the city's accessibility law shape it:
- a keyboard user sees where the focus is: a 3 px ring of near-black drawn outside the
  focused button (21:1 against the white page, where the default overlay tint was 1.2:1),
  and a focus tint of at least 3:1 on everything else that takes the focus (list tiles,
  cards, radios, switches);
- a button is at least 48 px tall at 100 % text, and taller when its label needs it. The
  height comes from padding (14 px above and below a 20 px line), so no button has a fixed
  height that would cut a label at 200 % text.
"""

from __future__ import annotations

import flet as ft

BRAND = ft.Colors.RED_800
FOCUS_RING_COLOUR = "#1A1A1A"
FOCUS_RING_WIDTH = 3
# Black at 46 % over white is #8A8A8A: 3.4:1 against the white around it, and black text
# on it still reads at 6:1.
FOCUS_TINT = "#75000000"
BUTTON_PADDING = ft.Padding.symmetric(horizontal=20, vertical=14)
ICON_BUTTON_PADDING = ft.Padding.all(12)


def focus_ring(
    unfocused: ft.BorderSide | None = None,
    *,
    colour: str = FOCUS_RING_COLOUR,
    inside: bool = False,
) -> dict[ft.ControlState, ft.BorderSide]:
    """The border of a button per state: the ring when focused, else `unfocused` (or none).

    Outside the button, so it does not cover the label; `inside` for a button at the window's
    edge (the title bar's Back), where half a ring outside would be off the screen."""
    align = ft.BorderSideStrokeAlign.INSIDE if inside else ft.BorderSideStrokeAlign.OUTSIDE
    ring = ft.BorderSide(FOCUS_RING_WIDTH, colour, stroke_align=align)
    rest = unfocused or ft.BorderSide(0, ft.Colors.TRANSPARENT)
    return {ft.ControlState.FOCUSED: ring, ft.ControlState.DEFAULT: rest}


def button_style(*, outlined: bool = False) -> ft.ButtonStyle:
    """Every kind of text button: standard density (48 px tall), room for large text, the ring."""
    return ft.ButtonStyle(
        padding=BUTTON_PADDING,
        visual_density=ft.VisualDensity.STANDARD,
        side=focus_ring(ft.BorderSide(1, ft.Colors.OUTLINE) if outlined else None),
    )


def focus_tint() -> dict[ft.ControlState, str]:
    """An overlay that marks the focused control, for controls without a border of their own."""
    return {ft.ControlState.FOCUSED: FOCUS_TINT}


def app_theme() -> ft.Theme:
    """The theme of every screen, the kiosk's too."""
    return ft.Theme(
        color_scheme_seed=BRAND,
        focus_color=FOCUS_TINT,
        visual_density=ft.VisualDensity.STANDARD,
        button_theme=ft.ButtonTheme(style=button_style()),
        filled_button_theme=ft.FilledButtonTheme(style=button_style()),
        text_button_theme=ft.TextButtonTheme(style=button_style()),
        outlined_button_theme=ft.OutlinedButtonTheme(style=button_style(outlined=True)),
        icon_button_theme=ft.IconButtonTheme(
            style=ft.ButtonStyle(
                padding=ICON_BUTTON_PADDING,
                visual_density=ft.VisualDensity.STANDARD,
                side=focus_ring(),
            )
        ),
        radio_theme=ft.RadioTheme(overlay_color=focus_tint()),
        checkbox_theme=ft.CheckboxTheme(overlay_color=focus_tint()),
        switch_theme=ft.SwitchTheme(overlay_color=focus_tint()),
        navigation_bar_theme=ft.NavigationBarTheme(overlay_color=focus_tint()),
    )
