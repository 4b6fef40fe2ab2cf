"""Ticket tokens: signed, so nobody can follow someone else's ticket by counting numbers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime

TOKEN_SHAPE = re.compile(r"(\d{8})(\d{5})\.([A-Za-z0-9_-]{16})")


@dataclass(frozen=True)
class TokenClaim:
    """What a well-signed token says: which day and which number at which Kundenzentrum."""

    office: str
    day: date
    number: int


class TicketSigner:
    """Signs (office, day, number) with the stub's secret and checks tokens against it."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, office: str, payload: str) -> str:
        digest = hmac.new(self._secret, f"{office}:{payload}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:12]).decode()

    def sign(self, office: str, day: date, number: int) -> str:
        """The token printed (as a link) on the ticket."""
        payload = f"{day:%Y%m%d}{number:05d}"
        return f"{payload}.{self._signature(office, payload)}"

    def check(self, token: str, offices: list[str]) -> TokenClaim | None:
        """The claim of a genuine token (for whichever office signed it), else None."""
        shape = TOKEN_SHAPE.fullmatch(token)
        if shape is None:
            return None
        day_text, number_text, signature = shape.groups()
        payload = day_text + number_text
        for office in offices:
            if hmac.compare_digest(self._signature(office, payload), signature):
                try:
                    day = datetime.strptime(day_text, "%Y%m%d").date()
                except ValueError:
                    return None
                return TokenClaim(office, day, int(number_text))
        return None
