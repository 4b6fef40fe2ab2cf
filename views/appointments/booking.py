"""The booking wizard (`/appointments/book`): service → Kundenzentrum → day → time → contact
details → summary → booking; the email step of ZMS is shown, not hidden.

Everything chosen lives in the session's draft, so Back and Next lose nothing. A time is
reserved when it is chosen (ZMS holds it for 15 minutes) and given back if another is chosen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import flet as ft

from services.appointments import contact as contact_rules
from services.appointments.booking import ReservationExpired, SlotTaken
from services.appointments.wallet import WalletEntry
from services.appointments.zms import Calendar, OfficesAndServices, Process
from services.city_names import city_name
from services.clock import CITY_TZ
from services.errors import ServiceError
from views.appointments.common import (
    address_of,
    booking_problem,
    bring_text,
    fee_text,
    note_banner,
    problem_banner,
    when_text,
)
from views.context import ScreenContext, refresh_control
from views.widgets import MIN_TOUCH, heading

log = logging.getLogger(__name__)

STEPS = ("service", "office", "day", "time", "contact", "summary", "sent")
DRAFT = "booking"


@dataclass
class Draft:
    """What the person has chosen so far."""

    step: str = "service"
    query: str = ""
    service_id: int | None = None
    office_id: int | None = None
    day: date | None = None
    time: datetime | None = None
    calendar: Calendar | None = None  # free times of the service at every office offering it
    process: Process | None = None  # the reservation held for the person
    name: str = ""
    email: str = ""
    phone: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    nearest: list[datetime] = field(default_factory=list)
    replaces: int | None = None  # rescheduling: the appointment this one replaces
    booked: WalletEntry | None = None
    link: str | None = None  # the stub's confirmation link
    busy: str | None = None  # what is being fetched right now


def draft_of(ctx: ScreenContext, *, replaces: WalletEntry | None = None) -> Draft:
    """The session's booking draft, where the person left it; one for another purpose
    (booking anew / changing one appointment) starts a new one."""
    draft = ctx.drafts.get(DRAFT)
    wanted = replaces.process_id if replaces else None
    if not isinstance(draft, Draft) or draft.replaces != wanted:
        draft = Draft()
        if replaces is not None:
            draft = Draft(
                step="day",
                service_id=replaces.service_id,
                office_id=replaces.office_id,
                replaces=replaces.process_id,
            )
    ctx.drafts[DRAFT] = draft
    return draft


def build(ctx: ScreenContext) -> ft.Control:
    """The wizard, at the step the person left it."""
    return wizard(ctx, draft_of(ctx))


def build_reschedule(ctx: ScreenContext, process: str) -> ft.Control:
    """The wizard for a new time of one of the person's appointments (the old one stays
    booked until the new one is confirmed)."""
    entry = ctx.services.appointments.wallet.find(ctx.person or "", int(process))
    if entry is None:
        return ft.Column(
            [
                heading(ctx._("Change an appointment")),
                ft.Text(ctx._("This appointment is not among your appointments on this device.")),
                ft.Button(
                    ctx._("My appointments"),
                    on_click=lambda _e: ctx.navigate("/appointments"),
                ),
            ]
        )
    return wizard(ctx, draft_of(ctx, replaces=entry))


def wizard(ctx: ScreenContext, draft: Draft) -> ft.Control:
    """The steps of the wizard, drawn from the draft."""
    _ = ctx._
    services = ctx.services
    box = ft.Column(spacing=12)
    catalogue = services.coordinators.offices

    def data() -> OfficesAndServices | None:
        return catalogue.data

    def go(step: str) -> None:
        draft.step, draft.problem = step, None
        redraw()

    def redraw() -> None:
        box.controls = [*header(), *body()]
        refresh_control(box)

    def header() -> list[ft.Control]:
        title = _("Change the time") if draft.replaces else _("Book an appointment")
        controls: list[ft.Control] = [heading(title)]
        if draft.step != "sent":
            position = STEPS.index(draft.step) + 1
            controls.append(
                ft.Semantics(
                    identifier="booking-step",
                    content=ft.Text(
                        _("Step {n} of {total}: {name}").format(
                            n=position, total=len(STEPS) - 1, name=step_name(draft.step)
                        ),
                        size=16,
                    ),
                )
            )
        if draft.problem:
            controls.append(problem_banner(draft.problem))
        if draft.busy:
            controls.append(
                ft.Row(
                    [ft.ProgressRing(width=24, height=24), ft.Text(draft.busy)],
                    spacing=12,
                )
            )
        return controls

    def step_name(step: str) -> str:
        return {
            "service": _("Service"),
            "office": _("Kundenzentrum"),
            "day": _("Day"),
            "time": _("Time"),
            "contact": _("Your details"),
            "summary": _("Summary"),
        }.get(step, "")

    def nav(back: str | None, forward: tuple[str, Any] | None = None) -> ft.Control:
        buttons: list[ft.Control] = []
        if back is not None:
            buttons.append(
                ft.OutlinedButton(
                    _("Previous step"),
                    icon=ft.Icons.ARROW_BACK,
                    on_click=lambda _e: go(back),
                )
            )
        if forward is not None:
            label, action = forward
            buttons.append(ft.FilledButton(label, icon=ft.Icons.ARROW_FORWARD, on_click=action))
        return ft.Row(buttons, wrap=True, spacing=12)

    # --- network steps ------------------------------------------------------------------

    async def run(what: str, work: Any, *, keep_problem: bool = False) -> ServiceError | None:
        """Do one network step with a visible "busy" line; a failure is said in words."""
        draft.busy = what
        if not keep_problem:
            draft.problem = None
        redraw()
        try:
            await work()
            return None
        except ServiceError as error:
            draft.problem = booking_problem(ctx, error)
            if isinstance(error, SlotTaken):
                draft.nearest = error.nearest
                draft.time, draft.process = None, None
            return error
        finally:
            draft.busy = None
            redraw()

    async def load_calendar(keep_problem: bool = False) -> None:
        catalogue_data = data()
        if catalogue_data is None or draft.service_id is None or draft.busy:
            return
        offices = [office.id for office in catalogue_data.offices_for(draft.service_id)]

        async def fetch() -> None:
            draft.calendar = await services.appointments.calendar(draft.service_id or 0, offices)

        await run(_("Looking for free times …"), fetch, keep_problem=keep_problem)

    def drop_reservation() -> None:
        """The person chose another service or office: the held time is given back."""
        if draft.process is not None:
            held, draft.process, draft.time = draft.process, None, None
            ctx.run_task(services.appointments.release, held)

    async def choose_time(moment: datetime) -> None:
        catalogue_data = data()
        if draft.office_id is None or draft.service_id is None or catalogue_data is None:
            return
        if draft.busy:
            return  # a second tap while the first is on its way
        held = draft.process
        if (
            held is not None
            and held.timestamp == moment
            and held.office_id == draft.office_id
            and held.service_id == draft.service_id
        ):
            go("contact")  # the same time again: the reservation still holds it
            return
        old = draft.process

        async def reserve() -> None:
            if old is not None:
                await services.appointments.release(old)
                draft.process = None
            draft.process = await services.appointments.reserve(
                draft.service_id or 0, draft.office_id or 0, moment
            )
            draft.time = moment
            draft.nearest = []

        if await run(_("Reserving the time for you …"), reserve) is None:
            go("contact")
        else:
            draft.step = "time"
            if draft.nearest:
                draft.day = draft.nearest[0].astimezone(CITY_TZ).date()
            redraw()

    async def send() -> None:
        catalogue_data = data()
        if draft.process is None or catalogue_data is None or ctx.person is None or draft.busy:
            return
        process = draft.process
        service = catalogue_data.service(process.service_id or draft.service_id or 0)
        office = catalogue_data.office(process.office_id)
        minutes = catalogue_data.minutes(process.office_id, service.id if service else 0)

        async def book() -> None:
            draft.booked = await services.appointments.book(
                ctx.person or "",
                process,
                contact_rules.contact(draft.name, draft.email, draft.phone),
                service_name=service.name if service else "",
                office_name=office.name if office else "",
                minutes=minutes,
                replaces=draft.replaces,
            )
            try:
                draft.link = await services.appointments.confirmation_link(draft.booked)
            except ServiceError as error:
                log.info("test mailbox not read: %s", error)

        error = await run(_("Booking …"), book)
        if error is None:
            # the details went to the city; only the address stays, to say where the mail went
            draft.process, draft.name, draft.phone = None, "", ""
            go("sent")
        elif isinstance(error, ReservationExpired):
            # back to choosing a time, with the explanation kept on screen
            draft.process, draft.time, draft.calendar = None, None, None
            draft.step = "time"
            redraw()
            await load_calendar(keep_problem=True)

    # --- the steps ------------------------------------------------------------------------

    def body() -> list[ft.Control]:
        catalogue_data = data()
        if catalogue_data is None:
            if catalogue.state.last_error is not None:
                return [problem_banner(booking_problem(ctx, catalogue.state.last_error))]
            return [ft.Text(_("Loading the services …"))]
        return {
            "service": service_step,
            "office": office_step,
            "day": day_step,
            "time": time_step,
            "contact": contact_step,
            "summary": summary_step,
            "sent": sent_step,
        }[draft.step](catalogue_data)

    def choice(
        key: str,
        title: str,
        lines: list[str | None],
        on_click: Any,
        *,
        chosen: bool = False,
        icon: ft.IconData | None = None,
        disabled: bool = False,
    ) -> ft.Control:
        """A large card to choose a service or a Kundenzentrum; the chosen one is marked
        with a check mark and as selected (never by colour alone)."""
        return ft.Card(
            content=ft.ListTile(
                leading=ft.Icon(icon) if icon else None,
                title=ft.Text(title, weight=ft.FontWeight.W_600),
                subtitle=ft.Text("\n".join(line for line in lines if line)),
                trailing=ft.Icon(ft.Icons.CHECK_CIRCLE if chosen else ft.Icons.CHEVRON_RIGHT),
                selected=chosen,
                disabled=disabled,
                on_click=on_click,
                min_height=MIN_TOUCH + 16,
            ),
            key=key,
        )

    def service_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        offered = {relation.service_id for relation in catalogue_data.relations}
        found_all = [s for s in catalogue_data.services if s.id in offered]

        def search(event: ft.Event[ft.TextField]) -> None:
            draft.query = event.control.value or ""
            results.controls = rows()
            refresh_control(results)

        def pick(service_id: int) -> None:
            if draft.service_id != service_id:
                drop_reservation()
                draft.office_id, draft.day, draft.time, draft.calendar = None, None, None, None
            draft.service_id = service_id
            go("office")  # which fetches the free times

        def rows() -> list[ft.Control]:
            words = draft.query.casefold().split()
            # the shown name and the city's German one are both found
            matching = [
                service
                for service in found_all
                if all(
                    word
                    in " ".join(
                        (city_name(ctx.tr, service.name), service.name, service.description)
                    ).casefold()
                    for word in words
                )
            ]
            if not matching:
                return [ft.Text(_("No service matches your search."))]
            return [
                choice(
                    f"service-{service.id}",
                    city_name(ctx.tr, service.name),
                    [fee_text(ctx, service.fee), bring_text(ctx, service)],
                    lambda _e, sid=service.id: pick(sid),
                    chosen=service.id == draft.service_id,
                )
                for service in matching
            ]

        results = ft.Column(rows(), spacing=4)
        return [
            ft.TextField(
                label=_("Search services"),
                value=draft.query,
                on_change=search,
                prefix_icon=ft.Icons.SEARCH,
                autofocus=False,
            ),
            results,
        ]

    def office_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        service = catalogue_data.service(draft.service_id or 0)
        offices = catalogue_data.offices_for(draft.service_id or 0)
        calendar = draft.calendar
        controls: list[ft.Control] = [
            ft.Text(
                _("Where would you like to go for: {service}?").format(
                    service=city_name(ctx.tr, service.name) if service else ""
                )
            ),
        ]

        def pick(office_id: int, first: datetime | None = None) -> None:
            if draft.office_id != office_id:
                drop_reservation()
                draft.day, draft.time = None, None
            draft.office_id = office_id
            if first is not None:
                draft.day = first.astimezone(CITY_TZ).date()
                go("time")
            else:
                go("day")

        if calendar is None:
            controls.extend(again())
            controls.append(nav("service"))
            return controls
        firsts = {office.id: calendar.first(office.id) for office in offices}
        anywhere = [(moment, oid) for oid, moment in firsts.items() if moment is not None]
        if anywhere:
            moment, office_id = min(anywhere)
            office = catalogue_data.office(office_id)
            place = city_name(ctx.tr, office.name) if office else ""
            controls.append(
                choice(
                    "earliest-anywhere",
                    _("Earliest anywhere"),
                    [f"{place}: {when_text(ctx, moment)}"],
                    lambda _e, oid=office_id, m=moment: pick(oid, m),
                    icon=ft.Icons.BOLT,
                )
            )
        for office in offices:
            first = firsts.get(office.id)
            line = (
                _("Next free day: {day}").format(day=ctx.tr.long_date(first))
                if first
                else _("No free time in the next eight weeks")
            )
            controls.append(
                choice(
                    f"office-{office.id}",
                    city_name(ctx.tr, office.name),
                    [address_of(catalogue_data, office.id), line],
                    lambda _e, oid=office.id: pick(oid),
                    chosen=office.id == draft.office_id,
                    icon=ft.Icons.PLACE,
                    disabled=first is None,
                )
            )
        controls.append(nav("service"))
        return controls

    def again() -> list[ft.Control]:
        """Fetch the free times once; after a failure only when the person asks."""
        if draft.busy:
            return []
        if not draft.problem:
            ctx.run_task(load_calendar)
            return []
        return [
            ft.Button(
                _("Try again"),
                icon=ft.Icons.REFRESH,
                on_click=lambda _e: ctx.run_task(load_calendar),
            )
        ]

    def day_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        office = catalogue_data.office(draft.office_id or 0)
        if draft.calendar is None:
            return [*again(), nav("office")]
        days = draft.calendar.days(draft.office_id or 0)
        controls: list[ft.Control] = [
            ft.Text(
                _("Free days at {office}. Days without a free time cannot be chosen.").format(
                    office=city_name(ctx.tr, office.name) if office else ""
                )
            )
        ]
        if not days:
            controls.append(ft.Text(_("No free time in the next eight weeks")))
        else:
            controls.append(month_grid(days))
        controls.append(nav("office"))
        return controls

    def month_grid(days: list[date]) -> ft.Control:
        """A month calendar for each month with free days: weekday columns, days without a
        free time struck through and not selectable (never by colour alone)."""
        free = set(days)
        names = [ctx.tr.weekday_short(date(2024, 1, 1) + timedelta(days=i)) for i in range(7)]
        months: list[ft.Control] = []
        first_month = date(days[0].year, days[0].month, 1)
        last_month = date(days[-1].year, days[-1].month, 1)
        month = first_month
        while month <= last_month:
            following = (month + timedelta(days=32)).replace(day=1)
            cells: list[ft.Control] = [ft.Container(width=48, height=48)] * month.weekday()
            day = month
            while day < following:
                cells.append(day_button(day, day in free))
                day += timedelta(days=1)
            rows = [
                ft.Row(cells[start : start + 7], spacing=4) for start in range(0, len(cells), 7)
            ]
            header = [
                ft.Container(ft.Text(name, size=12), width=48, alignment=ft.Alignment.CENTER)
                for name in names
            ]
            months.append(
                ft.Column(
                    [
                        heading(ctx.tr.month(month), level=2),
                        ft.Row(header, spacing=4),
                        *rows,
                    ],
                    spacing=4,
                )
            )
            month = following
        return ft.Column(months, spacing=16)

    def day_button(day: date, free: bool) -> ft.Control:
        chosen = day == draft.day
        label = ctx.tr.long_date(day) + (
            ("; " + ctx._("free times")) if free else ("; " + ctx._("no free time"))
        )
        return ft.Semantics(
            label=label,
            button=True,
            disabled=not free,
            selected=chosen,
            identifier=f"day-{day.isoformat()}",
            content=ft.Container(
                content=ft.Text(
                    str(day.day),
                    size=16,
                    weight=ft.FontWeight.BOLD if free else ft.FontWeight.NORMAL,
                    color=None if free else ft.Colors.GREY_700,
                    style=None if free else ft.TextStyle(decoration=ft.TextDecoration.LINE_THROUGH),
                ),
                width=48,
                height=48,
                alignment=ft.Alignment.CENTER,
                border_radius=24,
                border=ft.Border.all(
                    3 if chosen else 1,
                    ft.Colors.BLUE_900
                    if chosen
                    else (ft.Colors.BLUE_300 if free else ft.Colors.TRANSPARENT),
                ),
                bgcolor=ft.Colors.BLUE_100 if chosen else None,
                on_click=(lambda _e, d=day: pick_day(d)) if free else None,
                ink=free,  # focusable and pressable with the keyboard too
            ),
        )

    def pick_day(day: date) -> None:
        draft.day = day
        go("time")

    def time_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        if draft.calendar is None:
            return [*again(), nav("day")]
        office_id = draft.office_id or 0
        controls: list[ft.Control] = []
        if draft.nearest:
            controls.append(
                ft.Text(_("These times close to it are free:"), weight=ft.FontWeight.W_600)
            )
            controls.append(times_row(draft.nearest, nearest=True))
        times = [
            moment
            for moment in draft.calendar.times(office_id)
            if moment.astimezone(CITY_TZ).date() == draft.day
        ]
        if draft.day is not None:
            controls.append(
                ft.Text(_("Free times on {day}:").format(day=ctx.tr.long_date(draft.day)))
            )
        controls.append(
            times_row(times) if times else ft.Text(_("No free time on this day any more."))
        )
        controls.append(nav("day"))
        return controls

    def times_row(times: list[datetime], *, nearest: bool = False) -> ft.Control:
        return ft.Row(
            [
                ft.Semantics(
                    selected=moment == draft.time,
                    content=ft.OutlinedButton(
                        (
                            ctx.tr.short_date(moment.astimezone(CITY_TZ).date()) + " "
                            if nearest
                            else ""
                        )
                        + ctx.tr.time(moment),
                        icon=ft.Icons.CHECK if moment == draft.time else None,
                        on_click=lambda _e, m=moment: ctx.run_task(choose_time, m),
                        tooltip=when_text(ctx, moment),
                    ),
                )
                for moment in times
            ],
            wrap=True,
            spacing=8,
        )

    def contact_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        held = draft.process
        controls: list[ft.Control] = []
        if held is not None and held.reserved_until is not None:
            controls.append(
                note_banner(
                    _("{when} is reserved for you until {until}.").format(
                        when=when_text(ctx, held.timestamp), until=ctx.tr.time(held.reserved_until)
                    ),
                    "reserved-until",
                )
            )
        controls.append(
            ft.Text(
                _(
                    "We need your name and email address for the booking; the city sends the "
                    "confirmation link there. They are not kept on this device."
                )
            )
        )

        def contact_field(key: str, label: str, value: str, **options: Any) -> ft.TextField:
            """One contact field, showing what was typed and what is wrong with it."""
            message = draft.errors.get(key)
            return ft.TextField(
                label=label,
                value=value,
                error=_(message) if message else None,
                error_max_lines=3,
                col={"xs": 12, "md": 8},
                **options,
            )

        name = contact_field(
            "name",
            _("Name"),
            draft.name,
            max_length=contact_rules.NAME_MAX,
            autofill_hints=[ft.AutofillHint.NAME],
        )
        email = contact_field(
            "email",
            _("Email"),
            draft.email,
            keyboard_type=ft.KeyboardType.EMAIL,
            autofill_hints=[ft.AutofillHint.EMAIL],
        )
        phone = contact_field(
            "phone",
            _("Phone (optional)"),
            draft.phone,
            keyboard_type=ft.KeyboardType.PHONE,
            autofill_hints=[ft.AutofillHint.TELEPHONE_NUMBER],
        )
        fields = {"name": name, "email": email, "phone": phone}

        def keep(_e: object = None) -> None:
            draft.name, draft.email, draft.phone = (
                name.value or "",
                email.value or "",
                phone.value or "",
            )

        def check_field(field_name: str) -> None:
            keep()
            found = contact_rules.problems(draft.name, draft.email, draft.phone)
            control = fields[field_name]
            message = found.get(field_name)
            control.error = _(message) if message else None
            if message:
                draft.errors[field_name] = message
            else:
                draft.errors.pop(field_name, None)
            refresh_control(control)

        for field_name, control in fields.items():
            control.on_change = keep
            control.on_blur = lambda _e, f=field_name: check_field(f)

        def forward(_e: object) -> None:
            keep()
            draft.errors = contact_rules.problems(draft.name, draft.email, draft.phone)
            if draft.errors:
                draft.problem = _("Please correct the marked fields.")
                redraw()
                return
            go("summary")

        controls.extend([ft.ResponsiveRow([name, email, phone]), nav("time", (_("Next"), forward))])
        return controls

    def summary_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        held = draft.process
        if held is None:
            return [ft.Text(_("Please choose a time first.")), nav("time")]
        service = catalogue_data.service(held.service_id or draft.service_id or 0)
        office = catalogue_data.office(held.office_id)
        rows = [
            (_("Service"), city_name(ctx.tr, service.name) if service else ""),
            (_("When"), when_text(ctx, held.timestamp)),
            (
                _("Where"),
                ", ".join(
                    x
                    for x in (
                        city_name(ctx.tr, office.name) if office else "",
                        address_of(catalogue_data, held.office_id),
                    )
                    if x
                ),
            ),
            (_("Name"), " ".join(draft.name.split())),
            (_("Email"), draft.email.strip()),
            (_("Phone"), draft.phone.strip() or "–"),
            (_("Fee"), fee_text(ctx, service.fee if service else None)),
        ]
        bring = bring_text(ctx, service)
        controls: list[ft.Control] = [
            ft.Column(
                [summary_row(ctx, label, value) for label, value in rows],
                spacing=6,
            )
        ]
        if bring:
            controls.append(ft.Text(bring))
        if draft.replaces:
            controls.append(
                ft.Text(
                    _(
                        "Your current appointment stays booked until the new one is "
                        "confirmed; then it is cancelled."
                    )
                )
            )
        controls.append(nav("contact", (_("Book now"), lambda _e: ctx.run_task(send))))
        return controls

    def sent_step(catalogue_data: OfficesAndServices) -> list[ft.Control]:
        booked = draft.booked
        if booked is None:
            return [nav("summary")]
        controls: list[ft.Control] = [
            note_banner(
                _("Almost done: {when} is booked for you, but not yet confirmed.").format(
                    when=when_text(ctx, booked.starts_at)
                ),
                "booking-sent",
            )
        ]
        if draft.link:
            link = draft.link
            controls.append(
                ft.Text(
                    _(
                        "The city's appointment system now sends an email with a confirmation "
                        "link to {email}. This test system keeps the email here instead:"
                    ).format(email=draft.email.strip())
                )
            )
            controls.append(
                ft.FilledButton(
                    _("Open the confirmation link"),
                    icon=ft.Icons.MARK_EMAIL_READ,
                    on_click=lambda _e: ctx.navigate(_path_of(link)),
                )
            )
        else:
            controls.append(
                ft.Text(
                    _(
                        "We have sent an email to {email}. Please open the link in it within "
                        "15 minutes to confirm; otherwise the time is released."
                    ).format(email=draft.email.strip())
                )
            )
        controls.append(
            ft.Row(
                [
                    ft.OutlinedButton(_("My appointments"), on_click=lambda _e: finish()),
                    ft.OutlinedButton(
                        _("Book another appointment"),
                        on_click=lambda _e: start_again(),
                    ),
                ],
                wrap=True,
            )
        )
        return controls

    def start_again() -> None:
        Draft.__init__(draft)  # everything chosen is forgotten, in place
        redraw()

    def finish() -> None:
        ctx.drafts.pop(DRAFT, None)
        ctx.navigate("/appointments")

    if ctx.person is None:
        return ft.Column(
            [
                heading(_("Book an appointment")),
                ft.Text(_("Appointments cannot be booked on this device.")),
            ]
        )
    catalogue_unsubscribe = catalogue.subscribe(lambda: redraw() if draft.busy is None else None)
    ctx.on_leave(catalogue_unsubscribe)
    catalogue.request_refresh()
    box.controls = [*header(), *body()]
    return box


def _path_of(link: str) -> str:
    """The app route of a confirmation link (it may name another host of this app)."""
    return urlsplit(link).path


def summary_row(ctx: ScreenContext, label: str, value: str) -> ft.Control:
    """One line of the summary: its label in a column of its own, or above the value once the
    text is large (in a 120 px column a word like "Dienstleistung" would break inside)."""
    name = ft.Text(label, weight=ft.FontWeight.W_600)
    if ctx.text_scale >= 1.25:
        return ft.Column([name, ft.Text(value)], spacing=0)
    name.width = 120
    return ft.Row(
        [name, ft.Text(value, expand=True)], vertical_alignment=ft.CrossAxisAlignment.START
    )
