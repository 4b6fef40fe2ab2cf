"""The ZMS citizen API (`/terminvereinbarung/api/citizen`): catalogue, calendar and bookings.

The wire contract is docs/zms-contract.md. Every request first expires the reservations whose
time ran out (the housekeeping job does it too, for those nobody asks about); the rate limit
and its headers come from the middleware in appointments/ratelimit.py.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException

from backend_stub.appointments.calendar import SLOT_MINUTES, Horizon, day_start, free_starts
from backend_stub.appointments.catalogue import (
    BadRequest,
    BookableOffice,
    BookableService,
    Catalogue,
    check_services,
)
from backend_stub.appointments.mailbox import confirmation_link, mails_of
from backend_stub.appointments.processes import (
    ACTIVATION_MINUTES,
    MAX_PROCESS_ID,
    PENDING,
    RESERVATION_MINUTES,
    PersonalData,
    ProcessError,
    Reservation,
    cancel,
    confirm,
    current,
    expire_due,
    find,
    preconfirm,
    process_id_of,
    reserve,
    sub_requests,
    update_data,
)
from backend_stub.deps import NowDep, SessionDep
from backend_stub.errors import answer, zms_error
from backend_stub.models import AppointmentProcess, AppointmentSlot
from backend_stub.routers.zms_wire import (
    COUNT_LIST_PATTERN,
    EXPIRED,
    ID_LIST_PATTERN,
    NOT_FOUND,
    WRONG_STATUS,
    AvailableCalendar,
    AvailableDay,
    CalendarOffice,
    Fee,
    Mail,
    Mailbox,
    OfficesAndServices,
    ProcessKey,
    Provider,
    ProviderContact,
    ReserveAppointment,
    SubRequestCount,
    UpdateAppointment,
    ZmsAddress,
    ZmsGeo,
    ZmsOffice,
    ZmsProcess,
    ZmsRelation,
    ZmsScope,
    ZmsService,
    rate_limited,
)

ZMS_BASE = "/terminvereinbarung/api/citizen"
MAILBOX_PATH = "/terminvereinbarung/mailbox/"
# Paths answered in ZMS's shape, under its rate limit and without FastAPI's 422
ZMS_PATHS = (ZMS_BASE, MAILBOX_PATH)
EMAIL_FROM = "terminvereinbarung@stadt-koeln.example"
# Which request field a ZMS errorCode names when FastAPI's check of the request fails
FIELD_CODES = {
    "officeId": "invalidOfficeId",
    "officeIds": "invalidOfficeId",
    "serviceId": "invalidServiceId",
    "serviceIds": "invalidServiceId",
    "serviceCount": "invalidServiceCount",
    "serviceCounts": "invalidServiceCount",
    "timestamp": "invalidTimestamp",
    "startDate": "invalidStartDate",
    "endDate": "invalidEndDate",
    "processId": "invalidProcessId",
    "authKey": "invalidAuthKey",
    "familyName": "invalidFamilyName",
    "email": "invalidEmail",
    "telephone": "invalidTelephone",
    "customTextfield": "invalidCustomTextfield",
    "customTextfield2": "invalidCustomTextfield2",
}


def zms_validation_error(error: RequestValidationError) -> JSONResponse:
    """FastAPI's failed check of a request, as ZMS answers it: 400, an errorCode per field."""
    entries = []
    for problem in error.errors():
        where = [str(part) for part in problem.get("loc", ()) if isinstance(part, str)]
        field = next((part for part in reversed(where) if part in FIELD_CODES), None)
        code = FIELD_CODES[field] if field else "invalidRequest"
        named = field or ".".join(where[1:]) or "body"
        entry = {"errorCode": code, "statusCode": 400, "errorMessage": f"{named}: {problem['msg']}"}
        if entry not in entries:
            entries.append(entry)
    return JSONResponse({"errors": entries}, status_code=400)


class ZmsRoute(APIRoute):
    """A route that answers a request FastAPI cannot read the way ZMS does (400, errorCode)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, with its validation errors turned into ZMS's."""
        handler = super().get_route_handler()

        async def zms_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return zms_validation_error(error)
            except HTTPException as error:
                if error.status_code != 400:
                    raise
                return zms_error(400, "invalidRequest", "the body is not readable JSON")

        return zms_handler


def get_catalogue(request: Request) -> Catalogue:
    """The stub's catalogue (read once at start)."""
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def get_engine(request: Request) -> Engine:
    """The stub's database."""
    engine: Engine = request.app.state.engine
    return engine


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def expire_pending(engine: EngineDep, now: NowDep) -> None:
    """Expire the reservations whose time ran out, before anything else is answered."""
    expire_due(engine, now)


