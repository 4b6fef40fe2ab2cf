"""An appointment as an iCalendar file (RFC 5545) in Europe/Berlin, with its VTIMEZONE.

Calendar apps that do not know the zone by name (or know an older rule) still place the
appointment right, because the file carries the rule itself: CET/CEST as the EU has had it
since 1996 (last Sunday of March 02:00 to last Sunday of October 03:00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.clock import CITY_TZ

PRODUCT = "-//Stadt Koeln//Koeln App//DE"

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class CalendarEntry:
    """What goes into the file: no name, no email, only what the person needs to go there."""

    uid: str
    title: str
    starts_at: datetime
    minutes: int
    location: str
    description: str


def escape(text: str) -> str:
    """Text as an iCalendar TEXT value."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets (continuations start with a space)."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not pieces else 74
        if len((current + char).encode()) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return [pieces[0], *(" " + piece for piece in pieces[1:])]


def _local(moment: datetime) -> str:
    return moment.astimezone(CITY_TZ).strftime("%Y%m%dT%H%M%S")


def ics(entry: CalendarEntry, *, now: datetime) -> str:
    """The whole file, CRLF line ends, ready to download."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:{entry.uid}",
        f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID=Europe/Berlin:{_local(entry.starts_at)}",
        f"DTEND;TZID=Europe/Berlin:{_local(entry.starts_at + timedelta(minutes=entry.minutes))}",
        f"SUMMARY:{escape(entry.title)}",
        f"LOCATION:{escape(entry.location)}",
        f"DESCRIPTION:{escape(entry.description)}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT1H",
        f"DESCRIPTION:{escape(entry.title)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(piece + "\r\n" for line in lines for piece in fold(line))
