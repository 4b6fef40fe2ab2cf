"""Periodic background work (refreshing resources, flushing the outbox) on APScheduler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


class RefreshSchedule:
    """Jobs that run every so often on the running asyncio loop."""

    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._jobs: list[tuple[str, Callable[[], Awaitable[Any]], timedelta]] = []

    def every(self, name: str, interval: timedelta, job: Callable[[], Awaitable[Any]]) -> None:
        """Run `job` every `interval`, the first time right at start."""
        self._jobs.append((name, job, interval))

    @property
    def running(self) -> bool:
        """Whether the scheduler has been started."""
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start all jobs; call from inside the running event loop."""
        if self.running:
            return
        for name, job, interval in self._jobs:
            self._scheduler.add_job(
                job,
                "interval",
                seconds=interval.total_seconds(),
                id=name,
                next_run_time=datetime.now(UTC),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=int(interval.total_seconds()),
            )
        self._scheduler.start()
        log.info("scheduler started with %d jobs", len(self._jobs))

    def shutdown(self) -> None:
        """Stop all jobs without waiting for running ones."""
        if self.running:
            self._scheduler.shutdown(wait=False)

    def job_names(self) -> list[str]:
        """The names of the registered jobs."""
        return [name for name, _, _ in self._jobs]
