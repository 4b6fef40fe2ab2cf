"""What the browser itself must know of a session's language and text size.

Flutter draws on a canvas, so the page's own `<html lang>`, its text size (Flutter's text
scaler follows the root element's font size) and its zoom setting are not the app's to set
from Python. The app keeps them in the person's device store under `DISPLAY_KEY`; a small
script in the page (`web/page.js`) applies them before the first frame and on every change.
"""

from __future__ import annotations

import json
from pathlib import Path

import flet as ft

from services.i18n import BABEL_LOCALES

DISPLAY_KEY = "koeln.display"
PAGE_SCRIPT = (Path(__file__).resolve().parent / "web" / "page.js").read_text(encoding="utf-8")
MARKER = "koeln-page-script"

# The region each language's Flutter strings and formats use: the app's own (English: en_GB).
FLUTTER_LOCALES = {code: ft.Locale(*variant.split("_")) for code, variant in BABEL_LOCALES.items()}


def locale_configuration(locale: str) -> ft.LocaleConfiguration:
    """Flutter's own strings ("Tab 1 of 7", "8 characters remaining") in `locale`."""
    return ft.LocaleConfiguration(
        supported_locales=list(FLUTTER_LOCALES.values()),
        current_locale=FLUTTER_LOCALES.get(locale, FLUTTER_LOCALES["de"]),
    )


def display_value(locale: str, text_scale: float) -> str:
    """The value kept under `DISPLAY_KEY`: the page's language and text size."""
    return json.dumps({"lang": locale, "scale": text_scale})


def with_page_script(html: bytes, locale: str = "de") -> bytes:
    """The app's page with its language (German until the person's is known) and the
    script that applies a session's language and text size; applied once."""
    if MARKER.encode() in html:
        return html
    script = f'<script id="{MARKER}">{PAGE_SCRIPT}</script>'.encode()
    html = html.replace(b"<html>", f'<html lang="{locale}">'.encode(), 1)
    html = html.replace(b"<title>Flet</title>", b"<title>K\xc3\xb6ln App</title>", 1)
    return html.replace(b"</head>", script + b"</head>", 1)
