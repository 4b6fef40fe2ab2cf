"""The contact details a booking needs, checked before anything is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.i18n import N_

NAME_MAX = 100
EMAIL_MAX = 254
PHONE_MAX = 30
# one @, something on each side, a dot in the domain, no spaces: what a mail server accepts
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"[0-9 +()/-]+")
# letters, marks and the punctuation names carry; no digits, no control characters
_NAME = re.compile(r"[^\W\d_]+(?:[ '’.\-][^\W\d_]*)*\.?", re.UNICODE)

EMPTY_NAME = N_("Please enter your name.")
LONG_NAME = N_("The name can have at most 100 characters.")
BAD_NAME = N_("A name consists of letters, spaces, hyphens and apostrophes.")
EMPTY_EMAIL = N_("Please enter your email address: the confirmation link is sent there.")
BAD_EMAIL = N_("This is not an email address (for example name@example.de).")
BAD_PHONE = N_("A phone number consists of digits, spaces and + - / ( ).")
LONG_PHONE = N_("The phone number can have at most 30 characters.")


@dataclass(frozen=True)
class Contact:
    """Name, email and (optional) phone of the person booking; never stored on the device."""

    name: str
    email: str
    phone: str = ""


def problems(name: str, email: str, phone: str) -> dict[str, str]:
    """Field ("name", "email", "phone") -> the message (untranslated) of what is wrong."""
    found: dict[str, str] = {}
    name, email, phone = name.strip(), email.strip(), phone.strip()
    if not name:
        found["name"] = EMPTY_NAME
    elif len(name) > NAME_MAX:
        found["name"] = LONG_NAME
    elif not _NAME.fullmatch(name):
        found["name"] = BAD_NAME
    if not email:
        found["email"] = EMPTY_EMAIL
    elif len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email):
        found["email"] = BAD_EMAIL
    if phone:
        if len(phone) > PHONE_MAX:
            found["phone"] = LONG_PHONE
        elif not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 3:
            found["phone"] = BAD_PHONE
    return found


def contact(name: str, email: str, phone: str) -> Contact:
    """The details, trimmed; call only when `problems` found none."""
    return Contact(" ".join(name.split()), email.strip(), " ".join(phone.split()))