router = APIRouter(
    prefix=ZMS_BASE,
    tags=["appointments (ZMS citizen API)"],
    dependencies=[Depends(expire_pending)],
    route_class=ZmsRoute,
)
mailbox_router = APIRouter(
    tags=["appointments (ZMS citizen API)"],
    dependencies=[Depends(expire_pending)],
    route_class=ZmsRoute,
)


def zms_json(model: BaseModel) -> Response:
    """`model` as the JSON answer."""
    return Response(model.model_dump_json(), media_type="application/json")


def refused(error: ProcessError | BadRequest) -> JSONResponse:
    """A step that could not be done, in ZMS's error shape."""
    if isinstance(error, BadRequest):
        return zms_error(400, error.code, error.message)
    return zms_error(error.status, error.code, error.message)


def process_answer(step: Callable[[], AppointmentProcess], catalogue: Catalogue) -> Response:
    """The booking after one step of it, as ZMS answers it; a refused step in ZMS's words."""
    try:
        row = step()
    except ProcessError as error:
        return refused(error)
    return zms_json(process_of(row, catalogue))


# --- the catalogue --------------------------------------------------------------------------


def split_street(street: str) -> tuple[str, str]:
    """("Beispielstraße", "1") from "Beispielstraße 1"; no number stays ("", as given)."""
    name, _, number = street.rpartition(" ")
    return (name, number) if name and number[:1].isdigit() else (street, "")


def scope_of(bookable: BookableOffice) -> ZmsScope:
    """The office's booking scope."""
    office = bookable.office
    street, number = split_street(office.street)
    return ZmsScope(
        id=office.id,
        provider=Provider(
            id=office.id,
            name=office.name,
            displayName=office.name.removeprefix("Kundenzentrum "),
            lat=office.lat,
            lon=office.lon,
            source="koeln",
            contact=ProviderContact(
                city="Köln",
                country="Germany",
                name=office.name,
                postalCode=office.postal_code,
                region="Köln",
                street=street,
                streetNumber=number,
            ),
        ),
        shortName=office.slug,
        emailFrom=EMAIL_FROM,
        emailRequired=True,
        telephoneActivated=True,
        telephoneRequired=False,
        customTextfieldActivated=True,
        customTextfieldRequired=False,
        customTextfieldLabel="Anmerkungen",
        customTextfield2Activated=False,
        customTextfield2Required=False,
        customTextfield2Label="",
        captchaActivatedRequired=False,
        infoForAppointment=None,
        infoForAllAppointments=None,
        slotsPerAppointment=None,
        appointmentsPerMail=None,
        whitelistedMails=None,
        reservationDuration=RESERVATION_MINUTES,
        activationDuration=ACTIVATION_MINUTES,
        hint=None,
    )


def office_of(bookable: BookableOffice) -> ZmsOffice:
    """An office as ZMS describes it (geo as strings, as upstream sends them)."""
    office = bookable.office
    street, number = split_street(office.street)
    return ZmsOffice(
        id=office.id,
        name=office.name,
        address=ZmsAddress(
            street=street,
            house_number=number,
            postal_code=office.postal_code,
            city="Köln",
            sample=office.is_sample,
        ),
        showAlternativeLocations=False,
        displayNameAlternatives=[],
        organization="Stadt Köln",
        organizationUnit="Amt für öffentliche Ordnung",
        slotTimeInMinutes=SLOT_MINUTES,
        geo=ZmsGeo(lat=str(office.lat), lon=str(office.lon)),
        disabledByServices=[],
        priority=1,
        scope=scope_of(bookable),
        slotsPerAppointment=None,
        parentId=None,
        allowDisabledServicesMix=None,
        sharedBookingOfficeIds=None,
        openingHours=bookable.opening_hours,
    )


def service_of(service: BookableService) -> ZmsService:
    """A service with its fee and what to bring."""
    fee = service.fee
    return ZmsService(
        id=service.id,
        name=service.name,
        maxQuantity=service.max_quantity,
        combinable=service.combinable,
        parentId=None,
        variantId=None,
        rootParentId=service.id,
        showOnStartPage=True,
        fee=None if fee is None else Fee(amount=fee, currency="EUR"),
        documents=service.documents,
        description=service.description,
    )


