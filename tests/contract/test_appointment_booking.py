"""The app's booking service against the stub's ZMS citizen API (in-process): the whole path
of an appointment as a person goes it, and each way it can go wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.appointments.booking import CANCEL, ReservationExpired, SlotTaken
from services.appointments.contact import Contact
from services.appointments.wallet import CANCELLING, CONFIRMED, PRECONFIRMED
from services.appointments.zms import OfficesAndServices
from services.clock import FixedClock
from services.errors import NotFound, RateLimited
from services.hub import AppServices
from services.i18n import Translator

pytestmark = pytest.mark.anyio

ANNA = "anna-person-id-0123456789ab"
BEN = "ben-person-id-0123456789abcd"
CONTACT = Contact("Anna Beispiel", "anna@example.de", "0221 12345")
ID_CARD = 1001  # Personalausweis beantragen


async def catalogue(services: AppServices) -> OfficesAndServices:
    await services.coordinators.offices.refresh()
    data = services.coordinators.offices.data
    assert data is not None and data.problems == []
    return data


async def first_free(services: AppServices, service_id: int = ID_CARD) -> tuple[int, list]:  # type: ignore[type-arg]
    data = await catalogue(services)
    office = data.offices_for(service_id)[0]
    calendar = await services.appointments.calendar(service_id, [office.id])
    times = calendar.times(office.id)
    assert times, "the stub offers free times in the next eight weeks"
    return office.id, times


async def book(services: AppServices, person: str = ANNA, index: int = 0):  # type: ignore[no-untyped-def]
    office_id, times = await first_free(services)
    process = await services.appointments.reserve(ID_CARD, office_id, times[index])
    assert process.status == "reserved" and 4 <= len(process.auth_key) <= 5
    entry = await services.appointments.book(
        person, process, CONTACT, service_name="Personalausweis", office_name="KZ", minutes=15
    )
    return entry, times


async def test_a_booking_goes_reserved_preconfirmed_confirmed_and_is_cancelled_once(
    services: AppServices, clock: FixedClock
) -> None:
    entry, times = await book(services)
    assert entry.status == PRECONFIRMED and entry.starts_at == times[0]
    assert [e.process_id for e in services.appointments.mine(ANNA)] == [entry.process_id]
    assert services.appointments.mine(BEN) == []  # one person's wallet is theirs alone

    link = await services.appointments.confirmation_link(entry)
    assert link and link.endswith(f"/appointments/confirm/{entry.process_id}/{entry.auth_key}")
    confirmed = await services.appointments.confirm(ANNA, entry.process_id, entry.auth_key)
    assert confirmed.status == CONFIRMED
    again = await services.appointments.confirm(ANNA, entry.process_id, entry.auth_key)
    assert again.status == CONFIRMED  # a second click on the link shows it, changes nothing
    assert services.appointments.wallet.find(ANNA, entry.process_id).status == CONFIRMED  # type: ignore[union-attr]

    # the time is no longer offered to anybody
    calendar = await services.appointments.calendar(ID_CARD, [entry.office_id])
    assert entry.starts_at not in calendar.times(entry.office_id)

    ics = services.appointments.calendar_file(entry.process_id, entry.auth_key, Translator("en"))
    assert ics is not None and "DTSTART;TZID=Europe/Berlin:" in ics and "BEGIN:VTIMEZONE" in ics
    assert "anna@example.de" not in ics and "Anna" not in ics  # nothing personal in the file
    assert services.appointments.calendar_file(entry.process_id, "zzzz", Translator("en")) is None

    assert services.appointments.cancel(ANNA, entry.process_id)
    assert services.outbox.pending_count(ANNA, kind=CANCEL) == 1
    await services.outbox.flush()
    assert services.outbox.pending_count(ANNA, kind=CANCEL) == 0
    assert services.appointments.mine(ANNA) == []
    gone = await services.clients.zms.appointment(entry.process_id, entry.auth_key)
    assert gone.status == "deleted" and not gone.family_name and not gone.email
    calendar = await services.appointments.calendar(ID_CARD, [entry.office_id])
    assert entry.starts_at in calendar.times(entry.office_id)  # free again


async def test_a_time_taken_meanwhile_offers_the_nearest_free_ones(services: AppServices) -> None:
    office_id, times = await first_free(services)
    await services.appointments.reserve(ID_CARD, office_id, times[0])  # somebody else
    with pytest.raises(SlotTaken) as taken:
        await services.appointments.reserve(ID_CARD, office_id, times[0])
    assert taken.value.nearest and times[0] not in taken.value.nearest
    assert set(taken.value.nearest) <= set(times)
    assert services.appointments.mine(ANNA) == []  # nothing half-booked


async def test_an_expired_reservation_is_explained(
    services: AppServices, clock: FixedClock
) -> None:
    office_id, times = await first_free(services)
    process = await services.appointments.reserve(ID_CARD, office_id, times[-1])
    clock.advance(timedelta(minutes=16))
    with pytest.raises(ReservationExpired):
        await services.appointments.book(
            ANNA, process, CONTACT, service_name="x", office_name="y", minutes=15
        )
    assert services.appointments.mine(ANNA) == []


async def test_a_wrong_auth_key_is_not_found_like_an_unknown_number(services: AppServices) -> None:
    entry, _times = await book(services)
    with pytest.raises(NotFound) as wrong_key:
        await services.clients.zms.appointment(entry.process_id, "zzzz")
    with pytest.raises(NotFound) as unknown:
        await services.clients.zms.appointment(987654321, "zzzz")
    assert wrong_key.value.code == unknown.value.code == "appointmentNotFound"
    assert str(wrong_key.value) == str(unknown.value)


async def test_rescheduling_keeps_the_old_one_until_the_new_one_is_confirmed(
    services: AppServices,
) -> None:
    old, times = await book(services, index=-1)
    await services.appointments.confirm(ANNA, old.process_id, old.auth_key)
    process = await services.appointments.reserve(ID_CARD, old.office_id, times[0])
    new = await services.appointments.book(
        ANNA,
        process,
        CONTACT,
        service_name="x",
        office_name="y",
        minutes=15,
        replaces=old.process_id,
    )
    assert services.appointments.wallet.find(ANNA, old.process_id).status == CONFIRMED  # type: ignore[union-attr]
    await services.appointments.confirm(ANNA, new.process_id, new.auth_key)
    assert services.appointments.wallet.find(ANNA, old.process_id).status == CANCELLING  # type: ignore[union-attr]
    await services.outbox.flush()
    assert [e.process_id for e in services.appointments.mine(ANNA)] == [new.process_id]
    assert (
        await services.clients.zms.appointment(old.process_id, old.auth_key)
    ).status == "deleted"


async def test_an_earlier_time_is_found_and_taken_in_one_step(services: AppServices) -> None:
    late, _times = await book(services, index=-1)
    await services.appointments.confirm(ANNA, late.process_id, late.auth_key)
    services.appointments.watch(ANNA, late.process_id, True)
    heard = []
    services.appointments.offers.add(ANNA, heard.append)
    assert await services.appointments.look_for_earlier() == 1
    offered = services.appointments.wallet.find(ANNA, late.process_id)
    assert offered is not None and offered.offer is not None and offered.offer < late.starts_at
    assert [entry.process_id for entry in heard] == [late.process_id]
    assert await services.appointments.look_for_earlier() == 0  # told once, not every round

    new = await services.appointments.take_offer(ANNA, late.process_id)
    assert new.status == CONFIRMED and new.starts_at == offered.offer  # confirmed via the stub
    await services.outbox.flush()
    assert [e.process_id for e in services.appointments.mine(ANNA)] == [new.process_id]


async def test_the_rate_limit_is_kept_to(services: AppServices) -> None:
    data = await catalogue(services)
    office = data.offices_for(ID_CARD)[0]
    with pytest.raises(RateLimited) as limited:
        for _round in range(200):
            await services.clients.zms.available_calendar(
                [office.id], ID_CARD, 1, *services.appointments.horizon()
            )
    assert limited.value.retry_after and limited.value.retry_after > 0
    assert not services.clients.zms.has_budget_for_background()
    # the client does not even ask while the server wants it to wait
    with pytest.raises(RateLimited):
        await services.clients.zms.offices_and_services()


async def test_a_declined_earlier_time_is_not_offered_again(services: AppServices) -> None:
    late, _times = await book(services, index=-1)
    await services.appointments.confirm(ANNA, late.process_id, late.auth_key)
    services.appointments.watch(ANNA, late.process_id, True)
    assert await services.appointments.look_for_earlier() == 1
    first = services.appointments.wallet.find(ANNA, late.process_id)
    assert first is not None and first.offer is not None
    services.appointments.decline(ANNA, late.process_id)
    services.appointments._calendars.clear()  # the next round, a minute later
    assert await services.appointments.look_for_earlier() == 1
    second = services.appointments.wallet.find(ANNA, late.process_id)
    assert second is not None and second.offer is not None and second.offer != first.offer


async def test_cancelling_an_expired_reservation_leaves_nothing_stuck(
    services: AppServices, clock: FixedClock
) -> None:
    entry, _times = await book(services)
    clock.advance(timedelta(minutes=31))  # never confirmed: expired on the server
    assert services.appointments.cancel(ANNA, entry.process_id)
    result = await services.outbox.flush()
    assert (result.delivered, result.failed, result.pending) == (1, 0, 0)
    assert services.appointments.mine(ANNA) == []


async def test_deleting_my_data_still_sends_a_waiting_cancellation(services: AppServices) -> None:
    entry, _times = await book(services)
    await services.appointments.confirm(ANNA, entry.process_id, entry.auth_key)
    services.appointments.cancel(ANNA, entry.process_id)
    deleted = services.delete_person_data(ANNA)
    assert deleted.appointments == 1 and services.appointments.mine(ANNA) == []
    assert services.outbox.pending_count(kind=CANCEL) == 1  # nobody's now, still sent
    await services.outbox.flush()
    gone = await services.clients.zms.appointment(entry.process_id, entry.auth_key)
    assert gone.status == "deleted"


async def test_people_with_an_appointment_ahead_are_not_purged(
    services: AppServices, clock: FixedClock
) -> None:
    entry, _times = await book(services, index=-1)
    services.people.ensure(BEN)
    clock.advance(timedelta(days=31))
    assert services.people.purge_untouched() == [BEN]  # Anna's appointment is still ahead
    assert services.appointments.wallet.find(ANNA, entry.process_id) is not None
