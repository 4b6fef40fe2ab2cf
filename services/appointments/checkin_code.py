"""The code an appointment shows for check-in: a link to it in this app, or a typed number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.waiting_times.ticket_link import NOT_A_LINK, Refused, read_link

APPOINTMENT_PATH = re.compile(r"/appointments/view/([0-9]{1,12})/([A-Za-z0-9]{4,5})/?")
TYPED_NUMBER = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class AppointmentRef:
    """An appointment named by its processId, with its authKey when it came from its QR code."""

    process_id: int
    auth_key: str | None = None


def appointment_link(base: str, process_id: int, auth_key: str) -> str:
    """What the appointment's QR code carries: the link that opens it in this app."""
    return f"{base.rstrip('/')}/appointments/view/{process_id}/{auth_key}"


def read_appointment_code(payload: str, our_origins: list[str]) -> AppointmentRef | Refused:
    """The appointment a scanned QR code or a typed processId names, if it is one."""
    digits = "".join(payload.split())  # "4711 0815" typed with a space is still a number
    if TYPED_NUMBER.fullmatch(digits):
        return AppointmentRef(int(digits))
    if not digits:
        return Refused(NOT_A_LINK)
    found = read_link(payload, our_origins, APPOINTMENT_PATH)
    if isinstance(found, Refused):
        return found
    return AppointmentRef(int(found.group(1)), found.group(2))