@router.get(
    "/offices-and-services/",
    operation_id="officesAndServices",
    response_model=None,
    responses=rate_limited(answer(OfficesAndServices, "All offices, services and relations."), {}),
)
def offices_and_services(catalogue: CatalogueDep) -> Response:
    """All offices, services and which office offers which service (taking how many slots)."""
    return zms_json(
        OfficesAndServices(
            offices=[office_of(office) for office in catalogue.offices.values()],
            services=[service_of(service) for service in catalogue.services.values()],
            relations=[
                ZmsRelation(
                    officeId=office_id,
                    serviceId=service_id,
                    slots=slots,
                    public=True,
                    maxQuantity=catalogue.services[service_id].max_quantity,
                )
                for (office_id, service_id), slots in catalogue.offers.items()
            ],
        )
    )


# --- the calendar ---------------------------------------------------------------------------

OfficeIdList = Annotated[
    str,
    Query(pattern=ID_LIST_PATTERN, description="comma-separated ids", examples=["10001,10003"]),
]
ServiceIdList = Annotated[
    str,
    Query(
        pattern=ID_LIST_PATTERN,
        description="comma-separated ids; the first is the main service",
        examples=["1001"],
    ),
]


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def _occupied(session: Session, office_ids: list[int], horizon: Horizon) -> dict[int, set[int]]:
    """The slot starts booked through the API within the horizon, by office."""
    first = day_start(horizon.first)
    last = day_start(horizon.last + timedelta(days=1))
    rows = session.exec(
        select(AppointmentSlot.office_id, AppointmentSlot.slot_start).where(
            col(AppointmentSlot.office_id).in_(office_ids),
            col(AppointmentSlot.slot_start) >= first,
            col(AppointmentSlot.slot_start) < last,
        )
    ).all()
    occupied: dict[int, set[int]] = {office_id: set() for office_id in office_ids}
    for office_id, start in rows:
        occupied[office_id].add(start)
    return occupied


@router.get(
    "/available-calendar/",
    operation_id="availableCalendar",
    response_model=None,
    responses=rate_limited(
        answer(AvailableCalendar, "The days with free start times, by office."),
        {
            400: "`invalidStartDate`, `invalidEndDate` (before the start), `invalidOfficeId` "
            "(no such office), `invalidServiceId` (no such service, named twice, or not "
            "combinable with the first), `invalidServiceCount` (not one per service, or more "
            "than the service's maxQuantity)."
        },
    ),
)
def available_calendar(
    session: SessionDep,
    catalogue: CatalogueDep,
    now: NowDep,
    startDate: Annotated[date, Query(examples=["2026-11-23"])],
    endDate: Annotated[date, Query(examples=["2027-01-18"])],
    officeIds: OfficeIdList,
    serviceIds: ServiceIdList,
    serviceCounts: Annotated[
        str | None,
        Query(
            pattern=COUNT_LIST_PATTERN,
            description="how often each service, comma-separated (all 1 if left out)",
            examples=["1"],
        ),
    ] = None,
) -> Response:
    """Bookable start times: where the office offers every service and enough consecutive
    slots are free, from now up to eight weeks ahead; only days with a free time are listed."""
    if endDate < startDate:
        return zms_error(400, "invalidEndDate", "endDate lies before startDate")
    offices = list(dict.fromkeys(_numbers(officeIds)))
    unknown = [office for office in offices if office not in catalogue.offices]
    if unknown:
        return zms_error(400, "invalidOfficeId", f"there is no office {unknown[0]}")
    try:
        wanted = check_services(
            catalogue, _numbers(serviceIds), _numbers(serviceCounts) if serviceCounts else None
        )
    except BadRequest as error:
        return refused(error)
    lengths = {
        office: length
        for office in offices
        if (length := catalogue.slots_for(office, wanted)) is not None
    }
    horizon = Horizon.at(now)
    occupied = _occupied(session, list(lengths), horizon)

    def day_of(day: date) -> AvailableDay | None:
        found = []
        for office, length in lengths.items():
            hours = catalogue.offices[office].hours
            starts = free_starts(hours, day, length, occupied[office], horizon)
            if starts:
                found.append(CalendarOffice(officeId=str(office), appointments=starts))
        if not found:
            return None
        return AvailableDay(
            date=day, providerIDs=",".join(o.officeId for o in found), offices=found
        )

    days = [found for day in horizon.days(startDate, endDate) if (found := day_of(day))]
    # (dates far in the past or future are clamped to the horizon before any arithmetic)
    after = max(startDate, min(endDate, horizon.last) + timedelta(days=1))
    following = days[0].date if days else _first(day_of, horizon.days(after, horizon.last))
    earlier = max(startDate, horizon.first) - timedelta(days=1)
    before = reversed(list(horizon.days(horizon.first, earlier)))
    return zms_json(
        AvailableCalendar(
            startDate=startDate,
            endDate=endDate,
            slotsStartDate=startDate,
            slotsEndDate=endDate,
            prevBookableDate=_first(day_of, before),
            nextBookableDate=following,
            availableDays=days,
        )
    )


