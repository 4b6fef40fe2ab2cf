"""Personal data is kept no longer than needed: 90 days after an appointment's day it is gone.

Expired and cancelled bookings lose the person's data at once (see processes.py); this job
clears the name, email address, telephone number and free texts of every appointment whose
day lies more than `KEEP_DAYS` days back, and drops the mails kept about it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from backend_stub.appointments.processes import PERSONAL_DATA
from backend_stub.clock import CITY_TZ
from backend_stub.models import AppointmentMail, AppointmentProcess

KEEP_DAYS = 90


def anonymise_past(engine: Engine, now: datetime) -> int:
    """Clear the personal data of appointments more than 90 days past; how many it cleared."""
    cutoff = now.astimezone(CITY_TZ).date() - timedelta(days=KEEP_DAYS)
    with Session(engine) as session:
        ids = list(
            session.exec(
                select(AppointmentProcess.id).where(
                    col(AppointmentProcess.day) < cutoff,
                    col(AppointmentProcess.anonymised).is_(False),
                )
            ).all()
        )
        if not ids:
            return 0
        session.exec(
            update(AppointmentProcess)
            .where(col(AppointmentProcess.id).in_(ids))
            .values(anonymised=True, **PERSONAL_DATA)
        )
        session.exec(delete(AppointmentMail).where(col(AppointmentMail.process_id).in_(ids)))
        session.commit()
        return len(ids)
