"""Booking, confirming, cancelling and rescheduling appointments, and the earlier-time watch.

Shared data (the catalogue, the free times) is fetched once for everybody; a person's own
appointments are theirs alone (`Wallet`). Cancellations go through the outbox, so one made
offline arrives exactly once when the connection is back. The rule of rescheduling: the old
appointment stays until the new one is confirmed, then it is cancelled.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from services.appointments.calendar_file import CalendarEntry, ics
from services.appointments.contact import Contact
from services.appointments.wallet import (
    CANCELLING,
    CONFIRMED,
    PRECONFIRMED,
    NewEntry,
    Wallet,
    WalletEntry,
)
from services.appointments.zms import (
    EXPIRED,
    NOT_FOUND,
    SLOT_GONE,
    Calendar,
    OfficesAndServices,
    Process,
    ZmsClient,
)
from services.city_names import city_name
from services.clock import CITY_TZ, Clock
from services.errors import Conflict, NotFound, Rejected, ServiceError, is_transient
from services.i18n import N_, Translator
from services.listeners import PersonalChannel
from services.outbox import Outbox
from services.people import SENT_ANYWAY

log = logging.getLogger(__name__)

CANCEL = SENT_ANYWAY[0]  # the outbox's kind for a cancellation (sent even after "delete my data")
HORIZON = timedelta(weeks=8)  # how far ahead ZMS offers times
CALENDAR_FRESH = 60.0  # seconds one calendar answer serves everybody who asks the same
NEAREST = 3  # free times offered when the chosen one was taken meanwhile
BRING = N_("Please bring: {documents}")
NUMBER = N_("Process number (for check-in): {number}")


class SlotTaken(Conflict):
    """The time was taken between listing and booking; `nearest` are free ones close to it."""

    def __init__(self, nearest: list[datetime]) -> None:
        super().__init__("the time is no longer free", code=SLOT_GONE)
        self.nearest = nearest


class ReservationExpired(Conflict):
    """The reservation was not completed in time and has been released."""

    def __init__(self) -> None:
        super().__init__("the reservation has expired", code=EXPIRED)


def nearest_times(free: list[datetime], wanted: datetime, count: int = NEAREST) -> list[datetime]:
    """The `count` free times closest to `wanted`, in time order."""
    closest = sorted(free, key=lambda moment: (abs(moment - wanted), moment))[:count]
    return sorted(closest)


class Appointments:
    """The appointments area's service, shared by every session of the app."""

    def __init__(
        self,
        wallet: Wallet,
        client: ZmsClient,
        clock: Clock,
        outbox: Outbox,
        catalogue: Callable[[], OfficesAndServices | None],
        *,
        ensure_person: Callable[[str], None],
        test_mailbox: bool,
    ) -> None:
        self.wallet = wallet
        self._client = client
        self._clock = clock
        self._outbox = outbox
        self._catalogue = catalogue
        self._ensure_person = ensure_person
        # the ZMS is our stub: its "emails" can be read, so the app can show the link
        self.test_mailbox = test_mailbox
        self._calendars: dict[tuple[Any, ...], tuple[float, Calendar]] = {}
        self._fetching: dict[tuple[Any, ...], asyncio.Lock] = {}
        self.changes: PersonalChannel[None] = PersonalChannel()  # a person's wallet changed
        self.offers: PersonalChannel[WalletEntry] = PersonalChannel()  # an earlier time

    # --- shared: free times -----------------------------------------------------------

    def horizon(self) -> tuple[date, date]:
        """Today and the last day that can be booked (Cologne)."""
        today = self._clock.now().astimezone(CITY_TZ).date()
        return today, today + HORIZON

    async def calendar(
        self, service_id: int, office_ids: list[int], count: int = 1, *, until: date | None = None
    ) -> Calendar:
        """Free times of the service at these offices from now on; one fetch serves all."""
        start, end = self.horizon()
        end = min(end, until) if until else end
        key = (service_id, tuple(sorted(office_ids)), count, start, end)
        self._prune_calendars()
        lock = self._fetching.setdefault(key, asyncio.Lock())
        async with lock:
            known = self._calendars.get(key)
            if known and time.monotonic() - known[0] < CALENDAR_FRESH:
                return known[1]
            calendar = await self._client.available_calendar(
                sorted(office_ids), service_id, count, start, end
            )
            now = self._clock.now()
            calendar = _future_only(calendar, now)
            self._calendars[key] = (time.monotonic(), calendar)
            return calendar

    def _prune_calendars(self) -> None:
        """Forget answers too old to serve (and their locks), so the cache stays small."""
        now = time.monotonic()
        for key in [k for k, (at, _c) in self._calendars.items() if now - at >= CALENDAR_FRESH]:
            del self._calendars[key]
        for key in [k for k, lock in self._fetching.items() if not lock.locked()]:
            if key not in self._calendars:
                del self._fetching[key]

    def _forget_calendars(self, office_id: int) -> None:
        """Free times of this office changed (booked or freed): ask again next time."""
        for key in [key for key in self._calendars if office_id in key[1]]:
            del self._calendars[key]

    # --- booking ----------------------------------------------------------------------

    async def reserve(
        self, service_id: int, office_id: int, at: datetime, count: int = 1
    ) -> Process:
        """Hold the time for the person while they enter their details."""
        try:
            process = await self._client.reserve(office_id, service_id, count, at)
        except ServiceError as error:
            if isinstance(error, NotFound | Conflict) and error.code == SLOT_GONE:
                self._forget_calendars(office_id)
                calendar = await self.calendar(service_id, [office_id], count)
                raise SlotTaken(nearest_times(calendar.times(office_id), at)) from error
            raise
        self._forget_calendars(office_id)
        return process

    async def release(self, process: Process) -> None:
        """Give a reservation back (the person chose another time or left); best effort."""
        try:
            await self._client.cancel(process.process_id, process.auth_key)
        except ServiceError as error:
            log.info("reservation %s not released: %s", process.process_id, error)
        self._forget_calendars(process.office_id)

    async def book(
        self,
        person: str,
        process: Process,
        contact: Contact,
        *,
        service_name: str,
        office_name: str,
        minutes: int,
        replaces: int | None = None,
    ) -> WalletEntry:
        """Add the contact details and ask for the confirmation email; the appointment then
        waits in the person's wallet (status preconfirmed) until it is confirmed."""
        try:
            await self._client.update(
                process.process_id,
                process.auth_key,
                family_name=contact.name,
                email=contact.email,
                telephone=contact.phone,
            )
            done = await self._client.preconfirm(process.process_id, process.auth_key)
        except ServiceError as error:
            if error.code in (EXPIRED, NOT_FOUND) and isinstance(error, NotFound | Conflict):
                self._forget_calendars(process.office_id)
                raise ReservationExpired() from error
            if not isinstance(error, Conflict):
                raise
            # a retry after an answer that was lost on the way: the server went on already
            done = await self._client.appointment(process.process_id, process.auth_key)
            if done.status != PRECONFIRMED:
                raise
        return self._keep(person, done, service_name, office_name, minutes, replaces)

    def _keep(
        self,
        person: str,
        process: Process,
        service_name: str,
        office_name: str,
        minutes: int,
        replaces: int | None = None,
    ) -> WalletEntry:
        self._ensure_person(person)
        entry = self.wallet.put(
            person,
            NewEntry(
                process_id=process.process_id,
                auth_key=process.auth_key,
                service_id=process.service_id or 0,
                service_name=service_name or process.service_name or "",
                office_id=process.office_id,
                office_name=office_name or process.office_name or "",
                starts_at=process.timestamp,
                minutes=minutes,
                status=process.status,
                replaces=replaces,
            ),
            self._clock.now(),
        )
        self.changes.publish(person, None)
        return entry

    async def confirmation_link(self, entry: WalletEntry) -> str | None:
        """The activation link of the stub's test mailbox (a real ZMS emails it)."""
        if not self.test_mailbox:
            return None
        mails = await self._client.mailbox(entry.process_id, entry.auth_key)
        links = [mail.link for mail in mails if mail.kind == "preconfirm" and mail.link]
        return links[-1] if links else None

    async def confirm(self, person: str | None, process_id: int, auth_key: str) -> Process:
        """Confirm (what the email's link does); the person keeps it in their wallet."""
        try:
            process = await self._client.confirm(process_id, auth_key)
        except Conflict as error:
            if error.code == EXPIRED:
                raise ReservationExpired() from error
            # confirmed already (a second click on the link): show it as it is
            process = await self._client.appointment(process_id, auth_key)
        self._forget_calendars(process.office_id)
        if person is not None and process.status == CONFIRMED:
            self._adopt(person, process)
            self._finish_reschedule(person, process.process_id)
        return process

    async def look_up(self, process_id: int, auth_key: str) -> Process:
        """An appointment as ZMS has it (for a link opened on a device that does not keep it)."""
        return await self._client.appointment(process_id, auth_key)

    def _adopt(self, person: str, process: Process) -> WalletEntry:
        """Keep a process in the person's wallet, with names from the catalogue."""
        known = self.wallet.find(person, process.process_id)
        catalogue = self._catalogue()
        service = catalogue.service(process.service_id or 0) if catalogue else None
        office = catalogue.office(process.office_id) if catalogue else None
        length = catalogue.minutes(process.office_id, process.service_id or 0) if catalogue else 15
        minutes = known.minutes if known else length
        return self._keep(
            person,
            process,
            service.name if service else (known.service_name if known else ""),
            office.name if office else (known.office_name if known else ""),
            minutes,
            known.replaces if known else None,
        )

    def _finish_reschedule(self, person: str, process_id: int) -> None:
        """A confirmed new appointment: the old one it replaces is cancelled now."""
        entry = self.wallet.find(person, process_id)
        if entry is None or entry.replaces is None:
            return
        old = self.wallet.find(person, entry.replaces)
        self.wallet.update(person, process_id, replaces=None)
        if old is not None and old.status != CANCELLING:
            self.cancel(person, old.process_id)

    # --- the person's wallet ----------------------------------------------------------

    def mine(self, person: str | None) -> list[WalletEntry]:
        """The person's appointments (nothing on a kiosk)."""
        return self.wallet.mine(person) if person else []

    async def refresh(self, person: str) -> None:
        """Ask ZMS how each of the person's appointments stands (e.g. confirmed by email)."""
        for entry in self.wallet.mine(person):
            if entry.status == CANCELLING:
                continue
            try:
                process = await self._client.appointment(entry.process_id, entry.auth_key)
            except (NotFound, Conflict) as error:
                self.wallet.update(person, entry.process_id, problem=error.code or error.kind)
                continue
            now = self.wallet.find(person, entry.process_id)
            if now is None or now.status == CANCELLING:
                continue  # cancelled (or forgotten) while we asked: that stands
            if process.status == "deleted":
                self.wallet.remove(person, entry.process_id)
            else:
                self.wallet.update(
                    person,
                    entry.process_id,
                    status=process.status,
                    starts_at=process.timestamp,
                    problem=None,
                )
                if process.status == CONFIRMED:
                    self._finish_reschedule(person, entry.process_id)
        self.changes.publish(person, None)

    def cancel(self, person: str, process_id: int) -> bool:
        """Cancel one of the person's appointments: at once on the device, on the server
        through the outbox (exactly once, also if the connection is away now)."""
        entry = self.wallet.find(person, process_id)
        if entry is None or entry.status == CANCELLING:
            return False
        self.wallet.update(person, process_id, status=CANCELLING, watch=False, offer=None)
        self._outbox.enqueue(
            CANCEL, {"processId": entry.process_id, "authKey": entry.auth_key}, person=person
        )
        self.changes.publish(person, None)
        return True

    async def deliver_cancel(self, payload: dict[str, Any], _key: str) -> None:
        """The outbox sends a cancellation; an appointment that is gone already counts."""
        process_id, auth_key = int(payload["processId"]), str(payload["authKey"])
        try:
            process = await self._client.cancel(process_id, auth_key)
            self._forget_calendars(process.office_id)
        except (NotFound, Conflict, Rejected) as error:
            gone = isinstance(error, NotFound) or error.code == EXPIRED
            if not gone:  # e.g. too late to cancel, or checked in: tell the person, keep it
                for held in self.wallet.holding_all(process_id, auth_key):
                    self.wallet.update(
                        held.person_id, process_id, status=CONFIRMED, problem=error.code
                    )
                    self.changes.publish(held.person_id, None)
                raise
            # expired or cancelled elsewhere: nothing is left to cancel
        for person in self.wallet.remove_everywhere(process_id, auth_key):
            self.changes.publish(person, None)

    def purge_past(self) -> None:
        """Remove appointments whose day is over from every wallet."""
        for person in self.wallet.purge_past(self._clock.now()):
            self.changes.publish(person, None)

    # --- an earlier time ----------------------------------------------------------------

    def watch(self, person: str, process_id: int, on: bool) -> None:
        """Whether to look for an earlier free time for this appointment."""
        self.wallet.update(person, process_id, watch=on, offer=None)
        self.changes.publish(person, None)

    async def look_for_earlier(self) -> int:
        """Background job: look for earlier times within the rate limit; returns offers made."""
        offered = 0
        today = self.horizon()[0]
        for entry in self.wallet.watched():
            if entry.day < today:
                continue  # over; the purge takes it
            if not self._client.has_budget_for_background():
                break  # people booking now come first; the next round goes on
            try:
                calendar = await self.calendar(entry.service_id, [entry.office_id], until=entry.day)
            except ServiceError as error:
                log.info("earlier-time watch for %s: %s", entry.process_id, error)
                if is_transient(error):
                    break  # offline or told to wait: the next round tries again
                continue
            earlier = [
                moment
                for moment in calendar.times(entry.office_id)
                if moment < entry.starts_at and moment not in entry.declined
            ]
            earliest = earlier[0] if earlier else None
            if earliest is None or earliest == entry.offer:
                continue
            self.wallet.update(entry.person_id, entry.process_id, offer=earliest)
            found = self.wallet.find(entry.person_id, entry.process_id)
            if found is not None:
                self.offers.publish(entry.person_id, found)
                self.changes.publish(entry.person_id, None)
                offered += 1
        return offered

    def decline(self, person: str, process_id: int) -> None:
        """The person does not want the offered time: it is not offered again; the watch goes
        on for another."""
        entry = self.wallet.find(person, process_id)
        if entry is None or entry.offer is None:
            return
        declined = [*entry.declined, entry.offer][-20:]
        self.wallet.update(
            person,
            process_id,
            offer=None,
            declined=",".join(str(int(d.timestamp())) for d in declined),
        )
        self.changes.publish(person, None)

    async def take_offer(self, person: str, process_id: int) -> WalletEntry:
        """Rebook onto the offered earlier time in one step; the old one goes when the new
        one is confirmed (at once against the stub, by the email's link against a real ZMS)."""
        entry = self.wallet.find(person, process_id)
        if entry is None or entry.offer is None:
            raise NotFound("no earlier time is offered for this appointment")
        current = await self._client.appointment(entry.process_id, entry.auth_key)
        contact = Contact(current.family_name or "", current.email or "", current.telephone or "")
        try:
            process = await self.reserve(entry.service_id, entry.office_id, entry.offer)
        except SlotTaken:
            self.wallet.update(person, process_id, offer=None)
            self.changes.publish(person, None)
            raise
        try:
            new = await self.book(
                person,
                process,
                contact,
                service_name=entry.service_name,
                office_name=entry.office_name,
                minutes=entry.minutes,
                replaces=entry.process_id,
            )
        except ServiceError:
            await self.release(process)  # the earlier time is not held hostage for 15 minutes
            raise
        self.wallet.update(person, process_id, offer=None, watch=False)
        link = await self.confirmation_link(new)
        if link is not None:
            await self.confirm(person, new.process_id, new.auth_key)
        return self.wallet.find(person, new.process_id) or new

    def calendar_file(self, process_id: int, auth_key: str, tr: Translator) -> str | None:
        """The .ics of an appointment kept on this device, found by its processId and
        authKey (the link carries both); None if no wallet holds it."""
        entry = self.wallet.holding(process_id, auth_key)
        if entry is None or entry.status == CANCELLING:
            return None
        catalogue = self._catalogue()
        office = catalogue.office(entry.office_id) if catalogue else None
        service = catalogue.service(entry.service_id) if catalogue else None
        address = office.address.line() if office and office.address else ""
        service_name = city_name(tr, entry.service_name)
        office_name = city_name(tr, entry.office_name)
        bring = (
            "Bitte mitbringen: " + ", ".join(service.documents)
            if service and service.documents
            else ""
        )
        return ics(
            CalendarEntry(
                uid=f"zms-{entry.process_id}@koeln-app",
                title=f"{service_name} – {office_name}",
                starts_at=entry.starts_at,
                minutes=entry.minutes,
                location=", ".join(part for part in (office_name, address) if part),
                description="\n".join(
                    part
                    for part in (bring, tr.gettext(NUMBER).format(number=entry.process_id))
                    if part
                ),
            ),
            now=self._clock.now(),
        )

    async def finish_reschedules(self) -> int:
        """Background job: new appointments confirmed by the email's link (maybe on another
        device) cancel the old ones they replace, also if their person never looks again."""
        finished = 0
        for entry in self.wallet.replacing():
            if not self._client.has_budget_for_background():
                break
            try:
                process = await self._client.appointment(entry.process_id, entry.auth_key)
            except ServiceError as error:
                if is_transient(error):
                    break
                continue
            if process.status == CONFIRMED:
                self.wallet.update(entry.person_id, entry.process_id, status=CONFIRMED)
                self._finish_reschedule(entry.person_id, entry.process_id)
                finished += 1
        return finished


def _future_only(calendar: Calendar, now: datetime) -> Calendar:
    """Drop times that have passed (a server's answer may be a few minutes old)."""
    days = []
    for day in calendar.available_days:
        offices = [
            office.model_copy(update={"appointments": [t for t in office.appointments if t > now]})
            for office in day.offices
        ]
        offices = [office for office in offices if office.appointments]
        if offices:
            days.append(day.model_copy(update={"offices": offices}))
    return calendar.model_copy(update={"available_days": days})
