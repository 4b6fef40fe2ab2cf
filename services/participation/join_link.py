"""A workshop's QR code: this app's own join link, `<app>/participate/join/<code>`.

The projector shows it; a phone's camera opens it; the app's scanner reads it and accepts
only its own links, like a ticket's code (see services/waiting_times/ticket_link.py).
"""

from __future__ import annotations

import re

from services.participation.service import normalise_code
from services.waiting_times.ticket_link import NOT_A_TICKET, Refused, read_link

# the join page, or a shared tablet's (somebody scanning that wants to take part themselves)
JOIN_PATH = re.compile(r"/participate/(?:join|tablet)/([A-Za-z0-9-]{4,20})/?")
MIN_CODE = 4  # characters of a join code, its dashes left out


def join_link(base: str, code: str) -> str:
    """The link a workshop's QR code holds: where the app lets people join it."""
    return f"{base.rstrip('/')}/participate/join/{normalise_code(code)}"


def read_join_link(payload: str, our_origins: list[str]) -> str | Refused:
    """The join code a scanned payload carries, if it is a workshop link of this app."""
    found = read_link(payload, our_origins, JOIN_PATH)
    if isinstance(found, Refused):
        return found
    code = normalise_code(found.group(1))
    return code if len(code) >= MIN_CODE else Refused(NOT_A_TICKET)  # "----" is no code
