"""What only the drawn pixels can tell (Flutter draws on a canvas): how much a control changes
when it takes the focus."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image
from playwright.sync_api import Page

Rgb = tuple[int, int, int]


def luminance(rgb: Rgb) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Rgb, b: Rgb) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Box:
    """A control's place on the page, in CSS pixels."""

    name: str
    x: float
    y: float
    w: float
    h: float

    def grown(self, by: float) -> Box:
        return Box(self.name, self.x - by, self.y - by, self.w + 2 * by, self.h + 2 * by)

    def clip(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "width": self.w, "height": self.h}


def shot(page: Page, box: Box | None = None) -> Image.Image:
    """The page (or one box of it) as drawn now."""
    png = page.screenshot(clip=box.clip()) if box else page.screenshot()
    return Image.open(io.BytesIO(png)).convert("RGB")


def changed_by_focus(before: Image.Image, after: Image.Image, *, ratio: float = 3.0) -> int:
    """How many pixels changed by at least `ratio` of contrast between the two pictures
    (WCAG's focus indicator: a change of 3:1 over an area at least as large as a 2 px line
    around the control)."""
    assert before.size == after.size

    def pixels(picture: Image.Image) -> list[Rgb]:
        raw = picture.tobytes()  # RGB, three bytes a pixel
        return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]

    pairs = zip(pixels(before), pixels(after), strict=True)
    return sum(1 for a, b in pairs if a != b and contrast(a, b) >= ratio)