def _first(day_of: Callable[[date], AvailableDay | None], days: Iterable[date]) -> date | None:
    """The first of `days` with a free time."""
    return next((day for day in days if day_of(day) is not None), None)


# --- bookings -------------------------------------------------------------------------------


def process_of(row: AppointmentProcess, catalogue: Catalogue) -> ZmsProcess:
    """A booking as ZMS shows it."""
    office = catalogue.offices[row.office_id]
    service = catalogue.services[row.service_id]
    return ZmsProcess(
        processId=process_id_of(row),
        timestamp=str(row.timestamp),
        authKey=row.auth_key,
        familyName=row.family_name,
        customTextfield=row.custom_textfield,
        customTextfield2=row.custom_textfield2,
        email=row.email,
        telephone=row.telephone,
        officeName=office.office.name,
        officeId=row.office_id,
        status=row.status,
        scope=scope_of(office),
        subRequestCounts=[
            SubRequestCount(id=other, name=catalogue.services[other].name, count=count)
            for other, count in sub_requests(row)
        ],
        serviceId=service.id,
        serviceName=service.name,
        serviceCount=row.service_count,
        slotCount=row.slot_count,
        displayNumber=row.display_number,
        reservedUntil=row.reserved_until if row.status in PENDING else None,
    )


# Later requests take processId and authKey from a reservation (OpenAPI links), in their
# body or in their query.
KEYED = {"processId": "$response.body#/processId", "authKey": "$response.body#/authKey"}
AFTER_RESERVING = {
    "UpdateAppointment": {
        "operationId": "updateAppointment",
        "requestBody": {
            **KEYED,
            "familyName": "Mustermann",
            "email": "erika.mustermann@example.org",
        },
    },
    "PreconfirmAppointment": {"operationId": "preconfirmAppointment", "requestBody": KEYED},
    "ConfirmAppointment": {"operationId": "confirmAppointment", "requestBody": KEYED},
    "CancelAppointment": {"operationId": "cancelAppointment", "requestBody": KEYED},
    "GetAppointment": {"operationId": "getAppointment", "parameters": KEYED},
    "Mailbox": {"operationId": "appointmentMailbox", "parameters": KEYED},
}
KEYED_400 = "`invalidProcessId`, `invalidAuthKey`, `invalidRequest`: the request is malformed."


@router.post(
    "/reserve-appointment/",
    operation_id="reserveAppointment",
    response_model=None,
    responses=rate_limited(
        answer(ZmsProcess, "The reservation (status reserved).", links=AFTER_RESERVING),
        {
            400: "`invalidOfficeId` (no such office), `invalidServiceId` (no such service, "
            "not offered there, or not combinable), `invalidServiceCount`, `invalidTimestamp`, "
            "`invalidRequest`.",
            404: "`appointmentNotAvailable`: the start time was taken meanwhile, was never "
            "offered, or is past.",
        },
    ),
)
def reserve_appointment(
    body: ReserveAppointment, engine: EngineDep, catalogue: CatalogueDep, now: NowDep
) -> Response:
    """Reserve a start time for 15 minutes: all the slots the services take, or none."""
    try:
        if body.officeId not in catalogue.offices:
            raise BadRequest("invalidOfficeId", f"there is no office {body.officeId}")
        wanted = check_services(catalogue, body.serviceId, body.serviceCount)
        row = reserve(engine, catalogue, Reservation(body.officeId, wanted, body.timestamp), now)
    except (BadRequest, ProcessError) as error:
        return refused(error)
    return zms_json(process_of(row, catalogue))


@router.post(
    "/update-appointment/",
    operation_id="updateAppointment",
    response_model=None,
    responses=rate_limited(
        answer(ZmsProcess, "The reservation with the person's data."),
        {
            400: "`invalidFamilyName` (empty or longer than 100), `invalidEmail`, "
            "`invalidTelephone` (other than digits, spaces, +, -, /, parentheses; longer than "
            "30), `invalidCustomTextfield`, " + KEYED_400,
            404: NOT_FOUND,
            409: WRONG_STATUS + " (only a reservation can be updated)",
            410: EXPIRED,
        },
    ),
)
def update_appointment(
    body: UpdateAppointment, engine: EngineDep, catalogue: CatalogueDep, now: NowDep
) -> Response:
    """Add the person's name, email address and telephone number to a reservation."""
    data = PersonalData(
        family_name=body.familyName.strip(),
        email=body.email.strip(),
        telephone=None if body.telephone is None else body.telephone.strip(),
        custom_textfield=body.customTextfield,
        custom_textfield2=body.customTextfield2,
    )
    return process_answer(
        lambda: update_data(engine, body.processId, body.authKey, data, now), catalogue
    )


