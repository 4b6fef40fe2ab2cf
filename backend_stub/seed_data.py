"""Sample data: the nine Kundenzentren by their real names; addresses and hours are samples."""

from __future__ import annotations

from dataclasses import dataclass

from backend_stub.open_data import catalogue

SAMPLE_NOTE = "Beispieldaten / sample data"

WEEKDAY_HOURS = {
    "mon": "07:30-18:00",
    "tue": "07:30-16:00",
    "wed": "07:30-12:00",
    "thu": "07:30-18:00",
    "fri": "07:30-12:00",
}
WALK_IN_HOURS = {"mon": "07:30-15:00", "wed": "07:30-12:00"}

# (slug, name, sample street, postal code, approx. lat, approx. lon, base wait in minutes)
KUNDENZENTREN: list[tuple[str, str, str, str, float, float, int]] = [
    ("innenstadt", "Kundenzentrum Innenstadt", "Beispielstraße 1", "50667", 50.9384, 6.9511, 35),
    ("chorweiler", "Kundenzentrum Chorweiler", "Beispielplatz 2", "50765", 51.0276, 6.8957, 12),
    ("ehrenfeld", "Kundenzentrum Ehrenfeld", "Beispielweg 3", "50823", 50.9489, 6.9167, 19),
    ("kalk", "Kundenzentrum Kalk", "Beispielallee 4", "51103", 50.9403, 7.0060, 24),
    ("lindenthal", "Kundenzentrum Lindenthal", "Beispielring 5", "50931", 50.9296, 6.9085, 16),
    ("muelheim", "Kundenzentrum Mülheim", "Beispielgasse 6", "51065", 50.9625, 7.0058, 28),
    ("nippes", "Kundenzentrum Nippes", "Beispielstraße 7", "50733", 50.9665, 6.9540, 21),
    ("porz", "Kundenzentrum Porz", "Beispielmarkt 8", "51143", 50.8799, 7.0597, 9),
    ("rodenkirchen", "Kundenzentrum Rodenkirchen", "Beispielufer 9", "50996", 50.8947, 6.9880, 14),
]
VEHICLE_OFFICE = (
    "kfz",
    "Kfz-Zulassungsstelle",
    "Beispieldamm 10",
    "50829",
    50.9721,
    6.8903,
    40,
)

KUNDENZENTRUM_SLUGS = tuple(row[0] for row in KUNDENZENTREN)
# Small Kundenzentren offer the common services only (sample data, modelled on Cologne's).
LARGE_KUNDENZENTREN = ("innenstadt", "ehrenfeld", "kalk", "lindenthal", "muelheim", "nippes")


@dataclass(frozen=True)
class ServiceSeed:
    """A bookable service with what it costs, what to bring and where it is offered."""

    id: int
    name: str
    max_quantity: int
    slots: int  # 15-minute slots one of it takes
    fee: str | None  # euros, e.g. "37.00"; "0.00" is free of charge; None: depends on the case
    documents: tuple[str, ...]
    description: str
    offices: tuple[str, ...] = KUNDENZENTRUM_SLUGS
    vehicle_only: bool = False


ID_PHOTO = "Ein aktuelles biometrisches Passfoto (35 × 45 mm)"
ID_DOCUMENT = "Personalausweis oder Reisepass"
# Services of the civil registry that can be booked together in one appointment (ZMS "combinable")
COMBINABLE = (1001, 1002, 1003, 1005, 1006, 1009, 1010, 1014)

