"""The last 30 days of a datastream, fetched once and shared by every session for a while.

Many phones opening the same sensor cause one request: the series is kept for a few minutes,
one fetch per datastream is in flight at a time, and only the most recently used streams are
kept, so memory stays bounded. The screens cut the periods (24 h, 7 d, 30 d) out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.clock import Clock
from services.sensors.downsample import CHART_POINTS, WINDOWS, Points, Summary, downsample
from services.sensors.downsample import summary as summary_of
from services.sensors.downsample import window as window_of
from services.sensors.sensorthings import ObservationSeries, SensorThingsClient
from services.shared_fetch import Kept, SharedFetches

SPAN = timedelta(days=30)  # the longest period a screen offers
KEEP = timedelta(minutes=5)
MOST = 24  # streams kept; each is at most a few ten thousand floats
PERIODS: tuple[str, ...] = tuple(WINDOWS)  # "24h", "7d", "30d"


@dataclass(frozen=True)
class PeriodView:
    """What a chart of one period shows: the downsampled points and the summary of all."""

    period: str
    points: Points
    summary: Summary | None
    complete: bool  # False when a cap on pages cut the reading short


class SensorSeries:
    """Observation series of datastreams, shared among sessions (one request per stream)."""

    def __init__(
        self,
        client: SensorThingsClient,
        clock: Clock,
        *,
        keep: timedelta = KEEP,
        most: int = MOST,
    ) -> None:
        self._client = client
        self._clock = clock
        self._shared: SharedFetches[int | str, ObservationSeries] = SharedFetches(
            self._fetch, clock, keep=keep, most=most
        )

    async def _fetch(self, datastream_id: int | str) -> ObservationSeries:
        now = self._clock.now()
        return await self._client.observations(datastream_id, now - SPAN, now)

    async def get(self, datastream_id: int | str) -> Kept[ObservationSeries]:
        """The last 30 days of a stream: kept if young enough, else fetched (errors raise)."""
        return await self._shared.get(datastream_id)

    def kept(self, datastream_id: int | str) -> Kept[ObservationSeries] | None:
        """The series kept for a stream, however old, without asking the server."""
        return self._shared.kept(datastream_id)

    @property
    def fetches(self) -> int:
        """How many fetches went out (for tests)."""
        return self._shared.fetches

    def __len__(self) -> int:
        return len(self._shared)


def period_view(
    series: ObservationSeries, now: datetime, period: str, points: int = CHART_POINTS
) -> PeriodView:
    """The part of `series` in `period` up to `now`: at most `points` for the chart, and the
    minimum, maximum and mean of every observation in it (not only of the points drawn)."""
    cut = window_of(series, now, WINDOWS[period])
    return PeriodView(
        period=period,
        points=downsample(cut, points),
        summary=summary_of(cut),
        complete=series.complete,
    )
