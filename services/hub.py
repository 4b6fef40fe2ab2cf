"""Everything the views may use, built once by the app's composition root."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.appointments.booking import Appointments
from services.appointments.zms import OfficesAndServices, ZmsClient
from services.checked import Checked
from services.clock import Clock
from services.connectivity import Connectivity
from services.coordinator import ResourceCoordinator
from services.local_store import LocalStore
from services.open_data.catalogue_sync import CatalogueSummary
from services.open_data.ckan import CkanClient
from services.open_data.datasets import OpenData
from services.outbox import Outbox
from services.participation.client import ParticipationClient, SurveySummary
from services.participation.service import Participation
from services.people import DeletedData, People
from services.preferences import Preferences
from services.refresh_schedule import RefreshSchedule
from services.sensors.readings import SensorReadings
from services.sensors.sensorthings import SensorThingsClient
from services.sensors.series_cache import SensorSeries
from services.sensors.thresholds import DEFAULTS, Threshold
from services.waiting_times.calls import CallDisplays, TicketMachine
from services.waiting_times.feed import WaitingFeedClient, WaitingTimes
from services.waiting_times.history import WaitingHistory
from services.waiting_times.queue import Location, QueueClient
from services.waiting_times.tickets import FollowedTickets

BARRIER_REPORT = "barrier_report"


@dataclass(frozen=True)
class KioskConfig:
    """The kiosk in a Kundenzentrum: which one it stands in, and when it starts over."""

    office: str = "innenstadt"
    idle_seconds: float = 60.0


@dataclass(frozen=True)
class SourceUrls:
    """Where each source lives; each can point at the stub or a real server."""

    waiting: str
    zms: str
    ckan: str
    sta: str
    participation: str
    queue: str

    def items(self) -> list[tuple[str, str]]:
        """(source name, URL) pairs, for the settings screen."""
        return [
            ("waiting", self.waiting),
            ("zms", self.zms),
            ("ckan", self.ckan),
            ("sta", self.sta),
            ("participation", self.participation),
            ("queue", self.queue),
        ]


@dataclass
class Clients:
    """One HTTP client per source."""

    waiting: WaitingFeedClient
    zms: ZmsClient
    ckan: CkanClient
    sta: SensorThingsClient
    participation: ParticipationClient
    queue: QueueClient

    async def aclose(self) -> None:
        """Close all connection pools."""
        clients = (self.waiting, self.zms, self.ckan, self.sta, self.participation, self.queue)
        for client in clients:
            await client.aclose()


@dataclass
class Coordinators:
    """One coordinator per remote resource the screens show."""

    waiting_times: ResourceCoordinator[WaitingTimes]
    offices: ResourceCoordinator[OfficesAndServices]
    catalogue: ResourceCoordinator[CatalogueSummary]
    sensor_readings: ResourceCoordinator[SensorReadings]
    surveys: ResourceCoordinator[Checked[SurveySummary]]
    locations: ResourceCoordinator[Checked[Location]]

    def __iter__(self) -> Iterator[ResourceCoordinator[Any]]:
        return iter(
            (
                self.waiting_times,
                self.offices,
                self.catalogue,
                self.sensor_readings,
                self.surveys,
                self.locations,
            )
        )


@dataclass
class AppServices:
    """The services of one running app, shared by all its sessions."""

    clock: Clock
    store: LocalStore
    urls: SourceUrls
    clients: Clients
    coordinators: Coordinators
    connectivity: Connectivity
    outbox: Outbox
    people: People
    preferences: Preferences
    schedule: RefreshSchedule
    tickets: FollowedTickets
    appointments: Appointments
    calls: CallDisplays
    ticket_machine: TicketMachine
    history: WaitingHistory
    open_data: OpenData
    sensor_series: SensorSeries  # the sensors' recent history, shared by all sessions
    participation: Participation  # surveys, results, workshops; answers through the outbox
    embedded_backend: bool
    version: str
    notices: list[str] = field(default_factory=list)
    # Where this app is reached: a ticket QR code must point below one of these.
    app_origins: list[str] = field(default_factory=list)
    kiosk: KioskConfig = field(default_factory=lambda: KioskConfig())
    map_tiles: str | None = None  # a tile URL template; without one maps show just the pin
    # The limits the sensors' values are assessed against (configurable per property).
    sensor_thresholds: Mapping[str, Threshold] = field(default_factory=lambda: dict(DEFAULTS))

    @property
    def link_base(self) -> str:
        """Where the app's own QR codes point: its public address if set, else this server."""
        return self.app_origins[-1].rstrip("/") if self.app_origins else ""

    def report_barrier(self, person: str | None, screen: str, message: str) -> str:
        """Queue an anonymous barrier report for delivery; returns its idempotency key.

        The report itself names nobody; `person` only lets them see it is still unsent.
        """
        if person is not None:
            self.people.ensure(person)
        return self.outbox.enqueue(
            BARRIER_REPORT, {"screen": screen, "message": message}, person=person
        )

    def delete_person_data(self, person: str) -> DeletedData:
        """Delete everything kept for `person` (and nothing of anybody else's)."""
        deleted = self.people.delete(person)
        self.tickets.forgotten(person)
        self.appointments.changes.publish(person, None)
        self.outbox.listeners.notify()
        self.participation.listeners.notify()
        return deleted

    def live_counts(self) -> dict[str, int]:
        """Listeners and pollers held for open screens; all zero when no screen is open."""
        return {
            "coordinator_listeners": sum(len(c.listeners) for c in self.coordinators),
            "connectivity_listeners": len(self.connectivity.listeners),
            "outbox_listeners": len(self.outbox.listeners),
            "participation_listeners": len(self.participation.listeners),
            "ticket_watchers": len(self.tickets.alerts) + len(self.tickets.changes),
            "call_display_watchers": self.calls.watchers(),
            "call_display_pollers": self.calls.polling(),
            "ticket_waiting_requests": self.tickets.waiting(),
        }

    async def aclose(self) -> None:
        """Stop background work and close connections and the store."""
        self.schedule.shutdown()
        self.tickets.stop_waiting()
        self.calls.stop_waiting()
        await self.clients.aclose()
        self.store.dispose()
