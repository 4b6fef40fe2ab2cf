"""The stub's background job for appointments: expire reservations, anonymise old bookings.

Reservations also expire lazily at the start of each ZMS request; this job catches those nobody
asks about. It runs on the stub's clock, in a worker thread (the database calls block).
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.engine import Engine

from backend_stub.appointments.privacy import anonymise_past
from backend_stub.appointments.processes import expire_due
from backend_stub.clock import Clock

EXPIRY_EVERY = 60.0  # seconds between two sweeps for expired reservations
PRIVACY_EVERY = 3600.0  # seconds between two runs of the privacy job

log = logging.getLogger(__name__)


async def housekeeping(
    engine: Engine,
    clock: Clock,
    *,
    expiry_every: float = EXPIRY_EVERY,
    privacy_every: float = PRIVACY_EVERY,
) -> None:
    """Sweep expired reservations every `expiry_every` s and anonymise every `privacy_every` s,
    the privacy job first at once; runs until cancelled."""
    loop = asyncio.get_running_loop()
    next_privacy = loop.time()
    while True:
        try:
            if loop.time() >= next_privacy:
                cleared = await asyncio.to_thread(anonymise_past, engine, clock.now())
                if cleared:
                    log.info("anonymised %d past appointments", cleared)
                next_privacy = loop.time() + privacy_every
            await asyncio.to_thread(expire_due, engine, clock.now())
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup must not end the job for good
            log.exception("appointment housekeeping failed; trying again later")
        await asyncio.sleep(min(expiry_every, max(0.0, next_privacy - loop.time())))
