"""Reading a built screen as a test would: its controls and the texts it shows."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import flet as ft


def walk(control: ft.BaseControl) -> Iterator[ft.BaseControl]:
    """`control` and everything inside it, depth first in reading order."""
    yield control
    for f in dataclasses.fields(control):
        if f.name.startswith("_"):
            continue
        value = getattr(control, f.name)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ft.BaseControl):
                yield from walk(child)


def texts(control: ft.BaseControl) -> list[str]:
    """The lines of text a control shows, in order (headings included)."""
    return [
        line
        for c in walk(control)
        if isinstance(c, ft.Text) and c.value
        for line in str(c.value).split("\n")
    ]
