"""The parts of booking that need no server: contact rules, the calendar file, check-in codes,
the wallet (per person, cleared after the day), nearest free times, cancelling via the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.appointments import contact
from services.appointments.booking import CANCEL, Appointments, nearest_times
from services.appointments.calendar_file import CalendarEntry, fold, ics
from services.appointments.checkin_code import (
    AppointmentRef,
    appointment_link,
    read_appointment_code,
)
from services.appointments.wallet import CANCELLING, CONFIRMED, NewEntry, Wallet
from services.appointments.zms import Process, ZmsClient
from services.clock import FixedClock
from services.errors import Offline
from services.local_store import open_store
from services.outbox import Outbox
from services.waiting_times.ticket_link import OTHER_SITE, UNSAFE_SCHEME, Refused

BERLIN = ZoneInfo("Europe/Berlin")
ORIGIN = "http://127.0.0.1:8550"
pytestmark = pytest.mark.anyio


# --- contact details -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "email", "phone", "wrong"),
    [
        ("Anna Müller-Lüdenscheidt", "anna@example.de", "", set()),
        ("O'Brien", "o.brien@mail.example.com", "+49 221 / 123-45 (0)", set()),
        ("", "anna@example.de", "", {"name"}),
        ("   ", "anna@example.de", "", {"name"}),
        ("A" * 101, "anna@example.de", "", {"name"}),
        ("R2D2", "anna@example.de", "", {"name"}),
        ("Anna", "", "", {"email"}),
        ("Anna", "anna@", "", {"email"}),
        ("Anna", "anna example@x.de", "", {"email"}),
        ("Anna", "anna@localhost", "", {"email"}),
        ("Anna", "anna@example.de", "0221 abc", {"phone"}),
        ("Anna", "anna@example.de", "1" * 31, {"phone"}),
        ("", "no", "call me", {"name", "email", "phone"}),
    ],
)
def test_contact_rules(name: str, email: str, phone: str, wrong: set[str]) -> None:
    assert set(contact.problems(name, email, phone)) == wrong


def test_contact_is_trimmed() -> None:
    assert contact.contact("  Anna   Müller ", " a@b.de ", " 0221  12 ") == contact.Contact(
        "Anna Müller", "a@b.de", "0221 12"
    )


# --- the calendar file -------------------------------------------------------------------


def unfolded(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.parametrize(
    ("start", "local"),
    [
        (datetime(2026, 11, 24, 7, 15, tzinfo=UTC), "20261124T081500"),  # CET, +1
        (datetime(2027, 6, 1, 6, 30, tzinfo=UTC), "20270601T083000"),  # CEST, +2
    ],
)
def test_ics_is_in_berlin_time_with_its_zone(start: datetime, local: str) -> None:
    entry = CalendarEntry(
        "zms-1@koeln-app", "Personalausweis, Kalk", start, 30, "Kalk; Köln", "a\nb"
    )
    lines = unfolded(ics(entry, now=start))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert f"DTSTART;TZID=Europe/Berlin:{local}" in lines
    end = (start + timedelta(minutes=30)).astimezone(BERLIN).strftime("%Y%m%dT%H%M%S")
    assert f"DTEND;TZID=Europe/Berlin:{end}" in lines
    zone = lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]
    assert "TZID:Europe/Berlin" in zone
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in zone  # summer time from March
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in zone  # back in October
    assert "SUMMARY:Personalausweis\\, Kalk" in lines
    assert "LOCATION:Kalk\\; Köln" in lines
    assert "DESCRIPTION:a\\nb" in lines


@given(st.text(min_size=0, max_size=400))
def test_folded_lines_stay_within_75_octets_and_unfold_to_the_same(text: str) -> None:
    line = "DESCRIPTION:" + text.replace("\r", "").replace("\n", "")
    pieces = fold(line)
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line


# --- check-in codes ----------------------------------------------------------------------


def test_check_in_codes() -> None:
    link = appointment_link(ORIGIN, 4711, "ab12")
    assert read_appointment_code(link, [ORIGIN]) == AppointmentRef(4711, "ab12")
    assert read_appointment_code(" 47 11 ", [ORIGIN]) == AppointmentRef(4711)
    assert read_appointment_code(link.replace("127.0.0.1", "evil.example"), [ORIGIN]) == Refused(
        OTHER_SITE
    )
    assert read_appointment_code("javascript:alert(1)", [ORIGIN]) == Refused(UNSAFE_SCHEME)
    for junk in ("", "x" * 5000, f"{ORIGIN}/appointments/view/1/ab", f"{link}?x=1", "12" * 10):
        assert isinstance(read_appointment_code(junk, [ORIGIN]), Refused)


# --- nearest free times -----------------------------------------------------------------


def test_nearest_free_times_are_the_closest_in_time_order() -> None:
    base = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    free = [base + timedelta(minutes=15 * n) for n in (0, 1, 5, 8, 20)]
    wanted = base + timedelta(minutes=70)
    assert nearest_times(free, wanted) == [free[1], free[2], free[3]]
    assert nearest_times([], wanted) == []


# --- the wallet --------------------------------------------------------------------------


def entry(process_id: int, starts_at: datetime, status: str = CONFIRMED) -> NewEntry:
    return NewEntry(process_id, "ab12", 1001, "Personalausweis", 101, "Kalk", starts_at, 15, status)


def test_wallet_is_per_person_and_cleared_after_the_day(tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    wallet = Wallet(open_store(tmp_path, now=now))
    wallet.put("anna", entry(1, now + timedelta(hours=2)), now)
    wallet.put("anna", entry(2, now + timedelta(days=3)), now)
    wallet.put("ben", entry(3, now + timedelta(hours=1)), now)
    assert [e.process_id for e in wallet.mine("anna")] == [1, 2]
    assert [e.process_id for e in wallet.mine("ben")] == [3]
    assert wallet.find("ben", 1) is None  # nobody sees another's
    # late that evening the appointments of today are still there; the next day they are gone
    assert wallet.purge_past(now + timedelta(hours=13)) == []
    assert wallet.purge_past(now + timedelta(days=1)) == ["anna", "ben"]
    assert [e.process_id for e in wallet.mine("anna")] == [2]
    assert wallet.mine("ben") == []


# --- cancelling offline --------------------------------------------------------------------


class FakeZms(ZmsClient):
    """A ZMS that is unreachable until told otherwise and counts cancellations."""

    def __init__(self) -> None:
        super().__init__("http://zms.invalid/terminvereinbarung/api/citizen")
        self.online = False
        self.cancelled: list[int] = []

    async def cancel(self, process_id: int, auth_key: str) -> Process:
        if not self.online:
            raise Offline("no connection")
        self.cancelled.append(process_id)
        return Process.model_validate(
            {
                "processId": process_id,
                "authKey": auth_key,
                "timestamp": "1795514400",
                "status": "deleted",
                "officeId": 101,
            }
        )


async def test_an_offline_cancellation_arrives_exactly_once(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    store = open_store(tmp_path, now=clock.now())
    zms = FakeZms()
    outbox = Outbox(store, clock, {})
    seen: list[Any] = []
    appointments = Appointments(
        Wallet(store),
        zms,
        clock,
        outbox,
        lambda: None,
        ensure_person=seen.append,
        test_mailbox=False,
    )
    outbox.delivers(CANCEL, appointments.deliver_cancel)
    appointments.wallet.put("anna", entry(7, clock.now() + timedelta(days=2)), clock.now())
    assert appointments.cancel("anna", 7)
    assert not appointments.cancel("anna", 7)  # a second tap does not queue it twice
    assert appointments.wallet.find("anna", 7).status == CANCELLING  # type: ignore[union-attr]
    assert (await outbox.flush()).pending == 1
    assert zms.cancelled == []
    zms.online = True
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        await outbox.flush()
    assert zms.cancelled == [7]
    assert appointments.wallet.find("anna", 7) is None
    await zms.aclose()