# Fees as of 2026 (federal fee schedules; Cologne's for local services). Sample data.
SERVICES: list[ServiceSeed] = [
    ServiceSeed(
        1001,
        "Personalausweis beantragen",
        5,
        2,
        "37.00",
        ("Bisheriger Personalausweis oder Reisepass", ID_PHOTO, "Bei Namensänderung: Urkunde"),
        "Neuer Personalausweis; 22,80 € für Antragstellende unter 24 Jahren. "
        "Fertig nach etwa drei bis vier Wochen.",
    ),
    ServiceSeed(
        1002,
        "Reisepass beantragen",
        5,
        2,
        "70.00",
        ("Bisheriger Reisepass oder Personalausweis", ID_PHOTO, "Bei Namensänderung: Urkunde"),
        "Neuer Reisepass; 37,50 € unter 24 Jahren, Expresszuschlag 32,00 €.",
    ),
    ServiceSeed(
        1003,
        "Wohnsitz anmelden",
        5,
        1,
        "0.00",
        (
            "Personalausweis oder Reisepass jeder Person",
            "Wohnungsgeberbestätigung",
            "Ausgefülltes Anmeldeformular",
        ),
        "Anmeldung nach dem Zuzug nach Köln, innerhalb von zwei Wochen.",
    ),
    ServiceSeed(
        1004,
        "Führungszeugnis beantragen",
        1,
        1,
        "13.00",
        (ID_DOCUMENT,),
        "Privates oder erweitertes Führungszeugnis; es wird per Post zugeschickt.",
    ),
    ServiceSeed(
        1005,
        "Meldebescheinigung",
        3,
        1,
        "10.00",
        (ID_DOCUMENT,),
        "Bescheinigung über die aktuelle Anschrift.",
    ),
    ServiceSeed(
        1006,
        "Wohnsitz ummelden",
        5,
        1,
        "0.00",
        ("Personalausweis oder Reisepass jeder Person", "Wohnungsgeberbestätigung"),
        "Umzug innerhalb Kölns; die neue Anschrift kommt auf den Personalausweis.",
    ),
    ServiceSeed(
        1007,
        "Beglaubigung von Kopien",
        10,
        1,
        "5.00",
        ("Original des Dokuments", "Kopie des Dokuments", ID_DOCUMENT),
        "Amtliche Beglaubigung; die Gebühr gilt je Kopie.",
        offices=LARGE_KUNDENZENTREN,
    ),
    ServiceSeed(
        1008,
        "Bewohnerparkausweis beantragen",
        1,
        1,
        "30.00",
        (ID_DOCUMENT, "Zulassungsbescheinigung Teil I des Fahrzeugs"),
        "Für Bewohnerinnen und Bewohner eines Bewohnerparkgebiets; gilt ein Jahr.",
        offices=("innenstadt", "ehrenfeld", "lindenthal", "nippes"),
    ),
    ServiceSeed(
        1009,
        "Dokument abholen",
        5,
        1,
        "0.00",
        ("Abholschein", "Bisheriges Dokument (wird entwertet)"),
        "Abholung eines fertigen Personalausweises oder Reisepasses.",
    ),
    ServiceSeed(
        1010,
        "Kinderreisepass beantragen",
        3,
        2,
        "13.00",
        (
            "Geburtsurkunde des Kindes",
            ID_PHOTO,
            "Zustimmung aller Sorgeberechtigten",
            "Ausweise der Sorgeberechtigten",
        ),
        "Für Kinder unter zwölf Jahren; das Kind kommt mit.",
        offices=tuple(slug for slug in KUNDENZENTRUM_SLUGS if slug != "chorweiler"),
    ),
    ServiceSeed(
        1011,
        "Abmeldung ins Ausland",
        5,
        1,
        "0.00",
        ("Personalausweis oder Reisepass jeder Person",),
        "Abmeldung beim Wegzug ins Ausland, frühestens eine Woche vor dem Auszug.",
        offices=(*LARGE_KUNDENZENTREN, "porz"),
    ),
    ServiceSeed(
        1012,
        "Lebensbescheinigung",
        2,
        1,
        "0.00",
        (ID_DOCUMENT, "Vordruck des Rententrägers"),
        "Bestätigung für eine Rentenversicherung; für Rentenzwecke gebührenfrei.",
    ),
    ServiceSeed(
        1013,
        "Adressänderung im Fahrzeugschein",
        2,
        1,
        "10.20",
        (ID_DOCUMENT, "Zulassungsbescheinigung Teil I"),
        "Neue Anschrift in der Zulassungsbescheinigung nach einem Umzug in Köln.",
        offices=("innenstadt", "chorweiler", "kalk", "muelheim", "porz"),
    ),
    ServiceSeed(
        1014,
        "Vorläufigen Personalausweis beantragen",
        1,
        1,
        "10.00",
        (ID_PHOTO, "Bisheriger Ausweis, falls vorhanden"),
        "Sofort ausgestellt, ein Jahr gültig, etwa bis der neue Ausweis fertig ist.",
    ),
    ServiceSeed(
        1015,
        "Verlust eines Ausweises melden",
        1,
        1,
        None,
        ("Falls vorhanden: Anzeige der Polizei",),
        "Verlust- oder Diebstahlsanzeige; die Gebühr hängt vom Fall ab.",
        offices=LARGE_KUNDENZENTREN,
    ),
    ServiceSeed(
        2001,
        "Fahrzeug zulassen",
        1,
        2,
        "27.00",
        (
            ID_DOCUMENT,
            "Zulassungsbescheinigung Teil I und II",
            "eVB-Nummer der Versicherung",
            "SEPA-Mandat für die Kfz-Steuer",
        ),
        "Zulassung eines neuen oder gebrauchten Fahrzeugs.",
        offices=("kfz",),
        vehicle_only=True,
    ),
    ServiceSeed(
        2002,
        "Fahrzeug abmelden",
        1,
        1,
        "7.40",
        ("Zulassungsbescheinigung Teil I", "Beide Kennzeichenschilder"),
        "Außerbetriebsetzung eines Fahrzeugs.",
        offices=("kfz",),
        vehicle_only=True,
    ),
    ServiceSeed(
        2003,
        "Halterwechsel eintragen",
        1,
        2,
        "28.20",
        (ID_DOCUMENT, "Zulassungsbescheinigung Teil I und II", "eVB-Nummer der Versicherung"),
        "Umschreibung eines in Köln zugelassenen Fahrzeugs auf eine neue Halterin oder einen "
        "neuen Halter.",
        offices=("kfz",),
        vehicle_only=True,
    ),
]

# (id, name, max quantity, slots, vehicle only)
CITIZEN_SERVICES: list[tuple[int, str, int, int, bool]] = [
    (s.id, s.name, s.max_quantity, s.slots, s.vehicle_only) for s in SERVICES
]

# The letter printed before the number on a queue ticket, by kind of service; the services
# with a letter are those one can take a walk-in number for.
SERVICE_LETTERS = {1001: "A", 1002: "A", 1003: "B", 1004: "C", 1005: "B"}
WALK_IN_SERVICES = tuple(SERVICE_LETTERS)
# What a ticket of a checked-in appointment shows before its number.
APPOINTMENT_LETTER = "T"

# The open-data catalogue (datasets, publishers, datastore tables) lives in its own package.
DATASETS = catalogue.DATASETS
ORGANIZATIONS = catalogue.ORGANIZATIONS

# The participation data (measures, surveys, a workshop): backend_stub/participation/seed.py
