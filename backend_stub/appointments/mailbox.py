"""The stub's test mailbox: the mails a real ZMS would send, kept for tests and demos.

A mail is kept without its address and without the person's name: only what it is about, when
it went out, its subject and (for the activation mail) the link in it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend_stub.clock import CITY_TZ
from backend_stub.models import AppointmentMail, AppointmentProcess

SUBJECTS = {
    "preconfirm": "Bitte bestätigen Sie Ihren Termin am {day} um {time} Uhr",
    "confirm": "Ihr Termin am {day} um {time} Uhr ist bestätigt",
    "cancel": "Ihr Termin am {day} um {time} Uhr ist abgesagt",
}


def confirmation_link(app_url: str, process_id: int, auth_key: str) -> str:
    """Where the activation mail leads: the app's page that confirms the appointment."""
    return f"{app_url.rstrip('/')}/appointments/confirm/{process_id}/{auth_key}"


def send_mail(
    session: Session, row: AppointmentProcess, kind: str, sent_at: int, link: str | None
) -> None:
    """Keep a mail about the appointment in the mailbox (in the caller's transaction)."""
    assert row.id is not None
    start = datetime.fromtimestamp(row.timestamp, CITY_TZ)
    subject = SUBJECTS[kind].format(day=f"{start:%d.%m.%Y}", time=f"{start:%H:%M}")
    session.add(
        AppointmentMail(process_id=row.id, kind=kind, sent_at=sent_at, subject=subject, link=link)
    )


def mails_of(session: Session, row: AppointmentProcess) -> list[AppointmentMail]:
    """The mails sent about the appointment, oldest first."""
    return list(
        session.exec(
            select(AppointmentMail)
            .where(col(AppointmentMail.process_id) == row.id)
            .order_by(col(AppointmentMail.id))
        ).all()
    )