@router.post(
    "/preconfirm-appointment/",
    operation_id="preconfirmAppointment",
    response_model=None,
    responses=rate_limited(
        answer(ZmsProcess, "The booking, preconfirmed; the activation mail is sent."),
        {
            400: "`invalidEmail`: the reservation has no email address yet; " + KEYED_400,
            404: NOT_FOUND,
            409: WRONG_STATUS + " (only a reservation can be preconfirmed)",
            410: EXPIRED,
        },
    ),
)
def preconfirm_appointment(
    body: ProcessKey, request: Request, engine: EngineDep, catalogue: CatalogueDep, now: NowDep
) -> Response:
    """Preconfirm a reservation with an email address: the activation mail goes out, and the
    booking waits 15 minutes for its confirmation."""
    link = confirmation_link(request.app.state.app_url, body.processId, body.authKey)
    return process_answer(
        lambda: preconfirm(engine, body.processId, body.authKey, now, link), catalogue
    )


@router.post(
    "/confirm-appointment/",
    operation_id="confirmAppointment",
    response_model=None,
    responses=rate_limited(
        answer(ZmsProcess, "The booking, confirmed; the confirmation mail is sent."),
        {
            400: KEYED_400,
            404: NOT_FOUND,
            409: WRONG_STATUS + " (only a preconfirmed booking can be confirmed)",
            410: EXPIRED,
        },
    ),
)
def confirm_appointment(
    body: ProcessKey, engine: EngineDep, catalogue: CatalogueDep, now: NowDep
) -> Response:
    """Confirm a preconfirmed booking (what the activation link does)."""
    return process_answer(lambda: confirm(engine, body.processId, body.authKey, now), catalogue)


@router.post(
    "/cancel-appointment/",
    operation_id="cancelAppointment",
    response_model=None,
    responses=rate_limited(
        answer(ZmsProcess, "The booking, deleted (also when it was deleted before)."),
        {
            400: "`appointmentCanNotBeCanceled`: its time is past; " + KEYED_400,
            404: NOT_FOUND,
            409: WRONG_STATUS + " (checked in at the Kundenzentrum already)",
            410: EXPIRED,
        },
    ),
)
def cancel_appointment(
    body: ProcessKey, engine: EngineDep, catalogue: CatalogueDep, now: NowDep
) -> Response:
    """Cancel: the slots are free again and the person's data is deleted."""
    return process_answer(lambda: cancel(engine, body.processId, body.authKey, now), catalogue)


ProcessIdQuery = Annotated[int, Query(ge=1, le=MAX_PROCESS_ID, examples=[100001])]
AuthKeyQuery = Annotated[str, Query(min_length=1, max_length=64, examples=["a1b2c"])]


@router.get(
    "/appointment/",
    operation_id="getAppointment",
    response_model=None,
    responses=rate_limited(
        answer(ZmsProcess, "The booking as it stands (any status)."),
        {400: KEYED_400, 404: NOT_FOUND, 410: EXPIRED},
    ),
)
def get_appointment(
    processId: ProcessIdQuery,
    authKey: AuthKeyQuery,
    session: SessionDep,
    catalogue: CatalogueDep,
    now: NowDep,
) -> Response:
    """A booking by its processId and authKey."""
    return process_answer(lambda: current(session, processId, authKey, now), catalogue)


@mailbox_router.get(
    MAILBOX_PATH,
    operation_id="appointmentMailbox",
    response_model=None,
    responses=rate_limited(
        answer(Mailbox, "The mails about the booking, oldest first."),
        {400: KEYED_400, 404: NOT_FOUND},
    ),
)
def mailbox(processId: ProcessIdQuery, authKey: AuthKeyQuery, session: SessionDep) -> Response:
    """The stub's test mailbox (not part of ZMS): the mails it would have sent about a booking,
    with the activation link. Nothing is mailed for real."""
    try:
        row = find(session, processId, authKey)
    except ProcessError as error:
        return refused(error)
    return zms_json(
        Mailbox(
            mails=[
                Mail(kind=mail.kind, sentAt=mail.sent_at, subject=mail.subject, link=mail.link)
                for mail in mails_of(session, row)
            ]
        )
    )


def without_validation_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI without FastAPI's 422 on the ZMS paths (they answer 400 instead)."""
    for path, item in schema.get("paths", {}).items():
        if path.startswith(ZMS_PATHS):
            for operation in item.values():
                operation.get("responses", {}).pop("422", None)
    return schema
