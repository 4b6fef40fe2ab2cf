"""The city's German names of offices and services, shown in the person's language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend_stub import seed_data
from services.appointments.contact import Contact
from services.city_names import KNOWN, city_name
from services.hub import AppServices
from services.i18n import LOCALES, Translator, compile_catalogues


@pytest.fixture(scope="module", autouse=True)
def catalogues() -> None:
    compile_catalogues()


def test_a_known_name_is_shown_in_the_persons_language() -> None:
    assert city_name(Translator("en"), "Kfz-Zulassungsstelle") == "Vehicle registration office"
    assert city_name(Translator("tr"), "Kfz-Zulassungsstelle") == "Araç Tescil Dairesi"
    assert city_name(Translator("en"), "Personalausweis beantragen") == (
        "Apply for an identity card"
    )
    assert city_name(Translator("tr"), "Personalausweis beantragen") == "Kimlik kartı başvurusu"
    assert city_name(Translator("de"), "Personalausweis beantragen") == (
        "Personalausweis beantragen"
    )


def test_stray_spaces_from_a_server_do_not_hide_a_known_name() -> None:
    assert city_name(Translator("en"), " Kfz-Zulassungsstelle ") == "Vehicle registration office"


@pytest.mark.parametrize("locale", sorted(LOCALES))
@pytest.mark.parametrize(
    "name",
    [
        "Kundenzentrum Ehrenfeld",  # a proper name: German in every language
        "Einbürgerung beantragen",  # a service a real server added, not (yet) in the glossary
        "Kundenzentrum",  # one of the app's own msgids: a server's name is not translated as one
        "Service",
        "",  # gettext would answer the catalogue's header
    ],
)
def test_an_unknown_name_stays_as_the_city_sent_it(locale: str, name: str) -> None:
    assert city_name(Translator(locale), name) == name


def seed_names() -> list[str]:
    """Every office and service name the stub serves that is not a Kundenzentrum's own."""
    offices = [row[1] for row in (*seed_data.KUNDENZENTREN, seed_data.VEHICLE_OFFICE)]
    return [
        name
        for name in [*offices, *(service.name for service in seed_data.SERVICES)]
        if not name.startswith("Kundenzentrum ")
    ]


@pytest.mark.parametrize("name", seed_names())
def test_every_seed_name_has_an_english_and_a_turkish_label(name: str) -> None:
    # a new seed service without an entry in services/city_names.py and the catalogues fails here
    assert name in KNOWN
    english, turkish = city_name(Translator("en"), name), city_name(Translator("tr"), name)
    assert english != name and turkish != name
    assert english != turkish


@pytest.mark.anyio
async def test_the_calendar_file_names_the_appointment_in_the_persons_language(
    services: AppServices,
) -> None:
    await services.coordinators.offices.refresh()
    catalogue = services.coordinators.offices.data
    assert catalogue is not None
    office = catalogue.offices_for(2001)[0]  # Fahrzeug zulassen: at the Kfz-Zulassungsstelle
    calendar = await services.appointments.calendar(2001, [office.id])
    process = await services.appointments.reserve(2001, office.id, calendar.times(office.id)[0])
    entry = await services.appointments.book(
        "tr-person-id-0123456789abcdef",
        process,
        Contact("Ayşe Örnek", "ayse@example.de", ""),
        service_name="Fahrzeug zulassen",
        office_name="Kfz-Zulassungsstelle",
        minutes=30,
    )
    ics = services.appointments.calendar_file(entry.process_id, entry.auth_key, Translator("tr"))
    assert ics is not None
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:Araç tescili – Araç Tescil Dairesi" in unfolded
    assert "LOCATION:Araç Tescil Dairesi" in unfolded


def test_english_times_and_dates_are_british() -> None:
    # 24-hour like the opening hours shown elsewhere ("07:30–15:00"), day before month
    en = Translator("en")
    moment = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)  # 15:05 in Cologne
    assert en.locale == "en"  # the language code stays: preferences, links, <html lang>
    assert en.time(moment) == "15:05"
    assert en.date(moment) == "30 Nov 2026"
    assert en.long_date(moment) == "Monday, 30 November 2026"
    assert en.date_time(moment) == "30/11/2026, 15:05"
    assert en.short_date(date(2026, 11, 24)) == "Tue 24 Nov"
    assert en.money("37.00", "EUR") == "€37.00"
    assert Translator("de").time(moment) == "15:05"
    assert Translator("tr").time(moment) == "15:05"
