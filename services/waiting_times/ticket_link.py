"""Reading what a ticket's QR code says: only our own deep links, nothing else, ever."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_PAYLOAD = 512  # a ticket link is about 100 characters; anything far longer is not ours
TICKET_PATH = re.compile(r"/waiting/ticket/([a-z0-9-]{1,40})/([A-Za-z0-9._-]{1,100})/?")

# Why a payload was refused; the screen says each in plain words.
TOO_LONG = "too_long"
NOT_A_LINK = "not_a_link"
UNSAFE_SCHEME = "unsafe_scheme"
OTHER_SITE = "other_site"
NOT_A_TICKET = "not_a_ticket"  # a link of this app, but to something else


@dataclass(frozen=True)
class TicketRef:
    """A ticket to follow: the Kundenzentrum and the token from the QR code."""

    office: str
    token: str

    @property
    def route(self) -> str:
        """The app route that follows this ticket."""
        return f"/waiting/ticket/{self.office}/{self.token}"


@dataclass(frozen=True)
class Refused:
    """A payload that is not one of our ticket links, and why."""

    reason: str


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def read_link(
    payload: str, our_origins: list[str], path: re.Pattern[str]
) -> re.Match[str] | Refused:
    """The match of `path` in a scanned payload, if it is a link of this app to such a path."""
    text = payload.strip()
    if len(text) > MAX_PAYLOAD:
        return Refused(TOO_LONG)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return Refused(NOT_A_LINK)
    scheme, sep, _rest = text.partition(":")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return Refused(NOT_A_LINK)
    if scheme.lower() not in ("http", "https"):
        return Refused(UNSAFE_SCHEME)
    parts = urlsplit(text)
    if not parts.hostname or parts.username or parts.password:
        return Refused(NOT_A_LINK)
    allowed = {origin_of(o) for o in our_origins}
    if origin_of(text) not in allowed:
        return Refused(OTHER_SITE)
    found = path.fullmatch(parts.path)
    if found is None or parts.query or parts.fragment:
        return Refused(NOT_A_TICKET)
    return found


def read_ticket_link(payload: str, our_origins: list[str]) -> TicketRef | Refused:
    """The ticket a scanned payload points to, if it is a ticket link of this app."""
    found = read_link(payload, our_origins, TICKET_PATH)
    if isinstance(found, Refused):
        return found
    return TicketRef(found.group(1), found.group(2))
