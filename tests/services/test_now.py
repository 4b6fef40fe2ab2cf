"""What the start screen picks as mattering now: only current values, only what still stands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.appointments.wallet import CANCELLING, CONFIRMED, PRECONFIRMED, WalletEntry
from services.appointments.zms import EXPIRED
from services.checked import Checked
from services.now import (
    ALL_CLOSED,
    NONE_CURRENT,
    NOTHING_SAVED,
    appointment_route,
    datastream_route,
    next_appointment,
    office_route,
    open_survey,
    open_tickets,
    quickest_office,
    rhine_level,
    survey_route,
    ticket_route,
)
from services.participation.client import SurveySummary
from services.sensors.sensorthings import Datastream
from services.waiting_times.feed import (
    CLOSED,
    MISSING,
    OPEN,
    UNKNOWN,
    WaitingTime,
    WaitingTimes,
    office_key,
)
from services.waiting_times.queue import CALLED, FINISHED, QUEUED, TicketStatus
from services.waiting_times.tickets import Followed

NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def office(
    name: str, minutes: int | None, *, state: str = OPEN, age: int = 2, kept: str = ""
) -> WaitingTime:
    return WaitingTime.model_validate(
        {
            "key": office_key(name),
            "office": f"Kundenzentrum {name}",
            "measured_at": NOW - timedelta(minutes=age),
            "wait_minutes": minutes,
            "state": state,
            "kept": kept,
        }
    )


def times(*offices: WaitingTime) -> WaitingTimes:
    return WaitingTimes(offices=list(offices))


def test_the_quickest_open_office_with_a_current_value() -> None:
    chosen = quickest_office(
        times(office("Kalk", 25), office("Porz", 8), office("Nippes", 3, state=CLOSED)), NOW
    )
    assert chosen.office is not None and chosen.office.key == "porz" and chosen.why_none == ""


def test_an_old_or_kept_short_wait_is_never_the_quickest() -> None:
    chosen = quickest_office(
        times(
            office("Kalk", 25),
            office("Porz", 1, age=3 * 60),  # three hours old: the feed froze
            office("Nippes", 2, kept=MISSING),  # not in the latest answer
        ),
        NOW,
    )
    assert chosen.office is not None and chosen.office.key == "kalk"


def test_no_current_value_is_said_so_and_no_old_one_is_offered() -> None:
    old = quickest_office(times(office("Kalk", 5, age=45), office("Porz", 9, age=60)), NOW)
    assert old.office is None and old.why_none == NONE_CURRENT
    unknown_wait = quickest_office(times(office("Kalk", None)), NOW)
    assert unknown_wait.office is None and unknown_wait.why_none == NONE_CURRENT
    unread = quickest_office(times(WaitingTime(key="kalk", office="Kalk", state=UNKNOWN)), NOW)
    assert unread.why_none == NONE_CURRENT


def test_all_closed_only_when_every_office_says_so_now() -> None:
    closed = times(office("Kalk", None, state=CLOSED), office("Porz", None, state=CLOSED))
    assert quickest_office(closed, NOW).why_none == ALL_CLOSED
    one_old = times(office("Kalk", None, state=CLOSED), office("Porz", 4, age=90))
    assert quickest_office(one_old, NOW).why_none == NONE_CURRENT


def test_nothing_saved_yet() -> None:
    assert quickest_office(None, NOW).why_none == NOTHING_SAVED
    assert quickest_office(times(), NOW).why_none == NONE_CURRENT


def test_office_route_only_for_a_known_office() -> None:
    assert office_route("kalk", {"kalk", "porz"}) == "/waiting/office/kalk"
    assert office_route("kalk", set()) == "/waiting"


def ticket(ticket_id: int, status: str | None, *, problem: str | None = None) -> Followed:
    found = (
        TicketStatus.model_validate(
            {
                "number": ticket_id,
                "displayNumber": f"A{ticket_id:03d}",
                "status": status,
                "numbersAhead": 4,
                "waitingTimeEstimate": 12,
                "location": "kalk",
            }
        )
        if status
        else None
    )
    return Followed(
        id=ticket_id,
        person="p",
        office="kalk",
        token=f"tok{ticket_id}",
        added_at=NOW,
        status=found,
        checked_at=NOW if found else None,
        problem=problem,
        last_error=None,
    )


def test_open_tickets_leave_out_the_done_and_put_the_called_first() -> None:
    followed = [
        ticket(1, QUEUED),
        ticket(2, FINISHED),
        ticket(3, CALLED),
        ticket(4, None),
        ticket(5, None, problem="ticketExpired"),
    ]
    assert [t.id for t in open_tickets(followed)] == [3, 1, 4]
    assert ticket_route(followed[0]) == "/waiting/ticket/kalk/tok1"


def appointment(
    process_id: int,
    starts_in: timedelta,
    *,
    status: str = CONFIRMED,
    problem: str | None = None,
    minutes: int = 15,
) -> WalletEntry:
    return WalletEntry(
        process_id=process_id,
        auth_key="ab12",
        service_id=1,
        service_name="Personalausweis",
        office_id=1,
        office_name="Kundenzentrum Kalk",
        starts_at=NOW + starts_in,
        minutes=minutes,
        status=status,
        id=process_id,
        person_id="p",
        watch=False,
        offer=None,
        declined=(),
        problem=problem,
        added_at=NOW,
    )


def test_the_next_appointment_is_the_soonest_that_still_stands() -> None:
    entries = [
        appointment(1, -timedelta(minutes=30)),  # over
        appointment(2, -timedelta(minutes=5)),  # under way: still the one that matters
        appointment(3, timedelta(hours=2)),
    ]
    chosen = next_appointment(entries, NOW)
    assert chosen is not None and chosen.process_id == 2
    assert appointment_route(chosen) == "/appointments/view/2/ab12"
    later = [
        appointment(4, timedelta(hours=1), status=CANCELLING),
        appointment(5, timedelta(hours=2), problem=EXPIRED),
        appointment(6, timedelta(days=1), status=PRECONFIRMED),
    ]
    chosen = next_appointment(later, NOW)
    assert chosen is not None and chosen.process_id == 6
    assert next_appointment([], NOW) is None


def survey(survey_id: str, closes_in: timedelta | None) -> SurveySummary:
    return SurveySummary(
        id=survey_id,
        title=survey_id.title(),
        pillar="governance",
        closes_at=NOW + closes_in if closes_in is not None else None,
    )


def test_the_open_survey_closing_soonest_else_the_first() -> None:
    listed: Checked[SurveySummary] = Checked(
        entries=[
            survey("endless", None),
            survey("closed", -timedelta(days=1)),
            survey("later", timedelta(days=20)),
            survey("soon", timedelta(days=2)),
        ]
    )
    chosen = open_survey(listed, NOW)
    assert chosen is not None and chosen.id == "soon"
    assert survey_route(chosen) == "/participate/soon"
    without_end = open_survey(Checked(entries=[survey("a", None), survey("b", None)]), NOW)
    assert without_end is not None and without_end.id == "a"
    assert open_survey(Checked(entries=[survey("closed", -timedelta(hours=1))]), NOW) is None
    assert open_survey(None, NOW) is None


def stream(stream_id: int, name: str, thing: str | None = None) -> Datastream:
    return Datastream.model_validate(
        {"@iot.id": stream_id, "name": name, **({"Thing": {"name": thing}} if thing else {})}
    )


def test_the_rhine_level_is_found_by_name_and_nothing_else_passes_for_it() -> None:
    streams: Checked[Datastream] = Checked(
        entries=[
            stream(1, "PM10 Neumarkt", "Luftsensor Neumarkt"),
            stream(2, "Temperatur Rhein", "Boje"),
            stream(3, "Pegel Rhein", "Pegel Rheinufer"),
        ]
    )
    found = rhine_level(streams)
    assert found is not None and found.id == 3 and datastream_route(found) == "/sensors/3"
    assert rhine_level(Checked(entries=[stream(2, "Temperatur Rhein")])) is None
    assert rhine_level(None) is None
