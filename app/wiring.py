"""Build the services of one running app: store, clients, coordinators, outbox, schedule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from functools import partial
from pathlib import Path

import httpx
from pydantic import TypeAdapter

from services.appointments.booking import CANCEL, Appointments
from services.appointments.wallet import Wallet
from services.appointments.zms import OfficesAndServices, ZmsClient
from services.cache import ResourceCache
from services.checked import Checked
from services.clock import Clock, SystemClock
from services.connectivity import Connectivity
from services.coordinator import ResourceCoordinator
from services.hub import (
    BARRIER_REPORT,
    AppServices,
    Clients,
    Coordinators,
    KioskConfig,
    SourceUrls,
)
from services.i18n import DEFAULT_LOCALE, N_
from services.local_store import open_store
from services.open_data.catalogue_sync import CatalogueSummary, sync_catalogue
from services.open_data.ckan import CkanClient, Flavour
from services.open_data.datasets import build_open_data
from services.outbox import Outbox
from services.participation.client import ParticipationClient, SurveySummary
from services.participation.service import Participation
from services.people import People
from services.preferences import Preferences
from services.refresh_schedule import RefreshSchedule
from services.sensors.readings import SensorReadings, fetch_readings
from services.sensors.sensorthings import SensorThingsClient
from services.sensors.series_cache import SensorSeries
from services.sensors.thresholds import DEFAULTS, Threshold
from services.waiting_times.calls import CallDisplays, TicketMachine
from services.waiting_times.feed import STALE_AFTER, WaitingFeedClient, WaitingTimes, merge
from services.waiting_times.history import WaitingHistory
from services.waiting_times.queue import Location, QueueClient
from services.waiting_times.tickets import FollowedTickets

VERSION = "0.1.0"

# How old each resource may be before a screen calls it stale, and how often it is refreshed.
WAITING_MAX_AGE = STALE_AFTER
WAITING_EVERY = timedelta(minutes=1)
CATALOGUE_MAX_AGE = timedelta(hours=6)
CATALOGUE_EVERY = timedelta(minutes=30)
SENSORS_MAX_AGE = timedelta(hours=1)
SENSORS_EVERY = timedelta(minutes=10)
OUTBOX_EVERY = timedelta(seconds=30)
TICKETS_EVERY = timedelta(seconds=20)  # followed tickets of people with a session open
TICKET_PURGE_EVERY = timedelta(hours=1)
PEOPLE_PURGE_EVERY = timedelta(hours=6)
EARLIER_TIMES_EVERY = timedelta(minutes=5)  # a few requests a round, within ZMS's rate limit
APPOINTMENT_PURGE_EVERY = timedelta(hours=1)
REFRESH_GAP = 10.0  # seconds: screens opened within this share one fetch

CACHE_RECOVERED = N_("The local data was damaged and has been set up anew. Nothing else is lost.")


def build_clients(
    urls: SourceUrls,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    ckan_flavour: Flavour = "ckan",
) -> Clients:
    """One client per source; a transport lets tests talk to the stub in-process."""
    return Clients(
        waiting=WaitingFeedClient(urls.waiting, transport=transport),
        zms=ZmsClient(urls.zms, transport=transport),
        ckan=CkanClient(urls.ckan, transport=transport, flavour=ckan_flavour),
        sta=SensorThingsClient(urls.sta, transport=transport),
        participation=ParticipationClient(urls.participation, transport=transport),
        queue=QueueClient(urls.queue, transport=transport),
    )


def as_job(work: Callable[[], object]) -> Callable[[], Awaitable[None]]:
    """A plain function as a scheduler job."""

    async def job() -> None:
        work()

    return job


def build_services(
    urls: SourceUrls,
    data_dir: Path,
    *,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    embedded_backend: bool = False,
    app_origins: list[str] | None = None,
    kiosk: KioskConfig | None = None,
    map_tiles: str | None = None,
    sensor_thresholds: Mapping[str, Threshold] | None = None,
    ckan_flavour: Flavour = "ckan",
    default_locale: str | None = None,
    zms_test_mailbox: bool = False,
) -> AppServices:
    """Wire everything; opens (or repairs) the local store, touches no network."""
    clock = clock or SystemClock()
    store = open_store(data_dir, now=clock.now())
    cache = ResourceCache(store)
    connectivity = Connectivity()
    clients = build_clients(urls, transport, ckan_flavour=ckan_flavour)

    history = WaitingHistory(store)
    people = People(store, clock)
    open_data = build_open_data(clients.ckan, store, clock, ensure_person=people.ensure)
    coordinator = partial(
        ResourceCoordinator,
        cache=cache,
        clock=clock,
        connectivity=connectivity,
        min_gap=REFRESH_GAP,
    )

    async def fetch_waiting_times() -> WaitingTimes:
        # offices left out or unreadable keep their last good value; new values are recorded
        latest = merge(await clients.waiting.fetch(), coordinators.waiting_times.data)
        history.record(latest.offices, clock.now())
        return latest

    coordinators = Coordinators(
        waiting_times=coordinator(
            "waiting_times",
            source="waiting",
            fetch=fetch_waiting_times,
            adapter=TypeAdapter(WaitingTimes),
            max_age=WAITING_MAX_AGE,
        ),
        offices=coordinator(
            "offices_and_services",
            source="zms",
            fetch=clients.zms.offices_and_services,
            adapter=TypeAdapter(OfficesAndServices),
            max_age=CATALOGUE_MAX_AGE,
        ),
        catalogue=coordinator(
            "catalogue",
            source="ckan",
            fetch=lambda: sync_catalogue(clients.ckan, open_data.catalogue, clock.now()),
            adapter=TypeAdapter(CatalogueSummary),
            max_age=CATALOGUE_MAX_AGE,
        ),
        sensor_readings=coordinator(
            "sensor_readings",
            source="sta",
            # a stream whose latest value fails this time keeps its last known one
            fetch=lambda: fetch_readings(clients.sta, coordinators.sensor_readings.data),
            adapter=TypeAdapter(SensorReadings),
            max_age=SENSORS_MAX_AGE,
        ),
        surveys=coordinator(
            "surveys",
            source="participation",
            fetch=clients.participation.surveys,
            adapter=TypeAdapter(Checked[SurveySummary]),
            max_age=CATALOGUE_MAX_AGE,
        ),
        locations=coordinator(
            "queue_locations",
            source="queue",
            fetch=clients.queue.locations,
            adapter=TypeAdapter(Checked[Location]),
            max_age=WAITING_MAX_AGE,
        ),
    )
    tickets = FollowedTickets(store, clients.queue, clock, ensure_person=people.ensure)
    tickets.purge_old()
    people.purge_untouched()
    outbox = Outbox(store, clock, {BARRIER_REPORT: clients.participation.send_barrier_report})
    appointments = Appointments(
        Wallet(store),
        clients.zms,
        clock,
        outbox,
        lambda: coordinators.offices.data,
        ensure_person=people.ensure,
        test_mailbox=zms_test_mailbox,
    )
    outbox.delivers(CANCEL, appointments.deliver_cancel)
    # registers its outbox deliverer (survey answers) itself
    participation = Participation(
        clients.participation, store, outbox, clock, people, connectivity=connectivity
    )
    appointments.purge_past()
    kiosk = kiosk or KioskConfig()

    schedule = RefreshSchedule()
    schedule.every("refresh-waiting-times", WAITING_EVERY, coordinators.waiting_times.refresh)
    schedule.every("refresh-offices", CATALOGUE_EVERY, coordinators.offices.refresh)
    schedule.every("sync-catalogue", CATALOGUE_EVERY, coordinators.catalogue.refresh)
    schedule.every("refresh-sensors", SENSORS_EVERY, coordinators.sensor_readings.refresh)
    schedule.every("refresh-surveys", CATALOGUE_EVERY, coordinators.surveys.refresh)
    schedule.every("refresh-locations", CATALOGUE_EVERY, coordinators.locations.refresh)
    schedule.every("flush-outbox", OUTBOX_EVERY, outbox.flush)
    outbox.send_when_back(connectivity)
    # the waiting requests run on their own; this only mends the set now and then
    schedule.every("keep-waiting-for-tickets", TICKETS_EVERY, as_job(tickets.keep_waiting))
    schedule.every("purge-old-tickets", TICKET_PURGE_EVERY, as_job(tickets.purge_old))
    schedule.every("purge-untouched-people", PEOPLE_PURGE_EVERY, as_job(people.purge_untouched))
    schedule.every("look-for-earlier-times", EARLIER_TIMES_EVERY, appointments.look_for_earlier)
    schedule.every("finish-reschedules", EARLIER_TIMES_EVERY, appointments.finish_reschedules)
    schedule.every(
        "purge-past-appointments", APPOINTMENT_PURGE_EVERY, as_job(appointments.purge_past)
    )

    return AppServices(
        clock=clock,
        store=store,
        urls=urls,
        clients=clients,
        coordinators=coordinators,
        connectivity=connectivity,
        outbox=outbox,
        people=people,
        preferences=Preferences(store, people, default_locale or DEFAULT_LOCALE),
        schedule=schedule,
        tickets=tickets,
        appointments=appointments,
        calls=CallDisplays(clients.queue, cache, clock, connectivity),
        ticket_machine=TicketMachine(clients.queue, kiosk.office),
        history=history,
        open_data=open_data,
        sensor_series=SensorSeries(clients.sta, clock),
        participation=participation,
        embedded_backend=embedded_backend,
        app_origins=app_origins or [],
        kiosk=kiosk,
        map_tiles=map_tiles,
        sensor_thresholds=dict(sensor_thresholds or DEFAULTS),
        version=VERSION,
        notices=[CACHE_RECOVERED] if store.recovered_from else [],
    )
