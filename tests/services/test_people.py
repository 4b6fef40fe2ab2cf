"""Per-person data: kept apart, deleted for one person only, purged after 30 days unused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.clock import FixedClock
from services.hub import AppServices
from services.people import KEEP_UNTOUCHED, is_person_id, new_person_id
from services.waiting_times.ticket_link import TicketRef

ANNA, BERT = new_person_id(), new_person_id()


def test_person_ids_are_random_and_checked() -> None:
    assert is_person_id(ANNA) and ANNA != BERT
    for junk in (None, 42, "", "short", "x" * 65, "a b c d e f g h i j k l m n", "<script>"):
        assert not is_person_id(junk)


@pytest.mark.anyio
async def test_tickets_settings_and_unsent_writes_are_each_persons_own(
    offline_services: AppServices,
) -> None:
    services = offline_services
    anna_ticket = services.tickets.follow(ANNA, TicketRef("kalk", "20261005.1.abc"))
    services.tickets.follow(BERT, TicketRef("porz", "20261005.2.def"))
    services.preferences.set_locale(ANNA, "tr")
    services.report_barrier(ANNA, "settings", "Kontrast zu schwach")

    assert [t.office for t in services.tickets.all(ANNA)] == ["kalk"]
    assert [t.office for t in services.tickets.all(BERT)] == ["porz"]
    assert services.tickets.all(None) == []
    assert services.preferences.locale(ANNA) == "tr"
    assert services.preferences.locale(BERT) == "de"
    assert services.outbox.pending_count(ANNA) == 1
    assert services.outbox.pending_count(BERT) == 0

    services.tickets.forget(BERT, anna_ticket.id)  # Bert cannot stop Anna's ticket
    assert services.tickets.get(BERT, anna_ticket.id) is None
    assert len(services.tickets.all(ANNA)) == 1

    deleted = services.delete_person_data(ANNA)
    assert (deleted.tickets, deleted.settings, deleted.unsent) == (1, 1, 1)
    assert services.tickets.all(ANNA) == []
    assert services.preferences.locale(ANNA) == "de"
    assert [t.office for t in services.tickets.all(BERT)] == ["porz"]
    assert services.delete_person_data(ANNA).nothing


@pytest.mark.anyio
async def test_data_untouched_for_30_days_is_purged(
    offline_services: AppServices, clock: FixedClock
) -> None:
    services = offline_services
    services.preferences.set_locale(ANNA, "en")
    clock.advance(timedelta(days=10))
    services.preferences.set_locale(BERT, "tr")
    clock.advance(KEEP_UNTOUCHED - timedelta(days=5))
    assert services.people.purge_untouched() == [ANNA]
    assert services.preferences.locale(ANNA) == "de"
    assert services.preferences.locale(BERT) == "tr"
    assert services.people.touch(BERT)  # a visit keeps Bert's data another 30 days
    clock.advance(timedelta(days=29))
    assert services.people.purge_untouched() == []
    assert "purge-untouched-people" in services.schedule.job_names()
