"""The city's German names of services and offices, as the kiosk and the booking show them."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace

import pytest

from services.hub import AppServices
from services.i18n import Translator, compile_catalogues
from tests.conftest import AT_MONDAY_10
from tests.views.controls import texts
from views.appointments import booking, mine
from views.context import ScreenContext
from views.waiting_times import kiosk

pytestmark = [pytest.mark.anyio, pytest.mark.clock(AT_MONDAY_10)]


def context(services: AppServices, locale: str) -> ScreenContext:
    compile_catalogues()
    # an upright kiosk screen whose background tasks never run: the screen is only read
    page = SimpleNamespace(run_task=lambda _work, *_args: Future(), width=1080, height=1920)
    return ScreenContext(
        page,  # type: ignore[arg-type]
        services,
        Translator(locale),
        lambda _route: None,
        lambda _locale: None,
        person="city-names-person-0123456789",
    )


async def test_the_kiosk_offers_its_services_in_english(services: AppServices) -> None:
    await services.coordinators.locations.refresh()
    ctx = context(services, "en")
    shown = texts(kiosk.build(ctx))
    assert "Kundenzentrum Innenstadt" in shown  # a proper name stays as it is
    assert "Apply for an identity card" in shown
    assert "Apply for a passport" in shown
    assert "Personalausweis beantragen" not in shown
    ctx.leave()


async def test_booking_shows_and_finds_services_in_english(services: AppServices) -> None:
    await services.coordinators.offices.refresh()
    ctx = context(services, "en")
    shown = texts(booking.build(ctx))
    assert "Apply for an identity card" in shown and "Register a vehicle" in shown
    assert "Personalausweis beantragen" not in shown
    ctx.leave()

    for query in ("identity card", "Personalausweis"):  # the shown name and the city's own
        ctx = context(services, "en")
        booking.draft_of(ctx).query = query
        shown = texts(booking.build(ctx))
        assert "Apply for an identity card" in shown, query
        assert "Apply for a passport" not in shown, query
        ctx.leave()


async def test_my_appointments_name_the_vehicle_office_in_turkish(services: AppServices) -> None:
    await services.coordinators.offices.refresh()
    ctx = context(services, "tr")
    shown = texts(mine.places(ctx, services.coordinators.offices.state))
    assert "Araç Tescil Dairesi" in shown and "Kfz-Zulassungsstelle" not in shown
    assert "Kundenzentrum Kalk" in shown
    ctx.leave()
