"""The app's routes: which screen a URL or deep link opens, and with which parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# name -> pattern; `:x` is a parameter of one path segment
PATTERNS: dict[str, str] = {
    "home": "/",
    "waiting": "/waiting",
    "tickets": "/waiting/tickets",
    "ticket": "/waiting/ticket/:office/:token",
    "office": "/waiting/office/:office",
    "number": "/waiting/number/:office/:number",
    "kiosk": "/kiosk",
    "kiosk_calls": "/kiosk/calls",
    "appointments": "/appointments",
    "data": "/data",
    "dataset": "/data/:dataset",
    "sensors": "/sensors",
    "datastream": "/sensors/:datastream",
    "participate": "/participate",
    "survey": "/participate/:survey",
    "settings": "/settings",
    "accessibility": "/settings/accessibility",
}
# Parameters are ids, slugs and tokens: nothing else may reach a screen from a URL.
SAFE_PARAM = re.compile(r"[A-Za-z0-9._~\-]{1,200}")

# The area each screen belongs to, for the navigation bar or rail.
AREA_OF = {
    "home": "home",
    "waiting": "waiting",
    "ticket": "waiting",
    "tickets": "waiting",
    "office": "waiting",
    "number": "waiting",
    "appointments": "appointments",
    "data": "data",
    "dataset": "data",
    "sensors": "sensors",
    "datastream": "sensors",
    "participate": "participate",
    "survey": "participate",
    "settings": "settings",
    "accessibility": "settings",
}
# Where the back button of a detail screen leads.
PARENT_OF = {
    "ticket": "/waiting",
    "tickets": "/waiting",
    "office": "/waiting",
    "number": "/waiting/tickets",
    "dataset": "/data",
    "datastream": "/sensors",
    "survey": "/participate",
    "accessibility": "/settings",
}


@dataclass(frozen=True)
class Route:
    """A matched route: the screen's name and its parameters."""

    name: str
    params: dict[str, str] = field(default_factory=dict)
    path: str = "/"

    @property
    def area(self) -> str | None:
        """The area of the navigation this screen belongs to."""
        return AREA_OF.get(self.name)

    @property
    def is_kiosk(self) -> bool:
        """Kiosk screens are shown without the app's navigation."""
        return self.name.startswith("kiosk")

    @property
    def parent(self) -> str | None:
        """The route the back button goes to, for detail screens."""
        return PARENT_OF.get(self.name)


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.strip("/").split("/") if s]


def match(route: str | None) -> Route:
    """The screen for `route` (a path, maybe with a query); unknown paths give `not_found`."""
    path = urlsplit(route or "/").path or "/"
    segments = _segments(path)
    for name, pattern in PATTERNS.items():
        wanted = _segments(pattern)
        if len(wanted) != len(segments):
            continue
        params: dict[str, str] = {}
        for expected, actual in zip(wanted, segments, strict=True):
            if expected.startswith(":"):
                if not SAFE_PARAM.fullmatch(actual):
                    break
                params[expected[1:]] = actual
            elif expected != actual:
                break
        else:
            return Route(name, params, path)
    return Route("not_found", {}, path)
